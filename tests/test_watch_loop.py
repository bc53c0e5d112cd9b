"""The watcher as users run it: real `ipdocs watch` processes, real folders, real inotify and
polling observers. Every wait polls with a timeout; no test sleeps a fixed time."""

from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import sqlite3
import subprocess
import threading
from pathlib import Path

import pytest
from conftest import DATA, docx_text
from watchdog.observers.polling import PollingObserver
from watchkit import (
    WatcherProcess,
    all_filed,
    check_batch,
    drop,
    filed,
    make_office,
    make_pdf,
    mixed_batch,
    wait_until,
    yaml_input,
)

from ipdocs.ledger import default_path
from ipdocs.watch import Watcher

MODES = {"inotify": (), "polling": ("--polling", "--interval", "0.2")}


@pytest.fixture(autouse=True)
def _no_watcher_left_running():
    yield
    WatcherProcess.kill_all()


def _finish_held(inbox: Path, batch, watchers: list[WatcherProcess], timeout: float = 180):
    """Wait for all but the workbook that is open in Excel; check it waits; then close it."""
    others = [f for f in batch.files if f.name != batch.held]

    def others_filed() -> bool:
        names = filed(inbox)
        return all(f.name in names for f in others)

    wait_until(others_filed, timeout=timeout, what="every file but the open workbook filed")
    assert (inbox / batch.held).is_file(), "a workbook with a lock file beside it was taken"
    assert any("åpen i et program" in w.text() for w in watchers)
    (inbox / f"~${batch.held}").unlink()  # Excel closes the workbook
    wait_until(lambda: all_filed(inbox, batch), timeout=60, what="the closed workbook filed")


@pytest.mark.parametrize("mode", MODES)
def test_a_hundred_files_at_once(tmp_path, mode):
    root = make_office(tmp_path)
    batch = mixed_batch()
    assert len(batch.files) >= 100 and any(f.slow for f in batch.files)
    watcher = WatcherProcess(root, *MODES[mode]).started()
    for t in drop(root / "inbox", batch):
        t.join()
    _finish_held(root / "inbox", batch, [watcher])
    assert watcher.stop() == 0
    log = watcher.text()
    assert "Stoppet." in log
    if mode == "polling":
        assert "ser etter nye filer hvert 0,2 sekund" in log
    check_batch(root, batch, [log])


def test_kill_9_in_the_middle_then_restart(tmp_path):
    root = make_office(tmp_path)
    inbox = root / "inbox"
    batch = mixed_batch(prefix="K")
    first = WatcherProcess(root).started()
    for t in drop(inbox, batch):
        t.join()
    wait_until(lambda: len(filed(inbox)) >= 30, timeout=120, what="30 files filed")
    first.kill()  # SIGKILL: no clean-up at all
    assert not all_filed(inbox, batch)
    second = WatcherProcess(root).started()
    _finish_held(inbox, batch, [first, second])
    assert second.stop() == 0
    check_batch(root, batch, [first.text(), second.text()], crashed=True)


def test_two_watchers_on_one_folder(tmp_path):
    root = make_office(tmp_path)
    batch = mixed_batch(prefix="T")
    watchers = [WatcherProcess(root).started(), WatcherProcess(root).started()]
    for t in drop(root / "inbox", batch):
        t.join()
    _finish_held(root / "inbox", batch, watchers)
    assert [w.stop() for w in watchers] == [0, 0]
    check_batch(root, batch, [w.text() for w in watchers])


def test_a_stopped_watchers_file_in_hand_is_taken_over(tmp_path):
    """What kill -9 leaves: a claimed file and a same-bytes lock of a process that is gone."""
    root = make_office(tmp_path)
    inbox = root / "inbox"
    work = inbox / ".ipdocs-arbeid"
    owner = _stopped_owner(work)
    data = yaml_input("referat", "IP-R-001")
    (work / owner / "innboks" / "referat.yaml").write_bytes(data)
    (work / "laas").mkdir()
    (work / "laas" / ("0" * 64)).write_text(owner)
    watcher = WatcherProcess(root).started()
    wait_until(lambda: (inbox / "ferdig" / "referat.yaml").is_file(), timeout=30, what="taken")
    watcher.wait_for("Tok over 1 fil som en ipdocs som stoppet")
    assert (root / "outbox" / "IP-R-001" / "2026-12-03_referat.docx").is_file()
    wait_until(lambda: not (work / owner).exists(), timeout=10, what="the old folder gone")
    assert not (work / "laas" / ("0" * 64)).exists()
    assert watcher.stop() == 0


