"""Digital signatures in a PDF (BankID through eSignering, or any PAdES signature).

A signed PDF is evidence only as the bytes that were signed: it is filed byte for byte and
never split or re-saved (stacks.py files it whole), and the archive keeps the original beside
the bundle. Inside the bundle its pages are copied without the signature fields and their
widgets (and without the source's form: its fields hold the signature values): a merged file
cannot carry a valid signature, and must not look as if it did (pdfsam#648, Stirling-PDF#435).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name

_MAX_FIELDS = 10_000  # a form deeper or wider than this is not one a person filled in


def is_signed(pdf: pikepdf.Pdf) -> bool:
    """True when a signature field holds a signature (a /Sig value with a /ByteRange)."""
    for field in _fields(pdf):
        if _is_signature_field(field):
            value = field.get(Name.V)
            if isinstance(value, Dictionary) and Name.ByteRange in value:
                return True
    perms = pdf.Root.get(Name.Perms)
    return isinstance(perms, Dictionary) and len(perms.keys()) > 0


def strip_widgets(pages: Iterable[pikepdf.Page]) -> None:
    """Remove the signature widgets from these pages (copies in the bundle); the fields they
    belong to are then left unreferenced, and are not written. Other annotations stay."""
    for page in pages:
        annots = page.obj.get(Name.Annots)
        if not isinstance(annots, Array):
            continue
        kept = [a for a in annots if not (isinstance(a, Dictionary) and _is_signature_widget(a))]
        if len(kept) == len(annots):
            continue
        if kept:
            page.obj.Annots = Array(kept)
        else:
            del page.obj.Annots


def _fields(pdf: pikepdf.Pdf) -> Iterator[Dictionary]:
    form = pdf.Root.get(Name.AcroForm)
    if not isinstance(form, Dictionary):
        return
    stack = list(form.get(Name.Fields, Array()))
    seen: set = set()
    while stack and len(seen) < _MAX_FIELDS:
        field = stack.pop()
        if not isinstance(field, Dictionary):
            continue
        key = field.objgen if field.is_indirect else id(field)
        if key in seen:
            continue
        seen.add(key)
        yield field
        kids = field.get(Name.Kids)
        if isinstance(kids, Array):
            stack.extend(kids)


def _is_signature_field(field: Dictionary) -> bool:
    node: object = field
    depth = 0
    while isinstance(node, Dictionary) and depth < 32:  # FT is inherited from the parent
        if Name.FT in node:
            return bool(node.FT == Name.Sig)
        node, depth = node.get(Name.Parent), depth + 1
    return False


def _is_signature_widget(annot: Dictionary) -> bool:
    return annot.get(Name.Subtype) == Name.Widget and _is_signature_field(annot)
