"""`ipdocs archive`: every document of a case in one PDF, when the case closes or the person
moves to another municipality (the Selbu routine: print the whole plan and store it in the
coordinator's record system; transfer information only with consent).

    the case's documents from the ledger → consent rule (moving) → each document's PDF
      → open and check every PDF → Word documents without a PDF to LibreOffice (one run)
      → bundle.assemble (cover, index, bookmarks, labels, metadata) → publish PDF and manifest
      → mark the case closed (avslutning)

It reads only what the ledger recorded (documents rendered by `process_file` and signed scans
filed to the case); it never re-parses an input. Bad state is an InputError naming what is
missing and how to fix it; nothing is written until the bundle is whole.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import pikepdf

from . import bundle, cover, language, signatures
from ._exec import ghostscript, soffice
from .errors import ConversionError, InputError, Problem
from .kinds import DocumentKind
from .ledger import DocumentRow, Ledger, default_path
from .publish import case_folder, publish, writing
from .results import Archive
from .settings import Settings

REASONS = ("avslutning", "flytting")
LATEST_MANIFEST = "manifest.json"

# Within one date: the invitation, the consent and fullmakt signed at the meeting, the minutes;
# a signed scan right after the document it is a scan of.
_KIND_ORDER: dict[str, int] = {
    DocumentKind.invitation: 0,
    DocumentKind.consent: 1,
    DocumentKind.power_of_attorney: 2,
    DocumentKind.minutes: 3,
}

Say = Callable[[str], None]


def make_archive(
    settings: Settings,
    case: str,
    reason: str,
    *,
    to_municipality: str = "",
    pdfa: bool = False,
    duplex: bool = False,
    say: Say | None = None,
) -> Archive:
    say = say or (lambda text: None)
    if reason not in REASONS:
        raise ValueError(reason)
    ledger_path = default_path(settings.outbox)
    if not ledger_path.is_file():
        raise InputError([_nothing_recorded(case, settings.outbox)])
    with Ledger(ledger_path) as ledger:
        rows = sorted(
            ledger.documents(case),
            key=lambda r: (r.date, _KIND_ORDER.get(r.kind, 9), r.origin == "signed"),
        )
        if not rows:
            raise InputError([_nothing_recorded(case, settings.outbox)])
        if reason == "flytting":
            _require_transfer_consent(case, rows)
        parts = _locate(rows)
        no_consent = reason == "avslutning" and not any(
            r.kind == "samtykke" and r.origin == "signed" for r in rows
        )
        front = cover.Cover(
            municipality=settings.municipality.name,
            unit=settings.municipality.unit,
            case=case,
            person=ledger.person_name(case),
            reason=reason,
            to_municipality=to_municipality,
            made_on=settings.today,
            documents=0,
            pages=0,
            no_consent=no_consent,
        )
        result = _build(settings, parts, front, reason=reason, pdfa=pdfa, duplex=duplex, say=say)
        if reason == "avslutning":
            ledger.close_case(case, reason)
    warnings: tuple[str, ...] = ()
    if no_consent:
        warnings = (
            f"Saken {case} har ikke noe signert samtykke. Det står også i innholdslisten i "
            "arkivet. Har personen skrevet under, skann samtykket og legg det i innboksen som "
            f"{case}_samtykke_signert.pdf, og lag arkivet på nytt.",
        )
    return dataclasses.replace(result, closed=reason == "avslutning", warnings=warnings)


def _build(
    settings, parts, front: cover.Cover, *, reason: str, pdfa: bool, duplex: bool, say: Say
) -> Archive:
    case = front.case
    folder = case_folder(settings.outbox, case) / "arkiv"
    first = stem = f"{case}_{reason}_{settings.today.isoformat()}"
    number = 1
    # A second archive of the same case, reason and day keeps the first (and its checksums).
    while (folder / f"{stem}.pdf").exists() or (folder / f"{stem}.manifest.json").exists():
        number += 1
        stem = f"{first}-{number}"
    kept = folder / f"{first}.pdf" if number > 1 else None
    name = f"{stem}.pdf"
    target = folder / name
    say(f"Samler {_documents(len(parts))} for saken {case}.")
    with contextlib.ExitStack() as stack:
        ready = [p for p in parts if p.pdf.is_file() and not _stale(p)]
        opened = _open_all(ready, stack)
        to_convert = [p for p in parts if p not in ready]
        if to_convert:
            say(f"Lager PDF av {_documents(len(to_convert), 'Word-dokument')} med LibreOffice …")
            _convert(to_convert)
            opened.update(_open_all(to_convert, stack))
        say(f"Setter sammen arkivet{' som PDF/A-2b' if pdfa else ''} …")
        assemble = functools.partial(
            bundle.assemble,
            front=front,
            lang=settings.language,
            title=_title(case, reason, settings.language),
            pdfa=pdfa,
            duplex=duplex,
            progress=_progress(say),
        )
        # Written straight into place (a temporary name until it is whole, as publish does).
        with writing(target) as into:
            try:
                built = assemble([(p, opened[p]) for p in parts], into=into)
            except bundle.NotPdfa as exc:
                # Not PDF/A as they are: converted (Ghostscript), and the bundle made again.
                work = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="ipdocs-")))
                say(f"Gjør om {_documents(len(exc.parts))} til PDF/A med Ghostscript …")
                converted = _to_pdfa(exc.parts, opened, work, stack)
                parts = [converted.get(p, (p, opened[p]))[0] for p in parts]
                sources = dict(opened) | dict(converted.values())
                try:
                    built = assemble([(p, sources[p]) for p in parts], into=into)
                except bundle.NotPdfa as again:
                    raise InputError(
                        [bundle.not_pdfa_problem(part, why) for part, why in again.parts]
                    ) from None
    originals = folder / bundle.originals_folder(name)
    try:
        for placed in built.placed:
            if placed.electronic:  # the signed bytes, as they were filed
                publish(placed.part.source.read_bytes(), originals / placed.part.source.name)
        digest = bundle.sha256_file(target)
        record = bundle.manifest(
            built,
            name=name,
            sha256=digest,
            case=case,
            reason=reason,
            to_municipality=front.to_municipality,
            municipality=settings.municipality.name,
            pdfa=pdfa,
        )
        data = (json.dumps(record, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
        # Its own dated name, so an earlier archive's checksums are never written over; and
        # manifest.json, the newest archive's, where the issue (and a reader) looks first.
        manifest = publish(data, folder / f"{stem}.manifest.json")
        publish(data, folder / LATEST_MANIFEST)
    except BaseException:
        target.unlink(missing_ok=True)  # a bundle without its manifest is not left behind
        (folder / f"{stem}.manifest.json").unlink(missing_ok=True)
        shutil.rmtree(originals, ignore_errors=True)
        raise
    document_pages = sum(p.pages for p in built.placed)
    return Archive(
        target, manifest, len(parts), built.pages, digest, False, document_pages, kept=kept
    )


def _documents(n: int, word: str = "dokument") -> str:
    return f"{n} {word}{'er' if n != 1 else ''}"


def _title(case: str, reason: str, lang: str) -> str:
    w = cover.words(lang)
    return f"{w['title']} {case}: {w[reason]}"


def _progress(say: Say) -> bundle.Progress:
    """Every tenth document, on bundles long enough for a person to wonder."""

    def report(done: int, total: int) -> None:
        if total >= 20 and (done % 10 == 0 or done == total):
            say(f"  {done} av {total} dokumenter satt sammen")

    return report


# --- the documents ------------------------------------------------------------------------


def _locate(rows: list[DocumentRow]) -> list[bundle.Part]:
    """Each document's PDF: a signed scan is one; a rendered .docx has (or gets) one beside it."""
    parts, missing = [], []
    for row in rows:
        path = Path(row.path)
        if row.origin == "signed" or path.suffix.lower() == ".pdf":
            pdf = path
        else:
            pdf = path.with_suffix(".pdf")
        source = path if path.is_file() else pdf
        if not source.is_file():
            missing.append(row)
            continue
        parts.append(bundle.Part(row.kind, row.date, row.origin, source, pdf))
    if missing:
        raise InputError([_missing(row) for row in missing])
    return parts


