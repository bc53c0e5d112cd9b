"""What ipdocs says about a run (report/): the terminal lines, the summaries, the report file
beside a refused input, and the last line of a command that failed."""

from __future__ import annotations

import datetime as dt
import errno
import sqlite3
from pathlib import Path

from ipdocs import report
from ipdocs.errors import (
    ConversionError,
    DiskFull,
    Notice,
    OutputError,
    Problem,
    TemplateError,
)
from ipdocs.kinds import DocumentKind
from ipdocs.results import Archive, Made, Refused, Result, Stopped, TemplateReport

FNR = "15876510089"
DAY = dt.date(2026, 12, 3)


def made(case="IP-1", label="", path=None, warnings=(), extras=()):
    return Made(label, case, DocumentKind.invitation, DAY, path, warnings, extras=extras)


def test_a_made_document_its_extras_and_its_warnings(tmp_path):
    doc = tmp_path / "IP-1" / "2026-12-03_innkalling.docx"
    result = Result(
        tmp_path / "a.yaml",
        (made(path=doc, warnings=(Notice(f"Sjekk {FNR}."),), extras=(doc.with_suffix(".ics"),)),),
        (),
    )
    assert report.result_lines(result, checking=False) == [
        f"Laget: {doc} (+ .ics)  (fra a.yaml)",
        "  Advarsel: Sjekk ***********.",
    ]
    assert report.result_lines(result, checking=True) == [
        "I orden: a.yaml: innkalling for IP-1",
        "  Advarsel: Sjekk ***********.",
    ]


def test_a_refused_row_and_a_fodselsnummer_in_the_file_name(tmp_path):
    result = Result(
        tmp_path / f"{FNR}.yaml",
        (),
        (Refused("rad 3", (Problem("cellen Innkallinger!B3", "Datoen mangler.", "Skriv den."),)),),
    )
    lines = report.result_lines(result, checking=False)
    assert lines[0] == f"  Advarsel: {report.NAME_WARNING}"
    assert lines[1] == "Avvist: ***********.yaml"
    assert lines[2] == "  - rad 3: cellen Innkallinger!B3: Datoen mangler. Skriv den."
    assert FNR not in "\n".join(lines)


def test_the_refusal_report_says_what_to_fix_and_what_was_made(tmp_path):
    result = Result(
        tmp_path / "a.xlsx",
        (made(label="rad 2"),),
        (Refused("rad 3", (Problem("cellen B3", "Datoen mangler."),)),),
    )
    text = report.refusal_report(result, name="a.xlsx")
    assert text.startswith("Noen av dokumentene i «a.xlsx» ble laget, men 1 ting må rettes")
    assert "1. rad 3: cellen B3: Datoen mangler." in text
    assert "Disse ble laget:\n- rad 2: innkalling for IP-1" in text
    assert "legg den i innboksen på nytt" in text


def test_the_batch_summary(tmp_path):
    result = Result(
        tmp_path / "b.xlsx",
        (made(warnings=(Notice("Husk dobbelttime."),)), made("IP-2")),
        (Refused("rad 4", (Problem("cellen C4", "Tiden mangler."),)),),
    )
    lines = report.batch_lines(result, outbox=Path("outbox"))
    assert lines[-2] == "Ferdig: 2 innkallinger laget (1 med advarsler), 1 rad avvist."
    assert lines[-1] == "Innkallingene ligger i outbox/<sak>/."
    whole = Result(tmp_path / "b.xlsx", (), (Refused("", (Problem("filen", "Tom."),)),))
    assert report.batch_lines(whole, outbox=Path("outbox"))[-1] == (
        "Ferdig: ingen innkallinger laget. Rett filen og prøv igjen."
    )


def test_files_not_made_are_counted_by_why(tmp_path):
    stopped = [
        Stopped(tmp_path / "a.yaml", TemplateError("mal")),
        Stopped(tmp_path / "b.yaml", ConversionError("pdf")),
        Stopped(tmp_path / "c.yaml", DiskFull("full")),
        Stopped(tmp_path / "d.yaml", DiskFull("full")),
        Stopped(tmp_path / "e.yaml", OutputError("lov")),
    ]
    assert report.files_summary(3, 1, stopped, checking=False) == (
        "Ferdig: 3 dokumenter laget, 1 avvist"
        ", 1 ikke laget på grunn av feil i en mal (a.yaml)"
        ", 1 ikke laget fordi LibreOffice ikke klarte å lage PDF (b.yaml)"
        ", 2 ikke laget fordi disken er full (c.yaml, d.yaml)"
        ", 1 ikke laget fordi dokumentene ikke kunne lagres (e.yaml)."
    )
    assert report.files_summary(1, 0, [], checking=True) == "Ferdig: 1 dokument i orden, 0 avvist."


def test_the_last_line_says_whose_fault_it_was():
    assert report.failure_message(DiskFull("Disken er full.")) == "Feil: Disken er full."
    full = OSError(errno.ENOSPC, "No space left on device")
    assert report.failure_message(full).startswith("Feil: Disken er full.")
    system = report.failure_message(sqlite3.OperationalError("disk I/O error"))
    assert "ikke en feil i filen din" in system and "feil i programmet" not in system
    program = report.failure_message(ValueError(f"rart {FNR}"))
    assert "Dette er en feil i programmet" in program and FNR not in program


def test_template_and_archive_lines(tmp_path):
    lines, failures = report.template_lines(
        [TemplateReport(tmp_path / "a.docx", ()), TemplateReport(tmp_path / "b.docx", ("feil",))]
    )
    assert failures == 1
    assert lines == [
        f"I orden: {tmp_path / 'a.docx'}",
        f"Feil i {tmp_path / 'b.docx'}:",
        "  - feil",
        "1 mal må rettes.",
    ]
    archive = Archive(
        tmp_path / "a.pdf", tmp_path / "a.manifest.json", 1, 3, "x", True, document_pages=1
    )
    shown = report.archive_lines(archive, "IP-1", pdfa=True)
    assert shown[0] == (
        f"Laget arkivet: {tmp_path / 'a.pdf'}  (1 dokument, 1 side; 3 sider med forside og "
        "innholdsliste, PDF/A-2b)"
    )
    assert shown[2].startswith("Saken IP-1 er merket som avsluttet.")
