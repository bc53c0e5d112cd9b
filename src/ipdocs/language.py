"""How dates, times and lists are written in Norwegian documents (DOMAIN.md §7).

Dates 03.12.2026 in tables and references, «23. november 2026» in a letter's running text; times kl. 09.00; ranges with an en dash (kl. 09.00–10.30); weekday and month
names from Babel's CLDR data, which knows bokmål (tirsdag) and nynorsk (tysdag) apart.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from babel.dates import format_date as _babel_date
from babel.lists import format_list as _babel_list


def date(value: dt.date) -> str:
    return value.strftime("%d.%m.%Y")


def letter_date(value: dt.date, language: str) -> str:
    """`23. november 2026`: how a letter writes a date in its text."""
    return _babel_date(value, "d. MMMM y", locale=language)


def long_date(value: dt.date, language: str) -> str:
    """`tirsdag 3. desember 2026` (nb), `tysdag 3. desember 2026` (nn)."""
    return _babel_date(value, "EEEE d. MMMM y", locale=language)


def time(value: dt.time) -> str:
    return value.strftime("%H.%M")


def time_range(start: dt.time, end: dt.time | None) -> str:
    if end is None:
        return f"kl. {time(start)}"
    return f"kl. {time(start)}–{time(end)}"


def join(items: Iterable[str], language: str) -> str:
    """`a, b og c`."""
    items = [i for i in items if i]
    return _babel_list(items, locale=language) if items else ""


def definite(word: str) -> str:
    """The definite form of a coordinator's word: koordinator → koordinatoren,
    stafettholder → stafettholderen, kontaktperson → kontaktpersonen (the same in nb and nn)."""
    return word + ("n" if word.endswith("e") else "en")
