"""The watcher: an observer, a periodic rescan, and one file at a time through the pipeline.

    events / rescan → settle tracker → lock file? wait → claim by rename → handle.py (same
      bytes done? → pipeline.process_file → ferdig/ or feil/, or back to wait) → next

It holds no document logic: `process_file` makes the documents and records them in the ledger;
handle.py takes one claimed file to its end, and service.py runs the watchers.
One thread does the work; the observer's threads only put paths in a queue, so no state is
shared. inotify by default, watching the inbox recursively so every move of ours stays inside
the watch (no held-back moved-out events); polling with `--jevnlig` (`--polling`) and by
itself when the inbox is on a network file system. Once a second the inbox itself is checked: gone (a share
disconnected) means wait and say so; back (even as a new folder) means start again.
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import queue
import stat
import threading
import time
from pathlib import Path

from watchdog.events import (
    DirCreatedEvent,
    DirMovedEvent,
    FileClosedEvent,
    FileCreatedEvent,
    FileModifiedEvent,
    FileMovedEvent,
    FileSystemEvent,
    FileSystemEventHandler,
)
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver, ObservedWatch
from watchdog.observers.polling import PollingObserver

from ..errors import ConfigError
from ..ledger import Ledger
from ..run import Converter
from ..settings import Clock, Settings, system_clock
from .claim import Claim, HashLocks, Owner
from .filters import is_locked
from .folders import DONE, FAILED, SIGNED, Folders
from .handle import Handler
from .mounts import MOUNTINFO, filesystem_type, is_network
from .stability import SettleTracker, Signature, signature

log = logging.getLogger("ipdocs.watch")
_QUIET = logging.getLogger(f"{log.name}.helper")
_QUIET.disabled = True  # what the first watcher already says about the inbox

CHECK_SECONDS = 1.0  # how often the inbox itself is checked (gone? back? observer alive?)
_EVENTS: list[type[FileSystemEvent]] = [
    FileCreatedEvent,
    FileModifiedEvent,
    FileClosedEvent,
    FileMovedEvent,
    DirCreatedEvent,
    DirMovedEvent,
]


class _Handler(FileSystemEventHandler):
    """Runs on the observer's thread: only hands paths to the worker."""

    def __init__(self, events: queue.SimpleQueue):
        self.events = events

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.events.put(os.fsdecode(event.src_path))
        if event.dest_path:
            self.events.put(os.fsdecode(event.dest_path))


