"""Signed scans (FORMATS.md §3): check a PDF and file it to its case.

    name or folder → case and document kind → open with pikepdf (not encrypted, not damaged,
      has pages) → document date and consent scope from the ledger → copy atomically to
      outbox/<sak>/signert/ → record in the ledger as a signed document

A scan is named `<sak>_<dokument>[_noe].pdf` (`IP-2026-0042_samtykke_signert.pdf`) or lies in
`signert/<sak>/` with the document named somewhere in its name (`samtykke.pdf`). The pipeline
sends every `.pdf` input here, so `ipdocs render` and the watcher file a scan the same way.

The document date is, in order: a date written in the file name (the footer reference a
coordinator names the scan after carries one); else the date of the newest document of that
case and kind ipdocs made (the scan is normally its signed copy); else the day the file was
last changed (when it was scanned). A signed consent takes `covers_transfer` (whether it also
covers moving municipality) from the rendered consent it is a copy of: the one with the same
date, else the newest of the case.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from . import casekey, pdfcheck
from .errors import InputError, IpdocsError, Notice, Problem
from .kinds import KINDS, DocumentKind
from .ledger import DocumentRow, Ledger
from .publish import case_folder, output_errors, publish
from .readers.values import parse_date
from .results import Made, Refused, Result
from .settings import Settings

SIGNED_FOLDER = "signert"
SUFFIX = ".pdf"

_DATE_IN_NAME = re.compile(r"(?<!\d)(\d{4}-\d{1,2}-\d{1,2}|\d{1,2}\.\d{1,2}\.\d{4})(?!\d)")
_EXAMPLE = "IP-2026-0042_samtykke_signert.pdf"


@dataclass(frozen=True)
class Identity:
    """What a scan's name and folder say it is."""

    case: str
    kind: DocumentKind
    named_date: dt.date | None  # a date written in the file name


def process_signed(
    path: Path,
    settings: Settings,
    *,
    write: bool = True,
    ledger: Ledger | None = None,
    known_cases: frozenset[str] = frozenset(),
) -> Result:
    """Check a signed scan and (when writing) file it; bad scans come back refused.

    `known_cases` are cases the same run is making documents for (not yet in the outbox when
    they wait for their PDF)."""
    path = Path(path)
    digest = ""
    try:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        identity = identify(path)
        check_pdf(path)
    except InputError as exc:
        return refused(path, exc.problems, digest, ledger=ledger, write=write)
    except OSError as exc:
        return unreadable(path, exc)

    if ledger is not None:
        # Scanners and people type names in lower case; the scan belongs to the case as it is
        # spelled, not to a second case (which on a Windows share would be the same folder).
        identity = dataclasses.replace(identity, case=ledger.case_spelled(identity.case))
    documents = ledger.documents(identity.case) if ledger is not None else []
    known = identity.case.casefold() in {c.casefold() for c in known_cases}
    if not documents and not known and not case_folder(settings.outbox, identity.case).is_dir():
        # A typo in the case key (IP-2026-0999 for IP-2026-0042) would otherwise make a case
        # of its own, and the consent would be missing from the right one.
        result = Result(path, (), (Refused("", (_unknown_case(identity, settings),)),), digest)
        if ledger is not None and write:
            ledger.record(result)
        return result
    date, notices = _document_date(identity, documents, path)
    transfer = None
    if identity.kind == DocumentKind.consent:
        transfer, more = _covers_transfer(date, documents)
        notices += more
    made = file_copy(
        data,
        digest,
        identity,
        date,
        settings,
        write=write,
        ledger=ledger,
        name=path.name,
        covers_transfer=transfer,
        notices=notices,
    )
    return Result(path, (made,), (), digest)


