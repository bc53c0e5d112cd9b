"""One claimed file through the pipeline, start to end:

    claim in hand → a special file? → same bytes as one done before? (ledger; same-bytes lock
      with other watchers) → pipeline.process_file → ferdig/ or feil/ with a note or report

`errors.classify` decides what a failure means: the system's fault (a template, LibreOffice,
the disk, the ledger) gives the file back to the inbox, tried again later with a longer wait
each time; a fault in ipdocs itself sends it to feil/ with a report saying so, since it would
fail the same way every time. Every line logged names the file by its hash, never its name.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
import time
import traceback
from collections.abc import Callable, Hashable
from pathlib import Path

from ..errors import Fault, IpdocsError, classify, redact
from ..ledger import InputRow, Ledger
from ..pipeline import process_file
from ..publish import wants_again
from ..results import Result
from ..run import Converter
from ..settings import Clock, Settings, system_clock, today_in_oslo
from . import outcome
from .claim import Claim, HashLocks, Owner
from .folders import DONE, FAILED, SIGNED, Folders
from .stability import SettleTracker

log = logging.getLogger("ipdocs.watch")

MAX_RETRY_SECONDS = 600.0

SayOnce = Callable[[Hashable, int, str], None]


class Handler:
    """What a watcher needs to finish one file; `handle` does it."""

    def __init__(
        self,
        settings: Settings,
        *,
        ledger: Ledger,
        folders: Folders,
        owner: Owner,
        locks: HashLocks,
        tracker: SettleTracker,
        stop: threading.Event,
        say_once: SayOnce,
        clock: Clock = system_clock,
        converter: Converter | None = None,
    ):
        self.settings = settings
        self.ledger = ledger
        self.folders = folders
        self.outbox = settings.outbox
        self.owner = owner
        self.locks = locks
        self.tracker = tracker
        self.stop = stop
        self.say_once = say_once
        self.clock = clock  # «today» is taken per file: a watcher runs for weeks
        self.converter = converter
        self._retry: dict[str, float] = {}  # place in the inbox → seconds to wait next time

    def handle(self, claim: Claim) -> None:
        """Take `claim` to its end: ferdig/, feil/, or back to the inbox to try again."""
        # The log names the file (a fødselsnummer in the name masked), its hash after it.
        short = f"«{redact(claim.rel.name)}»"
        try:
            refusal = outcome.special_file(claim)
            if refusal is not None:
                self.ledger.record(refusal)
                outcome.file_result(claim, refusal, self.folders)
                log.warning("Avvist: %s i innboksen er ikke en vanlig fil. Se %s/.", short, FAILED)
                return
            sha = hashlib.sha256(claim.path.read_bytes()).hexdigest()
            short = f"«{redact(claim.rel.name)}» ({sha[:8]})"
            if not self._lock(sha, claim):
                return
            try:
                # «på-nytt innkalling.yaml»: made again on purpose (the duplicate note says so).
                again = wants_again(claim.rel.name)
                prior = None if again else self.ledger.done_before(sha)
                if prior is not None:
                    self._done_before(claim, prior, sha, short)
                else:
                    settings = self.settings.replace(today=today_in_oslo(self.clock))
                    result = process_file(
                        claim.path, settings, ledger=self.ledger, converter=self.converter
                    )
                    kept = outcome.file_result(claim, result, self.folders)
                    if result.refused:  # `ipdocs status` clears it once it leaves feil/
                        self.ledger.keep_failed(sha, claim.rel.name, kept)
                    self._log_result(result, short)
            finally:
                self.locks.release(sha)
            self._retry.pop(str(claim.rel), None)
        except Exception as exc:  # noqa: BLE001 - classify says whose fault it is
            # A fault in ipdocs itself on this file, or a file too big for the memory ipdocs
            # has (systemd's MemoryMax): it would fail the same way every time, and trying it
            # again and again would starve every later file.
            if classify(exc).fault is Fault.program or isinstance(exc, MemoryError):
                self._program_fault(claim, exc, short)
            else:  # templates, LibreOffice, the disk, the ledger: try again later
                self._give_back(claim, exc, short)

    def _lock(self, sha: str, claim: Claim) -> bool:
        """Wait while another watcher makes the same bytes (then they are done before)."""
        while not self.locks.acquire(sha):
            self.say_once(
                ("same", sha),
                logging.INFO,
                f"Filen «{redact(claim.rel.name)}» ({sha[:8]}): en annen ipdocs lager den samme "
                "filen akkurat nå. Venter.",
            )
            if self.stop.wait(0.05):
                self.owner.release(claim)
                return False
        return True

    def _done_before(self, claim: Claim, prior: InputRow, sha: str, short: str) -> None:
        if claim.recovered and prior.name == claim.rel.name:
            outcome.file_done(claim, self.folders)
            log.info(
                "Filen %s var laget før en stopp, men ikke flyttet. Flyttet til %s/ nå.",
                short,
                DONE,
            )
            return
        self.ledger.add_duplicate(sha, claim.rel.name, of=prior)
        outcome.file_duplicate(claim, prior, self.folders, self.outbox)
        cases = sorted({self._case_of(p) for p in prior.outputs} - {""})
        log.info(
            "Filen %s er lik en fil som er laget fra før%s, og blir ikke laget på nytt. Flyttet "
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
                    "Signert %s for %s lagt i %s/%s/ (filen %s%s).",
                    made.kind,
                    made.case,
                    made.case,
                    SIGNED,
                    short,
                    extra,
                )
            else:
                log.info(
                    "Laget %s for %s (filen %s%s%s).", made.kind, made.case, short, label, extra
                )
        if result.split is not None:
            pages, parts = result.split.pages, len(result.made)
            left = len(result.split.leftovers)
            log.info(
                "Filen %s (%d %s) ble delt etter QR-kodene: %d %s lagt i saken, %d %s i %s/. "
                "Bunken og en merknad om hvor sidene ble lagt, ligger i %s/.",
                short,
                pages,
                "side" if pages == 1 else "sider",
                parts,
                "dokument" if parts == 1 else "dokumenter",
                left,
                "del" if left == 1 else "deler",
                FAILED,
                DONE,
            )
            return
        if result.refused:
            count = len(result.problems)
            log.warning(
                "Avvist: filen %s har %d feil som må rettes. Filen og en rapport ligger i %s/.",
                short,
                count,
                FAILED,
            )

    def _give_back(self, claim: Claim, exc: BaseException, short: str) -> None:
        """ipdocs itself failed (a template, LibreOffice, the disk): the file is not to blame.
        It goes back to the inbox and is tried again later, waiting longer each time."""
        message = str(exc) if isinstance(exc, IpdocsError) else f"{type(exc).__name__}: {exc}"
        message = redact(message.replace(claim.rel.name, f"filen {short}"))
        key = str(claim.rel)
        delay = self._retry.get(key, self.settings.rescan_seconds)
        self._retry[key] = min(delay * 2, MAX_RETRY_SECONDS)
        if os.environ.get("IPDOCS_DEBUG"):
            log.debug("%s", redact(traceback.format_exc()))
        try:
            back = self.owner.release(claim)
        except OSError:
            log.error(
                "Kunne ikke lage dokumentene fra filen %s: %s Filen ligger igjen i arbeidsmappen "
                "og blir prøvd igjen senere.",
                short,
                message,
            )
            return
        self.tracker.hold(back, time.monotonic() + delay)
        log.error(
            "Kunne ikke lage dokumentene fra filen %s: %s Dette er ikke en feil i filen. Den er "
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
        if isinstance(exc, MemoryError):
            result = outcome.out_of_memory(claim)
        else:
            result = outcome.program_fault(claim, type(exc).__name__)
        try:
            self.ledger.record(result)
            outcome.file_result(claim, result, self.folders)
        except (OSError, sqlite3.Error) as again:
            self._give_back(claim, again, short)
            return
        if isinstance(exc, MemoryError):
            log.error(
                "Ikke nok minne til fil %s. Filen er lagt i %s/ med en rapport; de andre filene "
                "blir laget som vanlig.",
                short,
                FAILED,
            )
            return
        log.error(
            "Feil i ipdocs (%s) med filen %s. Filen er lagt i %s/ med en rapport. Meld fra til den "
            "som drifter ipdocs.",
            type(exc).__name__,
            short,
            FAILED,
        )