def test_a_file_made_just_before_a_stop_is_only_moved(tmp_path):
    """Stopped after the ledger had it but before the move: not made twice, no copy note."""
    root = make_office(tmp_path)
    inbox = root / "inbox"
    (inbox / "innkalling.yaml").write_bytes(yaml_input("innkalling", "IP-S-001"))
    watcher = WatcherProcess(root).started()
    wait_until(lambda: (inbox / "ferdig" / "innkalling.yaml").exists(), timeout=30, what="made")
    assert watcher.stop() == 0
    # Put it back in hand of a process that is gone, as if the move never happened.
    work = inbox / ".ipdocs-arbeid"
    owner = _stopped_owner(work)
    (inbox / "ferdig" / "innkalling.yaml").rename(work / owner / "innboks" / "innkalling.yaml")
    again = WatcherProcess(root).started()
    again.wait_for("var laget før en stopp")
    assert again.stop() == 0
    assert (inbox / "ferdig" / "innkalling.yaml").is_file()
    assert "samme innhold" not in (inbox / "ferdig" / "innkalling.yaml.merknad.txt").read_text()
    assert not list((inbox / "ferdig").glob("innkalling (*"))  # kept once
    with sqlite3.connect(default_path(root / "outbox")) as db:
        statuses = [s for (s,) in db.execute("SELECT status FROM inputs")]
    assert statuses == ["ok"]


@pytest.mark.parametrize("mode", MODES)
def test_the_inbox_removed_and_recreated_while_watching(tmp_path, mode):
    root = make_office(tmp_path)
    inbox = root / "inbox"
    watcher = WatcherProcess(root, *MODES[mode]).started()
    (inbox / "a.yaml").write_bytes(yaml_input("innkalling", "IP-V-001"))
    # The log line comes after the file and its note are in ferdig/: removing the inbox any
    # earlier races the note being written (the test's rmtree, not the watcher, then fails).
    watcher.wait_for("Laget innkalling for IP-V-001")
    shutil.rmtree(inbox)  # the share goes away
    watcher.wait_for("er borte")
    inbox.mkdir()  # … and comes back, as a new folder
    watcher.wait_for("Innboksen er tilbake")
    (inbox / "b.yaml").write_bytes(yaml_input("referat", "IP-V-002"))
    wait_until(lambda: (inbox / "ferdig" / "b.yaml").is_file(), timeout=30, what="second file")
    assert (root / "outbox" / "IP-V-002" / "2026-12-03_referat.docx").is_file()
    assert watcher.stop() == 0


def test_waits_for_a_missing_inbox(tmp_path):
    root = make_office(tmp_path)
    (root / "inbox").rmdir()
    watcher = WatcherProcess(root)
    watcher.wait_for("Finner ikke innboksen")
    # Issue 10: it said only «Venter…», for ever, in a folder nobody had set up.
    watcher.wait_for(f"kjør «ipdocs init {root}»")
    assert not (root / "inbox").exists()  # never made in place of a share
    (root / "inbox").mkdir()
    watcher.started()
    (root / "inbox" / "a.yaml").write_bytes(yaml_input("fullmakt", "IP-M-001"))
    wait_until(lambda: (root / "inbox" / "ferdig" / "a.yaml").is_file(), timeout=30, what="made")
    assert watcher.stop(signal.SIGINT) == 0


