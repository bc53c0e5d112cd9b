"""The progress bar of `ipdocs batch` (and `render` with many rows): click's, on stderr, one
per stage of the run."""

from __future__ import annotations

import sys
from typing import Any

import click

_STAGES = {"render": "Lager innkallingene", "pdf": "Lager PDF"}


class Progress:
    """A click progress bar on stderr per stage of the run (rendering, then PDF)."""

    def __init__(self, expected: int | None = None) -> None:
        self.expected = expected  # rows in the file: the length while they are being read
        self.stage: str | None = None
        self.bar: Any = None  # click's ProgressBar

    def __call__(self, stage: str, done: int, total: int | None) -> None:
        if stage != self.stage:
            self.close()
            self.stage = stage
            length = total if total is not None else self.expected or done + 1
            self.bar = click.progressbar(
                length=max(length, 1), label=_STAGES[stage], file=sys.stderr
            )
            self.bar.__enter__()
        if total is not None and total != self.bar.length:
            self.bar.length = max(total, 1)
        if done > self.bar.pos:
            self.bar.update(done - self.bar.pos)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
