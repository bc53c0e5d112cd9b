"""Ready-to-fill example inputs (`ipdocs skeleton`), dated from today so they give no warnings.

`ipdocs templates check` renders these too: they fill every field a template can show.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .kinds import DocumentKind

_YAML: dict[str, str] = {
    DocumentKind.invitation: """\
# Innkalling til ansvarsgruppemøte. Fyll ut og legg filen i innboksen,
# eller kjør: ipdocs render {name}
dokument: innkalling
sak: IP-2026-0042                     # saksnøkkel: bokstaver, tall, - og _ (aldri fødselsnummer)
sprak: nb                             # nb (bokmål) eller nn (nynorsk)
forste_mote: false                    # true: første møte (samtykke skrives under, infoside kommer med)
bruker:
  navn: Kari Nordmann
  adresse: Storgata 1, 7580 Selbu     # står i adressefeltet når brevet sendes i posten; kan sløyfes
  fodt: 15.07.1965                    # fødselsdato, kan sløyfes (for et barn går brevet til foresatte)
foresatte:                            # foresatte/verge, inviteres først etter personen; kan sløyfes
  - {{navn: Anne Nordmann, rolle: verge}}
koordinator:
  navn: Ola Hansen
  tjeneste: Helsestasjonen            # kan sløyfes
  telefon: "400 31 579"
  epost: ola.hansen@selbu.kommune.no  # kan sløyfes
mote:
  dato: {meeting}
  fra: "09:00"
  til: "11:00"                        # med tolk: sett av mer enn 1,5 time
  sted: Rådhuset, møterom 2
  tolk:                               # sløyf, eller skriv tolk: false, når det ikke skal være tolk
    sprak: arabisk
deltakere:
  - navn: Per Olsen
    rolle: Fastlege
  - navn: Line Berg
    rolle: Fysioterapeut
    fast: false                       # kalt inn bare til dette møtet
saksliste:
  - Status siden forrige møte
  - Søknad om avlastning
svarfrist: {reply_by}                 # kan sløyfes
sendt: {today}                        # kan sløyfes (da brukes dagens dato)
""",
    DocumentKind.minutes: """\
# Referat fra ansvarsgruppemøte (Referatmal, Selbu-rutinen)
dokument: referat
sak: IP-2026-0042
bruker: {{navn: Kari Nordmann}}
koordinator: {{navn: Ola Hansen, telefon: "400 31 579"}}
referent: Line Berg
mote: {{dato: {past}, fra: "09:00", til: "10:30", sted: "Rådhuset, møterom 2"}}
deltakere:
  - {{navn: Per Olsen, rolle: Fastlege}}
  - {{navn: Line Berg, rolle: Fysioterapeut}}
foresatte:                            # foresatte/verge, kan sløyfes
  - {{navn: Anne Nordmann, rolle: mor}}
nåsituasjon: |
  Kari har startet i ny jobb 50 %. Avlastning fungerer godt.
brukers_stemme: |
  Kari ønsker å prioritere å klare middag til barna selv.
mål:
  - Klare hverdagen som mamma
tiltak:                               # hvert tiltak trenger tiltak, ansvar og frist
  - {{tiltak: Søke om avlastning, ansvar: Koordinator, frist: {deadline}}}
  - {{tiltak: Vurdere hjelpemidler på kjøkkenet, ansvar: Ergoterapeut, frist: {deadline}}}
neste_mote:
  dato: {next_meeting}
  fra: "09:00"
  til: "10:00"
  sted: Rådhuset, møterom 2
  deltakere: [Kari Nordmann, Ola Hansen, Per Olsen]
skrevet: {today}                      # datoen referatet ble skrevet; kan sløyfes (da brukes dagens dato)
bruker_til_stede: true                # false: personen var ikke med på møtet
sendes_til: [Kari Nordmann, Anne Nordmann, Per Olsen]   # kan sløyfes: da personen, foresatte og faste deltakere
evaluering: |                         # den årlige evalueringen; kan sløyfes
  Tjenestene fungerer. Gruppen fortsetter med de samme deltakerne.
# avslutning: |                       # når ansvarsgruppen avsluttes: vurderingene som er gjort
#   Kari ønsker ikke lenger ansvarsgruppe. Tjenestene fortsetter hver for seg.
""",
    DocumentKind.consent: """\
# Samtykke til ansvarsgruppe og individuell plan
dokument: samtykke
sak: IP-2026-0042
bruker: {{navn: Kari Nordmann}}   # fødselsnummer (11 siffer): skriv  , fodselsnummer: "…"  etter navnet
gjelder: [ansvarsgruppe, individuell plan]
opplysninger: Helseopplysninger som er nødvendige for arbeidet med individuell plan
mottakere: [Fastlege Per Olsen, NAV Selbu, Fysioterapitjenesten]
formal: Samordne tjenestene i ansvarsgruppen
gyldig_fra: {meeting}
gyldig_til: {year_later}
overforing_ved_flytting: false        # true: gjelder også overføring til ny kommune
underskriver: {{navn: Anne Nordmann, rolle: verge}}   # sløyf når personen selv skriver under
# underskrivere:                      # to som skriver under (for et barn: begge foreldrene), i stedet for underskriver
#   - {{navn: Fadumo Hassan, rolle: mor}}
#   - {{navn: Ali Hassan, rolle: far}}
""",
    DocumentKind.power_of_attorney: """\
