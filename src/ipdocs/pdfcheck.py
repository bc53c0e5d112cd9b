"""A PDF that comes in (a signed scan) or goes into an archive: opened and checked once, with
one wording for what is wrong with it.

pikepdf's errors are translated here, where they enter: a PDF that is locked or encrypted,
damaged (or cut short: qpdf quietly rebuilds such a file, and its warnings tell), unreadable
on a page, or without pages becomes an `InputError` naming the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from .errors import InputError, Problem

_PIKEPDF_ERRORS = (pikepdf.PdfError, ValueError, RuntimeError)


def open_checked(path: Path, *, where: str = "filen", then: str = "") -> pikepdf.Pdf:
    """Open `path`, or raise an InputError saying in plain words why it cannot be used.

    `where` names the file in the problem; `then` is what to do once the file is replaced
    (for the archive: make the archive again). The caller closes the PDF returned.
    """
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        raise InputError([_locked(where, then)]) from None
    except _PIKEPDF_ERRORS:
        raise InputError([_damaged(where, then)]) from None
    except OSError as exc:
        raise InputError(
            [
                Problem(
                    where,
                    f"kan ikke leses ({exc.strerror}).",
                    "Sjekk at filen finnes og at du har tilgang.",
                )
            ]
        ) from None
    try:
        problem = _problem(pdf, where, then)
    except BaseException:
        pdf.close()
        raise
    if problem is not None:
        pdf.close()
        raise InputError([problem])
    return pdf


def active_content(pdf: pikepdf.Pdf) -> list[str]:
    """What a PDF carries beyond pages, in Norwegian: JavaScript (or an action that starts a
    program) and attached files. A scan has neither; a file that has them is not a scan, and
    what it would run or carry is not filed to a case."""
    found: set[str] = set()
    names = pdf.Root.get(Name.Names)
    if isinstance(names, Dictionary):
        if Name.JavaScript in names:
            found.add("JavaScript")
        if Name.EmbeddedFiles in names:
            found.add("vedlagte filer")
    for obj in pdf.objects:
        for part in _direct_parts(obj):
            action = part.get(Name.S)
            if action in (Name.JavaScript, Name.Launch) or Name.JS in part:
                found.add("JavaScript")
            kind = part.get(Name.Type)
            if kind == Name.EmbeddedFile or (kind == Name.Filespec and Name.EF in part):
                found.add("vedlagte filer")
            if part.get(Name.Subtype) == Name.FileAttachment:
                found.add("vedlagte filer")
    return sorted(found)


def _direct_parts(obj: object, depth: int = 0) -> Iterator[Dictionary | pikepdf.Stream]:
    """A dictionary (or stream) and the dictionaries written inside it, not behind references
    (`/OpenAction << /S /JavaScript … >>` written in place): those are objects of their own,
    visited on their own."""
    values: Iterable[object]
    if isinstance(obj, Dictionary | pikepdf.Stream):
        yield obj
        values = [value for _, value in obj.items()]
    elif isinstance(obj, Array):
        values = list(obj)
    else:
        return
    if depth > 20:
        return
    for value in values:
        if isinstance(value, Dictionary | Array) and not value.is_indirect:
            yield from _direct_parts(value, depth + 1)


def _problem(pdf: pikepdf.Pdf, where: str, then: str) -> Problem | None:
    if pdf.is_encrypted:
        return _locked(where, then)
    # qpdf quietly rebuilds a damaged file (a copy cut short): the pages it finds may be
    # fewer than the document had, so such a file is refused. Other warnings: the pages are
    # read through (a file that opened cleanly would pay for that every time).
    warnings = pdf.get_warnings()
    if any("damaged" in w or "reconstruct" in w for w in warnings):
        return _damaged(where, then)
    try:
        pages = len(pdf.pages)
    except _PIKEPDF_ERRORS:
        return _damaged(where, then)
    if pages == 0:
        return Problem(where, "har ingen sider.", _fix("Skann dokumentet på nytt.", then))
    unreadable = _unreadable_page(pdf) if warnings else None
    if unreadable is not None:
        return _damaged(where, then, page=unreadable)
    return None


def _fix(first: str, then: str) -> str:
    return f"{first} {then}" if then else first


def _locked(where: str, then: str) -> Problem:
    return Problem(
        where,
        "er låst med passord eller kryptert, og en låst fil kan ikke arkiveres.",
        _fix("Lagre eller skann dokumentet på nytt uten passord.", then),
    )


def _damaged(where: str, then: str, *, page: int | None = None) -> Problem:
    what = "er skadet eller ikke ferdig kopiert, og kan ikke åpnes"
    if page is not None:
        what = f"er skadet: side {page} kan ikke leses, så dokumentet kan mangle innhold"
    return Problem(
        where,
        f"{what}.",
        _fix("Skann eller lagre dokumentet på nytt, eller kopier filen på nytt.", then),
    )


def _unreadable_page(pdf: pikepdf.Pdf) -> int | None:
    """The first page (1-based) whose content or images are missing or cannot be decoded.

    qpdf quietly rebuilds a damaged file's cross-reference table; a truncated file then still
    opens, but its pages point at objects that are gone. Those pages are found here.
    """
    for number, page in enumerate(pdf.pages, start=1):
        try:
            obj = page.obj
            if Name.Contents in obj:
                contents = obj.Contents
                streams = list(contents) if isinstance(contents, Array) else [contents]
                for stream in streams:
                    if not isinstance(stream, pikepdf.Stream):
                        return number
                    stream.read_bytes()
            resources = obj.get(Name.Resources)
            xobjects = resources.get(Name.XObject) if isinstance(resources, Dictionary) else None
            if isinstance(xobjects, Dictionary):
                for key in xobjects.keys():
                    if not isinstance(xobjects[key], pikepdf.Stream):
                        return number
        except (*_PIKEPDF_ERRORS, pikepdf.DataDecodingError):
            return number
    return None
