"""The watched folder: watch and status."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from .. import _click_nb
from ..errors import ExitCode
from ..ledger import Ledger
from .common import (
    cli,
    load_settings,
)


@cli.command(
    help="""Følg med på innboksen og lag dokumentene av seg selv.

Legg en fil i innboksen, så blir dokumentene laget i outbox/<sak>/. En fil
leses først når den har vært uendret en stund (ventetiden), så en fil som
fortsatt blir kopiert, eller er åpen i Excel, blir ikke tatt for tidlig.

\b
Etterpå ligger filen i:
  inbox/ferdig/   dokumentene er laget (advarsler står i <navn>.merknad.txt)
  inbox/feil/     filen har feil: <navn>.feil.txt sier hva du må rette.
                  Rett filen og legg den i innboksen igjen.

Signerte skann blir lagt i outbox/<sak>/signert/. En bunke rett fra skanneren
(Skann_20261203_0001.pdf) blir delt etter QR-koden på sidene, og hvert
dokument lagt i sin sak. Har sidene ingen QR-kode, gi filen navnet
<sak>_<dokument>.pdf (for eksempel IP-2026-0042_samtykke_signert.pdf), eller
legg den i inbox/signert/<sak>/. Stopp med Ctrl-C.

\b
Eksempel:
  ipdocs watch
  ipdocs watch --innboks /mnt/felles/inbox --utboks /mnt/felles/outbox
"""
)
@_click_nb.folder_option(
    "--inbox", "Mappen det legges filer i (standard: inbox/, eller det som står i ipdocs.toml)."
)
@_click_nb.folder_option("--outbox", "Hvor dokumentene skal legges (standard: outbox/).")
@click.option(
    "--jevnlig",
    "--polling",
    "polling",
    is_flag=True,
    help="Se etter nye filer med jevne mellomrom i stedet for å få beskjed fra systemet. "
    "Skjer av seg selv når innboksen er en nettverksmappe.",
)
@_click_nb.seconds_option(
    "--interval",
    0.1,
    "Sekunder mellom hver gang ipdocs ser etter nye filer med --jevnlig (standard: 1).",
)
@_click_nb.seconds_option(
    "--ventetid", 0, "Sekunder en fil må være uendret før den leses (standard: 2)."
)
@_click_nb.jobs_option(
    "Hvor mange filer som lages samtidig når mange kommer på en gang "
    "(standard: antall prosessorkjerner)."
)
@click.pass_context
def watch(
    ctx: click.Context,
    inbox: Path | None,
    outbox: Path | None,
    polling: bool,
    interval: float | None,
    ventetid: float | None,
    jobs: int | None,
) -> int:
    from ..run import default_jobs
    from ..watch import configure_logging, serve

    settings = load_settings(
        ctx, inbox=inbox, outbox=outbox, poll_interval=interval, settle_seconds=ventetid
    )
    configure_logging()
    from ..settings import sender_warning

    warning = sender_warning(settings)
    if warning is not None:
        logging.getLogger("ipdocs.watch").warning("Advarsel: %s", warning)
    serve(settings, polling=polling, jobs=jobs or default_jobs())
    return ExitCode.ok


@cli.command(
    help="""Vis hva som er laget nylig, og filer med feil som ikke er rettet ennå.

En feil regnes som rettet når en fil med samme navn er laget etterpå, når det
samme dokumentet for den samme saken er laget etterpå (fra en fil med et annet
navn), eller når filen ikke lenger ligger i inbox/feil/ (du har tatt den ut for
å rette den, eller slettet den). Med --alle ser du også feilene som er rettet,
og hvordan.

\b
Eksempel:
  ipdocs status
  ipdocs status --antall 50
  ipdocs status --alle
"""
)
@_click_nb.folder_option("--outbox", "Mappen med dokumentene (standard: outbox/).")
@_click_nb.folder_option(
    "--inbox", "Innboksen, for å vise rapportene og hvor mange filer som venter (standard: inbox/)."
)
@click.option(
    "--antall",
    type=click.IntRange(min=1),
    default=15,
    show_default=False,
    metavar="N",
    help="Hvor mange av de siste filene som vises (standard: 15).",
)
@click.option(
    "--alle", is_flag=True, help="Vis også feilene som er rettet eller fjernet, og hvordan."
)
@click.pass_context
def status(
    ctx: click.Context, outbox: Path | None, inbox: Path | None, antall: int, alle: bool
) -> int:
    from ..ledger import default_path
    from ..watch.status import status_lines

    settings = load_settings(ctx, inbox=inbox, outbox=outbox)
    path = default_path(settings.outbox)
    if not path.is_file():
        click.echo(f"Ingenting er laget i {settings.outbox} ennå.")
        return ExitCode.ok
    with Ledger(path) as ledger:
        lines = status_lines(
            ledger, outbox=settings.outbox, inbox=settings.inbox, limit=antall, everything=alle
        )
    click.echo("\n".join(lines))
    return ExitCode.ok


# --- batch (secretaries' invitation workbooks) ------------------------------------------
