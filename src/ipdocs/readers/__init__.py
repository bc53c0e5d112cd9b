"""Input files → validated documents, one reader module per input kind.

`read(path)` returns one `Entry` per document the file asks for (a batch workbook holds many);
an entry carries either the document or the problems that refused it. A file that cannot be
read at all raises `InputError`.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Notice, Problem

__all__ = ["Entry", "InputError", "read", "SUFFIXES"]
from ..model import Document
from .mapping import Source, build_document

NOTE_SUFFIXES = (".yaml", ".yml", ".json")
WORKBOOK_SUFFIXES = (".xlsx",)
SIGNED_SUFFIXES = (".pdf",)  # signed scans: the pipeline files them (signed.py), never read here
SUFFIXES = NOTE_SUFFIXES + WORKBOOK_SUFFIXES + SIGNED_SUFFIXES


@dataclass(frozen=True)
class Entry:
    label: str  # "" for a file with one document; "rad 7" for a batch row
    document: Document | None
    problems: tuple[Problem, ...] = ()
    notices: tuple[Notice, ...] = ()


def read(path: Path, *, today: dt.date, default_language: str = "nb") -> list[Entry]:
    suffix = path.suffix.lower()
    if suffix in NOTE_SUFFIXES:
        from .notes import read_notes

        raw, source = read_notes(path), Source()
    elif suffix in WORKBOOK_SUFFIXES:
        return _read_workbook(path, today=today, default_language=default_language)
    else:
        raise InputError(
            [
                Problem(
                    "filen",
                    f"ipdocs kan ikke lese filer av typen «{suffix or 'uten endelse'}».",
                    "Bruk .yaml, .yml, .json eller .xlsx (Excel).",
                )
            ]
        )
    return [_entry("", raw, source, today=today, default_language=default_language)]


def _entry(
    label: str, raw: object, source: Source, *, today: dt.date, default_language: str
) -> Entry:
    document, problems, notices = build_document(
        raw, source, today=today, default_language=default_language
    )
    return Entry(label, document, tuple(problems), tuple(notices))


def _read_workbook(path: Path, *, today: dt.date, default_language: str) -> list[Entry]:
    import openpyxl

    from .workbook import is_meeting_workbook, read_meeting_workbook

    try:
        book = openpyxl.load_workbook(path, data_only=True)
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
    try:
        if is_meeting_workbook(book.sheetnames):
            raw, source = read_meeting_workbook(book, path)
            return [_entry("", raw, source, today=today, default_language=default_language)]
        raise InputError(
            [
                Problem(
                    "arbeidsboken",
                    "Arbeidsboken har ikke arket «Møte».",
                    "Lag en mal med «ipdocs skeleton referat --xlsx».",
                )
            ]
        )
    finally:
        book.close()
