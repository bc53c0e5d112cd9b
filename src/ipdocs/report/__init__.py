"""Plain-Norwegian texts about a `Result`: the terminal lines of `render`, `check` and `batch`,
their summaries, and the report file written beside a refused input (the progress bar is in
report/progress.py, the one part that needs click). All
text passes `redact`, so a fødselsnummer never reaches a screen, log or report."""

from __future__ import annotations

import errno
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from ..errors import (
    ConversionError,
    DiskFull,
    Fault,
    IpdocsError,
    OutputError,
    Problem,
    ProgramFault,
    TemplateError,
    classify,
    redact,
)
from ..results import Archive, Result, Stopped, TemplateReport


def _label(label: str) -> str:
    return f"{label}: " if label else ""


def problem_lines(result: Result) -> list[str]:
    lines: list[str] = []
    for refused in result.refused:
        for problem in refused.problems:
            # A stack's part names its pages once («side 4–5: …»), not as label and place.
            label = "" if problem.where == refused.label else _label(refused.label)
            lines.append(redact(f"{label}{problem}"))
    return lines


NAME_WARNING = (
    "Filnavnet ser ut til å inneholde et fødselsnummer. Et fødselsnummer skal ikke stå i et "
    "filnavn: gi filen et nytt navn, for eksempel med saken og dokumentet (IP-2026-0042_referat)."
)


def warning_lines(result: Result) -> list[str]:
    """The warnings, each said once: the same warning on many rows of a batch names its rows
    («rad 2–14 og 17: En fastlege er invitert…»), in the order the rows come."""
    lines = []
    if redact(result.source.name) != result.source.name:
        lines.append(NAME_WARNING)
    labels: dict[str, list[str]] = {}
    for made in result.made:
        for warning in made.warnings:
            labels.setdefault(str(warning), []).append(made.label)
    for text, where in labels.items():
        lines.append(redact(f"{_label(_rows_label(where))}{text}"))
    return lines


def _rows_label(labels: list[str]) -> str:
    """["rad 2", "rad 3", "rad 4", "rad 7"] → "rad 2–4 og 7"; one label as it is."""
    unique = list(dict.fromkeys(labels))
    numbers = [
        int(label[4:]) for label in unique if label.startswith("rad ") and label[4:].isdigit()
    ]
    if len(unique) == 1 or len(numbers) != len(unique):
        return ", ".join(label for label in unique if label)
    spans: list[list[int]] = []
    for n in sorted(numbers):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    parts = [f"{a}" if a == b else f"{a}–{b}" for a, b in spans]
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " og " + parts[-1]
    return f"rad {listed}"


def refusal_report(result: Result, *, name: str) -> str:
    """The text of `<name>.feil.txt`: what is wrong, where, how to fix it, and what to do next."""
    problems = problem_lines(result)
    if result.made:
        head = (
            f"Noen av dokumentene i «{name}» ble laget, men {len(problems)} "
            "ting må rettes før resten kan lages."
        )
    else:
        what = "tatt imot" if name.lower().endswith(".pdf") else "gjort om til dokumenter"
        head = f"Filen «{name}» ble ikke {what}. Dette må rettes:"
    body = "\n".join(f"{i}. {line}" for i, line in enumerate(problems, start=1))
    made = ""
    if result.made:
        made = "\n\nDisse ble laget:\n" + "\n".join(
            f"- {_label(m.label)}{m.kind} for {m.case}" for m in result.made
        )
    warnings = warning_lines(result)
    if warnings:
        made += "\n\nSe også på dette:\n" + "\n".join(f"- {w}" for w in warnings)
    tail = (
        "\n\nRett feilene i filen og legg den i innboksen på nytt. Den gamle filen og denne "
        "rapporten kan du slette når du er ferdig.\n"
    )
    return redact(f"{head}\n\n{body}{made}{tail}")


# --- the terminal ---------------------------------------------------------------------------


