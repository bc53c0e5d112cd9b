"""Follow-up across meetings, from the plan facts the ledger keeps: one case on one screen
(`ipdocs sak`), everything due (`ipdocs oppfolging`) and the coordinating office's list
(`ipdocs oversikt`); the age transitions themselves are in transitions.py.

Dates count from `today` (the day of the command, in Oslo); a deadline that lands on a weekend
or a Norwegian public holiday moves to a working day (rules.deadline_on). The ledger answers
with SQL over indexed tables (one row per case), never by reading every document.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import language, rules
from .ledger import ActionRow, CaseRow, Ledger
from .settings import OSLO
from .transitions import coming_transitions, transitions, years_later

INVITE_WITHIN = 10  # days: a next meeting this close with no invitation is due
INVITE_AHEAD = 7  # the routine: the agenda goes out at the latest a week before
MINUTES_WITHIN = 14  # the routine: minutes within two weeks
SIGNED_WITHIN = 14  # a consent made this long ago should have come back signed
KINDS = (
    "overdue_action",
    "invitation_due",
    "minutes_missing",
    "consent_ending",
    "consent_unsigned",
    "evaluation_due",
    "transition",
)


# --- oppfolging -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    case: str
    kind: str  # one of KINDS
    date: dt.date
    what: str
    todo: str
    owner: str = ""  # overdue actions: who has it

    def as_json(self) -> dict[str, str]:
        return {
            "case": self.case,
            "kind": self.kind,
            "date": self.date.isoformat(),
            "what": self.what,
            "todo": self.todo,
        }


def due(ledger: Ledger, today: dt.date, *, days: int = 30, owner: str = "") -> list[Item]:
    """Everything due in open cases within `days`, most urgent first: the overdue actions
    grouped by owner (the group with the oldest deadline first), then the rest by date."""
    until = today + dt.timedelta(days=days)
    actions = [
        a for a in ledger.open_actions(overdue_on=today) if owner.casefold() in a.owner.casefold()
    ]
    items = _grouped_by_owner([_overdue(a, today) for a in actions])
    if owner:
        return items  # only actions have an owner
    rest: list[Item] = []
    for row in ledger.case_rows(today):
        if row.closed_at:
            continue
        rest += _case_items(row, today, until)
    held_before = today - dt.timedelta(days=MINUTES_WITHIN)
    for case, day in ledger.meetings_without_minutes(held_before):
        deadline = rules.deadline_on(day + dt.timedelta(days=MINUTES_WITHIN))
        if deadline < today:
            rest.append(
                Item(
                    case,
                    "minutes_missing",
                    deadline,
                    f"Referatet fra møtet {language.date(day)} mangler. Det skulle vært sendt "
                    f"ut innen {language.date(deadline)}.",
                    f"Skriv referatet: ipdocs skeleton referat --sak {case}",
                )
            )
    rest.sort(key=lambda i: (i.date, KINDS.index(i.kind), i.case))
    return items + rest


def _overdue(action: ActionRow, today: dt.date) -> Item:
    late = (today - action.deadline).days
    said = f" Sist sagt: {action.status}." if action.status else ""
    return Item(
        action.case,
        "overdue_action",
        action.deadline,
        f"Tiltaket «{action.what}» ({action.owner}) hadde frist {language.date(action.deadline)}"
        f", {late} {'dag' if late == 1 else 'dager'} siden.{said}",
        f"Følg opp med {action.owner}, og skriv status i «tiltak_fra_forrige» i neste referat: "
        f"ipdocs skeleton referat --sak {action.case}",
        owner=action.owner,
    )


def _grouped_by_owner(items: list[Item]) -> list[Item]:
    groups: dict[str, list[Item]] = {}
    for item in sorted(items, key=lambda i: (i.date, i.case)):
        groups.setdefault(item.owner.casefold(), []).append(item)
    return [item for group in groups.values() for item in group]


def _case_items(row: CaseRow, today: dt.date, until: dt.date) -> list[Item]:
    case = row.case
    found: list[Item] = []
    meeting = row.next_meeting
    if (
        meeting is not None
        and not row.next_invited
        and today <= meeting <= today + dt.timedelta(days=INVITE_WITHIN)
    ):
        send_by = rules.deadline_on(meeting - dt.timedelta(days=INVITE_AHEAD), earlier=True)
        late = " (fristen er passert)" if send_by < today else ""
        found.append(
            Item(
                case,
                "invitation_due",
                meeting,
                f"Neste møte {language.date(meeting)} er ikke innkalt. Innkallingen skal sendes "
                f"senest {language.date(send_by)}{late}.",
                f"Lag innkallingen: ipdocs skeleton innkalling --sak {case}",
            )
        )
    if row.consent_to is not None and row.consent_to <= until:
        ended = row.consent_to < today
        found.append(
            Item(
                case,
                "consent_ending",
                row.consent_to,
                f"Samtykket {'gjaldt' if ended else 'gjelder'} til {language.date(row.consent_to)}."
                + (" Det gjelder ikke lenger." if ended else ""),
                "Forny samtykket: ipdocs skeleton samtykke, med ny gyldig_fra og gyldig_til.",
            )
        )
    if (
        row.consent_made_on is not None
        and not row.consent_signed
        and (today - row.consent_made_on).days > SIGNED_WITHIN
    ):
        found.append(
            Item(
                case,
                "consent_unsigned",
                row.consent_made_on + dt.timedelta(days=SIGNED_WITHIN),
                f"Samtykket som ble laget {language.date(row.consent_made_on)}, har ikke kommet "
                "inn signert.",
                f"Legg det signerte samtykket i innboksen som {case}_samtykke_signert.pdf.",
            )
        )
    since = row.last_evaluation or row.first_date
    evaluation = years_later(since, 1)
    if evaluation <= until:
        last = (
            f"Siste evaluering var {language.date(row.last_evaluation)}."
            if row.last_evaluation
            else f"Ingen evaluering er skrevet siden saken startet {language.date(row.first_date)}."
        )
        found.append(
            Item(
                case,
                "evaluation_due",
                evaluation,
                f"Årlig evaluering av ansvarsgruppen. {last}",
                "Skriv evalueringen i «evaluering» i neste referat, og meld til TOK at gruppen "
                "fortsatt er aktiv og hvem som er koordinator.",
            )
        )
    if row.birth_date is not None:
        for t in transitions(row.birth_date):
            if t.shown_from <= until and today <= t.until:
                found.append(
                    Item(
                        case,
                        "transition",
                        t.when,
                        f"Overgang: {t.text}",
                        f"Ta det opp på neste ansvarsgruppemøte (ansvarlig: {t.responsible}).",
                    )
                )
    return found


def due_lines(items: list[Item], today: dt.date, days: int) -> list[str]:
    if not items:
        return [f"Ingenting forfaller de neste {days} dagene ({language.date(today)})."]
    lines = [
        f"Oppfølging {language.date(today)}, de neste {days} dagene: {len(items)} {'punkt' if len(items) == 1 else 'punkter'}."
    ]
    owner = None
    for item in items:
        if item.kind == "overdue_action" and item.owner.casefold() != owner:
            owner = item.owner.casefold()
            lines += ["", f"Tiltak over fristen, ansvar: {item.owner}"]
        elif item.kind != "overdue_action" and owner != "":
            owner = ""
            lines += ["", "Dette forfaller:"]
        lines.append(f"  {language.date(item.date)}  {item.case}: {item.what}")
        lines.append(f"              {item.todo}")
    return lines


# --- ipdocs sak ------------------------------------------------------------------------------


def case_summary(ledger: Ledger, case: str, today: dt.date) -> dict[str, Any] | None:
    """One case, as `ipdocs sak --json` shows it; None when the ledger has no such case."""
    rows = ledger.case_rows(today, case=case)
    documents = ledger.documents(case)
    if not rows and not documents:
        return None
    plan = ledger.plan(case)
    row = rows[0] if rows else None
    latest = _latest_meeting_facts(plan)
    coordinator = dict((latest or {}).get("coordinator") or {})
    for key in ("service", "phone"):  # from an earlier document when the latest left it out
        for p in reversed(plan):
            other = p.facts.get("coordinator") or {}
            if not coordinator.get(key) and other.get("name") == coordinator.get("name"):
                coordinator[key] = other.get(key)
    members = [
        {"name": m["name"], "role": m.get("role", "")}
        for m in (latest or {}).get("members", [])
        if m.get("regular", True)
    ]
    person_name = row.person if row else ledger.person_name(case)
    born = row.birth_date if row else None
    actions = ledger.open_actions(case=case)
    coming = coming_transitions(born, today)[:1] if born else []
    return {
        "case": case,
        "person": {"name": person_name, "birth_date": born.isoformat() if born else None},
        "coordinator": {
            "name": coordinator.get("name"),
            "service": coordinator.get("service") or None,
            "phone": coordinator.get("phone") or None,
        },
        "members": members,
        "documents": [
            {
                "kind": d.kind,
                "date": d.date.isoformat(),
                "origin": "signed" if d.origin == "signed" else "made",
            }
            for d in documents
        ],
        "consent": {
            "valid_from": _iso(row.consent_from) if row else None,
            "valid_to": _iso(row.consent_to) if row else None,
            "signed": bool(row and row.consent_signed),
        },
        "actions": [
            {
                "what": a.what,
                "owner": a.owner,
                "deadline": a.deadline.isoformat(),
                "status": a.status or None,
                "overdue": a.deadline < today,
            }
            for a in actions
        ],
        "last_meeting": _iso(row.last_meeting) if row else None,
        "next_meeting": _iso(row.next_meeting) if row else None,
        "last_evaluation": _iso(row.last_evaluation) if row else None,
        "transitions": [{"when": t.when.isoformat(), "what": t.text} for t in coming],
        "closed": ledger.is_closed(case),
    }


def _latest_meeting_facts(plan: list[Any]) -> dict[str, Any] | None:
    meetings = [p for p in plan if p.kind in ("innkalling", "referat")]
    return meetings[-1].facts if meetings else None


def _oslo_day(stamp: str) -> str:
    """The day in Oslo of a time the ledger stored (with its offset)."""
    try:
        return dt.datetime.fromisoformat(stamp).astimezone(OSLO).date().isoformat()
    except ValueError:
        return stamp[:10]


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _shown(text: str | None) -> str:
    return language.date(dt.date.fromisoformat(text)) if text else "–"


def case_lines(summary: dict[str, Any], today: dt.date) -> list[str]:
    s = summary
    person = s["person"]
    lines = [f"Sak {s['case']}" + (" (avsluttet)" if s["closed"] else "")]
    born = f", født {_shown(person['birth_date'])}" if person["birth_date"] else ""
    lines.append(f"Person: {person['name'] or 'ukjent'}{born}")
    c = s["coordinator"]
    if c["name"]:
        service = f" ({c['service']})" if c["service"] else ""
        phone = f", telefon {c['phone']}" if c["phone"] else ""
        lines.append(f"Koordinator: {c['name']}{service}{phone}")
    if s["members"]:
        shown = [f"{m['name']} ({m['role']})" if m["role"] else m["name"] for m in s["members"]]
        lines.append("Faste deltakere: " + ", ".join(shown))
    lines.append(f"Siste møte: {_shown(s['last_meeting'])}")
    lines.append(f"Neste møte: {_shown(s['next_meeting'])}")
    lines.append(
        f"Siste årlige evaluering: {_shown(s['last_evaluation']) if s['last_evaluation'] else 'ingen ennå'}"
    )
    consent = s["consent"]
    if consent["valid_to"]:
        signed = "signert kopi er kommet inn" if consent["signed"] else "ingen signert kopi ennå"
        ended = " (gjelder ikke lenger)" if consent["valid_to"] < today.isoformat() else ""
        lines.append(
            f"Samtykke: {_shown(consent['valid_from'])}–{_shown(consent['valid_to'])}{ended}, "
            f"{signed}"
        )
    else:
        lines.append("Samtykke: ikke laget i ipdocs")
    overdue = sum(a["overdue"] for a in s["actions"])
    if s["actions"]:
        lines.append(f"Åpne tiltak: {len(s['actions'])}, av dem {overdue} over fristen")
        for a in s["actions"]:
            note = " – over fristen" if a["overdue"] else ""
            status = f" ({a['status']})" if a["status"] else ""
            lines.append(
                f"  {a['what']}, ansvar {a['owner']}, frist {_shown(a['deadline'])}{note}{status}"
            )
    else:
        lines.append("Åpne tiltak: ingen")
    if summary["transitions"]:
        t = summary["transitions"][0]
        lines.append(f"Neste overgang ({_shown(t['when'])}): {t['what']}")
    lines.append("Dokumenter:")
    for d in s["documents"]:
        origin = "signert" if d["origin"] == "signed" else "laget"
        lines.append(f"  {_shown(d['date'])}  {d['kind']}  ({origin})")
    return lines


# --- ipdocs oversikt -------------------------------------------------------------------------


def overview(ledger: Ledger, today: dt.date) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {"open": [], "closed": []}
    for row in ledger.case_rows(today):
        entry: dict[str, Any] = {
            "case": row.case,
            "person": row.person,
            "coordinator": row.coordinator,
            "service": row.coordinator_service,
        }
        if row.closed_at:
            entry["closed_on"] = _oslo_day(row.closed_at)
            entry["last_meeting"] = _iso(row.last_meeting)
            found["closed"].append(entry)
            continue
        entry |= {
            "last_meeting": _iso(row.last_meeting),
            "next_meeting": _iso(row.next_meeting),
            "consent_valid_to": _iso(row.consent_to),
            "last_evaluation": _iso(row.last_evaluation),
            "open_actions": row.open_actions,
            "overdue_actions": row.overdue_actions,
        }
        found["open"].append(entry)
    return found


def overview_lines(data: dict[str, list[dict[str, Any]]]) -> list[str]:
    lines = [f"Åpne saker: {len(data['open'])}"]
    for e in data["open"]:
        coordinator = e["coordinator"] or "–"
        if e["service"]:
            coordinator += f" ({e['service']})"
        lines.append(
            f"  {e['case']}  koordinator {coordinator}; siste møte {_shown(e['last_meeting'])},"
            f" neste {_shown(e['next_meeting'])}; samtykke til {_shown(e['consent_valid_to'])};"
            f" evaluert {_shown(e['last_evaluation'])}; tiltak {e['open_actions']} åpne, "
            f"{e['overdue_actions']} over fristen"
        )
    lines.append(f"Avsluttede saker: {len(data['closed'])}")
    for e in data["closed"]:
        lines.append(f"  {e['case']}  avsluttet {_shown(e['closed_on'])}")
    return lines


# --- spreadsheets ---------------------------------------------------------------------------

_OPEN_COLUMNS = (
    ("case", "Sak", 16, "Saksnøkkelen."),
    ("person", "Person", 22, "Personen saken gjelder."),
    (
        "coordinator",
        "Koordinator",
        20,
        "Koordinatoren, slik siste innkalling eller referat har det.",
    ),
    ("service", "Tjeneste", 20, "Tjenesten koordinatoren jobber i."),
    ("last_meeting", "Siste møte", 12, "Datoen for det siste møtet som er holdt."),
    ("next_meeting", "Neste møte", 12, "Neste møte som er innkalt eller avtalt i siste referat."),
    ("consent_valid_to", "Samtykke gyldig til", 14, "Datoen det siste samtykket gjelder til."),
    ("last_evaluation", "Siste evaluering", 14, "Siste referat med årlig evaluering."),
    ("open_actions", "Åpne tiltak", 10, "Tiltak som ikke er merket utført eller avsluttet."),
    ("overdue_actions", "Over fristen", 10, "Åpne tiltak der fristen er passert."),
)
_CLOSED_COLUMNS = (
    ("case", "Sak", 16, "Saksnøkkelen."),
    ("person", "Person", 22, "Personen saken gjelder."),
    ("coordinator", "Koordinator", 20, "Den siste koordinatoren."),
    ("service", "Tjeneste", 20, "Tjenesten koordinatoren jobber i."),
    ("last_meeting", "Siste møte", 12, "Datoen for det siste møtet."),
    ("closed_on", "Avsluttet", 12, "Datoen saken ble avsluttet."),
)
_DUE_COLUMNS = (
    ("date", "Dato", 12, "Fristen eller datoen punktet gjelder. De mest hastende står først."),
    ("case", "Sak", 16, "Saksnøkkelen."),
    (
        "kind",
        "Hva slags",
        22,
        "Tiltak over fristen, innkalling, referat, samtykke, evaluering eller overgang.",
    ),
    ("what", "Hva", 70, "Hva som forfaller."),
    ("todo", "Gjør dette", 60, "Hva du gjør, med kommandoen der det finnes en."),
)
_KIND_WORDS = {
    "overdue_action": "tiltak over fristen",
    "invitation_due": "innkalling",
    "minutes_missing": "referat mangler",
    "consent_ending": "samtykke slutter",
    "consent_unsigned": "samtykke ikke signert",
    "evaluation_due": "årlig evaluering",
    "transition": "overgang",
}


def write_overview(data: dict[str, list[dict[str, Any]]], target: Path) -> None:
    _write_book(
        target,
        [
            ("Åpne saker", _OPEN_COLUMNS, data["open"]),
            ("Avsluttede saker", _CLOSED_COLUMNS, data["closed"]),
        ],
    )


def write_due(items: list[Item], target: Path) -> None:
    rows = [item.as_json() | {"kind": _KIND_WORDS[item.kind]} for item in items]
    _write_book(target, [("Oppfølging", _DUE_COLUMNS, rows)])


def _write_book(
    target: Path,
    sheets: list[tuple[str, tuple[tuple[str, str, int, str], ...], list[dict[str, Any]]]],
) -> None:
    """Header row, frozen panes, real date cells, an autofilter, and a sheet explaining the
    columns; written to a temporary name and moved into place."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    from .publish import publish

    book = Workbook()
    book.remove(book.active)
    help_rows: list[tuple[str, str]] = []
    for title, columns, rows in sheets:
        ws = book.create_sheet(title)
        ws.append([c[1] for c in columns])
        for row in rows:
            values = []
            for key, *_ in columns:
                value = row.get(key)
                if isinstance(value, str) and key in _DATE_KEYS and value:
                    value = dt.date.fromisoformat(value)
                values.append(value)
            ws.append(values)
        for index, (key, _, width, _) in enumerate(columns, start=1):
            letter = ws.cell(row=1, column=index).column_letter
            ws.column_dimensions[letter].width = width
            ws.cell(row=1, column=index).font = Font(bold=True)
            if key in _DATE_KEYS:
                for cell in ws[letter][1:]:
                    cell.number_format = "DD.MM.YYYY"
        ws.freeze_panes = "B2"
        ws.auto_filter.ref = ws.dimensions
        help_rows += [(title, "")] + [(c[1], c[3]) for c in columns] + [("", "")]
    explained = book.create_sheet("Forklaring")
    explained.append(("Kolonne", "Hva den viser"))
    for line in help_rows:
        explained.append(line)
    explained.column_dimensions["A"].width = 22
    explained.column_dimensions["B"].width = 80
    for cell in explained[1]:
        cell.font = Font(bold=True)
    buffer = io.BytesIO()
    book.save(buffer)
    publish(buffer.getvalue(), target)


_DATE_KEYS = frozenset(
    {"date", "last_meeting", "next_meeting", "consent_valid_to", "last_evaluation", "closed_on"}
)
