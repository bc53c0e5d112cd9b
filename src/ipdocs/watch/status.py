"""`ipdocs status`: recent work and open failures, in plain Norwegian, from the ledger.

An open failure is a refused file nobody has dealt with: its name has not come in again since
(the fixed file dropped again and made closes it), and the file the watcher kept in
inbox/feil/ is still there. `--alle` also shows the ones dealt with, and how.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..errors import redact
from ..ledger import InputRow, Ledger
from ..report import shown as shown_path
from .folders import FAILED, REPORT_SUFFIX, Folders

_STATUS = {
    "ok": "laget",
    "partial": "delvis laget",
    "refused": "avvist",
    "signed": "signert kopi lagt inn",
    "duplicate": "lik en tidligere fil, ikke laget på nytt",
}


def status_lines(
    ledger: Ledger, *, outbox: Path, inbox: Path | None, limit: int, everything: bool = False
) -> list[str]:
    lines: list[str] = []
    recent = ledger.recent(limit)
    if not recent:
        lines.append("Ingen filer er gjort om til dokumenter ennå.")
    else:
        lines.append(f"Siste {len(recent)} fil{'er' if len(recent) != 1 else ''} (nyeste først):")
        for row in recent:
            lines.append(f"  {_when(row.received_at)}  {row.name}: {_what(row, outbox)}")
    known = ledger.failures(cleared=everything, limit=200 if everything else 50)
    failures, parts = [], {}
    for failure in known:
        if failure.cleared is not None:
            continue
        reports = _stack_reports(inbox, failure.row.name) if _is_stack(failure.row) else None
        if reports is not None:
            # A stack's failure is its pages left over in feil/, each with its report.
            parts[failure.row.name] = reports
            if not reports:
                continue  # dealt with: none of them is in feil/ any more
        failures.append(failure.row)
    kept = {f.row.name: f.kept for f in known if f.cleared is None}
    lines.append("")
    if not failures:
        lines.append("Ingen åpne feil.")
    else:
        lines.append(
            f"Åpne feil ({len(failures)}): rett filen og legg den i innboksen igjen. "
            "Rapporten forteller hva som er galt."
        )
        for row in failures:
            lines.append(f"  {_when(row.received_at)}  {row.name}")
            for problem in row.problems[:3]:
                lines.append(f"      - {problem}")
            if len(row.problems) > 3:
                lines.append(f"      … og {len(row.problems) - 3} til")
            if row.name in parts:
                lines += [f"      Rapport: {report}" for report in parts[row.name]]
                continue
            report = _report(inbox, row.name, kept.get(row.name))
            if report is not None:
                lines.append(f"      Rapport: {report}")
    if everything:
        cleared = [f for f in known if f.cleared is not None]
        lines.append("")
        if not cleared:
            lines.append("Ingen feil er rettet eller fjernet ennå.")
        else:
            lines.append(f"Rettet eller fjernet ({len(cleared)}):")
            for failure in cleared:
                lines.append(
                    f"  {_when(failure.row.received_at)}  {failure.row.name}: {failure.cleared}"
                )
    if inbox is not None:
        waiting = _waiting(inbox)
        if waiting is not None:
            lines.append("")
            lines.append(
                "Innboksen er tom."
                if waiting == 0
                else f"I innboksen venter {waiting} fil{'er' if waiting != 1 else ''}."
            )
    return [redact(line) for line in lines]


def _what(row: InputRow, outbox: Path) -> str:
    text = _STATUS.get(row.status, row.status)
    shown = [shown_path(p, outbox) for p in row.outputs]
    if shown and row.status in ("ok", "partial", "signed", "duplicate"):
        text += " → " + ", ".join(shown)
    if row.status in ("refused", "partial") and row.problems:
        text += f" ({len(row.problems)} feil)"
    if row.warnings:
        text += f" ({len(row.warnings)} {'advarsel' if len(row.warnings) == 1 else 'advarsler'})"
    return text


def _when(received_at: str) -> str:
    try:
        return dt.datetime.fromisoformat(received_at).strftime("%d.%m.%Y %H:%M")
    except ValueError:
        return received_at


def _report(inbox: Path | None, name: str, kept: Path | None = None) -> Path | None:
    if kept is not None:
        beside = kept.with_name(redact(kept.name) + REPORT_SUFFIX)
        if beside.is_file():
            try:
                return beside.relative_to(Path.cwd().resolve())
            except ValueError:
                return beside
    if inbox is None:
        return None
    failed = inbox / FAILED
    wanted = f"{name}{REPORT_SUFFIX}"
    found = sorted(p for p in failed.rglob("*" + REPORT_SUFFIX) if p.name == wanted)
    return found[-1] if found else None


def _is_stack(row: InputRow) -> bool:
    """A scanned stack routed by its codes with pages left over (stacks.py): the only PDF
    that can be partly made."""
    return row.status == "partial" and row.name.lower().endswith(".pdf")


def _stack_reports(inbox: Path | None, name: str) -> list[Path] | None:
    """The reports of a stack's pages left in feil/ (`Skann_0001_side_4-5.pdf.feil.txt`);
    None without a feil/ to look in (the pages were put beside the stack)."""
    if inbox is None or not (inbox / FAILED).is_dir():
        return None
    prefix = f"{Path(name).stem}_side_"
    return sorted(
        p
        for p in (inbox / FAILED).iterdir()
        if p.name.startswith(prefix) and p.name.endswith(".pdf" + REPORT_SUFFIX)
    )


def _waiting(inbox: Path) -> int | None:
    if not inbox.is_dir():
        return None
    return sum(1 for _ in Folders(inbox).candidates())
