"""Staging folders: what a killed run leaves is swept away, a live run's folder never."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from conftest import DATA, run_cli
from watchkit import wait_until

from ipdocs import staging
from ipdocs.errors import ExitCode
from ipdocs.publish import FILE_MODE

HOUR = 3600.0


def _gone_pid() -> int:
    """The pid of a process that has ended (and been reaped)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _folder(root, name, *, age: float = 0.0):
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "000001.docx").write_bytes(b"health data")
    then = time.time() - age
    os.utime(folder, (then, then))
    return folder


def test_sweep_removes_only_what_runs_that_are_gone_left(tmp_path):
    root = tmp_path / ".ipdocs"
    host, dead = staging._host(), _gone_pid()
    with subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"]) as other:
        try:
            removed = {
                "dead, this host": _folder(root, f"staging-{dead}-{host}-a1b2c3"),
                "another host, old": _folder(
                    root, f"staging-{dead}-annen-maskin-d4_e5", age=25 * HOUR
                ),
                "no owner in the name, old": _folder(root, "staging-x9y8z7", age=25 * HOUR),
            }
            kept = {
                "alive, this host": _folder(root, f"staging-{other.pid}-{host}-f6g7h8"),
                "this very process": _folder(root, f"staging-{os.getpid()}-{host}-i9j0k1"),
                "another host, recent": _folder(
                    root, f"staging-{dead}-annen-maskin-l2m3n4", age=HOUR
                ),
                "no owner in the name, recent": _folder(root, "staging-o5p6q7", age=HOUR),
                "not a staging folder": _folder(root, "annet", age=25 * HOUR),
            }
            (root / "ledger.sqlite").write_bytes(b"")
            assert sorted(staging.sweep(root)) == sorted(removed.values())
        finally:
            other.kill()
    for what, folder in removed.items():
        assert not folder.exists(), what
    for what, folder in kept.items():
        assert (folder / "000001.docx").is_file(), what
    assert (root / "ledger.sqlite").is_file()


HANGING_SOFFICE = textwrap.dedent(
    """\
    #!{python}
    import os, pathlib, time
    pathlib.Path({pidfile!r}).write_text(str(os.getpid()))
    time.sleep(120)
    """
)


def test_what_a_killed_pdf_run_left_is_swept_by_the_next_run_not_before(tmp_path):
    """Review finding: after `kill -9` during the PDF stage, outbox/.ipdocs/staging-*/
    000001.docx (and .ics) stayed forever. A run that is still alive keeps its folder."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pidfile = tmp_path / "soffice.pid"
    fake = bin_dir / "soffice"
    fake.write_text(HANGING_SOFFICE.format(python=sys.executable, pidfile=str(pidfile)))
    fake.chmod(0o755)
    env = dict(os.environ, PYTHONPATH=str(DATA.parents[1] / "src"))
    env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
    shutil.copy(DATA / "formats_innkalling.yaml", tmp_path)
    shutil.copy(DATA / "formats_fullmakt.yaml", tmp_path)
    outbox = tmp_path / "outbox"
    first = subprocess.Popen(
        [sys.executable, "-m", "ipdocs", "render", "formats_innkalling.yaml", "--pdf"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until(pidfile.is_file, timeout=60, what="the PDF stage to start")
        [left] = outbox.glob(".ipdocs/staging-*")
        assert sorted(p.name for p in left.iterdir()) == ["000001.docx", "000001.ics"]

        # A second run while the first is alive: the first run's folder is not touched.
        second = run_cli("render", "formats_fullmakt.yaml", cwd=tmp_path)
        assert second.returncode == ExitCode.ok, second.stdout + second.stderr
        assert (left / "000001.docx").is_file()

        first.kill()  # kill -9: no clean-up at all
        first.wait(timeout=30)
        soffice = int(pidfile.read_text())
        # Its render workers see that their run is gone and stop (they waited for ever).
        wait_until(
            lambda: _processes_in(tmp_path) <= {soffice}, timeout=15, what="the workers to stop"
        )
    finally:
        if first.poll() is None:
            first.kill()
        if pidfile.is_file():
            os.kill(int(pidfile.read_text()), signal.SIGKILL)
    assert (left / "000001.docx").is_file()
    assert not (outbox / "IP-2026-0042" / "2026-12-03_innkalling.docx").exists()  # unpublished

    # The next run that makes something (the same notes again: --på-nytt) sweeps it.
    third = run_cli("render", "--på-nytt", "formats_fullmakt.yaml", cwd=tmp_path)
    assert third.returncode == ExitCode.ok, third.stdout + third.stderr
    assert not left.exists()
    assert list(outbox.glob(".ipdocs/staging-*")) == []


def _processes_in(folder) -> set[int]:
    """The processes (other than this one) whose working folder is `folder`."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            try:
                if os.readlink(f"/proc/{entry}/cwd") == str(folder):
                    found.add(int(entry))
            except OSError:
                continue
    return found


