"""What the documents of one run share: rendering workers, the PDF stage, the ledger.

A run is one command (`ipdocs render`, `ipdocs batch`), or a stretch of the watcher's work.
`pipeline.process_file(path, settings, run=run)` hands each file's validated documents here
for the stages after validation:

    render (prepared templates; `jobs` processes) → calendar file → [PDF] → publish → ledger

Without PDF nothing waits: each file's documents are published and its result recorded before
`process_file` returns. With PDF, a LibreOffice start costs a second, so the documents of the
whole run wait in a staging folder beside the outbox until `finish()`, which converts all of
them with one LibreOffice process per job, publishes the .docx, .pdf and .ics of every document
that converted, refuses the ones that did not (that document only, reported like any other
problem, and nothing of it is published), records every result in the ledger and returns the
final results. The watcher can keep one Run for a burst of files and call `finish()` when the
inbox is quiet; `process_file` without a run makes a run of that one file.

Memory stays flat as a batch grows: each document is rendered as soon as its row is valid (here,
or a few at a time in a worker while the next rows are read), written, and only its paths kept.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import multiprocessing
import os
import shutil
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import ics, render
from ._exec import soffice
from .errors import Problem
from .model import Document, Invitation
from .publish import case_folder, publish, publish_file
from .settings import Settings

# Progress: (stage, done, total); stage is "render" or "pdf"; total is None while rows are
# still being read.
Progress = Callable[[str, int, int | None], None]
Converter = Callable[..., tuple[dict[Path, Path], dict[Path, str]]]
_CHUNK = 8  # documents per task sent to a worker process


@dataclass
class _Pending:
    """A document rendered into the staging folder, waiting for its PDF."""

    made_index: int
    docx: Path  # the staged .docx
    calendar: Path | None  # the staged .ics
    target: Path  # where the .docx goes in the outbox


@dataclass(frozen=True)
class _Begun:
    """A document on its way: where its files are written and where they end up."""

    docx: Path  # the .docx as written: in the outbox, or in the staging folder (PDF)
    target: Path  # its place in the outbox
    calendar: Path | None  # the .ics as written (beside `docx`)


@dataclass
class _Entry:
    result: object  # pipeline.Result
    pending: list[_Pending] = field(default_factory=list)


class Run:
    """One run's shared stages; use as a context manager, and call `finish()` at the end."""

    def __init__(
        self,
        settings: Settings,
        *,
        ledger=None,
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
        self._queued: list[tuple[Document, Path]] = []  # waiting to fill a chunk
        self._in_flight: set[cf.Future] = set()
        self._folders: dict[str, Path] = {}
        if settings.pdf and converter is None:
            soffice.find_soffice()  # no LibreOffice: say so before any document is made

    def __enter__(self) -> Run:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None

    # --- the stages after validation ---------------------------------------------------

    def begin(self, document: Document) -> None:
        """Start making `document` now: here with one job, else in a worker while the caller
        validates the next row. Only its paths are kept, so memory stays flat as a batch grows.
        """
        target = self._case_folder(document.case) / render.output_name(document)
        docx = target
        if self.settings.pdf:  # staged until finish(): a failed PDF leaves nothing in the outbox
            self._staged += 1
            docx = self._staging_folder() / f"{self._staged:06d}.docx"
        calendar = None
        if self._wants_calendar(document):
            calendar = docx.with_suffix(".ics")
            publish(self._calendar_bytes(document, target.with_suffix(".ics")), calendar)
        self._begun.append(_Begun(docx, target, calendar))
        if self.jobs == 1:
            _render_one(document, docx, self.settings)
            self._report("render", len(self._begun), None)
            return
        self._queued.append((document, docx))
        if len(self._queued) >= _CHUNK:
            self._submit()

    def publish(self, result):
        """Finish the documents begun for one file's result (its `made`, in order)."""
        begun, self._begun = self._begun, []
        while self._queued:
            self._submit()
        for future in cf.as_completed(self._in_flight):
            future.result()  # a template error in a worker is raised here
        self._in_flight = set()
        self._report("render", len(begun), len(begun))
        made = list(result.made)
        for index, b in enumerate(begun):
            made[index] = dataclasses.replace(made[index], path=b.target)
        if not self.settings.pdf:
            for index, b in enumerate(begun):
                if b.calendar is not None:
                    made[index] = dataclasses.replace(made[index], extras=(b.calendar,))
            result = dataclasses.replace(result, made=tuple(made))
            if self.ledger is not None:
                self.ledger.record(result)
            self._entries.append(_Entry(result))
            return result
        entry = _Entry(dataclasses.replace(result, made=tuple(made)))
        for index, b in enumerate(begun):
            entry.pending.append(_Pending(index, b.docx, b.calendar, b.target))
        self._entries.append(entry)
        return entry.result

    def add_done(self, result) -> None:
        """A result finished without these stages (a signed scan, filed and recorded)."""
        self._entries.append(_Entry(result))

    def discard(self) -> None:
        """Forget the documents begun for the current file (it was refused whole)."""
        begun, self._begun = self._begun, []
        self._queued = []
        cf.wait(self._in_flight)
        self._in_flight = set()
        for b in begun:
            for path in (b.docx, b.calendar):
                if path is not None:
                    path.unlink(missing_ok=True)

    def finish(self) -> list:
        """Convert what waits for PDF, publish, record; the final result of every file."""
        from .pipeline import Refused

        waiting = [p for e in self._entries for p in e.pending]
        made_pdf, failed = self._convert([p.docx for p in waiting]) if waiting else ({}, {})
        results = []
        for entry in self._entries:
            if not entry.pending:
                results.append(entry.result)
                continue
            result = entry.result
            made, refused = list(result.made), list(result.refused)
            keep = [True] * len(made)
            for p in entry.pending:
                m = made[p.made_index]
                if p.docx in made_pdf:
                    publish_file(p.docx, p.target)
                    extras = [publish_file(made_pdf[p.docx], p.target.with_suffix(".pdf"))]
                    if p.calendar is not None:
                        extras.append(publish_file(p.calendar, p.target.with_suffix(".ics")))
                    made[p.made_index] = dataclasses.replace(m, extras=tuple(extras))
                else:
                    keep[p.made_index] = False
                    reason = failed.get(p.docx, "LibreOffice klarte ikke å lage PDF.")
                    refused.append(Refused(m.label, (_pdf_problem(m, reason),)))
            result = dataclasses.replace(
                result,
                made=tuple(m for m, k in zip(made, keep, strict=True) if k),
                refused=tuple(refused),
            )
            if self.ledger is not None:
                self.ledger.record(result)
            results.append(result)
        self._entries = []
        if self._staging is not None:
            shutil.rmtree(self._staging, ignore_errors=True)
            self._staging = None
        return results

    # --- rendering ------------------------------------------------------------------------

    def _submit(self) -> None:
        """Send the queued documents to a worker, waiting first if enough are in flight."""
        chunk, self._queued = self._queued[:_CHUNK], self._queued[_CHUNK:]
        pool = self._workers({(d.kind, d.language) for d, _ in chunk})
        # A bounded number of chunks in flight: memory does not grow with the batch.
        while len(self._in_flight) >= self.jobs * 2:
            finished, self._in_flight = cf.wait(self._in_flight, return_when=cf.FIRST_COMPLETED)
            for future in finished:
                future.result()
        self._in_flight.add(pool.submit(_render_chunk, chunk, self.settings))

    def _workers(self, templates: set[tuple[str, str]]) -> cf.ProcessPoolExecutor:
        if self._pool is None:
            # Prepare the templates before the workers start: forked workers inherit them,
            # and a broken template is reported once, here.
            for kind, language in templates:
                render.load_template(self.settings.template_path(kind, language)).prepare()
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
            self._pool = cf.ProcessPoolExecutor(max_workers=self.jobs, mp_context=context)
        return self._pool

    # --- calendar and PDF -----------------------------------------------------------------

    def _wants_calendar(self, doc: Document) -> bool:
        return self.settings.ics and isinstance(doc, Invitation)

    def _calendar_bytes(self, doc: Invitation, target: Path) -> bytes:
        previous = target.read_bytes() if target.is_file() else None
        return ics.calendar_file(doc, self.settings, previous=previous)

    def _case_folder(self, case: str) -> Path:
        # Resolving the outbox is a system call per path part: once per case is enough.
        folder = self._folders.get(case)
        if folder is None:
            folder = self._folders[case] = case_folder(self.settings.outbox, case)
        return folder

    def _staging_folder(self) -> Path:
        if self._staging is None:
            root = self.settings.outbox / ".ipdocs"
            root.mkdir(parents=True, exist_ok=True)
            # Beside the outbox, on the same disk: publishing is then a rename.
            self._staging = Path(tempfile.mkdtemp(prefix="staging-", dir=root))
        return self._staging

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


def _pdf_problem(made, reason: str) -> Problem:
    where = made.label or "dokumentet"
    return Problem(
        where,
        f"PDF-en av {made.kind} for {made.case} kunne ikke lages. {reason}",
        "Ingenting ble lagt i outbox for dette dokumentet. Prøv igjen; hjelper ikke det, "
        "lag dokumentet uten --pdf og lagre det som PDF fra Word.",
    )


def _render_one(doc: Document, target: Path, settings: Settings) -> None:
    publish(render.render_document(doc, settings), target)


def _render_chunk(tasks: list[tuple[Document, Path]], settings: Settings) -> int:
    """In a worker process: render and write a few documents; only a count goes back.

    Each document is written and flushed to disk (fsync) by a thread while the next one
    renders: a flush waits on the disk, not the processor, and doing it inline left the
    two cores idle about a quarter of the time with two jobs (bench/batch.py, cores busy).
    """
    with cf.ThreadPoolExecutor(max_workers=1) as disk:
        writes = [
            disk.submit(publish, render.render_document(doc, settings), target)
            for doc, target in tasks
        ]
        for write in writes:
            write.result()
    return len(tasks)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
