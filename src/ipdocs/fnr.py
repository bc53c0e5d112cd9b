"""Fødselsnummer (Norwegian national identity number) validation.

python-stdnum computes the classic control digits, but it refuses synthetic test numbers
(month + 80, Skatteetaten's Tenor) and does not know the 2032 rule (DOMAIN.md §4), so the
date part and those two variants are handled here. Error texts never repeat the number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from stdnum.no import fodselsnummer as _stdnum

# From 1 January 2032 the first control digit may leave a remainder of 0-3 (nyttfnr2032).
_RULE_2032 = dt.date(2032, 1, 1)
_K1_WEIGHTS = (3, 7, 6, 1, 8, 9, 4, 5, 2)


class InvalidNumber(ValueError):
    """The reason, in Norwegian, without the number itself."""


@dataclass(frozen=True)
class Checked:
    digits: str
    birth_date: dt.date
    synthetic: bool  # a test number (month + 80): fine for demos and tests, never a real person
    kind: str  # "fødselsnummer", "D-nummer" or "H-nummer"


def compact(value: str) -> str:
    return _stdnum.compact(str(value))


def check(value: str, *, today: dt.date) -> Checked:
    digits = compact(value)
    if len(digits) != 11 or not digits.isdigit():
        raise InvalidNumber("Et fødselsnummer har 11 siffer.")
    if not _control_digits_ok(digits, today=today):
        raise InvalidNumber("Kontrollsifrene stemmer ikke. Sjekk at alle sifrene er riktige.")
    day, month = int(digits[0:2]), int(digits[2:4])
    kind, synthetic = "fødselsnummer", False
    if day > 40:
        day -= 40
        kind = "D-nummer"
    if month > 80:
        month -= 80
        synthetic = True
    elif month > 40:
        month -= 40
        kind = "H-nummer"
    born = _birth_date(
        day, month, int(digits[4:6]), int(digits[6:9]), loose=kind != "fødselsnummer"
    )
    if born is None:
        raise InvalidNumber("De seks første sifrene er ikke en gyldig fødselsdato.")
    if born > today:
        raise InvalidNumber("Fødselsdatoen i nummeret er fram i tid.")
    return Checked(digits=digits, birth_date=born, synthetic=synthetic, kind=kind)


def display(digits: str) -> str:
    """The form printed on consent and fullmakt: DDMMYY NNNNN."""
    return f"{digits[:6]} {digits[6:]}"


def _control_digits_ok(digits: str, *, today: dt.date) -> bool:
    k1, k2 = digits[9], digits[10]
    if k2 != _stdnum.calc_check_digit2(digits[:10]):
        return False
    if k1 == _stdnum.calc_check_digit1(digits[:9]):
        return True
    if today >= _RULE_2032:
        remainder = (
            sum(w * int(d) for w, d in zip(_K1_WEIGHTS, digits[:9], strict=True)) + int(k1)
        ) % 11
        return remainder in (0, 1, 2, 3)
    return False


def _birth_date(day: int, month: int, yy: int, individual: int, *, loose: bool) -> dt.date | None:
    """The birth date, trying the centuries the individual number allows.

    D- and H-numbers may use other series since 2021 (DOMAIN.md §4), so for them any
    century that gives a real date is accepted.
    """
    centuries: list[int] = []
    if individual <= 499:
        centuries.append(1900)
    if 500 <= individual <= 749 and yy >= 54:
        centuries.append(1800)
    if individual >= 900 and yy >= 40:
        centuries.append(1900)
    if individual >= 500 and yy < 40:
        centuries.append(2000)
    if loose:
        centuries += [2000, 1900]
    for century in centuries:
        try:
            return dt.date(century + yy, month, day)
        except ValueError:
            continue
    return None
