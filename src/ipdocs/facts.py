"""The plan facts of one document: what follow-up needs to remember once the document is made.

The pipeline hands these to the ledger with the document (`Made.facts`), and `ipdocs sak`,
`oppfolging`, `oversikt` and the pre-filled skeletons read them back. Plain JSON values with
ISO dates. Never a fødselsnummer: only the birth date read from it (or from `bruker.fodt`).
"""

from __future__ import annotations

import datetime as dt
import json
import zlib
from typing import Any

from .model import (
    Action,
    Consent,
    Coordinator,
    Document,
    Invitation,
    Meeting,
    Minutes,
    NextMeeting,
    Participant,
    Person,
    PowerOfAttorney,
)

Facts = dict[str, Any]


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _clock(value: dt.time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def _person(person: Person) -> Facts:
    return {"name": person.name, "address": person.address, "birth_date": _day(person.born)}


def _coordinator(coordinator: Coordinator) -> Facts:
    return {
        "name": coordinator.name,
        "service": coordinator.service,
        "phone": coordinator.phone,
        "email": coordinator.email,
    }


def _meeting(meeting: Meeting) -> Facts:
    return {
        "date": _day(meeting.date),
        "from": _clock(meeting.starts_at),
        "to": _clock(meeting.ends_at),
        "place": meeting.place,
        "interpreter": meeting.interpreter,
    }


def _people(people: tuple[Participant, ...]) -> list[Facts]:
    return [{"name": p.name, "role": p.role, "regular": p.regular} for p in people]


def _action(action: Action) -> Facts:
    return {"what": action.what, "owner": action.owner, "deadline": _day(action.deadline)}


def _next(next_meeting: NextMeeting | None) -> Facts | None:
    if next_meeting is None:
        return None
    return {
        "date": _day(next_meeting.date),
        "from": _clock(next_meeting.starts_at),
        "to": _clock(next_meeting.ends_at),
        "place": next_meeting.place,
        "participants": list(next_meeting.participants),
    }


def packed(document: Document, *, made_on: dt.date) -> bytes:
    """`of(document)` packed for `Made.facts`: a batch holds the facts of every document until
    they are recorded, and packed they take a quarter of the memory (bench/batch.py)."""
    return pack(of(document, made_on=made_on))


def pack(facts: Facts) -> bytes:
    """Facts as compressed JSON; `unpack` reads them back."""
    text = json.dumps(facts, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    # A small window: facts are under a kB, and zlib's usual one costs more to set up.
    packer = zlib.compressobj(1, zlib.DEFLATED, 10, 2)
    return packer.compress(text) + packer.flush()


def unpack(data: bytes) -> Facts:
    facts: Facts = json.loads(zlib.decompress(data))
    return facts


def of(document: Document, *, made_on: dt.date) -> Facts:
    """The facts of `document`, made on `made_on` (the day in Oslo)."""
    facts: Facts = {"kind": str(document.kind), "made_on": made_on.isoformat()}
    if isinstance(document, Invitation):
        facts |= {
            "person": _person(document.person),
            "coordinator": _coordinator(document.coordinator),
            "members": _people(document.participants),
            "meeting": _meeting(document.meeting),
            "agenda": list(document.agenda),
            "sent_on": _day(document.sent_on),
            "moved_from": _day(document.moved_from),
            "cancelled": document.cancelled,
            "calendar_date": _day(document.event_date),
        }
    elif isinstance(document, Minutes):
        facts |= {
            "person": _person(document.person),
            "coordinator": _coordinator(document.coordinator),
            "minute_taker": document.minute_taker,
            "members": _people(document.participants),
            "guardians": _people(document.guardians),
            "meeting": _meeting(document.meeting),
            "goals": list(document.goals),
            "actions": [_action(a) for a in document.actions],
            "followups": [
                {
                    "what": f.what,
                    "owner": f.owner,
                    "deadline": _day(f.deadline),
                    "status": f.status,
                    "comment": f.comment,
                }
                for f in document.followups
            ],
            "next_meeting": _next(document.next_meeting),
            "evaluation": document.evaluation,
            "closing": document.closing,
        }
    elif isinstance(document, Consent):
        facts |= {
            "person": _person(document.person),
            "consent": {
                "valid_from": _day(document.valid_from),
                "valid_to": _day(document.valid_to),
                "covers": list(document.covers),
                "purpose": document.purpose,
                "recipients": list(document.recipients),
                "transfer": document.covers_transfer,
            },
        }
    elif isinstance(document, PowerOfAttorney):
        facts |= {
            "person": _person(document.grantor),
            "power_of_attorney": {
                "agent": document.agent.name,
                "scope": document.scope,
                "valid_from": _day(document.valid_from),
                "valid_to": _day(document.valid_to),
            },
        }
    return facts