# Fullmakt (eksempelet i heftet «Individuell plan = brukers plan»)
dokument: fullmakt
sak: IP-2026-0042
# fødselsnummer (11 siffer): skriv  , fodselsnummer: "…"  etter navnet
fullmaktsgiver: {{navn: Peder Berg, adresse: "Storåsen, 2400 Elverum"}}
fullmektig: {{navn: Mona Ås}}
gjelder: NAV trygd
fra: {today_no}
til: {quarter_no}
dato: {today_no}
""",
}

KINDS = tuple(str(kind) for kind in _YAML)  # plain text: click's Choice shows enum names


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def dates(today: dt.date) -> dict[str, str]:
    meeting = _weekday(today + dt.timedelta(days=14))
    past = _weekday(today - dt.timedelta(days=3))
    if past > today:
        past = today
    return {
        "today": today.isoformat(),
        "today_no": today.strftime("%d.%m.%Y"),
        "meeting": meeting.isoformat(),
        "reply_by": (meeting - dt.timedelta(days=4)).isoformat(),
        "past": past.isoformat(),
        "deadline": (today + dt.timedelta(days=45)).isoformat(),
        "next_meeting": _weekday(today + dt.timedelta(days=90)).isoformat(),
        "year_later": (meeting + dt.timedelta(days=365)).isoformat(),
        "quarter_no": (today + dt.timedelta(days=92)).strftime("%d.%m.%Y"),
    }


def yaml_text(kind: str, *, today: dt.date, name: str = "") -> str:
    return _YAML[kind].format(name=name or f"{kind}.yaml", **dates(today))


def write_workbook(kind: str, target: Path, *, today: dt.date) -> None:
    """The one-meeting workbook (FORMATS.md §2) with real Excel date and time cells."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    if kind not in (DocumentKind.invitation, DocumentKind.minutes):
        raise ValueError(kind)
    d = dates(today)
    meeting = dt.date.fromisoformat(d["meeting"] if kind == DocumentKind.invitation else d["past"])
    rows = [
        ("felt", "verdi"),
        ("dokument", kind),
        ("sak", "IP-2026-0042"),
        ("bruker", "Kari Nordmann"),
        ("dato", meeting),
        ("fra", dt.time(9, 0)),
        ("til", dt.time(11, 0) if kind == DocumentKind.invitation else dt.time(10, 30)),
        ("sted", "Rådhuset, møterom 2"),
        ("tolk", "arabisk" if kind == DocumentKind.invitation else None),
        ("koordinator", "Ola Hansen"),
        ("koordinator_telefon", "400 31 579"),
    ]
    if kind == DocumentKind.invitation:
        rows += [("forste_mote", False), ("bruker_fodt", None)]
    if kind == DocumentKind.minutes:
        rows += [
            ("referent", "Line Berg"),
            ("nåsituasjon", "Kari har startet i ny jobb 50 %. Avlastning fungerer godt."),
            ("brukers_stemme", "Kari ønsker å prioritere å klare middag til barna selv."),
            ("neste_mote_dato", dt.date.fromisoformat(d["next_meeting"])),
            ("neste_mote_fra", dt.time(9, 0)),
            ("neste_mote_til", dt.time(10, 0)),
            ("neste_mote_sted", "Rådhuset, møterom 2"),
            ("skrevet", today),
            ("bruker_til_stede", True),
            ("evaluering", None),
            ("avslutning", None),
        ]
    book = Workbook()
    sheet = book.active
    sheet.title = "Møte"
    for row in rows:
        sheet.append(row)
    for cell in sheet["B"]:
        if isinstance(cell.value, dt.date):
            cell.number_format = "DD.MM.YYYY"
        elif isinstance(cell.value, dt.time):
            cell.number_format = "HH:MM"
    lists: dict[str, list[tuple[object, ...]]] = {
        "Deltakere": [("navn", "rolle"), ("Per Olsen", "Fastlege"), ("Line Berg", "Fysioterapeut")],
    }
    if kind == DocumentKind.invitation:
        lists["Saksliste"] = [("punkt",), ("Status siden forrige møte",), ("Søknad om avlastning",)]
    else:
        deadline = dt.date.fromisoformat(d["deadline"])
        lists["Mål"] = [("mål",), ("Klare hverdagen som mamma",)]
        lists["Tiltak"] = [
            ("tiltak", "ansvar", "frist"),
            ("Søke om avlastning", "Koordinator", deadline),
            ("Vurdere hjelpemidler på kjøkkenet", "Ergoterapeut", deadline),
        ]
    for title, data in lists.items():
        ws = book.create_sheet(title)
        for line in data:
            ws.append(line)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "DD.MM.YYYY"
    for ws in book.worksheets:
        ws.column_dimensions["A"].width = 36
        ws.column_dimensions["B"].width = 40
        ws.column_dimensions["C"].width = 14
        for cell in ws[1]:
            cell.font = Font(bold=True)
    book.save(target)


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
    from openpyxl.styles import Alignment, Font

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
    formats = {"dato": "DD.MM.YYYY", "fra": "HH:MM", "til": "HH:MM", "koordinator_telefon": "@"}
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(list(REQUIRED))
    sheet.append([example[name] for name in REQUIRED])
    sheet.freeze_panes = "A2"
    for index, name in enumerate(REQUIRED, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = _BATCH_WIDTHS[name]
        sheet.cell(row=1, column=index).font = Font(bold=True)
        # Format the column's first rows ahead, so what a secretary types is a real date or time.
        for row in range(2, 501):
            cell = sheet.cell(row=row, column=index)
            if name in formats:
                cell.number_format = formats[name]
            if name in ("deltakere", "saksliste"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    help_sheet = book.create_sheet("Slik fyller du ut")
    for line in _BATCH_HELP:
        help_sheet.append(line)
    help_sheet["A1"].font = Font(bold=True, size=14)
    for row in help_sheet.iter_rows():
        if row[0].value in ("kolonne",) or (row[0].value or "").endswith(":"):
            row[0].font = Font(bold=True)
    help_sheet.column_dimensions["A"].width = 38
    help_sheet.column_dimensions["B"].width = 80
    book.save(target)
