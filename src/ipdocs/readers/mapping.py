"""Raw input (nested dicts from any reader) → validated domain model.

This is the one place where the Norwegian field names of FORMATS.md (readers/vocabulary.py)
meet the English names of `model.py`; readers/fields.py reads the fields. Every problem found is collected, so a coordinator sees all of them at once; each
names the place (the reader's `Source` turns a field path into "feltet «mote.dato»" or
"cellen Møte!B4"), what is wrong and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import unicodedata
from collections.abc import Callable
from typing import Any

from .. import casekey, fnr, language
from ..errors import Notice, Problem
from ..kinds import DocumentKind
from ..model import (
    DOCUMENT_KINDS,
    LANGUAGES,
    Action,
    Consent,
    Coordinator,
    Document,
    FollowUp,
    Invitation,
    Meeting,
    Minutes,
    NextMeeting,
    Participant,
    Person,
    PowerOfAttorney,
    Signer,
)
from . import values
from .fields import MISSING, Ctx, Obj, Path_, Source, as_text, describe, is_text, normalise_key
from .vocabulary import (
    ACTION,
    COORDINATOR,
    FOLLOWUP,
    LANGUAGE_HELP,
    MEETING,
    NEXT_MEETING,
    PARTICIPANT,
    PERSON,
    SIGNER,
    STATUS_WORDS,
    TOP_LEVEL,
)

# --- building the model ---------------------------------------------------------------


def build_document(
    raw: object, source: Source, *, today: dt.date, default_language: str = "nb"
) -> tuple[Document | None, list[Problem], list[Notice]]:
    """Validate one input document. Returns the model, or None with the problems found."""
    ctx = Ctx(source=source, today=today, default_language=default_language)
    if raw is None:
        ctx.fail((), "Filen er tom.", "Fyll den ut, for eksempel fra «ipdocs skeleton».")
        return None, ctx.problems, ctx.notices
    if not isinstance(raw, dict):
        ctx.fail(
            (),
            "Filen inneholder ikke felt med navn og verdi.",
            "Se eksempelet fra «ipdocs skeleton».",
        )
        return None, ctx.problems, ctx.notices
    kinds = ", ".join(DOCUMENT_KINDS)
    kind_raw = next((v for k, v in raw.items() if normalise_key(k) == "dokument"), None)
    if kind_raw is None or not str(kind_raw).strip():
        ctx.fail(("dokument",), "Feltet mangler.", f"Skriv hvilket dokument det er: {kinds}.")
        return None, ctx.problems, ctx.notices
    kind = str(kind_raw).strip().casefold()
    if kind not in DOCUMENT_KINDS:
        close = difflib.get_close_matches(kind, list(DOCUMENT_KINDS), n=1, cutoff=0.6)
        hint = f"Mente du «{close[0]}»?" if close else f"Skriv et av disse: {kinds}."
        ctx.fail(("dokument",), f"«{kind_raw}» er ikke et dokument ipdocs lager.", hint)
        return None, ctx.problems, ctx.notices
    ctx.kind = kind
    top = Obj(ctx, (), raw, TOP_LEVEL[kind])
    common = {"case": _case(top), "language": _language(top)}
    document = _BUILDERS[kind](top, common)
    _stray_identity_numbers(ctx, raw)
    if ctx.problems:
        return None, ctx.problems, ctx.notices
    return document, [], ctx.notices


def _stray_identity_numbers(ctx: Ctx, value: object, path: Path_ = ()) -> None:
    """A fødselsnummer belongs in a «fodselsnummer» field (consent, fullmakt), nowhere else:
    written into a name, a note or a list, it would be printed on a letter many people read.
    Only numbers that pass the full check count (an account number rarely does)."""
    if isinstance(value, dict):
        for key, item in value.items():
            name = normalise_key(key)
            if name not in ("fodselsnummer", "sak"):  # both checked where they are read
                _stray_identity_numbers(ctx, item, (*path, name))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            _stray_identity_numbers(ctx, item, (*path, number))
    elif isinstance(value, str | int) and not isinstance(value, bool):
        if fnr.find(str(value), today=ctx.today):
            ctx.fail(
                path,
                "Her står det noe som ser ut som et fødselsnummer.",
                "Et fødselsnummer skal bare stå i feltet «fodselsnummer» i samtykke og "
                "fullmakt, ikke i navn, tekst eller lister: dokumentene leses av mange. Fjern "
                "nummeret.",
            )


def _case(top: Obj) -> str:
    sak = unicodedata.normalize("NFC", top.text("sak"))
    if not sak:
        return ""
    wrong = casekey.problem(sak, where=top.ctx.source.where(("sak",)))
    if wrong is not None:
        top.ctx.fail(("sak",), wrong.what, wrong.fix)
    return sak


def _language(top: Obj) -> str:
    value = top.text("sprak", required=False).casefold()
    value = {"bokmål": "nb", "bokmaal": "nb", "nynorsk": "nn", "no": "nb"}.get(value, value)
    if not value:
        return top.ctx.default_language
    if value not in LANGUAGES:
        top.ctx.fail(
            ("sprak",),
            f"«{value}» er ikke et språk ipdocs kan skrive.",
            "Skriv nb (bokmål) eller nn (nynorsk).",
        )
        return top.ctx.default_language
    return value


def _person(obj: Obj, *, address: bool = True) -> Person:
    checked = None
    if obj.has("fodselsnummer"):
        try:
            checked = fnr.check(str(obj.raw("fodselsnummer")), today=obj.ctx.today)
        except fnr.InvalidNumber as exc:
            obj.ctx.fail(obj.path + ("fodselsnummer",), f"Fødselsnummeret er ikke gyldig. {exc}")
        else:
            if checked.synthetic:
                obj.ctx.notices.append(
                    Notice(
                        f"Fødselsnummeret i {describe(obj.path + ('fodselsnummer',))} er et "
                        "syntetisk testnummer. Det er bare til prøving og hører ikke til en ekte person."
                    )
                )
    return Person(
        name=obj.text("navn"),
        address=obj.text("adresse", required=False) if address else "",
        national_id=checked.digits if checked else None,
        synthetic_id=bool(checked and checked.synthetic),
        born=_born(obj, checked.birth_date if checked else None),
    )


def _born(obj: Obj, from_number: dt.date | None) -> dt.date | None:
    """The birth date: `fodt`, or the fødselsnummer's. Two that differ are refused (one is
    a typing error, and the age decides who signs a consent)."""
    written = obj.date("fodt", required=False)
    if written is None:
        return from_number
    if written > obj.ctx.today:
        obj.ctx.fail(
            obj.path + ("fodt",),
            f"Fødselsdatoen {language.date(written)} er etter i dag.",
            "Sjekk datoen, for eksempel 14.05.2019.",
        )
        return None
    if from_number is not None and written != from_number:
        obj.ctx.fail(
            obj.path + ("fodt",),
            "Fødselsdatoen stemmer ikke med fødselsnummeret.",
            "Sjekk begge, eller fjern «fodt» når fødselsnummeret står der.",
        )
        return None
    return written


def _coordinator(obj: Obj, *, phone_required: bool) -> Coordinator:
    return Coordinator(
        name=obj.text("navn"),
        phone=obj.text("telefon", required=phone_required),
        service=obj.text("tjeneste", required=False),
        email=_email(obj),
    )


def _email(obj: Obj) -> str:
    """One address on one line: it goes into the letter and the calendar file's organiser."""
    email = obj.text("epost", required=False)
    if re.search(r"\s", email):
        obj.ctx.fail(
            obj.path + ("epost",),
            "E-postadressen har linjeskift eller mellomrom i seg.",
            "Skriv én adresse på én linje, for eksempel ola.hansen@selbu.kommune.no.",
        )
        return ""
    return email


