"""The command group and what the commands share: the settings, the sender warning, the
case argument, the outbox ledger, JSON output and the render/check loop over files."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import Any

import click

from .. import __version__, _click_nb, casekey
from ..ledger import InputRow, Ledger
from ..results import Result, Stopped
from ..settings import CONFIG_NAME, Settings


def load_settings(ctx: click.Context, **overrides: Any) -> Settings:
    return Settings.load(ctx.obj.get("config") if ctx.obj else None, **overrides)


def warn_about_sender(settings: Settings) -> None:
    """Once, before any document: the letters would go out without the municipality's own
    name and numbers (no ipdocs.toml here, or its [kommune] still the example)."""
    from ..settings import sender_warning

    warning = sender_warning(settings)
    if warning is not None:
        click.echo(f"Advarsel: {warning}", err=True)


def run_files(
    files: tuple[Path, ...], settings: Settings, *, write: bool, again: bool = False
) -> int:
    from ..pipeline import input_files, process_files
    from ..report import files_summary, result_lines, unchanged_lines

    paths = input_files(files)
    if not paths:
        raise click.UsageError("Fant ingen filer å lese.")
    if write:
        warn_about_sender(settings)

    def made(result: Result) -> None:
        saved = _save_leftovers(result, settings) if write else None
        for line in result_lines(result, checking=not write, saved=saved):
            click.echo(line)

    def stopped(entry: Stopped) -> None:
        click.echo(f"Feil: {entry.error}", err=True)

    def unchanged(path: Path, prior: InputRow) -> None:
        lines = unchanged_lines(
            path, made_at=prior.received_at, outputs=prior.outputs, outbox=settings.outbox
        )
        click.echo("\n".join(lines))

    done = process_files(
        paths,
        settings,
        write=write,
        on_result=made,
        on_stopped=stopped,
        on_unchanged=unchanged,
        again=again,
    )
    click.echo(
        files_summary(
            done.made,
            done.refused,
            done.stopped,
            checking=not write,
            unchanged=len(done.unchanged),
        )
    )
    return done.exit_code


def _save_leftovers(result: Result, settings: Settings) -> dict[str, Path] | None:
    """A scanned stack given on the command line: the pages no case took go to the inbox's
    feil/ as their own PDFs with a report, as the watcher puts them (the stack stays put).
    Without an inbox (never made here, or a share that is away) they go beside the stack."""
    if result.split is None or not result.split.leftovers:
        return None
    from ..watch.folders import Folders
    from ..watch.outcome import file_leftovers

    inbox = settings.inbox.resolve()
    failed = Folders(inbox).failed if inbox.is_dir() else result.source.resolve().parent
    whole = f"Hele bunken ligger der den lå ({result.source.resolve()}), og er ikke endret."
    return file_leftovers(result, name=result.source.name, failed=failed, whole=whole)


@click.group(
    cls=_click_nb.Group,
    help="""Fyller ut innkalling, referat, samtykke og fullmakt for
ansvarsgrupper og individuell plan, fra møtenotater (YAML/JSON) eller Excel-ark.

\b
Kom i gang:
  ipdocs init                      lag mappene og innstillingsfilen
  ipdocs skeleton innkalling       lag et eksempel du kan fylle ut
  ipdocs render innkalling.yaml    lag Word-dokumentet i outbox/<sak>/
""",
)
@click.option(
    "--innstillinger",
    "--config",
    "-c",
    "config",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FIL",
    help=f"Innstillingsfilen (standard: {CONFIG_NAME} i mappen du står i).",
)
@click.version_option(
    __version__,
    "--versjon",
    "--version",
    message="ipdocs %(version)s",
    help="Vis versjonen og avslutt.",
)
@click.pass_context
def cli(ctx: click.Context, config: Path | None) -> None:
    ctx.obj = {"config": config}


def case_argument(case: str, where: str) -> str:
    case = unicodedata.normalize("NFC", case)
    wrong = casekey.problem(case, where=where)
    if wrong is not None:
        raise click.UsageError(str(wrong))
    return case


def plan_ledger(settings: Settings) -> Ledger:
    """The outbox's ledger (upgraded in place when it is older); a usage error when nothing
    was made there yet."""
    from ..ledger import default_path

    path = default_path(settings.outbox)
    if not path.is_file():
        raise click.UsageError(
            f"Ingenting er laget i {settings.outbox} ennå. Bruk --out for å velge outbox-mappen."
        )
    return Ledger(path)


def echo_json(data: object) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
