"""The exception tree, the problem records users read, exit codes, and `classify`.

    BaseException
    ├── KeyboardInterrupt        Ctrl-C                               → interrupted (130)
    │   └── Terminated           SIGTERM (systemd, a timeout, kill)   → terminated (143)
    └── Exception
        ├── IpdocsError          anything ipdocs itself reports to a person → failed (3)
        │   ├── InputError       an input file was refused (carries Problems) → refused (1)
        │   ├── TemplateError    a Word template is broken or names an unknown field
        │   ├── ConversionError  LibreOffice could not make a PDF
        │   ├── OutputError      the outbox could not be written (no permission, …)
        │   │   ├── DiskFull     «Disken er full» (the outbox's disk, or the ledger's)
        │   │   └── PartlySaved  some of a file's documents were saved, the rest not
        │   ├── ArchiveError     an archive bundle could not be made
        │   └── ConfigError      ipdocs.toml or a folder setting is wrong → usage (2)
        ├── OSError, sqlite3.Error, MemoryError   the system failed     → failed (3)
        └── anything else        a fault in ipdocs itself               → failed (3)

(click's UsageError, a wrong command line, is click's own: `cli.main` gives it `usage`.)

Library errors are translated into this tree where they enter (readers, render, _exec), so the
rest of the code and the user see one vocabulary. `classify` is the one place that decides
whose fault an exception is and which exit code it gets; `cli.main` and the watcher both ask it.
"""

from __future__ import annotations

import enum
import re
import sqlite3
from dataclasses import dataclass

from . import fnr

MASK = "***********"


def redact(text: str) -> str:
    """Mask anything that looks like a fødselsnummer, however it is written (fnr.find); every
    user-facing text passes here. Lone surrogates become U+FFFD, so what is masked can always
    be printed and written."""
    text = str(text)
    spans = fnr.find(text)
    if spans:
        parts, last = [], 0
        for start, end in spans:
            parts += [text[last:start], MASK]
            last = end
        parts.append(text[last:])
        text = "".join(parts)
    return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


class ExitCode(enum.IntEnum):
    ok = 0
    refused = 1  # some input was refused; the rest was still made
    usage = 2  # wrong command line
    failed = 3  # ipdocs could not do its job (templates, LibreOffice, disk)
    interrupted = 130  # Ctrl-C (128 + SIGINT)
    terminated = 143  # SIGTERM (128 + SIGTERM)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, in words a coordinator can act on."""

    where: str  # "feltet «mote.dato»" or "cellen Møte!B4"
    what: str  # what is wrong
    fix: str = ""  # how to fix it

    def __str__(self) -> str:
        text = f"{self.where}: {self.what}"
        if self.fix:
            text += f" {self.fix}"
        return redact(text)


@dataclass(frozen=True)
class Notice:
    """A warning: the document is still made, but a person should look at this."""

    text: str

    def __str__(self) -> str:
        return redact(self.text)


class IpdocsError(Exception):
    exit_code = ExitCode.failed

    def __str__(self) -> str:
        return redact(super().__str__())


class InputError(IpdocsError):
    exit_code = ExitCode.refused

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


class TemplateError(IpdocsError):
    pass


class ConversionError(IpdocsError):
    pass


class OutputError(IpdocsError):
    """Writing into the outbox failed: the disk, not the input, is to blame."""


class DiskFull(OutputError):
    """The disk under the outbox (or the ledger beside it) is full."""


class PartlySaved(OutputError):
    """Some of a file's documents reached the outbox before saving failed; the message says
    how many (and the ledger has them)."""


class ArchiveError(IpdocsError):
    pass


class ProgramFault(IpdocsError):
    """A fault in ipdocs itself (or too little memory) on one input: said for that file, and
    the files after it are still read (pipeline.process_files, the watcher's handle)."""

    @classmethod
    def on(cls, source: str, error: BaseException) -> ProgramFault:
        if isinstance(error, MemoryError):
            what = "ipdocs fikk ikke nok minne til å lese den (er den altfor stor?)"
        else:
            what = f"noe gikk galt inne i ipdocs ({type(error).__name__})"
        return cls(
            f"{source}: {what}. Dette er en feil i programmet, ikke nødvendigvis i filen din. "
            "Meld fra til den som drifter ipdocs. De andre filene ble lest som vanlig."
        )


class ConfigError(IpdocsError):
    exit_code = ExitCode.usage


def outcome(*, refused: int = 0, stopped: int = 0) -> ExitCode:
    """The exit code of a command that finished its work: `failed` when something that was
    not the input's fault stopped a file, `refused` when an input (or template) was refused."""
    if stopped:
        return ExitCode.failed
    return ExitCode.refused if refused else ExitCode.ok


class Terminated(KeyboardInterrupt):
    """SIGTERM (systemd stopping, a timeout, `kill`): stopped as Ctrl-C stops a command."""


class Fault(enum.Enum):
    """Whose fault an exception is, which decides what happens to the input."""

    input = "input"  # the input is wrong: refused (the watcher moves it to feil/)
    system = "system"  # templates, LibreOffice, the disk, the ledger: the input waits, retried
    program = "program"  # a fault in ipdocs itself: it would fail the same way every time
    stopped = "stopped"  # Ctrl-C or SIGTERM


@dataclass(frozen=True)
class Verdict:
    fault: Fault
    exit_code: ExitCode


# What the system, not the input or ipdocs, can fail with: raised, these leave the input
# waiting to be tried again.
_SYSTEM = (IpdocsError, OSError, sqlite3.Error, MemoryError)


def classify(exc: BaseException) -> Verdict:
    """Whose fault `exc` is, and the exit code it ends a command with."""
    if isinstance(exc, Terminated):
        return Verdict(Fault.stopped, ExitCode.terminated)
    if isinstance(exc, KeyboardInterrupt):
        return Verdict(Fault.stopped, ExitCode.interrupted)
    if isinstance(exc, InputError):
        return Verdict(Fault.input, ExitCode.refused)
    if isinstance(exc, IpdocsError):
        return Verdict(Fault.system, exc.exit_code)
    if isinstance(exc, _SYSTEM):
        return Verdict(Fault.system, ExitCode.failed)
    return Verdict(Fault.program, ExitCode.failed)
