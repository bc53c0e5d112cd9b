"""The watched folder (`ipdocs watch`): drop a file, get the documents, lose nothing.

filters.py    names left alone, and editor lock files that mean "still open, wait"
stability.py  settle tracking: size and time stamp unchanged for the settle time
folders.py    the inbox's layout (ferdig/, feil/, signert/, .ipdocs-arbeid/); no-clobber moves
claim.py      claim by atomic rename; taking over from a stopped watcher; same-bytes locks
outcome.py    where a finished file goes, and the note or report beside it
mounts.py     network file system detection (then: polling)
loop.py       the observer, the periodic rescan, the vanished inbox; finding work
handle.py     one claimed file: same bytes done before? → the pipeline → ferdig/ or feil/, or
              given back to be tried again (errors.classify decides)
service.py    `serve`: one watcher per job (--jobs), the extra ones in helper processes;
              signals; the log's format
status.py     `ipdocs status`
"""

from __future__ import annotations

from .loop import Watcher
from .service import configure_logging, serve

__all__ = ["Watcher", "configure_logging", "serve"]
