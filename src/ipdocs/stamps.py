"""Page numbers on paper: «IP-2026-0042 · Side 3 av 12» at the foot of every document page.

Page labels only show in a PDF reader; a printed plan needs the number on the page. A scan
is often dark to its edges and a document's own footer fills its margin, so nothing is printed
over the page: its content is shrunk (about 3 %) towards the top, which frees a band at the
bottom as the page is seen (its /Rotate taken into account), and the stamp goes in the band.
Links on the page are moved with the content. The text is set in the cover's embedded font
(PDF/A allows no other): reportlab subsets and encodes it once for all the stamps, and each
page gets one short content stream that shows its text (a reportlab page per stamp cost three
times the rest of the bundle).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pikepdf
from pikepdf import Array, Name
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from . import cover

BAND = 22.0  # points kept free at the visual bottom of each page
SIZE = 8.0  # the stamp's font size

Matrix = tuple[float, float, float, float, float, float]
Box = tuple[float, float, float, float]  # x0, y0, x1, y1


def stamp(pdf: pikepdf.Pdf, pages: Sequence[pikepdf.Page], texts: Sequence[str]) -> None:
    """Shrink each page's (of `pdf`) content to free the band and print its text there."""
    if not pages:
        return
    regular, _ = cover.fonts_for("".join(texts))
    fonts, encoded = _font(pdf, regular, texts)
    for page, text in zip(pages, texts, strict=True):
        box, rotate = _geometry(page)
        _shrink(pdf, page, box, rotate)
        names = {
            subset: page.add_resource(font, Name.Font, prefix="Stamp")
            for subset, font in fonts.items()
        }
        width, _ = _visual_size(box, rotate)
        x = (width - pdfmetrics.stringWidth(text, regular, SIZE)) / 2
        shown = " ".join(
            f"{names[subset]} {SIZE:g} Tf <{chunk.hex()}> Tj" for subset, chunk in encoded[text]
        )
        matrix = _operands(_to_user(box, rotate))
        # The Q closes what _shrink opened: one stream for both (a bundle has many pages).
        content = f"\nQ q {matrix} cm BT {x:.2f} {BAND * 0.35:.2f} Td {shown} ET Q\n"
        page.contents_add(pikepdf.Stream(pdf, content.encode("ascii")))


def _font(
    pdf: pikepdf.Pdf, font_name: str, texts: Sequence[str]
) -> tuple[dict[int, pikepdf.Object], dict[str, list[tuple[int, bytes]]]]:
    """The font subset(s) holding every character of `texts`, copied into `pdf`, and each
    text encoded for them: {subset: font}, {text: [(subset, bytes), …]}."""
    font = pdfmetrics.getFont(font_name)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=1)
    canvas.setFont(font_name, SIZE)
    canvas.drawString(0, 0, "".join(sorted(set("".join(texts)))))  # every glyph in the subset
    encoded = {text: font.splitString(text, canvas._doc) for text in set(texts)}
    subsets = {subset for parts in encoded.values() for subset, _ in parts}
    internal = {s: font.getSubsetInternalName(s, canvas._doc) for s in subsets}
    canvas.showPage()
    canvas.save()
    with pikepdf.open(io.BytesIO(buffer.getvalue())) as drawn:
        resources = drawn.pages[0].Resources.Font
        fonts = {s: pdf.copy_foreign(resources[internal[s]]) for s in subsets}
    return fonts, encoded


def _operands(m: Matrix) -> str:
    return " ".join(f"{v:.6f}".rstrip("0").rstrip(".") for v in m)


def _geometry(page: pikepdf.Page) -> tuple[Box, int]:
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    return box, int(page.obj.get(Name.Rotate, 0)) % 360


def _visual_size(box: Box, rotate: int) -> tuple[float, float]:
    w, h = box[2] - box[0], box[3] - box[1]
    return (w, h) if rotate in (0, 180) else (h, w)


def _to_user(box: Box, rotate: int) -> Matrix:
    """The page as it is seen (origin bottom left) → its own coordinates, for its /Rotate
    (a clockwise turn when shown)."""
    x0, y0, x1, y1 = box
    return {
        0: (1, 0, 0, 1, x0, y0),
        90: (0, 1, -1, 0, x1, y0),
        180: (-1, 0, 0, -1, x1, y1),
        270: (0, -1, 1, 0, x0, y1),
    }.get(rotate, (1, 0, 0, 1, x0, y0))


def _then(m: Matrix, n: Matrix) -> Matrix:
    """m, then n (PDF's row-vector order: the matrix of `m cm` inside `n cm`)."""
    a1, b1, c1, d1, e1, f1 = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


def _inverse(m: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    det = a * d - b * c
    ia, ib, ic, id_ = d / det, -b / det, -c / det, a / det
    return (ia, ib, ic, id_, -(e * ia + f * ic), -(e * ib + f * id_))


def _apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _shrink(pdf: pikepdf.Pdf, page: pikepdf.Page, box: Box, rotate: int) -> None:
    width, height = _visual_size(box, rotate)
    s = (height - BAND) / height
    toward_top: Matrix = (s, 0, 0, s, width * (1 - s) / 2, height * (1 - s))
    to_user = _to_user(box, rotate)
    matrix = _then(_then(_inverse(to_user), toward_top), to_user)
    page.contents_add(pikepdf.Stream(pdf, f"q {_operands(matrix)} cm\n".encode()), prepend=True)
    annots = page.obj.get(Name.Annots)
    if isinstance(annots, Array):
        for annot in annots:
            rect = annot.get(Name.Rect) if isinstance(annot, pikepdf.Dictionary) else None
            if isinstance(rect, Array) and len(rect) == 4:
                x0, y0, x1, y1 = (float(v) for v in rect)
                corners = [_apply(matrix, x, y) for x in (x0, x1) for y in (y0, y1)]
                xs, ys = [p[0] for p in corners], [p[1] for p in corners]
                annot.Rect = Array([min(xs), min(ys), max(xs), max(ys)])
