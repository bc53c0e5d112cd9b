"""Single values as coordinators write them: dates, times, yes/no, lists, participants."""

from __future__ import annotations

import datetime as dt

import pytest

from ipdocs.readers import values


@pytest.mark.parametrize(
    "text",
    ["2026-12-03", "03.12.2026", "3.12.2026", dt.date(2026, 12, 3), dt.datetime(2026, 12, 3, 0, 0)],
)
def test_dates(text):
    assert values.parse_date(text) == dt.date(2026, 12, 3)


@pytest.mark.parametrize("text", ["31.02.2026", "2026-13-01", "3/12/2026", "i morgen"])
def test_bad_dates(text):
    with pytest.raises(ValueError, match="dato"):
        values.parse_date(text)


@pytest.mark.parametrize(
    "text",
    [
        "09:00",
        "09.00",
        "9.00",
        "kl. 09.00",
        "kl 9",
        dt.time(9, 0),
        dt.datetime(1899, 12, 30, 9, 0),
        0.375,
    ],
)
def test_times(text):
    assert values.parse_time(text) == dt.time(9, 0)


@pytest.mark.parametrize("text", ["25:00", "9.75", "ni"])
def test_bad_times(text):
    with pytest.raises(ValueError, match="klokkeslett"):
        values.parse_time(text)


def test_lists_split_on_semicolons_and_line_breaks():
    assert values.split_list("Status; Søknad om avlastning\nNeste møte") == [
        "Status",
        "Søknad om avlastning",
        "Neste møte",
    ]


def test_participant_with_role():
    assert values.split_participant("Per Olsen (Fastlege)") == ("Per Olsen", "Fastlege")
    assert values.split_participant("Per Olsen") == ("Per Olsen", "")
