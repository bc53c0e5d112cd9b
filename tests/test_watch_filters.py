"""Names the watcher leaves alone, and lock files that mean "still open, wait"."""

from __future__ import annotations

from pathlib import PurePath

import pytest

from ipdocs.watch.filters import is_ignored, is_locked


@pytest.mark.parametrize(
    "name",
    [
        ".DS_Store",
        "Thumbs.db",
        "desktop.ini",
        "DESKTOP.INI",
        "kopi.tmp",
        "film.part",
        "nedlasting.crdownload",
        ".skjult.yaml",
        "~$referat.xlsx",
        ".~lock.referat.xlsx#",
        "notat.yaml~",
    ],
)
def test_left_alone(name):
    assert is_ignored(name)


@pytest.mark.parametrize(
    "name", ["referat.yaml", "IP-1_samtykke.pdf", "bok.xlsx", "uten-endelse", "Møte~plan.yaml"]
)
def test_taken(name):
    assert not is_ignored(name)


@pytest.mark.parametrize(
    ("name", "siblings", "locked"),
    [
        ("bok.xlsx", ["~$bok.xlsx"], True),  # Excel
        ("Bok.XLSX", ["~$bok.xlsx"], True),  # Windows names ignore case
        ("Dokument.docx", ["~$kument.docx"], True),  # Word drops the first two characters
        ("referat.xlsx", [".~lock.referat.xlsx#"], True),  # LibreOffice
        ("bok.xlsx", ["~$annen.xlsx", ".~lock.annen.xlsx#"], False),
        ("storbok.xlsx", ["~$bok.xlsx"], False),  # more than two characters differ
        ("bok.xlsx", [], False),
    ],
)
def test_lock_files_hold_their_file(name, siblings, locked):
    assert is_locked(PurePath("/inbox") / name, [name, *siblings]) is locked
