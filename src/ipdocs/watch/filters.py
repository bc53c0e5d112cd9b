"""Which names in the inbox are work, which are left alone, and which mean "still open, wait".

Left alone, never moved or read: dotfiles (`.DS_Store`, `.~lock.navn#`), Office owner files
(`~$navn.xlsx`), `Thumbs.db`, `desktop.ini` and half-written downloads or copies (`*.tmp`,
`*.part`, …). An editor's lock file beside a file means that file is still open: wait.
"""

from __future__ import annotations

from pathlib import PurePath

_SYSTEM_NAMES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", "icon\r"})
_TEMPORARY_SUFFIXES = (".tmp", ".temp", ".part", ".partial", ".crdownload", ".download", ".swp")

_LIBREOFFICE_LOCK = (".~lock.", "#")  # .~lock.navn.xlsx#
_OFFICE_OWNER = "~$"  # ~$navn.xlsx (Word may drop the first characters of a long name)


def is_ignored(name: str) -> bool:
    """A name ipdocs never touches: hidden, system, lock or temporary files."""
    lower = name.lower()
    return (
        lower.startswith((".", _OFFICE_OWNER))
        or lower in _SYSTEM_NAMES
        or lower.endswith(_TEMPORARY_SUFFIXES)
        or lower.endswith("~")
    )


def locked_names(names: list[str] | set[str]) -> tuple[set[str], set[str]]:
    """From a folder's names: (exact names held open, tails of names held open by Office)."""
    exact: set[str] = set()
    tails: set[str] = set()
    start, end = _LIBREOFFICE_LOCK
    for name in names:
        lower = name.lower()
        if lower.startswith(start) and lower.endswith(end) and len(lower) > len(start) + 1:
            exact.add(lower[len(start) : -len(end)])
        elif lower.startswith(_OFFICE_OWNER) and len(lower) > len(_OFFICE_OWNER):
            tails.add(lower[len(_OFFICE_OWNER) :])
    return exact, tails


def is_locked(path: PurePath, sibling_names: list[str] | set[str]) -> bool:
    """Whether an editor's lock file among the siblings says `path` is open right now."""
    exact, tails = locked_names(sibling_names)
    name = path.name.lower()
    if name in exact:
        return True
    # Excel keeps the whole name (~$navn.xlsx); Word replaces the first one or two characters
    # of a long one (~$kument.docx for Dokument.docx).
    return any(name.endswith(tail) and len(name) - len(tail) <= 2 for tail in tails)
