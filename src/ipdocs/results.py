"""What every stage passes along: the documents made (`Made`), the parts refused (`Refused`)
and one input's `Result`; an archive made (`Archive`) and a template checked
(`TemplateReport`). Stages and report.py import these; they never import the pipeline, the
archive or the template check that make them.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass
from pathlib import Path

from .errors import IpdocsError, Notice, Problem
from .kinds import DocumentKind


class Status(enum.StrEnum):
    """An input's outcome; the ledger stores its text (`ok`, `partial`, `refused`)."""

    ok = "ok"
    partial = "partial"
    refused = "refused"


@dataclass(frozen=True, slots=True)
class Made:
    """A document that was made (or, when checking, that would be made)."""

    label: str  # "" or "rad 7"
    case: str
    kind: DocumentKind
    date: dt.date
    path: Path | None  # None when only checked
    warnings: tuple[Notice, ...]
    covers_transfer: bool | None = None  # consent only: also covers moving municipality
    extras: tuple[Path, ...] = ()  # the .pdf and .ics made beside the .docx
    person: str = ""  # the name of the person the document is about (the archive cover shows it)
    ref: str = ""  # the document id its QR code carries (reference.py); the ledger keeps it
    # The plan facts the ledger keeps, packed (facts.pack; facts.unpack reads them): a batch
    # holds thousands of them until they are recorded.
    facts: bytes | None = None


@dataclass(frozen=True)
class Refused:
    label: str
    problems: tuple[Problem, ...]
    case: str = ""  # the case and document the refused input names, when it names sound ones
    kind: str = ""


@dataclass(frozen=True)
class Result:
    source: Path
    made: tuple[Made, ...]
    refused: tuple[Refused, ...]
    sha256: str = ""  # of the input's bytes
    split: Split | None = None  # a scanned stack routed by its codes: how it was divided

    @property
    def status(self) -> Status:
        if not self.refused:
            return Status.ok
        return Status.partial if self.made else Status.refused

    @property
    def documents(self) -> tuple[Path, ...]:
        return tuple(m.path for m in self.made if m.path is not None)

    @property
    def warnings(self) -> tuple[Notice, ...]:
        return tuple(w for m in self.made for w in m.warnings)

    @property
    def problems(self) -> tuple[Problem, ...]:
        return tuple(p for r in self.refused for p in r.problems)


@dataclass(frozen=True)
class Stopped:
    """An input that could not be finished, and not through its own fault (LibreOffice, the
    disk): nothing of it is in the outbox or the ledger, and `error` says why."""

    source: Path
    error: IpdocsError


@dataclass(frozen=True)
class Leftover:
    """Pages of a scanned stack that could not be filed: their own PDF, for feil/."""

    label: str  # "side 4–5"
    suffix: str  # "_side_4-5": added to the stack's name for the file in feil/
    data: bytes
    problem: Problem


@dataclass(frozen=True)
class Split:
    """How a stack was divided (stacks.py): with `Result.made` the note beside it."""

    pages: int
    leftovers: tuple[Leftover, ...]


@dataclass(frozen=True)
class Archive:
    """An archive bundle made by `archive.make_archive`."""

    path: Path
    manifest: Path
    documents: int
    pages: int  # every page, the cover and index included
    sha256: str
    closed: bool  # the case was marked closed
    document_pages: int = 0  # the documents' own pages, as the cover counts them
    warnings: tuple[str, ...] = ()
    kept: Path | None = None  # an archive of the same case, reason and day, left as it was


@dataclass(frozen=True)
class TemplateReport:
    """One Word template checked by `template_check.check_folder`."""

    path: Path
    problems: tuple[str, ...]
