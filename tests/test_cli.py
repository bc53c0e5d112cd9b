"""The real `ipdocs` command: Norwegian help and messages, exit codes, files written."""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest
from conftest import DATA, ROOT, docx_text, require_program, run_cli

from ipdocs.errors import ExitCode
from ipdocs.ledger import Ledger, default_path

KINDS = ("innkalling", "referat", "samtykke", "fullmakt")


def test_help_is_norwegian_and_teaches(tmp_path):
    result = run_cli("--help", cwd=tmp_path)
    assert result.returncode == ExitCode.ok
    for word in (
        "Bruk: ipdocs",
        "Kommandoer:",
        "Valg:",
        "Kom i gang",
        "render",
        "skeleton",
        "init",
    ):
        assert word in result.stdout
    sub = run_cli("render", "--help", cwd=tmp_path)
    assert "Eksempel:" in sub.stdout and "Vis denne hjelpen" in sub.stdout


def test_usage_errors_exit_2_in_norwegian(tmp_path):
    result = run_cli("render", cwd=tmp_path)
    assert result.returncode == ExitCode.usage
    assert "Feil: Mangler 'FIL...'" in result.stderr and "ipdocs render --help" in result.stderr
    missing = run_cli("render", "finnes-ikke.yaml", cwd=tmp_path)
    assert (
        missing.returncode == ExitCode.usage and "Finner ikke «finnes-ikke.yaml»" in missing.stderr
    )
    unknown = run_cli("lag", cwd=tmp_path)
    assert unknown.returncode == ExitCode.usage and "Ukjent kommando «lag»" in unknown.stderr
    assert "Traceback" not in missing.stderr + unknown.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_skeleton_writes_an_example_that_checks_clean(tmp_path, kind):
    result = run_cli("skeleton", kind, cwd=tmp_path)
    assert result.returncode == ExitCode.ok, result.stderr
    assert (tmp_path / f"{kind}.yaml").is_file()
    checked = run_cli("check", f"{kind}.yaml", cwd=tmp_path)
    assert checked.returncode == ExitCode.ok, checked.stdout
    assert f"I orden: {kind}.yaml" in checked.stdout
    assert not (tmp_path / "outbox").exists()  # check writes nothing


def test_skeleton_does_not_overwrite(tmp_path):
    (tmp_path / "referat.yaml").write_text("mine notater", encoding="utf-8")
    result = run_cli("skeleton", "referat", cwd=tmp_path)
    assert result.returncode == ExitCode.usage and "finnes fra før" in result.stderr
    assert (tmp_path / "referat.yaml").read_text(encoding="utf-8") == "mine notater"


def test_skeleton_workbook(tmp_path):
    result = run_cli("skeleton", "referat", "--xlsx", cwd=tmp_path)
    assert result.returncode == ExitCode.ok
    assert run_cli("check", "referat.xlsx", cwd=tmp_path).returncode == ExitCode.ok


def test_init_creates_the_folders_and_settings_once(tmp_path):
    result = run_cli("init", "kontor", cwd=tmp_path)
    assert result.returncode == ExitCode.ok
    office = tmp_path / "kontor"
    for name in ("inbox", "outbox", "templates", "ipdocs.toml"):
        assert (office / name).exists()
    assert len(list((office / "templates").glob("*.docx"))) == 8
    (office / "ipdocs.toml").write_text("[kommune]\nnavn = 'Selbu kommune'\n", encoding="utf-8")
    again = run_cli("init", "kontor", cwd=tmp_path)
    assert "Ingenting ble endret" in again.stdout
    assert "Selbu" in (office / "ipdocs.toml").read_text(encoding="utf-8")


def test_check_reports_a_refused_file_and_exits_1(tmp_path):
    bad = tmp_path / "feil.yaml"
    bad.write_text("dokument: fullmakt\nsak: IP 1\n", encoding="utf-8")
    result = run_cli("check", str(bad), cwd=tmp_path)
    assert result.returncode == ExitCode.refused
    assert (
        "Avvist: feil.yaml" in result.stdout
        and "«sak»" in result.stdout
        and "«fullmektig»" in result.stdout
    )
    assert "Traceback" not in result.stdout + result.stderr


