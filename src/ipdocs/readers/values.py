"""Parsing single values the way coordinators write them: dates, times, yes/no, lists.

Each parser returns the value or raises ValueError with a Norwegian explanation and a fix.
"""

from __future__ import annotations

import datetime as dt
import re

# Day first, as Norwegians write: 03.12.2026, 3.12.26, 3/12/2026, 3-12-2026; and ISO 2026-12-03.
_NO_DATE = re.compile(r"^(\d{1,2})\s*([./-])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})$")
_ISO_DATE = re.compile(r"^(\d{4})\s*([-./])\s*(\d{1,2})\s*\2\s*(\d{1,2})$")
# «15. desember 2026», «15. des. 2026», «15 des 2026», «mandag 15. desember 2026».
_NAMED_DATE = re.compile(
    r"^(?:[a-zæøå]+dag,?\s+)?(\d{1,2})\.?\s*([a-zæøå]+)\.?,?\s*(\d{4})$", re.IGNORECASE
)
# A day and a month without a year: which year is meant cannot be known.
_NO_YEAR = re.compile(r"^(\d{1,2})(?:\s*[./-]\s*\d{1,2}|\.?\s*[a-zæøå]+\.?)[./]?$", re.IGNORECASE)
_TIME = re.compile(
    r"^(?:kl\.?\s*)?(\d{1,2})(?:[:.](\d{2})(?:[:.]\d{2})?)?(?:\s*(?:kl\.?|klokken))?$",
    re.IGNORECASE,
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("januar", "jan"),
            ("februar", "feb", "febr"),
            ("mars", "mar"),
            ("april", "apr"),
            ("mai",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt"),
            ("november", "nov"),
            ("desember", "des"),
        ),
        start=1,
    )
    for name in names
}
# A two-digit year as Excel reads one: 00-29 are 2000-2029, 30-99 are 1930-1999.
_PIVOT = 30

DATE_HELP = "Skriv datoen som 03.12.2026, 3. desember 2026, 3/12/2026 eller 2026-12-03."
TIME_HELP = "Skriv klokkeslettet som 09:00, 09.00, kl. 9 eller kl. 09.00."

_TRUE = {"true", "ja", "yes", "j", "x", "1", "sann", "on"}
_FALSE = {"false", "nei", "no", "n", "0", "", "usann", "off"}

# Excel keeps a time of day as a date-time on its first day (30.12.1899, or 1.1.1904 on old
# Macs); a date-time after these years has a real date in it.
_LAST_EPOCH_YEAR = 1904


def _has_real_date(value: dt.datetime) -> bool:
    return value.year > _LAST_EPOCH_YEAR


def _one_value(value: object, what: str) -> None:
    """Refuse fields, a list or yes/no where one date or time should be."""
    if isinstance(value, dict):
        raise ValueError(f"Her skal det stå {what}, men det står flere felt.")
    if isinstance(value, list | tuple | set):
        raise ValueError(f"Her skal det stå {what}, men det står en liste.")
    if isinstance(value, bool):
        raise ValueError(f"Her skal det stå {what}, men det står ja/nei.")


def parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):  # an Excel date cell
        if not _has_real_date(value):
            raise ValueError(
                f"«{value:%H:%M}» er et klokkeslett, ikke en dato (cellen er formatert som tid)."
            )
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, dt.time):
        raise ValueError(f"«{value:%H:%M}» er et klokkeslett, ikke en dato.")
    _one_value(value, "én dato")
    text = str(value).strip()
    found = _date_parts(text)
    if found is None:
        if _NO_YEAR.match(text):
            raise ValueError(f"«{text}» mangler året.")
        raise ValueError(f"«{text}» er ikke en dato jeg kjenner igjen.")
    y, mo, d = found
    try:
        return dt.date(y, mo, d)
    except ValueError:
        if 12 < mo <= 31 and d <= 12 and not _ISO_DATE.match(text):
            raise ValueError(
                f"«{text}» er ikke en dato som finnes. Datoen skrives med dagen først: "
                f"mente du {mo:02d}.{d:02d}.{y}?"
            ) from None
        raise ValueError(f"«{text}» er ikke en dato som finnes.") from None


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """(year, month, day) of a date as written, or None for a form that is not a date."""
    m = _ISO_DATE.match(text)
    if m:
        return int(m.group(1)), int(m.group(3)), int(m.group(4))
    m = _NO_DATE.match(text)
    if m:
        return _year(m.group(4)), int(m.group(3)), int(m.group(1))
    m = _NAMED_DATE.match(text)
    if m and m.group(2).casefold() in _MONTHS:
        return int(m.group(3)), _MONTHS[m.group(2).casefold()], int(m.group(1))
    return None


def _year(digits: str) -> int:
    year = int(digits)
    if len(digits) == 2:
        year += 2000 if year < _PIVOT else 1900
    return year


def parse_time(value: object) -> dt.time:
    if isinstance(value, dt.datetime):  # an Excel time cell, kept on Excel's first day
        if _has_real_date(value) and value.time() == dt.time(0):
            # A date cell: reading it as 00:00 would silently put the meeting at midnight.
            raise ValueError(f"«{value:%d.%m.%Y}» er en dato, ikke et klokkeslett.")
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):  # an Excel time cell
        return value.replace(second=0, microsecond=0)
    if isinstance(value, dt.date):
        raise ValueError(f"«{value:%d.%m.%Y}» er en dato, ikke et klokkeslett.")
    _one_value(value, "ett klokkeslett")
    if isinstance(value, float | int) and not isinstance(value, bool) and 0 <= value < 1:
        minutes = round(value * 24 * 60)  # an Excel time stored as a fraction of a day
        return dt.time(minutes // 60, minutes % 60)
    text = str(value).strip()
    m = _TIME.match(text)
    if m:
        hour, minute = int(m.group(1)), int(m.group(2) or 0)
        if hour < 24 and minute < 60:
            return dt.time(hour, minute)
    raise ValueError(f"«{text}» er ikke et klokkeslett jeg kjenner igjen.")


def parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, dict | list | tuple | set):
        raise ValueError("Her skal det stå ja eller nei, men det står flere verdier.")
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"«{value}» er verken ja eller nei.")


def split_list(value: str | int | float | None) -> list[str]:
    """One text (a cell) with items separated by `;` or line breaks.

    Only text: a list in the input is checked item by item where it is read (mapping), so
    fields or a list inside it are refused, never printed as Python's text for them.
    """
    if value is None:
        return []
    return [part.strip() for part in re.split(r"[;\n\r]+", str(value)) if part.strip()]


_PARTICIPANT = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


def split_participant(text: str) -> tuple[str, str]:
    """`Per Olsen (Fastlege)` → ("Per Olsen", "Fastlege")."""
    m = _PARTICIPANT.match(text.strip())
    if m:
        return m.group(1).strip(), m.group(2).strip()
    return text.strip(), ""
