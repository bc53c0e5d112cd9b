"""The PDF check (pdfcheck.py) that signed scans and the archive share: one wording for a
locked, damaged, cut-short or empty PDF."""

from __future__ import annotations

import pikepdf
import pytest

from ipdocs import pdfcheck
from ipdocs.errors import InputError


def pdf(path, *, pages=1, encrypt=False):
    doc = pikepdf.new()
    for _ in range(pages):
        doc.add_blank_page()
    if encrypt:
        doc.save(path, encryption=pikepdf.Encryption(owner="eier", user="bruker"))
    else:
        doc.save(path)
    return path


def refusal(path, **kwargs) -> str:
    with pytest.raises(InputError) as info:
        pdfcheck.open_checked(path, **kwargs)
    return str(info.value)


def test_a_good_pdf_opens(tmp_path):
    with pdfcheck.open_checked(pdf(tmp_path / "a.pdf", pages=2)) as opened:
        assert len(opened.pages) == 2


def test_each_fault_in_one_wording(tmp_path):
    whole = pdf(tmp_path / "whole.pdf", pages=3).read_bytes()
    (tmp_path / "cut.pdf").write_bytes(whole[: len(whole) // 2])
    (tmp_path / "junk.pdf").write_bytes(b"%PDF-1.7\nikke en pdf")
    assert "filen: er låst med passord eller kryptert" in refusal(
        pdf(tmp_path / "locked.pdf", encrypt=True)
    )
    assert "filen: er skadet eller ikke ferdig kopiert" in refusal(tmp_path / "cut.pdf")
    assert "filen: er skadet eller ikke ferdig kopiert" in refusal(tmp_path / "junk.pdf")
    assert "filen: har ingen sider." in refusal(pdf(tmp_path / "empty.pdf", pages=0))
    assert "kan ikke leses" in refusal(tmp_path / "missing.pdf")


def test_the_archive_names_the_file_and_what_to_do_next(tmp_path):
    text = refusal(
        pdf(tmp_path / "x.pdf", encrypt=True), where="filen «x.pdf»", then="Lag arkivet på nytt."
    )
    assert text.startswith("filen «x.pdf»: er låst med passord eller kryptert")
    assert text.endswith("uten passord. Lag arkivet på nytt.")
