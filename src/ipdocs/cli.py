"""The `ipdocs` command: click commands that call the pipeline and speak plain Norwegian.

No document logic lives here. `main` is the one place that turns errors into exit codes
(errors.ExitCode) and messages; bad input never shows a traceback.
"""

from __future__ import annotations

import logging
import os
import signal
import sys
import traceback
import unicodedata
from pathlib import Path
from types import FrameType
from typing import Any

import click

from . import __version__, _click_nb, casekey, skeletons
from .errors import ExitCode, InputError, IpdocsError, Terminated, classify, outcome, redact
from .kinds import DocumentKind
from .ledger import InputRow, Ledger
from .report import failure_message
from .results import Result, Stopped
from .settings import CONFIG_NAME, Settings

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


def _settings(ctx: click.Context, **overrides: Any) -> Settings:
    return Settings.load(ctx.obj.get("config") if ctx.obj else None, **overrides)


def _warn_about_sender(settings: Settings) -> None:
    """Once, before any document: the letters would go out without the municipality's own
    name and numbers (no ipdocs.toml here, or its [kommune] still the example)."""
    from .settings import sender_warning

    warning = sender_warning(settings)
    if warning is not None:
        click.echo(f"Advarsel: {warning}", err=True)


def _run_files(
    files: tuple[Path, ...], settings: Settings, *, write: bool, again: bool = False
) -> int:
    from .pipeline import input_files, process_files
    from .report import files_summary, result_lines, unchanged_lines

    paths = input_files(files)
    if not paths:
        raise click.UsageError("Fant ingen filer å lese.")
    if write:
        _warn_about_sender(settings)

    def made(result: Result) -> None:
        for line in result_lines(result, checking=not write):
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


# --- commands -------------------------------------------------------------------------------


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
    settings = _settings(ctx, outbox=out, pdf=pdf, ics=ics)
    return _run_files(files, settings, write=True, again=again)


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
    return _run_files(files, _settings(ctx), write=False)


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
    from .scaffold import NothingToFill, write_case_skeleton, write_skeleton

    settings = _settings(ctx, outbox=outbox)
    if xlsx and kind not in (DocumentKind.invitation, DocumentKind.minutes, "batch"):
        raise click.UsageError(
            "Excel-ark finnes bare for innkalling og referat. Bruk YAML for de andre."
        )
    if case is not None and kind not in (DocumentKind.invitation, DocumentKind.minutes):
        raise click.UsageError("--sak finnes bare for innkalling og referat.")
    if case is not None:
        case = _case_argument(case, "--sak")
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
    with _plan_ledger(settings) as ledger:
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


def _case_argument(case: str, where: str) -> str:
    case = unicodedata.normalize("NFC", case)
    wrong = casekey.problem(case, where=where)
    if wrong is not None:
        raise click.UsageError(str(wrong))
    return case


def _plan_ledger(settings: Settings) -> Ledger:
    """The outbox's ledger (upgraded in place when it is older); a usage error when nothing
    was made there yet."""
    from .ledger import default_path

    path = default_path(settings.outbox)
    if not path.is_file():
        raise click.UsageError(
            f"Ingenting er laget i {settings.outbox} ennå. Bruk --out for å velge outbox-mappen."
        )
    return Ledger(path)


def _echo_json(data: object) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


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
    from .followup import case_lines, case_summary

    settings = _settings(ctx, outbox=out)
    case = _case_argument(case, "SAK")
    with _plan_ledger(settings) as ledger:
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
        _echo_json(summary)
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
    from .followup import due, due_lines, write_due

    settings = _settings(ctx, outbox=out)
    with _plan_ledger(settings) as ledger:
        items = due(ledger, settings.today, days=dager, owner=(ansvar or "").strip())
    if xlsx is not None:
        write_due(items, xlsx)
    if as_json:
        _echo_json({"today": settings.today.isoformat(), "items": [i.as_json() for i in items]})
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
    from .followup import overview, overview_lines, write_overview

    settings = _settings(ctx, outbox=out)
    with _plan_ledger(settings) as ledger:
        data = overview(ledger, settings.today)
    if xlsx is not None:
        write_overview(data, xlsx)
    if as_json:
        _echo_json(data)
    else:
        click.echo("\n".join(overview_lines(data)))
        if xlsx is not None:
            click.echo(f"Skrev {xlsx}.")
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
    from .scaffold import init_folder

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
    from .report import template_lines
    from .template_check import check_folder

    settings = _settings(ctx)
    reports = check_folder(folder or settings.templates, settings)
    lines, failures = template_lines(reports)
    click.echo("\n".join(lines))
    return outcome(refused=failures)


# --- watch and status (the watched folder) ----------------------------------------------


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

Signerte skann blir lagt i outbox/<sak>/signert/. Gi dem navnet
<sak>_<dokument>.pdf (for eksempel IP-2026-0042_samtykke_signert.pdf), eller
legg dem i inbox/signert/<sak>/. Stopp med Ctrl-C.

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
    "--polling",
    is_flag=True,
    help="Se etter nye filer med jevne mellomrom i stedet for å få beskjed fra systemet. "
    "Skjer av seg selv når innboksen er en nettverksmappe.",
)
@_click_nb.seconds_option(
    "--interval",
    0.1,
    "Sekunder mellom hver gang ipdocs ser etter nye filer med --polling (standard: 1).",
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
    from .run import default_jobs
    from .watch import configure_logging, serve

    settings = _settings(
        ctx, inbox=inbox, outbox=outbox, poll_interval=interval, settle_seconds=ventetid
    )
    configure_logging()
    from .settings import sender_warning

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
    from .ledger import default_path
    from .watch.status import status_lines

    settings = _settings(ctx, inbox=inbox, outbox=outbox)
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
    jobs: int | None,
) -> int:
    from .pipeline import process_batch
    from .readers.batch import count_rows, is_batch_file
    from .report import batch_lines
    from .report.progress import Progress

    if is_batch_file(file) is False:
        name = redact(file.name)
        raise click.UsageError(
            f"«{name}» er ikke en liste med innkallinger. «ipdocs batch» leser arket "
            "«Innkallinger» i en Excel-fil (.xlsx) eller en CSV-fil. Møtenotater (YAML eller "
            f"JSON) og arbeidsbøker med ett møte lages med «ipdocs render {name}»."
        )
    settings = _settings(ctx, outbox=out, pdf=True if print_pack else pdf, ics=ics)
    _warn_about_sender(settings)
    with Progress(count_rows(file)) as progress:
        result = process_batch(file, settings, jobs=jobs, progress=progress)
    click.echo("\n".join(batch_lines(result, outbox=settings.outbox)))
    if print_pack:
        from .printpack import make_print_pack

        pack = make_print_pack(result, settings.outbox, settings.today)
        click.echo(f"Til utskrift: {pack}" if pack else "Ingen innkallinger å skrive ut.")
    return outcome(refused=len(result.refused))


# --- archive (closing a case or moving municipality) ------------------------------------


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
    from .archive import make_archive
    from .report import archive_lines, archive_refused_lines

    case = unicodedata.normalize("NFC", case)
    wrong = casekey.problem(case, where="SAK")
    if wrong is not None:
        raise click.UsageError(str(wrong))
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
    settings = _settings(ctx, outbox=out)
    _warn_about_sender(settings)
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
