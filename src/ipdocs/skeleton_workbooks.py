"""The xlsx skeleton workbooks (`ipdocs skeleton referat --xlsx`, `ipdocs skeleton batch --xlsx`,
`ipdocs skeleton referat --sak`): one meeting, many invitations, or one filled from a case.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from .kinds import DocumentKind
from .skeletons import dates

# --- the one-meeting workbook (FORMATS.md §2 and §5, `ipdocs skeleton referat --xlsx`) -----

_DATE_FORMAT, _TIME_FORMAT = "DD.MM.YYYY", "HH:MM"
_YES_NO = ("ja", "nei")
_STATUSES = ("utført", "pågår", "ikke startet", "avsluttet")
_BOTH, _INVITATION, _MINUTES = "", "bare innkalling", "bare referat"
# (field, what it is for the person filling it in, which document uses it, kind of value)
_MEETING_ROWS = (
    ("dokument", "innkalling eller referat (velg i listen)", _BOTH, "dokument"),
    ("sak", "Saksnøkkelen, for eksempel IP-2026-0042. Aldri fødselsnummer.", _BOTH, "text"),
    ("sprak", "nb (bokmål) eller nn (nynorsk)", _BOTH, "sprak"),
    ("bruker", "Navnet på personen planen gjelder", _BOTH, "text"),
    ("bruker_adresse", "Adressen til personen (kan stå tom)", _BOTH, "text"),
    ("bruker_fodt", "Fødselsdatoen til personen (kan stå tom)", _BOTH, "date"),
    ("dato", "Datoen for møtet", _BOTH, "date"),
    ("fra", "Når møtet begynner", _BOTH, "time"),
    ("til", "Når møtet slutter", _BOTH, "time"),
    ("sted", "Hvor møtet er", _BOTH, "text"),
    ("tolk", "Språket tolken tolker til; tom når det ikke er tolk", _BOTH, "text"),
    ("koordinator", "Navnet på koordinatoren", _BOTH, "text"),
    ("koordinator_telefon", "Telefonen deltakerne ringer", _BOTH, "phone"),
    ("koordinator_tjeneste", "Tjenesten koordinatoren jobber i (kan stå tom)", _BOTH, "text"),
    ("koordinator_epost", "E-posten til koordinatoren (kan stå tom)", _BOTH, "text"),
    ("svarfrist", "Når deltakerne må si fra om de kommer (kan stå tom)", _INVITATION, "date"),
    ("sendt", "Når innkallingen sendes (tom: dagens dato)", _INVITATION, "date"),
    ("forste_mote", "ja når dette er det første møtet (da skrives samtykket)", _INVITATION, "yes"),
    ("referent", "Hvem som skriver referatet", _MINUTES, "text"),
    ("skrevet", "Når referatet er skrevet (tom: dagens dato)", _MINUTES, "date"),
    ("bruker_til_stede", "nei når personen ikke var med på møtet", _MINUTES, "yes"),
    ("nåsituasjon", "Nåsituasjonen og hvordan tiltakene har gått", _MINUTES, "long"),
    ("brukers_stemme", "Det personen selv sier", _MINUTES, "long"),
    ("evaluering", "Den årlige evalueringen (kan stå tom)", _MINUTES, "long"),
    ("avslutning", "Bare når ansvarsgruppen avsluttes (ellers tom)", _MINUTES, "long"),
    ("neste_mote_dato", "Datoen for neste møte", _MINUTES, "date"),
    ("neste_mote_fra", "Når neste møte begynner", _MINUTES, "time"),
    ("neste_mote_til", "Når neste møte slutter", _MINUTES, "time"),
    ("neste_mote_sted", "Hvor neste møte er", _MINUTES, "text"),
    ("neste_mote_deltakere", "Hvem som skal delta på neste møte; skill med ;", _MINUTES, "text"),
    ("sendes_til", "Hvem referatet sendes til; skill med ; (tom: de faste)", _MINUTES, "text"),
)
# List sheet → (its columns with their kind of value, which document uses it)
_LIST_SHEETS = {
    "Deltakere": ((("navn", "text"), ("rolle", "text"), ("fast", "yes")), _BOTH),
    "Foresatte": ((("navn", "text"), ("rolle", "text")), _MINUTES),
    "Saksliste": ((("punkt", "long"),), _INVITATION),
    "Mål": ((("mål", "long"),), _MINUTES),
    "Tiltak": ((("tiltak", "long"), ("ansvar", "text"), ("frist", "date")), _MINUTES),
    "Tiltak fra forrige": (
        (
            ("tiltak", "long"),
            ("ansvar", "text"),
            ("frist", "date"),
            ("status", "status"),
            ("kommentar", "long"),
        ),
        _MINUTES,
    ),
}
_WIDTHS = {"text": 26, "long": 50, "date": 13, "time": 9, "yes": 8, "status": 14, "phone": 16}
_VALUE_ROWS = 200  # list-sheet rows the checks and formats cover


def _meeting_example(kind: str, today: dt.date) -> tuple[dict, dict]:
    d = dates(today)
    meeting = dt.date.fromisoformat(d["meeting"] if kind == DocumentKind.invitation else d["past"])
    deadline = dt.date.fromisoformat(d["deadline"])
    fields = {
        "dokument": str(kind),
        "sak": "IP-2026-0042",
        "sprak": "nb",
        "bruker": "Kari Nordmann",
        "bruker_adresse": "Storgata 1, 7580 Selbu" if kind == DocumentKind.invitation else None,
        "dato": meeting,
        "fra": dt.time(9, 0),
        # An hour and a half with an interpreter would be warned about (no extra time).
        "til": dt.time(11, 0) if kind == DocumentKind.invitation else dt.time(10, 30),
        "sted": "Rådhuset, møterom 2",
        "tolk": "arabisk" if kind == DocumentKind.invitation else None,
        "koordinator": "Ola Hansen",
        "koordinator_telefon": "400 31 579",
        "koordinator_tjeneste": "Helsestasjonen",
        "svarfrist": meeting - dt.timedelta(days=4),
        "sendt": today,
        "forste_mote": "nei",
        "referent": "Line Berg",
        "skrevet": today,
        "bruker_til_stede": "ja",
        "nåsituasjon": "Kari har startet i ny jobb 50 %. Avlastning fungerer godt.",
        "brukers_stemme": "Kari ønsker å prioritere å klare middag til barna selv.",
        "neste_mote_dato": dt.date.fromisoformat(d["next_meeting"]),
        "neste_mote_fra": dt.time(9, 0),
        "neste_mote_til": dt.time(10, 0),
        "neste_mote_sted": "Rådhuset, møterom 2",
        "neste_mote_deltakere": "Kari Nordmann; Ola Hansen; Per Olsen",
    }
    lists = {
        "Deltakere": [
            ("Per Olsen", "Fastlege", "ja"),
            ("Line Berg", "Fysioterapeut", "nei" if kind == DocumentKind.invitation else "ja"),
        ],
        "Foresatte": [("Anne Nordmann", "mor")],
        "Saksliste": [("Status siden forrige møte",), ("Søknad om avlastning",)],
        "Mål": [("Klare hverdagen som mamma",)],
        "Tiltak": [
            ("Søke om avlastning", "Koordinator", deadline),
            ("Vurdere hjelpemidler på kjøkkenet", "Ergoterapeut", deadline),
        ],
        "Tiltak fra forrige": [
            ("Søke om støttekontakt", "Koordinator", meeting, "utført", None),
        ],
    }
    return fields, lists


def _for(kind: str, used_by: str) -> bool:
    return used_by == _BOTH or used_by == ("bare " + kind)


def write_workbook(kind: str, target: Path, *, today: dt.date) -> None:
    """The one-meeting workbook (FORMATS.md §2, §5): every field and sheet, the example filled
    where `kind` uses it, dropdowns and date and time checks, and «Slik fyller du ut»."""
    from openpyxl import Workbook

    from .readers.fields import normalise_key
    from .readers.workbook import LIST_SHEETS, MEETING_FIELDS, accepts

    if kind not in (DocumentKind.invitation, DocumentKind.minutes):
        raise ValueError(kind)
    fields, lists = _meeting_example(kind, today)
    book = Workbook()
    sheet = book.active
    sheet.title = "Møte"
    sheet.append(("felt", "verdi", "forklaring"))
    checks = _Checks(sheet)
    for number, (name, explained, used_by, value_kind) in enumerate(_MEETING_ROWS, start=2):
        # An example only where this document reads it: a filled field it does not read would
        # be warned about («kommer ikke med»), and a skeleton gives no warnings.
        value = fields.get(name)
        if not (_for(kind, used_by) and accepts(kind, MEETING_FIELDS[normalise_key(name)])):
            value = None
        note = explained if used_by == _BOTH else f"{explained} ({used_by})"
        sheet.append((name, value, note))
        checks.add(value_kind, f"B{number}", sheet.cell(row=number, column=2))
    _header(sheet, {"A": 24, "B": 40, "C": 62})
    for title, (columns, used_by) in _LIST_SHEETS.items():
        ws = book.create_sheet(title)
        ws.append([name for name, _ in columns])
        key, _, _ = LIST_SHEETS[normalise_key(title)]
        if _for(kind, used_by) and accepts(kind, (key,)):
            for row in lists[title]:
                ws.append(row)
        checks = _Checks(ws)
        widths: dict[str, int] = {}
        for index, (_, value_kind) in enumerate(columns, start=1):
            letter = ws.cell(row=1, column=index).column_letter
            widths[letter] = _WIDTHS[value_kind]
            checks.add(value_kind, f"{letter}2:{letter}{_VALUE_ROWS}")
            _column_format(ws, letter, value_kind, rows=len(lists[title]) + 1)
        _header(ws, widths)
    _instructions(book, _MEETING_HELP(kind))
    book.save(target)


def _MEETING_HELP(kind: str) -> list[tuple[str, ...]]:  # noqa: N802 - reads as the constant it is
    other = DocumentKind.minutes if kind == DocumentKind.invitation else DocumentKind.invitation
    return [
        (f"Slik fyller du ut arbeidsboken ({kind})",),
        ("",),
        ("Arbeidsboken er for ett møte. Den kan lage både innkallingen og referatet.",),
        (
            f"Feltene og arkene merket «bare {other}» står tomme: fyll dem ut når du lager et {other}.",
        ),
        ("",),
        ("ark", "hva du skriver"),
        ("Møte", "Ett felt per rad: feltnavnet i kolonne A, det du skriver i kolonne B."),
        ("", "Kolonne C forklarer feltet. Ikke endre feltnavnene i kolonne A."),
        ("Deltakere", "Én person per rad: navn, rolle og fast (ja, eller nei når personen er"),
        ("", "kalt inn bare til dette møtet)."),
        ("Foresatte", "Foresatte eller verge som var med på møtet: navn og rolle (bare referat)."),
        ("Saksliste", "Én sak per rad (bare innkalling)."),
        ("Mål", "Ett mål per rad (bare referat)."),
        ("Tiltak", "Hva som skal gjøres, hvem som har ansvaret og fristen (bare referat)."),
        ("", "Hvert tiltak trenger alle tre."),
        (
            "Tiltak fra forrige",
            "Oppfølging av tiltakene fra forrige møte, med status (bare referat).",
        ),
        ("",),
        ("Datoer, klokkeslett og lister:",),
        ("dato", "Skriv datoen som 03.12.2026. Excel gjør den om til en dato."),
        ("klokkeslett", "Skriv klokkeslettet som 09:00."),
        ("lister", "Der det er en pil i cellen, velger du fra listen (for eksempel ja eller nei)."),
        ("",),
        ("Når du er ferdig:",),
        (f"ipdocs render {kind}.xlsx", "lager dokumentet i outbox/<sak>/"),
        (f"ipdocs check {kind}.xlsx", "sjekker arbeidsboken uten å lage noe"),
        ("",),
        ("Er noe feil, sier ipdocs hvilken celle det gjelder og hvordan du retter det.",),
    ]


class _Checks:
    """Excel's own checks on the cells a person types into: a dropdown where there is a list
    to choose from, a date or a time where one belongs, each with a Norwegian message."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        self.made: dict[str, Any] = {}  # kind of value → its openpyxl DataValidation

    def add(self, value_kind: str, cells: str, cell: Any = None) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        if cell is not None:
            if value_kind == "date":
                cell.number_format = _DATE_FORMAT
            elif value_kind == "time":
                cell.number_format = _TIME_FORMAT
            elif value_kind == "phone":
                cell.number_format = "@"
        rule = self.made.get(value_kind)
        if rule is None:
            options = _RULES.get(value_kind)
            if options is None:
                return
            rule = DataValidation(allow_blank=True, showErrorMessage=True, **options)
            self.ws.add_data_validation(rule)
            self.made[value_kind] = rule
        rule.add(cells)


