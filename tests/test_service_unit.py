"""contrib/ipdocs-watch.service: a unit systemd accepts, running a command ipdocs accepts."""

from __future__ import annotations

import shlex
import subprocess
import sys

from conftest import ROOT, require_program, run_cli

from ipdocs.errors import ExitCode

UNIT = ROOT / "contrib" / "ipdocs-watch.service"


def _exec_start() -> list[str]:
    [line] = [x for x in UNIT.read_text().splitlines() if x.startswith("ExecStart=")]
    return shlex.split(line.removeprefix("ExecStart="))


def test_the_command_is_ipdocs_watch_and_parses(tmp_path):
    program, *args = _exec_start()
    assert program.endswith("/bin/ipdocs") and args[-1] == "watch"
    result = run_cli(*args, "--help", cwd=tmp_path)
    assert result.returncode == ExitCode.ok and "Følg med på innboksen" in result.stdout


def test_systemd_accepts_the_unit(tmp_path):
    analyze = require_program("systemd-analyze")
    program = _exec_start()[0]
    # The installed path does not exist here: point it at this Python for the check.
    unit = tmp_path / UNIT.name
    unit.write_text(UNIT.read_text().replace(program, sys.executable))
    result = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    text = UNIT.read_text()
    for setting in (
        "KillSignal=SIGTERM",
        "MemoryMax=1536M",  # one file that eats memory must not take the machine with it
        "Restart=on-failure",
        "UMask=0007",
        "ProtectSystem=strict",
    ):
        assert setting in text
