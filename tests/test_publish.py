"""Publishing: atomic replace, nothing left half-written, never outside the outbox."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from conftest import ROOT

from ipdocs import publish as publish_module
from ipdocs.errors import IpdocsError
from ipdocs.publish import case_folder, publish, writing


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


def test_writing_puts_the_file_in_place_only_when_the_block_ends_well(tmp_path):
    target = tmp_path / "IP-1" / "arkiv" / "bundle.pdf"
    with writing(target) as f:
        f.write(b"part one, ")
        assert not target.exists()  # a reader never sees half a file
        f.write(b"part two")
    assert target.read_bytes() == b"part one, part two"
    assert os.listdir(target.parent) == [target.name]


def test_writing_that_fails_leaves_the_old_file_and_no_new_folder(tmp_path):
    old = tmp_path / "IP-1" / "arkiv" / "bundle.pdf"
    publish(b"old bundle", old)
    with pytest.raises(ValueError), writing(old) as f:
        f.write(b"half a new")
        raise ValueError("a source went bad")
    assert old.read_bytes() == b"old bundle"
    assert os.listdir(old.parent) == [old.name]

    fresh = tmp_path / "IP-2" / "arkiv" / "bundle.pdf"
    (tmp_path / "IP-2").mkdir()
    with pytest.raises(ValueError), writing(fresh) as f:
        raise ValueError("a source went bad")
    assert os.listdir(tmp_path / "IP-2") == []  # the folder it made is gone again


@pytest.mark.parametrize("case", ["..", "../x", "a/b", "/etc"])
def test_case_folder_stays_inside_the_outbox(tmp_path, case):
    with pytest.raises(IpdocsError):
        case_folder(tmp_path, case)


def test_case_folder(tmp_path):
    assert case_folder(tmp_path, "IP-2026-0042") == (tmp_path / "IP-2026-0042").resolve()


_PUBLISH_UNDER_UMASK = """
import os, sys
os.umask(int(sys.argv[1], 8))  # as a shell or systemd's UMask= sets it before ipdocs starts
from pathlib import Path
from ipdocs.publish import publish
folder = Path(sys.argv[2])
publish(b"document", folder / "2026-12-03_innkalling.docx")
publish(b"scan", folder / "signert" / "samtykke.pdf", exclusive=True)
publish(b"report", folder / "feil" / "innkalling.yaml.feil.txt", sync=False)
"""


@pytest.mark.parametrize(
    ("umask", "mode"),
    [(0o022, 0o644), (0o007, 0o660), (0o077, 0o600)],
    ids=["umask 022", "umask 007 (the service)", "umask 077"],
)
def test_published_files_get_the_mode_the_umask_gives(tmp_path, umask, mode):
    """Review finding: mkstemp makes 0600 and the rename kept it, so with the service's
    UMask=0007 the coordinators in the group could not open a single document or report."""
    subprocess.run(
        [sys.executable, "-c", _PUBLISH_UNDER_UMASK, oct(umask), str(tmp_path)],
        env=dict(os.environ, PYTHONPATH=str(ROOT / "src")),
        check=True,
    )
    published = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(published) == 3
    for path in published:
        assert stat.S_IMODE(path.stat().st_mode) == mode, path.name


def test_the_umask_is_read_without_proc_too(monkeypatch):
    def no_proc(*args, **kwargs):
        raise FileNotFoundError("/proc/self/status")

    monkeypatch.setattr(publish_module, "open", no_proc, raising=False)
    old = os.umask(0o027)
    try:
        assert publish_module._read_umask() == 0o027
        assert os.umask(0o027) == 0o027  # and left as it was
    finally:
        os.umask(old)