def file_copy(
    data: bytes,
    digest: str,
    identity: Identity,
    date: dt.date,
    settings: Settings,
    *,
    write: bool,
    ledger: Ledger | None,
    name: str,
    label: str = "",
    covers_transfer: bool | None = None,
    copy_of: str | None = None,
    notices: tuple[Notice, ...] = (),
) -> Made:
    """File one signed copy to outbox/<sak>/signert/ and record it (when writing); the same
    for a scan named after its case and for each part of a stack routed by its codes."""
    if ledger is not None and ledger.is_closed(identity.case):
        notices += (
            Notice(
                f"Saken {identity.case} er avsluttet. Sjekk at dokumentet hører til riktig sak."
            ),
        )
    target = None
    if write:
        with output_errors(settings.outbox):
            folder = case_folder(settings.outbox, identity.case)
            target, new = _file(data, digest, folder, identity, date)
        if ledger is not None:
            try:
                ledger.add_signed(
                    identity.case,
                    identity.kind,
                    date,
                    target,
                    digest,
                    name=name,
                    covers_transfer=covers_transfer,
                    copy_of=copy_of,
                )
            except BaseException:
                if new:  # not recorded: not filed either (the ledger and the outbox agree)
                    target.unlink(missing_ok=True)
                raise
    return Made(
        label=label,
        case=identity.case,
        kind=identity.kind,
        date=date,
        path=target,
        warnings=notices,
        covers_transfer=covers_transfer,
    )


def refused(
    path: Path,
    problems: Iterable[Problem],
    digest: str,
    *,
    ledger: Ledger | None,
    write: bool,
) -> Result:
    """A PDF refused whole, recorded (when writing) so `ipdocs status` lists it."""
    result = Result(path, (), (Refused("", tuple(problems)),), digest)
    if ledger is not None and write:
        ledger.record(result)
    return result


def unreadable(path: Path, exc: OSError) -> Result:
    problem = Problem(
        "filen",
        f"Filen kan ikke leses ({exc.strerror}).",
        "Sjekk at den finnes og at du har tilgang.",
    )
    return Result(path, (), (Refused("", (problem,)),))


def names_itself(path: Path) -> bool:
    """Does the name (or the signert/<sak>/ folder) say the case and document? Else the
    pages' codes must (stacks.py)."""
    path = Path(unicodedata.normalize("NFC", str(path)))
    return path.parent.parent.name.lower() == SIGNED_FOLDER or _parse_name(path.stem) is not None


def unnamed() -> Problem:
    """A PDF whose name says nothing and whose pages carry no code ipdocs can read."""
    return Problem(
        "filnavnet",
        "ipdocs skjønner ikke hvilken sak og hvilket dokument denne PDF-en er.",
        f"Gi filen navnet <sak>_<dokument>.pdf, for eksempel «{_EXAMPLE}», eller "
        f"legg den i mappen {SIGNED_FOLDER}/<sak>/.",
    )


def _unknown_case(identity: Identity, settings: Settings) -> Problem:
    return Problem(
        "filnavnet",
        f"Ukjent sak «{identity.case}»: saken finnes ikke i outbox ({settings.outbox}). Sjekk "
        "saksnummeret i filnavnet.",
        f"Rett saksnummeret i filnavnet, for eksempel «{_EXAMPLE}», og legg filen i innboksen "
        "igjen. Er saken ny, lag dokumentene for den med ipdocs først.",
    )


def identify(path: Path) -> Identity:
    """The case and document kind from `<sak>_<dokument>[_noe].pdf` or `signert/<sak>/…`."""
    # Only read, never opened: a Mac writes å as a + ring, which the case key check folds first.
    path = Path(unicodedata.normalize("NFC", str(path)))
    stem = path.stem
    named_date = _named_date(stem)
    if path.parent.parent.name.lower() == SIGNED_FOLDER:
        folder_case = path.parent.name
        _check_case(folder_case, where=f"mappen «{SIGNED_FOLDER}/{folder_case}»")
        kind = _kind_anywhere(stem)
        if kind is None:
            raise InputError(
                [
                    Problem(
                        "filnavnet",
                        "Navnet sier ikke hvilket dokument som er signert.",
                        "Skriv innkalling, referat, samtykke eller fullmakt i filnavnet, "
                        "for eksempel «samtykke_signert.pdf».",
                    )
                ]
            )
        named = _parse_name(stem)
        if named is not None and named[0] != folder_case:
            raise InputError(
                [
                    Problem(
                        "filnavnet",
                        f"Filen ligger i mappen for saken {folder_case}, men navnet sier "
                        f"saken {named[0]}.",
                        "Legg filen i mappen for riktig sak, eller rett navnet.",
                    )
                ]
            )
        return Identity(folder_case, kind, named_date)
    named = _parse_name(stem)
    if named is None:
        raise InputError([unnamed()])
    case, kind = named
    _check_case(case, where="saken i filnavnet")
    return Identity(case, kind, named_date)