def _interpreter(obj: Obj) -> str | None:
    value = obj.raw("tolk")
    if value is MISSING or value is False:
        return None
    path = obj.path + ("tolk",)
    if isinstance(value, dict):
        lang = Obj(obj.ctx, path, value, frozenset({"sprak"})).text("sprak")
        return lang or None
    if not (value is True or isinstance(value, str)):
        obj.ctx.wrong_shape(path, value, "language")
        return None
    text = value.strip() if isinstance(value, str) else ""
    if value is True or text.casefold() in {"ja", "true", "yes", "x"}:
        obj.ctx.fail(
            path,
            "Det står at det skal være tolk, men ikke hvilket språk.",
            LANGUAGE_HELP[obj.ctx.source.style],
        )
        return None
    if text.casefold() in {"nei", "false", "no", "ingen"}:
        return None
    return text


def _meeting(obj: Obj) -> Meeting | None:
    day, start, end = obj.date("dato"), obj.time("fra"), obj.time("til")
    place, interpreter = obj.text("sted"), _interpreter(obj)
    if start and end and end <= start:
        obj.ctx.fail(
            obj.path + ("til",), "Møtet slutter før det begynner.", "Sjekk «fra» og «til»."
        )
        return None
    if not (day and start and end):
        return None
    return Meeting(date=day, starts_at=start, ends_at=end, place=place, interpreter=interpreter)