def test_render_all_formats_examples_into_outbox(tmp_path):
    for kind in KINDS:
        shutil.copy(DATA / f"formats_{kind}.yaml", tmp_path)
    result = run_cli("render", *[f"formats_{k}.yaml" for k in KINDS], cwd=tmp_path)
    assert result.returncode == ExitCode.ok, result.stdout + result.stderr
    case = tmp_path / "outbox" / "IP-2026-0042"
    names = sorted(p.name for p in case.iterdir())
    assert names == [
        "2009-10-23_fullmakt.docx",
        "2026-12-03_innkalling.docx",
        "2026-12-03_innkalling.ics",  # a calendar file beside every invitation
        "2026-12-03_referat.docx",
        "2026-12-03_samtykke.docx",
    ]
    assert "Advarsel: En fastlege er invitert" in result.stdout
    assert "Ferdig: 4 dokumenter laget, 0 avvist." in result.stdout
    assert "Kari Nordmann" in docx_text(case / "2026-12-03_innkalling.docx")


def test_render_goes_on_after_a_refused_file_and_exits_1(tmp_path):
    shutil.copy(DATA / "formats_fullmakt.yaml", tmp_path / "god.yaml")
    (tmp_path / "feil.yaml").write_text("dokument: innkalling\n", encoding="utf-8")
    result = run_cli("render", "feil.yaml", "god.yaml", "--out", "ut", cwd=tmp_path)
    assert result.returncode == ExitCode.refused
    assert (tmp_path / "ut" / "IP-2026-0042" / "2009-10-23_fullmakt.docx").is_file()
    assert "Avvist: feil.yaml" in result.stdout and "1 avvist" in result.stdout


def test_render_a_folder_and_the_settings_file(tmp_path):
    inputs = tmp_path / "notater"
    inputs.mkdir()
    shutil.copy(DATA / "formats_innkalling.yaml", inputs)
    (inputs / "les-meg.txt").write_text("ikke en inndatafil", encoding="utf-8")
    (tmp_path / "ipdocs.toml").write_text(
        '[kommune]\nnavn = "Tolga kommune"\nenhet = "Koordinerende enhet"\nsprak = "nn"\n',
        encoding="utf-8",
    )
    result = run_cli("render", "notater", cwd=tmp_path)
    assert result.returncode == ExitCode.ok, result.stdout + result.stderr
    text = docx_text(tmp_path / "outbox" / "IP-2026-0042" / "2026-12-03_innkalling.docx")
    assert "Tolga kommune" in text
    assert "torsdag 3. desember 2026" in text  # nynorsk weekday (same word as bokmål for Thursday)


def test_fodselsnummer_never_reaches_the_terminal(tmp_path):
    bad = tmp_path / "s.yaml"
    text = (
        (DATA / "formats_samtykke.yaml")
        .read_text(encoding="utf-8")
        .replace("IP-2026-0042", "15876510089")
    )
    bad.write_text(text, encoding="utf-8")
    result = run_cli("render", "s.yaml", cwd=tmp_path)
    assert result.returncode == ExitCode.refused
    assert "15876510089" not in result.stdout + result.stderr
    outbox = tmp_path / "outbox"
    assert [p.name for p in outbox.iterdir()] == [".ipdocs"]  # the ledger, no case folder
    dump = "\n".join(sqlite3.connect(default_path(outbox)).iterdump())
    assert "s.yaml" in dump and "15876510089" not in dump


def test_render_records_in_the_ledger_and_check_does_not(tmp_path):
    shutil.copy(DATA / "formats_samtykke.yaml", tmp_path)
    assert run_cli("check", "formats_samtykke.yaml", cwd=tmp_path).returncode == ExitCode.ok
    assert not default_path(tmp_path / "outbox").exists()
    assert run_cli("render", "formats_samtykke.yaml", cwd=tmp_path).returncode == ExitCode.ok
    with Ledger.for_outbox(tmp_path / "outbox") as ledger:
        [row] = ledger.documents("IP-2026-0042")
        assert (row.kind, row.origin, row.covers_transfer) == ("samtykke", "rendered", False)
        assert row.path.name == "2026-12-03_samtykke.docx"


