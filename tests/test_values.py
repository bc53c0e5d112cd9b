"""Single values as coordinators write them: dates, times, yes/no, lists, participants."""

from __future__ import annotations

import datetime as dt

import pytest

from ipdocs.readers import values


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-03",
        "03.12.2026",
        "3.12.2026",
        dt.date(2026, 12, 3),
        dt.datetime(2026, 12, 3, 0, 0),
        # as coordinators write them (issue 10): day first, month names, two-digit years
        "3. desember 2026",
        "3. des. 2026",
        "3 des 2026",
        "torsdag 3. desember 2026",
        "03.12.26",
        "3/12/2026",
        "3/12/26",
        "3-12-2026",
    ],
)
def test_dates(text):
    assert values.parse_date(text) == dt.date(2026, 12, 3)


def test_a_two_digit_year_reads_as_excel_reads_it():
    assert values.parse_date("14.05.65") == dt.date(1965, 5, 14)
    assert values.parse_date("14.05.19") == dt.date(2019, 5, 14)


@pytest.mark.parametrize(
    "text, said",
    [
        ("31.02.2026", "ikke en dato som finnes"),
        ("2026-13-01", "ikke en dato som finnes"),
        ("12/25/2026", "dagen først"),
        ("3. desember", "mangler året"),
        ("3. desembær 2026", "kjenner igjen"),
        ("3.12", "mangler året"),
        ("i morgen", "kjenner igjen"),
    ],
)
def test_bad_dates(text, said):
    with pytest.raises(ValueError, match=said):
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


def test_a_date_cell_is_not_a_time():
    with pytest.raises(ValueError, match=r"«03.12.2026» er en dato, ikke et klokkeslett"):
        values.parse_time(dt.datetime(2026, 12, 3))
    with pytest.raises(ValueError, match="er en dato, ikke et klokkeslett"):
        values.parse_time(dt.date(2026, 12, 3))


def test_a_date_and_time_cell_gives_its_time():
    assert values.parse_time(dt.datetime(2026, 12, 3, 9, 30)) == dt.time(9, 30)
    assert values.parse_time(dt.datetime(1904, 1, 1, 9, 0)) == dt.time(9, 0)  # old Mac Excel


def test_a_time_cell_is_not_a_date():
    with pytest.raises(ValueError, match=r"«09:00» er et klokkeslett, ikke en dato"):
        values.parse_date(dt.datetime(1899, 12, 30, 9, 0))
    with pytest.raises(ValueError, match="er et klokkeslett, ikke en dato"):
        values.parse_date(dt.time(9, 0))


@pytest.mark.parametrize(
    "value, found", [({"dato": "x"}, "flere felt"), (["03.12.2026"], "en liste"), (True, "ja/nei")]
)
def test_one_date_or_time_not_fields_or_a_list(value, found):
    with pytest.raises(ValueError, match=f"Her skal det stå én dato, men det står {found}"):
        values.parse_date(value)
    with pytest.raises(ValueError, match=f"Her skal det stå ett klokkeslett, men det står {found}"):
        values.parse_time(value)


@pytest.mark.parametrize("text, expected", [("on", True), ("off", False), ("SANN", True)])
def test_yes_no_words(text, expected):
    assert values.parse_bool(text) is expected


def test_yes_no_is_not_a_list():
    with pytest.raises(ValueError, match="ja eller nei"):
        values.parse_bool(["ja"])
