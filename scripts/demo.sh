#!/usr/bin/env bash
# Set up a virtual environment with ipdocs, render the bundled examples into outbox/, and say
# the exact line that makes the `ipdocs` command work in the user's terminal.
set -euo pipefail
cd "$(dirname "$0")/.."
here="$(pwd)"
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q .
.venv/bin/ipdocs render examples/
cat <<TEXT

Dokumentene ligger i outbox/.

ipdocs er installert i ${here}/.venv. For å bruke kommandoen ipdocs, skriv denne linjen
(én gang i hvert nytt terminalvindu):

    source ${here}/.venv/bin/activate

Prøv så: ipdocs --help
Vil du ha ipdocs i alle nye terminalvinduer uten å skrive linjen, skriv én gang:

    echo 'source ${here}/.venv/bin/activate' >> ~/.bashrc
TEXT