def test_waiting_files_are_made_at_start_and_sigterm_stops_cleanly(tmp_path):
    root = make_office(tmp_path)
    inbox = root / "inbox"
    for i in range(12):
        (inbox / f"f{i:02d}.yaml").write_bytes(yaml_input("innkalling", f"IP-G-{i:03d}"))
    watcher = WatcherProcess(root).started()
    wait_until(lambda: len(filed(inbox)) >= 1, timeout=30, what="the first file made")
    assert watcher.stop() == 0  # while the rest wait
    assert "Stoppet." in watcher.text()
    # Each file is either made and filed, or still waiting: none half-done, none in hand.
    assert not [p for p in (inbox / ".ipdocs-arbeid").rglob("*") if p.is_file()]
    waiting = {p.name for p in inbox.glob("*.yaml")}
    assert waiting | set(filed(inbox)) == {f"f{i:02d}.yaml" for i in range(12)}
    for name in filed(inbox):
        case = f"IP-G-{int(name[1:3]):03d}"
        assert (root / "outbox" / case / "2026-12-03_innkalling.docx").is_file()


def test_ipdocs_failing_gives_the_file_back_and_tries_again(tmp_path):
    """A broken template is not the file's fault: it is not sent to feil/, it waits and is
    made once the template is fixed."""
    root = make_office(tmp_path, rescan=0.5, extra='\n[mapper]\nmaler = "maler"\n')
    (root / "maler").mkdir()
    broken = root / "maler" / "innkalling_nb.docx"
    broken.write_bytes(b"not a word file")
    inbox = root / "inbox"
    watcher = WatcherProcess(root).started()
    (inbox / "innkalling.yaml").write_bytes(yaml_input("innkalling", "IP-F-001"))
    watcher.wait_for("Dette er ikke en feil i filen")
    assert "ikke et Word-dokument" in watcher.text()
    wait_until(lambda: (inbox / "innkalling.yaml").is_file(), timeout=10, what="given back")
    assert not (inbox / "feil" / "innkalling.yaml").exists()
    assert not (root / "outbox" / "IP-F-001").exists()  # not even its calendar file
    broken.unlink()  # fixed: the bundled template is used
    wait_until(lambda: (inbox / "ferdig" / "innkalling.yaml").is_file(), timeout=30, what="made")
    assert watcher.stop() == 0
    # The log names the file, its hash after it (issue 10: «fil fdf33013» alone told nobody).
    assert "Kunne ikke lage dokumentene fra filen «innkalling.yaml» (" in watcher.text()
    assert "Laget innkalling for IP-F-001 (filen «innkalling.yaml» (" in watcher.text()


def test_links_pipes_folders_hidden_and_temporary_files(tmp_path):
    root = make_office(tmp_path)
    inbox = root / "inbox"
    watcher = WatcherProcess(root).started()
    (inbox / "lenke.yaml").symlink_to(DATA / "formats_referat.yaml")
    os.mkfifo(inbox / "ror.yaml")
    (inbox / "Møter uke 48").mkdir()
    (inbox / "Møter uke 48" / "a.yaml").write_bytes(yaml_input("referat", "IP-L-001"))
    for name in (".skjult.yaml", "kopi.tmp", "Thumbs.db", "~$bok.xlsx", "notat.yaml~"):
        (inbox / name).write_bytes(b"x")
    for name in ("lenke.yaml", "ror.yaml"):  # the report is written last
        report = inbox / "feil" / f"{name}.feil.txt"
        wait_until(report.is_file, timeout=30, what=f"the report for {name}")
    assert "snarvei" in (inbox / "feil" / "lenke.yaml.feil.txt").read_text()
    assert "ikke en vanlig fil" in (inbox / "feil" / "ror.yaml.feil.txt").read_text()
    assert (DATA / "formats_referat.yaml").is_file()  # the link's target is not touched
    watcher.wait_for("En mappe i innboksen blir ikke lest")
    assert watcher.stop() == 0
    assert (inbox / "Møter uke 48" / "a.yaml").is_file()
    for name in (".skjult.yaml", "kopi.tmp", "Thumbs.db", "~$bok.xlsx", "notat.yaml~"):
        assert (inbox / name).read_bytes() == b"x"
    assert not (root / "outbox" / "IP-L-001").exists()