def _choice(values: tuple[str, ...], what: str) -> dict:
    listed = ", ".join(values[:-1]) + " eller " + values[-1]
    return {
        "type": "list",
        "formula1": '"' + ",".join(values) + '"',
        "errorStyle": "stop",
        "errorTitle": "Velg fra listen",
        "error": f"Her skal det stå {what}: {listed}. Velg fra listen i cellen.",
        "promptTitle": "Velg fra listen",
        "prompt": f"{listed}",
        "showInputMessage": True,
    }


_RULES = {
    "dokument": _choice((DocumentKind.invitation, DocumentKind.minutes), "hvilket dokument"),
    "sprak": _choice(("nb", "nn"), "språket"),
    "yes": _choice(_YES_NO, "ja eller nei"),
    "status": _choice(_STATUSES, "hvordan det gikk med tiltaket"),
    "date": {
        "type": "date",
        "operator": "between",
        "formula1": "DATE(2000,1,1)",
        "formula2": "DATE(2100,12,31)",
        # A warning, not a stop: ipdocs also reads a date written as text («3.12.2026»).
        "errorStyle": "warning",
        "errorTitle": "Ikke en dato",
        "error": "Her skal det stå en dato, for eksempel 03.12.2026. Velg Nei og skriv datoen på nytt.",
    },
    "time": {
        "type": "time",
        "operator": "between",
        "formula1": "0",
        "formula2": "0.999988425925926",
        "errorStyle": "warning",
        "errorTitle": "Ikke et klokkeslett",
        "error": "Her skal det stå et klokkeslett, for eksempel 09:00. Velg Nei og skriv det på nytt.",
    },
}


