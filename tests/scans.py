"""Paper scans of real documents, made the way a scanner makes them: a rendered document
(docxtpl → LibreOffice PDF) rasterised (pypdfium2), its QR code stamped where the footer puts
it (segno), each page turned or skewed as paper goes through a feeder, and saved as an
image-only PDF of JPEG pages (Pillow), one page per image, no text layer.

Also used by bench/scans.py.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pypdfium2
import segno
from PIL import Image

from ipdocs._exec import soffice
from ipdocs.ledger import Ledger
from ipdocs.pipeline import process_file

QR_MM = 16  # the footer code's side, quiet zone included
MARGIN_MM = 10  # from the page's right and bottom edges


def render_pdfs(settings, sources: list[Path]) -> list[tuple[Path, object]]:
    """Render each input through the pipeline (recorded in the ledger), make the PDF with
    LibreOffice; returns (pdf, made) per document."""
    made = []
    with Ledger.for_outbox(settings.outbox) as ledger:
        for source in sources:
            result = process_file(source, settings, ledger=ledger)
            assert not result.refused, result.problems
            made += result.made
    pdfs, failed = soffice.convert_to_pdf([m.path for m in made])
    assert not failed, failed
    return [(pdfs[m.path], m) for m in made]


def case_input(folder: Path, source: Path, case: str) -> Path:
    """A copy of a test input for another case (its `sak:` line, and the key wherever else
    the file repeats it)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    own = re.search(r"^sak:\s*(\S+)", text, flags=re.M)
    if own is not None:
        text = text.replace(own.group(1), case)
    target = folder / f"{case}_{source.name}"
    target.write_text(text, encoding="utf-8")
    return target


def pages(pdf: Path, *, dpi: int) -> list[Image.Image]:
    """The pages as greyscale images, as the scanner's sensor sees the paper."""
    doc = pypdfium2.PdfDocument(pdf)
    try:
        return [
            doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
            for i in range(len(doc))
        ]
    finally:
        doc.close()


def stamp(image: Image.Image, payload: str, *, dpi: int) -> Image.Image:
    """The page with the QR code of `payload` printed in its bottom right margin."""
    code = segno.make_qr(payload, error="m")
    out = io.BytesIO()
    code.save(out, kind="png", scale=1, border=4)
    side = round(QR_MM / 25.4 * dpi)
    margin = round(MARGIN_MM / 25.4 * dpi)
    qr = Image.open(io.BytesIO(out.getvalue())).convert("L").resize((side, side), Image.NEAREST)
    page = image.copy()
    page.paste(qr, (page.width - side - margin, page.height - side - margin))
    return page


def feed(image: Image.Image, *, turned: bool = False, skew: float = 0.0) -> Image.Image:
    """Paper through a feeder: upside down, or a little askew."""
    if turned:
        image = image.rotate(180)
    if skew:
        image = image.rotate(skew, resample=Image.BICUBIC, fillcolor=255)
    return image


def save_scan(path: Path, images: list[Image.Image], *, dpi: int, quality: int = 70) -> Path:
    """An image-only PDF, one JPEG page per image (what office scanners write)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Copies: Pillow keeps what one save was told on the images it wrote (encoderinfo), and a
    # page image used in one stack and then first in another lost a page of the second.
    images = [image.copy() for image in images]
    images[0].save(
        path, "PDF", save_all=True, append_images=images[1:], resolution=dpi, quality=quality
    )
    return path


def copy_office(source: Path, target: Path) -> Path:
    """A copy of a prepared outbox (documents and ledger) for one test to change."""
    shutil.copytree(source, target)
    return target
