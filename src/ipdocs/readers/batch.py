"""The secretaries' batch of invitations (FORMATS.md §2): one invitation per row.

From the `Innkallinger` sheet of a workbook, or from CSV as Norwegian Excel saves it
(`;` between cells, Windows-1252, or UTF-8 with a byte-order mark). Columns come in any order
with headers in any case; blank rows are skipped; multi-value cells split on `;` or line
breaks (mapping does that, as for every list). Each row is validated on its own through
`mapping.build_document` with a Source that names the cell (`cellen Innkallinger!D7`), so a
bad row is refused and every other row is still made.

Rows are read one at a time (openpyxl's read-only mode), so a long sheet is never held whole.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..errors import InputError, Notice, Problem
from ..kinds import DocumentKind
from .fields import Path_, Source, describe, normalise_key, shown, suggest
from .values import split_list, split_participant
from .workbook import MEETING_FIELDS
from .workbook import _put as put

SHEET = "Innkallinger"
# Column → its place in an invitation: the one-meeting workbook's fields that an invitation
# has, and the two lists that sheet keeps on sheets of their own.
_INVITATION_FIELDS = (
    "sak",
    "sprak",
    "bruker",
    "bruker_adresse",
    "dato",
    "fra",
    "til",
    "sted",
    "tolk",
    "koordinator",
    "koordinator_telefon",
    "koordinator_tjeneste",
    "koordinator_epost",
    "svarfrist",
    "sendt",
)
COLUMNS: dict[str, Path_] = {name: MEETING_FIELDS[name] for name in _INVITATION_FIELDS} | {
    "deltakere": ("deltakere",),
    "saksliste": ("saksliste",),
}
# The columns of FORMATS.md §2, in the order the skeleton workbook shows them.
REQUIRED = (
    "sak",
    "bruker",
    "dato",
    "fra",
    "til",
    "sted",
    "tolk",
    "koordinator",
    "koordinator_telefon",
    "deltakere",
    "saksliste",
)
# Columns a row cannot do without; a sheet lacking one is refused whole (every row would fail).
_NEEDED = ("sak", "bruker", "dato", "fra", "til", "sted", "koordinator", "deltakere", "saksliste")


# What a batch can hold. A sheet may carry styled empty rows and columns far beyond its
# filled cells (one formatted cell at XFD2000 makes the whole range "used"): reading stops at a
# run of blank rows, and never looks past the last known column.
MAX_ROWS = 10_000  # invitations in one batch
MAX_HEADER = 256  # cells read in the header row
BLANK_RUN = 1_000  # blank rows in a row: the end of the sheet
MAX_CELL = 32_767  # characters in one cell, as in Excel


@dataclass(frozen=True)
class Cut:
    """Where reading stopped before the end of the sheet: refused in the rows' place."""

    label: str
    problem: Problem


def is_batch_workbook(sheetnames: list[str]) -> bool:
    return any(normalise_key(n) == normalise_key(SHEET) for n in sheetnames)


class RowSource(Source):
    """Names the cell a field came from: `cellen Innkallinger!D7`."""

    style = "cell"

    def __init__(self, prefix: str, row: int, letters: dict[str, str]):
        self.prefix, self.row, self.letters = prefix, row, letters
        self.notices: list[Notice] = []  # the row is still made; a person should look

    def where(self, path: Path_) -> str:
        for size in range(len(path), 0, -1):
            column = _COLUMN_OF.get(path[:size])
            if column in self.letters:
                return f"cellen {self.prefix}{self.letters[column]}{self.row} (kolonnen «{shown(column)}»)"
        return f"rad {self.row}, {describe(path)}"


_COLUMN_OF = {path: column for column, path in COLUMNS.items()}


def read_batch_workbook(book) -> Iterator[tuple[str, dict, RowSource] | Cut]:
    """(label, raw invitation, source) per filled row of the Innkallinger sheet."""
    sheet = next(ws for ws in book.worksheets if normalise_key(ws.title) == normalise_key(SHEET))
    header = next(sheet.iter_rows(max_row=1, max_col=MAX_HEADER, values_only=True), ())
    letters = _header(_trimmed(header), f"{sheet.title}!", f"arket «{sheet.title}»")
    width = max((_column_index(v) for v in letters.values()), default=1)
    rows = sheet.iter_rows(min_row=2, max_col=width, values_only=True)
    last = sheet.max_row if isinstance(sheet.max_row, int) else None  # Excel's <dimension>
    yield from _rows(rows, f"{sheet.title}!", f"arket «{sheet.title}»", letters, last_row=last)


