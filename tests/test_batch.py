"""The secretaries' batch (readers/batch.py) through the real `ipdocs batch` command."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from conftest import DATA, docx_text, run_cli

from ipdocs import readers
from ipdocs.errors import ExitCode
from ipdocs.readers.batch import REQUIRED

TODAY = dt.date(2026, 11, 24)
HEADER = list(REQUIRED)
# Tests that run the real command (today's date) say when the invitations were sent: a meeting
# before the day an invitation is sent is refused, and these meetings are in December 2026.
SENT = "23.11.2026"
SENT_HEADER = HEADER + ["sendt"]


def workbook(path, header, rows, sheet="Innkallinger"):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    for cells in ws.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, dt.datetime):
                cell.number_format = "DD.MM.YYYY"
            elif isinstance(cell.value, dt.time):
                cell.number_format = "HH:MM"
    book.save(path)
    return path


def row(**values):
    base = {
        "sak": "IP-2026-0042",
        "bruker": "Kari Nordmann",
        "dato": "03.12.2026",
        "fra": "09:00",
        "til": "10:30",
        "sted": "Rådhuset, møterom 2",
        "tolk": None,
        "koordinator": "Ola Hansen",
        "koordinator_telefon": "400 31 579",
        "deltakere": "Per Olsen (Fastlege); Line Berg (Fysioterapeut)",
        "saksliste": "Status; Søknad om avlastning",
        "sendt": SENT,
    }
    return base | values


def test_a_mixed_workbook_makes_every_good_row_and_names_the_bad_cells(tmp_path):
    # Headers in another order and case; Excel date and time cells mixed with text.
    header = [
        "Saksliste",
        "SAK",
        "Dato",
        "Fra",
        "til",
        "Bruker",
        "Sted",
        "Tolk",
        "Koordinator",
        "Koordinator_Telefon",
        "Deltakere",
        "Sendt",
    ]
    rows = [
        row(sak="IP-1", dato=dt.datetime(2026, 12, 3), fra=dt.time(9, 0), til=dt.time(10, 30)),
        row(sak="IP-2", dato="04.12.2026", fra="kl. 13.00", til="14.00", tolk="arabisk"),
        row(sak="IP-3", dato="2026-12-07", bruker="Per Hansen", til="10.00"),
        row(),  # blank row below, made by None values
        row(sak="IP-4", dato="31.02.2027"),  # bad date
        row(
            sak="IP-5",
            dato=dt.datetime(2026, 12, 8),
            deltakere="Anne Ås (Ergoterapeut)\nBjørn Berg (NAV); Eva Li (Helsesøster)",
            saksliste="Første sak\nAndre sak;Tredje sak",
        ),
        row(sak="IP 6"),  # bad sak
    ]
    rows[3] = {k: None for k in rows[3]}
    book = workbook(
        tmp_path / "innkallinger.xlsx", header, [[r[h.casefold()] for h in header] for r in rows]
    )
    result = run_cli("batch", book.name, "--no-ics", "-j", "1", cwd=tmp_path)
    assert result.returncode == ExitCode.refused, result.stdout + result.stderr
    out = result.stdout
    assert "Ferdig: 4 innkallinger laget" in out and "2 rader avvist" in out
    # Row 6 in the sheet (header is row 1), date in column C; row 8, sak in column B.
    assert "rad 6: cellen Innkallinger!C6 (kolonnen «dato»): «31.02.2027» er ikke en dato" in out
    assert "rad 8: cellen Innkallinger!B8 (kolonnen «sak»): «IP 6» kan ikke brukes" in out
    assert "Traceback" not in out + result.stderr

    outbox = tmp_path / "outbox"
    assert not (outbox / "IP-4").exists() and not (outbox / "IP 6").exists()
    first = docx_text(outbox / "IP-1" / "2026-12-03_innkalling.docx")
    assert "kl. 09.00–10.30" in first and "torsdag 3. desember 2026" in first
    second = docx_text(outbox / "IP-2" / "2026-12-04_innkalling.docx")
    assert "kl. 13.00–14.00" in second and "arabisk" in second
    assert "Per Hansen" in docx_text(outbox / "IP-3" / "2026-12-07_innkalling.docx")
    split = docx_text(outbox / "IP-5" / "2026-12-08_innkalling.docx")
    for text in ("Anne Ås", "Ergoterapeut", "Bjørn Berg", "NAV", "Eva Li", "Helsesøster"):
        assert text in split
    for item in ("Første sak", "Andre sak", "Tredje sak"):
        assert item in split


def test_multi_value_cells_become_separate_people_and_items(tmp_path):
    entries = readers.read(_csv_rows_path(tmp_path), today=TODAY)
    [entry] = entries
    doc = entry.document
    assert [(p.name, p.role) for p in doc.participants] == [
        ("Per Olsen", "Fastlege"),
        ("Line Berg", "Fysioterapeut"),
        ("Åse Øren", "Helsesøster"),
    ]
    assert doc.agenda == ("Status siden forrige møte", "Søknad om avlastning", "Neste møte")


def _csv_rows_path(folder):
    # Quoted cells with `;` and line breaks inside, as Excel writes them.
    text = (
        ";".join(HEADER)
        + "\r\n"
        + "IP-1;Kari Nordmann;03.12.2026;09.00;10.30;Rådhuset;;Ola Hansen;400 31 579;"
        + '"Per Olsen (Fastlege); Line Berg (Fysioterapeut)\r\nÅse Øren (Helsesøster)";'
        + '"Status siden forrige møte\r\nSøknad om avlastning; Neste møte"\r\n'
    )
    path = folder / "rader.csv"
    path.write_bytes(text.encode("cp1252"))
    return path


def test_csv_as_norwegian_excel_saves_it(tmp_path):
    # «CSV (semikolondelt)» from Norwegian Excel: Windows-1252, ; between cells, CRLF.
    lines = [
        ";".join(h.upper() if i % 2 else h for i, h in enumerate(SENT_HEADER)),
        "IP-2026-0042;Kåre Ødegård;03.12.2026;09:00;10:30;Rådhuset, møterom 2;arabisk;"
        f'Ola Hansen;400 31 579;Per Olsen (Fastlege);"Status; Søknad";{SENT}',
        ";;;;;;;;;;;",
        "IP-2026-0043;Åsa Ærø;3.12.2026;kl. 12.00;13.00;Helsehuset;;Ola Hansen;400 31 579;"
        f"Line Berg (Fysioterapeut);Status;{SENT}",
        f"IP-2026-0044;Per;03.12.2026;14:00;13:00;Helsehuset;;Ola Hansen;400 31 579;A (B);C;{SENT}",
    ]
    (tmp_path / "fra_excel.csv").write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    result = run_cli("batch", "fra_excel.csv", cwd=tmp_path)
    assert result.returncode == ExitCode.refused, result.stdout + result.stderr
    assert "rad 5: cellen E5 (kolonnen «til»): Møtet slutter før det begynner." in result.stdout
    assert "Ferdig: 2 innkallinger laget" in result.stdout
    outbox = tmp_path / "outbox"
    text = docx_text(outbox / "IP-2026-0042" / "2026-12-03_innkalling.docx")
    assert "Kåre Ødegård" in text and "Rådhuset, møterom 2" in text and "arabisk" in text
    assert "Åsa Ærø" in docx_text(outbox / "IP-2026-0043" / "2026-12-03_innkalling.docx")
    assert (outbox / "IP-2026-0042" / "2026-12-03_innkalling.ics").is_file()


def test_csv_utf8_with_bom(tmp_path):
    text = (
        ";".join(HEADER)
        + "\n"
        + (
            "IP-7;Søren Åberg;03.12.2026;09:00;10:00;Rådhuset;;Ola Hansen;400 31 579;"
            "Per Olsen (Fastlege);Status\n"
        )
    )
    path = tmp_path / "utf8.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    [entry] = readers.read(path, today=TODAY)
    assert entry.problems == () and entry.document.person.name == "Søren Åberg"


def test_unknown_or_missing_columns_refuse_the_file_and_say_where(tmp_path):
    header = [h for h in HEADER if h != "sted"] + ["koordinatr"]
    book = workbook(tmp_path / "feil.xlsx", header, [["x"] * len(header)])
    result = run_cli("batch", "feil.xlsx", cwd=tmp_path)
    assert result.returncode == ExitCode.refused
    assert "cellen Innkallinger!K1: «koordinatr» er en ukjent kolonne." in result.stdout
    assert "Mente du «koordinator»?" in result.stdout
    assert "Disse kolonnene mangler: sted." in result.stdout
    assert "Ferdig: ingen innkallinger laget" in result.stdout
    assert not (tmp_path / "outbox" / "x").exists()
    assert book.is_file()


def test_two_rows_for_the_same_meeting_are_not_written_over_each_other(tmp_path):
    rows = [list(row(bruker="Første").values()), list(row(bruker="Andre").values())]
    workbook(tmp_path / "dobbel.xlsx", SENT_HEADER, rows)
    result = run_cli("batch", "dobbel.xlsx", "--no-ics", cwd=tmp_path)
    assert result.returncode == ExitCode.refused
    assert (
        "rad 3: saken og datoen: Raden gjelder samme sak og samme dato som rad 2" in result.stdout
    )
    made = tmp_path / "outbox" / "IP-2026-0042" / "2026-12-03_innkalling.docx"
    assert "Første" in docx_text(made)


def test_parallel_jobs_make_the_same_documents(tmp_path):
    rows = [
        list(row(sak=f"IP-{i}", bruker=f"Person {i}", dato=dt.datetime(2026, 12, 1 + i)).values())
        for i in range(10)
    ]
    workbook(tmp_path / "ti.xlsx", SENT_HEADER, rows)
    result = run_cli("batch", "ti.xlsx", "--jobs", "2", cwd=tmp_path)
    assert result.returncode == ExitCode.ok, result.stdout + result.stderr
    assert "Ferdig: 10 innkallinger laget" in result.stdout
    assert "Lager innkallingene" in result.stderr  # the progress bar's label on stderr
    for i in range(10):
        folder = tmp_path / "outbox" / f"IP-{i}"
        day = dt.date(2026, 12, 1 + i)
        assert f"Person {i}" in docx_text(folder / f"{day.isoformat()}_innkalling.docx")
        assert (folder / f"{day.isoformat()}_innkalling.ics").is_file()
    assert not list((tmp_path / "outbox" / ".ipdocs").glob("staging-*"))


def test_skeleton_batch_workbook_is_ready_to_fill_and_renders(tmp_path):
    result = run_cli("skeleton", "batch", "--xlsx", cwd=tmp_path)
    assert result.returncode == ExitCode.ok, result.stderr
    book = openpyxl.load_workbook(tmp_path / "innkallinger.xlsx")
    sheet = book["Innkallinger"]
    assert [c.value for c in sheet[1]] == HEADER
    example = {h: c for h, c in zip(HEADER, sheet[2], strict=True)}
    assert isinstance(example["dato"].value, dt.datetime)
    assert example["dato"].number_format == "DD.MM.YYYY"
    assert example["fra"].number_format == "HH:MM"
    # What is typed below the example gets the column's format; no empty rows formatted ahead.
    assert sheet.column_dimensions["C"].number_format == "DD.MM.YYYY"
    assert sheet.column_dimensions["D"].number_format == "HH:MM"
    assert sheet.max_row == 2
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["J"].width >= 40
    checks = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert checks["C2:C2000"].type == "date" and "03.12.2026" in checks["C2:C2000"].error
    assert checks["D2:D2000 E2:E2000"].type == "time"
    assert "Her skal det stå et klokkeslett" in checks["D2:D2000 E2:E2000"].error
    instructions = "\n".join(
        str(c.value) for r in book["Slik fyller du ut"].iter_rows() for c in r if c.value
    )
    assert "semikolon" in instructions and "Aldri fødselsnummer" in instructions
    made = run_cli("batch", "innkallinger.xlsx", cwd=tmp_path)
    assert made.returncode == ExitCode.ok, made.stdout + made.stderr
    assert "Ferdig: 1 innkalling laget" in made.stdout


# --- cells: advice for a cell, dates and times kept apart ------------------------------------


def read_rows(tmp_path, *rows):
    path = workbook(tmp_path / "rader.xlsx", SENT_HEADER, [list(r.values()) for r in rows])
    return {e.label: e for e in readers.read(path, today=TODAY)}


def problem_text(entry) -> str:
    return "\n".join(str(p) for p in entry.problems)


def test_interpreter_yes_in_a_cell_gets_advice_for_a_cell(tmp_path):
    entries = read_rows(tmp_path, row(tolk="ja"), row(sak="IP-2", tolk=True))
    for label, cell in (("rad 2", "G2"), ("rad 3", "G3")):
        assert problem_text(entries[label]) == (
            f"cellen Innkallinger!{cell} (kolonnen «tolk»): Det står at det skal være tolk, men "
            "ikke hvilket språk. Skriv språket i cellen, for eksempel arabisk. La cellen stå tom "
            "når det ikke skal være tolk."
        )


def test_a_date_cell_in_a_time_column_is_refused_not_read_as_midnight(tmp_path):
    entries = read_rows(tmp_path, row(fra=dt.datetime(2026, 12, 3)))
    assert problem_text(entries["rad 2"]) == (
        "cellen Innkallinger!D2 (kolonnen «fra»): «03.12.2026» er en dato, ikke et klokkeslett. "
        "Skriv klokkeslettet som 09:00, 09.00, kl. 9 eller kl. 09.00."
    )


def test_time_cells_with_and_without_excels_day_zero_are_read(tmp_path):
    entries = read_rows(
        tmp_path,
        row(fra=dt.datetime(1899, 12, 30, 9, 0), til=dt.datetime(2026, 12, 3, 10, 30)),
    )
    meeting = entries["rad 2"].document.meeting
    assert (meeting.starts_at, meeting.ends_at) == (dt.time(9, 0), dt.time(10, 30))


def test_a_time_cell_in_the_date_column_is_refused(tmp_path):
    entries = read_rows(tmp_path, row(dato=dt.time(9, 0)))
    assert "cellen Innkallinger!C2 (kolonnen «dato»): «09:00» er et klokkeslett, ikke en dato." in (
        problem_text(entries["rad 2"])
    )


def test_a_row_sent_after_its_meeting_is_refused_naming_its_cell(tmp_path):
    entries = read_rows(tmp_path, row(dato="05.11.2026", sendt="10.11.2026"))
    assert problem_text(entries["rad 2"]).startswith(
        "cellen Innkallinger!C2 (kolonnen «dato»): Møtet er 05.11.2026, før innkallingen sendes"
    )


# --- files that are not CSV from Excel -------------------------------------------------------


def csv_rows() -> str:
    return (
        ";".join(SENT_HEADER)
        + "\r\n"
        + "IP-7;Søren Åberg;03.12.2026;09:00;10:00;Rådhuset;;Ola Hansen;400 31 579;"
        + f"Per Olsen (Fastlege);Status;{SENT}\r\n"
    )


NOT_CSV = (
    "filen: Filen ser ikke ut som en CSV-fil lagret fra Excel: den inneholder tegn som ikke er "
    "tekst. Åpne arket i Excel og velg Lagre som → «CSV UTF-8 (kommadelt)» eller "
    "«CSV (semikolondelt)». Eller bruk Excel-filen (.xlsx) direkte."
)


def test_garbage_bytes_get_one_clear_message(tmp_path):
    # Bytes that decode as Windows-1252 but hold control characters, as random data does.
    (tmp_path / "rot.csv").write_bytes(bytes(range(256)) * 3)
    result = run_cli("batch", "rot.csv", cwd=tmp_path)
    assert result.returncode == ExitCode.refused
    assert NOT_CSV in result.stdout
    assert "ukjent kolonne" not in result.stdout and "er tom" not in result.stdout


def test_utf16_without_a_byte_order_mark_is_not_csv(tmp_path):
    (tmp_path / "u.csv").write_bytes(csv_rows().encode("utf-16-le"))
    with pytest.raises(readers.InputError) as info:
        readers.read(tmp_path / "u.csv", today=TODAY)
    assert str(info.value) == NOT_CSV


@pytest.mark.parametrize("delimiter", [";", "\t"])
def test_unicode_text_from_excel_is_read(tmp_path, delimiter):
    """Excel's «Unicode-tekst»: UTF-16 with a byte-order mark, tab between cells."""
    (tmp_path / "u.csv").write_bytes(csv_rows().replace(";", delimiter).encode("utf-16"))
    [entry] = readers.read(tmp_path / "u.csv", today=TODAY)
    assert entry.problems == () and entry.document.person.name == "Søren Åberg"


