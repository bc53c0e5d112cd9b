"""Putting a finished file in place: never a partial file, never outside the output folder.

A published file gets the mode any file created under the process's umask gets (0666 minus the
umask): the temporary file `mkstemp` makes is private (0600), and the rename would keep that,
so coordinators sharing the outbox through a group (the systemd unit's UMask=0007) could not
open their documents.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from stat import S_ISREG
from typing import BinaryIO

from .errors import DiskFull, IpdocsError, OutputError

# A full disk, or the user's quota used up.
_FULL = (errno.ENOSPC, errno.EDQUOT)


def disk_full(folder: Path) -> DiskFull:
    return DiskFull(
        f"Disken er full, så dokumentene kunne ikke lagres i {folder}. Gjør plass på disken "
        "(eller be den som drifter ipdocs om det), og prøv igjen."
    )


@contextlib.contextmanager
def output_errors(outbox: Path) -> Iterator[None]:
    """Writing into the outbox failed: the disk, not the input, is to blame (exit code 3, and
    the watcher gives the file back to be tried again later)."""
    try:
        yield
    except OSError as exc:
        if exc.errno in _FULL:
            raise disk_full(outbox) from None
        reason = exc.strerror or type(exc).__name__
        raise OutputError(
            f"Dokumentene kunne ikke lagres i {outbox} ({reason}). Sjekk at det er plass på "
            "disken og at du har lov til å skrive i mappen, og prøv igjen."
        ) from None


def case_folder(outbox: Path, case: str, *, root: Path | None = None) -> Path:
    """outbox/<sak>, refusing any sak that would land elsewhere (it is validated before).
    `root`: the outbox already resolved (a run makes many case folders)."""
    root = outbox.resolve() if root is None else root
    folder = root / case
    if os.path.islink(folder) or case in ("", ".", "..") or os.sep in case or "/" in case:
        folder = folder.resolve()
    if folder.parent != root:
        raise IpdocsError(f"Saksnøkkelen «{case}» kan ikke brukes som mappenavn.")
    return folder


def _read_umask() -> int:
    """The process's umask, without changing it where the kernel tells (Linux 4.7+)."""
    try:
        with open("/proc/self/status", encoding="ascii", errors="replace") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    # Elsewhere the only way to read it is to set it. Done once, at import, and set to the
    # strictest mask meanwhile: a file another thread creates in that instant is never more
    # open than it should be.
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


# The umask is set before ipdocs starts (a shell, systemd's UMask=) and ipdocs never changes it.
FILE_MODE = 0o666 & ~_read_umask()


# The longest file name the usual filesystems take (ext4, NTFS and SMB shares: 255), counted in
# UTF-8 bytes, the stricter count (æ, ø and å take two).
NAME_MAX = 255


def fit_name(name: str, *, reserve: int = 0, keep: str = "") -> str:
    """`name`, shortened so that it and `reserve` more bytes fit in NAME_MAX: characters are
    cut from the end of its stem, and its last suffix (or `keep`) stays. A name already short
    enough is returned as it is."""
    limit = NAME_MAX - reserve
    if len(name.encode("utf-8", "surrogatepass")) <= limit:
        return name
    stem, dot, suffix = name.rpartition(".")
    tail = keep or (f".{suffix}" if dot and stem and len(suffix) <= 16 else "")
    head = name[: len(name) - len(tail)] if tail and name.endswith(tail) else name
    room = max(limit - len(tail.encode("utf-8")) - len("…".encode()), 1)
    cut = head.encode("utf-8", "surrogatepass")[:room].decode("utf-8", "ignore")
    return f"{cut}…{tail}"


def publish(data: bytes, target: Path, *, exclusive: bool = False, sync: bool = True) -> Path:
    """Write to a temporary name in the same folder, flush to disk, then rename into place.

    `exclusive`: never replace an existing file; raise FileExistsError instead. The finished
    file is hard-linked into place, which fails atomically when the name is taken (two
    watchers filing two scans under one name at once), so neither is lost.
    `sync=False` skips the flush to disk, for notes that can be lost in a power cut (a few
    milliseconds each; the watcher writes one beside most files it finishes).
    """
    with writing(target, exclusive=exclusive, sync=sync) as f:
        f.write(data)
    return target


