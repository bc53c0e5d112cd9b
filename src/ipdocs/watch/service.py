"""Serving `ipdocs watch`: the log's format, one watcher per job (the extra ones in helper
processes), and the signals that stop them."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import warnings
from types import FrameType

from ..errors import redact
from ..settings import Settings
from .loop import Watcher


class RedactingFormatter(logging.Formatter):
    """Every log line passes errors.redact: no fødselsnummer reaches a log."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def configure_logging(*, verbose: bool = False) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(RedactingFormatter("%(asctime)s %(message)s", "%d.%m.%Y %H:%M:%S"))
    logger = logging.getLogger("ipdocs")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG if verbose else logging.INFO)
    logger.propagate = False
    # watchdog's own warnings are English and may name files; the watcher notices a stopped
    # observer itself and says so in Norwegian.
    quiet = logging.getLogger("watchdog")
    quiet.handlers[:] = [logging.NullHandler()]
    quiet.propagate = False
    # watchdog's inotify warns (RuntimeWarning, to stderr, so into the service's log) when a
    # folder it watches comes back under a name it knew: the claim folders do that all day.
    warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"watchdog\.observers")


def serve(settings: Settings, *, polling: bool = False, jobs: int = 1) -> None:
    """Watch until Ctrl-C or SIGTERM, making up to `jobs` files at once.

    Each job is a watcher of its own, the extra ones in child processes: claiming a file by
    rename already keeps it to one watcher (two servers on one share rely on the same), so
    the jobs need nothing else to share work. A first signal stops every watcher after the
    file in hand; a second stops at once (the files in hand are taken over at the next
    start). A helper whose first watcher is killed outright stops by itself.
    """
    watcher = Watcher(settings, polling=polling)  # wrong folders are refused before any helper
    children: list[multiprocessing.process.BaseProcess] = []
    if jobs > 1:
        context = multiprocessing.get_context("fork")  # before any thread of ours starts
        for _ in range(jobs - 1):
            helper = context.Process(target=_helper, args=(settings, polling, os.getpid()))
            helper.start()
            children.append(helper)
    stopping: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        for child in children:
            with contextlib.suppress(OSError, TypeError):  # TypeError: not started (no pid)
                os.kill(child.pid, signum)  # type: ignore[arg-type]
        if stopping:
            raise KeyboardInterrupt
        stopping.append(signum)
        watcher.stop()

    previous = {s: signal.signal(s, stop) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        watcher.run()
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        for child in children:
            if child.is_alive() and not stopping:  # the first watcher ended by itself
                with contextlib.suppress(OSError, TypeError):
                    os.kill(child.pid, signal.SIGTERM)  # type: ignore[arg-type]
            child.join()


def _helper(settings: Settings, polling: bool, parent: int) -> None:
    watcher = Watcher(settings, polling=polling, announce=False, parent=parent)
    stopping: list[int] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        if stopping:
            raise KeyboardInterrupt
        stopping.append(signum)
        watcher.stop()

    for number in (signal.SIGINT, signal.SIGTERM):
        signal.signal(number, stop)
    with contextlib.suppress(KeyboardInterrupt):
        watcher.run()