def test_a_workbook_named_csv_is_told_to_be_xlsx(tmp_path):
    workbook(tmp_path / "ark.csv", SENT_HEADER, [list(row().values())])
    with pytest.raises(readers.InputError, match=r"Excel-arbeidsbok \(\.xlsx\) med endelsen \.csv"):
        readers.read(tmp_path / "ark.csv", today=TODAY)


def test_text_without_any_known_column_gets_one_message(tmp_path):
    (tmp_path / "brev.csv").write_text("Hei alle sammen;hilsen Ola\nDette er et brev\n", "utf-8")
    with pytest.raises(readers.InputError) as info:
        readers.read(tmp_path / "brev.csv", today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        "filen, rad 1: Første rad skal ha kolonnenavnene, men ingen av dem er kjent. Skriv "
        "kolonnenavnene i rad 1: sak, bruker, dato, fra, til, sted, tolk, koordinator, "
        "koordinator_telefon, deltakere, saksliste. Lag en mal med «ipdocs skeleton batch --xlsx»."
    ]


@pytest.mark.parametrize("name", ["formats_referat.yaml", "referat.xlsx"])
def test_batch_refuses_what_is_not_a_list_of_invitations(tmp_path, name):
    """Review finding: a referat given to `ipdocs batch` was made and counted as «1 innkalling»."""
    if name.endswith(".xlsx"):
        assert run_cli("skeleton", "referat", "--xlsx", cwd=tmp_path).returncode == ExitCode.ok
    else:
        (tmp_path / name).write_bytes((DATA / name).read_bytes())
    result = run_cli("batch", name, cwd=tmp_path)
    assert result.returncode == ExitCode.usage, result.stdout + result.stderr
    assert f"«{name}» er ikke en liste med innkallinger" in result.stderr
    assert f"lages med «ipdocs render {name}»" in result.stderr
    assert not (tmp_path / "outbox").exists()


