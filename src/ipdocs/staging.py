"""The private folders a run writes its documents in before they are published.

    outbox/.ipdocs/staging-<pid>-<host>-<random>/000001.docx, 000001.ics, 000001.pdf …

Beside the outbox, on the same disk, so publishing is a rename. A run removes its folder when
it ends; a run that was killed (`kill -9`, a power cut) cannot, and what it left is health
data. So every run, before it makes its own folder, sweeps the folders of runs that are gone:

- a folder of this host whose process no longer runs;
- any folder not changed for `MAX_AGE` (another host's run, whose process cannot be checked
  from here; a folder from before folders were named by their owner; a reused pid).

A live run's folder is never touched: two watchers, or a watcher and a batch, may share the
outbox, also from two machines. A live run's folder changes whenever it writes a document, and
nothing ipdocs does leaves one unchanged for a day.

A staged file is written once under a name only its run uses (`write`), and flushed to disk
with all the others just before they are published (`flush`): one flush of the disk for a
batch instead of one per document. A file flushed on its own waits for the disk every time,
which cost about as much as rendering the document (bench/batch.py). Nothing is lost by
waiting: until it is published, a staged file is only a copy the run can make again.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import hashlib
import os
import re
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path

ROOT = ".ipdocs"  # in the outbox; the ledger lives here too
PREFIX = "staging-"
MAX_AGE = 24 * 3600.0  # seconds: generous for clocks that differ between machines


def create(outbox: Path) -> Path:
    """A new private folder (0700) for one run, after sweeping those of runs that are gone."""
    root = outbox / ROOT
    root.mkdir(parents=True, exist_ok=True)
    sweep(root)
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-{_host()}-", dir=root))


def write(path: str | Path, data: bytes, mode: int) -> str:
    """Write a staged file (a new name in the run's own folder) with permissions `mode`;
    returns the SHA-256 of its bytes. Not yet flushed to disk: see `flush`."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)
    return hashlib.sha256(data).hexdigest()


def flush(folder: Path) -> None:
    """Everything written in `folder` (and anywhere on its disk) is on the disk when this
    returns: on Linux one syncfs(2) for the whole disk; elsewhere each file in turn (Windows
    cannot open a folder, and flushes a file only through a handle that may write)."""
    syncfs = _syncfs()
    if syncfs is not None:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            if syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    for entry in os.scandir(folder):
        if entry.is_file(follow_symlinks=False):
            file = os.open(entry.path, os.O_RDWR | getattr(os, "O_BINARY", 0))
            try:
                os.fsync(file)
            finally:
                os.close(file)


@functools.cache
def _syncfs():  # type: ignore[no-untyped-def]
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.syncfs
    except (OSError, AttributeError):
        return None


def sweep(root: Path, *, now: float | None = None) -> list[Path]:
    """Remove the staging folders of runs that are gone; returns the ones removed."""
    now = time.time() if now is None else now
    removed: list[Path] = []
    try:
        entries = list(os.scandir(root))
    except OSError:
        return removed
    for entry in entries:
        if not entry.name.startswith(PREFIX):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue  # just removed by another run's sweep
        if age > MAX_AGE or _owner_gone(entry.name):
            shutil.rmtree(entry.path, ignore_errors=True)
            removed.append(Path(entry.path))
    return removed


def _owner_gone(name: str) -> bool:
    """True only when the folder is this host's and its process no longer runs."""
    m = re.fullmatch(rf"{PREFIX}(\d+)-(.+)-[a-z0-9_]+", name)
    if m is None or m.group(2) != _host():
        return False  # another host's (or an old unnamed) folder: only its age tells
    pid = int(m.group(1))
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # PermissionError: it runs, as another user
        return False
    return False


def _host() -> str:
    # Only the characters a folder name can always hold; "-" stays (the pid comes first and
    # tempfile's random part has none, so the name still splits).
    return re.sub(r"[^A-Za-z0-9.-]", "_", socket.gethostname() or "ukjent")[:64]