def read_batch_csv(path: Path) -> Iterator[tuple[str, dict, RowSource] | Cut]:
    text = decode_csv(path.read_bytes())
    csv.field_size_limit(MAX_CELL)
    rows = _csv_rows(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    header = next(rows, ())
    if len(header) > MAX_HEADER:
        raise InputError(
            [
                Problem(
                    "filen, rad 1",
                    f"Første rad har {len(header)} kolonner. En batch har høyst "
                    f"{len(COLUMNS)} kjente kolonner.",
                    "Sjekk at det er riktig fil, og at skilletegnet er semikolon eller komma.",
                )
            ]
        )
    letters = _header(header, "", "filen")
    yield from _rows(rows, "", "filen", letters)


def _csv_rows(reader) -> Iterator[list[str]]:
    """The csv module's rows, its errors (a cell longer than Excel allows, a stray quote
    before the end) said with the row."""
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            long_cell = "field larger" in str(exc)
            raise InputError(
                [
                    Problem(
                        f"filen, rad {reader.line_num}",
                        f"En celle har mer enn {MAX_CELL} tegn, mer enn Excel har plass til."
                        if long_cell
                        else "Raden kan ikke leses som CSV (et anførselstegn som ikke er lukket?).",
                        "Sjekk raden i Excel og lagre filen på nytt som CSV.",
                    )
                ]
            ) from None
        yield row


def _trimmed(header) -> tuple:
    """The header row without the blank cells at its end."""
    values = list(header or ())
    while values and _blank(values[-1]):
        values.pop()
    return tuple(values)


def _delimiter(text: str) -> str:
    """`;` as Norwegian Excel writes, `,` from English Excel, tab from «Unicode-tekst»."""
    first = text.split("\n", 1)[0]
    if ";" in first:
        return ";"
    if "\t" in first:
        return "\t"
    return "," if "," in first else ";"


def is_batch_file(path: Path) -> bool | None:
    """A CSV file, or a workbook with the Innkallinger sheet; None when the workbook cannot be
    opened (reading it then says what is wrong)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return True
    if suffix != ".xlsx":
        return False
    try:
        import openpyxl

        from .xlsx import check_package

        check_package(path)  # nothing is parsed before the file is known to be sane
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception:  # noqa: BLE001 - a damaged workbook is reported when it is read
        return None
    try:
        return is_batch_workbook(book.sheetnames)
    finally:
        book.close()


_COUNTED_ROWS = 5000  # beyond this, a workbook's own size record is good enough for a bar


def count_rows(path: Path) -> int | None:
    """How many rows with content a batch file has, for a progress bar (the run sets the
    exact count when it is done); None if it cannot tell. A workbook's size record counts
    rows that are only formatted (Excel keeps those), so the rows are counted, unless the
    record says the sheet is very long: reading costs about a fifth of a second per 600."""
    try:
        if path.suffix.lower() == ".csv":
            text = decode_csv(path.read_bytes())
            return _filled(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
        import openpyxl

        from .xlsx import check_package

        check_package(path)
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            for ws in book.worksheets:
                if normalise_key(ws.title) == normalise_key(SHEET):
                    if ws.max_row is not None and ws.max_row > _COUNTED_ROWS:
                        return ws.max_row - 1  # the <dimension> Excel writes
                    return _filled(ws.iter_rows(values_only=True))
            return None
        finally:
            book.close()
    except Exception:  # noqa: BLE001 - only a progress bar depends on it; reading reports errors
        return None


def _filled(rows) -> int:
    """Filled rows below the header."""
    return max(sum(1 for row in rows if any(not _blank(v) for v in row)) - 1, 0)


def decode_csv(data: bytes) -> str:
    """CSV as Excel saves it: UTF-8 with a BOM («CSV UTF-8»), Windows-1252 («CSV»), or
    UTF-16 with a BOM («Unicode-tekst»). Anything else (an Excel workbook renamed to .csv,
    a picture, garbage) is refused with one message, not read as nonsense column names."""
    if data.startswith(b"PK\x03\x04"):
        raise _not_csv(
            "Filen er en Excel-arbeidsbok (.xlsx) med endelsen .csv.",
            "Gi filen endelsen .xlsx, eller lagre den på nytt fra Excel som CSV.",
        )
    try:
        if data.startswith(b"\xef\xbb\xbf"):
            text = data[3:].decode("utf-8")
        elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:
                text = data.decode("cp1252")
    except UnicodeDecodeError:
        raise _not_csv() from None
    if _CONTROL.search(text):
        raise _not_csv()
    return text


# Characters no spreadsheet text holds: control characters other than tab and line breaks
# (C0, DEL and C1; Windows-1252 maps its bytes 0x80-0x9f to printable characters like €).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _not_csv(what: str = "", fix: str = "") -> InputError:
    return InputError(
        [
            Problem(
                "filen",
                what
                or "Filen ser ikke ut som en CSV-fil lagret fra Excel: den inneholder tegn "
                "som ikke er tekst.",
                fix
                or "Åpne arket i Excel og velg Lagre som → «CSV UTF-8 (kommadelt)» eller "
                "«CSV (semikolondelt)». Eller bruk Excel-filen (.xlsx) direkte.",
            )
        ]
    )


def _rows(
    rows, prefix: str, where: str, letters: dict[str, str], *, last_row: int | None = None
) -> Iterator[tuple[str, dict, RowSource] | Cut]:
    width = max((_column_index(v) for v in letters.values()), default=0)
    filled = blank_run = 0
    number = 1
    for number, values in enumerate(rows, start=2):
        values = tuple(values[:width]) if values else ()
        if all(_blank(v) for v in values):
            blank_run += 1
            if blank_run >= BLANK_RUN and last_row is not None and last_row > number:
                yield Cut(
                    f"rad {number + 1}–{last_row}",
                    Problem(
                        f"{where}, rad {number - BLANK_RUN + 1}–{number}",
                        f"{BLANK_RUN} tomme rader etter hverandre: ipdocs leste ikke resten av "
                        f"arket (til rad {last_row}).",
                        "Står det innkallinger lenger ned, flytt dem opp. Er resten tomt, kan du "
                        "slette de tomme radene under tabellen i Excel.",
                    ),
                )
                return
            continue  # blank rows are skipped
        blank_run = 0
        if filled >= MAX_ROWS:
            yield Cut(
                f"rad {number} og videre",
                Problem(
                    f"{where}, rad {number}",
                    f"En batch kan ha høyst {MAX_ROWS} innkallinger; raden og de etter den er "
                    "ikke lest.",
                    "Del arket i flere filer.",
                ),
            )
            return
        filled += 1
        raw: dict = {"dokument": DocumentKind.invitation}
        for column, letter in letters.items():
            index = _column_index(letter) - 1
            value = values[index] if index < len(values) else None
            if isinstance(value, str):
                value = value.strip()
            put(raw, COLUMNS[column], None if _blank(value) else value)
        source = RowSource(prefix, number, letters)
        _without_role(raw.get("deltakere"), source)
        yield f"rad {number}", raw, source
    if not filled:
        raise InputError(
            [
                Problem(
                    where,
                    "Det står ingen innkallinger her: under kolonnenavnene i rad 1 er alle "
                    "radene tomme.",
                    "Skriv én innkalling per rad fra rad 2.",
                )
            ]
        )


def _without_role(cell: object, source: RowSource) -> None:
    """A participant written without «(Rolle)» is taken, and said (the letter then lists a
    name with no role, and a GP written so gets no double-appointment warning)."""
    if not isinstance(cell, str):
        return
    names = [name for name, role in map(split_participant, split_list(cell)) if name and not role]
    if names:
        listed = ", ".join(f"«{name}»" for name in names)
        where = source.where(("deltakere",))
        source.notices.append(
            Notice(
                f"{where[:1].upper()}{where[1:]}: {listed} har ingen rolle. "
                f"Skriv rollen i parentes, for eksempel «{names[0]} (Fastlege)»."
            )
        )


def _header(header, prefix: str, where: str) -> dict[str, str]:
    """Column name → its letter; unknown or missing columns refuse the whole sheet."""
    letters: dict[str, str] = {}
    problems: list[Problem] = []
    for index, value in enumerate(header, start=1):
        if _blank(value):
            continue
        letter = get_column_letter(index)
        name = normalise_key(value)
        if name not in COLUMNS:
            problems.append(
                Problem(
                    f"cellen {prefix}{letter}1",
                    f"«{str(value).strip()}» er en ukjent kolonne.",
                    suggest(name, set(COLUMNS), nested=False),
                )
            )
        elif name in letters:
            problems.append(
                Problem(
                    f"cellen {prefix}{letter}1",
                    f"Kolonnen «{shown(name)}» står to ganger.",
                    "Fjern den ene.",
                )
            )
        else:
            letters[name] = letter
    missing = [name for name in _NEEDED if name not in letters]
    if not letters:
        # No known column at all: not a batch header (another sheet, a letter saved as CSV).
        # One message, not one per unknown name plus "the row is empty".
        filled = any(not _blank(v) for v in header)
        problems = [
            Problem(
                f"{where}, rad 1",
                "Første rad skal ha kolonnenavnene, men ingen av dem er kjent."
                if filled
                else "Første rad skal ha kolonnenavnene, men den er tom.",
                "Skriv kolonnenavnene i rad 1: " + ", ".join(REQUIRED) + ". "
                "Lag en mal med «ipdocs skeleton batch --xlsx».",
            )
        ]
    elif missing:
        problems.append(
            Problem(
                f"{where}, rad 1",
                "Disse kolonnene mangler: " + ", ".join(shown(m) for m in missing) + ".",
                "Legg dem til i første rad (se «ipdocs skeleton batch --xlsx»).",
            )
        )
    if problems:
        raise InputError(problems)
    return letters


def _column_index(letter: str) -> int:
    index = 0
    for char in letter:
        index = index * 26 + ord(char) - 64
    return index


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