@pytest.mark.parametrize("pdf", [False, True])
def test_render_files_a_signed_scan_with_the_documents(tmp_path, pdf):
    from pdfs import text_pdf

    if pdf:
        require_program("soffice")
    shutil.copy(DATA / "formats_samtykke.yaml", tmp_path)
    text_pdf(tmp_path / "IP-2026-0042_samtykke_signert.pdf", ["Signert samtykke"])
    args = ["render", "formats_samtykke.yaml", "IP-2026-0042_samtykke_signert.pdf"]
    result = run_cli(*args, *(["--pdf"] if pdf else []), cwd=tmp_path)
    assert result.returncode == ExitCode.ok, result.stdout + result.stderr
    assert "Ferdig: 2 dokumenter laget, 0 avvist." in result.stdout
    assert "IP-2026-0042_samtykke_signert.pdf" in result.stdout
    signed = list((tmp_path / "outbox" / "IP-2026-0042" / "signert").glob("*.pdf"))
    assert len(signed) == 1


def test_click_messages_are_norwegian_too(tmp_path):
    (tmp_path / "fil.yaml").write_text("dokument: fullmakt\n", encoding="utf-8")
    for args, expected in (
        (("render", "--bogus", "fil.yaml"), "Ukjent valg «--bogus»"),
        (("render", "--out", "fil.yaml", "fil.yaml"), "«fil.yaml» er en fil, ikke en mappe"),
        (("batch", "--jobs", "0", "fil.yaml"), "0 går ikke: verdien må være fra 1 til 64."),
        (("render", "fil.yaml", "--out"), "Valget «--out» må ha en verdi"),
    ):
        result = run_cli(*args, cwd=tmp_path)
        assert result.returncode == ExitCode.usage, args
        assert expected in result.stderr, result.stderr
        for english in ("No such", "Invalid value", "is a file", "requires", "range"):
            assert english not in result.stderr


def test_ipdocs_alone_shows_the_help_without_calling_it_an_error(tmp_path):
    result = run_cli(cwd=tmp_path)
    assert "Bruk: ipdocs" in result.stderr and "Kom i gang" in result.stderr
    assert "Feil" not in result.stderr


def test_a_fodselsnummer_in_a_file_name_is_not_repeated_and_the_user_is_told(tmp_path):
    name = "Kari_15876510089.yaml"
    shutil.copy(DATA / "formats_fullmakt.yaml", tmp_path / name)
    result = run_cli("render", name, cwd=tmp_path)
    assert result.returncode == ExitCode.ok
    assert "15876510089" not in result.stdout + result.stderr
    assert "Filnavnet ser ut til å inneholde et fødselsnummer" in result.stdout
    dump = "\n".join(sqlite3.connect(default_path(tmp_path / "outbox")).iterdump())
    assert "Kari_***********.yaml" in dump and "15876510089" not in dump


def test_check_warns_like_render_about_a_closed_case_and_writes_nothing(tmp_path):
    shutil.copy(DATA / "formats_fullmakt.yaml", tmp_path)
    assert run_cli("render", "formats_fullmakt.yaml", cwd=tmp_path).returncode == ExitCode.ok
    with Ledger.for_outbox(tmp_path / "outbox") as ledger:
        ledger.close_case("IP-2026-0042", "avslutning")
    ledger_file = default_path(tmp_path / "outbox")
    before = ledger_file.read_bytes()
    result = run_cli("check", "formats_fullmakt.yaml", cwd=tmp_path)
    assert result.returncode == ExitCode.ok
    assert "Saken IP-2026-0042 er avsluttet" in result.stdout
    assert ledger_file.read_bytes() == before


# --- one CLI language (issue 10, point 12) ---------------------------------------------------

COMMANDS = (
    ("render",),
    ("check",),
    ("skeleton",),
    ("init",),
    ("templates",),
    ("templates", "check"),
    ("watch",),
    ("status",),
    ("batch",),
    ("archive",),
)


def test_minus_h_is_help_and_every_command_shows_an_example(tmp_path):
    assert "Bruk: ipdocs" in run_cli("-h", cwd=tmp_path).stdout
    for command in COMMANDS:
        result = run_cli(*command, "-h", cwd=tmp_path)
        assert result.returncode == 0, (command, result.stderr)
        assert "Eksempel:" in result.stdout or "Eksempler:" in result.stdout, command
        assert "Ukjent valg" not in result.stderr


