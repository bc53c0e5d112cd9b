"""Making documents: render, check, skeleton, init, templates check and batch."""

from __future__ import annotations

from pathlib import Path

import click

from .. import _click_nb, skeletons
from ..errors import ExitCode, outcome, redact
from ..kinds import DocumentKind
from ..settings import CONFIG_NAME
from .common import (
    case_argument,
    cli,
    load_settings,
    plan_ledger,
    run_files,
    warn_about_sender,
)


@cli.command(
    help="""Lag dokumentene fra en eller flere filer.

Hver fil blir til outbox/<sak>/<dato>_<dokument>.docx. Er en fil feil, blir den
avvist med en forklaring, og de andre blir likevel laget. En mappe betyr alle
.yaml-, .yml-, .json-, .xlsx- og .csv-filene i den. En innkalling får også en
kalenderfil (.ics) som deltakerne kan legge i kalenderen sin. En fil som er
laget før med nøyaktig det samme innholdet, lages ikke på nytt (bruk --på-nytt).
Er et dokument i outbox endret etter at ipdocs laget det, blir det liggende ved
siden av det nye.

\b
Eksempel:
  ipdocs render innkalling.yaml referat.xlsx --ut outbox
  ipdocs render innkalling.yaml --pdf      lag også en PDF av hvert dokument
"""
)
@_click_nb.files_argument
@_click_nb.out_option("Hvor dokumentene skal legges (standard: outbox/).")
@_click_nb.pdf_and_ics_options
@click.option(
    "--på-nytt",
    "--pa-nytt",
    "again",
    is_flag=True,
    help="Lag dokumentene selv om nøyaktig den samme filen er laget før.",
)
@click.pass_context
def render(
    ctx: click.Context,
    files: tuple[Path, ...],
    out: Path | None,
    pdf: bool,
    ics: bool,
    again: bool,
) -> int:
    settings = load_settings(ctx, outbox=out, pdf=pdf, ics=ics)
    return run_files(files, settings, write=True, again=again)


@cli.command(
    help="""Sjekk filer uten å lage noe.

Gir de samme meldingene som «render», men skriver ingen filer.

\b
Eksempel:
  ipdocs check innkalling.yaml
  ipdocs check notater/          sjekker alle filene i mappen notater
"""
)
@_click_nb.files_argument
@click.pass_context
def check(ctx: click.Context, files: tuple[Path, ...]) -> int:
    return run_files(files, load_settings(ctx), write=False)


@cli.command(
    help="""Lag en eksempelfil du kan fylle ut.

DOKUMENT er innkalling, referat, samtykke eller fullmakt. Med --xlsx får du
et Excel-ark for ett møte i stedet (innkalling eller referat). «batch» gir
Excel-arket for mange innkallinger på en gang (én rad per innkalling).

\b
Eksempel:
  ipdocs skeleton referat --xlsx
  ipdocs skeleton batch --xlsx      lager innkallinger.xlsx til «ipdocs batch»
"""
)
@click.argument("kind", type=click.Choice((*skeletons.KINDS, "batch")), metavar="DOKUMENT")
@click.option("--xlsx", is_flag=True, help="Lag et Excel-ark i stedet for en YAML-fil.")
@click.option(
    "--ut",
    "--out",
    "-o",
    "target",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FIL",
    help="Filnavnet (standard: DOKUMENT.yaml eller DOKUMENT.xlsx).",
)
@click.option("--overskriv", is_flag=True, help="Skriv over en fil som finnes fra før.")
@click.option(
    "--sak",
    "case",
    metavar="SAK",
    help="Fyll ut fra det ipdocs vet om saken: referatet for siste møte, eller innkallingen "
    "til neste møte (innkalling og referat).",
)
@_click_nb.folder_option("--outbox", "Outbox-mappen med saken, for --sak (standard: outbox/).")
@click.pass_context
def skeleton(
    ctx: click.Context,
    kind: str,
    xlsx: bool,
    target: Path | None,
    overskriv: bool,
    case: str | None,
    outbox: Path | None,
) -> int:
    from ..scaffold import NothingToFill, write_case_skeleton, write_skeleton

    settings = load_settings(ctx, outbox=outbox)
    if xlsx and kind not in (DocumentKind.invitation, DocumentKind.minutes, "batch"):
        raise click.UsageError(
            "Excel-ark finnes bare for innkalling og referat. Bruk YAML for de andre."
        )
    if case is not None and kind not in (DocumentKind.invitation, DocumentKind.minutes):
        raise click.UsageError("--sak finnes bare for innkalling og referat.")
    if case is not None:
        case = case_argument(case, "--sak")
    suffix = "xlsx" if xlsx else "yaml"
    default = "innkallinger.xlsx" if kind == "batch" else f"{kind}.{suffix}"
    if case is not None:
        default = f"{case}_{kind}.{suffix}"
    target = target or Path(default)
    if target.exists() and not overskriv:
        raise click.UsageError(
            f"{target} finnes fra før. Bruk --overskriv, eller velg et annet navn med --ut."
        )
    if case is None:
        click.echo(write_skeleton(kind, target, xlsx=xlsx, today=settings.today))
        return ExitCode.ok
    with plan_ledger(settings) as ledger:
        try:
            click.echo(
                write_case_skeleton(
                    kind,
                    ledger.case_spelled(case),
                    target,
                    xlsx=xlsx,
                    ledger=ledger,
                    today=settings.today,
                )
            )
        except NothingToFill as exc:
            click.echo(f"Feil: {exc}", err=True)
            return ExitCode.refused
    return ExitCode.ok