def _participants(top: Obj, key: str, *, required: bool) -> tuple[Participant, ...]:
    found, refused = [], len(top.ctx.problems)
    for path, item in top.items(key, "people"):
        if isinstance(item, dict):
            obj = Obj(top.ctx, path, item, PARTICIPANT)
            found.append(
                Participant(
                    obj.text("navn"), obj.text("rolle", required=False), obj.boolean("fast", True)
                )
            )
        elif is_text(item):
            name, role = values.split_participant(as_text(item))
            found.append(Participant(name, role))
        else:
            top.ctx.wrong_shape(path, item, "person")
    if required and not found and len(top.ctx.problems) == refused:
        top.missing(key, "Skriv hvem som skal delta, med navn og rolle.")
    return tuple(found)


def _actions(top: Obj) -> tuple[Action, ...]:
    found = []
    for path, item in top.items("tiltak", "actions"):
        if not (isinstance(item, dict) or is_text(item)):
            top.ctx.wrong_shape(path, item, "action")
            continue
        obj = Obj(top.ctx, path, item if isinstance(item, dict) else {"tiltak": item}, ACTION)
        what, owner, deadline = obj.text("tiltak"), obj.text("ansvar"), obj.date("frist")
        if what and owner and deadline:
            found.append(Action(what=what, owner=owner, deadline=deadline))
    return tuple(found)


def _followups(top: Obj) -> tuple[FollowUp, ...]:
    """`tiltak_fra_forrige`: each earlier action with how it went (FORMATS.md §5)."""
    found = []
    for path, item in top.items("tiltak_fra_forrige", "actions"):
        if not (isinstance(item, dict) or is_text(item)):
            top.ctx.wrong_shape(path, item, "followup")
            continue
        raw = item if isinstance(item, dict) else {"tiltak": item}
        obj = Obj(top.ctx, path, raw, FOLLOWUP)
        what, owner = obj.text("tiltak"), obj.text("ansvar")
        deadline = obj.date("frist", required=False)
        written = obj.text("status", required=False)
        status = STATUS_WORDS.get(" ".join(written.casefold().split()))
        if not written:
            # A pre-filled skeleton leaves it for the coordinator: the action stays open.
            status = ""
            top.ctx.notices.append(
                Notice(
                    f"Tiltaket «{what}» ({top.ctx.source.where(path)}) har ingen status. Det "
                    "regnes som åpent til et referat sier utført eller avsluttet."
                )
            )
        elif status is None:
            obj.ctx.fail(
                path + ("status",),
                f"«{written}» er ikke en status ipdocs kjenner.",
                "Skriv utført, pågår, ikke startet eller avsluttet.",
            )
        if what and owner and status is not None:
            comment = obj.text("kommentar", required=False)
            found.append(FollowUp(what, owner, deadline, status, comment))
    return tuple(found)


