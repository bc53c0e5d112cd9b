"""What the ledger answers with: one row of a document, an input, a case's plan and actions,
a refused input; and the small conversions both the recording and the reading need.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..model import CLOSED_STATUSES

CLOSED = ", ".join(f"'{s}'" for s in CLOSED_STATUSES)  # SQL: the statuses that end an action


def action_key(what: str) -> str:
    """How an action is recognised in a later minutes: its text, case and spacing aside."""
    return " ".join(what.casefold().split())


@dataclass(frozen=True)
class DocumentRow:
    case: str
    kind: str
    date: dt.date
    path: Path
    origin: str  # "rendered" or "signed"
    source_sha256: str | None
    covers_transfer: bool | None
    copy_of: str | None = None  # signed: the ref of the rendered document it is a copy of


@dataclass(frozen=True)
class PlanRow:
    """One document's plan facts (facts.py), as the ledger keeps them."""

    case: str
    kind: str
    date: dt.date
    path: Path
    superseded: str | None  # invitation: "moved" or "cancelled" by a later invitation
    facts: dict[str, Any]


@dataclass(frozen=True)
class ActionRow:
    """An action still open: agreed in a minutes, not marked done or ended by a later one."""

    case: str
    what: str
    owner: str
    deadline: dt.date
    agreed_on: dt.date  # the meeting that agreed it
    status: str  # what the latest minutes said ("" when none said anything yet)
    comment: str


@dataclass(frozen=True)
class CaseRow:
    """One case's follow-up state, from the facts of its documents (one row per case)."""

    case: str
    person: str | None
    birth_date: dt.date | None
    coordinator: str | None
    coordinator_service: str | None
    first_date: dt.date
    last_meeting: dt.date | None
    next_meeting: dt.date | None  # invited, or agreed in the last minutes
    next_invited: bool  # the next meeting has an invitation
    last_minutes_next: dt.date | None  # the next meeting the last minutes agreed
    consent_from: dt.date | None
    consent_to: dt.date | None
    consent_made_on: dt.date | None
    consent_signed: bool
    last_evaluation: dt.date | None
    closed_at: str | None
    open_actions: int
    overdue_actions: int


@dataclass(frozen=True)
class InputRow:
    sha256: str
    name: str
    status: str
    received_at: str
    outputs: list[str]
    warnings: list[str]
    problems: list[str]


@dataclass(frozen=True)
class Failure:
    """A refused input, and why it no longer needs anyone (None: it is still open)."""

    row: InputRow
    cleared: str | None
    kept: Path | None  # where the watcher put the file (inbox/feil/…), if it did


def date_or_none(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def timestamp_now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")
