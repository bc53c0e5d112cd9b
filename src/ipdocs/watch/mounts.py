"""Is a folder on a network file system? There inotify hears only this machine's own changes
(a file copied in from a Windows PC makes no event), so the watcher polls instead.
"""

from __future__ import annotations

import os
from pathlib import Path

MOUNTINFO = Path("/proc/self/mountinfo")
NETWORK_TYPES = frozenset(
    {"cifs", "smb3", "smbfs", "nfs", "nfs4", "ncpfs", "afs", "9p", "ceph", "glusterfs", "fuse"}
)


def filesystem_type(path: Path, *, mountinfo: Path = MOUNTINFO) -> str | None:
    """The type of the file system `path` is on (`ext4`, `cifs`, `fuse.sshfs`, …), from the
    mount whose mount point is the longest prefix of its real path; None if unknown."""
    try:
        text = mountinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    real = os.path.realpath(path)
    best, best_type = "", None
    for line in text.splitlines():
        left, sep, right = line.partition(" - ")
        fields = left.split()
        if not sep or len(fields) < 5 or not right.split():
            continue
        point = _unescape(fields[4])
        if _contains(point, real) and len(point) >= len(best):
            best, best_type = point, right.split()[0]
    return best_type


def is_network(fstype: str | None) -> bool:
    if not fstype:
        return False
    return fstype in NETWORK_TYPES or fstype.startswith("fuse.")


def _contains(point: str, path: str) -> bool:
    return point == "/" or path == point or path.startswith(point.rstrip("/") + "/")


def _unescape(field: str) -> str:
    # mountinfo writes space, tab, newline and backslash as octal escapes (\040 …).
    out, i = [], 0
    while i < len(field):
        if field[i] == "\\" and i + 3 < len(field) and field[i + 1 : i + 4].isdigit():
            out.append(chr(int(field[i + 1 : i + 4], 8)))
            i += 4
        else:
            out.append(field[i])
            i += 1
    return "".join(out)