def check_pdf(path: Path) -> None:
    """Refuse a PDF that cannot be archived as it is: unreadable, damaged, locked or empty,
    or carrying JavaScript or attached files (a scan has neither)."""
    with pdfcheck.open_checked(path) as pdf:
        carried = pdfcheck.active_content(pdf)
    if carried:
        raise InputError(
            [
                Problem(
                    "filen",
                    f"PDF-filen inneholder {' og '.join(carried)}. En skannet signatur har ikke "
                    "det, og slikt arkiveres ikke i saken.",
                    "Skann det signerte dokumentet på nytt, eller skriv det ut til en ny PDF "
                    "(Skriv ut → Microsoft Print to PDF) og legg den i innboksen.",
                )
            ]
        )


def _parse_name(stem: str) -> tuple[str, DocumentKind] | None:
    """`<sak>_<dokument>[_noe]`: the case is everything before the first document word."""
    parts = stem.split("_")
    for i, part in enumerate(parts[1:], start=1):
        if part.lower() in KINDS:
            return "_".join(parts[:i]), DocumentKind(part.lower())
    return None


def _kind_anywhere(stem: str) -> DocumentKind | None:
    for word in re.split(r"[_\-\s.]+", stem.lower()):
        if word in KINDS:
            return DocumentKind(word)
    return None


def _named_date(stem: str) -> dt.date | None:
    for match in _DATE_IN_NAME.finditer(stem):
        try:
            return parse_date(match.group(1))
        except ValueError:
            continue
    return None


def _check_case(case: str, *, where: str) -> None:
    wrong = casekey.problem(case, where=where)
    if wrong is not None:
        raise InputError([wrong])


def _rendered(documents: list[DocumentRow], kind: DocumentKind) -> list[DocumentRow]:
    return [d for d in documents if d.origin == "rendered" and d.kind == kind]


def _document_date(
    identity: Identity, documents: list[DocumentRow], path: Path
) -> tuple[dt.date, tuple[Notice, ...]]:
    if identity.named_date is not None:
        return identity.named_date, ()
    rendered = _rendered(documents, identity.kind)
    if rendered:
        return max(d.date for d in rendered), ()
    scanned = dt.date.fromtimestamp(path.stat().st_mtime)
    return scanned, (
        Notice(
            f"Fant ingen {identity.kind} for {identity.case} laget av ipdocs, så dokumentet "
            f"er datert {scanned.strftime('%d.%m.%Y')} (da filen ble lagret). Skriv datoen i "
            "filnavnet hvis den er en annen, for eksempel "
            f"«{identity.case}_{identity.kind}_03.12.2026.pdf»."
        ),
    )


def _covers_transfer(
    date: dt.date, documents: list[DocumentRow]
) -> tuple[bool | None, tuple[Notice, ...]]:
    consents = _rendered(documents, DocumentKind.consent)
    same_day = [d for d in consents if d.date == date]
    if not consents:
        return None, (
            Notice(
                "Fant ikke samtykket dette er en signert kopi av, så ipdocs vet ikke om det "
                "også gjelder overføring ved flytting. Lag samtykket med ipdocs først, eller "
                "sjekk det før saken arkiveres."
            ),
        )
    return (same_day or consents)[-1].covers_transfer, ()


def _file(
    data: bytes, digest: str, folder: Path, identity: Identity, date: dt.date
) -> tuple[Path, bool]:
    """Copy into outbox/<sak>/signert/ under a name no other scan holds; the same bytes filed
    again (a restarted run) land on the same name. Whether the file is new there."""
    base = f"{date.isoformat()}_{identity.kind}_signert"
    for n in range(1, 1000):
        target = folder / SIGNED_FOLDER / (f"{base}{SUFFIX}" if n == 1 else f"{base}_{n}{SUFFIX}")
        if target.is_file() and hashlib.sha256(target.read_bytes()).hexdigest() == digest:
            return target, False
        try:
            return publish(data, target, exclusive=True), True
        except FileExistsError:
            continue
    raise IpdocsError(f"Saken {identity.case} har for mange signerte kopier av {base}.pdf.")
