"""After the README's set-up, `ipdocs` is a command the user can type (issue 10, point 3).

A fresh copy of the checkout (the files git knows, as a clone has them) runs the README's own
Linux lines, then `ipdocs` from another folder, as a coordinator would in a new terminal.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from conftest import ROOT


def _fresh_copy(target):
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    for name in listed.stdout.decode().split("\0"):
        if name and (ROOT / name).is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, target / name)


def _readme_linux_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    part = readme.split("## Installere", 1)[1].split("**På Windows**", 1)[0]
    block = re.search(r"```\n(.*?)```", part, re.S).group(1)
    lines = [line.split("#", 1)[0].strip() for line in block.splitlines()]
    # apt-get and the clone itself are the machine's part; the rest is what the user types.
    return [line for line in lines if line and not line.startswith(("sudo ", "git clone", "cd "))]


def _terminal(script: str, *, cwd, env: dict) -> subprocess.CompletedProcess:
    """What a person types in a new terminal window, in bash."""
    return subprocess.run(
        ["bash", "-c", script], cwd=cwd, env=env, capture_output=True, text=True, timeout=600
    )


def test_the_readme_set_up_leaves_a_working_ipdocs_command(tmp_path):
    clone = tmp_path / "ipdocs"
    clone.mkdir()
    _fresh_copy(clone)
    lines = _readme_linux_lines()
    assert lines == ["bash scripts/demo.sh", "source .venv/bin/activate", "ipdocs --help"]
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if ".venv" not in p
    )
    setup = _terminal("set -e\n" + "\n".join(lines), cwd=clone, env=env)
    assert setup.returncode == 0, setup.stdout + setup.stderr
    assert "Bruk: ipdocs" in setup.stdout
    # The demo says the exact line, with the whole folder name, for the next terminal.
    said = re.search(r"^\s*(source \S+/\.venv/bin/activate)\s*$", setup.stdout, re.M)
    assert said, setup.stdout
    assert said.group(1) == f"source {clone}/.venv/bin/activate"
    elsewhere = tmp_path / "et annet sted"
    elsewhere.mkdir()
    new_terminal = _terminal(
        f"{said.group(1)} && ipdocs skeleton innkalling", cwd=elsewhere, env=env
    )
    assert new_terminal.returncode == 0, new_terminal.stdout + new_terminal.stderr
    assert (elsewhere / "innkalling.yaml").is_file()
