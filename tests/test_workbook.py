"""The one-meeting workbook (FORMATS.md §2): typed cells, text dates, errors named by cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import TODAY, docx_text, run_cli
from openpyxl import Workbook

from ipdocs import readers, skeleton_workbooks
from ipdocs.errors import ExitCode
from ipdocs.model import Invitation, Minutes

MEETING_ROWS = [
    ("felt", "verdi"),
    ("dokument", "referat"),
    ("sak", "IP-2026-0042"),
    ("bruker", "Kari Nordmann"),
    ("dato", dt.datetime(2026, 12, 3)),  # a real Excel date cell
    ("fra", dt.time(9, 0)),  # a real Excel time cell
    ("til", "10.30"),  # text
    ("sted", "Rådhuset, møterom 2"),
    ("tolk", None),
    ("koordinator", "Ola Hansen"),
    ("koordinator_telefon", 40031579),
    ("referent", "Line Berg"),
    ("Nåsituasjon", "Kari har startet i ny jobb 50 %."),
    ("brukers_stemme", "Kari vil lage middag selv."),
]


def workbook(
    tmp_path: Path, rows=MEETING_ROWS, sheets: dict | None = None, name="mote.xlsx"
) -> Path:
    book = Workbook()
    main = book.active
    main.title = "Møte"
    for row in rows:
        main.append(row)
    default_sheets = {
        "Deltakere": [
            ("Navn", "Rolle"),
            ("Per Olsen", "Fastlege"),
            (None, None),
            ("Line Berg", "Fysioterapeut"),
        ],
        "Mål": [("mål",), ("Klare hverdagen som mamma",)],
        "Tiltak": [
            ("tiltak", "ansvar", "frist"),
            ("Søke om avlastning", "Koordinator", dt.datetime(2027, 1, 15)),
            ("Vurdere hjelpemidler", "Ergoterapeut", "15.02.2027"),
        ],
    }
    for title, data in (sheets if sheets is not None else default_sheets).items():
        ws = book.create_sheet(title)
        for row in data:
            ws.append(row)
    path = tmp_path / name
    book.save(path)
    return path


def read_one(path: Path):
    [entry] = readers.read(path, today=TODAY)
    return entry


def problems(entry) -> str:
    return "\n".join(str(p) for p in entry.problems)


def test_minutes_workbook_with_typed_and_text_cells(tmp_path):
    doc = read_one(workbook(tmp_path)).document
    assert isinstance(doc, Minutes)
    assert doc.meeting.date == dt.date(2026, 12, 3)
    assert (doc.meeting.starts_at, doc.meeting.ends_at) == (dt.time(9), dt.time(10, 30))
    assert doc.meeting.interpreter is None
    assert doc.coordinator.phone == "40031579"
    assert [p.name for p in doc.participants] == ["Per Olsen", "Line Berg"]  # blank row skipped
    assert [a.deadline for a in doc.actions] == [dt.date(2027, 1, 15), dt.date(2027, 2, 15)]
    assert doc.situation == "Kari har startet i ny jobb 50 %."


def test_missing_optional_sheets_mean_empty_lists(tmp_path):
    sheets = {"Deltakere": [("navn", "rolle"), ("Per Olsen", "Fastlege")]}
    doc = read_one(workbook(tmp_path, sheets=sheets)).document
    assert doc.goals == () and doc.actions == () and doc.guardians == ()


def test_unknown_field_is_named_by_its_cell(tmp_path):
    rows = MEETING_ROWS + [("koordinator_tlf", "123")]
    with pytest.raises(readers.InputError) as info:
        readers.read(workbook(tmp_path, rows=rows), today=TODAY)
    text = str(info.value)
    assert "Møte!A15" in text and "Mente du «koordinator_telefon»?" in text


def test_bad_value_is_named_by_its_cell(tmp_path):
    rows = [r if r[0] != "til" else ("til", "halv elleve") for r in MEETING_ROWS]
    assert "cellen Møte!B7" in problems(read_one(workbook(tmp_path, rows=rows)))


def test_action_without_owner_is_named_by_its_cell(tmp_path):
    sheets = {
        "Deltakere": [("navn", "rolle"), ("Per Olsen", "Fastlege")],
        "Tiltak": [("tiltak", "ansvar", "frist"), ("Søke om avlastning", None, "15.01.2027")],
    }
    text = problems(read_one(workbook(tmp_path, sheets=sheets)))
    assert "cellen Tiltak!B2" in text and "hvem som har ansvaret" in text


def test_missing_field_names_the_sheet_and_field(tmp_path):
    rows = [r for r in MEETING_ROWS if r[0] != "sted"]
    assert "arket «Møte», feltet «sted»" in problems(read_one(workbook(tmp_path, rows=rows)))


def test_unknown_column_and_sheet(tmp_path):
    sheets = {"Deltakere": [("navn", "rolla"), ("Per Olsen", "Fastlege")], "Notater": [("x",)]}
    with pytest.raises(readers.InputError) as info:
        readers.read(workbook(tmp_path, sheets=sheets), today=TODAY)
    text = str(info.value)
    assert "Deltakere!B1" in text and "Mente du «rolle»?" in text
    assert "arket «Notater»" in text and "Mente du arket" not in text


def test_a_misspelt_sheet_gets_the_closest_name(tmp_path):
    sheets = {"Tiltaks": [("tiltak", "ansvar", "frist")]}
    with pytest.raises(readers.InputError) as info:
        readers.read(workbook(tmp_path, sheets=sheets), today=TODAY)
    assert "arket «Tiltaks»: Arket er ukjent og blir ikke lest. Mente du arket «Tiltak»?" in str(
        info.value
    )


def test_not_a_workbook(tmp_path):
    path = tmp_path / "broken.xlsx"
    path.write_bytes(b"this is not a zip file")
    with pytest.raises(readers.InputError, match="Excel-arbeidsbok"):
        readers.read(path, today=TODAY)


def test_workbook_without_the_meeting_sheet(tmp_path):
    book = Workbook()
    book.active.title = "Ark1"
    path = tmp_path / "other.xlsx"
    book.save(path)
    with pytest.raises(readers.InputError, match="«Møte»"):
        readers.read(path, today=TODAY)


@pytest.mark.parametrize("kind, cls", [("innkalling", Invitation), ("referat", Minutes)])
def test_skeleton_workbooks_read_back_without_problems(tmp_path, kind, cls):
    path = tmp_path / f"{kind}.xlsx"
    skeleton_workbooks.write_workbook(kind, path, today=TODAY)
    entry = read_one(path)
    assert entry.problems == ()
    assert isinstance(entry.document, cls)


# --- one workbook for every meeting document (FORMATS.md §2) ---------------------------------

ALL_FIELDS_INVITATION = [
    ("felt", "verdi"),
    ("dokument", "innkalling"),
    ("sak", "IP-2026-0042"),
    ("bruker", "Kari Nordmann"),
    ("dato", dt.datetime(2026, 12, 3)),
    ("fra", dt.time(9, 0)),
    ("til", dt.time(10, 30)),
    ("sted", "Rådhuset, møterom 2"),
    ("tolk", None),
    ("koordinator", "Ola Hansen"),
    ("koordinator_telefon", "400 31 579"),
    ("referent", None),
    ("nåsituasjon", None),
    ("brukers_stemme", None),
]
FOUR_SHEETS = {
    "Deltakere": [("navn", "rolle"), ("Per Olsen", "Fastlege")],
    "Saksliste": [("punkt",), ("Status siden forrige møte",)],
    "Mål": [("mål",)],
    "Tiltak": [("tiltak", "ansvar", "frist")],
}


def test_invitation_workbook_with_every_field_and_sheet_of_formats(tmp_path):
    """The layout FORMATS.md §2 describes: empty minutes rows and sheets are simply unused."""
    entry = read_one(workbook(tmp_path, rows=ALL_FIELDS_INVITATION, sheets=FOUR_SHEETS))
    assert entry.problems == ()
    assert isinstance(entry.document, Invitation)
    assert entry.document.agenda == ("Status siden forrige møte",)
    assert not any("brukes ikke" in str(n) for n in entry.notices)


def test_filled_fields_and_sheets_an_invitation_does_not_use_are_warned_about(tmp_path):
    rows = [("referent", "Line Berg") if r[0] == "referent" else r for r in ALL_FIELDS_INVITATION]
    rows += [("neste_mote_dato", dt.datetime(2027, 3, 4))]
    sheets = FOUR_SHEETS | {"Mål": [("mål",), ("Klare hverdagen som mamma",)]}
    path = workbook(tmp_path, rows=rows, sheets=sheets, name="innkalling.xlsx")
    result = run_cli("render", path.name, "--no-ics", cwd=tmp_path)
    assert result.returncode == ExitCode.ok, result.stdout + result.stderr
    out = result.stdout
    assert (
        "Advarsel: Cellen Møte!B12 (feltet «referent») brukes ikke i en innkalling og kommer "
        "ikke med." in out
    )
    assert "Cellen Møte!B15 (feltet «neste_mote_dato») brukes ikke i en innkalling" in out
    assert "Advarsel: Arket «Mål» brukes ikke i en innkalling og kommer ikke med." in out
    text = docx_text(tmp_path / "outbox" / "IP-2026-0042" / "2026-12-03_innkalling.docx")
    assert "Status siden forrige møte" in text and "Klare hverdagen" not in text


def test_minutes_workbook_with_a_filled_agenda_sheet_is_made_with_a_warning(tmp_path):
    sheets = {
        "Deltakere": [("navn", "rolle"), ("Per Olsen", "Fastlege")],
        "Saksliste": [("punkt",), ("Status",)],
    }
    entry = read_one(workbook(tmp_path, sheets=sheets))
    assert entry.problems == () and isinstance(entry.document, Minutes)
    assert "Arket «Saksliste» brukes ikke i et referat og kommer ikke med." in [
        str(n) for n in entry.notices
    ]


def test_a_field_row_written_twice_is_refused_naming_both_cells(tmp_path):
    rows = MEETING_ROWS + [("sak", "IP-2026-0043")]
    with pytest.raises(readers.InputError) as info:
        readers.read(workbook(tmp_path, rows=rows), today=TODAY)
    assert "cellen Møte!A15: Feltet «sak» står to ganger (første gang i cellen Møte!A3)." in str(
        info.value
    )


def test_a_column_written_twice_in_a_list_sheet_is_refused(tmp_path):
    sheets = {"Deltakere": [("navn", "rolle", "Navn"), ("Per Olsen", "Fastlege", "Per")]}
    with pytest.raises(readers.InputError, match=r"cellen Deltakere!C1: Kolonnen «navn» står to"):
        readers.read(workbook(tmp_path, sheets=sheets), today=TODAY)


def test_every_problem_in_a_workbook_names_its_sheet_and_cell(tmp_path):
    changed = {
        "fra": ("fra", dt.datetime(2026, 12, 3)),  # a date cell in a time field
        "tolk": ("tolk", True),  # SANN: yes, but which language?
        "sted": ("sted", None),
        "referent": ("referent", None),
    }
    rows = [changed.get(r[0], r) for r in MEETING_ROWS] + [("neste_mote_fra", "09:00")]
    sheets = {
        "Deltakere": [("navn", "rolle"), ("Per Olsen", "Fastlege"), (None, "Lege")],
        "Mål": [("mål",), (dt.datetime(2027, 1, 1),)],
        "Tiltak": [("tiltak", "ansvar"), ("Søke om avlastning", None)],
    }
    entry = read_one(workbook(tmp_path, rows=rows, sheets=sheets))
    lines = [str(p) for p in entry.problems]
    assert lines == [
        "cellen Møte!B6: «03.12.2026» er en dato, ikke et klokkeslett. Skriv klokkeslettet som "
        "09:00, 09.00, kl. 9 eller kl. 09.00.",
        "cellen Møte!B8: Feltet mangler eller er tomt. Skriv hvor møtet er.",
        "cellen Møte!B9: Det står at det skal være tolk, men ikke hvilket språk. Skriv språket i "
        "cellen, for eksempel arabisk. La cellen stå tom når det ikke skal være tolk.",
        "cellen Møte!B12: Feltet mangler eller er tomt. Skriv hvem som skrev referatet.",
        "cellen Deltakere!A3: Feltet mangler eller er tomt. Skriv navnet på deltakeren.",
        "cellen Mål!A2: Her skal det stå én tekst, men det står en dato. Skriv teksten i cellen.",
        "cellen Tiltak!B2: Feltet mangler eller er tomt. Skriv hvem som har ansvaret for tiltaket.",
        "arket «Tiltak», rad 2, kolonnen «frist»: Feltet mangler eller er tomt. Skriv innen "
        "hvilken dato tiltaket skal være gjort, for eksempel 15.01.2027.",
        "arket «Møte», feltet «neste_mote_dato»: Feltet mangler eller er tomt. Skriv datoen for "
        "neste møte, for eksempel 04.03.2027.",
    ]


def test_a_missing_participants_sheet_is_named(tmp_path):
    text = problems(read_one(workbook(tmp_path, sheets={})))
    assert "arket «Deltakere»: Feltet mangler eller er tomt." in text


def test_missing_rows_are_each_named_with_their_own_advice(tmp_path):
    rows = [("dokument", "innkalling"), ("sak", "IP-2026-0042"), ("koordinator_telefon", "4")]
    sheets = {"Deltakere": [("navn", "rolle"), ("Per Olsen", "Fastlege")]}
    assert [str(p) for p in read_one(workbook(tmp_path, rows=rows, sheets=sheets)).problems] == [
        "arket «Møte», feltet «dato»: Feltet mangler eller er tomt. Skriv datoen for møtet, for "
        "eksempel 03.12.2026.",
        "arket «Møte», feltet «fra»: Feltet mangler eller er tomt. Skriv når møtet begynner, for "
        "eksempel 09:00.",
        "arket «Møte», feltet «til»: Feltet mangler eller er tomt. Skriv når møtet slutter, for "
        "eksempel 10:30.",
        "arket «Møte», feltet «sted»: Feltet mangler eller er tomt. Skriv hvor møtet er.",
        "arket «Møte», feltet «bruker»: Feltet mangler eller er tomt. Skriv navnet på personen "
        "det gjelder.",
        "arket «Møte», feltet «koordinator»: Feltet mangler eller er tomt. Skriv navnet på "
        "koordinatoren.",
        "arket «Saksliste»: Feltet mangler eller er tomt. Skriv sakene som skal tas opp på "
        "møtet, minst én.",
    ]


def test_the_meeting_sheet_takes_the_fields_of_formats_additions(tmp_path):
    rows = [
        *MEETING_ROWS,
        ("skrevet", dt.datetime(2026, 12, 5)),
        ("bruker_til_stede", False),
        ("evaluering", "Tjenestene fungerer."),
        ("avslutning", "Gruppen avsluttes."),
        ("bruker_født", "14.05.1990"),
        ("sendes_til", "Kari Nordmann; Per Olsen"),
    ]
    doc = read_one(workbook(tmp_path, rows=rows)).document
    assert doc.written_on == dt.date(2026, 12, 5) and doc.person_present is False
    assert (doc.evaluation, doc.closing) == ("Tjenestene fungerer.", "Gruppen avsluttes.")
    assert doc.person.born == dt.date(1990, 5, 14)
    assert doc.send_to == ("Kari Nordmann", "Per Olsen")
    invitation = [r for r in ALL_FIELDS_INVITATION if r[0] not in ("referent",)]
    invitation += [("forste_mote", "ja")]
    entry = read_one(workbook(tmp_path, rows=invitation, sheets=FOUR_SHEETS, name="i.xlsx"))
    assert entry.problems == () and entry.document.first_meeting is True


# --- the skeleton workbooks guide (issue 10, point 9) ----------------------------------------


def _checks(ws) -> dict[str, tuple[str, str, str]]:
    """Each checked cell range → (type, list or lower bound, error text), as Excel reads it."""
    return {str(v.sqref): (v.type, v.formula1, v.error) for v in ws.data_validations.dataValidation}


def test_the_referat_skeleton_has_every_sheet_checks_and_fills_the_minutes(tmp_path):
    import openpyxl

    result = run_cli("skeleton", "referat", "--xlsx", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(tmp_path / "referat.xlsx")
    assert book.sheetnames == [
        "Møte",
        "Deltakere",
        "Foresatte",
        "Saksliste",
        "Mål",
        "Tiltak",
        "Tiltak fra forrige",
        "Slik fyller du ut",
    ]
    meeting = book["Møte"]
    row_of = {meeting.cell(row=r, column=1).value: r for r in range(1, meeting.max_row + 1)}
    for name in (
        "sprak",
        "bruker_adresse",
        "bruker_fodt",
        "svarfrist",
        "sendt",
        "forste_mote",
        "skrevet",
        "bruker_til_stede",
        "evaluering",
        "avslutning",
        "neste_mote_deltakere",
        "koordinator_epost",
    ):
        assert name in row_of, name
    checks = _checks(meeting)
    by_cell = {cell: check for cells, check in checks.items() for cell in cells.split()}
    assert by_cell[f"B{row_of['dokument']}"][:2] == ("list", '"innkalling,referat"')
    assert by_cell[f"B{row_of['sprak']}"][:2] == ("list", '"nb,nn"')
    assert by_cell[f"B{row_of['bruker_til_stede']}"][:2] == ("list", '"ja,nei"')
    for date_field in ("dato", "neste_mote_dato", "skrevet", "svarfrist"):
        kind, _, error = by_cell[f"B{row_of[date_field]}"]
        assert kind == "date" and error.startswith("Her skal det stå en dato"), date_field
    assert by_cell[f"B{row_of['fra']}"][0] == "time"
    assert meeting[f"B{row_of['dato']}"].number_format == "DD.MM.YYYY"
    assert meeting[f"B{row_of['fra']}"].number_format == "HH:MM"
    assert _checks(book["Deltakere"])["C2:C200"][:2] == ("list", '"ja,nei"')
    assert _checks(book["Tiltak"])["C2:C200"][0] == "date"
    statuses = _checks(book["Tiltak fra forrige"])["D2:D200"]
    assert statuses[:2] == ("list", '"utført,pågår,ikke startet,avsluttet"')
    for ws in book.worksheets[:-1]:
        assert ws.freeze_panes == "A2", ws.title
        assert ws.column_dimensions["A"].width >= 20, ws.title
    guide = "\n".join(
        str(c.value) for r in book["Slik fyller du ut"].iter_rows() for c in r if c.value
    )
    assert "Foresatte" in guide and "03.12.2026" in guide and "bare innkalling" in guide
    # Read back and made: the guardian and the next meeting's participants are in the minutes
    # (before, «Ingen foresatte eller verge deltok.» and an empty «Hvem skal delta»).
    made = run_cli("render", "referat.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "Advarsel" not in made.stdout and "kommer ikke med" not in made.stdout
    [docx] = (tmp_path / "outbox" / "IP-2026-0042").glob("*_referat.docx")
    text = docx_text(docx)
    assert "Anne Nordmann" in text
    assert "Kari Nordmann, Ola Hansen og Per Olsen" in text


def test_the_innkalling_skeleton_makes_an_invitation_without_warnings_about_unused_cells(
    tmp_path,
):
    import openpyxl

    assert run_cli("skeleton", "innkalling", "--xlsx", cwd=tmp_path).returncode == 0
    book = openpyxl.load_workbook(tmp_path / "innkalling.xlsx")
    assert "Foresatte" in book.sheetnames and "Slik fyller du ut" in book.sheetnames
    assert [c.value for c in book["Foresatte"][1]] == ["navn", "rolle"]
    assert book["Foresatte"].max_row == 1  # the minutes' sheet, left for the referat
    made = run_cli("render", "innkalling.xlsx", cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    assert "kommer ikke med" not in made.stdout
    [docx] = (tmp_path / "outbox" / "IP-2026-0042").glob("*_innkalling.docx")
    assert "Søknad om avlastning" in docx_text(docx)
