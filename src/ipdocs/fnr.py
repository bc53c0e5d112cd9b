"""Fødselsnummer (Norwegian national identity number) validation.

python-stdnum computes the classic control digits, but it refuses synthetic test numbers
(month + 80, Skatteetaten's Tenor) and does not know the 2032 rule (DOMAIN.md §4), so the
date part and those two variants are handled here. Error texts never repeat the number.

`find` is the one place that spots a number in free text however it is written (spaces, dots,
dashes or zero-width characters between any groups of digits, superscript or other non-ASCII
digits): `errors.redact` masks what it finds, and the readers refuse it outside its field.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterator
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


# What people put between the digits of one number: any space, dots, dashes, slashes,
# colons, and characters that show nothing (zero-width space, joiners, soft hyphen, BOM).
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")
_MARKS = frozenset(".-\u2010\u2011\u2012\u2013\u2014\u2212:/_,")
_MAX_GAP = 3  # separator characters between two groups of one number
_LENGTH = 11


def _digit(char: str) -> str | None:
    """The ASCII digit a character shows (`5`, `⁵`, `٥`, `５`), or None."""
    if "0" <= char <= "9":
        return char
    if char.isascii():
        return None
    value = unicodedata.digit(char, None)
    return None if value is None else str(value)


def _separator(char: str) -> bool:
    return char.isspace() or char in _MARKS or char in _INVISIBLE


def compact(value: str) -> str:
    """The digits of a number as written (`15 87 65 10089`, `158765-10089`, `¹⁵…`), other
    characters kept, so a letter still makes the number invalid."""
    out = []
    for char in str(value):
        digit = _digit(char)
        if digit is not None:
            out.append(digit)
        elif not _separator(char):
            out.append(char)
    return "".join(out)


def find(text: str, *, today: dt.date | None = None) -> list[tuple[int, int]]:
    """Where `text` holds a fødselsnummer, as (start, end) spans, however it is written.

    A candidate is a run of groups of digits with at most a few separators between them,
    whose groups (together, from a group's start to a group's end) make exactly 11 digits.
    Eleven digits written as one group, or as 6 + 5, always count (they look like one). Other
    groupings count when the control digits are right and the date part is a date (D-, H-
    and test numbers too). With `today`, only numbers that pass `check` count: the readers
    refuse those outside their field; redaction (no `today`) masks every plausible one.
    """
    spans: list[tuple[int, int]] = []
    # Most text holds fewer than 11 digits (any digit `_digit` reads is one str.isdigit
    # counts: the same Unicode property), and then no number: counted in C, not looked for.
    if sum(map(str.isdigit, text)) < _LENGTH:
        return spans
    for run in _runs(text):
        index = 0
        while index < len(run):
            found = _number_at(run, index, today)
            if found is None:
                index += 1
                continue
            spans.append((run[index][0], run[found][1]))
            index = found + 1
    return spans


_Group = tuple[int, int, str]  # (start, end, digits) of digits written together


def _runs(text: str) -> Iterator[list[_Group]]:
    """Runs of digit groups: [(start, end, digits), ...] per run."""
    run: list[_Group] = []
    i, size = 0, len(text)
    gap_start = -1
    while i < size:
        if _digit(text[i]) is None:
            if run and _separator(text[i]):
                if gap_start < 0:
                    gap_start = i
                if i - gap_start + 1 > _MAX_GAP:
                    yield run
                    run, gap_start = [], -1
                i += 1
                continue
            if run:
                yield run
            run, gap_start = [], -1
            i += 1
            continue
        start, digits = i, []
        while i < size and (digit := _digit(text[i])) is not None:
            digits.append(digit)
            i += 1
        run.append((start, i, "".join(digits)))
        gap_start = -1
    if run:
        yield run


def _number_at(run: list[_Group], first: int, today: dt.date | None) -> int | None:
    """The last group of a number starting at group `first`, or None."""
    digits = ""
    for last in range(first, len(run)):
        digits += run[last][2]
        if len(digits) > _LENGTH:
            return None
        if len(digits) == _LENGTH:
            if today is not None:
                try:
                    check(digits, today=today)
                except InvalidNumber:
                    return None
                return last
            if last == first or (last == first + 1 and len(run[first][2]) == 6):
                return last  # written as one number: masked whatever its digits
            return last if plausible(digits) else None
    return None


def plausible(digits: str) -> bool:
    """11 digits with right control digits (classic or the 2032 rule) and a date part that
    could be a birth date, a D-, H- or test number's, or an FH-number. No century check."""
    if (
        len(digits) != _LENGTH
        or not digits.isdigit()
        or digits[10] != _stdnum.calc_check_digit2(digits[:10])
    ):
        return False
    remainder = (
        sum(w * int(d) for w, d in zip(_K1_WEIGHTS, digits[:9], strict=True)) + int(digits[9])
    ) % 11
    if remainder not in (0, 1, 2, 3):
        return False
    if digits[0] in "89":  # FH-number: no date in it
        return True
    day, month = int(digits[0:2]), int(digits[2:4])
    day = day - 40 if day > 40 else day
    return 1 <= day <= 31 and any(1 <= month - shift <= 12 for shift in (0, 40, 65, 80))


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
