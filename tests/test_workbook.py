"""The one-meeting workbook (FORMATS.md §2): typed cells, text dates, errors named by cell."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import TODAY
from openpyxl import Workbook

from ipdocs import readers, skeletons
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
    assert "arket «Notater»" in text


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
    skeletons.write_workbook(kind, path, today=TODAY)
    entry = read_one(path)
    assert entry.problems == ()
    assert isinstance(entry.document, cls)
