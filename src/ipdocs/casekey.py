"""The case key (`sak`): what it may be, checked in one place with one set of messages.

A case key becomes the folder outbox/<sak>, so it must be a safe folder name everywhere the
outbox may live (a Windows share too), and it must never be a fødselsnummer. The readers
(`sak:` in an input), signed scans (the name or the `signert/<sak>/` folder) and `ipdocs
archive SAK` all ask `problem`.
"""

from __future__ import annotations

import re

from . import fnr
from .errors import Problem

# What a sak may be, as it becomes the folder outbox/<sak>: letters of any alphabet (Sámi,
# Kven, …), digits, - and _: `\w` without the combining marks, which NFC folds into their
# letters first. Not a name Windows keeps for a device (CON, COM1, …): outbox/<sak> is often
# a Windows share. `\Z`, not `$`: no trailing newline.
_RESERVED = r"(?:con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])"
RESERVED_NAME = re.compile(rf"^{_RESERVED}\Z", re.IGNORECASE)
SAK_PATTERN = re.compile(rf"^(?!{_RESERVED}\Z)[\w-]{{1,40}}\Z", re.IGNORECASE)

_EXAMPLE = "Bruk saksnummeret, for eksempel IP-2026-0042."


def looks_like_identity_number(case: str) -> bool:
    """Whether the case key carries something that looks like a fødselsnummer: 11 digits
    however grouped, or one written any way fnr.find knows (`15-87-65-10089`)."""
    return bool(fnr.find(case)) or re.search(r"\d{11}", re.sub(r"[-_\s]", "", case)) is not None


def problem(case: str, *, where: str) -> Problem | None:
    """What is wrong with `case` as a case key (NFC-normalised by the caller), or None."""
    if looks_like_identity_number(case):
        return Problem(
            where,
            "Saksnøkkelen ser ut som et fødselsnummer. Den blir navnet på en mappe og kan ikke "
            "inneholde fødselsnummer.",
            "Bruk saksnummeret, for eksempel IP-2026-0042, aldri et fødselsnummer.",
        )
    if RESERVED_NAME.match(case):
        return Problem(
            where,
            f"«{case}» kan ikke brukes som saksnøkkel. Saksnøkkelen blir navnet på en mappe, og "
            "Windows bruker dette navnet til noe annet.",
            _EXAMPLE,
        )
    if not SAK_PATTERN.match(case):
        return Problem(
            where,
            f"«{case}» kan ikke brukes som saksnøkkel.",
            "Bruk bare bokstaver, tall, - og _ (ingen mellomrom eller punktum), høyst 40 tegn. "
            "For eksempel IP-2026-0042.",
        )
    return None
