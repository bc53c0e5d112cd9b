"""click in Norwegian bokmål: its own messages, and the help pages' headings and usage line.

click wraps every message it shows in gettext (`_("No such option {name!r}.")`) and looks the
name up in its module globals at call time, so a small catalogue installed there translates the
message templates themselves, whatever click later fills in. Translating the finished English
text with patterns broke whenever click reworded a message; a template missing here is simply
shown in English.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
import click.core
import click.decorators
import click.exceptions
import click.formatting
import click.parser
import click.termui
import click.types

_CATALOGUE = {
    # exceptions.py
    "Error: {message}": "Feil: {message}",
    "Try '{command} {option}' for help.": "Skriv «{command} {option}» for hjelp.",
    "Invalid value: {message}": "Ugyldig verdi: {message}",
    "Invalid value for {param_hint}: {message}": "Ugyldig verdi for {param_hint}: {message}",
    "Missing argument": "Mangler",
    "Missing option": "Mangler valget",
    "Missing parameter": "Mangler en verdi",
    "Missing {param_type}": "Mangler {param_type}",
    "Missing parameter: {param_name}": "Mangler verdien {param_name}",
    "No such option: {name}": "Ukjent valg: {name}",
    "No such option {name!r}.": "Ukjent valg «{name}».",
    "Did you mean {possibility}?": "Mente du {possibility}?",
    "(Did you mean one of: {possibilities}?)": "(Mente du en av disse: {possibilities}?)",
    "Option {name!r} does not take a value.": "Valget «{name}» tar ingen verdi.",
    "Option {name!r} requires an argument.": "Valget «{name}» må ha en verdi.",
    "Option {name!r} requires {nargs} arguments.": "Valget «{name}» må ha {nargs} verdier.",
    "Got unexpected extra argument ({args})": "For mange argumenter: {args}",
    "Got unexpected extra arguments ({args})": "For mange argumenter: {args}",
    "No such command {name!r}.": "Ukjent kommando «{name}».",
    "Missing command.": "Mangler en kommando.",
    "Could not open file {filename!r}: {message}": "Kan ikke åpne «{filename}»: {message}",
    "unknown error": "ukjent feil",
    "Aborted!": "Avbrutt.",
    # types.py
    "{value!r} is not {choice}.": "«{value}» er ikke {choice}.",
    "{value!r} is not one of {choices}.": "«{value}» er ikke en av {choices}.",
    "{value!r} is not a valid {number_type}.": "«{value}» er ikke et tall.",
    "{value} is not in the range {range}.": "{value} går ikke: verdien må være {range}.",
    "{value!r} is not a valid boolean. Recognized values: {states}": (
        "«{value}» er verken ja eller nei. Skriv en av disse: {states}"
    ),
    "{value!r} does not match the format {format}.": "«{value}» har ikke formen {format}.",
    "{value!r} does not match the formats {formats}.": (
        "«{value}» har ingen av formene {formats}."
    ),
    "{name} {filename!r} does not exist.": "Finner ikke «{filename}».",
    "{name} {filename!r} is a file.": "«{filename}» er en fil, ikke en mappe.",
    "{name} {filename!r} is a directory.": "«{filename}» er en mappe, ikke en fil.",
    "{name} {filename!r} is not readable.": "Du har ikke lov til å lese «{filename}».",
    "{name} {filename!r} is not writable.": "Du har ikke lov til å skrive til «{filename}».",
    "{name} {filename!r} is not executable.": "«{filename}» kan ikke kjøres.",
    "file": "filen",
    "directory": "mappen",
    "path": "stien",
    # help pages
    "Usage:": "Bruk:",
    "Options": "Valg",
    "Commands": "Kommandoer",
    "Arguments": "Argumenter",
    "Show this message and exit.": "Vis denne hjelpen og avslutt.",
    "Show the version and exit.": "Vis versjonen og avslutt.",
    "default: {default}": "standard: {default}",
    "required": "må være med",
}


def _gettext(message: str) -> str:
    return _CATALOGUE.get(message, message)


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def _number(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _describe_range(self: Any) -> str:
    """`minst 0,1`, `høyst 10`, `fra 1 til 64` instead of click's `x>=0.1` and `1<=x<=64`."""
    low = None if self.min is None else ("over " if self.min_open else "minst ") + _number(self.min)
    high = (
        None if self.max is None else ("under " if self.max_open else "høyst ") + _number(self.max)
    )
    if low and high and not (self.min_open or self.max_open):
        return f"fra {_number(self.min)} til {_number(self.max)}"
    return " og ".join(part for part in (low, high) if part)


