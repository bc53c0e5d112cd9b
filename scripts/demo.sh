#!/usr/bin/env bash
# Set up a virtual environment with ipdocs and render the bundled examples into outbox/.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q .
.venv/bin/ipdocs render examples/
echo
echo "Dokumentene ligger i outbox/. Prøv også: .venv/bin/ipdocs --help"
