"""What the documents of one run share: rendering workers, the PDF stage, the ledger.

A run is one command (`ipdocs render`, `ipdocs batch`), or a stretch of the watcher's work.
`pipeline.process_file(path, settings, run=run)` hands each file's validated documents here
for the stages after validation:

    render (prepared templates; `jobs` processes) → calendar file → [PDF] → publish → ledger

Every document is written first to the run's private staging folder beside the outbox
(staging.py) and reaches the outbox only by a rename, its .docx before its .ics and .pdf. So a
file the run has to give up on (a broken template, a full disk: not the input's fault, see
`abandon`) leaves nothing in the outbox, and whatever is published is recorded in the ledger.

Without PDF nothing waits: each file's documents are published together once they have all
rendered, and its result recorded before `process_file` returns. With PDF, a LibreOffice start
costs a second, so the documents of the whole run wait in the staging folder until `finish()`,
which converts all of them with one LibreOffice process per job, publishes the .docx, .pdf and
.ics of every file whose documents all converted, records every result in the ledger and
returns the final results. A file with a document LibreOffice could not convert is `Stopped`:
not the input's fault, so nothing of it is published or recorded, and it can be made again. The watcher can keep one Run for a burst of files and
call `finish()` when the inbox is quiet; `process_file` without a run makes a run of that one
file.

Memory stays flat as a batch grows: each document is rendered as soon as its row is valid (here,
or a few at a time in a worker while the next rows are read), written, and only its paths kept.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import dataclasses
import itertools
import multiprocessing
import os
import shutil
import signal
import threading
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from . import ics, render, staging
from ._exec import soffice
from .errors import (
    ConversionError,
    InputError,
    IpdocsError,
    Notice,
    OutputError,
    PartlySaved,
    Problem,
)
from .ledger import Ledger
from .model import Document, Invitation
from .publish import (
    FILE_MODE,
    Kept,
    case_folder,
    keep_if_not_ours,
    output_errors,
    sha256_of,
)
from .results import Refused, Result, Stopped
from .settings import Settings

# Progress: (stage, done, total); stage is "render" or "pdf"; total is None while rows are
# still being read.
Progress = Callable[[str, int, int | None], None]
Converter = Callable[..., tuple[dict[Path, Path], dict[Path, str]]]
_CHUNK = 8  # documents per task sent to a worker process
_OLD = itertools.count(1)  # names for the files a move replaces, kept until it is recorded


@dataclass
class _Pending:
    """A document rendered into the staging folder, waiting for its PDF."""

    made_index: int
    docx: Path  # the staged .docx
    calendar: Path | None  # the staged .ics
    target: Path  # where the .docx goes in the outbox


@dataclass(frozen=True, slots=True)
class _Begun:
    """A document on its way: its number in the staging folder (`Run._staged_file`) and where
    it ends up. A batch holds one for each of its documents until they are published: no
    paths kept for the staged files, only the number they are named by."""

    number: int
    target: Path  # its place in the outbox
    calendar: bool  # a .ics is staged beside the .docx


@dataclass
class _Entry:
    result: Result
    pending: list[_Pending] = field(default_factory=list)


class Run:
    """One run's shared stages; use as a context manager, and call `finish()` at the end."""

    def __init__(
        self,
        settings: Settings,
        *,
        ledger: Ledger | None = None,
        jobs: int = 1,
        progress: Progress | None = None,
        converter: Converter | None = None,
    ):
        self.settings = settings
        self.ledger = ledger
        self.jobs = max(1, jobs)
        self.progress = progress
        self.converter = converter or soffice.convert_to_pdf
        self._pool: cf.ProcessPoolExecutor | None = None
        self._staging: Path | None = None
        self._entries: list[_Entry] = []
        self._staged = 0
        self._begun: list[_Begun] = []  # this file's documents, in order
        self._queued: list[tuple[Document, str, str]] = []  # waiting to fill a chunk
        self._in_flight: set[cf.Future[list[tuple[str, str]]]] = set()
        self._shas: dict[str, str] = {}  # a staged file → the SHA-256 of what was written
        self._outbox: Path | None = None  # resolved once
        if settings.pdf and converter is None:
            soffice.find_soffice()  # no LibreOffice: say so before any document is made

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        self._remove_staging()

    # --- the stages after validation ---------------------------------------------------

    def begin(self, document: Document, *, ref: str = "") -> Path:
        """Start making `document` now: here with one job, else in a worker while the caller
        validates the next row; returns where its .docx will be in the outbox. Only that is
        kept, so memory stays flat as a batch grows. Everything is written to the staging
        folder; `publish` or `finish` moves it into place.
        """
        outbox = self.settings.outbox
        with output_errors(outbox):
            target = self._case_folder(document.case) / render.output_name(document)
            self._staged += 1
            calendar = self._wants_calendar(document)
            begun = _Begun(self._staged, target, calendar)
            self._begun.append(begun)  # first: discard() finds it
            if calendar and isinstance(document, Invitation):
                data = self._calendar_bytes(document, target.with_suffix(".ics"))
                staged = self._staged_file(begun.number, ".ics")
                self._shas[os.path.basename(staged)] = staging.write(staged, data, FILE_MODE)
            docx = self._staged_file(begun.number, ".docx")
            if self.jobs == 1:
                self._shas.update(_render_chunk([(document, docx, ref)], self.settings))
            else:
                self._queued.append((document, docx, ref))
                if len(self._queued) >= _CHUNK:
                    self._submit()
        if self.jobs == 1:
            self._report("render", len(self._begun), None)
        return target

    def publish(self, result: Result) -> Result:
        """Finish the documents begun for one file's result (its `made`, in order, each with
        the path `begin` returned).

        Raises what stopped the rendering (a template error in a worker comes back here); the
        documents stay staged, for `abandon` to remove.
        """
        with output_errors(self.settings.outbox):
            while self._queued:
                self._submit()
            for future in cf.as_completed(self._in_flight):
                self._shas.update(future.result())
        self._in_flight = set()
        begun, self._begun = self._begun, []
        self._report("render", len(begun), len(begun))
        if self.settings.pdf:  # staged until finish(): a failed PDF leaves nothing in the outbox
            entry = _Entry(result)
            for index, b in enumerate(begun):
                docx, calendar = self._staged_files(b)
                ics = None if calendar is None else Path(calendar)
                entry.pending.append(_Pending(index, Path(docx), ics, b.target))
            self._entries.append(entry)
            return result
        # A generator: a batch's paths are not held twice (memory stays flat, bench/batch.py).
        files = (self._files(*self._staged_files(b), b.target) for b in begun)
        result = self._place(result, files)
        self._entries.append(_Entry(result))
        return result

    def cases(self) -> frozenset[str]:
        """The cases this run has made documents for so far (published or waiting)."""
        return frozenset(m.case for e in self._entries for m in e.result.made)

    def add_done(self, result: Result) -> None:
        """A result finished without these stages (a signed scan, filed and recorded)."""
        self._entries.append(_Entry(result))

    def discard(self) -> None:
        """Forget the documents begun for the current file (it was refused whole)."""
        begun, self._begun = self._begun, []
        self._queued = []
        cf.wait(self._in_flight)  # a worker still writing one of them
        self._in_flight = set()
        for b in begun:
            for path in self._staged_files(b):
                if path is not None:
                    with contextlib.suppress(FileNotFoundError):
                        os.unlink(path)
                    self._shas.pop(os.path.basename(path), None)

    def abandon(self, source: Path, error: BaseException) -> BaseException:
        """`source` cannot be finished, and not through its own fault (a broken template, a
        full disk): nothing begun for it reaches the outbox. Returns the error to raise,
        saying so in the user's words.

        Nothing half-made: without this, a calendar file could be published without its
        document, or documents published that the ledger (and so the archive) never heard of.
        The files before it keep their place: `finish` still makes them (`ipdocs render`
        goes on past a broken template), and a run that stops instead publishes nothing of
        them either (their staged files go with the staging folder). The watcher gives such
        a file back to the inbox and tries again later.
        """
        self.discard()
        if not isinstance(error, IpdocsError) or isinstance(error, (InputError, PartlySaved)):
            return error
        return type(error)(f"{error} Ingenting fra {source.name} ble laget.")

    def finish(self) -> list[Result | Stopped]:
        """Convert what waits for PDF, publish, record: each file's final result, in order,
        or why it was stopped.

        A document LibreOffice could not convert (it failed, or hung) is not the input's
        fault: nothing of that file is published or recorded, and it comes back `Stopped`
        with a ConversionError naming the document. The CLI says so and ends `failed`; the
        watcher gives the file back and tries it again later. The same for a file the disk
        stopped (an OutputError).
        """
        waiting = [p for e in self._entries for p in e.pending]
        made_pdf, failed = self._convert([p.docx for p in waiting]) if waiting else ({}, {})
        entries, self._entries = self._entries, []
        finished: list[Result | Stopped] = []
        for entry in entries:
            if not entry.pending:
                finished.append(entry.result)
                continue
            result = entry.result
            unconverted = [p for p in entry.pending if p.docx not in made_pdf]
            if unconverted:
                error = _not_converted(result, unconverted, failed)
                finished.append(Stopped(result.source, error))
                continue
            files = [
                self._files(p.docx, p.calendar, p.target, pdf=made_pdf[p.docx])
                for p in entry.pending
            ]
            try:
                finished.append(self._place(result, files))
            except OutputError as error:
                finished.append(Stopped(result.source, error))
        self._remove_staging()
        return finished

    # --- publishing -----------------------------------------------------------------------

    def _staged_file(self, number: int, suffix: str) -> str:
        # Text, not a Path: a Path keeps each name it is made of (sys.intern), and a batch
        # would keep a name for every document it stages.
        return os.path.join(self._staging_folder(), f"{number:06d}{suffix}")

    def _staged_files(self, begun: _Begun) -> tuple[str, str | None]:
        """A begun document's .docx and .ics (None: no calendar file) in the staging folder."""
        calendar = self._staged_file(begun.number, ".ics") if begun.calendar else None
        return self._staged_file(begun.number, ".docx"), calendar

    def _files(
        self,
        docx: str | Path,
        calendar: str | Path | None,
        target: Path,
        *,
        pdf: Path | None = None,
    ) -> list[tuple[str | Path, Path, str | None]]:
        """A document's staged files, their places in the outbox and the SHA-256 of what was
        written (None: not known yet, the PDF LibreOffice wrote): the .docx first, so the
        .pdf and .ics are never there without it."""
        triples: list[tuple[str | Path, Path, str | None]] = [
            (docx, target, self._shas.pop(os.path.basename(docx), None))
        ]
        if pdf is not None:
            triples.append((pdf, target.with_suffix(".pdf"), None))
        if calendar is not None:
            triples.append(
                (
                    calendar,
                    target.with_suffix(".ics"),
                    self._shas.pop(os.path.basename(calendar), None),
                )
            )
        return triples

    def _place(
        self, result: Result, files: Iterable[list[tuple[str | Path, Path, str | None]]]
    ) -> Result:
        """Move each made document's staged files (the i-th of `files` for `result.made[i]`,
        the .docx first) into the outbox and record the result, as one step.

        The moves happen inside the ledger's transaction, recorded before it commits; when
        the ledger cannot commit (a full disk), every move is undone (a document it
        replaced is put back), so a document is in the outbox only if the ledger has it.
        A move that fails part way (a case folder others may not write in) stops there:
        what was moved is recorded, and the error says how much was saved (PartlySaved).
        """
        made = list(result.made)
        placed: list[int] = []
        moves = _Moves(self._staging_folder())
        written: list[tuple[Path, str]] = []  # what ipdocs put in the outbox, with its SHA-256
        source = result.source.name
        stopped: OutputError | None = None
        recording = self.ledger.transaction() if self.ledger is not None else nullcontext()
        try:
            with recording:
                try:
                    with output_errors(self.settings.outbox):
                        # What the run wrote is on the disk before any of it is published.
                        if made:
                            staging.flush(self._staging_folder())
                        for folder in {m.path.parent for m in made if m.path is not None}:
                            moves.folder(folder)  # first: most likely to fail
                        for index, pairs in enumerate(files):
                            moved: list[Path] = []
                            kept: list[Kept] = []
                            try:
                                for staged, target, sha in pairs:
                                    kept += self._keep(target, source, moves)
                                    if sha is None:
                                        sha = sha256_of(staged)
                                    moved.append(moves.move(staged, target))
                                    written.append((target, sha))
                            finally:
                                if moved:  # its .docx is in the outbox: published
                                    m = made[index]
                                    if len(moved) > 1 or kept:
                                        made[index] = dataclasses.replace(
                                            m,
                                            extras=tuple(moved[1:]),
                                            warnings=m.warnings
                                            + tuple(Notice(k.notice()) for k in kept),
                                        )
                                    placed.append(index)
                except OutputError as error:
                    if not placed:
                        raise
                    stopped = error
                refused = result.refused
                if stopped is not None:
                    refused = (*refused, Refused("", (Problem("outbox", str(stopped)),)))
                final = dataclasses.replace(
                    result, made=tuple(made[i] for i in placed), refused=refused
                )
                if self.ledger is not None:
                    self.ledger.record_written(written, source=source)
                    self.ledger.record(final)
        except BaseException:
            moves.undo()  # not recorded: not published either
            raise
        moves.forget()
        if stopped is not None:
            raise PartlySaved(
                f"{stopped} Bare {len(placed)} av {len(made)} dokumenter fra "
                f"{result.source.name} ble lagret."
            )
        return final

    def _keep(self, target: Path, source: str, moves: _Moves) -> list[Kept]:
        """A file at `target` that ipdocs did not leave as it is (edited in Word, or made from
        another input) is moved aside, never replaced. Without a ledger there is no record
        to compare with, and nothing is moved."""
        if self.ledger is None or not os.path.lexists(target):
            return []  # (the common case: nothing there yet, no need to ask the ledger)
        kept = keep_if_not_ours(target, self.ledger.written(target), source=source)
        if kept is None:
            return []
        moves.aside(kept)  # put back if the run takes its documents back
        return [kept]

    # --- rendering ------------------------------------------------------------------------

    def _submit(self) -> None:
        """Send the queued documents to a worker, waiting first if enough are in flight."""
        chunk, self._queued = self._queued[:_CHUNK], self._queued[_CHUNK:]
        pool = self._workers({(d.kind, d.language) for d, _, _ in chunk})
        # A bounded number of chunks in flight: memory does not grow with the batch.
        while len(self._in_flight) >= self.jobs * 2:
            finished, self._in_flight = cf.wait(self._in_flight, return_when=cf.FIRST_COMPLETED)
            for future in finished:
                self._shas.update(future.result())
        self._in_flight.add(pool.submit(_render_chunk, chunk, self.settings))

    def _workers(self, templates: set[tuple[str, str]]) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            # Prepare the templates before the workers start: forked workers inherit them,
            # and a broken template is reported once, here.
            for kind, language in templates:
                render.load_template(self.settings.template_path(kind, language)).prepare()
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._pool = cf.ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=context,
                initializer=_worker_start,
                initargs=(os.getpid(),),
            )
        return self._pool

    # --- calendar and PDF -----------------------------------------------------------------

    def _wants_calendar(self, doc: Document) -> bool:
        return self.settings.ics and isinstance(doc, Invitation)

    def _calendar_bytes(self, doc: Invitation, target: Path) -> bytes:
        earlier = [target] if target.is_file() else []
        if doc.moved_from or doc.cancelled or doc.calendar_date:
            # The same event under another file name (the date it moved from, a chain of
            # moves): SEQUENCE must go above every earlier one.
            earlier += [p for p in target.parent.glob("*_innkalling*.ics") if p != target]
        previous = []
        for path in earlier:
            with contextlib.suppress(OSError):
                previous.append(path.read_bytes())
        return ics.calendar_file(doc, self.settings, previous=previous)

    def _case_folder(self, case: str) -> Path:
        # Resolving the outbox is a system call per part of its path: once a run is enough.
        # (The case folders are not kept: a batch has a case a row, and would keep them all.)
        if self._outbox is None:
            self._outbox = self.settings.outbox.resolve()
        return case_folder(self.settings.outbox, case, root=self._outbox)

    def _staging_folder(self) -> Path:
        if self._staging is None:
            # Beside the outbox, on the same disk: publishing is then a rename. Making it
            # sweeps away what killed runs left (staging.py).
            self._staging = staging.create(self.settings.outbox)
        return self._staging

    def _remove_staging(self) -> None:
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None

    def _convert(self, documents: list[Path]) -> tuple[dict[Path, Path], dict[Path, str]]:
        """One LibreOffice process per job, each converting its share of the documents."""
        total, lock, count = len(documents), threading.Lock(), [0]
        self._report("pdf", 0, total)

        def done(_doc: Path) -> None:
            with lock:
                count[0] += 1
                self._report("pdf", count[0], total)

        groups = max(1, min(self.jobs, total // 4))
        shares = [documents[i::groups] for i in range(groups)]
        made: dict[Path, Path] = {}
        failed: dict[Path, str] = {}
        with cf.ThreadPoolExecutor(max_workers=groups) as threads:
            for share_made, share_failed in threads.map(
                lambda share: self.converter(share, on_done=done), shares
            ):
                made |= share_made
                failed |= share_failed
        return made, failed

    def _report(self, stage: str, done: int, total: int | None) -> None:
        if self.progress is not None:
            self.progress(stage, done, total)


class _Moves:
    """Staged files moved into the outbox, and how to take them back: a file a move replaced
    is kept first as a hard link in the staging folder (no copy, no extra space)."""

    def __init__(self, staging: Path) -> None:
        self.staging = staging
        # (staged, target, the old file)
        self.done: list[tuple[str | Path, Path, Path | None]] = []
        self.folders: list[Path] = []  # case folders made for the moves
        self.set_aside: list[Kept] = []  # a person's files moved beside their new version

    def aside(self, kept: Kept) -> None:
        self.set_aside.append(kept)

    def folder(self, folder: Path) -> None:
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
            self.folders.append(folder)

    def move(self, staged: str | Path, target: Path) -> Path:
        old = self.staging / f"old-{next(_OLD):06d}{target.suffix}"
        kept: Path | None = old
        try:
            os.link(target, old)
        except FileNotFoundError:
            kept = None  # nothing there yet
        except OSError:
            kept = None  # a share without hard links: the old file cannot be put back
        os.replace(staged, target)  # its folder was made first (`folder`)
        self.done.append((staged, target, kept))
        return target

    def forget(self) -> None:
        """The moves are final: let the old files go."""
        for _, _, kept in self.done:
            if kept is not None:
                kept.unlink(missing_ok=True)
        self.done = []
        self.set_aside = []

    def undo(self) -> None:
        for staged, target, kept in reversed(self.done):
            with contextlib.suppress(OSError):
                os.replace(target, staged)
                if kept is not None:
                    os.replace(kept, target)
        self.done = []
        for aside in reversed(self.set_aside):  # back under its own name, as it was
            with contextlib.suppress(OSError):
                if not aside.original.exists():
                    os.rename(aside.kept, aside.original)
        self.set_aside = []
        for folder in self.folders:
            with contextlib.suppress(OSError):  # not empty: another run's documents are there
                folder.rmdir()


def _not_converted(
    result: Result, unconverted: list[_Pending], reasons: dict[Path, str]
) -> ConversionError:
    """LibreOffice failed for some of a file's documents: which, why, and that nothing of the
    file was made (not the file's fault: the same file is made once LibreOffice works)."""
    said = []
    for p in unconverted[:3]:
        m = result.made[p.made_index]
        label = f" ({m.label})" if m.label else ""
        reason = reasons.get(p.docx, "LibreOffice klarte ikke å lage PDF.")
        said.append(f"{m.kind} for {m.case}{label}: {reason}")
    more = f" (og {len(unconverted) - 3} til)" if len(unconverted) > 3 else ""
    return ConversionError(
        f"LibreOffice klarte ikke å lage PDF av {'; '.join(said)}{more} Ingenting fra "
        f"{result.source.name} ble laget. Prøv igjen; hjelper ikke det, lag dokumentene uten "
        "--pdf og lagre dem som PDF fra Word."
    )


def _worker_start(run: int) -> None:
    """In each worker process, first: stop when the run that started it is gone.

    A run stopped with kill -9 leaves its workers waiting on their queue for ever (the other
    workers hold it open, so it never ends). They check every second that their parent is
    still the run, and leave at once when it is not. A SIGTERM (systemd, a timeout) stops a
    worker outright; the run itself cleans up what was half done.
    """
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch() -> None:
        while os.getppid() == run:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="ipdocs-run-alive", daemon=True).start()


def _render_chunk(
    tasks: list[tuple[Document, str, str]], settings: Settings
) -> list[tuple[str, str]]:
    """Render and write a few documents into the staging folder (here, or in a worker
    process); only each file's name and SHA-256 go back. They reach the disk with the
    others before they are published (`staging.flush`)."""
    return [
        (
            os.path.basename(target),
            staging.write(target, render.render_document(doc, settings, ref=ref), FILE_MODE),
        )
        for doc, target, ref in tasks
    ]


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
