"""Where a file in hand goes when it is done, and the notes a person finds beside it.

    made          → inbox/ferdig/<navn>  (+ <navn>.merknad.txt with the warnings, if any)
    same bytes    → inbox/ferdig/<navn>  + <navn>.merknad.txt: not made again, and where
                    the documents from the first time are
    refused       → inbox/feil/<navn>    + <navn>.feil.txt (report.refusal_report)
    routed stack  → inbox/ferdig/<navn>  + <navn>.merknad.txt: which pages went where; pages
                    left over → inbox/feil/<navn>_side_4-5.pdf + its .feil.txt

The note or report is written before the original leaves the working folder, so a stop at
any moment leaves either the file in hand (taken over and finished by the next run) or the
original and its note together.
"""

from __future__ import annotations

import stat
from pathlib import Path

from .. import stacks
from ..errors import Problem, redact
from ..ledger import InputRow
from ..publish import fit_name, publish
from ..report import refusal_report, shown, warning_lines, when
from ..results import Refused, Result
from .claim import Claim
from .folders import DONE, FAILED, NOTE_SUFFIX, REPORT_SUFFIX, Folders, place


def file_result(claim: Claim, result: Result, folders: Folders) -> Path:
    if result.split is not None:
        return _file_routed(claim, result, folders)
    if result.refused:
        report = refusal_report(result, name=claim.rel.name)
        return _file_with_note(claim, folders.failed, report, REPORT_SUFFIX)
    warnings = warning_lines(result)
    note = None
    if warnings:
        note = (
            f"Dokumentene fra «{claim.rel.name}» ble laget, men se på dette:\n\n"
            + "\n".join(f"- {w}" for w in warnings)
            + "\n"
        )
    return _file_with_note(claim, folders.done, note, NOTE_SUFFIX)


def file_duplicate(claim: Claim, prior: InputRow, folders: Folders, outbox: Path) -> Path:
    made_at = when(prior.received_at)
    documents = "\n".join(f"- {shown(p, outbox)}" for p in prior.outputs) or "- (ingen)"
    note = (
        f"«{claim.rel.name}» har nøyaktig samme innhold som «{prior.name}», som ble gjort om "
        f"til dokumenter {made_at}. Derfor ble ingenting laget på nytt.\n\n"
        f"Dokumentene ligger her (i {outbox}):\n{documents}\n\n"
        "Vil du lage dem på nytt med nøyaktig den samme filen, gi den et navn som begynner med "
        f"«på-nytt» (for eksempel «på-nytt {claim.rel.name}») og legg den i innboksen igjen, "
        f"eller skriv «ipdocs render --på-nytt {claim.rel.name}».\n"
    )
    return _file_with_note(claim, folders.done, note, NOTE_SUFFIX)


def file_done(claim: Claim, folders: Folders) -> Path:
    """A file whose documents were made before a stop: only the move to ferdig/ was left."""
    return place(claim.path, folders.done, claim.rel)


def special_file(claim: Claim) -> Result | None:
    """A refusal for anything that is not an ordinary file: a link (shortcut), a pipe, a
    device. It is moved, never opened (opening a pipe would wait forever)."""
    st = claim.path.lstat()
    if stat.S_ISREG(st.st_mode):
        return None
    if stat.S_ISLNK(st.st_mode):
        problem = Problem(
            "filen",
            "Dette er en snarvei (lenke) til en annen fil, ikke selve filen.",
            "Legg selve filen i innboksen.",
        )
    elif stat.S_ISDIR(st.st_mode):
        problem = Problem(
            "filen",
            "Dette er en mappe, ikke en fil.",
            "Legg filene rett i innboksen.",
        )
    else:
        problem = Problem(
            "filen",
            "Dette er ikke en vanlig fil som kan leses.",
            "Lagre dokumentet som en vanlig fil og legg den i innboksen.",
        )
    return Result(claim.path, (), (Refused("", (problem,)),))


