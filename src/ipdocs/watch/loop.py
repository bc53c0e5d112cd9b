"""The watcher: an observer, a periodic rescan, and one file at a time through the pipeline.

    events / rescan → settle tracker → lock file? wait → claim by rename → same bytes done?
      → pipeline.process_file → ferdig/ or feil/ (with a note or report) → next

It holds no document logic: `process_file` makes the documents and records them in the ledger.
One thread does the work; the observer's threads only put paths in a queue, so no state is
shared. inotify by default, watching the inbox recursively so every move of ours stays inside
the watch (no held-back moved-out events); polling with `--polling` and by itself when the
inbox is on a network file system. Once a second the inbox itself is checked: gone (a share
disconnected) means wait and say so; back (even as a new folder) means start again.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import multiprocessing
import os
import queue
import signal
import sqlite3
import stat
import threading
import time
import traceback
import warnings
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

from ..errors import ConfigError, IpdocsError, redact
from ..ledger import InputRow, Ledger
from ..pipeline import process_file
from ..results import Result
from ..settings import Settings
from . import outcome
from .claim import Claim, HashLocks, Owner
from .filters import is_locked
from .folders import DONE, FAILED, SIGNED, Folders
from .mounts import MOUNTINFO, filesystem_type, is_network
from .stability import SettleTracker, Signature, signature

log = logging.getLogger("ipdocs.watch")
_QUIET = logging.getLogger(f"{log.name}.helper")
_QUIET.disabled = True  # what the first watcher already says about the inbox

CHECK_SECONDS = 1.0  # how often the inbox itself is checked (gone? back? observer alive?)
MAX_RETRY_SECONDS = 600.0
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
    def __init__(
        self,
        settings: Settings,
        *,
        polling: bool = False,
        mountinfo: Path = MOUNTINFO,
        announce: bool = True,
        parent: int | None = None,
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
        self.polling = polling
        self.mountinfo = mountinfo
        self.tracker = SettleTracker(settings.settle_seconds)
        self.events: queue.SimpleQueue[str | None] = queue.SimpleQueue()
        self.owner = Owner(self.folders)
        self.locks = HashLocks(self.folders, self.owner)
        self.observer: BaseObserver | None = None
        self.ledger: Ledger | None = None
        self.online = False
        self._stop = threading.Event()
        self._inbox_id: tuple[int, int] | None = None
        self._lost = False
        self._rescan_now = True
        self._signed_watch: ObservedWatch | None = None
        self._started = False
        self._said: set = set()
        self._retry: dict[str, float] = {}  # place in the inbox → seconds to wait next time
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
                f"Finner ikke innboksen {self.folders.inbox}. Venter på at den blir tilgjengelig.",
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

    # --- one file in hand -------------------------------------------------------------

    def _handle(self, claim: Claim) -> None:
        short = "ukjent"
        try:
            refusal = outcome.special_file(claim)
            if refusal is not None:
                self.ledger.record(refusal)
                outcome.file_result(claim, refusal, self.folders)
                log.warning("Avvist: en fil i innboksen er ikke en vanlig fil. Se feil/.")
                return
            sha = hashlib.sha256(claim.path.read_bytes()).hexdigest()
            short = sha[:8]
            if not self._lock(sha, claim):
                return
            try:
                prior = self.ledger.done_before(sha)
                if prior is not None:
                    self._done_before(claim, prior, sha, short)
                else:
                    result = process_file(claim.path, self.settings, ledger=self.ledger)
                    outcome.file_result(claim, result, self.folders)
                    self._log_result(result, short)
            finally:
                self.locks.release(sha)
            self._retry.pop(str(claim.rel), None)
        except (IpdocsError, OSError, sqlite3.Error, MemoryError) as exc:
            self._give_back(claim, exc, short)  # templates, LibreOffice, disk: try again later
        except Exception as exc:  # noqa: BLE001 - a fault in ipdocs itself, on this file
            self._program_fault(claim, exc, short)

    def _lock(self, sha: str, claim: Claim) -> bool:
        """Wait while another watcher makes the same bytes (then they are done before)."""
        while not self.locks.acquire(sha):
            self._say_once(
                ("same", sha),
                logging.INFO,
                f"Fil {sha[:8]}: en annen ipdocs lager den samme filen akkurat nå. Venter.",
            )
            if self._stop.wait(0.05):
                self.owner.release(claim)
                return False
        return True

    def _done_before(self, claim: Claim, prior: InputRow, sha: str, short: str) -> None:
        if claim.recovered and prior.name == claim.rel.name:
            outcome.file_done(claim, self.folders)
            log.info(
                "Fil %s var laget før en stopp, men ikke flyttet. Flyttet til %s/ nå.",
                short,
                DONE,
            )
            return
        self.ledger.add_duplicate(sha, claim.rel.name, of=prior)
        outcome.file_duplicate(claim, prior, self.folders, self.outbox)
        cases = sorted({self._case_of(p) for p in prior.outputs} - {""})
        log.info(
            "Fil %s er lik en fil som er laget fra før%s, og blir ikke laget på nytt. Flyttet "
            "til %s/ med en merknad.",
            short,
            f" (sak {', '.join(cases)})" if cases else "",
            DONE,
        )

    def _case_of(self, output: str) -> str:
        try:
            return Path(output).relative_to(self.outbox.resolve()).parts[0]
        except (ValueError, IndexError):
            return ""

    def _log_result(self, result: Result, short: str) -> None:
        for made in result.made:
            label = f", {made.label}" if made.label else ""
            warnings = len(made.warnings)
            extra = (
                f", {warnings} {'advarsel' if warnings == 1 else 'advarsler'}" if warnings else ""
            )
            if result.source.suffix.lower() == ".pdf":
                log.info(
                    "Signert %s for %s lagt i %s/%s/ (fil %s%s).",
                    made.kind,
                    made.case,
                    made.case,
                    SIGNED,
                    short,
                    extra,
                )
            else:
                log.info("Laget %s for %s (fil %s%s%s).", made.kind, made.case, short, label, extra)
        if result.refused:
            count = len(result.problems)
            log.warning(
                "Avvist: fil %s har %d feil som må rettes. Filen og en rapport ligger i %s/.",
                short,
                count,
                FAILED,
            )

    def _give_back(self, claim: Claim, exc: Exception, short: str) -> None:
        """ipdocs itself failed (a template, LibreOffice, the disk): the file is not to blame.
        It goes back to the inbox and is tried again later, waiting longer each time."""
        message = str(exc) if isinstance(exc, IpdocsError) else f"{type(exc).__name__}: {exc}"
        message = redact(message.replace(claim.rel.name, f"fil {short}"))
        key = str(claim.rel)
        delay = self._retry.get(key, self.settings.rescan_seconds)
        self._retry[key] = min(delay * 2, MAX_RETRY_SECONDS)
        if os.environ.get("IPDOCS_DEBUG"):
            log.debug("%s", redact(traceback.format_exc()))
        try:
            back = self.owner.release(claim)
        except OSError:
            log.error(
                "Kunne ikke lage dokumentene fra fil %s: %s Filen ligger igjen i arbeidsmappen "
                "og blir prøvd igjen senere.",
                short,
                message,
            )
            return
        self.tracker.hold(back, time.monotonic() + delay)
        log.error(
            "Kunne ikke lage dokumentene fra fil %s: %s Dette er ikke en feil i filen. Den er "
            "lagt tilbake i innboksen og blir prøvd igjen om %g s.",
            short,
            message,
            delay,
        )

    def _program_fault(self, claim: Claim, exc: Exception, short: str) -> None:
        """A fault in ipdocs on this very file would fail the same way every time: the file
        goes to feil/ with a report that says so, instead of being tried forever."""
        if os.environ.get("IPDOCS_DEBUG"):
            log.debug("%s", redact(traceback.format_exc()))
        result = outcome.program_fault(claim, type(exc).__name__)
        try:
            self.ledger.record(result)
            outcome.file_result(claim, result, self.folders)
        except (OSError, sqlite3.Error) as again:
            self._give_back(claim, again, short)
            return
        log.error(
            "Feil i ipdocs (%s) med fil %s. Filen er lagt i %s/ med en rapport. Meld fra til den "
            "som drifter ipdocs.",
            type(exc).__name__,
            short,
            FAILED,
        )

    def _say_once(self, key: object, level: int, message: str) -> None:
        if key not in self._said:
            self._said.add(key)
            self._about_inbox.log(level, "%s", message)


class RedactingFormatter(logging.Formatter):
    """Every log line passes errors.redact: no fødselsnummer reaches a log."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(*, verbose: bool = False) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(message)s", "%d.%m.%Y %H:%M:%S"))
    logger = logging.getLogger("ipdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
    # watchdog's own warnings are English and may name files; the watcher notices a stopped
    # observer itself and says so in Norwegian.
    quiet = logging.getLogger("watchdog")
    quiet.handlers[:] = [logging.NullHandler()]
    quiet.propagate = False
    # watchdog's inotify warns (RuntimeWarning, to stderr, so into the service's log) when a
    # folder it watches comes back under a name it knew: the claim folders do that all day.
    warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"watchdog\.observers")