def failure_message(exc: BaseException) -> str:
    """What a command that stopped on `exc` says last: whose fault it was, in words."""
    if isinstance(exc, IpdocsError):
        return f"Feil: {exc}"
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "Feil: Disken er full. Gjør plass på disken, og prøv igjen."
    if classify(exc).fault is Fault.system:
        return (
            f"Feil: ipdocs fikk ikke gjort jobben ({type(exc).__name__}: {redact(str(exc))}). "
            "Dette er ikke en feil i filen din: sjekk at disken har plass og at mappene finnes, "
            "og prøv igjen. Hjelper ikke det, meld fra til den som drifter ipdocs."
        )
    return (
        f"Noe gikk galt inne i ipdocs ({type(exc).__name__}: {redact(str(exc))}). "
        "Dette er en feil i programmet, ikke i filen din. Meld fra til den som drifter ipdocs."
    )


def _notes(result: Result, *, warning: str, refused: str) -> list[str]:
    """The warnings, then (when something was refused) a heading and what must be fixed."""
    lines = [f"{warning}{line}" for line in warning_lines(result)]
    if result.refused:
        lines.append(refused)
        lines += [f"  - {line}" for line in problem_lines(result)]
    return lines


def result_lines(
    result: Result, *, checking: bool, saved: Mapping[str, Path] | None = None
) -> list[str]:
    """`ipdocs render` and `check`: a line per document, then warnings and problems; for a
    scanned stack, the pages no case took and where they were `saved` (page label: PDF)."""
    name = redact(result.source.name)
    lines = []
    for made in result.made:
        label = f" ({made.label})" if made.label else ""
        if checking:
            lines.append(f"I orden: {name}{label}: {made.kind} for {made.case}")
        else:
            extras = f" (+ {', '.join(e.suffix for e in made.extras)})" if made.extras else ""
            lines.append(f"Laget: {made.path}{extras}{label}  (fra {name})")
    if result.split is None or not result.refused:
        return lines + _notes(result, warning="  Advarsel: ", refused=f"Avvist: {name}")
    lines += [f"  Advarsel: {line}" for line in warning_lines(result)]
    nowhere = "kan ikke legges i noen sak" if checking else "ikke lagt i noen sak"
    lines.append(f"{nowhere.capitalize()}, fra {name}:")
    for refused in result.refused:
        where = (saved or {}).get(refused.label)
        kept = f", ligger i {where}" if where is not None else ""
        lines.append(redact(f"  - {refused.label}: {nowhere}{kept}"))
        lines += [redact(f"    {p.what} {p.fix}".rstrip()) for p in refused.problems]
    return lines


def files_summary(
    made: int, refused: int, stopped: Sequence[Stopped], *, checking: bool, unchanged: int = 0
) -> str:
    """The last line of `ipdocs render` and `check`."""
    verb = "i orden" if checking else "laget"
    summary = f"Ferdig: {made} dokument{'er' if made != 1 else ''} {verb}, {refused} avvist"
    groups: dict[str, list[str]] = {}
    for entry in stopped:
        why = next(why for why, kind in _STOPPED_BECAUSE if isinstance(entry.error, kind))
        groups.setdefault(why, []).append(redact(entry.source.name))
    for why, names in groups.items():
        summary += f", {len(names)} ikke {verb} {why} ({', '.join(names)})"
    if unchanged:
        summary += f", {unchanged} fil{'er' if unchanged != 1 else ''} uendret siden sist"
    return f"{summary}."


_STOPPED_BECAUSE: tuple[tuple[str, type[IpdocsError]], ...] = (
    ("på grunn av feil i en mal", TemplateError),
    ("fordi LibreOffice ikke klarte å lage PDF", ConversionError),
    ("fordi disken er full", DiskFull),
    ("fordi dokumentene ikke kunne lagres", OutputError),
    ("på grunn av en feil i programmet", ProgramFault),
    ("på grunn av en annen feil", IpdocsError),
)


def when(received_at: str) -> str:
    """A ledger time as a person reads it: 01.12.2026 kl. 14.12."""
    import datetime as dt

    try:
        return dt.datetime.fromisoformat(received_at).strftime("%d.%m.%Y kl. %H.%M")
    except ValueError:
        return received_at


