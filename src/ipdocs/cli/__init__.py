"""The `ipdocs` command: click commands that call the pipeline and speak plain Norwegian.

No document logic lives here. `main` is the one place that turns errors into exit codes
(errors.ExitCode) and messages; bad input never shows a traceback.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from types import FrameType

import click

from .. import _click_nb
from ..errors import ExitCode, IpdocsError, Terminated, classify, redact
from ..report import failure_message
from . import cases, documents, watching  # noqa: F401 - each registers its commands on the group
from .common import cli

# The pipeline (docxtpl, openpyxl, holidays, Babel) is imported by the commands that use it,
# so `--help`, `status` and `archive` start in a fraction of the time.


def _terminate(signum: int, frame: FrameType | None) -> None:
    raise Terminated


def main() -> None:
    """Entry point: run the command, map every outcome to an exit code."""
    _click_nb.install()
    # Like Ctrl-C: what is half done is cleaned away and the command says so (`ipdocs
    # watch` sets its own: it finishes the file in hand first).
    signal.signal(signal.SIGTERM, _terminate)
    try:
        code = cli.main(prog_name="ipdocs", standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:
        click.echo(exc.format_message(), err=True)  # `ipdocs` alone: the help, not an error
        code = ExitCode.usage
    except click.exceptions.UsageError as exc:
        name = exc.ctx.command_path if exc.ctx else "ipdocs"
        click.echo(f"Feil: {redact(exc.format_message())}", err=True)
        click.echo(f"Skriv «{name} --help» for hjelp.", err=True)
        code = ExitCode.usage
    except click.exceptions.Abort as exc:
        click.echo("Avbrutt.", err=True)
        cause = exc.__cause__ if isinstance(exc.__cause__, KeyboardInterrupt) else None
        code = classify(cause or KeyboardInterrupt()).exit_code
    except click.ClickException as exc:
        click.echo(f"Feil: {redact(exc.format_message())}", err=True)
        code = exc.exit_code
    except Exception as exc:  # noqa: BLE001 - the last line of defence: no traceback for users
        verdict = classify(exc)
        if not isinstance(exc, IpdocsError) and os.environ.get("IPDOCS_DEBUG"):
            traceback.print_exc()
        click.echo(failure_message(exc), err=True)
        code = verdict.exit_code
    sys.exit(int(code or 0))


# --- shared helpers -----------------------------------------------------------------------