def _seconds(value: float) -> str:
    """0.5 → "0,5 sekund", 2 → "2 sekunder": Norwegian decimal comma."""
    text = f"{value:g}".replace(".", ",")
    return f"{text} sekund" if value <= 1 else f"{text} sekunder"


def serve(settings: Settings, *, polling: bool = False, jobs: int = 1) -> None:
    """Watch until Ctrl-C or SIGTERM, making up to `jobs` files at once.

    Each job is a watcher of its own, the extra ones in child processes: claiming a file by
    rename already keeps it to one watcher (two servers on one share rely on the same), so
    the jobs need nothing else to share work. A first signal stops every watcher after the
    file in hand; a second stops at once (the files in hand are taken over at the next
    start). A helper whose first watcher is killed outright stops by itself.
    """
    watcher = Watcher(settings, polling=polling)  # wrong folders are refused before any helper
    children = []
    if jobs > 1:
        context = multiprocessing.get_context("fork")  # before any thread of ours starts
        for _ in range(jobs - 1):
            child = context.Process(target=_helper, args=(settings, polling, os.getpid()))
            child.start()
            children.append(child)
    stopping: list[int] = []

    def stop(signum, frame) -> None:
        for child in children:
            with contextlib.suppress(OSError):
                os.kill(child.pid, signum)
        if stopping:
            raise KeyboardInterrupt
        stopping.append(signum)
        watcher.stop()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        watcher.run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for child in children:
            if child.is_alive() and not stopping:  # the first watcher ended by itself
                with contextlib.suppress(OSError):
                    os.kill(child.pid, signal.SIGTERM)
            child.join()


def _helper(settings: Settings, polling: bool, parent: int) -> None:
    watcher = Watcher(settings, polling=polling, announce=False, parent=parent)
    stopping: list[int] = []

    def stop(signum, frame) -> None:
        if stopping:
            raise KeyboardInterrupt
        stopping.append(signum)
        watcher.stop()

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, stop)
    with contextlib.suppress(KeyboardInterrupt):
        watcher.run()
