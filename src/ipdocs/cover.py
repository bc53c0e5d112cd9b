"""The archive bundle's own pages: a cover and an index, drawn with reportlab.

The font is embedded (a TrueType subset), so the pages hold in a PDF/A file. It is the first of
Carlito (the templates' font), DejaVu Sans and reportlab's own Bitstream Vera that has every
letter the pages need: Vera ships inside reportlab, so there is always one, and the others cover
names Vera does not (Sámi letters such as č, đ, ŋ, š, ŧ, ž).

The index lists each document with its date, its kind in words and the page label where it
starts; `draw` also returns where each index row sits, so the bundle can make it a link.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import reportlab
from reportlab import rl_config
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from . import language
from .kinds import DocumentKind

ROWS_PER_INDEX_PAGE = 34

_WIDTH, _HEIGHT = A4
_LEFT = 72.0
_RIGHT = _WIDTH - 72.0
_ROW = 18.0
_FIRST_ROW = 700.0

_WORDS = {
    "nb": {
        "title": "Arkivutskrift",
        "avslutning": "Saken er avsluttet",
        "flytting": "Personen flytter til en annen kommune",
        "case": "Sak",
        "name": "Navn",
        "reason": "Grunn",
        "to": "Til kommune",
        "date": "Dato",
        "contents": "Innhold",
        "unit": "Enhet",
        "unknown": "ikke registrert",
        "documents": ("dokument", "dokumenter"),
        "pages": ("side", "sider"),
        "secret": "Inneholder taushetsbelagte opplysninger.",
        "consent": "Opplysningene overføres med samtykke. Samtykket står i innholdslisten.",
        "number": "Nr.",
        "document": "Dokument",
        "page": "Side",
        "index_page": "Innhold, side {n} av {of}",
        "signed": "signert",
        "esigned": "Signert elektronisk; originalen ligger ved",
        "page_of": "Side {n} av {of}",
        "blank": "tom",
        "front": "Forside",
        "whole": "{n} sider med forside og innholdsliste",
        "no_consent": "Merk: Saken har ikke noe signert samtykke.",
    },
    "nn": {
        "title": "Arkivutskrift",
        "avslutning": "Saka er avslutta",
        "flytting": "Personen flyttar til ein annan kommune",
        "case": "Sak",
        "name": "Namn",
        "reason": "Grunn",
        "to": "Til kommune",
        "date": "Dato",
        "contents": "Innhald",
        "unit": "Eining",
        "unknown": "ikkje registrert",
        "documents": ("dokument", "dokument"),
        "pages": ("side", "sider"),
        "secret": "Inneheld opplysningar som er underlagde teieplikt.",
        "consent": "Opplysningane blir overførte med samtykke. Samtykket står i innhaldslista.",
        "number": "Nr.",
        "document": "Dokument",
        "page": "Side",
        "index_page": "Innhald, side {n} av {of}",
        "signed": "signert",
        "esigned": "Signert elektronisk; originalen ligg ved",
        "page_of": "Side {n} av {of}",
        "blank": "tom",
        "front": "Framside",
        "whole": "{n} sider med framside og innhaldsliste",
        "no_consent": "Merk: Saka har ikkje noko signert samtykke.",
    },
}

_KINDS: dict[str, str] = {
    DocumentKind.invitation: "Innkalling",
    DocumentKind.minutes: "Referat",
    DocumentKind.consent: "Samtykke",
    DocumentKind.power_of_attorney: "Fullmakt",
}


def words(lang: str) -> dict:
    return _WORDS.get(lang, _WORDS["nb"])


def kind_title(kind: str, origin: str, lang: str) -> str:
    """`Referat`, `Samtykke (signert)`."""
    title = _KINDS.get(kind, kind.replace("_", " ").capitalize())
    return f"{title} ({words(lang)['signed']})" if origin == "signed" else title


@dataclass(frozen=True)
class Cover:
    municipality: str
    unit: str
    case: str
    person: str | None
    reason: str  # "avslutning" | "flytting"
    to_municipality: str
    made_on: dt.date
    documents: int
    pages: int  # the documents' pages, without the cover and index
    whole: int = 0  # every page of the bundle, the cover and index included
    no_consent: bool = False  # the case has no signed consent: said on the index page


@dataclass(frozen=True)
class Entry:
    date: dt.date
    title: str  # kind_title(...)
    first_page: int  # the page label where the document starts


@dataclass(frozen=True)
class Link:
    page: int  # 0-based page of the front matter (the cover is 0)
    rect: tuple[float, float, float, float]
    entry: int  # index into the entries


@dataclass(frozen=True)
class FrontMatter:
    pdf: bytes
    pages: int
    links: tuple[Link, ...]


def index_pages(entries: int) -> int:
    return max(1, math.ceil(entries / ROWS_PER_INDEX_PAGE))


def draw(cover: Cover, entries: list[Entry], lang: str) -> FrontMatter:
    """The cover (one page) and the index (`index_pages` pages) as one small PDF."""
    w = words(lang)
    lines = _cover_lines(cover, w)
    texts = [w["title"], w["secret"], w["consent"], w["contents"], cover.municipality, cover.unit]
    texts += [label for label, _ in lines] + [value for _, value in lines]
    texts += [e.title for e in entries] + [w["index_page"], w["number"], w["document"]]
    texts += [f"{cover.case} · 0123456789"]  # the index's footer
    texts += [w["no_consent"]]
    regular, bold = _fonts("".join(texts))
    buffer = io.BytesIO()
    with _plain_flate():
        canvas = Canvas(buffer, pagesize=A4, pageCompression=1, initialFontName=regular)
        _draw_cover(canvas, cover, lines, w, regular, bold)
        links = _draw_index(canvas, cover, entries, w, regular, bold)
        canvas.save()
    return FrontMatter(buffer.getvalue(), 1 + index_pages(len(entries)), tuple(links))


@contextlib.contextmanager
def _plain_flate():
    """Streams in Flate only: reportlab adds ASCII85 by default, which qpdf then decodes and
    compresses again every time the bundle is saved."""
    before = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = before


def _count(n: int, forms: tuple[str, str]) -> str:
    return f"{n} {forms[0] if n == 1 else forms[1]}"


def _cover_lines(cover: Cover, w: dict) -> list[tuple[str, str]]:
    lines = [
        (w["case"], cover.case),
        (w["name"], cover.person or w["unknown"]),
        (w["reason"], w[cover.reason]),
    ]
    if cover.reason == "flytting":
        lines.append((w["to"], cover.to_municipality))
    lines += [
        (w["date"], language.date(cover.made_on)),
        (
            w["contents"],
            f"{_count(cover.documents, w['documents'])}, {_count(cover.pages, w['pages'])}"
            + (f" ({w['whole'].format(n=cover.whole)})" if cover.whole else ""),
        ),
    ]
    return lines


def _draw_cover(canvas: Canvas, cover: Cover, lines, w: dict, regular: str, bold: str) -> None:
    y = _HEIGHT - 80
    if cover.municipality:
        canvas.setFont(bold, 14)
        canvas.drawString(_LEFT, y, cover.municipality)
        y -= 18
    if cover.unit:
        canvas.setFont(regular, 11)
        canvas.drawString(_LEFT, y, cover.unit)
    canvas.setFont(bold, 30)
    canvas.drawString(_LEFT, 640, w["title"])
    canvas.setLineWidth(0.75)
    canvas.line(_LEFT, 624, _RIGHT, 624)
    y = 590.0
    value_x = _LEFT + 110
    for label, value in lines:
        canvas.setFont(bold, 12)
        canvas.drawString(_LEFT, y, label)
        canvas.setFont(regular, 12)
        for part in simpleSplit(value, regular, 12, _RIGHT - value_x) or [""]:
            canvas.drawString(value_x, y, part)
            y -= 16
        y -= 8
    canvas.setFont(regular, 11)
    notes = [w["secret"]] + ([w["consent"]] if cover.reason == "flytting" else [])
    y = 110.0
    for note in notes:
        for part in simpleSplit(note, regular, 11, _RIGHT - _LEFT):
            canvas.drawString(_LEFT, y, part)
            y -= 14
    canvas.showPage()


def _draw_index(canvas: Canvas, cover: Cover, entries, w: dict, regular: str, bold: str):
    links: list[Link] = []
    total = index_pages(len(entries))
    for page in range(total):
        canvas.setFont(bold, 20)
        canvas.drawString(_LEFT, 760, w["contents"])
        canvas.setFont(regular, 11)
        canvas.drawRightString(_RIGHT, 760, f"{w['case']} {cover.case}")
        canvas.setFont(bold, 11)
        header = 728.0
        canvas.drawString(_LEFT, header, w["number"])
        canvas.drawString(_LEFT + 40, header, w["date"])
        canvas.drawString(_LEFT + 120, header, w["document"])
        canvas.drawRightString(_RIGHT, header, w["page"])
        canvas.setLineWidth(0.5)
        canvas.line(_LEFT, header - 6, _RIGHT, header - 6)
        # The rows as one text object: a drawString per cell costs a third more.
        rows = canvas.beginText()
        rows.setFont(regular, 11)
        start = page * ROWS_PER_INDEX_PAGE
        for number, entry in enumerate(entries[start : start + ROWS_PER_INDEX_PAGE], start):
            y = _FIRST_ROW - (number - start) * _ROW
            first_page = str(entry.first_page)
            for x, text in (
                (_LEFT, str(number + 1)),
                (_LEFT + 40, language.date(entry.date)),
                (_LEFT + 120, entry.title),
                (_RIGHT - pdfmetrics.stringWidth(first_page, regular, 11), first_page),
            ):
                rows.setTextOrigin(x, y)
                rows.textOut(text)
            links.append(Link(1 + page, (_LEFT, y - 5, _RIGHT, y + 13), number))
        canvas.drawText(rows)
        if cover.no_consent and page == total - 1:
            canvas.setFont(bold, 11)
            canvas.drawString(_LEFT, 70, w["no_consent"])
        # Every page outside the cover says the case and its number on paper; the index
        # counts its own pages (the documents' numbers start after it, as its rows say).
        canvas.setFont(regular, 11)
        footer = f"{cover.case} · " + w["index_page"].format(n=page + 1, of=total)
        canvas.drawCentredString(_WIDTH / 2, 40, footer)
        canvas.showPage()
    return links


# --- fonts ----------------------------------------------------------------------------------

_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
_BUNDLED = Path(reportlab.__file__).parent / "fonts"
# (name, regular, bold): system fonts first; reportlab's own Vera is always there.
_CANDIDATES = (
    ("Carlito", "Carlito-Regular.ttf", "Carlito-Bold.ttf"),
    ("DejaVuSans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("Vera", str(_BUNDLED / "Vera.ttf"), str(_BUNDLED / "VeraBd.ttf")),
)


def fonts_for(text: str) -> tuple[str, str]:
    """The (regular, bold) fonts the cover would use for `text` (stamps.py uses the same)."""
    return _fonts(text)


def _fonts(text: str) -> tuple[str, str]:
    """Registered (regular, bold) font names: the first family with every letter in `text`."""
    needed = {ord(c) for c in text if not c.isspace()}
    first = None
    for candidate in _CANDIDATES:
        family = _family(*candidate)
        if family is None:
            continue
        first = first or family
        name, glyphs = family
        if needed <= glyphs:
            return name, f"{name}-Bold"
    assert first is not None  # Vera ships with reportlab
    return first[0], f"{first[0]}-Bold"


@cache
def _family(name: str, regular: str, bold: str) -> tuple[str, frozenset[int]] | None:
    """Register a family once per process; None when its files are not on this machine."""
    paths = [_find(regular), _find(bold)]
    if not all(paths):
        return None
    fonts = [TTFont(f"ipdocs-{name}", str(paths[0])), TTFont(f"ipdocs-{name}-Bold", str(paths[1]))]
    for font in fonts:
        pdfmetrics.registerFont(font)
    return f"ipdocs-{name}", frozenset(fonts[0].face.charToGlyph)


def _find(filename: str) -> Path | None:
    if Path(filename).is_absolute():
        return Path(filename) if Path(filename).is_file() else None
    for folder in _FONT_DIRS:
        if folder.is_dir():
            for path in folder.rglob(filename):
                return path
    return None
