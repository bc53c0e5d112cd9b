"""The cases: sak, oppfolging, oversikt and archive."""

from __future__ import annotations

from pathlib import Path

import click

from .. import _click_nb
from ..errors import ExitCode, InputError, classify
from .common import (
    case_argument,
    cli,
    echo_json,
    load_settings,
    plan_ledger,
    warn_about_sender,
)


@cli.command(
    "sak",
    help="""Vis alt om én sak: personen, koordinatoren, de faste deltakerne, dokumentene,
samtykket, åpne tiltak og tiltak over fristen, siste og neste møte, siste årlige
evaluering og neste overgang (skolestart, 7. trinn, videregående, 18 år).
Fødselsnummeret vises aldri, bare fødselsdatoen.

\b
Eksempel:
  ipdocs sak IP-2026-0042
  ipdocs sak IP-2026-0042 --json
  ipdocs sak IP-2026-0042 --gjenåpne     åpne en avsluttet sak igjen
""",
)
@click.argument("case", metavar="SAK")
@click.option("--json", "as_json", is_flag=True, help="Skriv svaret som JSON.")
@click.option(
    "--gjenåpne",
    "--gjenapne",
    "reopen",
    is_flag=True,
    help="Åpne en avsluttet sak igjen, så den kommer med i «ipdocs oppfolging».",
)
@_click_nb.out_option("Outbox-mappen med saken (standard: outbox/).")
@click.pass_context
def case_command(
    ctx: click.Context, case: str, as_json: bool, reopen: bool, out: Path | None
) -> int:
    from ..followup import case_lines, case_summary

    settings = load_settings(ctx, outbox=out)
    case = case_argument(case, "SAK")
    with plan_ledger(settings) as ledger:
        case = ledger.case_spelled(case)
        if reopen:
            if ledger.reopen_case(case):
                click.echo(f"Saken {case} er åpnet igjen.", err=as_json)
            else:
                click.echo(f"Saken {case} var ikke avsluttet.", err=as_json)
        summary = case_summary(ledger, case, settings.today)
    if summary is None:
        click.echo(f"Feil: Fant ingen sak {case} i {settings.outbox}.", err=True)
        return ExitCode.refused
    if as_json:
        echo_json(summary)
    else:
        click.echo("\n".join(case_lines(summary, settings.today)))
    return ExitCode.ok


@cli.command(
    "oppfolging",
    help="""Vis alt som forfaller i de åpne sakene, det som haster mest først.

Tiltak over fristen (etter hvem som har ansvaret), neste møte innen 10 dager
uten innkalling, møter uten referat etter 14 dager, samtykker som slutter eller
ikke er kommet inn signert, årlig evaluering og overganger (skolestart, 7. trinn,
videregående, 18 år). Hver linje sier hva du gjør, og kommandoen der det finnes en.
Avsluttede saker er ikke med.

\b
Eksempel:
  ipdocs oppfolging
  ipdocs oppfolging --dager 60 --ansvar Ergoterapeut
  ipdocs oppfolging --xlsx oppfolging.xlsx
""",
)
@click.option(
    "--dager",
    type=click.IntRange(min=0),
    default=30,
    metavar="N",
    help="Hvor mange dager fram det ses (standard: 30).",
)
@click.option("--ansvar", metavar="TEKST", help="Bare tiltak der ansvaret inneholder TEKST.")
@click.option(
    "--xlsx",
    "xlsx",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FIL",
    help="Skriv listen til et Excel-ark også.",
)
@click.option("--json", "as_json", is_flag=True, help="Skriv svaret som JSON.")
@_click_nb.out_option("Outbox-mappen med sakene (standard: outbox/).")
@click.pass_context
def followup_command(
    ctx: click.Context,
    dager: int,
    ansvar: str | None,
    xlsx: Path | None,
    as_json: bool,
    out: Path | None,
) -> int:
    from ..followup import due, due_lines, write_due

    settings = load_settings(ctx, outbox=out)
    with plan_ledger(settings) as ledger:
        items = due(ledger, settings.today, days=dager, owner=(ansvar or "").strip())
    if xlsx is not None:
        write_due(items, xlsx)
    if as_json:
        echo_json({"today": settings.today.isoformat(), "items": [i.as_json() for i in items]})
    else:
        click.echo("\n".join(due_lines(items, settings.today, dager)))
        if xlsx is not None:
            click.echo(f"Skrev {xlsx}.")
    return ExitCode.ok


