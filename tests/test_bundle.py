"""The archive PDF, built for real and read back: pages, bookmarks and where they lead, page
labels, the cover and index a person reads, index links, metadata, the manifest's checksums,
PDF/A-2b properties, and `qpdf --check` on the result."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import os
import subprocess
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pypdf
import pytest
from conftest import DATA, require_program
from pdfs import CASE, FONT, LETTER, file_signed, render, scan_pdf, text_pdf, with_javascript
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from ipdocs.archive import make_archive
from ipdocs.errors import InputError

DEC3, DEC10 = dt.date(2026, 12, 3), dt.date(2026, 12, 10)


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def page_text(path, page: int) -> str:
    """What a reader sees on one page (1-based), laid out as on paper."""
    pdftotext = require_program("pdftotext")
    done = subprocess.run(
        [pdftotext, "-layout", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(done.stdout.split())


def outline(path) -> list[tuple[int, str, int]]:
    """(depth, title, 0-based target page) for every bookmark, in order."""
    reader = pypdf.PdfReader(path)
    found = []

    def walk(items, depth):
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, reader.get_destination_page_number(item)))

    walk(reader.outline, 0)
    return found


def qpdf_check(path) -> None:
    done = subprocess.run([require_program("qpdf"), "--check", str(path)], capture_output=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.fixture
def case(settings):
    """Two rendered documents with PDFs beside them, a signed two-page consent scan (its first
    page turned), and signed minutes on Letter paper with their own bookmarks and a script."""
    render(settings, DATA / "formats_innkalling.yaml", DATA / "formats_samtykke.yaml")
    file_signed(
        settings,
        f"{CASE}_samtykke_signert.pdf",
        "samtykke",
        DEC3,
        lambda p: scan_pdf(p, 2, rotate_page=0),
    )

    def minutes(path):
        text_pdf(path, ["Del en", "Del to", "Del tre"], size=LETTER, bookmarks=["A", "B", "C"])
        with_javascript(path)

    file_signed(settings, f"{CASE}_referat_signert.pdf", "referat", DEC10, minutes)
    return settings


def test_bundle_pages_bookmarks_labels_cover_and_index(case):
    said = []
    made = make_archive(case, CASE, "avslutning", say=said.append)
    assert made.path == case.outbox.resolve() / CASE / "arkiv" / f"{CASE}_avslutning_2026-11-24.pdf"
    assert (made.documents, made.pages, made.closed) == (4, 9, True)
    assert said[0] == f"Samler 4 dokumenter for saken {CASE}."

    reader = pypdf.PdfReader(made.path)
    assert len(reader.pages) == 9
    assert reader.page_labels == ["i", "ii", "1", "2", "3", "4", "5", "6", "7"]
    assert outline(made.path) == [
        (0, "Forside", 0),
        (0, "Innhold", 1),
        (0, "03.12.2026 Innkalling", 2),
        (0, "03.12.2026 Samtykke", 3),
        (0, "03.12.2026 Samtykke (signert)", 4),
        (0, "10.12.2026 Referat (signert)", 6),
        (1, "A", 6),
        (1, "B", 7),
        (1, "C", 8),
    ]
    cover = page_text(made.path, 1)
    for expected in (
        "Selbu kommune",
        "Tildelings- og koordineringskontoret",
        "Arkivutskrift",
        f"Sak {CASE}",
        "Navn Kari Nordmann",
        "Grunn Saken er avsluttet",
        "Dato 24.11.2026",
        "Innhold 4 dokumenter, 7 sider",
        "Inneholder taushetsbelagte opplysninger.",
    ):
        assert expected in cover
    assert "Til kommune" not in cover
    index = page_text(made.path, 2)
    assert "Innhold" in index and "Nr. Dato Dokument Side" in index
    for row in (
        "1 03.12.2026 Innkalling 1",
        "2 03.12.2026 Samtykke 2",
        "3 03.12.2026 Samtykke (signert) 3",
        "4 10.12.2026 Referat (signert) 5",
    ):
        assert row in index
    # The pages are the sources' own, in order, with their size and rotation.
    assert "PDF av 2026-12-03_innkalling.docx" in page_text(made.path, 3)
    assert "Del tre" in page_text(made.path, 9)
    assert reader.pages[4].rotation == 90 and reader.pages[5].rotation == 0
    assert [float(x) for x in reader.pages[6].mediabox] == [0, 0, 612, 792]
    qpdf_check(made.path)


def test_metadata_names_the_case_and_municipality_but_not_the_person(case):
    made = make_archive(case, CASE, "avslutning")
    with pikepdf.open(made.path) as pdf:
        info = {str(k): str(v) for k, v in pdf.docinfo.items()}
        xmp = str(pdf.open_metadata())
        assert info["/Title"] == f"Arkivutskrift {CASE}: Saken er avsluttet"
        assert info["/Author"] == "Selbu kommune"
        assert str(pdf.Root.Lang) == "nb-NO"
    assert "Kari" not in json.dumps(info) + xmp


def test_scripts_in_a_source_do_not_reach_the_archive(case):
    made = make_archive(case, CASE, "avslutning")
    assert not _scripts(made.path)
    source = case.outbox / CASE / "signert" / f"{CASE}_referat_signert.pdf"
    assert _scripts(source)  # the check can see a script where there is one


def _scripts(path) -> list:
    with pikepdf.open(path) as pdf:
        return [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary)
            and (obj.get("/S") == pikepdf.Name.JavaScript or "/JS" in obj)
        ] + ([1] if "/JavaScript" in pdf.Root.get("/Names", {}) else [])


def test_index_rows_link_to_their_documents(case):
    made = make_archive(case, CASE, "avslutning")
    with pikepdf.open(made.path) as pdf:
        pages = [p.obj.objgen for p in pdf.pages]
        targets = [pages.index(a.Dest[0].objgen) for a in pdf.pages[1].obj.Annots]
    assert targets == [2, 3, 4, 6]


def test_manifest_checksums_can_be_recomputed(case):
    made = make_archive(case, CASE, "avslutning")
    assert made.manifest == made.path.with_name(f"{CASE}_avslutning_2026-11-24.manifest.json")
    # manifest.json beside it is the newest archive's, the same record.
    assert made.path.with_name("manifest.json").read_bytes() == made.manifest.read_bytes()
    record = json.loads(made.manifest.read_text(encoding="utf-8"))
    assert record["arkiv"] == {"fil": made.path.name, "sider": 9, "sha256": sha256(made.path)}
    assert made.sha256 == sha256(made.path)
    assert (record["sak"], record["grunn"], record["sjekksumalgoritme"]) == (
        CASE,
        "avslutning",
        "SHA256",
    )
    folder = case.outbox / CASE
    files = {p.name: p for p in folder.rglob("*") if p.is_file()}
    rows = record["dokumenter"]
    assert [(r["dokument"], r["dato"], r["opprinnelse"], r["sider"]) for r in rows] == [
        ("innkalling", "2026-12-03", "laget", 1),
        ("samtykke", "2026-12-03", "laget", 1),
        ("samtykke", "2026-12-03", "signert", 2),
        ("referat", "2026-12-10", "signert", 3),
    ]
    for row in rows:
        assert sha256(files[row["kilde"]]) == row["sha256"]
        if "pdf" in row:
            assert row["kilde"].endswith(".docx")
            assert sha256(files[row["pdf"]]) == row["pdf_sha256"]
    assert [r["forste_side"] for r in rows] == [1, 2, 3, 5]
    assert "Kari" not in made.manifest.read_text(encoding="utf-8")


def test_a_long_bundle_gets_more_index_pages_and_progress(settings):
    for n in range(40):
        file_signed(
            settings,
            f"{CASE}_referat_{n:02}.pdf",
            "referat",
            dt.date(2026, 1, 1) + dt.timedelta(days=n),
            lambda p, n=n: text_pdf(p, [f"Referat nummer {n + 1}"]),
        )
    said = []
    made = make_archive(settings, CASE, "avslutning", say=said.append)
    reader = pypdf.PdfReader(made.path)
    assert len(reader.pages) == 3 + 40
    assert reader.page_labels[:4] == ["i", "ii", "iii", "1"]
    assert "Innhold, side 2 av 2" in page_text(made.path, 3)
    assert "35 04.02.2026 Referat (signert) 35" in page_text(made.path, 3)
    assert "Referat nummer 40" in page_text(made.path, 43)
    assert "Navn ikke registrert" in page_text(made.path, 1)  # only scans: no name recorded
    assert "  20 av 40 dokumenter satt sammen" in said
    assert said[-1] == "  40 av 40 dokumenter satt sammen"


def test_moving_cover_in_nynorsk_with_a_sami_name(settings, tmp_path):
    settings = dataclasses.replace(settings, language="nn")
    consent = tmp_path / "samtykke.yaml"
    consent.write_text(
        (DATA / "formats_samtykke.yaml")
        .read_text(encoding="utf-8")
        .replace("Kari Nordmann", "Máret Ŋuolja Čuoppa")
        .replace("overforing_ved_flytting: false", "overforing_ved_flytting: true"),
        encoding="utf-8",
    )
    render(settings, consent)
    file_signed(
        settings, f"{CASE}_samtykke_signert.pdf", "samtykke", DEC3, lambda p: scan_pdf(p, 1)
    )
    made = make_archive(
        settings, CASE, "flytting", to_municipality="Guovdageainnu suohkan", say=print
    )
    assert not made.closed
    cover = page_text(made.path, 1)
    for expected in (
        "Namn Máret Ŋuolja Čuoppa",
        "Grunn Personen flyttar til ein annan kommune",
        "Til kommune Guovdageainnu suohkan",
        "Inneheld opplysningar som er underlagde teieplikt.",
        "Opplysningane blir overførte med samtykke.",
    ):
        assert expected in cover
    assert "Innhald" in page_text(made.path, 2)
    assert [t for _, t, _ in outline(made.path)][:2] == ["Framside", "Innhald"]
    assert made.path.name == f"{CASE}_flytting_2026-11-24.pdf"


# --- PDF/A-2b --------------------------------------------------------------------------------


def _fonts(resources, seen) -> list:
    """Every font a page uses, inside form XObjects too."""
    found = []
    if not isinstance(resources, pikepdf.Dictionary) or resources.objgen in seen:
        return found
    if resources.is_indirect:
        seen.add(resources.objgen)
    fonts = resources.get("/Font", {})
    found += [fonts[k] for k in fonts.keys()]
    xobjects = resources.get("/XObject", {})
    for key in xobjects.keys():
        xobject = xobjects[key]
        if xobject.get("/Subtype") == "/Form":
            found += _fonts(xobject.get("/Resources"), seen)
    return found


def _embedded(font) -> bool:
    if font.get("/Subtype") == "/Type3":
        return True  # drawn by the PDF itself
    if font.get("/Subtype") == "/Type0":
        font = font.DescendantFonts[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(
        k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")
    )


def test_pdfa_2b_properties_read_back(case):
    made = make_archive(case, CASE, "avslutning", pdfa=True)
    with pikepdf.open(made.path) as pdf:
        meta = pdf.open_metadata()
        assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "B")
        assert meta["dc:title"] == f"Arkivutskrift {CASE}: Saken er avsluttet"
        [intent] = pdf.Root.OutputIntents
        assert intent.S == pikepdf.Name("/GTS_PDFA1")
        profile = intent.DestOutputProfile
        assert profile.N == 3 and profile.read_bytes()[16:20] == b"RGB "
        assert "/Encrypt" not in pdf.trailer and not pdf.is_encrypted
        seen: set = set()
        for number, page in enumerate(pdf.pages, start=1):
            fonts = _fonts(page.obj.get("/Resources"), seen)
            assert all(_embedded(f) for f in fonts), f"page {number}"
        assert any(_fonts(p.obj.get("/Resources"), set()) for p in pdf.pages)
    assert not _scripts(made.path)
    assert json.loads(made.manifest.read_text(encoding="utf-8"))["pdfa"] == "PDF/A-2B"
    qpdf_check(made.path)


def _cmyk_pdf(path: Path) -> Path:
    """A page painted in DeviceCMYK (a print shop's PDF): not PDF/A under an sRGB intent."""
    canvas = Canvas(str(path), pagesize=A4, initialFontName=FONT)
    canvas.setFillColorCMYK(0.1, 0.8, 0.3, 0.05)
    canvas.rect(72, 600, 300, 100, fill=1)
    canvas.setFont(FONT, 14)
    canvas.drawString(72, 560, "Fullmakt, trykt")
    canvas.showPage()
    canvas.save()
    return path


def test_pdfa_converts_a_source_that_is_not_pdfa_ready(settings):
    require_program("gs")
    render(settings, DATA / "formats_innkalling.yaml")
    fonts = file_signed(
        settings,
        f"{CASE}_samtykke_signert.pdf",
        "samtykke",
        DEC3,
        lambda p: text_pdf(p, ["Signert"], embedded=False),
    )
    cmyk = file_signed(settings, f"{CASE}_fullmakt_signert.pdf", "fullmakt", DEC3, _cmyk_pdf)
    before = {p: p.read_bytes() for p in (fonts, cmyk)}
    made = make_archive(settings, CASE, "avslutning", pdfa=True)
    with pikepdf.open(made.path) as pdf:
        assert pikepdf.pdfa.check(pdf, "2b").verdict == "pass"
        for number, page in enumerate(pdf.pages, start=1):
            assert all(_embedded(f) for f in _fonts(page.obj.get("/Resources"), set())), number
    assert "Signert" in page_text(made.path, made.pages - 1)  # the text survived conversion
    assert {p: p.read_bytes() for p in before} == before  # the filed scans are untouched
    documents = json.loads(made.manifest.read_text(encoding="utf-8"))["dokumenter"]
    converted = {d["kilde"]: d["konvertert"] for d in documents if "konvertert" in d}
    assert set(converted) == {fonts.name, cmyk.name}
    assert converted[fonts.name]["til"] == "PDF/A-2B"
    assert converted[fonts.name]["verktoy"].startswith("Ghostscript ")
    assert "skrifter som ikke er bygd inn" in converted[fonts.name]["grunn"]
    assert "CMYK" in converted[cmyk.name]["grunn"]
    [innkalling] = [d for d in documents if d["dokument"] == "innkalling"]
    assert "konvertert" not in innkalling  # PDF/A-ready as it was
    qpdf_check(made.path)


def test_pdfa_refuses_a_source_ghostscript_cannot_convert(settings, tmp_path, monkeypatch):
    """A Ghostscript that fails (a stand-in on PATH): the document is named, nothing made."""
    fake = tmp_path / "bin" / "gs"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\necho 'Error: /syntaxerror' >&2\nexit 1\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake.parent}:{os.environ['PATH']}")
    render(settings, DATA / "formats_innkalling.yaml")
    file_signed(
        settings,
        f"{CASE}_samtykke_signert.pdf",
        "samtykke",
        DEC3,
        lambda p: text_pdf(p, ["Signert"], embedded=False),
    )
    with pytest.raises(InputError) as refused:
        make_archive(settings, CASE, "avslutning", pdfa=True)
    message = str(refused.value)
    assert f"filen «{CASE}_samtykke_signert.pdf»" in message
    assert "skrifter som ikke er bygd inn" in message and "klarte ikke å gjøre den om" in message
    assert "uten --pdfa" in message
    assert "innkalling" not in message  # only the document that stops it is named
    assert not (settings.outbox / CASE / "arkiv").exists()
    assert make_archive(settings, CASE, "avslutning").pages == 4  # fine without --pdfa
