"""Where a finished file goes, and what the note or report beside it says."""

from __future__ import annotations

import datetime as dt
from pathlib import PurePath

from ipdocs.errors import Notice, Problem
from ipdocs.ledger import InputRow
from ipdocs.results import Made, Refused, Result
from ipdocs.watch.claim import Claim
from ipdocs.watch.folders import Folders
from ipdocs.watch.outcome import file_duplicate, file_result


def _claim(tmp_path, name="bok.xlsx") -> tuple[Folders, Claim]:
    folders = Folders(tmp_path / "inbox")
    folders.inbox.mkdir()
    folders.ensure()
    held = folders.work / "eier" / "innboks" / name
    held.parent.mkdir(parents=True)
    held.write_bytes(b"original")
    return folders, Claim(held, PurePath(name))


def _made(case: str, warnings=()) -> Made:
    return Made("rad 2", case, "innkalling", dt.date(2026, 12, 3), None, tuple(warnings))


def test_a_partly_made_workbook_goes_to_feil_with_what_was_made(tmp_path):
    folders, claim = _claim(tmp_path)
    problem = Problem("cellen Innkallinger!D3", "«31.02.2027» er ikke en dato som finnes.")
    result = Result(claim.path, (_made("IP-1"),), (Refused("rad 3", (problem,)),))
    target = file_result(claim, result, folders)
    assert target == folders.failed / "bok.xlsx" and target.read_bytes() == b"original"
    assert not claim.path.exists()
    report = (folders.failed / "bok.xlsx.feil.txt").read_text(encoding="utf-8")
    assert "rad 3: cellen Innkallinger!D3" in report
    assert "Disse ble laget:\n- rad 2: innkalling for IP-1" in report
    assert "legg den i innboksen på nytt" in report


def test_warnings_are_noted_beside_a_made_file(tmp_path):
    folders, claim = _claim(tmp_path, "innkalling.yaml")
    warning = Notice("Innkallingen sendes mindre enn en uke før møtet.")
    target = file_result(claim, Result(claim.path, (_made("IP-1", [warning]),), ()), folders)
    assert target == folders.done / "innkalling.yaml"
    note = (folders.done / "innkalling.yaml.merknad.txt").read_text(encoding="utf-8")
    assert "rad 2: Innkallingen sendes mindre enn en uke før møtet." in note


def test_a_copy_is_kept_with_a_note_naming_the_first_file(tmp_path):
    folders, claim = _claim(tmp_path, "kopi.yaml")
    outbox = tmp_path / "outbox"
    prior = InputRow(
        "sha",
        "referat.yaml",
        "ok",
        "2026-11-24T10:15:00+01:00",
        [str(outbox.resolve() / "IP-1" / "2026-12-03_referat.docx")],
        [],
        [],
    )
    file_duplicate(claim, prior, folders, outbox)
    note = (folders.done / "kopi.yaml.merknad.txt").read_text(encoding="utf-8")
    assert "samme innhold som «referat.yaml»" in note and "24.11.2026 kl. 10.15" in note
    assert "- IP-1/2026-12-03_referat.docx" in note


def test_a_partly_made_workbook_report_keeps_the_warnings_of_the_rows_made(tmp_path):
    folders, claim = _claim(tmp_path)
    warning = Notice("En fastlege er invitert. Husk å bestille dobbelttime via legekontoret.")
    problem = Problem("cellen Innkallinger!D3", "«31.02.2027» er ikke en dato som finnes.")
    result = Result(claim.path, (_made("IP-1", [warning]),), (Refused("rad 3", (problem,)),))
    file_result(claim, result, folders)
    report = (folders.failed / "bok.xlsx.feil.txt").read_text(encoding="utf-8")
    assert "Se også på dette:\n- rad 2: En fastlege er invitert." in report


def test_a_fodselsnummer_in_the_file_name_stays_out_of_the_report_and_its_name(tmp_path):
    folders, claim = _claim(tmp_path, "kari 158765-10089.yaml")
    problem = Problem("feltet «sak»", "Feltet mangler eller er tomt.")
    file_result(claim, Result(claim.path, (), (Refused("", (problem,)),)), folders)
    [report] = folders.failed.glob("*.feil.txt")
    assert report.name == "kari ***********.yaml.feil.txt"
    text = report.read_text(encoding="utf-8")
    assert "10089" not in text and "fødselsnummer" in text  # and it says to rename the file
    assert (folders.failed / "kari 158765-10089.yaml").read_bytes() == b"original"  # kept as is


def test_a_name_as_long_as_the_filesystem_takes_gets_a_shortened_report(tmp_path):
    name = "møtereferat-" * 19 + "x.yaml"  # 253 bytes: «.feil.txt» would not fit after it
    folders, claim = _claim(tmp_path, name)
    problem = Problem("feltet «sak»", "Feltet mangler eller er tomt.")
    target = file_result(claim, Result(claim.path, (), (Refused("", (problem,)),)), folders)
    assert target == folders.failed / name and target.read_bytes() == b"original"
    [report] = [p for p in folders.failed.iterdir() if p.name.endswith(".feil.txt")]
    assert len(report.name.encode()) <= 255 and report.name.startswith("møtereferat-møte")
    assert "feltet «sak»: Feltet mangler eller er tomt." in report.read_text(encoding="utf-8")
    assert not claim.path.exists()

    # the same long name again: `navn (2).yaml`, shortened too
    (tmp_path / "to").mkdir()
    folders2, claim2 = _claim(tmp_path / "to", name)
    (folders2.failed / name).write_bytes(b"first")
    target2 = file_result(claim2, Result(claim2.path, (), (Refused("", (problem,)),)), folders2)
    assert target2.name.endswith(" (2).yaml") and len(target2.name.encode()) <= 255
    assert (folders2.failed / name).read_bytes() == b"first"


def test_a_name_holding_a_fødselsnummer_gets_a_report_named_without_it(tmp_path):
    folders, claim = _claim(tmp_path, "Kari 15 87 65 10089.yaml")
    problem = Problem("feltet «sak»", "Feltet mangler eller er tomt.")
    file_result(claim, Result(claim.path, (), (Refused("", (problem,)),)), folders)
    reports = [p.name for p in folders.failed.iterdir() if p.name.endswith(".feil.txt")]
    assert reports == ["Kari ***********.yaml.feil.txt"]
