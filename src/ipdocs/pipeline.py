"""One input file through every stage, in order:

    read (YAML/JSON/xlsx/csv) → validate into the model → routine warnings → render (docxtpl)
      → calendar file (.ics) → [PDF] → publish atomically into outbox/<sak>/ → record in the ledger

The stages after validation belong to a `run.Run` (shared render workers, one LibreOffice for
all the PDFs of a run); without one, the file is a run of its own. `process_files` and
`process_batch` are the run policy of `ipdocs render`/`check` and `ipdocs batch`.

`process_file` is the only way documents are made; the CLI, the watcher and the batch command
call it and hold no document logic. Bad input never raises: it comes back as `Refused` entries
in the `Result`. Broken templates, a full disk or LibreOffice failing do raise (IpdocsError):
those are not the input's fault and the input must not be blamed for them. Nothing of such a
file reaches the outbox or the ledger, and the error says so (`Run.abandon`); in a shared run
with PDF on, `run.finish()` hands such a file back as a `Stopped` entry instead.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import stat
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import facts, readers, reference, render, rules
from .errors import (
    ConversionError,
    ExitCode,
    Fault,
    InputError,
    Notice,
    OutputError,
    Problem,
    ProgramFault,
    TemplateError,
    classify,
    outcome,
    redact,
)
from .kinds import DocumentKind
from .ledger import InputRow, Ledger
from .model import Consent, Document, Invitation, Minutes, Person, PowerOfAttorney
from .results import Made, Refused, Result, Stopped
from .run import Converter, Progress, Run, default_jobs
from .settings import Settings, bundled_templates
from .signed import names_itself, process_signed
from .stacks import route_stack
from .template_check import refuse_if_broken

__all__ = ["Made", "Refused", "Result", "process_file", "process_files", "process_batch"]


def process_file(
    path: Path,
    settings: Settings,
    *,
    write: bool = True,
    ledger: Ledger | None = None,
    run: Run | None = None,
    converter: Converter | None = None,
) -> Result:
    """Read, validate and (with `write`) make the documents of one input file.

    With a `run`, the run's stages make the documents and its ledger records them; with PDF
    on they wait for `run.finish()` (see run.py). Without a run, the file is a run of its own
    and the result returned is final.
    """
    path = Path(path)
    refusal = _not_a_plain_file(path)
    if refusal is not None:
        if run is not None:
            run.add_done(refusal)  # counted with the run's other results
        return refusal
    if path.suffix.lower() == ".pdf":  # a signed scan: checked and filed, not rendered
        if ledger is None and run is not None:
            ledger = run.ledger
        if names_itself(path):
            known = run.cases() if run is not None else frozenset()
            result = process_signed(path, settings, write=write, ledger=ledger, known_cases=known)
        else:  # a scanner's name: the QR codes on the pages say where each part goes
            result = route_stack(path, settings, write=write, ledger=ledger)
        if run is not None:
            run.add_done(result)  # counted with the run's other results
        return result
    if not write:
        return _documents(path, settings, ledger=ledger, run=None)
    if run is None:
        with Run(settings, ledger=ledger, converter=converter) as own:
            _documents(path, settings, ledger=ledger, run=own)
            return _final(own.finish())
    return _documents(path, settings, ledger=ledger, run=run)


def _not_a_plain_file(path: Path) -> Result | None:
    """A pipe, device, socket or folder named as an input is refused unread: opening a pipe
    would wait for ever. (The watcher moves such entries to feil/ before this.)"""
    try:
        mode = path.stat().st_mode
    except OSError:
        return None  # reading it says what is wrong, in the reader's words
    if stat.S_ISREG(mode):
        return None
    problem = Problem(
        "filen",
        "Dette er ikke en vanlig fil som kan leses (en mappe, en pipe eller en enhet).",
        "Lagre notatene som en vanlig fil, og bruk den.",
    )
    return Result(path, (), (Refused("", (problem,)),))


def _documents(path: Path, settings: Settings, *, ledger: Ledger | None, run: Run | None) -> Result:
    """Read and validate `path`; with a `run`, make its documents in the run's stages."""
    if ledger is None and run is not None:
        ledger = run.ledger
    digest = ""
    made: list[Made] = []
    refused: list[Refused] = []
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        outputs: dict[tuple[str, str], str] = {}  # (sak, file name) → the row that makes it
        said: dict[Notice, Notice] = {}
        # Rows are read and validated one at a time; each valid one starts rendering at once.
        for entry in readers.entries(
            path, today=settings.today, default_language=settings.language
        ):
            if entry.document is None:
                refused.append(Refused(entry.label, entry.problems, entry.case, entry.kind))
                continue
            doc = entry.document
            if isinstance(doc, Invitation) and ledger is not None:
                doc = _same_event(doc, ledger)
            output = (doc.case, render.output_name(doc))
            if output in outputs:
                refused.append(Refused(entry.label, (_same_output(outputs[output]),)))
                continue
            outputs[output] = entry.label
            warnings = entry.notices + tuple(rules.check(doc, today=settings.today))
            if ledger is not None and ledger.is_closed(doc.case):
                warnings += (
                    Notice(
                        f"Saken {doc.case} er avsluttet. Sjekk at dokumentet hører til riktig sak."
                    ),
                )
            # A batch says the same warning for many rows: one copy of it is kept for all.
            warnings = tuple(said.setdefault(w, w) for w in warnings)
            transfer = doc.covers_transfer if isinstance(doc, Consent) else None
            subject = doc.grantor if isinstance(doc, PowerOfAttorney) else _person(doc)
            ref = reference.new_id()
            target = None
            if run is not None:
                # A template that would fail `ipdocs templates check` makes nothing at all.
                refuse_if_broken(settings.template_path(doc.kind, doc.language))
                # Rendering starts in a worker while the next row is validated.
                target = run.begin(doc, ref=ref)
            made.append(
                Made(
                    entry.label,
                    doc.case,
                    doc.kind,
                    doc.document_date,
                    target,
                    warnings,
                    transfer,
                    person=subject.name,
                    ref=ref,
                    facts=facts.packed(doc, made_on=settings.today),
                )
            )
    except InputError as exc:
        result = Result(path, (), (Refused("", exc.problems),), digest)
    except OSError as exc:
        problem = Problem(
            "filen",
            f"Filen kan ikke leses ({exc.strerror}).",
            "Sjekk at den finnes og at du har tilgang.",
        )
        result = Result(path, (), (Refused("", (problem,)),))
    except BaseException as exc:  # a template, the disk: not the input's fault (see Run.abandon)
        if run is not None:
            raise run.abandon(path, exc) from None
        raise
    else:
        result = Result(path, tuple(made), tuple(refused), digest)
    if run is None:
        return result
    if not result.made:
        run.discard()  # a file refused whole: nothing it began is kept
    try:
        return run.publish(result)  # render → calendar → [PDF] → publish → ledger
    except BaseException as exc:
        raise run.abandon(path, exc) from None


