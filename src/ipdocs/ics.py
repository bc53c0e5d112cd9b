"""A calendar file (.ics, RFC 5545) for each invitation, made with the icalendar library.

The event is in Europe/Oslo time with its VTIMEZONE, so every calendar shows the meeting at
the time on the invitation. Its UID is derived from the municipality, the sak and the meeting
date, so a re-sent invitation (same sak and date) updates the entry already in a calendar
instead of adding a second one; SEQUENCE goes up when anything in the event changed. A meeting
moved to another day (`flyttet_fra`) keeps the UID of the date it was first made for
(`Invitation.event_date`), so calendars move the entry instead of keeping the old one; a
cancelled meeting (`avlyst`) is sent as METHOD:CANCEL with STATUS:CANCELLED.

The entry names the sak, never the person: calendars are synced to phones and shared with
colleagues, and that someone has an ansvarsgruppe is itself health information. The place,
the agenda, the interpreter's language and whom to call are in the description.
"""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from typing import Any

import icalendar

from . import language
from .model import Invitation
from .settings import Settings

TIMEZONE = "Europe/Oslo"
_NAMESPACE = uuid.UUID("5b1f4f3e-7f0e-4b8e-9a53-6d1c3c2f0a42")  # ipdocs' own UUID namespace
# Properties that make a changed event: a change in any of them raises SEQUENCE.
_COMPARED = ("DTSTART", "DTEND", "SUMMARY", "LOCATION", "DESCRIPTION", "ORGANIZER")

# One spelling of the agenda per language, the same as in the invitation: «saksliste» (nb),
# «sakliste» (nn).
_WORDS = {
    "nb": {
        "summary": "Ansvarsgruppemøte, sak {case}",
        "place": "Sted",
        "interpreter": "Tolk",
        "agenda": "Saksliste",
        "coordinator": "{Word}",
        "phone": "telefon",
        "reply": "Gi beskjed til {definite} hvis du ikke kan komme",
        "by": "innen",
        "cancelled": "AVLYST: ",
    },
    "nn": {
        "summary": "Ansvarsgruppemøte, sak {case}",
        "place": "Stad",
        "interpreter": "Tolk",
        "agenda": "Sakliste",
        "coordinator": "{Word}",
        "phone": "telefon",
        "reply": "Gi beskjed til {definite} om du ikkje kan kome",
        "by": "innan",
        "cancelled": "AVLYST: ",
    },
}


def uid(invitation: Invitation, settings: Settings) -> str:
    """The same for every invitation to the same meeting in the same case."""
    key = f"{settings.municipality.name}\n{invitation.case}\n{invitation.event_date.isoformat()}"
    return f"{uuid.uuid5(_NAMESPACE, key)}@ipdocs"


def calendar_file(
    invitation: Invitation,
    settings: Settings,
    *,
    previous: bytes | list[bytes] | None = None,
    now: dt.datetime | None = None,
) -> bytes:
    """The .ics bytes; `previous` is the file (or files) this one replaces, if any: SEQUENCE
    goes above the highest of those with the same UID."""
    words = _WORDS.get(invitation.language, _WORDS["nb"])
    meeting = invitation.meeting
    oslo = zoneinfo.ZoneInfo(TIMEZONE)
    event = icalendar.Event()
    event.add("uid", uid(invitation, settings))
    event.add("dtstamp", now or dt.datetime.now(dt.UTC))
    event.add("dtstart", dt.datetime.combine(meeting.date, meeting.starts_at, tzinfo=oslo))
    event.add("dtend", dt.datetime.combine(meeting.date, meeting.ends_at, tzinfo=oslo))
    summary = words["summary"].format(case=invitation.case)
    event.add("summary", words["cancelled"] + summary if invitation.cancelled else summary)
    event.add("location", meeting.place)
    word = settings.municipality.coordinator_word or "koordinator"
    words = {
        key: text.replace("{Word}", word.capitalize()).replace(
            "{definite}", language.definite(word)
        )
        for key, text in words.items()
    }
    event.add("description", _description(invitation, words))
    coordinator = invitation.coordinator
    if coordinator.email:
        organizer = icalendar.vCalAddress(f"mailto:{coordinator.email}")
        organizer.params["cn"] = coordinator.name
        event.add("organizer", organizer)
    if invitation.cancelled:
        event.add("status", "CANCELLED")
    earlier = previous if isinstance(previous, list) else [previous] if previous else []
    event.add("sequence", max((_sequence(event, p) for p in earlier), default=0))

    cal = icalendar.Calendar()
    cal.add("prodid", "-//ipdocs//ipdocs//NO")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "CANCEL" if invitation.cancelled else "PUBLISH")
    year = meeting.date.year
    cal.add_component(
        icalendar.Timezone.from_tzid(
            TIMEZONE, first_date=dt.date(year, 1, 1), last_date=dt.date(year + 1, 12, 31)
        )
    )
    cal.add_component(event)
    return cal.to_ical()


def _description(invitation: Invitation, words: dict[str, str]) -> str:
    meeting = invitation.meeting
    lines = [
        f"{words['place']}: {meeting.place}",
        f"{language.long_date(meeting.date, invitation.language)}, "
        f"{language.time_range(meeting.starts_at, meeting.ends_at)}",
    ]
    if meeting.interpreter:
        lines.append(f"{words['interpreter']}: {meeting.interpreter}")
    lines.append("")
    lines.append(f"{words['agenda']}:")
    lines += [f"{i}. {item}" for i, item in enumerate(invitation.agenda, start=1)]
    lines.append("")
    coordinator = invitation.coordinator
    contact = f"{words['coordinator']}: {coordinator.name}"
    if coordinator.phone:
        contact += f", {words['phone']} {coordinator.phone}"
    lines.append(contact)
    reply = words["reply"]
    if invitation.reply_by:
        reply += f" {words['by']} {language.date(invitation.reply_by)}"
    lines.append(reply + ".")
    return "\n".join(lines)


def _sequence(event: icalendar.Event, previous: bytes) -> int:
    try:
        old = next(iter(icalendar.Calendar.from_ical(previous).walk("VEVENT")))
        old_sequence = int(old.get("SEQUENCE", 0))
    except (ValueError, StopIteration, TypeError):
        return 1  # an unreadable earlier file: count this as a change
    if str(old.get("UID")) != str(event.get("UID")):
        return 0  # another event: says nothing about this one
    unchanged = all(_same(event.get(name), old.get(name)) for name in _COMPARED) and str(
        old.get("UID")
    ) == str(event.get("UID"))
    return old_sequence if unchanged else old_sequence + 1


def _same(new: Any, old: Any) -> bool:  # icalendar values (vDDDTypes, vText, …)
    if new is None or old is None:
        return new is None and old is None
    return new.to_ical() == old.to_ical()
