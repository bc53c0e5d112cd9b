"""The inbox's layout, and moving files without ever replacing one."""

from __future__ import annotations

import os
from pathlib import PurePath

from ipdocs.watch.folders import Folders, place


def test_place_never_replaces_a_file(tmp_path):
    done = tmp_path / "ferdig"
    done.mkdir()
    (done / "referat.yaml").write_text("first")
    (done / "referat (2).yaml").write_text("second")
    src = tmp_path / "referat.yaml"
    src.write_text("third")
    target = place(src, done, PurePath("referat.yaml"))
    assert target == done / "referat (3).yaml" and target.read_text() == "third"
    assert not src.exists()
    assert (done / "referat.yaml").read_text() == "first"


def test_place_keeps_the_source_until_told_and_recognises_its_own_link(tmp_path):
    src = tmp_path / "a.yaml"
    src.write_text("x")
    target = place(src, tmp_path / "feil", PurePath("signert/IP-1/a.yaml"), keep_source=True)
    assert target == tmp_path / "feil" / "signert" / "IP-1" / "a.yaml"
    assert src.exists() and os.path.samefile(src, target)
    # A run stopped between link and unlink: the next run reuses the link, no second copy.
    again = place(src, tmp_path / "feil", PurePath("signert/IP-1/a.yaml"))
    assert again == target and not src.exists()
    assert [p.name for p in target.parent.iterdir()] == ["a.yaml"]


def test_where_inputs_are_taken_from(tmp_path):
    folders = Folders(tmp_path)
    rel = folders.relative
    assert rel(tmp_path / "a.yaml") == PurePath("a.yaml")
    assert rel(tmp_path / "signert" / "IP-1" / "a.pdf") == PurePath("signert/IP-1/a.pdf")
    assert rel(tmp_path / "Signert" / "IP-1_samtykke.pdf") == PurePath("Signert/IP-1_samtykke.pdf")
    for outside in (
        tmp_path / "ferdig" / "a.yaml",
        tmp_path / "feil" / "a.yaml",
        tmp_path / ".ipdocs-arbeid" / "x" / "innboks" / "a.yaml",
        tmp_path / "Møter" / "a.yaml",
        tmp_path / "signert" / "IP-1" / "dypere" / "a.pdf",
        tmp_path / "~$a.xlsx",
        tmp_path.parent / "a.yaml",
    ):
        assert rel(outside) is None, outside


def test_candidates_and_foreign_folders(tmp_path):
    folders = Folders(tmp_path)
    folders.ensure()
    for name in ("a.yaml", ".DS_Store", "x.tmp", "ferdig/b.yaml", "Møter/c.yaml"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x")
    (tmp_path / "signert" / "IP-1").mkdir(parents=True)
    (tmp_path / "signert" / "IP-1" / "s.pdf").write_text("x")
    (tmp_path / "signert" / "IP-2_fullmakt.pdf").write_text("x")
    (tmp_path / "lenke.yaml").symlink_to(tmp_path / "a.yaml")
    found = {p.relative_to(tmp_path).as_posix() for p in folders.candidates()}
    assert found == {"a.yaml", "lenke.yaml", "signert/IP-1/s.pdf", "signert/IP-2_fullmakt.pdf"}
    assert folders.foreign_folders() == [tmp_path / "Møter"]