def test_the_command_list_has_whole_summaries(tmp_path):
    out = run_cli("--help", cwd=tmp_path).stdout
    flat = " ".join(out.split())
    assert "Vis hva som er laget nylig, og filer med feil som ikke er rettet ennå" in flat
    assert "Lag mange innkallinger på en gang fra et Excel-ark eller en CSV- fil" in flat
    assert "..." not in out.split("Kommandoer:")[1]


@pytest.mark.parametrize("name", ["--ut", "--out", "-o"])
def test_ut_and_out_both_work_for_every_command_that_writes(tmp_path, name):
    shutil.copy(DATA / "formats_fullmakt.yaml", tmp_path)
    made = run_cli("render", "formats_fullmakt.yaml", name, "mappe", cwd=tmp_path)
    assert made.returncode == 0, made.stdout + made.stderr
    assert list((tmp_path / "mappe").rglob("*_fullmakt.docx"))
    archived = run_cli(
        "archive", "IP-2026-0042", "--grunn", "avslutning", name, "mappe", cwd=tmp_path
    )
    assert archived.returncode == 0, archived.stdout + archived.stderr
    skeleton = run_cli("skeleton", "batch", "--xlsx", name, "ark.xlsx", cwd=tmp_path)
    assert skeleton.returncode == 0 and (tmp_path / "ark.xlsx").is_file()
    batch = run_cli("batch", "ark.xlsx", name, "bunke", "--uten-ics", cwd=tmp_path)
    assert batch.returncode == 0, batch.stdout + batch.stderr
    assert list((tmp_path / "bunke").rglob("*.docx")) and not list(
        (tmp_path / "bunke").rglob("*.ics")
    )