def test_the_progress_bar_counts_rows_with_content(tmp_path):
    from ipdocs.readers.batch import count_rows, is_batch_file

    header = list(row())
    book = workbook(
        tmp_path / "b.xlsx", header, [list(row(sak=f"IP-{n}").values()) for n in range(7)]
    )
    assert count_rows(book) == 7 and is_batch_file(book) is True
    # Issue 10: the bar stopped at 3 %, counting rows Excel keeps only because they are
    # formatted. Such rows are not counted.
    formatted = openpyxl.load_workbook(book)
    for number in range(9, 501):
        formatted.active.cell(row=number, column=3).number_format = "DD.MM.YYYY"
    formatted.save(book)
    assert openpyxl.load_workbook(book).active.max_row == 500
    assert count_rows(book) == 7
    csv_path = _csv_rows_path(tmp_path)
    assert count_rows(csv_path) == 1  # one row, with line breaks inside its quoted cells
    assert is_batch_file(DATA / "formats_referat.yaml") is False


def test_a_participant_without_a_role_is_a_warning_naming_the_cell(tmp_path):
    header = SENT_HEADER
    rows = [
        list(row(sak="IP-1", deltakere="Per Olsen (Fastlege); Line Berg").values()),
        list(row(sak="IP-2").values()),
    ]
    workbook(tmp_path / "b.xlsx", header, rows)
    result = run_cli("batch", "b.xlsx", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "Advarsel: rad 2: Cellen Innkallinger!J2 (kolonnen «deltakere»): «Line Berg» har ingen "
        "rolle. Skriv rollen i parentes, for eksempel «Line Berg (Fastlege)»." in result.stdout
    )
    assert "rad 3: Cellen" not in result.stdout
    assert "Ferdig: 2 innkallinger laget (2 med advarsler), 0 rader avvist." in result.stdout


def test_a_warning_on_many_rows_is_said_once_with_its_rows(tmp_path):
    rows = [list(row(sak=f"IP-{n}", dato=f"{n:02d}.12.2026").values()) for n in (1, 2, 3, 7)]
    rows.insert(3, [None] * len(SENT_HEADER))  # a blank row 5
    workbook(tmp_path / "b.xlsx", SENT_HEADER, rows)
    result = run_cli("batch", "b.xlsx", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    gp = [line for line in result.stdout.splitlines() if "fastlege er invitert" in line]
    assert gp == [
        "Advarsel: rad 2–4 og 6: En fastlege er invitert. Husk å bestille dobbelttime via "
        "legekontoret."
    ]