def install() -> None:
    """Put the catalogue where click looks up its messages."""
    ranges = getattr(click.types, "_NumberRangeBase", None)
    if ranges is not None and hasattr(ranges, "_describe_range"):  # also shown in --help
        ranges._describe_range = _describe_range
    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.termui,
        click.types,
    ):
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]  # click's own gettext alias
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]


# --- the help pages -------------------------------------------------------------------------

_HEADINGS = {"Options": "Valg", "Commands": "Kommandoer", "Arguments": "Argumenter"}


class Formatter(click.HelpFormatter):
    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, prefix="Bruk: ")

    def write_heading(self, heading: str) -> None:
        super().write_heading(_HEADINGS.get(heading, heading))


class Context(click.Context):
    formatter_class = Formatter

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # `-h` is help too (it was «Ukjent valg»), and so is the Norwegian word.
        kwargs.setdefault("help_option_names", ["-h", "--help", "--hjelp"])
        super().__init__(*args, **kwargs)


def _norwegian_help_option(command: click.Command, ctx: click.Context) -> click.Option | None:
    option = click.Command.get_help_option(command, ctx)
    if option is not None:
        option.help = "Vis denne hjelpen og avslutt."
    return option


def _whole_summary(command: click.Command, limit: int = 45) -> str:
    """The command's first sentence, whole, for the list in `ipdocs --help` (click cuts it at
    45 characters: «…eller en...»)."""
    if command.short_help:
        return command.short_help
    text = (command.help or "").strip().split("\n\n", 1)[0]
    text = " ".join(text.split())
    return text.split(". ", 1)[0].rstrip(".")


class Command(click.Command):
    context_class = Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[VALG]")
        super().__init__(*args, **kwargs)

    get_help_option = _norwegian_help_option
    get_short_help_str = _whole_summary


class Group(click.Group):
    context_class = Context
    command_class = Command

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[VALG]")
        kwargs.setdefault("subcommand_metavar", "KOMMANDO [ARGUMENTER]...")
        super().__init__(*args, **kwargs)

    get_help_option = _norwegian_help_option
    get_short_help_str = _whole_summary


Group.group_class = Group


# --- options more than one command takes -----------------------------------------------------

F = TypeVar("F", bound=Callable[..., Any])


# Every option has a Norwegian name; the English names it had before still work (scripts and
# the systemd unit use them), and the help shows both.


def out_option(help: str) -> Callable[[F], F]:
    return click.option(
        "--ut",
        "--out",
        "-o",
        "out",
        type=click.Path(file_okay=False, path_type=Path),
        metavar="MAPPE",
        help=help,
    )


_FOLDER_NAMES = {"--inbox": ("--innboks", "--inbox"), "--outbox": ("--utboks", "--outbox")}


def folder_option(name: str, help: str) -> Callable[[F], F]:
    names = _FOLDER_NAMES.get(name, (name,))
    return click.option(
        *names,
        name.lstrip("-"),
        type=click.Path(file_okay=False, path_type=Path),
        metavar="MAPPE",
        help=help,
    )


def files_argument(command: F) -> F:
    """FIL...: one or more files (or folders) that exist."""
    return click.argument(
        "files",
        nargs=-1,
        required=True,
        type=click.Path(exists=True, path_type=Path),
        metavar="FIL...",
    )(command)


_SECONDS_NAMES = {"--interval": ("--intervall", "--interval")}


def seconds_option(name: str, minimum: float, help: str) -> Callable[[F], F]:
    names = _SECONDS_NAMES.get(name, (name,))
    return click.option(
        *names,
        name.lstrip("-"),
        type=click.FloatRange(min=minimum),
        metavar="SEKUNDER",
        help=help,
    )


def jobs_option(help: str) -> Callable[[F], F]:
    return click.option(
        "--samtidig", "--jobs", "-j", "jobs", type=click.IntRange(1, 64), metavar="N", help=help
    )


def pdf_and_ics_options(command: F) -> F:
    """`--pdf` and `--ics/--no-ics`, for the commands that make documents."""
    command = click.option(
        "--ics/--uten-ics",
        " /--no-ics",
        "ics",
        default=None,
        help="Lag (eller ikke) en kalenderfil (.ics) for hver innkalling (standard: lag den).",
    )(command)
    return click.option(
        "--pdf",
        is_flag=True,
        default=None,
        help="Lag også en PDF ved siden av hvert Word-dokument (trenger LibreOffice).",
    )(command)
