"""Putting a finished file in place: never a partial file, never outside the output folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import IpdocsError


def case_folder(outbox: Path, case: str) -> Path:
    """outbox/<sak>, refusing any sak that would land elsewhere (it is validated before)."""
    root = outbox.resolve()
    folder = (root / case).resolve()
    if folder.parent != root:
        raise IpdocsError(f"Saksnøkkelen «{case}» kan ikke brukes som mappenavn.")
    return folder


def publish(data: bytes, target: Path) -> Path:
    """Write to a temporary name in the same folder, flush to disk, then rename into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def publish_file(staged: Path, target: Path) -> Path:
    """Move a finished file (written with `publish` in a folder on the same disk) into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staged, target)
    return target
