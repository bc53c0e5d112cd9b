"""Ghostscript, and nothing else: a PDF that cannot be PDF/A as it is → a PDF/A-2b copy.

What OCRmyPDF and paperless-ngx do with such a file: Ghostscript's pdfwrite re-writes it with
every font embedded (a missing one replaced by its metric twin from the URW fonts Debian
installs with Ghostscript), transparency kept as PDF/A-2 allows it, colours converted to RGB
for the sRGB output intent the bundle carries. The source is only read; `-dSAFER` keeps
Ghostscript from touching any other file.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from pathlib import Path

from ..errors import ConversionError

INSTALL_HINT = "Installer Ghostscript: sudo apt-get install ghostscript (Debian/Ubuntu)."
SECONDS = 120.0  # one document; a scan of a hundred pages takes a few seconds


def find_gs() -> str:
    found = shutil.which("gs")
    if found is None:
        raise ConversionError(
            f"Fant ikke Ghostscript, som trengs for å gjøre dokumenter om til PDF/A. {INSTALL_HINT}"
        )
    return found


@functools.cache
def version() -> str:
    """`Ghostscript 10.00.0`, as the manifest records the tool that converted."""
    out = subprocess.run([find_gs(), "--version"], capture_output=True, text=True, timeout=30)
    return f"Ghostscript {out.stdout.strip()}"


def to_pdfa(source: Path, target: Path, *, timeout: float = SECONDS) -> str | None:
    """Write a PDF/A-2b copy of `source` to `target`. None when done, else why not (Norwegian);
    the caller names the document."""
    command = [
        find_gs(),
        "-q",
        "-dSAFER",
        "-dBATCH",
        "-dNOPAUSE",
        "-sDEVICE=pdfwrite",
        "-dPDFA=2",
        "-dPDFACompatibilityPolicy=1",  # what cannot be kept as PDF/A is dropped, not refused
        "-sColorConversionStrategy=RGB",
        "-dEmbedAllFonts=true",
        f"-sOutputFile={target}",
        str(source),
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        target.unlink(missing_ok=True)
        return f"Ghostscript brukte mer enn {timeout:g} sekunder"
    if done.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        target.unlink(missing_ok=True)
        return "Ghostscript klarte ikke å lese filen"
    return None
