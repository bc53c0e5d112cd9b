"""Regression files from the torture run (bench/torture.py, issue 14): one real file per family
that once ended in «feil i programmet», a hang, silence or a document cut short, through the
real `ipdocs check` and `ipdocs render`. Each must now be made whole or refused by name, in
Norwegian, with the other files of the folder still read."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from conftest import DATA, docx_text, run_cli

from ipdocs import skeleton_workbooks

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
INVITATION = (DATA / "formats_innkalling.yaml").read_text(encoding="utf-8")
MINUTES = (DATA / "formats_referat.yaml").read_text(encoding="utf-8")
CONSENT = (DATA / "formats_samtykke.yaml").read_text(encoding="utf-8")


def _invitation(**replace: str) -> str:
    text = INVITATION
    for old, new in replace.items():
        text = text.replace(old.replace("_", " "), new, 1)
    return text


def _refusal(stdout: str, name: str) -> str:
    """The lines `check` printed for one refused file."""
    match = re.search(rf"^Avvist: {re.escape(name)}\n((?:  - .*\n)+)", stdout, re.MULTILINE)
    assert match, f"{name} not refused:\n{stdout}"
    return match.group(1)


# --- notes: YAML, JSON, encodings --------------------------------------------------------------

NOTES_REFUSED = {
    # name: (bytes, what the refusal says)
    "control.yaml": (
        _invitation(Kari="Ka\x01ri").encode(),
        "linje 4, tegn 11: Her står et tegn som ikke er tekst (U+0001)",
    ),
    "timestamp.yaml": (
        INVITATION.encode() + b"x: !!timestamp 2026-99-99\n",
        "YAML-merket «!!timestamp»",
    ),
    "huge_int.yaml": (
        INVITATION.encode() + b"x: !!int " + b"9" * 5000 + b"\n",
        "YAML-merket «!!int»",
    ),
    "merge.yaml": (INVITATION.encode() + b"c:\n  <<: {b: 1}\n  b: 2\n", "«<<» er en YAML-fletting"),
    "surrogate_json.json": (
        b'{"dokument": "innkalling", "sak": "IP-2026-0042", "bruker": {"navn": "Kari\\ud800Nordmann"}}',
        "feltet «bruker.navn»: Teksten har et ødelagt tegn",
    ),
    "surrogate_yaml.yaml": (
        _invitation(**{"navn: Kari Nordmann": 'navn: "Kari\\ud800Nordmann"'}).encode(),
        "feltet «bruker.navn»: Teksten har et ødelagt tegn",
    ),
    "huge_number.json": (
        b'{"dokument": "innkalling", "sak": ' + b"1" * 5000 + b"}",
        "som ikke er et tall eller en tekst",
    ),
    "infinite.json": (
        b'{"dokument": "innkalling", "sak": 1e999999}',
        "som ikke er et tall eller en tekst",
    ),
    "not_text.yaml": (
        b"dokument: innkalling\n\x81\x8d\x90",
        "Lagre filen på nytt som tekst med tegnkoding UTF-8",
    ),
}


def test_notes_failures_are_refused_by_line_and_field(tmp_path):
    folder = tmp_path / "inn"
    folder.mkdir()
    for name, (data, _) in NOTES_REFUSED.items():
        (folder / name).write_bytes(data)
    (folder / "zz_good.yaml").write_text(INVITATION, encoding="utf-8")
    result = run_cli("check", str(folder), cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "feil i programmet" not in result.stderr and "Traceback" not in result.stderr
    for name, (_, said) in NOTES_REFUSED.items():
        assert said in _refusal(result.stdout, name), name
    assert "I orden: zz_good.yaml: innkalling for IP-2026-0042" in result.stdout


@pytest.mark.parametrize(
    "name, encoding",
    [
        ("notisblokk.yaml", "utf-16"),  # Notepad «Unicode»: UTF-16 LE with a BOM
        ("ansi.yaml", "cp1252"),  # Notepad «ANSI»
        ("innkalling.yaml.txt", "utf-8"),  # Notepad's «Text documents» type
        ("innkalling.txt", "utf-8"),
    ],
)
def test_notes_as_windows_saves_them_are_made(tmp_path, name, encoding):
    (tmp_path / name).write_bytes(INVITATION.encode(encoding))
    result = run_cli("render", "--no-ics", name, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    text = docx_text(tmp_path / "outbox" / "IP-2026-0042" / "2026-12-03_innkalling.docx")
    assert (
        "Kari Nordmann" in text and "Rådhuset, møterom 2" in text and "Søknad om avlastning" in text
    )


def test_json_saved_as_utf16_is_made(tmp_path):
    import yaml

    notes = json.dumps(yaml.safe_load(INVITATION), default=str, ensure_ascii=False)
    (tmp_path / "innkalling.json").write_bytes(notes.encode("utf-16"))
    result = run_cli("check", "innkalling.json", cwd=tmp_path)
    assert "I orden: innkalling.json: innkalling for IP-2026-0042" in result.stdout, result.stdout


def test_json_in_a_txt_file_is_read_as_json(tmp_path):
    (tmp_path / "innkalling.json.txt").write_text(
        '{"dokument": "innkalling", "sak": "IP-2026-0042"}', encoding="utf-8"
    )
    result = run_cli("check", "innkalling.json.txt", cwd=tmp_path)
    assert "feltet «bruker»: Feltet mangler" in result.stdout, result.stdout


def test_dates_as_coordinators_write_them_render(tmp_path):
    text = (
        _invitation(**{"dato: 2026-12-03": "dato: 3. desember 2026", 'fra: "09:00"': "fra: kl 9"})
        .replace("svarfrist: 2026-11-30", "svarfrist: 30/11/2026")
        .replace("sendt: 2026-11-23", "sendt: 23.11.26")
    )
    (tmp_path / "innkalling.yaml").write_text(text, encoding="utf-8")
    result = run_cli("render", "--no-ics", "innkalling.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    made = docx_text(tmp_path / "outbox" / "IP-2026-0042" / "2026-12-03_innkalling.docx")
    assert "torsdag 3. desember 2026, kl. 09.00–10.30" in made
    assert "innen 30. november 2026" in made and "Dato: 23. november 2026" in made


def test_an_ambiguous_date_is_refused_with_the_forms_that_work(tmp_path):
    (tmp_path / "innkalling.yaml").write_text(
        _invitation(**{"dato: 2026-12-03": "dato: 3. desember"}), encoding="utf-8"
    )
    result = run_cli("check", "innkalling.yaml", cwd=tmp_path)
    lines = _refusal(result.stdout, "innkalling.yaml")
    assert "feltet «mote.dato»: «3. desember» mangler året." in lines
    assert "3. desember 2026, 3/12/2026 eller 2026-12-03" in lines


# --- nothing cut short -----------------------------------------------------------------------


def _ends_with_section_properties(path: Path) -> bool:
    from lxml import etree

    with zipfile.ZipFile(path) as package:
        body = etree.fromstring(package.read("word/document.xml")).find(f"{W}body")
    return body[-1].tag == f"{W}sectPr"


def test_control_characters_are_removed_and_the_document_is_whole(tmp_path):
    # written as YAML escapes in quoted values (raw, YAML itself refuses them: see above)
    text = MINUTES.replace("Kari Nordmann", '"Kari\\x0b Nordmann\\e"', 1).replace(
        "Søke om avlastning", '"Søke\\f om avlastning"'
    )
    (tmp_path / "referat.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "ok.yaml").write_text(INVITATION, encoding="utf-8")
    result = run_cli("render", "--no-ics", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "feltet «bruker.navn»: usynlige styretegn er fjernet" in result.stdout
    documents = sorted((tmp_path / "outbox").rglob("*.docx"))
    assert len(documents) == 2
    for document in documents:
        assert _ends_with_section_properties(document), document.name
    made = docx_text(tmp_path / "outbox" / "IP-2026-0042" / "2026-12-03_referat.docx")
    # the action table, the next meeting and what follows it are all there
    assert "Søke om avlastning" in made and "Vurdere hjelpemidler på kjøkkenet" in made
    assert "torsdag 4. mars 2027" in made  # the next meeting, near the end


def test_every_example_renders_whole(tmp_path):
    for path in DATA.glob("formats_*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    result = run_cli("render", "--no-ics", ".", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    documents = sorted((tmp_path / "outbox").rglob("*.docx"))
    assert len(documents) == 4
    assert all(_ends_with_section_properties(d) for d in documents)


# --- a fødselsnummer however it is written ---------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        "15 87 65 10089",
        "158765 10089",
        "15.87.65 10089",
        "15-87-65-10089",
        "1587651\u200b0089",
        "¹⁵⁸⁷⁶⁵¹⁰⁰⁸⁹",
    ],
)
def test_a_number_in_a_name_is_refused_and_never_shown(tmp_path, written):
    (tmp_path / "innkalling.yaml").write_text(
        _invitation(**{"navn: Kari Nordmann": f"navn: Kari {written}"}), encoding="utf-8"
    )
    (tmp_path / f"{written}.yaml").write_text(INVITATION, encoding="utf-8")
    result = run_cli("check", ".", cwd=tmp_path)
    shown = result.stdout + result.stderr
    assert "feltet «bruker.navn»: Her står det noe som ser ut som et fødselsnummer." in shown
    digits = re.sub(r"\D", "", shown.replace("\u200b", ""))
    assert "15876510089" not in digits
    assert "10089" not in shown and "⁰⁰⁸⁹" not in shown
    assert "I orden: ***********.yaml: innkalling" in shown


def test_a_number_as_the_case_key_is_refused(tmp_path):
    (tmp_path / "innkalling.yaml").write_text(
        _invitation(**{"sak: IP-2026-0042": "sak: 15-87-65-10089"}), encoding="utf-8"
    )
    result = run_cli("check", "innkalling.yaml", cwd=tmp_path)
    assert "Saksnøkkelen ser ut som et fødselsnummer" in result.stdout
    assert "10089" not in result.stdout


def test_superscript_digits_in_the_number_field_are_read(tmp_path):
    (tmp_path / "samtykke.yaml").write_text(
        CONSENT.replace('"15876510089"', '"¹⁵⁸⁷⁶⁵ ¹⁰⁰⁸⁹"'), encoding="utf-8"
    )
    result = run_cli("render", "samtykke.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "158765 10089" in docx_text(next((tmp_path / "outbox").rglob("*samtykke.docx")))


# --- workbooks ---------------------------------------------------------------------------------


def _meeting_book(tmp_path: Path, change) -> bytes:
    target = tmp_path / "base.xlsx"
    skeleton_workbooks.write_workbook(
        "referat", target, today=skeleton_workbooks.dt.date(2026, 11, 24)
    )
    data = target.read_bytes()
    target.unlink()
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for info in src.infolist():
            dst.writestr(info.filename, change(info.filename, src.read(info.filename)))
    return out.getvalue()


def _on_sheet(number: int, fn):
    return lambda name, xml: fn(xml) if name == f"xl/worksheets/sheet{number}.xml" else xml


_BOMB = b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'


def _far_cell(ref: str, value: bool = False):
    row = int(re.sub(r"[A-Z]", "", ref))
    content = b' t="inlineStr"><is><t>x</t></is></c>' if value else b' s="1"/>'
    cell = b'<row r="%d"><c r="%s"%s</row>' % (row, ref.encode(), content)
    return lambda xml: xml.replace(b"</sheetData>", cell + b"</sheetData>")


def test_workbook_failures_are_refused_quickly_and_by_name(tmp_path):
    folder = tmp_path / "inn"
    folder.mkdir()
    cases = {
        "styled_xfd2000.xlsx": (_on_sheet(2, _far_cell("XFD2000")), None),
        "styled_last_row.xlsx": (_on_sheet(3, _far_cell("A1048576")), None),
        "value_far_away.xlsx": (
            _on_sheet(2, _far_cell("XFD2000", value=True)),
            "Det står noe langt utenfor tabellen",
        ),
        "entity_bomb.xlsx": (
            _on_sheet(1, lambda xml: _BOMB + re.sub(rb"^<\?xml[^>]*\?>", b"", xml)),
            "har en DOCTYPE-erklæring",
        ),
        "doctype_workbook.xlsx": (
            lambda name, xml: (
                b'<!DOCTYPE x SYSTEM "file:///etc/passwd">' + xml
                if name == "xl/workbook.xml"
                else xml
            ),
            "har en DOCTYPE-erklæring",
        ),
        "damaged_sheet.xlsx": (
            _on_sheet(1, lambda xml: xml[: len(xml) // 2]),
            "kan ikke åpnes som en Excel-arbeidsbok",
        ),
    }
    for name, (change, _) in cases.items():
        (folder / name).write_bytes(_meeting_book(tmp_path, change))
    (folder / "zip_bomb.xlsx").write_bytes(_zip_bomb(_meeting_book(tmp_path, lambda n, x: x)))
    result = run_cli("check", str(folder), cwd=tmp_path, timeout=60)
    assert "feil i programmet" not in result.stderr and "Traceback" not in result.stderr
    for name, (_, said) in cases.items():
        if said is None:  # styling far away is no problem: the workbook is read as filled
            assert f"I orden: {name}: referat for" in result.stdout, result.stdout
        else:
            assert said in _refusal(result.stdout, name), name
    assert "Filen pakkes ut til mer enn ipdocs leser" in _refusal(result.stdout, "zip_bomb.xlsx")


def _zip_bomb(data: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("xl/media/nuller.bin", b"\0" * (80 * 1024 * 1024))
    return out.getvalue()


# --- CSV -------------------------------------------------------------------------------------

HEADER = "sak;bruker;dato;fra;til;sted;tolk;koordinator;koordinator_telefon;deltakere;saksliste\n"
ROW = "IP-2026-0042;Kari Nordmann;03.12.2026;09:00;10:30;Rådhuset;;Ola Hansen;400 31 579;Per Olsen (Fastlege);Status\n"


@pytest.mark.parametrize(
    "content, said",
    [
        (HEADER + ROW.replace("Status", "x" * 200_000), "rad 2: En celle har mer enn 32767 tegn"),
        (";".join(f"k{i}" for i in range(20_000)) + "\n" + ROW, "Første rad har 20000 kolonner"),
        (HEADER, "Det står ingen innkallinger her"),
        (HEADER + ";;;;;;;;;;\n" * 5, "Det står ingen innkallinger her"),
    ],
    ids=["huge-cell", "many-columns", "only-header", "blank-rows"],
)
def test_csv_limits_are_said_by_row(tmp_path, content, said):
    (tmp_path / "liste.csv").write_text(content, encoding="utf-8")
    result = run_cli("check", "liste.csv", cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert said in _refusal(result.stdout, "liste.csv")


def test_a_batch_sheet_styled_to_the_last_row_stops_and_says_so(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Innkallinger"
    sheet.append(HEADER.strip().split(";"))
    sheet.append(ROW.strip().split(";"))
    sheet.cell(row=3000, column=1).value = "IP-2026-0043"  # far below a long gap
    target = tmp_path / "batch.xlsx"
    book.save(target)
    result = run_cli("check", "batch.xlsx", cwd=tmp_path, timeout=60)
    assert "I orden: batch.xlsx (rad 2): innkalling for IP-2026-0042" in result.stdout
    assert (
        "1000 tomme rader etter hverandre: ipdocs leste ikke resten av arket (til rad 3000)"
        in result.stdout
    )
    assert result.returncode == 1


def test_a_line_break_in_the_coordinators_email_is_refused_at_check(tmp_path):
    (tmp_path / "innkalling.yaml").write_text(
        _invitation(
            **{
                "epost: ola.hansen@selbu.kommune.no": 'epost: "ola.hansen@selbu.kommune.no\\nBCC: x@y.no"'
            }
        ),
        encoding="utf-8",
    )
    result = run_cli("check", "innkalling.yaml", cwd=tmp_path)
    assert result.returncode == 1
    assert "feltet «koordinator.epost»: E-postadressen har linjeskift" in _refusal(
        result.stdout, "innkalling.yaml"
    )
