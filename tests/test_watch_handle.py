"""One claimed file in the watcher (watch/handle.py): what a failure that is not the file's
fault does (LibreOffice, here), and «today» taken per file. An in-process watcher with fake
collaborators: a converter that fails once, a clock the test moves."""

from __future__ import annotations

import datetime as dt
import logging
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path, PurePath

from conftest import DATA, docx_text
from watchkit import wait_until, yaml_input

from ipdocs.ledger import Ledger, default_path
from ipdocs.settings import Settings
from ipdocs.watch import Watcher, handle
from ipdocs.watch.claim import HashLocks, Owner
from ipdocs.watch.folders import Folders
from ipdocs.watch.stability import SettleTracker


class FlakyConverter:
    """LibreOffice that fails the first time it is asked, then makes a "PDF" per document."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, documents, *, on_done=None):
        self.calls += 1
        made, failed = {}, {}
        for doc in documents:
            if self.calls == 1:
                failed[doc] = "LibreOffice stoppet opp med dokumentet."
            else:
                made[doc] = doc.with_suffix(".pdf")
                made[doc].write_bytes(b"%PDF-1.4 fake")
            if on_done:
                on_done(doc)
        return made, failed


class Clock:
    """A clock the test sets: `now` is what the watcher reads."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@contextmanager
def watching(watcher: Watcher) -> Iterator[Watcher]:
    thread = threading.Thread(target=watcher.run)
    thread.start()
    try:
        yield watcher
    finally:
        watcher.stop()
        thread.join(timeout=30)


def quick(settings: Settings, **changes) -> Settings:
    return settings.replace(settle_seconds=0.2, rescan_seconds=0.3, **changes)


def without_sent_date(case: str) -> bytes:
    """An invitation with no «sendt»: it is dated the day it is made."""
    lines = yaml_input("innkalling", case).decode().splitlines()
    kept = [line for line in lines if not line.startswith(("sendt:", "svarfrist:"))]
    return "\n".join(kept).encode()


def test_libreoffice_failing_once_gives_the_file_back_and_it_is_made_on_the_retry(
    tmp_path, settings, caplog
):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    converter = FlakyConverter()
    caplog.set_level(logging.INFO, logger="ipdocs")
    with watching(Watcher(quick(settings, pdf=True), converter=converter)):
        (inbox / "a.yaml").write_bytes(yaml_input("innkalling", "IP-L-001"))
        done = inbox / "ferdig" / "a.yaml"
        wait_until(done.is_file, timeout=60, what="made on the second try")
    assert converter.calls == 2
    folder = settings.outbox / "IP-L-001"
    assert sorted(p.name for p in folder.iterdir()) == [
        "2026-12-03_innkalling.docx",
        "2026-12-03_innkalling.ics",
        "2026-12-03_innkalling.pdf",
    ]
    assert not (inbox / "feil").exists() or not list((inbox / "feil").iterdir())
    said = [r.getMessage() for r in caplog.records]
    [given_back] = [m for m in said if "LibreOffice klarte ikke å lage PDF" in m]
    assert "Dette er ikke en feil i filen" in given_back
    assert "lagt tilbake i innboksen og blir prøvd igjen" in given_back
    assert "filen «a.yaml» (" in given_back  # named, its hash after the name (issue 10)
    assert not any("Avvist" in m for m in said)
    with Ledger(default_path(settings.outbox)) as ledger:
        assert [(r.name, r.status) for r in ledger.recent()] == [("a.yaml", "ok")]


def test_today_is_taken_per_file_in_oslo_time(tmp_path, settings):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # 22:59:59 UTC is 23:59:59 in Oslo (CET); two seconds later it is the next day there.
    clock = Clock(dt.datetime(2026, 11, 20, 22, 59, 59, tzinfo=dt.UTC))
    with watching(Watcher(quick(settings), clock=clock)):
        (inbox / "a.yaml").write_bytes(without_sent_date("IP-T-001"))
        first = settings.outbox / "IP-T-001" / "2026-12-03_innkalling.docx"
        wait_until(first.is_file, timeout=60, what="the first invitation")
        clock.now = dt.datetime(2026, 11, 20, 23, 0, 1, tzinfo=dt.UTC)
        (inbox / "b.yaml").write_bytes(without_sent_date("IP-T-002"))
        second = settings.outbox / "IP-T-002" / "2026-12-03_innkalling.docx"
        wait_until(second.is_file, timeout=60, what="the second invitation")
    assert _dated(first) == "20. november 2026"
    assert _dated(second) == "21. november 2026"


def _dated(document: Path) -> str:
    """The date beside the address at the top of the letter (the day it is sent)."""
    found = re.search(r"Dato: (\d{1,2}\. \w+ \d{4})", docx_text(document))
    return found.group(1) if found else ""


def test_a_memory_error_on_one_file_sends_it_to_feil_and_the_next_is_made(
    tmp_path, settings, monkeypatch
):
    folders = Folders(settings.inbox)
    settings.inbox.mkdir()
    folders.ensure()
    owner = Owner(folders)
    real = handle.process_file

    def greedy(path, *args, **kwargs):  # the reader runs out of memory on one file only
        if path.name == "stor.yaml":
            raise MemoryError
        return real(path, *args, **kwargs)

    monkeypatch.setattr(handle, "process_file", greedy)
    with Ledger.for_outbox(settings.outbox) as ledger:
        handler = handle.Handler(
            settings,
            ledger=ledger,
            folders=folders,
            owner=owner,
            locks=HashLocks(folders, owner),
            tracker=SettleTracker(0.1),
            stop=threading.Event(),
            say_once=lambda key, level, message: None,
        )
        for name, source in (
            ("stor.yaml", "formats_innkalling"),
            ("neste.yaml", "formats_referat"),
        ):
            shutil.copy(DATA / f"{source}.yaml", settings.inbox / name)
            claim = owner.claim(settings.inbox / name, PurePath(name))
            handler.handle(claim)
    report = (folders.failed / "stor.yaml.feil.txt").read_text(encoding="utf-8")
    assert "ipdocs fikk ikke nok minne til å lese filen" in report
    assert (folders.failed / "stor.yaml").is_file() and not (settings.inbox / "stor.yaml").exists()
    assert (folders.done / "neste.yaml").is_file()
    assert (settings.outbox / "IP-2026-0042" / "2026-12-03_referat.docx").is_file()
