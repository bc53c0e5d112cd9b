"""Input files → validated documents, one reader module per input kind.

`read(path)` returns one `Entry` per document the file asks for (a batch workbook holds many);
an entry carries either the document or the problems that refused it. A file that cannot be
read at all raises `InputError`.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Notice, Problem

__all__ = ["Entry", "InputError", "entries", "read", "SUFFIXES"]
from ..model import Document
from .fields import Source
from .mapping import build_document

NOTE_SUFFIXES = (".yaml", ".yml", ".json")
WORKBOOK_SUFFIXES = (".xlsx",)
CSV_SUFFIXES = (".csv",)
SIGNED_SUFFIXES = (".pdf",)  # signed scans: the pipeline files them (signed.py), never read here
SUFFIXES = NOTE_SUFFIXES + WORKBOOK_SUFFIXES + CSV_SUFFIXES + SIGNED_SUFFIXES


@dataclass(frozen=True)
class Entry:
    label: str  # "" for a file with one document; "rad 7" for a batch row
    document: Document | None
    problems: tuple[Problem, ...] = ()
    notices: tuple[Notice, ...] = ()
    # A refused entry's case and document as written, when they are sound (`ipdocs status`
    # counts a later document for the same case and kind as the fix).
    case: str = ""
    kind: str = ""


def read(path: Path, *, today: dt.date, default_language: str = "nb") -> list[Entry]:
    return list(entries(path, today=today, default_language=default_language))


def entries(path: Path, *, today: dt.date, default_language: str = "nb") -> Iterator[Entry]:
    """Like `read`, one entry at a time: a batch's rows are read and validated as they are
    asked for, so the pipeline can render one row while it reads the next."""
    suffix = path.suffix.lower()
    if suffix in NOTE_SUFFIXES:
        from .notes import read_notes

        raw, source = read_notes(path), Source(style="json" if suffix == ".json" else "yaml")
    elif suffix in WORKBOOK_SUFFIXES:
        yield from _read_workbook(path, today=today, default_language=default_language)
        return
    elif suffix in CSV_SUFFIXES:
        from .batch import read_batch_csv

        yield from _batch_entries(
            read_batch_csv(path), today=today, default_language=default_language
        )
        return
    else:
        raise InputError(
            [
                Problem(
                    "filen",
                    f"ipdocs kan ikke lese filer av typen «{suffix or 'uten endelse'}».",
                    "Bruk .yaml, .yml, .json, .xlsx (Excel) eller .csv.",
                )
            ]
        )
    yield _entry("", raw, source, today=today, default_language=default_language)


def _entry(
    label: str,
    raw: object,
    source: Source,
    *,
    today: dt.date,
    default_language: str,
    notices: tuple[Notice, ...] = (),
) -> Entry:
    document, problems, found = build_document(
        raw, source, today=today, default_language=default_language
    )
    case, kind = ("", "") if document is not None else _named(raw)
    return Entry(label, document, tuple(problems), notices + tuple(found), case, kind)


def _named(raw: object) -> tuple[str, str]:
    """The `sak` and `dokument` a refused input names, each only when it could be one."""
    import unicodedata

    from .. import casekey
    from ..kinds import KINDS
    from .fields import normalise_key

    if not isinstance(raw, dict):
        return "", ""
    values = {normalise_key(k): v for k, v in raw.items() if isinstance(k, str)}
    case = values.get("sak")
    kind = values.get("dokument")
    case = unicodedata.normalize("NFC", case.strip()) if isinstance(case, str) else ""
    kind = kind.strip().casefold() if isinstance(kind, str) else ""
    if not case or casekey.problem(case, where="sak") is not None:
        case = ""
    return case, kind if kind in KINDS else ""


def _batch_entries(rows, *, today: dt.date, default_language: str) -> Iterator[Entry]:
    """One entry per filled row of a batch (readers/batch.py), each validated on its own."""
    for label, raw, source in rows:
        notices = tuple(getattr(source, "notices", ()))  # e.g. a participant without a role
        yield _entry(
            label, raw, source, today=today, default_language=default_language, notices=notices
        )


def _read_workbook(path: Path, *, today: dt.date, default_language: str) -> Iterator[Entry]:
    from .batch import is_batch_workbook, read_batch_workbook
    from .workbook import is_meeting_workbook, read_meeting_workbook

    # Read-only first: a batch sheet is streamed row by row, never held whole.
    streamed = _open_workbook(path, read_only=True)
    try:
        if is_batch_workbook(streamed.sheetnames):
            rows = read_batch_workbook(streamed)
            yield from _batch_entries(rows, today=today, default_language=default_language)
            return
    finally:
        streamed.close()
    book = _open_workbook(path, read_only=False)
    try:
        if is_meeting_workbook(book.sheetnames):
            raw, source, notices = read_meeting_workbook(book, path)
            yield _entry(
                "",
                raw,
                source,
                today=today,
                default_language=default_language,
                notices=tuple(notices),
            )
            return
        raise InputError(
            [
                Problem(
                    "arbeidsboken",
                    "Arbeidsboken har verken arket «Møte» (ett møte) eller «Innkallinger» "
                    "(mange innkallinger).",
                    "Lag en mal med «ipdocs skeleton referat --xlsx» eller "
                    "«ipdocs skeleton batch --xlsx».",
                )
            ]
        )
    finally:
        book.close()


def _open_workbook(path: Path, *, read_only: bool):
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise InputError(
            [
                Problem(
                    "filen",
                    "Filen kan ikke åpnes som en Excel-arbeidsbok (.xlsx).",
                    "Lagre den på nytt fra Excel som «Excel-arbeidsbok (*.xlsx)».",
                )
            ]
        ) from exc
