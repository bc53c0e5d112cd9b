"""Electronically signed PDFs: filed byte for byte, archived beside the bundle unchanged, and
in the bundle without the signature (signatures.py, bundle.py, archive.py).

The PDF is signed with pyHanko by a certificate authority the test makes (cryptography), and
the original is validated against it after archiving."""

from __future__ import annotations

import hashlib
import json
import subprocess
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from conftest import DATA, require_program
from pdfs import CASE, certificates, render, sign, text_pdf

from ipdocs import signatures
from ipdocs.archive import make_archive
from ipdocs.ledger import Ledger
from ipdocs.pipeline import process_file

pyhanko_sign = pytest.importorskip("pyhanko.sign")


def _validate(path: Path, ca: Path):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    with open(path, "rb") as f:
        (embedded,) = PdfFileReader(f).embedded_signatures
        context = ValidationContext(trust_roots=[load_cert_from_pemder(str(ca))])
        return validate_pdf_signature(embedded, context)


def test_a_signed_pdf_is_kept_whole_and_beside_the_bundle(tmp_path, settings):
    require_program("pdftotext")
    render(settings, DATA / "formats_samtykke.yaml")
    ca, cert, key = certificates(tmp_path)
    unsigned = text_pdf(tmp_path / "samtykke.pdf", ["Samtykke, signert med BankID", "Side 2"])
    signed = sign(unsigned, tmp_path / f"{CASE}_samtykke_signert.pdf", ca, cert, key)
    signed_bytes = signed.read_bytes()
    with pikepdf.open(signed) as pdf:
        assert signatures.is_signed(pdf)
    with pikepdf.open(unsigned) as pdf:
        assert not signatures.is_signed(pdf)

    with Ledger.for_outbox(settings.outbox) as ledger:
        result = process_file(signed, settings, ledger=ledger)
    [filed] = result.documents
    assert filed.read_bytes() == signed_bytes  # filed byte for byte

    archive = make_archive(settings, CASE, "avslutning")
    _original_kept_and_valid(archive, filed, signed_bytes, ca)

    with pikepdf.open(archive.path) as bundle:
        assert _without_signatures(bundle)
    index = _page_text(archive.path, 2)
    assert "Samtykke (signert) – Signert elektronisk; originalen ligger ved" in index
    manifest = json.loads(archive.manifest.read_text())
    [entry] = [d for d in manifest["dokumenter"] if d.get("signert_elektronisk")]
    assert entry["original"] == f"{archive.path.stem}.originaler/{filed.name}"
    assert entry["original_sha256"] == hashlib.sha256(signed_bytes).hexdigest()
    assert entry["sider"] == 2


def _without_signatures(bundle: pikepdf.Pdf) -> bool:
    """No signature field, widget or permission left in the bundle."""
    form = bundle.Root.get("/AcroForm")
    if form is not None and any(f.get("/FT") == "/Sig" for f in form.get("/Fields", [])):
        return False
    if "/Perms" in bundle.Root:
        return False
    for page in bundle.pages:
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") == "/Widget":
                return False
    return True


@pytest.mark.parametrize("embedded", [True, False], ids=["pdfa-ready", "fonts-not-embedded"])
def test_pdfa_keeps_a_signed_original_beside_the_bundle(tmp_path, settings, embedded):
    """--pdfa with another document that must be converted (a scan whose fonts are not
    embedded): the signed PDF still counts as signed. Its original lies beside the bundle and
    validates, the index says so, and the manifest lists it; when it is PDF/A-ready as it is,
    it is not converted (its signature fields are not carried into the bundle anyway)."""
    require_program("pdftotext")
    require_program("gs")
    import datetime as dt

    from pdfs import file_signed

    render(settings, DATA / "formats_samtykke.yaml")
    file_signed(
        settings,
        f"{CASE}_fullmakt_signert.pdf",
        "fullmakt",
        dt.date(2026, 12, 3),
        lambda p: text_pdf(p, ["Fullmakt fra et annet program"], embedded=False),
    )
    ca, cert, key = certificates(tmp_path)
    unsigned = text_pdf(
        tmp_path / "samtykke.pdf", ["Samtykke, signert med BankID"], embedded=embedded
    )
    signed = sign(unsigned, tmp_path / f"{CASE}_samtykke_signert.pdf", ca, cert, key)
    signed_bytes = signed.read_bytes()
    with Ledger.for_outbox(settings.outbox) as ledger:
        [filed] = process_file(signed, settings, ledger=ledger).documents

    archive = make_archive(settings, CASE, "avslutning", pdfa=True)
    _original_kept_and_valid(archive, filed, signed_bytes, ca)
    with pikepdf.open(archive.path) as bundle:
        assert _without_signatures(bundle)
        assert pikepdf.pdfa.check(bundle, "2b").verdict == "pass"
    index = _page_text(archive.path, 2)
    assert "Signert elektronisk; originalen ligger ved" in index
    documents = json.loads(archive.manifest.read_text())["dokumenter"]
    [entry] = [d for d in documents if d["kilde"] == filed.name]
    assert entry.get("signert_elektronisk") is True
    assert entry["original_sha256"] == hashlib.sha256(signed_bytes).hexdigest()
    assert ("konvertert" in entry) is not embedded
    [fullmakt] = [d for d in documents if d["dokument"] == "fullmakt"]
    assert "konvertert" in fullmakt


def _page_text(path, number: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(number), "-l", str(number), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def _original_kept_and_valid(archive, filed, signed_bytes: bytes, ca) -> None:
    """The signed original lies beside the bundle byte for byte, and its signature holds."""
    original = archive.path.parent / f"{archive.path.stem}.originaler" / filed.name
    assert original.read_bytes() == signed_bytes
    status = _validate(original, ca)
    assert status.intact and status.valid and status.trusted, status.pretty_print_details()
