"""The domain: the four documents and the people, meetings and actions in them. No I/O.

Everything here is already validated: readers build these objects or refuse the input.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from .kinds import DocumentKind

Language = str  # "nb" (bokmål) or "nn" (nynorsk)
LANGUAGES = ("nb", "nn")


@dataclass(frozen=True)
class Person:
    name: str
    address: str = ""
    national_id: str | None = None  # fødselsnummer, digits only; only consent/fullmakt print it
    synthetic_id: bool = False  # a test number from the national test data service
    born: dt.date | None = None  # from `fodt`, or from the fødselsnummer

    def age_on(self, day: dt.date) -> int | None:
        """Whole years on `day`, or None when the birth date is not known."""
        if self.born is None:
            return None
        return day.year - self.born.year - ((day.month, day.day) < (self.born.month, self.born.day))


@dataclass(frozen=True)
class Coordinator:
    name: str
    phone: str = ""
    service: str = ""
    email: str = ""


@dataclass(frozen=True)
class Participant:
    name: str
    role: str = ""
    regular: bool = True  # False: called in for this meeting only

    @property
    def is_gp(self) -> bool:
        return "fastlege" in self.role.casefold()


@dataclass(frozen=True)
class Meeting:
    date: dt.date
    starts_at: dt.time
    ends_at: dt.time
    place: str
    interpreter: str | None = None  # the interpreter's language

    @property
    def duration(self) -> dt.timedelta:
        day = dt.date(2000, 1, 1)
        return dt.datetime.combine(day, self.ends_at) - dt.datetime.combine(day, self.starts_at)


@dataclass(frozen=True)
class NextMeeting:
    date: dt.date
    starts_at: dt.time | None = None
    ends_at: dt.time | None = None
    place: str = ""
    participants: tuple[str, ...] = ()


@dataclass(frozen=True)
class Action:
    what: str
    owner: str
    deadline: dt.date


# What a later minutes says about an earlier action (FORMATS.md §5, `tiltak_fra_forrige`).
ACTION_STATUSES = ("utført", "pågår", "ikke startet", "avsluttet")
CLOSED_STATUSES = ("utført", "avsluttet")  # the action is no longer open


@dataclass(frozen=True)
class FollowUp:
    """An earlier action as the next minutes follows it up."""

    what: str
    owner: str
    deadline: dt.date | None
    status: str  # one of ACTION_STATUSES
    comment: str = ""

    @property
    def closes(self) -> bool:
        return self.status in CLOSED_STATUSES


@dataclass(frozen=True)
class Document:
    kind: ClassVar[DocumentKind]
    case: str
    language: Language

    @property
    def document_date(self) -> dt.date:
        raise NotImplementedError


@dataclass(frozen=True)
class Invitation(Document):
    kind: ClassVar[DocumentKind] = DocumentKind.invitation
    person: Person
    coordinator: Coordinator
    meeting: Meeting
    participants: tuple[Participant, ...]
    agenda: tuple[str, ...]
    sent_on: dt.date
    reply_by: dt.date | None = None
    guardians: tuple[Participant, ...] = ()  # foresatte/verge, invited first after the person
    first_meeting: bool = False  # the group's first meeting: consent, leaflet page
    moved_from: dt.date | None = None  # `flyttet_fra`: the date of the meeting this one replaces
    cancelled: bool = False  # `avlyst`: the meeting on `meeting.date` is cancelled
    # The date the meeting's calendar event was first made for (its UID): the first date of a
    # meeting moved more than once, found in the ledger by the pipeline.
    calendar_date: dt.date | None = None

    @property
    def document_date(self) -> dt.date:
        return self.meeting.date

    @property
    def event_date(self) -> dt.date:
        """The date the calendar event's UID is made from (the same for a moved meeting)."""
        return self.calendar_date or self.moved_from or self.meeting.date


@dataclass(frozen=True)
class Minutes(Document):
    kind: ClassVar[DocumentKind] = DocumentKind.minutes
    person: Person
    coordinator: Coordinator
    minute_taker: str
    meeting: Meeting
    participants: tuple[Participant, ...]
    guardians: tuple[Participant, ...] = ()
    situation: str = ""
    user_voice: str = ""
    goals: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()
    next_meeting: NextMeeting | None = None
    written_on: dt.date | None = None  # the day the minutes were written (None: the day made)
    person_present: bool = True  # the person was at the meeting
    send_to: tuple[str, ...] = ()  # empty: the person, guardians and standing members
    followups: tuple[FollowUp, ...] = ()  # `tiltak_fra_forrige`
    evaluation: str = ""  # `evaluering`: the yearly evaluation (needs, services, the group)
    closing: str = ""  # `avslutning`: the assessments when the group is closed

    @property
    def document_date(self) -> dt.date:
        return self.meeting.date

    @property
    def distribution(self) -> tuple[str, ...]:
        """Whom the minutes go to: `send_to`, or the routine's default (the person, the
        guardians and the standing members)."""
        if self.send_to:
            return self.send_to
        names = [self.person.name, *(g.name for g in self.guardians)]
        names += [p.name for p in self.participants if p.regular]
        return tuple(dict.fromkeys(n for n in names if n))


@dataclass(frozen=True)
class Signer:
    person: Person
    role: str  # "mor", "far", "verge", ...

    @property
    def is_parent(self) -> bool:
        return self.role.strip().casefold() in PARENT_ROLES


PARENT_ROLES = frozenset({"mor", "far", "foresatt", "forelder", "føresett", "foreldre"})


@dataclass(frozen=True)
class Consent(Document):
    kind: ClassVar[DocumentKind] = DocumentKind.consent
    person: Person
    covers: tuple[str, ...]  # "ansvarsgruppe", "individuell plan"
    information: str
    recipients: tuple[str, ...]
    purpose: str
    valid_from: dt.date
    valid_to: dt.date
    covers_transfer: bool = False  # also covers transfer to a new municipality
    signers: tuple[Signer, ...] = ()  # empty: the person signs

    @property
    def signed_by_person(self) -> bool:
        return not self.signers

    @property
    def document_date(self) -> dt.date:
        return self.valid_from


@dataclass(frozen=True)
class PowerOfAttorney(Document):
    kind: ClassVar[DocumentKind] = DocumentKind.power_of_attorney
    grantor: Person
    agent: Person
    scope: str  # the agency or matter, e.g. "NAV trygd"
    valid_from: dt.date
    valid_to: dt.date
    signed_on: dt.date

    @property
    def document_date(self) -> dt.date:
        return self.signed_on


DOCUMENT_KINDS: dict[DocumentKind, type[Document]] = {
    cls.kind: cls for cls in (Invitation, Minutes, Consent, PowerOfAttorney)
}