def test_sigterm_stops_a_batch_like_ctrl_c_and_leaves_nothing(tmp_path):
    """systemd stopping, a CI timeout or `kill`: the same clean stop as Ctrl-C, workers too."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Innkallinger"
    sheet.append(["sak", "bruker", "dato", "fra", "til", "sted", "koordinator",
                  "koordinator_telefon", "deltakere", "saksliste"])  # fmt: skip
    for n in range(1500):
        sheet.append([f"IP-T-{n:04}", "Kari Nordmann", "03.12.2026", "09:00", "10:30",
                      "Rådhuset", "Ola Hansen", "400 31 579", "Per Olsen (Fastlege)", "Status"])  # fmt: skip
    book.save(tmp_path / "mange.xlsx")
    env = dict(os.environ, PYTHONPATH=str(DATA.parents[1] / "src"))
    batch = subprocess.Popen(
        [sys.executable, "-m", "ipdocs", "batch", "mange.xlsx", "--jobs", "2", "--no-ics"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        outbox = tmp_path / "outbox"
        wait_until(
            lambda: any(outbox.glob("IP-T-*/*.docx")), timeout=60, what="the first documents"
        )
        batch.send_signal(signal.SIGTERM)
        _, err = batch.communicate(timeout=60)
    finally:
        if batch.poll() is None:
            batch.kill()
    assert batch.returncode == ExitCode.terminated, err
    assert "Avbrutt." in err and "Traceback" not in err, err
    assert len(list(outbox.glob("IP-T-*/*.docx"))) < 1500  # it stopped before the end
    assert list(outbox.glob(".ipdocs/staging-*")) == []
    assert not any(p.suffix == ".tmp" for p in outbox.rglob("*"))
    wait_until(lambda: not _processes_in(tmp_path), timeout=15, what="the workers to stop")


def test_a_staged_file_is_written_once_with_its_mode_and_hash(tmp_path):
    target = tmp_path / "000001.docx"
    data = b"PK\x03\x04" + bytes(range(256)) * 100
    assert staging.write(target, data, FILE_MODE) == hashlib.sha256(data).hexdigest()
    assert target.read_bytes() == data
    assert target.stat().st_mode & 0o777 == FILE_MODE
    with pytest.raises(FileExistsError):  # a staged name is never written twice
        staging.write(target, b"other", FILE_MODE)
    assert target.read_bytes() == data


def test_flushing_a_staging_folder_works_with_and_without_syncfs(tmp_path, monkeypatch):
    for number in range(3):
        staging.write(tmp_path / f"{number:06d}.docx", b"x" * 1000, FILE_MODE)
    if sys.platform.startswith("linux"):
        assert staging._syncfs() is not None  # one call for the whole disk
    staging.flush(tmp_path)
    calls = []
    real_fsync = os.fsync

    def fsync(fd):
        calls.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(staging, "_syncfs", lambda: None)  # a system without syncfs(2)
    monkeypatch.setattr(staging.os, "fsync", fsync)
    staging.flush(tmp_path)
    assert len(calls) == 3  # each file in turn