def _stale(part: bundle.Part) -> bool:
    """A PDF older than its Word document was made before the document was rendered again."""
    if part.source == part.pdf:
        return False
    return part.pdf.stat().st_mtime < part.source.stat().st_mtime


def _open_all(
    parts: list[bundle.Part], stack: contextlib.ExitStack
) -> dict[bundle.Part, pikepdf.Pdf]:
    opened: dict[bundle.Part, pikepdf.Pdf] = {}
    problems: list[Problem] = []
    for part in parts:
        try:
            opened[part] = stack.enter_context(bundle.open_source(part.pdf))
        except InputError as exc:
            problems += exc.problems
    if problems:
        raise InputError(problems)
    return opened


def _to_pdfa(failing, opened, work: Path, stack: contextlib.ExitStack) -> dict:
    """Each part that is not PDF/A as it is, converted: {part: (converted part, its PDF)}.
    A part Ghostscript cannot convert is refused, named; nothing is written. A signed part
    stays signed for the bundle (its original beside it), though its conversion is not."""
    converted, problems = {}, []
    for number, (part, why) in enumerate(failing, start=1):
        target = work / f"{number:03d}_{part.pdf.stem}.pdfa.pdf"
        failed = ghostscript.to_pdfa(part.pdf, target)
        if failed is not None:
            problems.append(bundle.not_pdfa_problem(part, f"{why} ({failed})"))
            continue
        conversion = bundle.Conversion(
            part.pdf, ghostscript.version(), why, bundle.sha256_file(target)
        )
        new = dataclasses.replace(
            part,
            pdf=target,
            conversion=conversion,
            electronic=part.electronic or signatures.is_signed(opened[part]),
        )
        try:
            converted[part] = (new, stack.enter_context(bundle.open_source(target)))
        except InputError:
            problems.append(bundle.not_pdfa_problem(part, why))
    if problems:
        raise InputError(problems)
    return converted


