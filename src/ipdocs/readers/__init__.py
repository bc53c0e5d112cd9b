"""Input files → validated documents, one reader module per input kind.

`read(path)` returns one `Entry` per document the file asks for (a batch workbook holds many);
an entry carries either the document or the problems that refused it. A file that cannot be
read at all raises `InputError`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, Notice, Problem

__all__ = ["Entry", "InputError", "entries", "is_input", "read", "SUFFIXES"]
from ..model import Document
from .fields import Source
from .mapping import build_document

NOTE_SUFFIXES = (".yaml", ".yml", ".json", ".txt")  # .txt: notes as Notepad saves them
WORKBOOK_SUFFIXES = (".xlsx",)
CSV_SUFFIXES = (".csv",)
SIGNED_SUFFIXES = (".pdf",)  # signed scans: the pipeline files them (signed.py), never read here
SUFFIXES = NOTE_SUFFIXES + WORKBOOK_SUFFIXES + CSV_SUFFIXES + SIGNED_SUFFIXES


_NOTES_TXT = (".yaml.txt", ".yml.txt", ".json.txt")
_NOTES_START = re.compile(r"""^\s*[{"']*\s*dokument["']?\s*:""", re.IGNORECASE | re.MULTILINE)


def is_input(path: Path) -> bool:
    """Whether a file found in a folder is an input: its suffix is one ipdocs reads, and a
    `.txt` one is notes (`innkalling.yaml.txt`, or a text with a `dokument:` line near its
    start), not a note to people (`les-meg.txt`) or an ipdocs report (`x.feil.txt`)."""
    name = path.name.lower()
    if path.suffix.lower() not in SUFFIXES:
        return False
    if not name.endswith(".txt"):
        return True
    if name.endswith(_NOTES_TXT):
        return True
    try:
        with path.open("rb") as file:
            start = file.read(4096)
    except OSError:
        return True  # reading it says what is wrong
    from .notes import decode

    try:
        text = decode(start)
    except InputError:
        return False
    return bool(_NOTES_START.search(text))


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
        from .notes import read_notes_as

        raw, style = read_notes_as(path)
        source = Source(style=style)
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
                    "Bruk .yaml, .yml, .json, .txt (møtenotater), .xlsx (Excel) eller .csv.",
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
    try:
        raw, problems, cleaned = clean(raw, source)
        if problems:
            return Entry(label, None, tuple(problems), notices, *_named(raw))
        document, problems, found = build_document(
            raw, source, today=today, default_language=default_language
        )
    except RecursionError:
        problem = Problem(
            "filen",
            "Filen har for mange nivåer inni hverandre til å være møtenotater.",
            "Sjekk at det er riktig fil. Se eksempelet fra «ipdocs skeleton».",
        )
        return Entry(label, None, (problem,), notices)
    case, kind = ("", "") if document is not None else _named(raw)
    found_all = notices + tuple(cleaned) + tuple(found)
    return Entry(label, document, tuple(problems), found_all, case, kind)


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


# Characters a Word document (XML 1.0) cannot hold: control characters other than tab and
# line breaks, and U+FFFE/U+FFFF. They show nothing, so they are removed and the user told.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# Half of a character (a lone UTF-16 surrogate, as JSON's "\ud800" writes): what was meant
# cannot be known, so the field is refused rather than printed with a hole.
_SURROGATE = re.compile("[\ud800-\udfff]")


def clean(raw: object, source: Source) -> tuple[object, list[Problem], list[Notice]]:
    """Every text of `raw` made safe to print before anything is validated or rendered:
    control characters removed (a warning names the field), broken characters refused (a
    problem names the field). Keys are checked too."""
    from .fields import normalise_key

    problems: list[Problem] = []
    notices: list[Notice] = []

    def text(value: str, path: tuple) -> str:
        if _SURROGATE.search(value):
            problems.append(
                Problem(
                    source.where(path),
                    "Teksten har et ødelagt tegn (en halv UTF-16-kode, for eksempel «\\ud800»).",
                    "Skriv teksten på nytt, eller lagre filen på nytt som UTF-8.",
                )
            )
            return value
        if _CONTROL.search(value):
            notices.append(
                Notice(
                    f"{source.where(path)}: usynlige styretegn er fjernet fra teksten. Sjekk at "
                    "den ble riktig."
                )
            )
            return _CONTROL.sub("", value)
        return value

    def walk(value: object, path: tuple) -> object:
        if isinstance(value, str):
            return text(value, path)
        if isinstance(value, dict):
            out = {}
            for key, item in value.items():
                name = key
                if isinstance(key, str):
                    name = text(key, path + (_safe_key(key),))
                out[name] = walk(item, path + (_safe_key(normalise_key(name)),))
            return out
        if isinstance(value, list):
            return [walk(item, path + (index,)) for index, item in enumerate(value)]
        return value

    cleaned = walk(raw, ())
    return cleaned, problems, notices


def _safe_key(key: object) -> object:
    return _SURROGATE.sub("\ufffd", key) if isinstance(key, str) else key


def _batch_entries(rows, *, today: dt.date, default_language: str) -> Iterator[Entry]:
    """One entry per filled row of a batch (readers/batch.py), each validated on its own; a
    problem in the rows' place says where reading stopped (batch.Cut)."""
    from .batch import Cut

    for item in rows:
        if isinstance(item, Cut):
            yield Entry(item.label, None, (item.problem,))
            continue
        label, raw, source = item
        notices = tuple(getattr(source, "notices", ()))  # e.g. a participant without a role
        yield _entry(
            label, raw, source, today=today, default_language=default_language, notices=notices
        )


def _read_workbook(path: Path, *, today: dt.date, default_language: str) -> Iterator[Entry]:
    from .batch import is_batch_workbook, read_batch_workbook
    from .workbook import is_meeting_workbook, read_meeting_workbook
    from .xlsx import guarded, reading

    # Read-only first: a batch sheet is streamed row by row, never held whole.
    streamed = _open_workbook(path, read_only=True)
    try:
        if is_batch_workbook(streamed.sheetnames):
            rows = guarded(read_batch_workbook(streamed))
            yield from _batch_entries(rows, today=today, default_language=default_language)
            return
    finally:
        streamed.close()
    book = _open_workbook(path, read_only=False)
    try:
        if is_meeting_workbook(book.sheetnames):
            with reading():
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

    from .xlsx import check_package, unreadable

    check_package(path)
    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl's many ways to fail on a damaged file
        raise unreadable() from exc
