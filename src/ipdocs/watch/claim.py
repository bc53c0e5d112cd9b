"""Claiming a file by atomic rename, and taking over what a stopped watcher left in hand.

Like Maildir's delivery: a watcher owns a folder `.ipdocs-arbeid/<eier>/` and takes a file by
renaming it there. A rename either happens whole or not at all, also between two servers on
one share, so two watchers never hold one file. The file keeps its name (the reports and the
ledger name it) and its place under the inbox is kept in the folder it lands in:

    .ipdocs-arbeid/<eier>.json              who: host, process, start time (touched as heartbeat)
    .ipdocs-arbeid/<eier>/innboks/<navn>    a file taken from the inbox itself
    .ipdocs-arbeid/<eier>/signert/<sak>/…   a scan taken from signert/<sak>/
    .ipdocs-arbeid/laas/<sha256>            identical bytes being made right now (see HashLocks)

A watcher is gone when its process no longer runs (same host) or its heartbeat is older than
the lease (another host). Whatever it held is taken over, again by rename, so two watchers
recovering at once still take each file once.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePath

from .folders import WORK, Folders, place

TOP = "innboks"  # the folder in a claim dir for files taken from the inbox itself
LOCKS = "laas"
LEASE_SECONDS = 120.0  # a heartbeat older than this means the watcher is gone (other hosts)
HEARTBEAT_SECONDS = 10.0


@dataclass(frozen=True)
class Claim:
    path: Path  # where the file is now, in the working folder
    rel: PurePath  # where it was, relative to the inbox
    recovered: bool = False  # taken over from a watcher that stopped


def _host() -> str:
    return socket.gethostname() or "ukjent"


def _start_time(pid: int) -> str | None:
    """The process's start time (in clock ticks since boot): tells a reused pid apart."""
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw.rsplit(")", 1)[-1].split()
    if len(fields) < 20 or fields[0] == "Z":  # a zombie has stopped already
        return None
    return fields[19]