def _same_event(doc: Invitation, ledger: Ledger) -> Invitation:
    """A moved, cancelled or re-sent meeting keeps the calendar event it was first made with
    (its UID), also when it was moved more than once: the ledger knows that first date."""
    first = ledger.calendar_date(doc.case, doc.moved_from or doc.meeting.date)
    if first is None or first == doc.meeting.date:
        return doc
    return dataclasses.replace(doc, calendar_date=first)


def _person(doc: Document) -> Person:
    """The person an invitation, minutes or consent is about."""
    assert isinstance(doc, Invitation | Minutes | Consent)
    return doc.person


def _final(finished: list[Result | Stopped]) -> Result:
    """The last file's result; a file that was stopped raises why (not the input's fault)."""
    last = finished[-1]
    if isinstance(last, Stopped):
        raise last.error
    return last


def _same_output(first: str) -> Problem:
    return Problem(
        "saken og datoen",
        f"Raden gjelder samme sak og samme dato som {first}, og ville blitt den samme filen.",
        "Slå dem sammen til én, eller rett saken eller datoen.",
    )


def input_files(paths: Iterable[Path]) -> list[Path]:
    """Files as given; a folder stands for the input files directly inside it."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.is_file() and readers.is_input(p))
        else:
            found.append(path)
    return found


@dataclass(frozen=True)
class Files:
    """What a run over many files came to."""

    results: tuple[Result, ...]
    stopped: tuple[Stopped, ...]  # files a template, LibreOffice or the disk kept from being made
    unchanged: tuple[Path, ...] = ()  # made before from these very bytes: not made again

    @property
    def made(self) -> int:
        return sum(len(r.made) for r in self.results)

    @property
    def refused(self) -> int:
        return sum(len(r.refused) for r in self.results)

    @property
    def exit_code(self) -> ExitCode:
        return outcome(refused=self.refused, stopped=len(self.stopped))


# Failures that stop one file, not the run: the files after it may not need the same template,
# may convert, may fit on the disk.
_STOPS_ONE_FILE = (TemplateError, ConversionError, OutputError)


def process_files(
    paths: Iterable[Path],
    settings: Settings,
    *,
    write: bool,
    on_result: Callable[[Result], None],
    on_stopped: Callable[[Stopped], None],
    on_unchanged: Callable[[Path, InputRow], None] | None = None,
    jobs: int | None = None,
    again: bool = False,
) -> Files:
    """`ipdocs render` and `ipdocs check`: many files in one run, each result handed to
    `on_result` as soon as it is final (with PDF on: after the run's one LibreOffice).

    Rendering records every input and document in the ledger (the archive bundle reads it);
    checking only reads it (closed cases, the consent a signed scan copies) and writes
    nothing. A broken template, LibreOffice failing, the disk, or a fault in ipdocs itself on
    one file stop only the file at hand (`on_stopped`; nothing of it is made): the other files
    go on, and the run ends `failed`. One bad file never stops the others.

    A file whose exact bytes were made into documents before, under the same name, and whose
    documents are all still there, is not made again (`on_unchanged`), unless `again`
    (`ipdocs render --på-nytt`).
    """
    stopped: list[Stopped] = []
    unchanged: list[Path] = []
    results: list[Result] = []

    def stop(entry: Stopped) -> None:
        on_stopped(entry)
        stopped.append(entry)

    with contextlib.ExitStack() as stack:
        ledger = Ledger.for_outbox(settings.outbox) if write else Ledger.existing(settings.outbox)
        if ledger is not None:
            stack.enter_context(ledger)
        # One run for all the files: with PDF on, one LibreOffice converts every document.
        run = (
            stack.enter_context(Run(settings, ledger=ledger, jobs=jobs or default_jobs()))
            if write
            else None
        )
        for path in paths:
            prior = None if again or not write else _made_before(path, ledger, settings)
            if prior is not None:
                if on_unchanged is not None:
                    on_unchanged(path, prior)
                unchanged.append(path)
                continue
            try:
                result = process_file(path, settings, write=write, ledger=ledger, run=run)
            except _STOPS_ONE_FILE as exc:
                stop(Stopped(path, exc))
                continue
            except Exception as exc:  # noqa: BLE001 - one file's fault, never the whole folder's
                # A fault in ipdocs itself, or too little memory, on this file: said for it, and
                # the files after it are still read. Anything else (the ledger) ends the run.
                if classify(exc).fault is not Fault.program and not isinstance(exc, MemoryError):
                    raise
                stop(Stopped(path, ProgramFault.on(path.name, exc)))
                continue
            if run is None or not settings.pdf:
                on_result(result)
                results.append(result)
        if run is not None and settings.pdf:
            for entry in run.finish():
                if isinstance(entry, Stopped):
                    stop(entry)
                else:
                    on_result(entry)
                    results.append(entry)
        elif run is not None:
            run.finish()  # nothing waits without PDF: only the staging folder goes
    return Files(tuple(results), tuple(stopped), tuple(unchanged))


def _made_before(path: Path, ledger: Ledger | None, settings: Settings) -> InputRow | None:
    """The earlier input these very bytes, under this name, were made from, when every
    document it made is still in the outbox with what this run would add beside it (a PDF
    with --pdf, an invitation's calendar file) and no template changed since; else None
    (then it is made)."""
    if ledger is None or not path.is_file():  # a pipe is refused unread (process_file)
        return None
    try:
        with path.open("rb") as f:
            digest = hashlib.file_digest(f, "sha256").hexdigest()
    except OSError:
        return None  # reading it again says what is wrong
    prior = ledger.done_before(digest)
    if prior is None or prior.name != redact(path.name) or not prior.outputs:
        return None
    return prior if all(_still_current(Path(p), settings) for p in prior.outputs) else None


def _still_current(document: Path, settings: Settings) -> bool:
    """The document is there, with the files this run's settings want beside it, and newer
    than every template (a template edited since means the documents would come out
    different)."""
    try:
        made = document.stat().st_mtime
    except OSError:
        return False
    wanted = [document.with_suffix(".pdf")] if settings.pdf else []
    if settings.ics and document.stem.endswith(f"_{DocumentKind.invitation}"):
        wanted.append(document.with_suffix(".ics"))
    if not all(p.is_file() for p in wanted):
        return False
    folders = {bundled_templates()} | ({settings.templates} if settings.templates else set())
    for folder in folders:
        with contextlib.suppress(OSError):
            if any(t.stat().st_mtime > made for t in folder.glob("*.docx")):
                return False
    return True


def process_batch(
    path: Path, settings: Settings, *, jobs: int | None = None, progress: Progress | None = None
) -> Result:
    """`ipdocs batch`: one workbook of many invitations, rendered by `jobs` workers. Raises
    what stopped it (a template, LibreOffice, the disk): then nothing of it was made."""
    with Ledger.for_outbox(settings.outbox) as ledger:
        with Run(settings, ledger=ledger, jobs=jobs or default_jobs(), progress=progress) as run:
            process_file(path, settings, ledger=ledger, run=run)
            return _final(run.finish())
