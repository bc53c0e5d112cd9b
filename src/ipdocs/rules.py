"""The routine's rules that give warnings: the document is still made (FORMATS.md §4).

Sources: the Selbu routine (agenda a week before, interpreter means more time, GP needs a
double appointment, minutes within two weeks, next meeting agreed before leaving, the user's
voice heard) and the Hedmark booklet (meetings of 1-1.5 hours).
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

from . import language
from .errors import Notice
from .model import Consent, Document, Invitation, Minutes

NOTICE_DAYS = 7
MINUTES_DAYS = 14
NORMAL_LENGTH = dt.timedelta(hours=1, minutes=30)
# The routine says to set aside more time with an interpreter: "more" than the booklet's
# longest normal meeting (1.5 h), so with an interpreter 1.5 h or less is too little, and a
# longer meeting is what the routine asks for, up to twice the normal length.
INTERPRETER_LONGEST = dt.timedelta(hours=3)
# Helserettslig myndighetsalder (pbrl § 4-3, DOMAIN.md §2): under it, the person(s) with
# parental responsibility consent.
CONSENT_AGE = 16


def check(document: Document, *, today: dt.date) -> list[Notice]:
    if isinstance(document, Invitation):
        return _invitation(document)
    if isinstance(document, Minutes):
        return _minutes(document, today=today)
    if isinstance(document, Consent):
        return _consent(document)
    return []


def _invitation(doc: Invitation) -> list[Notice]:
    if doc.cancelled:  # a cancellation: the routine's rules for a meeting do not apply
        return []
    found = []
    meeting = doc.meeting
    days = (meeting.date - doc.sent_on).days
    if days < 0:  # only without «sendt»: with it, mapping refuses a meeting before sending
        found.append(
            Notice(
                f"Møtet var {language.date(meeting.date)}, før i dag. Sjekk datoen. Ble "
                "innkallingen sendt tidligere, skriv datoen den ble sendt i «sendt»."
            )
        )
    elif days < NOTICE_DAYS:
        found.append(
            Notice(
                f"Innkallingen sendes {_ahead(days)}. Rutinen sier at sakslisten skal sendes "
                "senest én uke før, så alle rekker å sette av tid."
            )
        )
    if days >= 0 and doc.reply_by is not None and doc.reply_by < doc.sent_on:
        # Only without «sendt» (sent today): with it, mapping refuses a reply-by before sending.
        found.append(
            Notice(
                f"Svarfristen ({language.date(doc.reply_by)}) er før i dag, så ingen rekker å "
                "svare innen fristen. Sett en ny svarfrist, eller skriv datoen innkallingen ble "
                "sendt i «sendt»."
            )
        )
    longest = INTERPRETER_LONGEST if meeting.interpreter else NORMAL_LENGTH
    if meeting.interpreter and meeting.duration <= NORMAL_LENGTH:
        found.append(
            Notice(
                f"Det skal være tolk, men møtet varer bare {_hours(meeting.duration)}. Det er "
                "for lite tid til tolking: sett av mer enn 1,5 time når dere bruker tolk."
            )
        )
    elif meeting.duration > longest:
        found.append(
            Notice(
                f"Møtet varer {_hours(meeting.duration)}. Korte møter (1–1,5 time, med tolk "
                "opptil 3 timer) gjør det lettere for alle å delta."
            )
        )
    if any(p.is_gp for p in doc.participants):
        found.append(
            Notice("En fastlege er invitert. Husk å bestille dobbelttime via legekontoret.")
        )
    found += _day_off(meeting.date, "Møtet")
    return found


def _ahead(days: int) -> str:
    """How long before the meeting the invitation goes out, in words."""
    if days == 0:
        return "samme dag som møtet"
    if days == 1:
        return "dagen før møtet"
    return f"bare {days} dager før møtet"


def _minutes(doc: Minutes, *, today: dt.date) -> list[Notice]:
    found = []
    days = (today - doc.meeting.date).days
    if days > MINUTES_DAYS:
        found.append(
            Notice(
                f"Referatet lages {days} dager etter møtet. Rutinen sier at referatet bør sendes "
                "innen 2 uker."
            )
        )
    if doc.next_meeting is not None:
        found += _day_off(doc.next_meeting.date, "Neste møte")
    elif not doc.closing.strip():  # a group that is closed meets no more
        found.append(
            Notice("Neste møte er ikke avtalt. Rutinen sier at dere bør avtale det før dere går.")
        )
    if not doc.user_voice.strip():
        found.append(
            Notice("«brukers_stemme» er tom. Skriv hva personen selv sa og ønsket i møtet.")
        )
    return found


def _consent(doc: Consent) -> list[Notice]:
    """A child under 16 cannot consent alone: the person(s) with parental responsibility do."""
    age = doc.person.age_on(doc.valid_from)
    if not doc.signed_by_person or age is None or age >= CONSENT_AGE:
        return []
    return [
        Notice(
            f"{doc.person.name} er {age} år når samtykket gjelder fra, og kan ikke samtykke "
            "alene før 16 år. Den eller de som har foreldreansvaret skal skrive under: skriv "
            "dem i «underskrivere», for eksempel "
            "«- {navn: …, rolle: mor}» og «- {navn: …, rolle: far}»."
        )
    ]


def _day_off(day: dt.date, what: str) -> list[Notice]:
    name = _holidays(day.year).get(day)
    if name:
        return [Notice(f"{what} er {language.date(day)}, som er en helligdag ({name}).")]
    if day.weekday() >= 5:
        weekday = language.long_date(day, "nb").split()[0]
        return [Notice(f"{what} er {language.date(day)}, som er en {weekday}.")]
    return []


@lru_cache(maxsize=16)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("NO", years=year, language="no")


def _hours(length: dt.timedelta) -> str:
    minutes = int(length.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    if rest == 0:
        return f"{hours} time" if hours == 1 else f"{hours} timer"
    return f"{hours} t {rest} min"


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in _holidays(day.year)


def deadline_on(day: dt.date, *, earlier: bool = False) -> dt.date:
    """A deadline that lands on a weekend or a public holiday moves to the next working day,
    or with `earlier` (something to be done *before* a date, as sending an invitation) to
    the working day before."""
    step = dt.timedelta(days=-1 if earlier else 1)
    while not is_working_day(day):
        day += step
    return day
