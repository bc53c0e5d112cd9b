"""The print pack (`ipdocs batch --utskrift`): every invitation of a run in one PDF, in the
order of the rows, so a secretary prints a batch for posting in one go.

    the run's made invitations (row order) → the PDF made beside each → pages copied into one
      PDF (pikepdf, nothing re-encoded) → outbox/utskrift/<dato>_innkallinger.pdf

It reads only what the run made (`Result.made` and the PDFs beside the documents). A second
pack on the same day gets its own name (`…_innkallinger_2.pdf`): the first may not be printed
yet. For a printer that prints on both sides (`--tosidig`), a blank page follows each letter
with an odd number of pages, so every letter starts on a sheet of its own and goes in its own
envelope.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pikepdf

from .kinds import DocumentKind
from .publish import output_errors, publish
from .results import Result

FOLDER = "utskrift"


def invitation_pdfs(result: Result) -> list[Path]:
    """The PDF of each invitation the run made, in the order of its rows."""
    return [
        extra
        for made in result.made
        if made.kind == DocumentKind.invitation
        for extra in made.extras
        if extra.suffix.lower() == ".pdf"
    ]


def make_print_pack(
    result: Result, outbox: Path, today: dt.date, *, duplex: bool = False
) -> Path | None:
    """Write the pack; None when the run made no invitation PDF. `duplex`: a blank page after
    each letter with an odd number of pages (not after the last)."""
    sources = invitation_pdfs(result)
    if not sources:
        return None
    pack = pikepdf.new()
    opened = []
    try:
        for number, source in enumerate(sources, start=1):
            pdf = pikepdf.open(source)
            opened.append(pdf)
            pack.pages.extend(pdf.pages)
            if duplex and len(pdf.pages) % 2 and number < len(sources):
                box = pdf.pages[-1].mediabox  # the same paper as the letter's last page
                pack.add_blank_page(
                    page_size=(float(box[2]) - float(box[0]), float(box[3]) - float(box[1]))
                )
        out = io.BytesIO()
        pack.save(out)
    finally:
        for pdf in opened:
            pdf.close()
    folder = outbox / FOLDER
    base = f"{today.isoformat()}_innkallinger"
    with output_errors(outbox):
        folder.mkdir(parents=True, exist_ok=True)
        for n in range(1, 1000):
            target = folder / (f"{base}.pdf" if n == 1 else f"{base}_{n}.pdf")
            try:
                return publish(out.getvalue(), target, exclusive=True)
            except FileExistsError:
                continue
    raise FileExistsError(f"for mange utskrifter i {folder} i dag")
