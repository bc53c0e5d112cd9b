"""One input file through every stage, in order:

    read (YAML/JSON/xlsx/csv) → validate into the model → routine warnings → render (docxtpl)
      → calendar file (.ics) → [PDF] → publish atomically into outbox/<sak>/ → record in the ledger

The stages after validation belong to a `run.Run` (shared render workers, one LibreOffice for
all the PDFs of a run); without one, the file is a run of its own.

`process_file` is the only way documents are made; the CLI, the watcher and the batch command
call it and hold no document logic. Bad input never raises: it comes back as `Refused` entries
in the `Result`. Broken templates, a full disk or LibreOffice failing do raise (IpdocsError):
those are not the input's fault and the input must not be blamed for them. Nothing of such a
file reaches the outbox or the ledger, and the error says so (`Run.abandon`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from . import readers, render, rules
from .errors import InputError, Notice, Problem
from .model import Consent, PowerOfAttorney
from .settings import Settings

if TYPE_CHECKING:
    from .run import Run


@dataclass(frozen=True)
class Made:
    """A document that was made (or, when checking, that would be made)."""

    label: str  # "" or "rad 7"
    case: str
    kind: str
    date: dt.date
    path: Path | None  # None when only checked
    warnings: tuple[Notice, ...]
    covers_transfer: bool | None = None  # consent only: also covers moving municipality
    extras: tuple[Path, ...] = ()  # the .pdf and .ics made beside the .docx
    person: str = ""  # the name of the person the document is about (the archive cover shows it)


@dataclass(frozen=True)
class Refused:
    label: str
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Result:
    source: Path
    made: tuple[Made, ...]
    refused: tuple[Refused, ...]
    sha256: str = ""  # of the input's bytes

    @property
    def status(self) -> str:
        if not self.refused:
            return "ok"
        return "partial" if self.made else "refused"

    @property
    def documents(self) -> tuple[Path, ...]:
        return tuple(m.path for m in self.made if m.path is not None)

    @property
    def warnings(self) -> tuple[Notice, ...]:
        return tuple(w for m in self.made for w in m.warnings)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(p for r in self.refused for p in r.problems)


class Ledger(Protocol):
    def record(self, result: Result) -> None: ...

    def is_closed(self, case: str) -> bool: ...


def process_file(
    path: Path,
    settings: Settings,
    *,
    write: bool = True,
    ledger: Ledger | None = None,
    run: Run | None = None,
) -> Result:
    """Read, validate and (with `write`) make the documents of one input file.

    With a `run`, the run's stages make the documents and its ledger records them; with PDF
    on they wait for `run.finish()` (see run.py). Without a run, the file is a run of its own
    and the result returned is final.
    """
    path = Path(path)
    if path.suffix.lower() == ".pdf":  # a signed scan: checked and filed, not rendered
        from .signed import process_signed

        if ledger is None and run is not None:
            ledger = run.ledger
        result = process_signed(path, settings, write=write, ledger=ledger)
        if run is not None:
            run.add_done(result)  # counted with the run's other results
        return result
    if write and run is None:
        from .run import Run

        with Run(settings, ledger=ledger) as own:
            process_file(path, settings, ledger=ledger, run=own)
            return own.finish()[-1]
    digest = ""
    made: list[Made] = []
    refused: list[Refused] = []
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        outputs: dict[tuple[str, str], str] = {}  # (sak, file name) → the row that makes it
        # Rows are read and validated one at a time; each valid one starts rendering at once.
        for entry in readers.entries(
            path, today=settings.today, default_language=settings.language
        ):
            if entry.document is None:
                refused.append(Refused(entry.label, entry.problems))
                continue
            doc = entry.document
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
            transfer = doc.covers_transfer if isinstance(doc, Consent) else None
            subject = doc.grantor if isinstance(doc, PowerOfAttorney) else doc.person
            made.append(
                Made(
                    entry.label,
                    doc.case,
                    doc.kind,
                    doc.document_date,
                    None,
                    warnings,
                    transfer,
                    person=subject.name,
                )
            )
            if write:
                run.begin(doc)  # rendering starts in a worker while the next row is validated
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
        if write:
            raise run.abandon(path, exc) from None
        raise
    else:
        result = Result(path, tuple(made), tuple(refused), digest)
    if write and not result.made:
        run.discard()  # a file refused whole: nothing it began is kept
    if not write:
        return result
    try:
        return run.publish(result)  # render → calendar → [PDF] → publish → ledger
    except BaseException as exc:
        raise run.abandon(path, exc) from None


def _same_output(first: str) -> Problem:
    return Problem(
        "saken og datoen",
        f"Raden gjelder samme sak og samme dato som {first}, og ville blitt den samme filen.",
        "Slå dem sammen til én, eller rett saken eller datoen.",
    )
