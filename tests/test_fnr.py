"""Fødselsnummer: control digits, D-, H- and synthetic test numbers, the 2032 rule."""

from __future__ import annotations

import datetime as dt

import pytest

from ipdocs import fnr

TODAY = dt.date(2026, 11, 24)


def make(prefix9: str, *, rule_2032_remainder: int | None = None) -> str:
    """Build a number with correct control digits (classic, or 2032 with a given remainder)."""
    w1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
    w2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    s1 = sum(w * int(d) for w, d in zip(w1, prefix9, strict=True))
    if rule_2032_remainder is None:
        k1 = (11 - s1 % 11) % 11
    else:
        k1 = (rule_2032_remainder - s1) % 11
    assert k1 != 10, "pick another prefix"
    ten = prefix9 + str(k1)
    k2 = (11 - sum(w * int(d) for w, d in zip(w2, ten, strict=True)) % 11) % 11
    assert k2 != 10, "pick another prefix"
    return ten + str(k2)


def test_formats_examples_are_synthetic_test_numbers():
    for number in ("15876510089", "10927030050"):
        checked = fnr.check(number, today=TODAY)
        assert checked.synthetic
    assert fnr.check("15876510089", today=TODAY).birth_date == dt.date(1965, 7, 15)


def test_ordinary_number_with_spaces():
    number = make("010170123")
    checked = fnr.check(f"{number[:6]} {number[6:]}", today=TODAY)
    assert not checked.synthetic and checked.kind == "fødselsnummer"
    assert checked.birth_date == dt.date(1970, 1, 1)
    assert fnr.display(checked.digits) == f"{number[:6]} {number[6:]}"


def test_d_and_h_numbers_are_accepted():
    assert fnr.check(make("410170123"), today=TODAY).kind == "D-nummer"
    assert fnr.check(make("014170123"), today=TODAY).kind == "H-nummer"


@pytest.mark.parametrize(
    "number, reason",
    [
        ("1234567890", "11 siffer"),
        ("abcdefghijk", "11 siffer"),
        ("15876510088", "Kontrollsifrene"),
        ("31027012345", "Kontrollsifrene"),
    ],
)
def test_invalid_numbers_say_why_without_repeating_the_number(number, reason):
    with pytest.raises(fnr.InvalidNumber) as info:
        fnr.check(number, today=TODAY)
    assert reason in str(info.value)
    assert number not in str(info.value)


def test_impossible_date_is_refused():
    number = make("310270123")  # 31 February
    with pytest.raises(fnr.InvalidNumber, match="fødselsdato"):
        fnr.check(number, today=TODAY)


def test_future_birth_date_is_refused():
    number = make("010130557")  # 2030 (individual number 557 → 2000s)
    with pytest.raises(fnr.InvalidNumber, match="fram i tid"):
        fnr.check(number, today=TODAY)


def test_2032_rule_applies_only_from_2032():
    number = make("301082999", rule_2032_remainder=1)
    with pytest.raises(fnr.InvalidNumber):
        fnr.check(number, today=TODAY)
    assert fnr.check(number, today=dt.date(2032, 1, 2)).birth_date == dt.date(1982, 10, 30)