def program_fault(claim: Claim, error: str) -> Result:
    problem = Problem(
        "ipdocs",
        f"Det skjedde en feil i selve programmet ({error}) da filen ble lest. Det er ikke sikkert "
        "at noe er galt med filen.",
        "Meld fra til den som drifter ipdocs. Når feilen er rettet, kan du legge filen i "
        "innboksen igjen.",
    )
    return Result(claim.path, (), (Refused("", (problem,)),))


def _file_routed(claim: Claim, result: Result, folders: Folders) -> Path:
    """A stack split by its codes: the pages left over each go to feil/ as their own PDF with
    a report; the stack itself, whole, to ferdig/ with the note saying where every page went."""
    whole = f"Hele bunken ligger i {DONE}/, med en merknad om hvor de andre sidene ble lagt."
    saved = file_leftovers(result, name=claim.rel.name, failed=folders.failed, whole=whole)
    names = {label: path.name for label, path in saved.items()}
    note = stacks.report(result, name=claim.rel.name, failed_folder=FAILED, names=names)
    return _file_with_note(claim, folders.done, note, NOTE_SUFFIX)


def file_leftovers(result: Result, *, name: str, failed: Path, whole: str) -> dict[str, Path]:
    """The pages of a routed stack that no case took, each saved in `failed` as its own PDF
    with a report (`whole` says where the stack itself is); {page label: the PDF}. The
    watcher calls it, and `ipdocs render` on a stack, so no page is ever left nowhere."""
    assert result.split is not None, "a routed stack's result"
    stem = redact(Path(name).stem)
    saved = {}
    for left in result.split.leftovers:
        target = _publish_new(left.data, failed, f"{stem}{left.suffix}", ".pdf")
        saved[left.label] = target
        text = (
            f"{left.label.capitalize()} i «{name}» ble ikke lagt i noen sak, og "
            f"ligger her som {target.name}.\n\n{left.problem.what} {left.problem.fix}\n\n"
            f"{whole}\n"
        )
        report = fit_name(target.name, reserve=len(REPORT_SUFFIX)) + REPORT_SUFFIX
        publish(redact(text).encode("utf-8"), target.with_name(report))
    return saved


def _publish_new(data: bytes, folder: Path, stem: str, suffix: str) -> Path:
    """Write `data` under a name no file in `folder` holds yet (`navn (2).pdf`, …)."""
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(1, 10_000):
        tail = suffix if n == 1 else f" ({n}){suffix}"
        target = folder / fit_name(f"{stem}{tail}", keep=tail)  # a long name still fits
        try:
            return publish(data, target, exclusive=True)
        except FileExistsError:
            continue
    raise FileExistsError(f"for mange filer med samme navn i {folder}")


def out_of_memory(claim: Claim) -> Result:
    problem = Problem(
        "filen",
        "ipdocs fikk ikke nok minne til å lese filen. Den er trolig altfor stor, eller laget "
        "på en uvanlig måte (for eksempel et regneark formatert helt ned til siste rad).",
        "Sjekk at det er riktig fil. Lagre den på nytt, eller del den opp, og legg den i "
        "innboksen igjen. De andre filene i innboksen blir laget som vanlig.",
    )
    return Result(claim.path, (), (Refused("", (problem,)),))


def _file_with_note(claim: Claim, folder: Path, note: str | None, suffix: str) -> Path:
    target = place(claim.path, folder, claim.rel, keep_source=True)
    if note is not None:
        # Not flushed to disk: the original beside it is what must survive a power cut.
        # The report's own name never repeats a fødselsnummer the file's name may hold.
        # Shortened to what the filesystem takes: a 244-character name plus «.feil.txt» is not.
        report = target.with_name(fit_name(redact(target.name), reserve=len(suffix)) + suffix)
        publish(redact(note).encode("utf-8"), report, sync=False)
    claim.path.unlink(missing_ok=True)
    return target
