"""Page numbers on paper: «IP-2026-0042 · Side 3 av 12» at the foot of every document page.

Page labels only show in a PDF reader; a printed plan needs the number on the page. A scan
is often dark to its edges and a document's own footer fills its margin, so nothing is printed
over the page: its content is shrunk (about 3 %) towards the top, which frees a band at the
bottom as the page is seen (its /Rotate taken into account), and the stamp goes in the band.
Links on the page are moved with the content. The stamps are drawn by reportlab with the same
embedded font as the cover (PDF/A allows no other), one small page per stamp, laid over each
page as a form (pikepdf).
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import pikepdf
from pikepdf import Array, Name
from reportlab.pdfgen.canvas import Canvas

from . import cover

BAND = 22.0  # points kept free at the visual bottom of each page
SIZE = 8.0  # the stamp's font size

Matrix = tuple[float, float, float, float, float, float]


def stamp(pdf: pikepdf.Pdf, pages: Sequence[pikepdf.Page], texts: Sequence[str]) -> None:
    """Shrink each page's (of `pdf`) content to free the band and print its text there."""
    if not pages:
        return
    regular, _ = cover.fonts_for("".join(texts))
    geometry = [_geometry(page) for page in pages]
    drawn = _draw(geometry, texts, regular)
    with pikepdf.open(io.BytesIO(drawn)) as stamps:
        for page, (box, rotate), stamp_page in zip(pages, geometry, stamps.pages, strict=True):
            _shrink(pdf, page, box, rotate)
            # Placed by hand: qpdf's add_overlay turns the form with the page's /Rotate, and
            # the stamp is drawn turned already.
            form = pdf.copy_foreign(stamp_page.as_form_xobject())
            name = page.add_resource(form, Name.XObject, prefix="Stamp")
            x0, y0 = box[0], box[1]
            page.contents_add(
                pikepdf.Stream(pdf, f"q 1 0 0 1 {x0:g} {y0:g} cm {name} Do Q\n".encode())
            )


def _geometry(page: pikepdf.Page) -> tuple[tuple[float, float, float, float], int]:
    x0, y0, x1, y1 = (float(v) for v in page.cropbox)
    box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
    return box, int(page.obj.get(Name.Rotate, 0)) % 360


def _visual_size(box, rotate: int) -> tuple[float, float]:
    w, h = box[2] - box[0], box[3] - box[1]
    return (w, h) if rotate in (0, 180) else (h, w)


def _to_user(box, rotate: int) -> Matrix:
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


def _shrink(pdf: pikepdf.Pdf, page: pikepdf.Page, box, rotate: int) -> None:
    width, height = _visual_size(box, rotate)
    s = (height - BAND) / height
    toward_top: Matrix = (s, 0, 0, s, width * (1 - s) / 2, height * (1 - s))
    to_user = _to_user(box, rotate)
    matrix = _then(_then(_inverse(to_user), toward_top), to_user)
    operands = " ".join(f"{v:.6f}".rstrip("0").rstrip(".") for v in matrix)
    page.contents_add(pikepdf.Stream(pdf, f"q {operands} cm\n".encode()), prepend=True)
    page.contents_add(pikepdf.Stream(pdf, b"\nQ\n"))
    annots = page.obj.get(Name.Annots)
    if isinstance(annots, Array):
        for annot in annots:
            rect = annot.get(Name.Rect) if isinstance(annot, pikepdf.Dictionary) else None
            if isinstance(rect, Array) and len(rect) == 4:
                x0, y0, x1, y1 = (float(v) for v in rect)
                corners = [_apply(matrix, x, y) for x in (x0, x1) for y in (y0, y1)]
                xs, ys = [p[0] for p in corners], [p[1] for p in corners]
                annot.Rect = Array([min(xs), min(ys), max(xs), max(ys)])


def _draw(geometry, texts: Sequence[str], font: str) -> bytes:
    """One page per stamp, each the size of the page it goes on, the text at the visual foot."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=1, initialFontName=font)
    for (box, rotate), text in zip(geometry, texts, strict=True):
        x0, y0, x1, y1 = box
        canvas.setPageSize((x1 - x0, y1 - y0))
        a, b, c, d, e, f = _to_user(box, rotate)
        canvas.saveState()
        canvas.transform(a, b, c, d, e - x0, f - y0)  # the overlay's origin is the box's
        width, _ = _visual_size(box, rotate)
        canvas.setFont(font, SIZE)
        canvas.drawCentredString(width / 2, BAND * 0.35, text)
        canvas.restoreState()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()
