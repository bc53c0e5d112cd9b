"""The one-meeting workbook (FORMATS.md §2): sheet `Møte` with field/value rows, and the
list sheets `Deltakere`, `Foresatte`, `Saksliste`, `Mål`, `Tiltak` with a header row.

It returns the same nested shape as a YAML file, plus a `Source` that names the cell of
every value, so `mapping` reports `Tiltak!C3` where a YAML user would read `tiltak nr. 2`.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.utils import get_column_letter

from ..errors import InputError, Problem
from .mapping import Path_, Source, describe, normalise_key, shown, suggest

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
    "neste_mote_dato": ("neste_mote", "dato"),
    "neste_mote_fra": ("neste_mote", "fra"),
    "neste_mote_til": ("neste_mote", "til"),
    "neste_mote_sted": ("neste_mote", "sted"),
    "neste_mote_deltakere": ("neste_mote", "deltakere"),
}
# List sheet → (key in the document, columns, a sheet of plain texts?)
LIST_SHEETS: dict[str, tuple[str, tuple[str, ...], bool]] = {
    "deltakere": ("deltakere", ("navn", "rolle", "fast"), False),
    "foresatte": ("foresatte", ("navn", "rolle"), False),
    "saksliste": ("saksliste", ("punkt",), True),
    "maal": ("maal", ("maal",), True),
    "tiltak": ("tiltak", ("tiltak", "ansvar", "frist"), False),
}
_HEADER_WORDS = {"felt", "feltnavn", "field"}


class WorkbookSource(Source):
    def __init__(self, sheet_title: str):
        self.sheet_title = sheet_title
        self.cells: dict[Path_, str] = {}
        self.fields: dict[Path_, str] = {path: name for name, path in MEETING_FIELDS.items()}

    def where(self, path: Path_) -> str:
        if path in self.cells:
            return self.cells[path]
        if path in self.fields:
            return f"arket «{self.sheet_title}», feltet «{shown(self.fields[path])}»"
        return describe(path)


def is_meeting_workbook(sheetnames: list[str]) -> bool:
    return any(normalise_key(n) == "mote" for n in sheetnames)


def read_meeting_workbook(book, path: Path) -> tuple[dict, WorkbookSource]:
    sheets = {normalise_key(ws.title): ws for ws in book.worksheets}
    main = sheets["mote"]
    source = WorkbookSource(main.title)
    problems: list[Problem] = []
    raw: dict = {}
    for row in main.iter_rows(min_col=1, max_col=2):
        key_cell, value_cell = row[0], row[1] if len(row) > 1 else None
        if key_cell.value is None or not str(key_cell.value).strip():
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
            continue
        target = MEETING_FIELDS[key]
        _put(raw, target, value_cell.value if value_cell is not None else None)
        source.cells[target] = f"cellen {main.title}!{get_column_letter(2)}{key_cell.row}"

    for sheet_key, ws in sheets.items():
        if sheet_key == "mote":
            continue
        if sheet_key not in LIST_SHEETS:
            problems.append(
                Problem(
                    f"arket «{ws.title}»",
                    "Arket er ukjent og blir ikke lest.",
                    "Arkene kan hete Møte, Deltakere, Foresatte, Saksliste, Mål og Tiltak.",
                )
            )
            continue
        key, columns, plain = LIST_SHEETS[sheet_key]
        items, sheet_problems = _read_list_sheet(ws, key, columns, plain, source)
        problems += sheet_problems
        if items:
            raw[key] = items
    if problems:
        raise InputError(problems)
    return raw, source


def _put(raw: dict, path: Path_, value: object) -> None:
    node = raw
    for step in path[:-1]:
        node = node.setdefault(step, {})
    node[path[-1]] = value


def _read_list_sheet(ws, key: str, columns: tuple[str, ...], plain: bool, source: WorkbookSource):
    problems: list[Problem] = []
    rows = ws.iter_rows()
    header = next(rows, None)
    if header is None:
        return [], problems
    col_for: dict[int, str] = {}
    for cell in header:
        if cell.value is None or not str(cell.value).strip():
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
        else:
            col_for[cell.column] = name
    items: list = []
    for row in rows:
        values = {col_for[c.column]: c for c in row if c.column in col_for}
        if all(c.value is None or not str(c.value).strip() for c in values.values()):
            continue  # blank rows are skipped
        index = len(items)
        if plain:
            cell = next(iter(values.values()))
            items.append(cell.value)
            source.cells[(key, index)] = f"cellen {ws.title}!{cell.coordinate}"
        else:
            items.append({name: c.value for name, c in values.items()})
            for name, c in values.items():
                source.cells[(key, index, name)] = f"cellen {ws.title}!{c.coordinate}"
            source.cells[(key, index)] = f"arket «{ws.title}», rad {row[0].row}"
    return items, problems
