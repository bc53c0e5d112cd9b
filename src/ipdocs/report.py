"""Plain-Norwegian texts about a `Result`: the terminal lines and the report file written
beside a refused input. All text passes `redact`, so a fødselsnummer never reaches a screen,
log or report."""

from __future__ import annotations

from .errors import redact
from .pipeline import Result


def _label(label: str) -> str:
    return f"{label}: " if label else ""


def problem_lines(result: Result) -> list[str]:
    lines = []
    for refused in result.refused:
        for problem in refused.problems:
            lines.append(redact(f"{_label(refused.label)}{problem}"))
    return lines


NAME_WARNING = (
    "Filnavnet ser ut til å inneholde et fødselsnummer. Et fødselsnummer skal ikke stå i et "
    "filnavn: gi filen et nytt navn, for eksempel med saken og dokumentet (IP-2026-0042_referat)."
)


def warning_lines(result: Result) -> list[str]:
    lines = []
    if redact(result.source.name) != result.source.name:
        lines.append(NAME_WARNING)
    for made in result.made:
        for warning in made.warnings:
            lines.append(redact(f"{_label(made.label)}{warning}"))
    return lines


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
