"""The document reference a scanner can read: the QR code in every rendered document's footer.

    IPD1:<sak>:<DOKUMENT>:<ÅÅÅÅMMDD>:<id>      e.g. IPD1:IP-2026-0042:SAMTYKKE:20261203:7KD2M9QX

A prefix with the format's version, the case, the kind, the document's date and a document
id the ledger knows (`Ledger.document_by_ref`). Nothing else: never a name or a fødselsnummer
(a case key that looks like one is refused where the case enters). Upper case letters, digits
and `:` are QR "alphanumeric" characters, so a typical reference is a small code (version 3)
that a 150 dpi scan still reads; a case key with lower case or Sámi letters makes it a byte
code, still small. The id is eight characters of Crockford's base32 (no I, L, O, U): 40 random
bits, typed back without confusing 0 and O when someone has to read it off the paper.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
import struct
import zlib
from dataclasses import dataclass

from .kinds import DocumentKind

PREFIX = "IPD1"
# The footer picture each document's code replaces: its name in the template (pic:cNvPr/@name,
# as docxtpl's replace_pic names pictures). tools/build_templates.py puts it there.
QR_PICTURE = "ipdocs-qr.png"
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ID_LENGTH = 8
_PATTERN = re.compile(
    rf"{PREFIX}:(?P<case>[^\s:]{{1,40}}):(?P<kind>[A-Z]+):(?P<date>\d{{8}}):"
    rf"(?P<id>[{_ALPHABET}]{{{_ID_LENGTH}}})"
)


@dataclass(frozen=True)
class Reference:
    case: str
    kind: DocumentKind
    date: dt.date
    id: str

    def payload(self) -> str:
        return f"{PREFIX}:{self.case}:{self.kind.upper()}:{self.date:%Y%m%d}:{self.id}"


def new_id() -> str:
    """A fresh document id (40 random bits; the ledger keeps them unique)."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(_ID_LENGTH))


def parse(text: str) -> Reference | None:
    """The reference a code holds, or None for any other code (a scanner's own, a web link)."""
    match = _PATTERN.fullmatch(text.strip())
    if match is None or match["kind"].lower() not in set(DocumentKind):
        return None
    try:
        date = dt.datetime.strptime(match["date"], "%Y%m%d").date()
    except ValueError:
        return None
    return Reference(match["case"], DocumentKind(match["kind"].lower()), date, match["id"])


def qr_png(reference: Reference, *, scale: int = 4) -> bytes:
    """The QR code as a black-on-white greyscale PNG, with the quiet zone the standard asks for.

    Error correction M: a pen stroke or a staple across the code still reads. Made by
    zxing-cpp's writer (the library that reads the codes back, stacks.py): 0.06 ms a code,
    where segno, pure Python, takes 0.5 ms, a fifth of a whole document's rendering on the
    template fast path (bench/batch.py). The PNG is written here: a few rows, zlib."""
    import zxingcpp  # only rendering needs it

    code = zxingcpp.create_barcode(reference.payload(), zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = code.to_image(scale=1, add_quiet_zones=True)
    height, width = image.shape
    pixels = bytes(memoryview(image))  # type: ignore[arg-type]  # a buffer; its stub says not
    return _png(pixels, width, height, scale=scale)


def _png(pixels: bytes, width: int, height: int, *, scale: int) -> bytes:
    """A 1-bit greyscale PNG of black and white modules, each `scale` pixels square.

    Each module is `scale` bits of a row: written as hexadecimal digits (f for white, 0 for
    black; `scale` a multiple of 4) and read back as bytes, a row at a time in C. A tenth of
    the bytes an 8-bit image has to compress, and a small zlib window: 0.06 ms a code."""
    if scale % 4:
        raise ValueError("scale must be a multiple of 4")
    digits = pixels.translate(_HEX).decode("ascii")  # a digit a module: 4 pixels
    if scale > 4:
        digits = digits.replace("0", "0" * (scale // 4)).replace("f", "f" * (scale // 4))
    step = width * scale // 4
    pad = "0" * (step % 2)  # a row ends on a whole byte
    rows = []
    for y in range(height):
        row = b"\x00" + bytes.fromhex(digits[y * step : (y + 1) * step] + pad)  # filter: none
        rows += [row] * scale
    header = struct.pack(">IIBBBBB", width * scale, height * scale, 1, 0, 0, 0, 0)
    # A small window: the image is a few kB, and a full 32 kB one costs more to set up than
    # compressing takes.
    packer = zlib.compressobj(9, zlib.DEFLATED, 10, 2)
    return b"".join(
        [
            b"\x89PNG\r\n\x1a\n",
            _chunk(b"IHDR", header),
            _chunk(b"IDAT", packer.compress(b"".join(rows)) + packer.flush()),
            _chunk(b"IEND", b""),
        ]
    )


# Black (0) and white (255) modules as hexadecimal digits: 4 black or 4 white pixels.
_HEX = bytes.maketrans(b"\x00\xff", b"0f")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