@cli.command(
    "oversikt",
    help="""Listen over alle ansvarsgrupper, slik koordinerende enhet (TOK) fører den.

Hver åpen sak med koordinator og tjeneste, siste og neste møte, hvor lenge
samtykket gjelder, siste årlige evaluering og åpne tiltak og tiltak over
fristen. Avsluttede saker står for seg, med datoen de ble avsluttet.

\b
Eksempel:
  ipdocs oversikt
  ipdocs oversikt --xlsx ansvarsgrupper.xlsx
""",
)
@click.option(
    "--xlsx",
    "xlsx",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FIL",
    help="Skriv oversikten til et Excel-ark også.",
)
@click.option("--json", "as_json", is_flag=True, help="Skriv svaret som JSON.")
@_click_nb.out_option("Outbox-mappen med sakene (standard: outbox/).")
@click.pass_context
def overview_command(ctx: click.Context, xlsx: Path | None, as_json: bool, out: Path | None) -> int:
    from ..followup import overview, overview_lines, write_overview

    settings = load_settings(ctx, outbox=out)
    with plan_ledger(settings) as ledger:
        data = overview(ledger, settings.today)
    if xlsx is not None:
        write_overview(data, xlsx)
    if as_json:
        echo_json(data)
    else:
        click.echo("\n".join(overview_lines(data)))
        if xlsx is not None:
            click.echo(f"Skrev {xlsx}.")
    return ExitCode.ok


@cli.command(
    "archive",
    help="""Samle alle dokumentene i en sak i én PDF for arkivet.

Brukes når ansvarsgruppen avsluttes, eller når personen flytter til en annen
kommune. PDF-en får en forside, en innholdsliste med dato, dokument og
sidetall, et bokmerke per dokument, og de signerte skanningene. Hver side
har saken og sidetallet («Side 3 av 12») nederst, så en utskrift kan leses
med innholdslisten. Den legges i
outbox/<sak>/arkiv/ sammen med en sjekksumfil (.manifest.json) som viser hva
arkivet inneholder. Word-dokumenter uten PDF blir gjort om med LibreOffice.

Ved flytting må saken ha et signert samtykke som gjelder overføring ved
flytting («overforing_ved_flytting: true»). Ved avslutning blir saken merket
som avsluttet, og ipdocs advarer hvis det senere kommer filer til den.

\b
Eksempler:
  ipdocs archive IP-2026-0042 --grunn avslutning
  ipdocs archive IP-2026-0042 --grunn flytting --til-kommune "Trondheim kommune" --pdfa
  ipdocs archive IP-2026-0042 --grunn avslutning --tosidig
""",
)
@click.argument("case", metavar="SAK")
@click.option(
    "--grunn",
    "reason",
    type=click.Choice(["avslutning", "flytting"]),
    help="Må være med: avslutning (ansvarsgruppen er ferdig) eller flytting (personen flytter).",
)
@click.option(
    "--til-kommune",
    "to_municipality",
    metavar="NAVN",
    help="Kommunen personen flytter til. Må være med ved flytting.",
)
@_click_nb.out_option("Outbox-mappen dokumentene ble laget i (standard: outbox/).")
@click.option("--pdfa", is_flag=True, help="Lag PDF/A-2b, formatet for langtidslagring i arkiv.")
@click.option(
    "--tosidig",
    "duplex",
    is_flag=True,
    help="For tosidig utskrift: en tom side etter hvert dokument med et oddetall sider, så "
    "hvert dokument begynner på en forside.",
)
@click.pass_context
def archive_command(
    ctx: click.Context,
    case: str,
    reason: str | None,
    to_municipality: str | None,
    out: Path | None,
    pdfa: bool,
    duplex: bool,
) -> int:
    from ..archive import make_archive
    from ..report import archive_lines, archive_refused_lines

    case = case_argument(case, "SAK")
    if reason is None:  # checked here: click would add an English "[required]" to the help
        raise click.UsageError(
            "Skriv hvorfor saken arkiveres: --grunn avslutning eller --grunn flytting."
        )
    to_municipality = (to_municipality or "").strip()
    if reason == "flytting" and not to_municipality:
        raise click.UsageError(
            "Ved flytting må du skrive hvilken kommune personen flytter til, for eksempel "
            '--til-kommune "Trondheim kommune".'
        )
    if reason != "flytting" and to_municipality:
        raise click.UsageError("--til-kommune brukes bare sammen med --grunn flytting.")
    settings = load_settings(ctx, outbox=out)
    warn_about_sender(settings)
    try:
        made = make_archive(
            settings,
            case,
            reason,
            to_municipality=to_municipality,
            pdfa=pdfa,
            duplex=duplex,
            say=lambda text: click.echo(text, err=True),
        )
    except InputError as exc:
        click.echo("\n".join(archive_refused_lines(exc.problems)), err=True)
        return classify(exc).exit_code
    click.echo("\n".join(archive_lines(made, case, pdfa=pdfa)))
    return ExitCode.ok