def _next_meeting(top: Obj) -> NextMeeting | None:
    if not top.has("neste_mote"):
        return None
    obj = top.obj("neste_mote", NEXT_MEETING)
    if not any(obj.has(key) for key in obj.values):
        return None  # rows left empty (a pre-filled workbook): no next meeting agreed yet
    day = obj.date("dato")
    start, end = obj.time("fra", required=False), obj.time("til", required=False)
    if start and end and end <= start:
        obj.ctx.fail(
            obj.path + ("til",), "Møtet slutter før det begynner.", "Sjekk «fra» og «til»."
        )
    if day is None:
        return None
    return NextMeeting(
        date=day,
        starts_at=start,
        ends_at=end,
        place=obj.text("sted", required=False),
        participants=obj.texts("deltakere", required=False),
    )


def _invitation(top: Obj, common: dict[str, Any]) -> Invitation | None:
    meeting = _meeting(top.obj("mote", MEETING))
    document: dict[str, Any] = dict(
        person=_person(top.obj("bruker", PERSON)),
        coordinator=_coordinator(top.obj("koordinator", COORDINATOR), phone_required=True),
        participants=_participants(top, "deltakere", required=True),
        guardians=_participants(top, "foresatte", required=False),
        first_meeting=top.boolean("forste_mote", False),
        agenda=top.texts("saksliste"),
        reply_by=top.date("svarfrist", required=False),
        sent_on=top.date("sendt", required=False) or top.ctx.today,
        moved_from=top.date("flyttet_fra", required=False),
        cancelled=top.boolean("avlyst", False),
    )
    if meeting is None:
        return None
    moved_from = document["moved_from"]
    if moved_from is not None and document["cancelled"]:
        top.ctx.fail(
            ("avlyst",),
            "Innkallingen sier både at møtet er flyttet og at det er avlyst.",
            "Skriv «flyttet_fra» når møtet får en ny dato, eller «avlyst: true» når det ikke "
            "blir noe møte, ikke begge.",
        )
    elif moved_from is not None and moved_from == meeting.date:
        top.ctx.fail(
            ("flyttet_fra",),
            "Møtet er flyttet fra samme dato som det er på.",
            "Skriv datoen møtet opprinnelig skulle være i «flyttet_fra», og den nye datoen i "
            "«mote.dato».",
        )
    # Two dates that contradict each other are refused. Without «sendt» (today) a meeting in
    # the past only gives a warning (rules.py): the contract's examples carry fixed dates and
    # must keep working, and an invitation may be made afterwards for the record.
    if top.has("sendt") and meeting.date < document["sent_on"]:
        _meeting_before_sending(top, meeting.date, document["sent_on"])
        return None
    reply_by = document["reply_by"]
    if reply_by and reply_by > meeting.date:
        top.ctx.fail(
            ("svarfrist",), "Svarfristen er etter møtet.", "Sett en svarfrist før møtedatoen."
        )
    elif reply_by and top.has("sendt") and reply_by < document["sent_on"]:
        top.ctx.fail(
            ("svarfrist",),
            f"Svarfristen ({language.date(reply_by)}) er før innkallingen sendes "
            f"({language.date(document['sent_on'])}), så ingen rekker å svare.",
            "Sett en svarfrist mellom datoen i «sendt» og møtedatoen.",
        )
    return Invitation(meeting=meeting, **common, **document)


def _meeting_before_sending(top: Obj, day: dt.date, sent_on: dt.date) -> None:
    what = (
        f"Møtet er {language.date(day)}, før innkallingen sendes ({language.date(sent_on)}). "
        "En innkalling sendes før møtet."
    )
    top.ctx.fail(("mote", "dato"), what, "Sjekk datoen for møtet og datoen i «sendt».")