def shown(path: str, outbox: Path) -> str:
    """A document's path as the outbox shows it (IP-2026-0042/2026-12-03_innkalling.docx)."""
    try:
        return str(Path(path).relative_to(outbox.resolve()))
    except ValueError:
        return path


def unchanged_lines(path: Path, *, made_at: str, outputs: Sequence[str], outbox: Path) -> list[str]:
    """`ipdocs render` of a file whose very bytes were made before (at `made_at`, a ledger
    time): where the documents are, and how to make them again."""
    name = redact(path.name)
    made_at = when(made_at)
    lines = [
        f"Uendret: «{name}» har nøyaktig samme innhold som da dokumentene ble laget {made_at}. "
        "Ingenting ble laget på nytt. Dokumentene ligger her:"
    ]
    lines += [f"  {shown(p, outbox)}" for p in outputs]
    lines.append(f"  Vil du lage dem igjen, skriv «ipdocs render --på-nytt {name}».")
    return lines


def batch_lines(result: Result, *, outbox: Path) -> list[str]:
    """`ipdocs batch`: warnings and refused rows, the summary, and where the documents are."""
    name = redact(result.source.name)
    lines = _notes(result, warning="Advarsel: ", refused=f"Ikke laget, må rettes i {name}:")
    made, refused = len(result.made), len(result.refused)
    if refused and all(not r.label for r in result.refused):
        return [*lines, "Ferdig: ingen innkallinger laget. Rett filen og prøv igjen."]
    warned = sum(1 for m in result.made if m.warnings)
    rows = "rad" if refused == 1 else "rader"
    lines.append(
        f"Ferdig: {made} {'innkalling' if made == 1 else 'innkallinger'} laget"
        f" ({warned} med advarsler), {refused} {rows} avvist."
    )
    if made:
        lines.append(f"Innkallingene ligger i {outbox}/<sak>/.")
    return lines


# --- templates and the archive --------------------------------------------------------------


def template_lines(reports: Iterable[TemplateReport]) -> tuple[list[str], int]:
    """`ipdocs templates check`: a line per template (and its problems); how many failed."""
    lines: list[str] = []
    failures = 0
    for report in reports:
        if report.problems:
            failures += 1
            lines.append(f"Feil i {report.path}:")
            lines += [f"  - {problem}" for problem in report.problems]
        else:
            lines.append(f"I orden: {report.path}")
    lines.append(
        "Alle malene er i orden."
        if not failures
        else f"{failures} {'mal' if failures == 1 else 'maler'} må rettes."
    )
    return lines, failures


def archive_refused_lines(problems: Sequence[Problem]) -> list[str]:
    return [
        "Arkivet ble ikke laget, og ingenting er skrevet. Dette må rettes først:",
        *(f"  - {problem}" for problem in problems),
    ]


def archive_lines(made: Archive, case: str, *, pdfa: bool) -> list[str]:
    """`ipdocs archive`: where the bundle is, what it holds, and whether the case closed."""
    pdfa_note = ", PDF/A-2b" if pdfa else ""
    documents = f"{made.documents} dokument{'er' if made.documents != 1 else ''}"
    pages = f"{made.document_pages} side{'r' if made.document_pages != 1 else ''}"
    # The same two counts the cover gives: the documents' pages, and every page.
    whole = f"{made.pages} sider med forside og innholdsliste"
    lines = [
        f"Laget arkivet: {made.path}  ({documents}, {pages}; {whole}{pdfa_note})",
        f"Sjekksummer: {made.manifest}",
    ]
    if made.kept is not None:
        lines.append(
            f"Det fantes allerede et arkiv for saken med samme grunn og dato ({made.kept.name}). "
            f"Det ligger der fortsatt; det nye heter {made.path.name}."
        )
    lines += [f"Advarsel: {warning}" for warning in made.warnings]
    if made.closed:
        lines.append(
            f"Saken {case} er merket som avsluttet. Kommer det nye filer til saken, får du en "
            "advarsel."
        )
    return lines
