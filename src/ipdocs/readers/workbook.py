"""The one-meeting workbook (FORMATS.md §2): sheet `Møte` with field/value rows, and the
list sheets `Deltakere`, `Foresatte`, `Saksliste`, `Mål`, `Tiltak`, `Tiltak fra forrige` with a
header row. The skeleton's «Slik fyller du ut» sheet is for people and is not read.

It returns the same nested shape as a YAML file, plus a `Source` that names the cell of
every value, so `mapping` reports `Tiltak!C3` where a YAML user would read `tiltak nr. 2`.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from openpyxl.utils import get_column_letter

from ..errors import InputError, Notice, Problem
from ..kinds import DocumentKind
from .fields import Path_, Source, describe, normalise_key, shown, suggest
from .vocabulary import NESTED, TOP_LEVEL

# Field in the Møte sheet → its place in the nested document.
MEETING_FIELDS: dict[str, Path_] = {
    "dokument": ("dokument",),
    "sak": ("sak",),
    "sprak": ("sprak",),
    "bruker": ("bruker", "navn"),
    "bruker_adresse": ("bruker", "adresse"),
    "dato": ("mote", "dato"),
    "fra": ("mote", "fra"),
    "til": ("mote", "til"),
    "sted": ("mote", "sted"),
    "tolk": ("mote", "tolk"),
    "koordinator": ("koordinator", "navn"),
    "koordinator_telefon": ("koordinator", "telefon"),
    "koordinator_tjeneste": ("koordinator", "tjeneste"),
    "koordinator_epost": ("koordinator", "epost"),
    "referent": ("referent",),
    "naasituasjon": ("naasituasjon",),
    "brukers_stemme": ("brukers_stemme",),
    "svarfrist": ("svarfrist",),
    "sendt": ("sendt",),
    "flyttet_fra": ("flyttet_fra",),
    "avlyst": ("avlyst",),
    "neste_mote_dato": ("neste_mote", "dato"),
    "neste_mote_fra": ("neste_mote", "fra"),
    "neste_mote_til": ("neste_mote", "til"),
    "neste_mote_sted": ("neste_mote", "sted"),
    "neste_mote_deltakere": ("neste_mote", "deltakere"),
    "forste_mote": ("forste_mote",),
    "bruker_fodt": ("bruker", "fodt"),
    "skrevet": ("skrevet",),
    "bruker_til_stede": ("bruker_til_stede",),
    "sendes_til": ("sendes_til",),
    "evaluering": ("evaluering",),
    "avslutning": ("avslutning",),
}
# List sheet → (key in the document, columns, a sheet of plain texts?)
LIST_SHEETS: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "deltakere": ("deltakere", ("navn", "rolle", "fast"), False),
    "foresatte": ("foresatte", ("navn", "rolle"), False),
    "saksliste": ("saksliste", ("punkt",), True),
    "maal": ("maal", ("maal",), True),
    "tiltak": ("tiltak", ("tiltak", "ansvar", "frist"), False),
    "tiltak_fra_forrige": (
        "tiltak_fra_forrige",
        ("tiltak", "ansvar", "frist", "status", "kommentar"),
        False,
    ),
}
# The skeleton's own instructions sheet: read by people, not by ipdocs.
INSTRUCTIONS_SHEET = "Slik fyller du ut"
_HEADER_WORDS = {"felt", "feltnavn", "field"}
# What one meeting can hold. Only filled cells count: a sheet may be formatted far beyond them
# (one styled empty cell at XFD2000, or a whole column formatted to row 1,048,576), and openpyxl
# would create every cell of that range when asked for its rows.
MAX_ROWS = 1_000
MAX_COLUMNS = 26
_SHEET_NAMES = {"deltakere": "Deltakere", "foresatte": "Foresatte", "saksliste": "Saksliste"}
_SHEET_NAMES |= {"maal": "Mål", "tiltak": "Tiltak", "tiltak_fra_forrige": "Tiltak fra forrige"}
_WITH_ARTICLE: dict[str, str] = {
    DocumentKind.invitation: "en innkalling",
    DocumentKind.minutes: "et referat",
    DocumentKind.consent: "et samtykke",
    DocumentKind.power_of_attorney: "en fullmakt",
}


class WorkbookSource(Source):
    """Names the cell of every value: `cellen Møte!B4`, `cellen Tiltak!B3`, and for what has
    no cell of its own the sheet and row or field (`arket «Tiltak», rad 3, kolonnen «frist»`)."""

    style = "cell"

    def __init__(self, sheet_title: str):
        self.sheet_title = sheet_title
        self.cells: dict[Path_, str] = {}  # a value's cell
        self.rows: dict[tuple[str | int, ...], int] = {}  # (list, item number) → its row
        self.sheets: dict[str, str] = {}  # list → its sheet's title as written
        self.fields: dict[Path_, str] = {path: name for name, path in MEETING_FIELDS.items()}

    def where(self, path: Path_) -> str:
        if path in self.cells:
            return self.cells[path]
        if path and path[0] in _SHEET_NAMES:
            return self._in_list_sheet(path)
        if path in self.fields:
            return f"arket «{self.sheet_title}», feltet «{shown(self.fields[path])}»"
        for size in range(len(path) - 1, 0, -1):  # something inside one cell's value
            if path[:size] in self.cells:
                return self.cells[path[:size]]
        return f"arket «{self.sheet_title}», {describe(path)}"

    def _in_list_sheet(self, path: Path_) -> str:
        text = f"arket «{self.sheets.get(str(path[0]), _SHEET_NAMES[str(path[0])])}»"
        row = self.rows.get(path[:2]) if len(path) >= 2 else None
        if row is not None:
            text += f", rad {row}"
        if len(path) >= 3:
            text += f", kolonnen «{shown(str(path[2]))}»"
        return text


def accepts(kind: str, target: Path_) -> bool:
    """Whether a document of `kind` has the field at `target` (a field FORMATS.md names
    before the document has it is then left out when empty, and warned about when filled)."""
    used = TOP_LEVEL.get(kind)
    if used is None or target[0] not in used:
        return False
    nested = NESTED.get(str(target[0]))
    return len(target) < 2 or nested is None or target[1] in nested


def is_meeting_workbook(sheetnames: list[str]) -> bool:
    return any(normalise_key(n) == "mote" for n in sheetnames)


def _sheet_hint(sheet_key: str) -> str:
    names = {"mote": "Møte", **_SHEET_NAMES}
    close = difflib.get_close_matches(sheet_key, list(names), n=1, cutoff=0.6)
    listed = (
        "Arkene kan hete Møte, Deltakere, Foresatte, Saksliste, Mål, Tiltak og Tiltak fra forrige."
    )
    return f"Mente du arket «{names[close[0]]}»? {listed}" if close else listed


def read_meeting_workbook(book, path: Path) -> tuple[dict, WorkbookSource, list[Notice]]:
    """The raw document, the Source naming its cells, and warnings about filled fields and
    sheets the document does not use (FORMATS.md lists one workbook for every meeting
    document, so an invitation may well hold an empty `referent` row or a `Mål` sheet)."""
    sheets = {normalise_key(ws.title): ws for ws in book.worksheets}
    main = sheets["mote"]
    source = WorkbookSource(main.title)
    problems: list[Problem] = []
    notices: list[Notice] = []
    fields: dict[str, tuple] = {}  # field → (name cell, value cell or None)
    rows, _ = _used_range(main, problems)
    for row in main.iter_rows(min_row=1, max_row=max(rows, 1), min_col=1, max_col=2):
        key_cell, value_cell = row[0], row[1] if len(row) > 1 else None
        if _blank(key_cell.value):
            continue
        key = normalise_key(key_cell.value)
        if key in _HEADER_WORDS:
            continue
        if key not in MEETING_FIELDS:
            problems.append(
                Problem(
                    f"cellen {main.title}!{key_cell.coordinate}",
                    f"«{key_cell.value}» er et ukjent felt.",
                    suggest(key, set(MEETING_FIELDS), nested=False),
                )
            )
        elif key in fields:
            problems.append(
                Problem(
                    f"cellen {main.title}!{key_cell.coordinate}",
                    f"Feltet «{shown(key)}» står to ganger (første gang i cellen "
                    f"{main.title}!{fields[key][0].coordinate}).",
                    "Fjern den ene raden, så det er klart hvilken verdi som gjelder.",
                )
            )
        else:
            fields[key] = (key_cell, value_cell)

    kind = _kind(fields)
    used = TOP_LEVEL.get(kind)  # None: `dokument` is missing or wrong; mapping says so
    raw: dict = {}
    for key, (key_cell, value_cell) in fields.items():
        target = MEETING_FIELDS[key]
        value = value_cell.value if value_cell is not None else None
        cell = f"{main.title}!{get_column_letter(2)}{key_cell.row}"
        if used is not None and not accepts(kind, target):
            if not _blank(value):
                notices.append(
                    Notice(
                        f"Cellen {cell} (feltet «{shown(key)}») brukes ikke i "
                        f"{_WITH_ARTICLE[kind]} og kommer ikke med."
                    )
                )
            continue
        _put(raw, target, value)
        source.cells[target] = f"cellen {cell}"

    for sheet_key, ws in sheets.items():
        if sheet_key in ("mote", normalise_key(INSTRUCTIONS_SHEET)):
            continue
        if sheet_key not in LIST_SHEETS:
            problems.append(
                Problem(
                    f"arket «{ws.title}»",
                    "Arket er ukjent og blir ikke lest.",
                    _sheet_hint(sheet_key),
                )
            )
            continue
        key, columns, plain = LIST_SHEETS[sheet_key]
        if used is not None and key not in used:
            if _has_rows(ws):
                notices.append(
                    Notice(
                        f"Arket «{ws.title}» brukes ikke i {_WITH_ARTICLE[kind]} og kommer "
                        "ikke med."
                    )
                )
            continue
        items, sheet_problems = _read_list_sheet(ws, key, columns, plain, source)
        problems += sheet_problems
        if items:
            raw[key] = items
    if problems:
        raise InputError(problems)
    return raw, source, notices


def _kind(fields: dict[str, tuple]) -> str:
    cells = fields.get("dokument")
    value = cells[1].value if cells and cells[1] is not None else None
    return str(value).strip().casefold() if isinstance(value, str) else ""


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _has_rows(ws) -> bool:
    """Anything filled below the header row."""
    return any(row > 1 for row, _ in _filled_cells(ws))


def _filled_cells(ws):
    """(row, column) of every cell with a value. openpyxl keeps only the cells the file has
    (`_cells`), so this never walks the empty range a far-away styled cell spans."""
    return [key for key, cell in ws._cells.items() if not _blank(cell.value)]


def _used_range(ws, problems: list[Problem]) -> tuple[int, int]:
    """The last row and column with a value, bounded by what a meeting can hold; a value
    beyond the bounds is a problem (it would otherwise be dropped without a word)."""
    cells = _filled_cells(ws)
    rows = max((r for r, _ in cells), default=0)
    columns = max((c for _, c in cells), default=0)
    if rows > MAX_ROWS or columns > MAX_COLUMNS:
        far = max(cells, key=lambda rc: (rc[0] > MAX_ROWS or rc[1] > MAX_COLUMNS, rc))
        problems.append(
            Problem(
                f"cellen {ws.title}!{get_column_letter(far[1])}{far[0]}",
                f"Det står noe langt utenfor tabellen (arket leses til rad {MAX_ROWS} og "
                f"kolonne {get_column_letter(MAX_COLUMNS)}).",
                "Flytt det inn i tabellen, eller slett det.",
            )
        )
    return min(rows, MAX_ROWS), min(columns, MAX_COLUMNS)


def _put(raw: dict, path: Path_, value: object) -> None:
    node = raw
    for step in path[:-1]:
        node = node.setdefault(step, {})
    node[path[-1]] = value


def _read_list_sheet(ws, key: str, columns: tuple[str, ...], plain: bool, source: WorkbookSource):
    problems: list[Problem] = []
    source.sheets[key] = ws.title
    last_row, last_column = _used_range(ws, problems)
    if not last_row:
        return [], problems
    rows = ws.iter_rows(min_row=1, max_row=last_row, min_col=1, max_col=last_column)
    header = next(rows, None)
    if header is None:
        return [], problems
    col_for: dict[int, str] = {}
    for cell in header:
        if _blank(cell.value):
            continue
        name = normalise_key(cell.value)
        if name not in columns:
            problems.append(
                Problem(
                    f"cellen {ws.title}!{cell.coordinate}",
                    f"«{cell.value}» er en ukjent kolonne.",
                    suggest(name, set(columns), nested=False),
                )
            )
        elif name in col_for.values():
            problems.append(
                Problem(
                    f"cellen {ws.title}!{cell.coordinate}",
                    f"Kolonnen «{shown(name)}» står to ganger.",
                    "Fjern den ene, så det er klart hvilken som gjelder.",
                )
            )
        else:
            col_for[cell.column] = name
    items: list = []
    for row in rows:
        values = {col_for[c.column]: c for c in row if c.column in col_for}
        if all(_blank(c.value) for c in values.values()):
            continue  # blank rows are skipped
        index = len(items)
        source.rows[(key, index)] = row[0].row
        if plain:
            cell = next(iter(values.values()))
            items.append(cell.value)
            source.cells[(key, index)] = f"cellen {ws.title}!{cell.coordinate}"
        else:
            items.append({name: c.value for name, c in values.items()})
            for name, c in values.items():
                source.cells[(key, index, name)] = f"cellen {ws.title}!{c.coordinate}"
    return items, problems
