#!/usr/bin/env bash
# Set up everything the tests need (LibreOffice, qpdf, poppler, Ghostscript and systemd-analyze
# from Debian when missing and we may install them; a virtual environment with ipdocs and its
# test tools), lint, check the import layers and types, run the tests.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v soffice >/dev/null || ! command -v qpdf >/dev/null || ! command -v pdftotext >/dev/null \
  || ! command -v gs >/dev/null || ! command -v systemd-analyze >/dev/null; then
  if command -v apt-get >/dev/null && [ "$(id -u)" = 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends \
      libreoffice-writer-nogui qpdf poppler-utils ghostscript fonts-crosextra-carlito \
      fonts-liberation2 systemd >/dev/null
  else
    echo "LibreOffice, qpdf, poppler-utils, Ghostscript eller systemd mangler: testene som trenger dem blir hoppet over." >&2
  fi
fi
python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q ".[test]"
.venv/bin/ruff check src tests bench tools
.venv/bin/ruff format --check src tests bench tools
.venv/bin/lint-imports  # the layers of pyproject.toml's [tool.importlinter]
.venv/bin/mypy  # src/ipdocs, with pyproject.toml's [tool.mypy]
.venv/bin/python -m pytest "$@"