def _process_runs(pid: int, started: str | None) -> bool:
    if Path("/proc/self/stat").exists():
        now = _start_time(pid)
        return now is not None and (started is None or now == started)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class Owner:
    """This watcher's place in the working folder."""

    def __init__(self, folders: Folders, *, lease: float = LEASE_SECONDS):
        self.folders = folders
        self.lease = lease
        self.pid = os.getpid()
        self.id = f"{_host()}-{self.pid}-{secrets.token_hex(3)}"
        self._beat = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def dir(self) -> Path:
        return self.folders.work / self.id

    @property
    def info(self) -> Path:
        return self.folders.work / f"{self.id}.json"

    def start(self) -> None:
        """Say who we are (first, so a claim folder never exists without its owner)."""
        self._write_info()
        (self.dir / TOP).mkdir(parents=True, exist_ok=True)
        if self._thread is None:
            self._thread = threading.Thread(target=self._heartbeat, name="ipdocs-heartbeat")
            self._thread.daemon = True
            self._thread.start()

    def _write_info(self) -> None:
        data = {"host": _host(), "pid": self.pid, "started": _start_time(self.pid)}
        tmp = self.folders.work / f".{self.id}.tmp"
        self.folders.work.mkdir(exist_ok=True)
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.info)

    def _heartbeat(self) -> None:
        while not self._beat.wait(HEARTBEAT_SECONDS):
            try:
                os.utime(self.info)
            except OSError:
                with contextlib.suppress(OSError):  # the inbox may be away for a while
                    if self.folders.work.is_dir():
                        self._write_info()

    def stop(self) -> None:
        """Leave: remove our folders if nothing is left in them (else a later run takes over)."""
        self._beat.set()
        _remove_empty(self.dir)
        if not self.dir.exists():
            with contextlib.suppress(OSError):
                self.info.unlink()

    def slot(self, rel: PurePath) -> Path:
        return self.dir / (TOP / rel if len(rel.parts) == 1 else rel)

    def claim(self, path: Path, rel: PurePath, *, recovered: bool = False) -> Claim | None:
        """Take the file by renaming it into our folder; None if another watcher was first
        (or it is gone)."""
        target = self.slot(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.exists() or target.is_symlink():
            return None  # a file of ours by that name is still in hand; try again later
        try:
            os.rename(path, target)
        except FileNotFoundError:
            return None
        return Claim(target, rel, recovered)

    def release(self, claim: Claim) -> Path:
        """Put a file back where it was in the inbox (beside, if that name is taken now)."""
        return place(claim.path, self.folders.inbox, claim.rel)

    def held(self) -> list[Claim]:
        """Files in our own folder: normally the one in hand; after a failed move, more."""
        return list(_claims_in(self.dir, recovered=False))

    def stale_owners(self, now: float | None = None) -> list[str]:
        """The ids of watchers that are gone but may have left files or locks."""
        now = time.time() if now is None else now
        found = []
        work = self.folders.work
        try:
            with os.scandir(work) as it:
                entries = list(it)
        except OSError:
            return []
        ids = {e.name[: -len(".json")] for e in entries if e.name.endswith(".json")}
        ids |= {e.name for e in entries if e.is_dir(follow_symlinks=False) and e.name != LOCKS}
        for owner in sorted(ids - {self.id}):
            if self._is_gone(owner, now):
                found.append(owner)
        return found

    def is_gone(self, owner: str) -> bool:
        return owner != self.id and self._is_gone(owner, time.time())

    def _is_gone(self, owner: str, now: float) -> bool:
        info = self.folders.work / f"{owner}.json"
        try:
            data = json.loads(info.read_text(encoding="utf-8"))
            age = now - info.stat().st_mtime
        except (OSError, ValueError):
            return True  # no owner file: it left (or never fully started)
        if age > self.lease:
            return True
        if data.get("host") == _host():
            return not _process_runs(int(data.get("pid", 0)), data.get("started"))
        return False

    def adopt(self, owner: str) -> Iterator[Claim]:
        """Take over the files a stopped watcher held, one at a time, by rename."""
        folder = self.folders.work / owner
        for claim in list(_claims_in(folder, recovered=True)):
            taken = self.claim(claim.path, claim.rel, recovered=True)
            if taken is not None:
                yield taken
        _remove_empty(folder)
        if not folder.exists():
            with contextlib.suppress(OSError):
                (self.folders.work / f"{owner}.json").unlink()


def _claims_in(folder: Path, *, recovered: bool) -> Iterator[Claim]:
    """The files (and symlinks) under `folder`. os.walk, not rglob: two watchers may take over
    one stopped watcher's folder at once, and the other may remove it (or a folder in it)
    while this one lists it; a folder that is gone is simply empty."""
    found = []
    for top, dirs, files in os.walk(folder):
        found += [Path(top, name) for name in files]
        found += [Path(top, name) for name in dirs if os.path.islink(os.path.join(top, name))]
    for path in sorted(found):
        rel: PurePath = path.relative_to(folder)
        if rel.parts[0] == TOP:
            rel = PurePath(*rel.parts[1:])
        if rel.parts:
            yield Claim(path, rel, recovered)


def _remove_empty(folder: Path) -> None:
    """Remove `folder` and the folders in it, as far as they are empty."""
    for top, dirs, _ in os.walk(folder, topdown=False):
        for name in dirs:
            with contextlib.suppress(OSError):  # not empty, a symlink, or gone already
                os.rmdir(os.path.join(top, name))
    with contextlib.suppress(OSError):
        folder.rmdir()


class HashLocks:
    """Identical bytes are made by one watcher at a time, so a file and its copy dropped
    together on two watchers are not both made: the second waits, then finds the first done
    in the ledger. A lock is a file created exclusively (O_EXCL), naming its owner."""

    def __init__(self, folders: Folders, owner: Owner):
        self.folder = folders.work / LOCKS
        self.owner = owner

    def acquire(self, sha256: str) -> bool:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / sha256
        for _ in range(2):
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                if not self._stale(path):
                    return False
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(self.owner.id)
            return True
        return False

    def release(self, sha256: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            (self.folder / sha256).unlink()

    def _stale(self, path: Path) -> bool:
        try:
            holder = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return False  # just released: try again
        except OSError:
            return False
        if not holder:
            # Being written this very moment, or left empty by a crash: old means crashed.
            with contextlib.suppress(OSError):
                return time.time() - path.stat().st_mtime > self.owner.lease
            return False
        # One of ours can only be left over (one file in hand at a time): not a reason to wait.
        return holder == self.owner.id or self.owner.is_gone(holder)

    def sweep(self) -> None:
        """Remove locks left by watchers that are gone."""
        try:
            names = os.listdir(self.folder)
        except OSError:
            return
        for name in names:
            path = self.folder / name
            if self._stale(path):
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()


__all__ = ["Claim", "HashLocks", "Owner", "WORK"]
