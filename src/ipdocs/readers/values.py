"""Parsing single values the way coordinators write them: dates, times, yes/no, lists.

Each parser returns the value or raises ValueError with a Norwegian explanation and a fix.
"""

from __future__ import annotations

import datetime as dt
import re

_NO_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^(?:kl\.?\s*)?(\d{1,2})(?:[:.](\d{2}))?$", re.IGNORECASE)

DATE_HELP = "Skriv datoen som 03.12.2026 eller 2026-12-03."
TIME_HELP = "Skriv klokkeslettet som 09:00, 09.00 eller kl. 09.00."

_TRUE = {"true", "ja", "yes", "j", "x", "1", "sann"}
_FALSE = {"false", "nei", "no", "n", "0", "", "usann"}


def parse_date(value: object) -> dt.date:
    if isinstance(value, dt.datetime):  # an Excel date cell
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    for pattern, order in ((_NO_DATE, (3, 2, 1)), (_ISO_DATE, (1, 2, 3))):
        m = pattern.match(text)
        if m:
            y, mo, d = (int(m.group(i)) for i in order)
            try:
                return dt.date(y, mo, d)
            except ValueError:
                raise ValueError(f"«{text}» er ikke en dato som finnes.") from None
    raise ValueError(f"«{text}» er ikke en dato jeg kjenner igjen.")


def parse_time(value: object) -> dt.time:
    if isinstance(value, dt.datetime):
        return value.time().replace(second=0, microsecond=0)
    if isinstance(value, dt.time):  # an Excel time cell
        return value.replace(second=0, microsecond=0)
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
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"«{value}» er verken ja eller nei.")


def split_list(value: object) -> list[str]:
    """A list, or a cell with items separated by `;` or line breaks."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [part.strip() for part in re.split(r"[;\n\r]+", str(value)) if part.strip()]


_PARTICIPANT = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$")


def split_participant(text: str) -> tuple[str, str]:
    """`Per Olsen (Fastlege)` → ("Per Olsen", "Fastlege")."""
    m = _PARTICIPANT.match(text.strip())
    if m:
        return m.group(1).strip(), m.group(2).strip()
    return text.strip(), ""