class Watcher:
    """One watcher of the inbox; `run` until `stop`.

    `clock` (now, as an aware datetime) gives each file its «today», in Europe/Oslo;
    `converter` stands in for LibreOffice (run.Converter). Both are seams for tests; the
    defaults are the system clock and the real LibreOffice.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        polling: bool = False,
        mountinfo: Path = MOUNTINFO,
        announce: bool = True,
        parent: int | None = None,
        clock: Clock = system_clock,
        converter: Converter | None = None,
    ):
        self.folders = Folders(Path(os.path.abspath(settings.inbox)))
        self.outbox = Path(os.path.abspath(settings.outbox))
        self.settings = settings.replace(inbox=self.folders.inbox, outbox=self.outbox)
        inbox = self.folders.inbox
        if inbox == self.outbox or inbox in self.outbox.parents or self.outbox in inbox.parents:
            # Every file in the inbox is taken: documents, the ledger or ipdocs.toml would be too.
            raise ConfigError(
                f"Innboksen ({inbox}) og outbox ({self.outbox}) må være to mapper ved siden av "
                "hverandre, ikke den ene inni den andre. Velg andre mapper med --inbox og "
                "--outbox, eller i ipdocs.toml."
            )
        self.force_polling = polling
        self.clock = clock
        self.converter = converter
        self.polling = polling
        self.mountinfo = mountinfo
        self.tracker = SettleTracker(settings.settle_seconds)
        self.events: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self.owner = Owner(self.folders)
        self.locks = HashLocks(self.folders, self.owner)
        self.observer: BaseObserver | None = None
        self.ledger: Ledger | None = None
        self.handler: Handler | None = None
        self.online = False
        self._stop = threading.Event()
        self._inbox_id: tuple[int, int] | None = None
        self._lost = False
        self._rescan_now = True
        self._signed_watch: ObservedWatch | None = None
        self._started = False
        self._said: set = set()
        # A helper process (see `serve`) makes files like any watcher but leaves telling about
        # the inbox itself to the first one, and stops when that one is gone.
        self.announce = announce
        self.parent = parent
        self._about_inbox = log if announce else _QUIET
        self._listing: dict[Path, list[str]] = {}

    # --- running and stopping ---------------------------------------------------------

    def stop(self) -> None:
        """Ask the watcher to stop after the file in hand. Safe from a signal handler."""
        self._stop.set()
        self.events.put(None)

    def run(self) -> None:
        with Ledger.for_outbox(self.outbox) as ledger:
            self.ledger = ledger
            self.handler = Handler(
                self.settings,
                ledger=ledger,
                folders=self.folders,
                owner=self.owner,
                locks=self.locks,
                tracker=self.tracker,
                stop=self._stop,
                say_once=self._say_once,
                clock=self.clock,
                converter=self.converter,
            )
            try:
                self._loop()
            finally:
                self._go_offline()
                self.owner.stop()
        self._about_inbox.info("Stoppet.")

    def _loop(self) -> None:
        next_check = next_rescan = 0.0
        while not self._stop.is_set():
            now = time.monotonic()
            if now >= next_check:
                if self.parent is not None and os.getppid() != self.parent:
                    break  # the first watcher was stopped hard (kill -9): stop with it
                self._check_inbox()
                next_check = now + CHECK_SECONDS
            if not self.online:
                self._wait(next_check - time.monotonic())
                continue
            if self._rescan_now or now >= next_rescan:
                self._rescan_now = False
                self._rescan()
                next_rescan = time.monotonic() + self.settings.rescan_seconds
            self._listing.clear()
            for path, seen in self.tracker.ready(time.monotonic()):
                if self._stop.is_set():
                    break
                self._consider(path, seen)
                self._drain(0)
            due = self.tracker.next_due()
            until = min(next_check, next_rescan, math.inf if due is None else due)
            self._wait(until - time.monotonic())

    def _wait(self, seconds: float) -> None:
        self._drain(max(0.0, min(seconds, CHECK_SECONDS)))

    def _drain(self, timeout: float) -> None:
        """Take the paths events named and start (or restart) their settle wait."""
        try:
            first = self.events.get(timeout=timeout) if timeout > 0 else self.events.get_nowait()
        except queue.Empty:
            return
        paths = {first}
        with contextlib.suppress(queue.Empty):
            while len(paths) < 10_000:
                paths.add(self.events.get_nowait())
        now = time.monotonic()
        for raw in paths:
            if raw is None or not self.online:
                continue
            path = Path(raw)
            if self.folders.relative(path) is not None:
                self.tracker.see(path, now)

    # --- the inbox coming and going ---------------------------------------------------

    def _check_inbox(self) -> None:
        try:
            st = os.stat(self.folders.inbox)
            ident = (st.st_dev, st.st_ino) if stat.S_ISDIR(st.st_mode) else None
        except OSError:
            ident = None
        if self.online and ident != self._inbox_id:
            self._go_offline()
            self._lost = True
            self._about_inbox.warning(
                "Innboksen %s er borte (er nettverksmappen koblet fra?). Prøver igjen hvert "
                "sekund.",
                self.folders.inbox,
            )
        elif self.online:
            if not self._observer_alive():
                self._about_inbox.warning(
                    "Overvåkingen av innboksen stoppet uventet. Starter den på nytt."
                )
                self._go_offline()
            else:
                self._watch_signed_folder()
        if not self.online and ident is not None:
            self._go_online(ident)
        elif not self.online and not self._lost:
            self._say_once(
                "missing",
                logging.WARNING,
                f"Finner ikke innboksen {self.folders.inbox}. Er dette en ny mappe, kjør «ipdocs "
                f"init {self.folders.inbox.parent}» (i et annet vindu). Er innboksen en delt "
                "mappe som er borte, venter ipdocs på at den blir tilgjengelig igjen.",
            )

    def _go_online(self, ident: tuple[int, int]) -> None:
        try:
            self.folders.ensure()
            self.owner.start()
            fstype = filesystem_type(self.folders.inbox, mountinfo=self.mountinfo)
            self.polling = self.force_polling or is_network(fstype)
            if self.polling and not self.force_polling:
                self._say_once(
                    ("network", fstype),
                    logging.INFO,
                    f"Innboksen ligger på en nettverksmappe ({fstype}). Der kommer ikke varsler "
                    f"om nye filer, så ipdocs ser etter dem hvert {self.settings.poll_interval:g}. "
                    "sekund.",
                )
            self._start_observer()
        except OSError as exc:
            self._say_once(
                ("start", exc.errno),
                logging.WARNING,
                f"Får ikke tatt i bruk innboksen {self.folders.inbox} ({exc.strerror}). "
                "Prøver igjen.",
            )
            return
        self.online = True
        self._inbox_id = ident
        self._rescan_now = True
        if self._lost:
            self._about_inbox.info("Innboksen er tilbake. Fortsetter.")
        elif not self._started:
            how = (
                f"ser etter nye filer hvert {_seconds(self.settings.poll_interval)}"
                if self.polling
                else "får beskjed om nye filer med en gang"
            )
            self._about_inbox.info(
                "Følger med på innboksen %s (%s; en fil leses når den har vært uendret i %s). "
                "Dokumentene legges i %s. Ferdige filer flyttes til %s/, filer med feil til %s/.",
                self.folders.inbox,
                how,
                _seconds(self.settings.settle_seconds),
                self.outbox,
                DONE,
                FAILED,
            )
        self._lost = False
        self._started = True

    def _go_offline(self) -> None:
        self.online = False
        self.tracker.clear()
        observer, self.observer = self.observer, None
        self._signed_watch = None
        if observer is not None:
            with contextlib.suppress(Exception):
                observer.stop()
                observer.join(timeout=5)

    def _start_observer(self) -> None:
        handler = _Handler(self.events)
        inbox = str(self.folders.inbox)
        if not self.polling:
            try:
                observer = Observer()
                observer.schedule(handler, inbox, recursive=True, event_filter=_EVENTS)
                observer.start()
            except OSError as exc:
                self._about_inbox.warning(
                    "Får ikke varsler om nye filer fra systemet (%s). Ser etter nye filer hvert "
                    "%g. sekund i stedet.",
                    exc.strerror,
                    self.settings.poll_interval,
                )
                self.polling = True
            else:
                self.observer = observer
                return
        observer = PollingObserver(timeout=self.settings.poll_interval)
        observer.schedule(handler, inbox, recursive=False, event_filter=_EVENTS)
        observer.start()
        self.observer = observer
        self._watch_signed_folder()

    def _watch_signed_folder(self) -> None:
        """Polling watches the inbox alone (not ferdig/ and feil/, which only grow) and
        signert/ with its case folders, once it exists."""
        observer = self.observer
        if not self.polling or observer is None:
            return
        if self._signed_watch is not None:
            emitter = next((e for e in observer.emitters if e.watch == self._signed_watch), None)
            if emitter is not None and emitter.is_alive():
                return
            with contextlib.suppress(Exception):  # signert/ was removed: watch it when back
                observer.unschedule(self._signed_watch)
            self._signed_watch = None
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folders.inbox):
                if entry.name.lower() == SIGNED and entry.is_dir(follow_symlinks=False):
                    self._signed_watch = observer.schedule(
                        _Handler(self.events), entry.path, recursive=True, event_filter=_EVENTS
                    )
                    break

    def _observer_alive(self) -> bool:
        observer = self.observer
        if observer is None or not observer.is_alive():
            return False
        inbox = str(self.folders.inbox)
        return all(e.is_alive() for e in list(observer.emitters) if e.watch.path == inbox)

    # --- finding work -----------------------------------------------------------------

    def _rescan(self) -> None:
        """Catch what events missed, and what a stopped watcher left in hand."""
        now = time.monotonic()
        for path in self.folders.candidates():
            self.tracker.see(path, now)
        for folder in self.folders.foreign_folders():
            self._say_folder(folder)
        for claim in self.owner.held():  # left in our folder after a failed move
            with contextlib.suppress(OSError):
                self.tracker.see(self.owner.release(claim), now)
        for owner in self.owner.stale_owners():
            taken = 0
            for claim in self.owner.adopt(owner):
                taken += 1
                self._handle(claim)
                if self._stop.is_set():
                    return
            if taken:
                log.info(
                    "Tok over %d fil%s som en ipdocs som stoppet, ikke ble ferdig med.",
                    taken,
                    "er" if taken != 1 else "",
                )
        self.locks.sweep()

    def _consider(self, path: Path, seen: Signature) -> None:
        rel = self.folders.relative(path)
        try:
            st = path.lstat()
        except OSError:
            return
        if rel is None:
            return
        if signature(st) != seen:  # changed while earlier files were made: wait again
            self.tracker.see(path, time.monotonic())
            return
        if stat.S_ISDIR(st.st_mode):
            if len(rel.parts) == 1 and rel.name.lower() != SIGNED:
                self._say_folder(path)
            return  # folders are left alone
        if stat.S_ISREG(st.st_mode) and is_locked(path, self._names(path.parent)):
            self._say_once(
                ("locked", path),
                logging.INFO,
                "En fil i innboksen er åpen i et program (det ligger en låsefil ved siden av). "
                "Den blir lest når den er lukket.",
            )
            self.tracker.hold(path, time.monotonic() + max(self.settings.settle_seconds, 1.0))
            return
        claim = self.owner.claim(path, rel)
        if claim is not None:
            self._handle(claim)

    def _say_folder(self, folder: Path) -> None:
        self._say_once(
            ("folder", folder),
            logging.INFO,
            "En mappe i innboksen blir ikke lest. Legg filene rett i innboksen (signerte skann "
            "kan ligge i signert/<sak>/).",
        )

    def _names(self, folder: Path) -> list[str]:
        if folder not in self._listing:
            try:
                self._listing[folder] = os.listdir(folder)
            except OSError:
                self._listing[folder] = []
        return self._listing[folder]

    # --- one file in hand (handle.py) -------------------------------------------------

    def _handle(self, claim: Claim) -> None:
        assert self.handler is not None, "run() opens the ledger first"
        self.handler.handle(claim)

    def _say_once(self, key: object, level: int, message: str) -> None:
        if key not in self._said:
            self._said.add(key)
            self._about_inbox.log(level, "%s", message)


def _seconds(value: float) -> str:
    """0.5 → "0,5 sekund", 2 → "2 sekunder": Norwegian decimal comma."""
    text = f"{value:g}".replace(".", ",")
    return f"{text} sekund" if value <= 1 else f"{text} sekunder"
