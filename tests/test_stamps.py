"""Page numbers on paper (stamps.py through bundle.assemble): «<sak> · Side N av M» on every
document page, below the page's content, read back with pdftotext; --tosidig's blank pages."""

from __future__ import annotations

import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pikepdf
import pytest
from conftest import DATA, require_program
from pdfs import CASE, FONT, file_signed, render, scan_pdf
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from ipdocs.archive import make_archive

DEC3 = __import__("datetime").date(2026, 12, 3)


def _to_the_edge(path: Path) -> Path:
    """Two pages with a word at the very foot; the second shown turned a quarter (/Rotate)."""
    canvas = Canvas(str(path), pagesize=A4, initialFontName=FONT)
    for text in ("Fotnote helt nederst", "Liggende side nederst"):
        canvas.setFont(FONT, 12)
        canvas.drawString(72, A4[1] - 100, "Signert fullmakt")
        canvas.drawCentredString(A4[0] / 2, 3, text)
        canvas.showPage()
    canvas.save()
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.pages[1].rotate(90, relative=True)
        pdf.save()
    return path


def _words(pdf: Path, page: int) -> list[tuple[str, float, float]]:
    """(word, yMin, yMax) of one page, y from the top as the page is seen."""
    out = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    out = re.sub(r"<!DOCTYPE[^>]*>", "", out)
    root = ET.fromstring(out)
    return [
        (w.text or "", float(w.get("yMin")), float(w.get("yMax")))
        for w in root.iter("{http://www.w3.org/1999/xhtml}word")
    ]


def _text(pdf: Path, page: int) -> str:
    return " ".join(w for w, _, _ in _words(pdf, page))


@pytest.fixture
def case(settings):
    render(settings, DATA / "formats_innkalling.yaml")  # 1 page
    file_signed(settings, f"{CASE}_fullmakt_signert.pdf", "fullmakt", DEC3, _to_the_edge)
    file_signed(
        settings, f"{CASE}_samtykke_signert.pdf", "samtykke", DEC3, lambda p: scan_pdf(p, 3)
    )
    return settings


def test_every_document_page_is_numbered_below_its_content(case):
    require_program("pdftotext")
    made = make_archive(case, CASE, "avslutning")
    assert made.pages == 2 + 6
    assert "Side" not in _text(made.path, 1)  # the cover is not numbered
    for number in range(1, 7):
        page = 2 + number
        words = _words(made.path, page)
        stamp = [w for w in words if w[0] in (CASE, "·", "Side", str(number), "av", "6")]
        assert f"{CASE} · Side {number} av 6" in _text(made.path, page), page
        # The stamp is the lowest line, and nothing of the page reaches down into it.
        top_of_stamp = min(y0 for w, y0, _ in words if w == "Side")
        content = [w for w in words if w not in stamp]
        assert all(y1 <= top_of_stamp for _, _, y1 in content), (page, content)
    # The word printed at the very foot of the page is still there, above the stamp.
    assert "Fotnote helt nederst" in _text(made.path, 7)
    assert "Liggende side nederst" in _text(made.path, 8)  # turned: its foot is a long side


def test_the_index_page_is_numbered_too_with_the_case(case):
    """Every page outside the cover carries the case and its number: the index (one page
    here) says «<sak> · Innhold, side 1 av 1» at its foot, its own count, not the documents'."""
    require_program("pdftotext")
    made = make_archive(case, CASE, "avslutning")
    index = _text(made.path, 2)
    assert f"{CASE} · Innhold, side 1 av 1" in index
    assert "Side 1 av 6" not in index  # the documents' numbers start after it


def test_the_stamps_match_the_index(case):
    require_program("pdftotext")
    made = make_archive(case, CASE, "avslutning")
    index = _text(made.path, 2)
    # The invitation on page 1, the consent on 2, the fullmakt on 5: as the stamps say.
    for first, page in ((1, 3), (2, 4), (5, 7)):
        assert f"Side {first} av 6" in _text(made.path, page)
    rows = re.findall(r"(Innkalling|Samtykke \(signert\)|Fullmakt \(signert\)) (\d+)", index)
    assert rows == [("Innkalling", "1"), ("Samtykke (signert)", "2"), ("Fullmakt (signert)", "5")]


def test_tosidig_starts_every_document_on_a_front_side(case):
    require_program("pdftotext")
    made = make_archive(case, CASE, "avslutning", duplex=True)
    # cover, index | innkalling, blank | samtykke 3, blank | fullmakt 2
    assert made.pages == 2 + 2 + 4 + 2
    texts = [_text(made.path, n) for n in range(1, made.pages + 1)]
    assert texts[3] == "" and texts[7] == ""  # the blank pages carry nothing, not even a number
    assert [t.split(f"{CASE} · Side ")[1] for t in texts if f"{CASE} · Side " in t] == [
        f"{n} av 6" for n in range(1, 7)
    ]
    starts = [n for n, t in enumerate(texts, start=1) if re.search(r"Side (1|2|5) av", t)]
    assert all(n % 2 == 1 for n in starts), starts  # odd pages: front sides
    with pikepdf.open(made.path) as pdf:
        labels = [str(p.label) for p in pdf.pages]
    assert labels == ["i", "ii", "1", "tom", "2", "3", "4", "tom", "5", "6"]