def test_signed_scans_in_the_watched_folder(tmp_path):
    root = make_office(tmp_path)
    inbox = root / "inbox"
    consent = yaml_input("samtykke", "IP-P-001").replace(
        b"overforing_ved_flytting: false", b"overforing_ved_flytting: true"
    )
    (inbox / "samtykke.yaml").write_bytes(consent)
    (inbox / "fullmakt.yaml").write_bytes(yaml_input("fullmakt", "IP-P-002"))
    watcher = WatcherProcess(root).started()
    for name in ("samtykke.yaml", "fullmakt.yaml"):
        wait_until(lambda n=name: (inbox / "ferdig" / n).is_file(), timeout=30, what="made")
    make_pdf(inbox / "IP-P-001_samtykke_signert.pdf")
    (inbox / "signert" / "IP-P-002").mkdir(parents=True)
    make_pdf(inbox / "signert" / "IP-P-002" / "fullmakt 05.01.2027.pdf")
    make_pdf(inbox / "IP-P-001_referat.pdf", encrypt=True)
    signed = root / "outbox" / "IP-P-001" / "signert" / "2026-12-03_samtykke_signert.pdf"
    scan = root / "outbox" / "IP-P-002" / "signert" / "2027-01-05_fullmakt_signert.pdf"
    wait_until(lambda: signed.is_file() and scan.is_file(), timeout=30, what="scans filed")
    wait_until(
        lambda: (inbox / "feil" / "IP-P-001_referat.pdf.feil.txt").is_file(),
        timeout=30,
        what="refused",
    )
    assert "passord" in (inbox / "feil" / "IP-P-001_referat.pdf.feil.txt").read_text()
    wait_until(
        lambda: (inbox / "ferdig" / "signert" / "IP-P-002" / "fullmakt 05.01.2027.pdf").is_file(),
        timeout=30,
        what="the scan's original kept",
    )
    assert watcher.stop() == 0
    with sqlite3.connect(default_path(root / "outbox")) as db:
        rows = db.execute(
            "SELECT sak, kind, origin, covers_transfer FROM documents WHERE origin = 'signed'"
            " ORDER BY sak"
        ).fetchall()
    assert rows == [("IP-P-001", "samtykke", "signed", 1), ("IP-P-002", "fullmakt", "signed", None)]
    assert "Signert samtykke for IP-P-001" in watcher.text()
    assert "En mappe i innboksen" not in watcher.text()  # signert/ is ours to read


def test_a_network_inbox_is_polled_and_said_once(tmp_path, caplog, settings):
    """In-process, with a mount table that says the inbox is a Windows share."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    mountinfo = tmp_path / "mountinfo"
    mountinfo.write_text(
        "22 1 0:21 / / rw - ext4 /dev/vda rw\n"
        f"90 22 0:50 / {tmp_path} rw,relatime - cifs //filserver/ipdocs rw,vers=3.1.1\n"
    )
    watcher = Watcher(settings.replace(settle_seconds=0.2, poll_interval=0.2), mountinfo=mountinfo)
    caplog.set_level(logging.INFO, logger="ipdocs")
    thread = threading.Thread(target=watcher.run)
    thread.start()
    try:
        (inbox / "a.yaml").write_bytes(yaml_input("referat", "IP-N-001"))
        document = settings.outbox / "IP-N-001" / "2026-12-03_referat.docx"
        wait_until(document.is_file, timeout=30, what="made from a polled inbox")
        assert "IP-N-001" in docx_text(document)
    finally:
        watcher.stop()
        thread.join(timeout=30)
    assert watcher.polling
    said = [r.getMessage() for r in caplog.records if "nettverksmappe" in r.getMessage()]
    assert len(said) == 1 and "(cifs)" in said[0]


def _stopped_owner(work: Path) -> str:
    """A watcher's folder and owner file as kill -9 leaves them: its process has ended."""
    proc = subprocess.Popen(["true"])
    proc.wait()
    host = os.uname().nodename
    owner = f"{host}-{proc.pid}-dead00"
    (work / owner / "innboks").mkdir(parents=True)
    # A start time no process has: even if the pid is reused, it is not the same process.
    (work / f"{owner}.json").write_text(json.dumps({"host": host, "pid": proc.pid, "started": "1"}))
    return owner


