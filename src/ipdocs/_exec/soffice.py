"""LibreOffice, and nothing else: Word documents → PDF.

Many documents go through one `soffice` process (BASELINES.md: 0.19 s a document against 1.2 s
for a process per file). Each run gets its own profile folder so two runs never fight over
one. A document that fails or hangs is reported alone; the others still convert (after a
hang, in a new process that starts with the next document). The run then stops that
document's file: LibreOffice failing is never the input's fault.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import ConversionError
from ..publish import publish

INSTALL_HINT = "Installer LibreOffice: sudo apt-get install libreoffice-writer (Debian/Ubuntu)."
SECONDS_PER_DOCUMENT = 30.0
START_SECONDS = 60.0
POLL_SECONDS = 0.05


def find_soffice() -> str:
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    raise ConversionError(f"Fant ikke LibreOffice, som trengs for å lage PDF. {INSTALL_HINT}")


def convert_to_pdf(
    documents: Sequence[Path],
    *,
    timeout: float | None = None,
    on_done: Callable[[Path], None] | None = None,
) -> tuple[dict[Path, Path], dict[Path, str]]:
    """Convert each .docx to a .pdf beside it.

    Returns (made, failed): made maps a document to its PDF; failed maps a document to a
    Norwegian reason. Each PDF is published atomically, so a killed run leaves no half PDF.
    `timeout` is how long one document may take (LibreOffice's start-up comes on top for the
    first); a document that takes longer is reported as failed and the rest go on in a new
    process. `on_done` is called for each document as its PDF is ready (progress).
    """
    documents = [Path(d) for d in documents]
    if not documents:
        return {}, {}
    soffice = find_soffice()
    per_document = timeout or SECONDS_PER_DOCUMENT
    made: dict[Path, Path] = {}
    failed: dict[Path, str] = {}
    with tempfile.TemporaryDirectory(prefix="ipdocs-soffice-") as work:
        work_dir = Path(work)
        profile = (work_dir / "profile").as_uri()
        out_dir = work_dir / "out"
        out_dir.mkdir()
        # Same-named documents from different cases must not overwrite each other in out_dir.
        for batch in _unique_name_batches(documents):
            remaining = batch
            while remaining:
                hung = _run(soffice, profile, out_dir, remaining, per_document, on_done)
                for doc in remaining:
                    pdf = out_dir / (doc.stem + ".pdf")
                    if doc == hung:
                        pdf.unlink(missing_ok=True)
                        failed[doc] = (
                            f"LibreOffice stoppet opp med dokumentet og ble avbrutt etter "
                            f"{per_document:.0f} sekunder."
                        )
                        break
                    if pdf.is_file() and pdf.stat().st_size > 0:
                        made[doc] = publish(pdf.read_bytes(), doc.with_suffix(".pdf"))
                        pdf.unlink()
                    else:
                        failed[doc] = "LibreOffice klarte ikke å lage PDF av dokumentet."
                remaining = remaining[remaining.index(hung) + 1 :] if hung else []
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


def _run(
    soffice: str,
    profile: str,
    out_dir: Path,
    batch: list[Path],
    per_document: float,
    on_done: Callable[[Path], None] | None,
) -> Path | None:
    """Convert `batch` with one soffice; returns the document it hung on, if it did.

    LibreOffice converts the files in the order given, so the first one without a PDF when
    it stops making progress is the one it is stuck on.
    """
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
    done = 0
    deadline = time.monotonic() + START_SECONDS + per_document
    while True:
        try:
            process.wait(timeout=POLL_SECONDS)
        except subprocess.TimeoutExpired:
            pass
        while done < len(batch) and (out_dir / (batch[done].stem + ".pdf")).exists():
            if on_done is not None:
                on_done(batch[done])
            done += 1
            deadline = time.monotonic() + per_document
        if process.returncode is not None:
            for doc in batch[done:]:
                if on_done is not None:
                    on_done(doc)
            return None
        if time.monotonic() > deadline:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            return batch[done] if done < len(batch) else None
