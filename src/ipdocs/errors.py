"""The exception tree, the problem records users read, and exit codes.

    IpdocsError                  anything ipdocs itself reports to a person
    ├── InputError               an input file was refused (carries Problems)
    ├── TemplateError            a Word template is broken or names an unknown field
    ├── ConversionError          LibreOffice could not make a PDF
    ├── ArchiveError             an archive bundle could not be made
    └── ConfigError              ipdocs.toml or a folder setting is wrong

Library errors are translated into this tree where they enter (readers, render, _exec), so the
rest of the code and the user see one vocabulary. `cli.py` maps the tree to exit codes.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass

# Any 11-digit run, written whole or split after the date part by a space, `-` or `:` (the
# forms ipdocs accepts as a fødselsnummer), looks like one.
FNR_LIKE = re.compile(r"(?<!\d)\d{6}[\s:-]?\d{5}(?!\d)")


def redact(text: str) -> str:
    """Mask anything that looks like a fødselsnummer; every user-facing text passes here."""
    return FNR_LIKE.sub("***********", text)


class ExitCode(enum.IntEnum):
    ok = 0
    refused = 1  # some input was refused; the rest was still made
    usage = 2  # wrong command line
    failed = 3  # ipdocs could not do its job (templates, LibreOffice, disk)


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


class ArchiveError(IpdocsError):
    pass


class ConfigError(IpdocsError):
    exit_code = ExitCode.usage