class _DeafWatcher(Watcher):
    """A share that never delivers an event: the observer runs but hears nothing."""

    def _start_observer(self) -> None:
        self.observer = PollingObserver(timeout=3600)
        self.observer.start()


def test_the_rescan_finds_what_no_event_reported(tmp_path, settings):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    watcher = _DeafWatcher(settings.replace(settle_seconds=0.2, rescan_seconds=0.5))
    thread = threading.Thread(target=watcher.run)
    thread.start()
    try:
        # Each file can only be found by a rescan; the second by one after the first's.
        for n, name in enumerate(("a.yaml", "b.yaml"), start=1):
            (inbox / name).write_bytes(yaml_input("innkalling", f"IP-D-00{n}"))
            document = settings.outbox / f"IP-D-00{n}" / "2026-12-03_innkalling.docx"
            wait_until(document.is_file, timeout=30, what=f"{name} made after a rescan")
    finally:
        watcher.stop()
        thread.join(timeout=30)
    assert (inbox / "ferdig" / "b.yaml").is_file()


def _helpers_of(pid: int) -> list[int]:
    """Live processes whose parent is `pid` (from /proc: no psutil here)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_jobs_share_the_files_and_helpers_never_outlive_the_watcher(tmp_path):
    root = make_office(tmp_path)
    inbox = root / "inbox"
    watcher = WatcherProcess(root, "--jobs", "3").started()
    wait_until(lambda: len(_helpers_of(watcher.proc.pid)) == 2, timeout=15, what="two helpers")
    helpers = _helpers_of(watcher.proc.pid)
    for i in range(12):
        (inbox / f"j{i:02d}.yaml").write_bytes(yaml_input("fullmakt", f"IP-J-{i:03d}"))
    wait_until(lambda: len(filed(inbox)) == 12, timeout=60, what="12 files made")
    assert watcher.text().count("Følger med på innboksen") == 1  # said once, not per job
    for i in range(12):
        assert (root / "outbox" / f"IP-J-{i:03d}" / "2009-10-23_fullmakt.docx").is_file()
    watcher.proc.kill()  # kill -9 of the service: its helpers stop by themselves
    watcher.proc.wait()
    wait_until(lambda: not any(_alive(h) for h in helpers), timeout=15, what="helpers gone")


def test_the_same_file_again_is_made_on_purpose_with_pa_nytt_in_its_name(tmp_path):
    """Issue 10: the same content dropped again got «endre noe i filen» and no plain way."""
    root = make_office(tmp_path)
    inbox = root / "inbox"
    data = yaml_input("fullmakt", "IP-N-001")
    watcher = WatcherProcess(root).started()
    (inbox / "a.yaml").write_bytes(data)
    wait_until(lambda: (inbox / "ferdig" / "a.yaml").is_file(), timeout=30, what="made")
    (inbox / "a.yaml").write_bytes(data)

    def duplicate_note() -> str:
        for path in (inbox / "ferdig").glob("*.merknad.txt"):
            text = path.read_text(encoding="utf-8")
            if "nøyaktig samme innhold" in text:
                return text
        return ""

    text = wait_until(duplicate_note, timeout=30, what="the copy filed with a note")
    assert "gi den et navn som begynner med «på-nytt» (for eksempel «på-nytt a.yaml»)" in text
    assert "ipdocs render --på-nytt a.yaml" in text
    (inbox / "på-nytt a.yaml").write_bytes(data)
    wait_until(
        lambda: (inbox / "ferdig" / "på-nytt a.yaml").is_file(), timeout=30, what="made again"
    )
    assert watcher.stop() == 0
    assert watcher.text().count("Laget fullmakt for IP-N-001") == 2
    docs = list((root / "outbox" / "IP-N-001").glob("*"))
    # Made again from the same input: replaced, nothing kept aside as «tidligere».
    assert [p.name for p in docs] == ["2009-10-23_fullmakt.docx"], docs
