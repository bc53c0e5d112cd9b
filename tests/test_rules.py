"""The routine's warnings (FORMATS.md §4): the document is still made."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

from conftest import DATA, TODAY

from ipdocs import readers, rules


def doc(kind: str):
    [entry] = readers.read(DATA / f"formats_{kind}.yaml", today=TODAY)
    return entry.document


def texts(document, today=TODAY) -> str:
    return "\n".join(str(n) for n in rules.check(document, today=today))


def with_meeting(document, **changes):
    return dataclasses.replace(document, meeting=dataclasses.replace(document.meeting, **changes))


def test_formats_invitation_reminds_about_the_gp_and_the_interpreter():
    text = texts(doc("innkalling"))
    assert "fastlege" in text and "dobbelttime" in text
    assert "for lite tid til tolking" in text  # 09:00–10:30 with an interpreter
    assert len(rules.check(doc("innkalling"), today=TODAY)) == 2


def test_invitation_sent_less_than_seven_days_before():
    invitation = dataclasses.replace(doc("innkalling"), sent_on=dt.date(2026, 11, 30))
    assert "bare 3 dager før møtet" in texts(invitation)


def test_reply_by_already_past_when_sent_today():
    # Without «sendt» the invitation is sent today (TODAY, 24.11.2026); the meeting is ahead.
    invitation = dataclasses.replace(
        doc("innkalling"), sent_on=TODAY, reply_by=dt.date(2026, 11, 20)
    )
    text = texts(invitation)
    assert "Svarfristen (20.11.2026) er før i dag, så ingen rekker å svare" in text
    in_time = dataclasses.replace(invitation, reply_by=dt.date(2026, 11, 30))
    assert "Svarfristen" not in texts(in_time)


def test_meeting_longer_than_one_and_a_half_hours():
    invitation = with_meeting(doc("innkalling"), interpreter=None, ends_at=dt.time(11, 0))
    assert "Møtet varer 2 timer" in texts(invitation)


def test_interpreter_needs_more_than_one_and_a_half_hours_and_may_take_three():
    # With an interpreter, 1.5 h or less is too little; longer, up to 3 h, gives no warning.
    exactly = texts(doc("innkalling"))  # 09:00–10:30
    assert "Det er for lite tid til tolking" in exactly and "varer bare 1 t 30 min" in exactly
    for end in (dt.time(11, 0), dt.time(12, 0)):
        longer = texts(with_meeting(doc("innkalling"), ends_at=end))
        assert "tolking" not in longer and "Korte møter" not in longer
    too_long = texts(with_meeting(doc("innkalling"), ends_at=dt.time(12, 30)))
    assert "Møtet varer 3 t 30 min" in too_long and "tolking" not in too_long
    # Without one, the 1.5 h rule holds as before.
    plain = texts(with_meeting(doc("innkalling"), interpreter=None, ends_at=dt.time(11, 0)))
    assert "Møtet varer 2 timer" in plain


def test_no_gp_no_reminder():
    invitation = dataclasses.replace(
        doc("innkalling"), participants=doc("innkalling").participants[1:]
    )
    assert "fastlege" not in texts(invitation)


def test_weekend_and_public_holiday():
    saturday = with_meeting(doc("innkalling"), date=dt.date(2026, 12, 5))
    assert "lørdag" in texts(saturday)
    christmas = with_meeting(doc("innkalling"), date=dt.date(2026, 12, 25))  # a Friday
    assert "helligdag (Første juledag)" in texts(christmas)


def test_minutes_more_than_fourteen_days_after_the_meeting():
    assert "dager etter møtet" not in texts(doc("referat"), today=dt.date(2026, 12, 17))
    assert "Referatet lages 15 dager etter møtet" in texts(
        doc("referat"), today=dt.date(2026, 12, 18)
    )


def test_no_next_meeting_and_empty_voice():
    minutes = dataclasses.replace(doc("referat"), next_meeting=None, user_voice="  ")
    text = texts(minutes)
    assert "Neste møte er ikke avtalt" in text
    assert "«brukers_stemme» er tom" in text


def test_formats_minutes_give_no_warnings():
    assert rules.check(doc("referat"), today=dt.date(2026, 12, 10)) == []


def test_invitation_sent_the_day_before_or_the_same_day_is_said_in_words():
    meeting_day = doc("innkalling").meeting.date
    day_before = dataclasses.replace(doc("innkalling"), sent_on=meeting_day - dt.timedelta(1))
    assert "Innkallingen sendes dagen før møtet." in texts(day_before)
    same_day = dataclasses.replace(doc("innkalling"), sent_on=meeting_day)
    assert "Innkallingen sendes samme dag som møtet." in texts(same_day)


def test_no_warning_counts_zero_or_negative_days():
    meeting_day = doc("innkalling").meeting.date
    for offset in range(-3, 8):
        invitation = dataclasses.replace(
            doc("innkalling"), sent_on=meeting_day - dt.timedelta(offset)
        )
        text = texts(invitation)
        assert not re.search(r"(-\d+|\b0|\b1) dager", text), text
        assert ("Innkallingen sendes" in text) == (0 <= offset < 7)
        assert ("før i dag. Sjekk datoen." in text) == (offset < 0)


def test_a_child_under_16_signing_her_own_consent_is_a_warning_naming_who_signs():
    consent = doc("samtykke")  # signed by a verge
    assert texts(consent) == ""
    child = dataclasses.replace(
        consent.person, born=dt.date(2019, 5, 14), national_id=None, synthetic_id=False
    )
    alone = dataclasses.replace(consent, person=child, signers=())
    text = texts(alone)
    assert "Kari Nordmann er 7 år" in text and "foreldreansvaret skal skrive under" in text
    assert "«underskrivere»" in text and "rolle: mor" in text
    sixteen = dataclasses.replace(child, born=dt.date(2010, 12, 3))  # 16 on gyldig_fra
    assert texts(dataclasses.replace(alone, person=sixteen)) == ""
    unknown = dataclasses.replace(child, born=None)
    assert texts(dataclasses.replace(alone, person=unknown)) == ""


def test_a_closed_group_needs_no_next_meeting():
    minutes = dataclasses.replace(doc("referat"), next_meeting=None)
    assert "Neste møte er ikke avtalt" in texts(minutes)
    closed = dataclasses.replace(minutes, closing="Kari ønsker ikke lenger ansvarsgruppe.")
    assert "Neste møte" not in texts(closed)


def test_the_age_comes_from_the_fodselsnummer_or_fodt_in_the_file(tmp_path):
    text = (DATA / "samtykke_barn.yaml").read_text(encoding="utf-8")
    alone = text.split("underskrivere:")[0]  # Emma (born 2019, in her number) signs herself
    path = tmp_path / "samtykke.yaml"
    path.write_text(alone, encoding="utf-8")
    [entry] = readers.read(path, today=TODAY)
    assert "Emma Hassan er 7 år" in texts(entry.document)
    path.write_text(
        alone.replace('fodselsnummer: "14851950053"', "fodt: 2012-06-01"), encoding="utf-8"
    )
    [entry] = readers.read(path, today=TODAY)
    assert "Emma Hassan er 14 år" in texts(entry.document)
    [both] = readers.read(DATA / "samtykke_barn.yaml", today=TODAY)
    assert texts(both.document) == ""  # both parents sign
