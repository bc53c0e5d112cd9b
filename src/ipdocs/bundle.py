"""The archive PDF: cover, index, one bookmark per document (the document's own bookmarks
nested under it), page labels, metadata, and the manifest that goes beside it.

    open and check each source PDF → draw cover and index (cover.py) → copy every page
      (pikepdf, in process) → bookmarks, page labels, index links, metadata → save
      (PDF/A-2b: prepared, written and validated by pikepdf.pdfa) → the file handed in

It works on PDFs it is handed; it never reads an input file or the ledger (archive.py does).
pikepdf errors are translated here, where they enter: a corrupt or encrypted source becomes a
Problem naming the file, and a bundle that cannot be PDF/A names the documents that stop it.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO, cast

import pikepdf
from pikepdf import Array, Dictionary, Name
from pikepdf.sanitize import remove_javascript

from . import __version__, cover, pdfcheck, signatures, stamps
from .errors import ArchiveError, Problem
from .publish import sha256_of

PDFA_FLAVOUR = "2b"

# fontTools logs (in English) about font tables while pikepdf.pdfa reads fonts: nothing a
# coordinator can act on. Nothing else in ipdocs uses fontTools.
logging.getLogger("fontTools").setLevel(logging.ERROR)

Progress = Callable[[int, int], None]  # (documents done, documents in all)


@dataclass(frozen=True)
class Part:
    """One document of the case, as it goes into the bundle."""

    kind: str
    date: dt.date
    origin: str  # "rendered" or "signed"
    source: Path  # the file the ledger names: a .docx, or a signed .pdf
    pdf: Path  # the PDF that goes in: the source itself, the PDF beside it, or its conversion
    conversion: Conversion | None = None  # --pdfa: `pdf` is a PDF/A copy made from another
    # Digitally signed as filed: said here when `pdf` is a conversion, which keeps no signature.
    electronic: bool = False


@dataclass(frozen=True)
class Conversion:
    """A part that was not PDF/A as it was, converted for the bundle (Noark 5 records it)."""

    given: Path  # the PDF that was converted (kept as it is)
    tool: str  # "Ghostscript 10.00.0"
    because: str  # what kept it from being PDF/A
    sha256: str  # of the converted copy that went into the bundle


@dataclass(frozen=True)
class Placed:
    part: Part
    pages: int
    first_page: int  # its page label: the documents are numbered from 1
    page_index: int  # 0-based page in the bundle, counting the cover and index
    electronic: bool = False  # digitally signed: its pages without the signature fields


@dataclass(frozen=True)
class Built:
    pages: int  # every page, the cover and index included
    placed: tuple[Placed, ...]


# --- sources ------------------------------------------------------------------------------


def open_source(path: Path) -> pikepdf.Pdf:
    """Open a PDF that goes into the bundle, or say in plain words why it cannot go in."""
    return pdfcheck.open_checked(
        path,
        where=f"filen «{path.name}»",
        then="Legg så en hel kopi med samme navn i samme mappe, og lag arkivet på nytt.",
    )


# --- the bundle ---------------------------------------------------------------------------


def assemble(
    parts: Sequence[tuple[Part, pikepdf.Pdf]],
    front: cover.Cover,
    into: BinaryIO,
    *,
    lang: str,
    title: str,
    pdfa: bool = False,
    duplex: bool = False,
    progress: Progress | None = None,
) -> Built:
    """Write the whole bundle to `into`: cover, index, then every part in the order given,
    each document page stamped «<sak> · Side N av M» as the index counts it. With `duplex`
    (--tosidig) a blank page follows the front matter and each part with an odd page count,
    so every document starts on a front side; blank pages are not counted.

    The parts' PDFs must stay open until this returns (their page contents are read while
    the bundle is written)."""
    counts = [len(pdf.pages) for _, pdf in parts]
    electronic = [part.electronic or signatures.is_signed(pdf) for part, pdf in parts]
    n_front = 1 + cover.index_pages(len(parts))
    blank_after_front = duplex and n_front % 2 == 1
    placed, label, index = [], 1, n_front + blank_after_front
    for (part, _), pages, signed in zip(parts, counts, electronic, strict=True):
        placed.append(Placed(part, pages, label, index, signed))
        label += pages
        index += pages + (duplex and pages % 2 == 1)
    # The cover says both counts (the blank pages --tosidig adds among all the pages), so it
    # agrees with the index and with the terminal.
    front = replace(front, documents=len(parts), pages=sum(counts), whole=index)
    entries = [cover.Entry(p.part.date, _title(p, lang), p.first_page) for p in placed]
    drawn = cover.draw(front, entries, lang)

    out = pikepdf.new()
    with pikepdf.open(io.BytesIO(drawn.pdf)) as front_pdf:
        out.pages.extend(front_pdf.pages)
    _drop_slideshow(out.pages)
    if blank_after_front:
        _blank_after(out)
    own_outlines = []
    for done, ((_, pdf), signed) in enumerate(zip(parts, electronic, strict=True), start=1):
        own_outlines.append(_copy_pages(out, pdf, signed=signed))
        if duplex and len(pdf.pages) % 2 == 1:
            _blank_after(out)
        if progress is not None:
            progress(done, len(parts))

    page_objects = [page.obj for page in out.pages]  # indexing out.pages costs more
    scripted = _may_hold_scripts([pdf for _, pdf in parts], page_objects)
    _stamp(out, placed, front.case, sum(counts), lang)
    _outline(out, page_objects, placed, own_outlines, lang)
    _page_labels(out, n_front, placed, blank_after_front=blank_after_front, duplex=duplex)
    _index_links(out, page_objects, drawn.links, placed)
    if scripted:
        remove_javascript(out)
    out.Root.Lang = pikepdf.String("nn-NO" if lang == "nn" else "nb-NO")
    _metadata(out, title=title, author=front.municipality or front.unit)
    _save(out, parts, electronic, into, pdfa=pdfa)
    return Built(len(out.pages), tuple(placed))


def _title(p: Placed, lang: str) -> str:
    title = cover.kind_title(p.part.kind, p.part.origin, lang)
    return f"{title} – {cover.words(lang)['esigned']}" if p.electronic else title


def _drop_slideshow(pages) -> None:
    """Page transitions and timings are for slideshows, not archives (reportlab writes an
    empty /Trans on every page, and pikepdf.pdfa cannot vouch for it)."""
    for page in pages:
        for key in (Name.Trans, Name.Dur):
            if key in page.obj:
                del page.obj[key]


# What a document may hold for its pages besides pages and bookmarks: forms, layers, named
# destinations. pikepdf's add_pages_from carries them along; plain documents (scans, most
# exports) have none, and their bookmarks are carried here, at a tenth of the cost.
_CARRIED_BY_PIKEPDF = (Name.AcroForm, Name.OCProperties, Name.Names, Name.Dests)
_MAX_DEPTH = 32


def _copy_pages(out: pikepdf.Pdf, src: pikepdf.Pdf, *, signed: bool = False) -> list[Dictionary]:
    """Append every page of `src`; returns its own top-level bookmarks, leading to the copies.

    A digitally signed source's pages come without their signature widgets, and its form is
    not carried along (the original lies beside the bundle: signatures.py)."""
    if signed:
        start = len(out.pages)
        with warnings.catch_warnings():
            # Its form is left behind on purpose: the fields hold the signature values.
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            outlines = _copy_plain(out, src)
        signatures.strip_widgets(out.pages[start:])
        return outlines
    if any(key in src.Root for key in _CARRIED_BY_PIKEPDF):
        before = _chain(cast(Dictionary | None, out.Root.get(Name.Outlines)))
        out.add_pages_from(src)  # appends the bookmarks that lead to the copied pages
        return _chain(cast(Dictionary | None, out.Root.get(Name.Outlines)))[len(before) :]
    return _copy_plain(out, src)


def _copy_plain(out: pikepdf.Pdf, src: pikepdf.Pdf) -> list[Dictionary]:
    start = len(out.pages)
    out.pages.extend(src.pages)
    if Name.Outlines not in src.Root:
        return []
    copies = out.pages
    page_map = {page.obj.objgen: copies[start + i].obj for i, page in enumerate(src.pages)}
    return _carry(out, cast(Dictionary, src.Root.Outlines), page_map, set(), 0)


def _carry(out, parent: Dictionary, page_map: dict, seen: set, depth: int) -> list[Dictionary]:
    """Copies of the items under `parent` that lead to a copied page (or hold one that does)."""
    items = []
    for node in _chain(parent):
        if node.objgen in seen or depth > _MAX_DEPTH:
            continue
        seen.add(node.objgen)
        kids = _carry(out, node, page_map, seen, depth + 1)
        target = _page_destination(node, page_map)
        if target is None and not kids:
            continue
        item = out.make_indirect(Dictionary(Title=pikepdf.String(str(node.get(Name.Title, "")))))
        if target is not None:
            item.Dest = target
        if kids:
            _hang(item, kids)
            shown = sum(1 + max(int(k.get(Name.Count, 0)), 0) for k in kids)
            item.Count = shown if int(node.get(Name.Count, 0)) > 0 else -shown
        items.append(item)
    return items


def _page_destination(node: Dictionary, page_map: dict) -> Array | None:
    """An item's explicit destination (or GoTo action), pointed at the page's copy."""
    target = node.get(Name.Dest)
    action = node.get(Name.A)
    if target is None and isinstance(action, Dictionary) and action.get(Name.S) == Name.GoTo:
        target = action.get(Name.D)
    if not isinstance(target, Array) or len(target) == 0:
        return None  # a named destination lives in /Names or /Dests: add_pages_from's case
    page = target[0]
    if not isinstance(page, Dictionary) or not page.is_indirect or page.objgen not in page_map:
        return None
    rest = [v for v in list(target)[1:] if isinstance(v, Name | int | float | Decimal) or v is None]
    return Array([page_map[page.objgen], *rest]) if len(rest) == len(target) - 1 else None


def _may_hold_scripts(sources: list[pikepdf.Pdf], pages: list[Dictionary]) -> bool:
    """Could the copied pages have brought JavaScript along (annotations, page actions,
    forms)? Only then is the bundle searched for scripts to remove. Run before the index
    links are added: those are annotations too, and hold none."""
    keys = (*_CARRIED_BY_PIKEPDF, Name.OpenAction, Name.AA)
    if any(key in pdf.Root for pdf in sources for key in keys):
        return True
    return any(Name.Annots in page or Name.AA in page for page in pages)


def _outline(
    out: pikepdf.Pdf,
    pages: list[Dictionary],
    placed: list[Placed],
    own_outlines: list[list[Dictionary]],
    lang: str,
) -> None:
    """Forside, Innhold, then one item per document with the document's own items under it.

    Written as plain outline dictionaries: much cheaper than pikepdf's Outline model, which
    reads and writes every item again.
    """
    w = cover.words(lang)
    root = out.make_indirect(Dictionary(Type=Name.Outlines))

    def item(title: str, page_index: int) -> Dictionary:
        target = Array([pages[page_index], Name.Fit])
        return out.make_indirect(Dictionary(Title=pikepdf.String(title), Dest=target))

    items = [item(w["front"], 0), item(w["contents"], 1)]
    for p, kids in zip(placed, own_outlines, strict=True):
        title = f"{p.part.date:%d.%m.%Y} {cover.kind_title(p.part.kind, p.part.origin, lang)}"
        parent = item(title, p.page_index)
        if kids:
            _hang(parent, kids)
            # Closed: a negative count of the items that opening it would show.
            parent.Count = -sum(1 + max(int(k.get(Name.Count, 0)), 0) for k in kids)
        items.append(parent)
    _hang(root, items)
    root.Count = len(items)  # the documents' items are closed
    out.Root.Outlines = root


def _chain(parent: Dictionary | None) -> list[Dictionary]:
    found = []
    node = parent.get(Name.First) if isinstance(parent, Dictionary) else None
    while isinstance(node, Dictionary):
        found.append(node)
        node = node.get(Name.Next)
    return found


def _hang(parent: Dictionary, kids: list[Dictionary]) -> None:
    """Make `kids` the children of `parent`, linked to each other in order."""
    for before, kid in zip([None, *kids], kids, strict=False):
        kid.Parent = parent
        if before is None:
            if Name.Prev in kid:
                del kid.Prev
        else:
            kid.Prev, before.Next = before, kid
    if Name.Next in kids[-1]:
        del kids[-1].Next
    parent.First, parent.Last = kids[0], kids[-1]


def _page_labels(
    out: pikepdf.Pdf, n_front: int, placed, *, blank_after_front: bool, duplex: bool
) -> None:
    """Cover and index i, ii, …; the documents 1, 2, … as the index counts them; a blank
    page (--tosidig) is labelled «tom» and not counted."""
    if not duplex:
        out.Root.PageLabels = Dictionary(
            Nums=Array([0, Dictionary(S=Name.r), n_front, Dictionary(S=Name.D, St=1)])
        )
        return
    blank = Dictionary(P=pikepdf.String(cover.words("nb")["blank"]))
    nums: list = [0, Dictionary(S=Name.r)]
    if blank_after_front:
        nums += [n_front, blank]
    for p in placed:
        nums += [p.page_index, Dictionary(S=Name.D, St=p.first_page)]
        if p.pages % 2 == 1:
            nums += [p.page_index + p.pages, blank]
    out.Root.PageLabels = Dictionary(Nums=Array(nums))


def _blank_after(out: pikepdf.Pdf) -> None:
    """A blank page the size of the last one (--tosidig: the next document on a front side)."""
    last = out.pages[-1]
    x0, y0, x1, y1 = (float(v) for v in last.mediabox)
    out.add_blank_page(page_size=(abs(x1 - x0), abs(y1 - y0)))


def _stamp(out: pikepdf.Pdf, placed, case: str, total: int, lang: str) -> None:
    """«<sak> · Side N av M» on every document page, N as the index counts (stamps.py)."""
    side = cover.words(lang)["page_of"]
    pages, texts = [], []
    for p in placed:
        for i in range(p.pages):
            pages.append(out.pages[p.page_index + i])
            texts.append(f"{case} · {side.format(n=p.first_page + i, of=total)}")
    stamps.stamp(out, pages, texts)


def _index_links(out: pikepdf.Pdf, pages: list[Dictionary], links, placed) -> None:
    """Each index row goes to its document when clicked."""
    by_page: dict[int, list] = {}
    for link in links:
        target = pages[placed[link.entry].page_index]
        annotation = Dictionary(
            Type=Name.Annot,
            Subtype=Name.Link,
            Rect=Array([round(v) for v in link.rect]),
            Border=Array([0, 0, 0]),
            F=4,  # print: PDF/A wants every annotation printable
            Dest=Array([target, Name.Fit]),
        )
        by_page.setdefault(link.page, []).append(out.make_indirect(annotation))
    for number, made in by_page.items():
        pages[number].Annots = Array(made)


def _metadata(out: pikepdf.Pdf, *, title: str, author: str) -> None:
    # No person's name in the metadata: file lists and search indexes show it.
    with out.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = title
        if author:
            meta["dc:creator"] = [author]
        meta["xmp:CreatorTool"] = f"ipdocs {__version__}"
        meta["pdf:Producer"] = f"ipdocs {__version__} (pikepdf {pikepdf.__version__})"
        now = dt.datetime.now().astimezone().isoformat(timespec="seconds")
        meta["xmp:CreateDate"] = now
        meta["xmp:ModifyDate"] = now


def _save(out: pikepdf.Pdf, parts, electronic: list[bool], into: BinaryIO, *, pdfa: bool) -> None:
    # Straight to the file: pikepdf writes a 3 MB bundle to an open file in about half the
    # time it takes to write it to an io.BytesIO.
    if not pdfa:
        version = max([out.pdf_version] + [pdf.pdf_version for _, pdf in parts])
        out.save(into, min_version=version)
        return
    import pikepdf.pdfa  # optional extras (pikepdf[pdfa]): loaded only when asked for

    _drop_slideshow(out.pages)
    try:
        pikepdf.pdfa.save(out, into, PDFA_FLAVOUR)
    except pikepdf.pdfa.PdfaError as exc:
        raise _not_pdfa(parts, electronic, exc.report) from None


class NotPdfa(Exception):
    """Some parts keep the bundle from being PDF/A as they are: (part, why) for each, in
    Norwegian. archive.py converts them (Ghostscript) and assembles again, or refuses them."""

    def __init__(self, parts: list[tuple[Part, str]]):
        super().__init__(", ".join(part.pdf.name for part, _ in parts))
        self.parts = parts


def not_pdfa_problem(part: Part, why: str) -> Problem:
    """A document that could not be made PDF/A even by conversion."""
    return Problem(
        f"filen «{part.source.name}»",
        f"kan ikke bli en del av et PDF/A-arkiv: den {why}, og ipdocs klarte ikke å gjøre den "
        "om til PDF/A.",
        "Lag arkivet uten --pdfa, eller lag en ny PDF av dokumentet (for eksempel som PDF/A fra "
        "skanneren) og legg den i innboksen.",
    )


def _not_pdfa(parts, electronic: list[bool], report) -> Exception:
    """Name the documents that keep the bundle from being PDF/A, each checked on its own, as
    it goes into the bundle (a signed one without its signature fields and form)."""
    import pikepdf.pdfa

    failing = []
    for (part, pdf), signed in zip(parts, electronic, strict=True):
        probe = pikepdf.new()
        if signed:
            _copy_pages(probe, pdf, signed=True)
        else:
            probe.add_pages_from(pdf, outlines="ignore")
        _drop_slideshow(probe.pages)
        remove_javascript(probe)
        pikepdf.pdfa.prepare(probe, PDFA_FLAVOUR)
        findings = pikepdf.pdfa.check(probe, PDFA_FLAVOUR).findings
        if findings:
            failing.append((part, _why(findings)))
    if failing:
        return NotPdfa(failing)
    rules = ", ".join(sorted({f.rule for f in report.findings})[:5])
    return ArchiveError(
        f"Arkivet ble ikke godkjent som PDF/A ({rules}). Dette er en feil i ipdocs, ikke i "
        "dokumentene. Lag arkivet uten --pdfa, og meld fra til den som drifter ipdocs."
    )


def _why(findings) -> str:
    findings = [f for f in findings if f.kind == "violation"] or findings
    text = " ".join(f"{f.rule} {f.message}" for f in findings).casefold()
    rule = findings[0].rule
    if "font" in text and ("embed" in text or "fontfile" in text or "descriptor" in text):
        reason = "har skrifter som ikke er bygd inn i filen"
    elif "cmyk" in text or "outputintent" in text.replace(" ", ""):
        reason = "bruker farger (CMYK) som arkivet ikke kan beskrive"
    elif "transparen" in text:
        reason = "bruker gjennomsiktighet på en måte PDF/A ikke tillater"
    else:
        reason = "har innhold som PDF/A-2b ikke tillater, eller som ipdocs ikke kan kontrollere"
    return f"{reason} ({rule})"


# --- the manifest -------------------------------------------------------------------------


sha256_file = sha256_of  # the one file checksum, shared with publishing


def originals_folder(bundle_name: str) -> str:
    """`arkiv/<bundle-name>.originaler/`: the electronically signed originals, unchanged."""
    return f"{Path(bundle_name).stem}.originaler"


def manifest(
    built: Built,
    *,
    name: str,
    sha256: str,
    case: str,
    reason: str,
    to_municipality: str,
    municipality: str,
    pdfa: bool,
) -> dict:
    """What the archive holds, with SHA-256 checksums as Noark 5 records them (DOMAIN.md §5)."""
    documents = []
    for number, p in enumerate(built.placed, start=1):
        entry = {
            "nr": number,
            "dokument": p.part.kind,
            "dato": p.part.date.isoformat(),
            "opprinnelse": "signert" if p.part.origin == "signed" else "laget",
            "kilde": p.part.source.name,
            "sha256": sha256_file(p.part.source),
        }
        conversion = p.part.conversion
        given = conversion.given if conversion is not None else p.part.pdf
        if given != p.part.source:
            entry["pdf"] = given.name
            entry["pdf_sha256"] = sha256_file(given)
        if conversion is not None:
            # Noark 5 records a conversion: to what, with what, why, and the copy's checksum.
            entry["konvertert"] = {
                "til": f"PDF/A-{PDFA_FLAVOUR.upper()}",
                "verktoy": conversion.tool,
                "grunn": conversion.because,
                "sha256": conversion.sha256,
            }
        if p.electronic:
            # The bundle holds its pages without the signature; the signed bytes lie beside it.
            entry["signert_elektronisk"] = True
            entry["original"] = f"{originals_folder(name)}/{p.part.source.name}"
            entry["original_sha256"] = entry["sha256"]
        entry.update(sider=p.pages, forste_side=p.first_page, side_i_arkivet=p.page_index + 1)
        documents.append(entry)
    return {
        "sak": case,
        "grunn": reason,
        "til_kommune": to_municipality or None,
        "kommune": municipality,
        "laget": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "laget_med": f"ipdocs {__version__}",
        "pdfa": f"PDF/A-{PDFA_FLAVOUR.upper()}" if pdfa else None,
        "sjekksumalgoritme": "SHA256",
        "arkiv": {"fil": name, "sider": built.pages, "sha256": sha256},
        "dokumenter": documents,
    }