def _convert(parts: list[bundle.Part]) -> None:
    made, failed = soffice.convert_to_pdf([p.source for p in parts])
    if failed:
        names = ", ".join(f"«{p.name}»" for p in failed)
        raise ConversionError(
            f"LibreOffice klarte ikke å lage PDF av {names}, så arkivet ble ikke laget. "
            "Åpne dokumentet i Word eller LibreOffice og sjekk at det ikke er skadet, "
            "eller lag det på nytt med «ipdocs render»."
        )


# --- the consent rule for moving ----------------------------------------------------------


def _require_transfer_consent(case: str, rows: list[DocumentRow]) -> None:
    """Moving needs a signed consent that covers transfer to the new municipality.

    A signed scan says so itself when the watcher copied it from the consent; when it does
    not say, the rendered consent it is a scan of decides: the latest one made on or before
    the scan's date (or, failing that, the latest one).
    """
    consents = [r for r in rows if r.kind == DocumentKind.consent]
    rendered = sorted((r for r in consents if r.origin == "rendered"), key=lambda r: r.date)
    signed = [r for r in consents if r.origin == "signed"]

    def covers(scan: DocumentRow) -> bool:
        if scan.covers_transfer is not None:
            return scan.covers_transfer
        basis = [r for r in rendered if r.date <= scan.date] or rendered
        return bool(basis) and basis[-1].covers_transfer is True

    if any(covers(scan) for scan in signed):
        return
    scan_name = f"{case}_samtykke_signert.pdf"
    new_consent = (
        "Lag et nytt samtykke med «overforing_ved_flytting: true» (ipdocs skeleton samtykke), "
        f"få det signert, og legg det skannede samtykket i innboksen som {scan_name}."
    )
    ready = [r for r in rendered if r.covers_transfer]
    where = f"saken {case}"
    if signed:
        what = (
            "har et signert samtykke, men det gjelder ikke overføring av opplysninger ved "
            "flytting. Uten et slikt samtykke kan arkivet ikke sendes til en ny kommune."
        )
        fix = new_consent
    else:
        what = (
            "har ikke noe signert samtykke. Ved flytting kan opplysninger bare overføres med et "
            "signert samtykke som gjelder overføring ved flytting."
        )
        if ready:
            fix = (
                f"Samtykket fra {language.date(ready[-1].date)} gjelder overføring ved flytting. "
                f"Skann det signerte samtykket og legg det i innboksen som {scan_name}."
            )
        else:
            fix = new_consent
    raise InputError([Problem(where, what, fix + " Prøv så på nytt.")])


def _nothing_recorded(case: str, outbox: Path) -> Problem:
    return Problem(
        f"saken {case}",
        f"har ingen dokumenter som ipdocs har laget eller arkivert i {outbox}.",
        "Sjekk at saksnøkkelen er skrevet riktig, og at dokumentene er laget med «ipdocs "
        "render» til denne mappen (velg mappen med --out).",
    )


def _missing(row: DocumentRow) -> Problem:
    if row.origin == "signed":
        fix = "Legg den signerte skanningen tilbake, eller legg den i innboksen på nytt."
    else:
        fix = "Legg filen tilbake, eller lag dokumentet på nytt med «ipdocs render»."
    return Problem(
        f"filen «{Path(row.path).name}»",
        f"finnes ikke lenger, men hører til saken ({row.kind}, {language.date(row.date)}).",
        fix,
    )
