"""One input file through every stage, in order:

    read (YAML/JSON/xlsx) → validate into the model → routine warnings → render (docxtpl)
      → publish atomically into outbox/<sak>/ → record in the ledger

`process_file` is the only way documents are made; the CLI, the watcher and the batch command
call it and hold no document logic. Bad input never raises: it comes back as `Refused` entries
in the `Result`. Broken templates, a full disk or LibreOffice failing do raise (IpdocsError):
those are not the input's fault and the input must not be blamed for them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from . import readers, render, rules
from .errors import InputError, Notice, Problem
from .model import Consent
from .publish import case_folder, publish
from .settings import Settings


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
    path: Path, settings: Settings, *, write: bool = True, ledger: Ledger | None = None
) -> Result:
    path = Path(path)
    if path.suffix.lower() == ".pdf":  # a signed scan: checked and filed, not rendered
        from .signed import process_signed

        return process_signed(path, settings, write=write, ledger=ledger)
    digest = ""
    try:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        entries = readers.read(path, today=settings.today, default_language=settings.language)
    except InputError as exc:
        result = Result(path, (), (Refused("", exc.problems),), digest)
    except OSError as exc:
        problem = Problem(
            "filen",
            f"Filen kan ikke leses ({exc.strerror}).",
            "Sjekk at den finnes og at du har tilgang.",
        )
        result = Result(path, (), (Refused("", (problem,)),))
    else:
        made, refused = [], []
        for entry in entries:
            if entry.document is None:
                refused.append(Refused(entry.label, entry.problems))
                continue
            doc = entry.document
            warnings = entry.notices + tuple(rules.check(doc, today=settings.today))
            if ledger is not None and ledger.is_closed(doc.case):
                warnings += (
                    Notice(
                        f"Saken {doc.case} er avsluttet. Sjekk at dokumentet hører til riktig sak."
                    ),
                )
            target = None
            if write:
                data = render.render_document(doc, settings)
                target = publish(
                    data, case_folder(settings.outbox, doc.case) / render.output_name(doc)
                )
            transfer = doc.covers_transfer if isinstance(doc, Consent) else None
            made.append(
                Made(entry.label, doc.case, doc.kind, doc.document_date, target, warnings, transfer)
            )
        result = Result(path, tuple(made), tuple(refused), digest)
    if ledger is not None and write:
        ledger.record(result)
    return result
