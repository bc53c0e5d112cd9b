"""Small PDFs for the archive tests, made on the spot: text documents with an embedded font (and
their own bookmarks when asked), image-only "scans", and the broken ones (truncated, encrypted,
with JavaScript, with a font that is not embedded), and PDFs signed with pyHanko by a test
certificate authority."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pikepdf
import reportlab
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from PIL import Image, ImageDraw
from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

LETTER = letter
FONT = "TestVera"
pdfmetrics.registerFont(TTFont(FONT, str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")))


def text_pdf(
    path: Path,
    texts: list[str],
    *,
    size=A4,
    bookmarks: list[str] | None = None,
    embedded: bool = True,
) -> Path:
    """One page per text. `bookmarks` names the document's own outline items, one per page."""
    font = FONT if embedded else "Helvetica"
    path.parent.mkdir(parents=True, exist_ok=True)
    canvas = Canvas(str(path), pagesize=size, initialFontName=font)
    for number, text in enumerate(texts):
        canvas.setFont(font, 14)
        canvas.drawString(72, size[1] - 100, text)
        if bookmarks:
            key = f"p{number}"
            canvas.bookmarkPage(key)
            canvas.addOutlineEntry(bookmarks[number], key, 0)
        canvas.showPage()
    canvas.save()
    return path


def scan_pdf(path: Path, pages: int, *, size=A4, rotate_page: int | None = None) -> Path:
    """An image-only PDF, as a scanner makes it (Pillow: one JPEG per page, no fonts)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    width = 300
    height = round(width * size[1] / size[0])
    images = []
    for number in range(pages):
        image = Image.new("RGB", (width, height), (235, 235, 230))
        draw = ImageDraw.Draw(image)
        draw.rectangle((30, 40, 270, 60), fill=(40, 40, 40))
        draw.line((40, height - 60, 200, height - 40), fill=(0, 0, 90), width=3)  # signature
        draw.text((30, 100), f"skannet side {number + 1}", fill=(0, 0, 0))
        images.append(image)
    dpi = width / (size[0] / 72)
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=dpi)
    if rotate_page is not None:
        with pikepdf.open(path, allow_overwriting_input=True) as pdf:
            pdf.pages[rotate_page].rotate(90, relative=True)
            pdf.save()
    return path


def truncated(path: Path, source: Path) -> Path:
    data = source.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.6)])
    return path


def encrypted(path: Path, source: Path, *, user_password: str) -> Path:
    with pikepdf.open(source) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(owner="eier", user=user_password))
    return path


def with_javascript(path: Path) -> Path:
    """A PDF that runs a script when opened and when its first page is shown."""
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        script = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        pdf.Root.OpenAction = pdf.make_indirect(script)
        pdf.pages[0].obj.AA = pikepdf.Dictionary(O=script)
        pdf.save()
    return path


# --- digital signatures (pyHanko, with a certificate authority made here) --------------------


def certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A test CA and a signer it issued (as a BankID chain is): (ca, cert, key) PEM files."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ipdocs test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Signer")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(True, True, False, False, False, False, False, False, False),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    paths = folder / "ca.pem", folder / "signer.pem", folder / "signer.key"
    paths[0].write_bytes(ca.public_bytes(serialization.Encoding.PEM))
    paths[1].write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    paths[2].write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return paths


def sign(source: Path, target: Path, ca: Path, cert: Path, key: Path) -> Path:
    """`source` signed by the test signer (its cross-reference table rewritten by qpdf first:
    pyHanko reads strictly, and Pillow's is off by one)."""
    import io

    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import signers

    clean = io.BytesIO()
    with pikepdf.open(source) as pdf:
        pdf.save(clean)
    clean.seek(0)
    signer = signers.SimpleSigner.load(str(key), str(cert), ca_chain_files=(str(ca),))
    with open(target, "wb") as out:
        signers.sign_pdf(
            IncrementalPdfFileWriter(clean),
            signers.PdfSignatureMetadata(field_name="Signatur"),
            signer=signer,
            output=out,
        )
    return target


# --- a case in the outbox, as `ipdocs render` and the watcher leave it ----------------------

CASE = "IP-2026-0042"


def render(settings, *names: str, beside: bool = True, text: str | None = None) -> list[Path]:
    """Render test inputs through the pipeline (recorded in the ledger); with `beside`, put a
    small PDF beside each Word document, as `utdata.pdf` or an earlier archive run would."""
    from ipdocs.ledger import Ledger
    from ipdocs.pipeline import process_file

    made = []
    with Ledger.for_outbox(settings.outbox) as ledger:
        for name in names:
            source = Path(name)
            result = process_file(source, settings, ledger=ledger)
            assert not result.refused, result.problems
            made += result.documents
    if beside:
        for docx in made:
            text_pdf(docx.with_suffix(".pdf"), [text or f"PDF av {docx.name}"])
    return made


def file_signed(settings, name: str, kind: str, date, make) -> Path:
    """File a signed scan to the case the way the watcher does (Ledger.add_signed)."""
    import hashlib

    from ipdocs.ledger import Ledger

    path = settings.outbox / CASE / "signert" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    make(path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with Ledger.for_outbox(settings.outbox) as ledger:
        ledger.add_signed(CASE, kind, date, path, digest, name=name)
    return path