@cli.command(
    help="""Gjør klar en mappe for ipdocs.

Lager inbox/, outbox/, templates/ (kopier av malene, som du kan endre i Word) og
ipdocs.toml, der du fyller inn kommunens navn og kontaktinformasjon. Ingenting som
finnes fra før blir skrevet over.

\b
Eksempel:
  ipdocs init                 gjør klar mappen du står i
  ipdocs init /srv/ipdocs     gjør klar en mappe på serveren
"""
)
@click.argument(
    "folder",
    required=False,
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="[MAPPE]",
)
def init(folder: Path) -> int:
    from ..scaffold import init_folder

    created = init_folder(folder)
    config = folder / CONFIG_NAME
    if created:
        click.echo(f"Laget i {folder}: " + ", ".join(created))
    else:
        click.echo(f"Alt fantes fra før i {folder}. Ingenting ble endret.")
    click.echo(f"Neste steg: fyll inn kommunens opplysninger i {config}.")
    return ExitCode.ok


@cli.group(
    cls=_click_nb.Group,
    help="""Arbeid med Word-malene.

\b
Eksempel:
  ipdocs templates check            sjekker malene fra ipdocs.toml
  ipdocs templates check templates  sjekker malene i mappen templates
""",
)
def templates() -> None:
    pass


@templates.command(
    "check",
    help="""Sjekk Word-malene før du bruker dem.

Finner felt som er skrevet feil og koder som ikke er hele, i teksten, tabellene,
toppteksten og bunnteksten, og sier hvilket avsnitt det gjelder. Uten MAPPE
sjekkes malene fra innstillingsfilen, ellers de innebygde malene. ipdocs render
bruker ikke en mal som har feil.

\b
Eksempel:
  ipdocs templates check
  ipdocs templates check templates
""",
)
@click.argument(
    "folder",
    required=False,
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="[MAPPE]",
)
@click.pass_context
def templates_check(ctx: click.Context, folder: Path | None) -> int:
    from ..report import template_lines
    from ..template_check import check_folder

    settings = load_settings(ctx)
    reports = check_folder(folder or settings.templates, settings)
    lines, failures = template_lines(reports)
    click.echo("\n".join(lines))
    return outcome(refused=failures)


# --- watch and status (the watched folder) ----------------------------------------------


@cli.command(
    help="""Lag mange innkallinger på en gang fra et Excel-ark eller en CSV-fil.

Hver rad i arket «Innkallinger» blir én innkalling i outbox/<sak>/, med en
kalenderfil (.ics) ved siden av. En rad med feil blir ikke laget: du får vite
hvilken celle som er feil og hvordan du retter den, og de andre radene blir
laget likevel. CSV-filer kan lagres rett fra Excel («CSV (semikolondelt)» eller
«CSV UTF-8»). Lag et ferdig ark med «ipdocs skeleton batch --xlsx».

\b
Eksempel:
  ipdocs batch innkallinger.xlsx
  ipdocs batch innkallinger.csv --pdf --ut utsendelse
  ipdocs batch innkallinger.xlsx --pdf --utskrift
  ipdocs batch innkallinger.xlsx --utskrift --tosidig
"""
)
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FIL")
@_click_nb.out_option("Hvor innkallingene skal legges (standard: outbox/).")
@_click_nb.pdf_and_ics_options
@click.option(
    "--utskrift",
    "print_pack",
    is_flag=True,
    help="Lag også én PDF med alle innkallingene, i samme rekkefølge som radene, klar til å "
    "skrives ut og sendes i posten (outbox/utskrift/<dato>_innkallinger.pdf). Gir PDF av "
    "hver innkalling også.",
)
@click.option(
    "--tosidig",
    "duplex",
    is_flag=True,
    help="Utskriften er for en skriver som skriver på begge sider: en tom side etter hver "
    "innkalling med et oddetall sider, så hver innkalling begynner på et nytt ark og kan "
    "legges i sin egen konvolutt. Gir --utskrift.",
)
@_click_nb.jobs_option(
    "Hvor mange innkallinger som lages samtidig (standard: antall prosessorkjerner)."
)
@click.pass_context
def batch(
    ctx: click.Context,
    file: Path,
    out: Path | None,
    pdf: bool,
    ics: bool,
    print_pack: bool,
    duplex: bool,
    jobs: int | None,
) -> int:
    from ..pipeline import process_batch
    from ..readers.batch import count_rows, is_batch_file
    from ..report import batch_lines
    from ..report.progress import Progress

    if is_batch_file(file) is False:
        name = redact(file.name)
        raise click.UsageError(
            f"«{name}» er ikke en liste med innkallinger. «ipdocs batch» leser arket "
            "«Innkallinger» i en Excel-fil (.xlsx) eller en CSV-fil. Møtenotater (YAML eller "
            f"JSON) og arbeidsbøker med ett møte lages med «ipdocs render {name}»."
        )
    print_pack = print_pack or duplex
    settings = load_settings(ctx, outbox=out, pdf=True if print_pack else pdf, ics=ics)
    warn_about_sender(settings)
    with Progress(count_rows(file)) as progress:
        result = process_batch(file, settings, jobs=jobs, progress=progress)
    click.echo("\n".join(batch_lines(result, outbox=settings.outbox)))
    if print_pack:
        from ..printpack import make_print_pack

        pack = make_print_pack(result, settings.outbox, settings.today, duplex=duplex)
        click.echo(f"Til utskrift: {pack}" if pack else "Ingen innkallinger å skrive ut.")
    return outcome(refused=len(result.refused))


# --- archive (closing a case or moving municipality) ------------------------------------