@contextlib.contextmanager
def writing(target: Path, *, exclusive: bool = False, sync: bool = True) -> Iterator[BinaryIO]:
    """`publish` for a file written bit by bit: a file object for a temporary name in the
    target's folder, put in place (as `publish` does) when the block ends without an error,
    and removed when it does not (with the folder, when this made it). A large file (the
    archive bundle) is written straight to disk this way instead of being held in memory."""
    new_folder = not target.parent.is_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    # `.<navn>.<8 random>.tmp`: the name shortened so that the temporary one fits too.
    prefix = f".{fit_name(target.name, reserve=14)}."
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            # mkstemp's 0600 would follow the file into place. A share without Unix modes
            # may refuse this: the file is written all the same.
            with contextlib.suppress(OSError):
                os.fchmod(f.fileno(), FILE_MODE)
            yield f
            f.flush()
            if sync:
                os.fsync(f.fileno())
        if exclusive:
            _link_no_clobber(tmp, target)
        else:
            os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        if new_folder:
            with contextlib.suppress(OSError):  # not empty: another file came meanwhile
                target.parent.rmdir()
        raise


def sha256_of(path: str | Path) -> str:
    """A file's SHA-256, read a megabyte at a time."""
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# A file dropped in the inbox as «på-nytt innkalling.yaml» (or på-nytt-, pa-nytt_, …) is made
# again even when its bytes were made before; it is the same input as «innkalling.yaml».
_AGAIN = re.compile(r"^(?:på|pa)[ _-]?nytt[ _.-]+", re.IGNORECASE)


def wants_again(name: str) -> bool:
    import unicodedata

    return _AGAIN.match(unicodedata.normalize("NFC", name)) is not None


def plain_name(name: str) -> str:
    """The input's name without the «på-nytt» a person put first to have it made again."""
    import unicodedata

    return _AGAIN.sub("", unicodedata.normalize("NFC", name), count=1)


@dataclasses.dataclass(frozen=True)
class Kept:
    """A file in the outbox ipdocs did not write as it is now, moved aside instead of replaced."""

    original: Path  # where it was (where the new document goes)
    kept: Path  # where it is now
    edited: bool  # True: changed after ipdocs made it; False: made from another input
    other_source: str = ""  # the input it was made from, when that was another one

    def notice(self) -> str:
        if self.edited:
            why = "er endret etter at ipdocs laget det"
        elif self.other_source:
            why = f"ble laget fra en annen fil («{self.other_source}»)"
        else:
            why = "ble ikke laget av ipdocs"
        return (
            f"skrev ikke over: {self.original.name} {why}; den gamle ligger som "
            f"{self.kept.name} i samme mappe."
        )


def keep_if_not_ours(target: Path, written: tuple[str, str] | None, *, source: str) -> Kept | None:
    """Before `target` is replaced: unless it is byte for byte the file ipdocs last wrote
    there (`written`: its SHA-256 and the input's name, from the ledger) for this same input,
    move it aside under a name that says so and when it was last changed
    (`2026-12-03_innkalling.endret-2026-12-01T1412.docx`). A Word edit is never lost.
    """
    try:
        stat = target.lstat()
    except FileNotFoundError:
        return None
    if not S_ISREG(stat.st_mode):
        return None  # a folder in its place: publishing says it cannot save there
    if written is not None:
        sha, made_from = written
        edited = sha256_of(target) != sha
        if not edited and plain_name(made_from) == plain_name(source):
            return None  # ours, as we left it: made again, nothing to keep
    else:
        edited, made_from = False, ""
    import datetime as dt

    when = dt.datetime.fromtimestamp(stat.st_mtime).strftime("%Y-%m-%dT%H%M")
    word = "endret" if edited or written is None else "tidligere"
    base = f"{target.stem}.{word}-{when}"
    kept = target.with_name(f"{base}{target.suffix}")
    number = 1
    while True:
        try:
            _link_no_clobber(str(target), kept)  # moved aside, never over another file
            break
        except FileExistsError:
            number += 1
            kept = target.with_name(f"{base}-{number}{target.suffix}")
    return Kept(target, kept, edited or written is None, "" if edited else made_from)


def _link_no_clobber(tmp: str, target: Path) -> None:
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links (some network shares): check, then rename.
        if target.exists():
            raise FileExistsError(target) from None
        os.replace(tmp, target)
        return
    os.unlink(tmp)
