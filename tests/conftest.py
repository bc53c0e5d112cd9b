"""Shared test helpers: run the real `ipdocs` command, read produced Word documents."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document as WordDocument

from ipdocs.settings import Municipality, Settings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
# A fixed "today" so routine warnings do not change with the calendar.
TODAY = dt.date(2026, 11, 24)


def run_cli(
    *args: str, cwd: Path, env: dict | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run `python -m ipdocs ARGS` from this checkout's src/, as a user would."""
    full_env = dict(os.environ)
    full_env["PYTHONPATH"] = str(ROOT / "src")
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "ipdocs", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def docx_text(path: Path) -> str:
    """All text a reader sees: paragraphs, table cells, headers and footers."""
    doc = WordDocument(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    for section in doc.sections:
        for hf in (section.header, section.footer):
            parts += [p.text for p in hf.paragraphs]
            for table in hf.tables:
                for row in table.rows:
                    parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


SELBU = Municipality(
    name="Selbu kommune",
    unit="Tildelings- og koordineringskontoret",
    phone="400 31 579",
    email="tok@selbu.kommune.no",
    address="Nestansringen 22, 7580 Selbu",
)


def office_settings(root: Path) -> Settings:
    """Selbu's settings with `root`/outbox and `root`/inbox, on the tests' fixed today."""
    return Settings(
        municipality=SELBU,
        outbox=root / "outbox",
        inbox=root / "inbox",
        today=TODAY,
    )


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return office_settings(tmp_path)


def require_program(name: str) -> str:
    """The program's path; skip when it is missing, except in CI, where that is a failure."""
    import shutil

    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed; CI must install it (.ci/run, scripts/test.sh)")
    pytest.skip(f"{name} is not installed")