def test_the_old_english_option_names_still_work(tmp_path):
    shutil.copy(DATA / "formats_innkalling.yaml", tmp_path)
    result = run_cli("--config", "ingen.toml", "render", "x", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    made = run_cli("render", "formats_innkalling.yaml", "--no-ics", "--out", "o", cwd=tmp_path)
    assert made.returncode == 0 and not list((tmp_path / "o").rglob("*.ics"))
    status = run_cli("status", "--outbox", "o", cwd=tmp_path)
    assert status.returncode == 0 and "formats_innkalling.yaml" in status.stdout
    assert run_cli("status", "--utboks", "o", cwd=tmp_path).stdout == status.stdout


def test_init_writes_every_section_with_comments(tmp_path):
    assert run_cli("init", cwd=tmp_path).returncode == 0
    text = (tmp_path / "ipdocs.toml").read_text(encoding="utf-8")
    sections = [line for line in text.splitlines() if line.startswith("[")]
    assert sections == ["[kommune]", "[mapper]", "[overvaking]", "[utdata]"]
    for line in text.splitlines():
        if "=" in line and not line.startswith("#"):
            assert "#" in line, f"no comment on «{line}»"


def test_examples_are_commented_in_norwegian():
    for path in sorted((ROOT / "examples").glob("*.yaml")):
        comments = " ".join(
            line.split("#", 1)[1] for line in path.read_text("utf-8").splitlines() if "#" in line
        ).casefold()
        for english in ("optional", "default", "omit", "called in", "also covers", " for none"):
            assert english not in comments, (path.name, english)


# --- settings missing or still the example (issue 10, point 5) -------------------------------


def test_no_settings_file_is_said_once_before_the_documents(tmp_path):
    for kind in ("fullmakt", "innkalling"):
        shutil.copy(DATA / f"formats_{kind}.yaml", tmp_path)
    result = run_cli("render", "formats_fullmakt.yaml", "formats_innkalling.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stderr.count("Advarsel: Fant ingen ipdocs.toml i ") == 1
    assert "Dokumentene får da ingen avsender" in result.stderr
    assert "kjør «ipdocs init» her" in result.stderr


def test_the_example_municipality_is_named_with_the_file_and_fields(tmp_path):
    assert run_cli("init", cwd=tmp_path).returncode == 0
    shutil.copy(DATA / "formats_fullmakt.yaml", tmp_path)
    result = run_cli("render", "formats_fullmakt.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "Advarsel: I ipdocs.toml under [kommune] står fortsatt eksempelet i «navn», «enhet», "
        "«telefon», «epost» og «adresse»." in result.stderr
    )
    toml = (tmp_path / "ipdocs.toml").read_text(encoding="utf-8")
    toml = toml.replace('"Eksempel kommune"', '"Selbu kommune"').replace(
        '"00 00 00 00"', '"400 31 579"'
    )
    (tmp_path / "ipdocs.toml").write_text(toml, encoding="utf-8")
    partly = run_cli("render", "formats_fullmakt.yaml", cwd=tmp_path)
    assert "eksempelet i «enhet», «epost» og «adresse»" in partly.stderr
    assert "«navn»" not in partly.stderr


def test_render_of_unchanged_notes_says_so_and_pa_nytt_makes_them_again(tmp_path):
    shutil.copy(DATA / "formats_fullmakt.yaml", tmp_path)
    assert run_cli("render", "formats_fullmakt.yaml", cwd=tmp_path).returncode == 0
    docx = tmp_path / "outbox" / "IP-2026-0042" / "2009-10-23_fullmakt.docx"
    first = docx.stat().st_mtime_ns
    same = run_cli("render", "formats_fullmakt.yaml", cwd=tmp_path)
    assert same.returncode == 0, same.stdout + same.stderr
    assert "Uendret: «formats_fullmakt.yaml» har nøyaktig samme innhold" in same.stdout
    assert "  IP-2026-0042/2009-10-23_fullmakt.docx" in same.stdout
    assert "skriv «ipdocs render --på-nytt formats_fullmakt.yaml»" in same.stdout
    assert "Ferdig: 0 dokumenter laget, 0 avvist, 1 fil uendret siden sist." in same.stdout
    assert docx.stat().st_mtime_ns == first
    again = run_cli("render", "--på-nytt", "formats_fullmakt.yaml", cwd=tmp_path)
    assert again.returncode == 0 and "Ferdig: 1 dokument laget, 0 avvist." in again.stdout
    assert docx.stat().st_mtime_ns != first
    assert not list(docx.parent.glob("*.endret-*")) and not list(docx.parent.glob("*.tidligere-*"))


def test_unchanged_notes_are_made_again_when_the_run_wants_more_or_a_template_changed(tmp_path):
    """The same bytes are skipped only when everything this run would make is there: asking
    for a PDF (or a calendar file) the first run did not make, or a template edited since,
    makes the documents again."""
    shutil.copy(DATA / "formats_innkalling.yaml", tmp_path)
    first = run_cli("render", "--no-ics", "formats_innkalling.yaml", cwd=tmp_path)
    assert first.returncode == 0, first.stdout + first.stderr
    folder = tmp_path / "outbox" / "IP-2026-0042"
    with_ics = run_cli("render", "formats_innkalling.yaml", cwd=tmp_path)
    assert "Ferdig: 1 dokument laget, 0 avvist." in with_ics.stdout, with_ics.stdout
    assert (folder / "2026-12-03_innkalling.ics").is_file()
    same = run_cli("render", "formats_innkalling.yaml", cwd=tmp_path)
    assert "1 fil uendret siden sist" in same.stdout
    templates = tmp_path / "maler"
    templates.mkdir()
    shutil.copy(ROOT / "templates" / "innkalling_nb.docx", templates)
    (tmp_path / "ipdocs.toml").write_text('[mapper]\nmaler = "maler"\n', encoding="utf-8")
    edited = run_cli("render", "formats_innkalling.yaml", cwd=tmp_path)
    assert "Ferdig: 1 dokument laget, 0 avvist." in edited.stdout, edited.stdout


@pytest.mark.parametrize("command", [("render",), ("check",), ("render", "--pdf")])
def test_a_pipe_named_as_input_is_refused_unread(tmp_path, command):
    """Opening a pipe waits until something writes to it: `ipdocs render fifo.yaml` hung for
    ever. It is refused like the watcher refuses one, without being opened."""
    os.mkfifo(tmp_path / "notater.yaml")
    done = run_cli(*command, "notater.yaml", cwd=tmp_path, timeout=60)
    assert done.returncode == ExitCode.refused, done.stdout + done.stderr
    assert "Avvist: notater.yaml" in done.stdout
    assert "Dette er ikke en vanlig fil som kan leses" in done.stdout