def _column_format(ws: Any, letter: str, value_kind: str, *, rows: int) -> None:
    """The column's number format, for the example rows and for what is typed below them."""
    number_format = {"date": _DATE_FORMAT, "time": _TIME_FORMAT}.get(value_kind)
    if number_format is None:
        return
    # The column's own style (Excel gives it to every new cell) keeps the sheet's size record
    # to the rows in use; the example rows get it too.
    ws.column_dimensions[letter].number_format = number_format
    for row in range(2, rows + 1):
        ws[f"{letter}{row}"].number_format = number_format


def _header(ws: Any, widths: dict[str, int]) -> None:
    from openpyxl.styles import Alignment, Font

    for cell in ws[1]:
        cell.font = Font(bold=True)
    ws.freeze_panes = "A2"
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width
        if width >= 40:
            for cell in ws[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")


def _instructions(book: Any, rows: list[tuple[str, ...]]) -> None:
    from openpyxl.styles import Font

    from .readers.workbook import INSTRUCTIONS_SHEET

    sheet = book.create_sheet(INSTRUCTIONS_SHEET)
    for row in rows:
        sheet.append(row)
    sheet["A1"].font = Font(bold=True, size=14)
    for row in sheet.iter_rows():
        if row[0].value in ("kolonne", "ark") or (row[0].value or "").endswith(":"):
            row[0].font = Font(bold=True)
    sheet.column_dimensions["A"].width = 38
    sheet.column_dimensions["B"].width = 80


# --- the secretaries' batch workbook (FORMATS.md §2, `ipdocs skeleton batch --xlsx`) -------

_BATCH_WIDTHS = {
    "sak": 16,
    "bruker": 22,
    "dato": 12,
    "fra": 8,
    "til": 8,
    "sted": 26,
    "tolk": 12,
    "koordinator": 20,
    "koordinator_telefon": 20,
    "deltakere": 44,
    "saksliste": 44,
}
_BATCH_HELP = [
    ("Slik fyller du ut arket «Innkallinger»",),
    ("",),
    ("Hver rad blir én innkalling. Første rad har kolonnenavnene: ikke endre dem.",),
    ("Kolonnene kan stå i hvilken rekkefølge du vil. Tomme rader hoppes over.",),
    ("",),
    ("kolonne", "hva du skriver"),
    ("sak", "Saksnøkkelen, for eksempel IP-2026-0042. Bare bokstaver, tall, - og _."),
    ("", "Aldri fødselsnummer: saksnøkkelen blir navnet på en mappe."),
    ("bruker", "Navnet på personen møtet gjelder."),
    ("dato", "Datoen for møtet, for eksempel 03.12.2026."),
    ("fra", "Når møtet begynner, for eksempel 09:00."),
    ("til", "Når møtet slutter, for eksempel 10:30."),
    ("sted", "Hvor møtet er."),
    ("tolk", "Språket tolken skal tolke til, for eksempel arabisk. La cellen stå tom uten tolk."),
    ("koordinator", "Navnet på koordinatoren."),
    ("koordinator_telefon", "Telefonnummeret deltakerne ringer for å si om de kommer."),
    ("deltakere", "Hvem som skal delta, som Navn (Rolle)."),
    ("", "Skill flere med semikolon (;) eller linjeskift (Alt+Enter i cellen)."),
    ("saksliste", "Sakene på møtet. Skill dem med semikolon (;) eller linjeskift."),
    ("",),
    ("Disse kolonnene kan du legge til om du trenger dem:",),
    ("svarfrist", "Når deltakerne må si fra om de kommer."),
    ("sendt", "Datoen innkallingen sendes (ellers dagens dato)."),
    ("sprak", "nb (bokmål) eller nn (nynorsk)."),
    ("bruker_adresse", "Adressen til personen."),
    ("koordinator_tjeneste", "Tjenesten koordinatoren jobber i."),
    ("koordinator_epost", "E-postadressen til koordinatoren."),
    ("",),
    ("Når du er ferdig:",),
    ("ipdocs batch innkallinger.xlsx", "lager alle innkallingene i outbox/<sak>/"),
    ("ipdocs batch innkallinger.xlsx --pdf", "lager også en PDF av hver innkalling"),
    ("",),
    ("Er en rad feil, blir den ikke laget. ipdocs sier hvilken celle som er feil og hvordan du",),
    ("retter den. De andre radene blir laget likevel.",),
]


def write_batch_workbook(target: Path, *, today: dt.date) -> None:
    """The secretaries' workbook: headers, one example row, formats, widths, instructions."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment

    from .readers.batch import REQUIRED, SHEET

    meeting = dt.date.fromisoformat(dates(today)["meeting"])
    example = {
        "sak": "IP-2026-0042",
        "bruker": "Kari Nordmann",
        "dato": meeting,
        "fra": dt.time(9, 0),
        "til": dt.time(10, 30),
        "sted": "Rådhuset, møterom 2",
        "tolk": "arabisk",
        "koordinator": "Ola Hansen",
        "koordinator_telefon": "400 31 579",
        "deltakere": "Per Olsen (Fastlege); Line Berg (Fysioterapeut)",
        "saksliste": "Status siden forrige møte; Søknad om avlastning",
    }
    kinds = {"dato": "date", "fra": "time", "til": "time", "koordinator_telefon": "phone"}
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(list(REQUIRED))
    sheet.append([example[name] for name in REQUIRED])
    checks = _Checks(sheet)
    for index, name in enumerate(REQUIRED, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        value_kind = kinds.get(name, "text")
        # The column's own format (Excel gives it to every new cell), so what a secretary
        # types is a real date or time; no empty rows formatted ahead, which would make the
        # sheet look 500 rows long to the progress bar.
        checks.add(value_kind, f"{letter}2:{letter}2000", sheet.cell(row=2, column=index))
        _column_format(sheet, letter, value_kind, rows=2)
        if value_kind == "phone":
            sheet.column_dimensions[letter].number_format = "@"
        if name in ("deltakere", "saksliste"):
            sheet.cell(row=2, column=index).alignment = Alignment(wrap_text=True, vertical="top")
    _header(sheet, _BATCH_WIDTHS_BY_LETTER())
    _instructions(book, _BATCH_HELP)
    book.save(target)


def _BATCH_WIDTHS_BY_LETTER() -> dict[str, int]:  # noqa: N802
    from openpyxl.utils import get_column_letter

    from .readers.batch import REQUIRED

    return {get_column_letter(i): _BATCH_WIDTHS[n] for i, n in enumerate(REQUIRED, start=1)}


# --- a workbook filled from a case (`ipdocs skeleton referat|innkalling --sak SAK --xlsx`) --


def _cell(value: object) -> object:
    """Dates and times as real Excel cells."""
    if (
        isinstance(value, str)
        and len(value) == 5
        and value[2] == ":"
        and value.replace(":", "").isdigit()
    ):
        return dt.time(int(value[:2]), int(value[3:]))
    return value


def write_filled_workbook(raw: dict, target: Path) -> None:
    """The one-meeting workbook (FORMATS.md §2) holding `raw` (the fields of a YAML input)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    person, coordinator, meeting = raw["bruker"], raw["koordinator"], raw["mote"]
    rows: list[tuple[str, object]] = [
        ("dokument", raw["dokument"]),
        ("sak", raw["sak"]),
        ("bruker", person["navn"]),
        ("bruker_fodt", person.get("fodt")),
        ("dato", meeting["dato"]),
        ("fra", _cell(meeting["fra"])),
        ("til", _cell(meeting["til"])),
        ("sted", meeting["sted"]),
        ("koordinator", coordinator["navn"]),
        ("koordinator_telefon", coordinator.get("telefon")),
        ("koordinator_tjeneste", coordinator.get("tjeneste")),
        ("koordinator_epost", coordinator.get("epost")),
    ]
    if raw["dokument"] == DocumentKind.minutes:
        rows += [
            ("referent", raw.get("referent")),
            ("nåsituasjon", None),
            ("brukers_stemme", None),
            ("neste_mote_dato", None),
            ("neste_mote_fra", None),
            ("neste_mote_til", None),
            ("neste_mote_sted", None),
        ]
    book = Workbook()
    sheet = book.active
    sheet.title = "Møte"
    sheet.append(("felt", "verdi"))
    for name, value in rows:
        sheet.append((name, value))
    lists: dict[str, list[tuple[object, ...]]] = {
        "Deltakere": [("navn", "rolle")]
        + [(p["navn"], p.get("rolle", "")) for p in raw.get("deltakere", [])],
    }
    if raw["dokument"] == DocumentKind.invitation:
        lists["Saksliste"] = [("punkt",)] + [(item,) for item in raw["saksliste"]]
    else:
        lists["Tiltak fra forrige"] = [("tiltak", "ansvar", "frist", "status", "kommentar")] + [
            (a["tiltak"], a["ansvar"], a["frist"], None, None) for a in raw["tiltak_fra_forrige"]
        ]
        lists["Mål"] = [("mål",)]
        lists["Tiltak"] = [("tiltak", "ansvar", "frist")]
    for title, data in lists.items():
        ws = book.create_sheet(title)
        for line in data:
            ws.append(line)
    for ws in book.worksheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD.MM.YYYY"
                elif isinstance(cell.value, dt.time):
                    cell.number_format = "HH:MM"
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for letter, width in zip("ABCDE", (36, 40, 14, 16, 30), strict=True):
            ws.column_dimensions[letter].width = width
        ws.freeze_panes = "A2"
    book.save(target)
