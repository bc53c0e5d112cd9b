"""Settle tracking: a file is taken only when its size and time stamp have stayed the same
for the settle time.

Two looks at the file, at least `settle` seconds apart, must agree. The first look is when an
event or a scan names the file; every event after that (a slow writer's next chunk) starts the
wait again; when the wait is over the file is looked at once more, and taken only if nothing
changed. A file can also be held back until a given time (still open in an editor, or to be
tried again after ipdocs itself failed).
"""

from __future__ import annotations

import heapq
import os
from dataclasses import dataclass
from pathlib import Path

Signature = tuple[int, int, int, int]  # size, mtime_ns, inode, device


def signature(st: os.stat_result) -> Signature:
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev)


@dataclass
class _State:
    sig: Signature | None
    since: float  # when this signature was first seen
    not_before: float = 0.0  # held back until then


class SettleTracker:
    def __init__(self, settle: float):
        self.settle = settle
        self._files: dict[Path, _State] = {}
        self._heap: list[tuple[float, str, Path]] = []  # (due, tiebreak, path); may be stale

    def __len__(self) -> int:
        return len(self._files)

    def __contains__(self, path: Path) -> bool:
        return path in self._files

    def see(self, path: Path, now: float) -> None:
        """An event or a scan named this file: start (or restart) its wait if it changed."""
        sig = current(path)
        state = self._files.get(path)
        if state is None:
            if sig is None:
                return
            state = self._files[path] = _State(sig, now)
        elif sig != state.sig:
            state.sig, state.since = sig, now
        else:
            return
        self._push(path, state)

    def hold(self, path: Path, until: float) -> None:
        """Do not offer this file before `until` (it is open, or will be tried again)."""
        state = self._files.get(path)
        if state is None:
            state = self._files[path] = _State(current(path), until)
        state.not_before = until
        self._push(path, state)

    def clear(self) -> None:
        self._files.clear()
        self._heap.clear()

    def next_due(self) -> float | None:
        while self._heap:
            due, _, path = self._heap[0]
            state = self._files.get(path)
            if state is not None and due == self._due(state):
                return due
            heapq.heappop(self._heap)  # stale entry
        return None

    def ready(self, now: float) -> list[tuple[Path, Signature]]:
        """Files unchanged for the settle time, oldest first, with the state they were seen
        in (compare it again just before taking one), each offered once (`hold` puts one back). A file that changed meanwhile starts a new wait; one that is gone is
        forgotten."""
        found: list[tuple[Path, Signature]] = []
        while self._heap and self._heap[0][0] <= now:
            due, _, path = heapq.heappop(self._heap)
            state = self._files.get(path)
            if state is None or due != self._due(state):
                continue
            sig = current(path)
            if sig is None:
                del self._files[path]
            elif sig != state.sig:
                state.sig, state.since = sig, now
                self._push(path, state)
            else:
                del self._files[path]  # offered once; the caller takes it or holds it back
                found.append((path, sig))
        return found

    def _due(self, state: _State) -> float:
        return max(state.since + self.settle, state.not_before)

    def _push(self, path: Path, state: _State) -> None:
        heapq.heappush(self._heap, (self._due(state), str(path), path))


def current(path: Path) -> Signature | None:
    try:
        return signature(path.lstat())
    except OSError:
        return None
