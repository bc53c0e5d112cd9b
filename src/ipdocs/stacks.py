"""A scanned stack of signed documents that files itself by the QR codes on its pages.

    check the PDF → render every page (pypdfium2, greyscale) → read its QR codes (zxing-cpp)
      → our reference? (reference.py) → consecutive pages with one reference are one document,
      a page without a readable code belongs to the document before it → each part copied page
      for page (pikepdf: nothing re-encoded) → a reference the ledger knows: filed to its case
      as the signed copy of that rendered document (signed.file_copy), dated as it is; a
      reference it does not know, or pages before the first code: left over, for feil/

The office scanner names a stack `Skann_20261203_0001.pdf`; the pipeline sends every PDF whose
name does not say `<sak>_<dokument>` here. A stack with no code at all is refused as such a
PDF always was (name it). Both wheels carry their own libraries: nothing to install beside them.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pikepdf

from . import reference, signatures, signed
from .errors import InputError, Notice, Problem
from .kinds import DocumentKind
from .ledger import DocumentRow, Ledger
from .reference import Reference
from .results import Leftover, Made, Refused, Result, Split
from .settings import Settings

if TYPE_CHECKING:
    import pypdfium2  # loaded when a stack is read: every command imports this module

# A footer code of 16 mm at version 3 has modules of half a millimetre: 3 pixels at 150 dpi,
# which zxing reads through a slight skew and a scanner's noise. A page with no code is read
# once more, sharper (a faint or small print), before it is taken to have none.
FIRST_DPI = 150
SECOND_DPI = 250


@dataclass(frozen=True)
class Segment:
    """Consecutive pages of a stack (0-based, `last` included) and the reference they carry."""

    first: int
    last: int
    reference: Reference | None  # None: pages before the first code

    @property
    def label(self) -> str:
        return page_label(self.first, self.last)


def page_label(first: int, last: int) -> str:
    return f"side {first + 1}" if first == last else f"side {first + 1}–{last + 1}"


# --- reading the codes ----------------------------------------------------------------------


def read_references(path: Path) -> list[Reference | None]:
    """The reference on each page of the PDF, None where no code of ours can be read."""
    return [ref for ref, _ in read_pages(path)]


def read_pages(path: Path) -> list[tuple[Reference | None, int]]:
    """Each page's reference (None where no code of ours can be read) and the quarter turn
    clockwise (0, 90, 180, 270) that shows it upright, as its code lies on the page."""
    import pypdfium2

    found: list[tuple[Reference | None, int]] = []
    pdf = pypdfium2.PdfDocument(path)
    try:
        for page in _pages(pdf):
            try:
                read = _read_page(page, FIRST_DPI) or _read_page(page, SECOND_DPI)
            finally:
                page.close()
            found.append(read or (None, 0))
    finally:
        pdf.close()
    return found


def _pages(pdf: pypdfium2.PdfDocument) -> Iterator[pypdfium2.PdfPage]:
    for index in range(len(pdf)):
        yield pdf[index]


def _read_page(page: pypdfium2.PdfPage, dpi: int) -> tuple[Reference, int] | None:
    import zxingcpp

    bitmap = page.render(scale=dpi / 72, grayscale=True, may_draw_forms=False)
    try:
        image = bitmap.to_pil()
        codes = zxingcpp.read_barcodes(
            image, formats=zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
        )
    finally:
        bitmap.close()
    for code in codes:
        ref = reference.parse(code.text)
        if ref is not None:
            # zxing gives the code's turn counter-clockwise as it is seen, -180…180 (a slight
            # skew included): the quarter turn clockwise that undoes it.
            return ref, round(-code.orientation / 90) * 90 % 360
    return None


def split(references: list[Reference | None]) -> list[Segment]:
    """Consecutive pages with the same reference are one document; a page without a code goes
    with the one before it; pages before the first code are a segment of their own."""
    segments: list[Segment] = []
    for index, ref in enumerate(references):
        current = segments[-1] if segments else None
        if current is not None and (ref is None or ref == current.reference):
            segments[-1] = Segment(current.first, index, current.reference)
        else:
            segments.append(Segment(index, index, ref))
    return segments


def extract(pdf: pikepdf.Pdf, first: int, last: int, turns: Sequence[int] = ()) -> bytes:
    """Pages first..last as a PDF of their own: the page objects copied, streams untouched.
    `turns` (one per page of the stack) turns a page fed upside down the right way up: only
    its /Rotate changes, so a PDF reader and the archive show it upright."""
    part = pikepdf.new()
    part.pages.extend(pdf.pages[first : last + 1])
    for page, turn in zip(part.pages, turns[first : last + 1], strict=False):
        if turn:
            page.rotate(turn, relative=True)
    out = io.BytesIO()
    # The same pages give the same bytes: a stack dropped in again files onto the same names.
    part.save(out, deterministic_id=True)
    return out.getvalue()


# --- routing ----------------------------------------------------------------------------------


def route_stack(
    path: Path, settings: Settings, *, write: bool = True, ledger: Ledger | None = None
) -> Result:
    """Split a stack by its codes and file each part to its case (when writing)."""
    path = Path(path)
    digest = ""
    try:
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        signed.check_pdf(path)
        with pikepdf.open(path) as probe:
            electronic = signatures.is_signed(probe)
        read = read_pages(path)
        references = [ref for ref, _ in read]
        turns = [turn for _, turn in read]
    except InputError as exc:
        return signed.refused(path, exc.problems, digest, ledger=ledger, write=write)
    except OSError as exc:
        return signed.unreadable(path, exc)
    if not any(references):
        return signed.refused(path, (_no_code(),), digest, ledger=ledger, write=write)

    made: list[Made] = []
    refused: list[Refused] = []
    leftovers: list[Leftover] = []
    segments = split(references)
    if electronic:
        # Signed bytes are evidence only as they are: the whole file is the first code's
        # document, never split or saved again.
        first = next(ref for ref in references if ref is not None)
        segments = [Segment(0, len(references) - 1, first)]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for segment in segments:
            part = data if electronic else extract(pdf, segment.first, segment.last, turns)
            row, why = _rendered_document(segment, ledger)
            if row is None or segment.reference is None:
                why = why or signed.unnamed()  # (a row always comes with its reference)
                refused.append(Refused(segment.label, (why,)))
                suffix = "_" + segment.label.replace(" ", "_").replace("–", "-")
                leftovers.append(Leftover(segment.label, suffix, part, why))
                continue
            identity = signed.Identity(row.case, DocumentKind(row.kind), row.date)
            made.append(
                signed.file_copy(
                    part,
                    hashlib.sha256(part).hexdigest(),
                    identity,
                    row.date,
                    settings,
                    write=write,
                    ledger=ledger,
                    name=f"{path.name} {segment.label}",
                    label=segment.label,
                    covers_transfer=row.covers_transfer if row.kind == "samtykke" else None,
                    copy_of=segment.reference.id,
                    notices=_scope_notice(row),
                )
            )
    result = Result(
        path, tuple(made), tuple(refused), digest, split=Split(len(references), tuple(leftovers))
    )
    if ledger is not None and write:
        ledger.add_stack(result)
    return result


def _no_code() -> Problem:
    """A PDF whose name says nothing, and no page of it carries a code of ours."""
    named = signed.unnamed()
    return Problem(
        named.where,
        "Ingen av sidene har en QR-kode fra ipdocs, og filnavnet sier ikke hvilken sak og "
        "hvilket dokument PDF-en er.",
        named.fix,
    )


def _rendered_document(
    segment: Segment, ledger: Ledger | None
) -> tuple[DocumentRow | None, Problem | None]:
    """The ledger's rendered document for the segment's reference, or why there is none."""
    ref = segment.reference
    if ref is None:
        return None, Problem(
            segment.label,
            "Sidene kommer før den første QR-koden i bunken, så ipdocs vet ikke hvilket "
            "dokument de hører til.",
            "Legg dem bak forsiden til dokumentet de hører til og skann på nytt, eller gi filen "
            "navnet <sak>_<dokument>.pdf og legg den i innboksen.",
        )
    row = ledger.document_by_ref(ref.id) if ledger is not None else None
    if row is None or row.case.casefold() != ref.case.casefold() or row.kind != ref.kind:
        return None, Problem(
            segment.label,
            f"QR-koden viser til {ref.kind} for {ref.case} fra {ref.date:%d.%m.%Y}, men ipdocs "
            "har ikke laget det dokumentet (i denne outbox-mappen).",
            "Sjekk at dokumentet er laget med ipdocs her, eller gi filen navnet "
            f"{ref.case}_{ref.kind}.pdf og legg den i innboksen.",
        )
    return row, None


def _scope_notice(row: DocumentRow) -> tuple[Notice, ...]:
    if row.kind == "samtykke" and row.covers_transfer is None:
        return (
            Notice(
                "Samtykket dette er en signert kopi av, sier ikke om det også gjelder "
                "overføring ved flytting. Sjekk det før saken arkiveres."
            ),
        )
    return ()


def report(result: Result, *, name: str, failed_folder: str, names: dict[str, str]) -> str:
    """The note beside a routed stack: which pages went where (never a person's name).

    `names` gives each leftover's label the file name it got in the failed folder."""
    split_ = result.split
    assert split_ is not None, "a routed stack's result"
    lines = [f"«{name}» har {split_.pages} sider. Slik ble de lagt:", ""]
    rows = [(m.label, m) for m in result.made] + [(r.label, r) for r in result.refused]
    rows.sort(key=lambda pair: int(pair[0].split()[1].split("–")[0]))
    for label, item in rows:
        if isinstance(item, Made):
            where = f"{item.case}/{signed.SIGNED_FOLDER}/{item.path.name}" if item.path else ""
            lines.append(
                f"- {label}: {item.kind} for {item.case} fra {item.date:%d.%m.%Y}"
                + (f", lagt i {where}" if where else "")
            )
            lines += [f"  {w}" for w in item.warnings]
        else:
            lines.append(
                f"- {label}: ikke lagt i noen sak, ligger i {failed_folder}/{names[label]}"
            )
            lines += [f"  {p.what} {p.fix}" for p in item.problems]
    return "\n".join(lines) + "\n"
