"""LibreOffice, and nothing else: Word documents → PDF.

Many documents go through one `soffice` process (BASELINES.md: 0.19 s a document against 1.2 s
for a process per file). Each run gets its own profile folder so two runs never fight over
one. A document that fails or hangs is reported alone; the others still convert.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from ..errors import ConversionError
from ..publish import publish

INSTALL_HINT = "Installer LibreOffice: sudo apt-get install libreoffice-writer (Debian/Ubuntu)."
SECONDS_PER_DOCUMENT = 30.0
START_SECONDS = 60.0


def find_soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(f"Fant ikke LibreOffice, som trengs for å lage PDF. {INSTALL_HINT}")


def convert_to_pdf(
    documents: Sequence[Path], *, timeout: float | None = None
) -> tuple[dict[Path, Path], dict[Path, str]]:
    """Convert each .docx to a .pdf beside it.

    Returns (made, failed): made maps a document to its PDF; failed maps a document to a
    Norwegian reason. Each PDF is published atomically, so a killed run leaves no half PDF.
    """
    documents = [Path(d) for d in documents]
    if not documents:
        return {}, {}
    soffice = find_soffice()
    made: dict[Path, Path] = {}
    failed: dict[Path, str] = {}
    with tempfile.TemporaryDirectory(prefix="ipdocs-soffice-") as work:
        work_dir = Path(work)
        profile = (work_dir / "profile").as_uri()
        out_dir = work_dir / "out"
        out_dir.mkdir()
        # Same-named documents from different cases must not overwrite each other in out_dir.
        batches = _unique_name_batches(documents)
        for batch in batches:
            limit = timeout or START_SECONDS + SECONDS_PER_DOCUMENT * len(batch)
            _run(soffice, profile, out_dir, batch, limit)
            for doc in batch:
                pdf = out_dir / (doc.stem + ".pdf")
                if pdf.is_file() and pdf.stat().st_size > 0:
                    made[doc] = publish(pdf.read_bytes(), doc.with_suffix(".pdf"))
                    pdf.unlink()
                elif doc not in failed:
                    failed[doc] = "LibreOffice klarte ikke å lage PDF av dokumentet."
    return made, failed


def _unique_name_batches(documents: list[Path]) -> list[list[Path]]:
    batches: list[list[Path]] = []
    for doc in documents:
        for batch in batches:
            if all(other.stem != doc.stem for other in batch):
                batch.append(doc)
                break
        else:
            batches.append([doc])
    return batches


def _run(soffice: str, profile: str, out_dir: Path, batch: list[Path], limit: float) -> None:
    command = [
        soffice,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--nolockcheck",
        "--convert-to",
        "pdf:writer_pdf_Export",
        "--outdir",
        str(out_dir),
        *[str(d) for d in batch],
    ]
    # Its own session, so a hang can be ended with every process soffice started.
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        process.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        # What finished before the hang is kept; the rest is reported as failed by the caller.
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
