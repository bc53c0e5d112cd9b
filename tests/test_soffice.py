"""LibreOffice driving: a document it hangs on is refused alone, the rest still convert.

A stand-in `soffice` (a small script first on PATH) hangs on documents named *heng*, so the
hang is real (a process that never ends) but takes a second, not a minute.
"""

from __future__ import annotations

import os
import sys
import textwrap

import pytest

from ipdocs._exec import soffice
from ipdocs.errors import ConversionError

FAKE = textwrap.dedent(
    """\
    #!{python}
    import pathlib, sys, time
    args = sys.argv[1:]
    out = pathlib.Path(args[args.index("--outdir") + 1])
    for name in [a for a in args if a.endswith(".docx")]:
        doc = pathlib.Path(name)
        if "heng" in doc.stem:
            time.sleep(600)
        if "feil" in doc.stem:
            continue
        (out / (doc.stem + ".pdf")).write_bytes(b"%PDF-1.4 " + doc.read_bytes())
    """
)


@pytest.fixture
def fake_soffice(tmp_path, monkeypatch):
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "soffice"
    program.write_text(FAKE.format(python=sys.executable), encoding="utf-8")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    return program


def documents(tmp_path, *names):
    paths = []
    for name in names:
        path = tmp_path / f"{name}.docx"
        path.write_bytes(name.encode())
        paths.append(path)
    return paths


def test_a_hang_refuses_that_document_only(tmp_path, fake_soffice):
    docs = documents(tmp_path, "a", "b_heng", "c", "d_feil", "e")
    seen = []
    made, failed = soffice.convert_to_pdf(docs, timeout=1, on_done=seen.append)
    assert sorted(p.name for p in made) == ["a.docx", "c.docx", "e.docx"]
    assert made[docs[2]].read_bytes() == b"%PDF-1.4 c"  # beside its document
    assert "stoppet opp" in failed[docs[1]] and "1 sekunder" in failed[docs[1]]
    assert "klarte ikke" in failed[docs[3]]
    assert not (tmp_path / "b_heng.pdf").exists()
    assert set(seen) >= {docs[0], docs[2], docs[4]}


def test_same_named_documents_from_different_cases(tmp_path, fake_soffice):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    first = documents(tmp_path / "x", "innkalling")[0]
    second = documents(tmp_path / "y", "innkalling")[0]
    made, failed = soffice.convert_to_pdf([first, second], timeout=5)
    assert failed == {} and made[second].parent == tmp_path / "y"


def test_no_libreoffice_is_a_clear_message(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ConversionError, match="apt-get install libreoffice-writer"):
        soffice.find_soffice()
