"""The inbox's layout, and moving a file into a folder without ever replacing another.

    inbox/                  coordinators drop files here
      signert/<sak>/        … and signed scans here (or `<sak>_<dokument>.pdf` at the top)
      ferdig/               originals made into documents (never deleted), notes beside them
      feil/                 refused originals, each with `<navn>.feil.txt` beside it
      .ipdocs-arbeid/       the watchers' working folder (hidden): files in hand, locks

Every folder lives inside the inbox, on the same file system, so a claim and every move after
it is one atomic rename, and (the inbox being watched recursively) inotify pairs each move's
two halves at once instead of holding a moved-out event back (BASELINES.md, bench/watch.py).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

from ..publish import fit_name
from .filters import is_ignored

DONE = "ferdig"
FAILED = "feil"
WORK = ".ipdocs-arbeid"
SIGNED = "signert"
REPORT_SUFFIX = ".feil.txt"
NOTE_SUFFIX = ".merknad.txt"

_OURS = frozenset({DONE, FAILED, WORK})
# Errors that mean "this file system has no hard links": fall back to a checked rename.
_NO_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EMLINK, errno.EXDEV, errno.ENOSYS}


@dataclass(frozen=True)
class Folders:
    inbox: Path

    @property
    def done(self) -> Path:
        return self.inbox / DONE

    @property
    def failed(self) -> Path:
        return self.inbox / FAILED

    @property
    def work(self) -> Path:
        return self.inbox / WORK

    def ensure(self) -> None:
        """Create our folders inside an existing inbox (never the inbox itself: a missing
        inbox is a disconnected share, and must not be replaced by an empty local folder)."""
        if not self.inbox.is_dir():
            raise FileNotFoundError(errno.ENOENT, "innboksen finnes ikke", str(self.inbox))
        for folder in (self.done, self.failed, self.work):
            folder.mkdir(exist_ok=True)

    def relative(self, path: Path) -> PurePath | None:
        """Where an input file sits relative to the inbox, if it is a place inputs are taken
        from: the inbox itself, `signert/` and `signert/<sak>/`."""
        try:
            rel = path.relative_to(self.inbox)
        except ValueError:
            return None
        parts = rel.parts
        if not parts or any(is_ignored(p) for p in parts):
            return None
        if len(parts) == 1:
            return None if parts[0] in _OURS else rel
        if parts[0].lower() == SIGNED and len(parts) <= 3:
            return rel
        return None

    def candidates(self) -> Iterator[Path]:
        """Every entry that may be an input: the inbox's own entries that are not folders, and
        those in `signert/` and `signert/<sak>/`."""
        for entry in _scan(self.inbox):
            if entry.name in _OURS or is_ignored(entry.name):
                continue
            if not entry.is_dir(follow_symlinks=False):
                yield Path(entry.path)
            elif entry.name.lower() == SIGNED:
                for inner in _scan(Path(entry.path)):
                    if is_ignored(inner.name):
                        continue
                    if not inner.is_dir(follow_symlinks=False):
                        yield Path(inner.path)
                    else:
                        for scan in _scan(Path(inner.path)):
                            if not is_ignored(scan.name) and not scan.is_dir(follow_symlinks=False):
                                yield Path(scan.path)

    def foreign_folders(self) -> list[Path]:
        """Folders in the inbox that are neither ours nor `signert/`: left alone."""
        return [
            Path(e.path)
            for e in _scan(self.inbox)
            if e.is_dir(follow_symlinks=False)
            and e.name not in _OURS
            and e.name.lower() != SIGNED
            and not is_ignored(e.name)
        ]


def _scan(folder: Path) -> list[os.DirEntry]:
    try:
        with os.scandir(folder) as it:
            return list(it)
    except OSError:
        return []


def place(src: Path, folder: Path, rel: PurePath, *, keep_source: bool = False) -> Path:
    """Move `src` to `folder/rel`, or `navn (2).yaml`, `navn (3).yaml`, … when the name is taken:
    never replacing a file. A hard link claims the name atomically (two watchers filing two
    files of one name at once both keep theirs); an earlier link of this very file (a run
    stopped between link and unlink) is recognised and reused. With `keep_source` the source
    stays until the caller removes it (write a report first, then let go of the original).
    """
    target_dir = folder / rel.parent
    target_dir.mkdir(parents=True, exist_ok=True)
    src_stat = src.lstat()
    stem, suffix = _split(rel.name)
    for n in range(1, 10_000):
        # `navn (2).yaml` for a second file of one name, shortened when the name is long
        name = rel.name if n == 1 else fit_name(f"{stem} ({n}){suffix}", keep=f" ({n}){suffix}")
        target = target_dir / name
        try:
            os.link(src, target, follow_symlinks=False)
        except FileExistsError:
            try:
                st = target.lstat()
            except FileNotFoundError:
                continue
            if (st.st_ino, st.st_dev) == (src_stat.st_ino, src_stat.st_dev):
                break  # our own link from before
            continue
        except OSError as exc:
            if exc.errno not in _NO_LINKS:
                raise
            if target.exists() or target.is_symlink():
                continue
            os.rename(src, target)
            return target
        break
    else:
        raise FileExistsError(errno.EEXIST, "for mange filer med samme navn", str(target_dir))
    if not keep_source:
        src.unlink(missing_ok=True)
    return target


def _split(name: str) -> tuple[str, str]:
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem:
        return name, ""
    return stem, f".{suffix}"