def _minutes(top: Obj, common: dict[str, Any]) -> Minutes | None:
    meeting = _meeting(top.obj("mote", MEETING))
    document: dict[str, Any] = dict(
        person=_person(top.obj("bruker", PERSON)),
        coordinator=_coordinator(top.obj("koordinator", COORDINATOR), phone_required=False),
        minute_taker=top.text("referent"),
        participants=_participants(top, "deltakere", required=True),
        guardians=_participants(top, "foresatte", required=False),
        situation=top.text("naasituasjon", required=False),
        user_voice=top.text("brukers_stemme", required=False),
        goals=top.texts("maal", required=False),
        actions=_actions(top),
        next_meeting=_next_meeting(top),
        written_on=top.date("skrevet", required=False) or top.ctx.today,
        person_present=top.boolean("bruker_til_stede", True),
        send_to=top.texts("sendes_til", required=False),
        followups=_followups(top),
        evaluation=top.text("evaluering", required=False),
        closing=top.text("avslutning", required=False),
    )
    if meeting is None:
        return None
    if top.has("skrevet") and document["written_on"] < meeting.date:
        top.ctx.fail(
            ("skrevet",),
            f"Referatet er skrevet {language.date(document['written_on'])}, før møtet "
            f"({language.date(meeting.date)}).",
            "Sjekk datoen i «skrevet» og datoen for møtet.",
        )
        return None
    return Minutes(meeting=meeting, **common, **document)


def _consent(top: Obj, common: dict[str, Any]) -> Consent | None:
    person = _person(top.obj("bruker", PERSON))
    signers = _signers(top)
    valid_from, valid_to = top.date("gyldig_fra"), top.date("gyldig_til")
    if valid_from and valid_to and valid_to <= valid_from:
        top.ctx.fail(
            ("gyldig_til",),
            "Samtykket slutter å gjelde før det begynner.",
            "Sjekk «gyldig_fra» og «gyldig_til».",
        )
    document: dict[str, Any] = dict(
        covers=top.texts("gjelder"),
        information=top.text("opplysninger"),
        recipients=top.texts("mottakere"),
        purpose=top.text("formal"),
        covers_transfer=top.boolean("overforing_ved_flytting", False),
    )
    if valid_from is None or valid_to is None:
        return None
    return Consent(
        person=person,
        signers=tuple(signers),
        valid_from=valid_from,
        valid_to=valid_to,
        **common,
        **document,
    )


def _signers(top: Obj) -> list[Signer]:
    """`underskriver` (one) or `underskrivere` (a list, two parents); none: the person signs."""
    if top.has("underskriver") and top.has("underskrivere"):
        top.ctx.fail(
            ("underskrivere",),
            "Både «underskriver» og «underskrivere» står i filen.",
            "Skriv alle som skriver under i «underskrivere», og fjern «underskriver».",
        )
        return []
    if top.has("underskriver"):
        obj = top.obj("underskriver", SIGNER)
        return [Signer(_person(obj), obj.text("rolle", required=True))]
    found: list[Signer] = []
    for path, item in top.items("underskrivere", "people"):
        if not isinstance(item, dict):
            top.ctx.wrong_shape(path, item, "person")
            continue
        obj = Obj(top.ctx, path, item, SIGNER)
        found.append(Signer(_person(obj), obj.text("rolle", required=True)))
    return found


def _power_of_attorney(top: Obj, common: dict[str, Any]) -> PowerOfAttorney | None:
    grantor = _person(top.obj("fullmaktsgiver", PERSON))
    agent = _person(top.obj("fullmektig", PERSON))
    scope = top.text("gjelder")
    start, end, signed = top.date("fra"), top.date("til"), top.date("dato")
    if start and end and end <= start:
        top.ctx.fail(("til",), "Fullmakten slutter før den begynner.", "Sjekk «fra» og «til».")
    if not (start and end and signed):
        return None
    return PowerOfAttorney(
        grantor=grantor,
        agent=agent,
        scope=scope,
        valid_from=start,
        valid_to=end,
        signed_on=signed,
        **common,
    )


_BUILDERS: dict[str, Callable[[Obj, dict[str, Any]], Document | None]] = {
    DocumentKind.invitation: _invitation,
    DocumentKind.minutes: _minutes,
    DocumentKind.consent: _consent,
    DocumentKind.power_of_attorney: _power_of_attorney,
}
