"""Calendar files: parsed back with icalendar, as a calendar program would read them."""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import zoneinfo

import icalendar
from conftest import DATA, TODAY, run_cli

from ipdocs import ics, readers
from ipdocs.errors import ExitCode

OSLO = zoneinfo.ZoneInfo("Europe/Oslo")


def invitation(**meeting_changes):
    [entry] = readers.read(DATA / "formats_innkalling.yaml", today=TODAY)
    doc = entry.document
    if meeting_changes:
        doc = dataclasses.replace(doc, meeting=dataclasses.replace(doc.meeting, **meeting_changes))
    return doc


def event_of(data: bytes) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(data)
    [event] = calendar.walk("VEVENT")
    return event


def test_the_event_is_at_the_meetings_local_time_with_its_time_zone(settings):
    data = ics.calendar_file(invitation(), settings)
    calendar = icalendar.Calendar.from_ical(data)
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/Oslo"
    event = event_of(data)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == dt.datetime(2026, 12, 3, 9, 0, tzinfo=OSLO)
    assert end == dt.datetime(2026, 12, 3, 10, 30, tzinfo=OSLO)
    assert start.utcoffset() == dt.timedelta(hours=1)  # winter time
    assert start.astimezone(dt.UTC).hour == 8
    assert b"DTSTART;TZID=Europe/Oslo:20261203T090000" in data


def test_summer_time_is_right_too(settings):
    event = event_of(ics.calendar_file(invitation(date=dt.date(2027, 6, 3)), settings))
    assert event.decoded("DTSTART").astimezone(dt.UTC).hour == 7  # 09:00 CEST


def test_place_agenda_and_interpreter_are_in_the_entry_but_not_the_person(settings):
    event = event_of(ics.calendar_file(invitation(), settings))
    assert str(event["LOCATION"]) == "Rådhuset, møterom 2"
    description = str(event["DESCRIPTION"])
    for text in (
        "Tolk: arabisk",
        "1. Status siden forrige møte",
        "2. Søknad om avlastning",
        "Ola Hansen, telefon 400 31 579",
        "innen 30.11.2026",
    ):
        assert text in description, text
    assert "IP-2026-0042" in str(event["SUMMARY"])
    assert "Kari" not in str(event["SUMMARY"]) + description


def test_nynorsk_description(settings):
    doc = dataclasses.replace(invitation(), language="nn")
    description = str(event_of(ics.calendar_file(doc, settings))["DESCRIPTION"])
    assert "Stad: Rådhuset" in description and "ikkje kan kome" in description
    assert "Sakliste:" in description and "Saksliste" not in description  # as the letter


def test_the_municipalitys_word_for_the_coordinator(settings):
    risor = dataclasses.replace(
        settings,
        municipality=dataclasses.replace(settings.municipality, coordinator_word="stafettholder"),
    )
    description = str(event_of(ics.calendar_file(invitation(), risor))["DESCRIPTION"])
    assert "Stafettholder: Ola Hansen" in description
    assert "Gi beskjed til stafettholderen" in description and "oordinator" not in description
    plain = str(event_of(ics.calendar_file(invitation(), settings))["DESCRIPTION"])
    assert "Saksliste:" in plain and "Koordinator: Ola Hansen" in plain


def test_a_resent_invitation_updates_the_same_entry(settings):
    first = ics.calendar_file(invitation(), settings)
    again = ics.calendar_file(invitation(), settings, previous=first)
    moved = ics.calendar_file(invitation(place="Helsehuset"), settings, previous=again)
    events = [event_of(d) for d in (first, again, moved)]
    assert len({str(e["UID"]) for e in events}) == 1
    assert [int(e["SEQUENCE"]) for e in events] == [0, 0, 1]
    other = ics.calendar_file(invitation(date=dt.date(2027, 3, 4)), settings)
    assert str(event_of(other)["UID"]) != str(events[0]["UID"])  # another meeting


def test_render_writes_the_calendar_file_and_a_resend_raises_sequence(tmp_path):
    shutil.copy(DATA / "formats_innkalling.yaml", tmp_path / "i.yaml")
    assert run_cli("render", "i.yaml", cwd=tmp_path).returncode == ExitCode.ok
    path = tmp_path / "outbox" / "IP-2026-0042" / "2026-12-03_innkalling.ics"
    first = event_of(path.read_bytes())
    text = (tmp_path / "i.yaml").read_text(encoding="utf-8").replace('"10:30"', '"10:45"')
    (tmp_path / "i.yaml").write_text(text, encoding="utf-8")
    result = run_cli("render", "i.yaml", cwd=tmp_path)
    assert "(+ .ics)" in result.stdout
    second = event_of(path.read_bytes())
    assert second["UID"] == first["UID"] and int(second["SEQUENCE"]) == 1
    assert second.decoded("DTEND") == dt.datetime(2026, 12, 3, 10, 45, tzinfo=OSLO)


def test_no_ics_option_and_setting(tmp_path):
    shutil.copy(DATA / "formats_innkalling.yaml", tmp_path / "i.yaml")
    assert run_cli("render", "i.yaml", "--no-ics", cwd=tmp_path).returncode == ExitCode.ok
    folder = tmp_path / "outbox" / "IP-2026-0042"
    assert [p.suffix for p in folder.iterdir()] == [".docx"]
    (tmp_path / "ipdocs.toml").write_text("[utdata]\nics = false\n", encoding="utf-8")
    shutil.rmtree(folder)
    assert run_cli("render", "i.yaml", cwd=tmp_path).returncode == ExitCode.ok
    assert [p.suffix for p in folder.iterdir()] == [".docx"]
