"""Guarding openpyxl: what a workbook file must be before it is parsed, and its errors.

An .xlsx is a zip of XML parts. Before openpyxl parses one:
- the zip must open, hold a sane number of parts, and no part may unpack to more than
  `MAX_PART` bytes (a zip bomb: a few kB that unpack to gigabytes);
- no XML part may have a DOCTYPE (Excel never writes one; it is where entity definitions,
  the «billion laughs» bomb among them, would live). The prolog is read up to the first
  element, so this is cheap.
openpyxl's own failures on a damaged file (expat's ParseError, KeyError, IndexError,
ValueError, NotImplementedError, …), while opening or while a streamed sheet is read, are
turned into one Problem here.
"""

from __future__ import annotations

import contextlib
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar
from xml.etree.ElementTree import ParseError

from ..errors import InputError, Problem

T = TypeVar("T")

MAX_PARTS = 2_000
MAX_PART = 64 * 1024 * 1024  # a 10,000-row batch sheet is some 8 MB of XML
MAX_TOTAL = 256 * 1024 * 1024
_PROLOG_CHUNK = 16 * 1024


def unreadable(what: str = "") -> InputError:
    return InputError(
        [
            Problem(
                "filen",
                what or "Filen kan ikke åpnes som en Excel-arbeidsbok (.xlsx).",
                "Lagre den på nytt fra Excel som «Excel-arbeidsbok (*.xlsx)».",
            )
        ]
    )


def check_package(path: Path) -> None:
    try:
        with zipfile.ZipFile(path) as package:
            infos = package.infolist()
            if len(infos) > MAX_PARTS:
                raise unreadable(
                    f"Filen har {len(infos)} deler; en Excel-arbeidsbok har noen få titalls."
                )
            total = 0
            for info in infos:
                total += info.file_size
                if info.file_size > MAX_PART or total > MAX_TOTAL:
                    raise unreadable(
                        "Filen pakkes ut til mer enn ipdocs leser "
                        f"({MAX_PART // (1024 * 1024)} MB per del). Et møte eller en batch "
                        "med innkallinger er mye mindre."
                    )
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    _refuse_doctype(package, info)
    except InputError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        zlib.error,
        RuntimeError,
        ValueError,
        NotImplementedError,
    ):
        raise unreadable() from None


def _refuse_doctype(package: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Read the part's prolog (everything before the first element) and refuse a DOCTYPE."""
    seen = b""
    with package.open(info) as part:
        while True:
            chunk = part.read(_PROLOG_CHUNK)
            if not chunk:
                return
            seen = (seen[-16:] + chunk).replace(b"\x00", b"")  # UTF-16 parts too
            if b"<!DOCTYPE" in seen or b"<!ENTITY" in seen:
                raise unreadable(
                    f"Delen «{info.filename[:80]}» i filen har en DOCTYPE-erklæring. Det lager "
                    "ikke Excel, og ipdocs leser ikke slike filer."
                )
            if _element_started(seen):
                return


def _element_started(data: bytes) -> bool:
    """Whether `data` holds the start of an element (`<` then a name), not `<?` or `<!`."""
    index = data.find(b"<")
    while index != -1 and index + 1 < len(data):
        nxt = data[index + 1 : index + 2]
        if nxt not in (b"?", b"!"):
            return True
        index = data.find(b"<", index + 1)
    return False


@contextlib.contextmanager
def reading() -> Iterator[None]:
    """openpyxl's errors while a sheet is read (read-only sheets are parsed as they are read)."""
    try:
        yield
    except InputError:
        raise
    except (
        ParseError,
        zipfile.BadZipFile,
        zlib.error,
        EOFError,
        KeyError,
        IndexError,
        ValueError,
        TypeError,
        AttributeError,
        NotImplementedError,
        RuntimeError,
        OverflowError,
    ):
        raise unreadable(
            "Filen er en skadet Excel-arbeidsbok: en del av den kan ikke leses."
        ) from None


def guarded(rows: Iterator[T]) -> Iterator[T]:
    """A streamed sheet's rows, with openpyxl's errors while parsing them turned into one
    Problem (only the reading is guarded: what is done with each row is not)."""
    while True:
        with reading():
            try:
                item = next(rows)
            except StopIteration:
                return
        yield item
