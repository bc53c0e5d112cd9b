"""Publishing: atomic replace, nothing left half-written, never outside the outbox."""

from __future__ import annotations

import os

import pytest

from ipdocs.errors import IpdocsError
from ipdocs.publish import case_folder, publish


def test_publish_replaces_the_old_file_and_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "IP-1" / "2026-12-03_innkalling.docx"
    publish(b"first", target)
    publish(b"second", target)
    assert target.read_bytes() == b"second"
    assert os.listdir(target.parent) == [target.name]


def test_a_failed_write_keeps_the_old_file(tmp_path, monkeypatch):
    target = tmp_path / "doc.docx"
    publish(b"old", target)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        publish(b"new", target)
    assert target.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["doc.docx"]


@pytest.mark.parametrize("case", ["..", "../x", "a/b", "/etc"])
def test_case_folder_stays_inside_the_outbox(tmp_path, case):
    with pytest.raises(IpdocsError):
        case_folder(tmp_path, case)


def test_case_folder(tmp_path):
    assert case_folder(tmp_path, "IP-2026-0042") == (tmp_path / "IP-2026-0042").resolve()
