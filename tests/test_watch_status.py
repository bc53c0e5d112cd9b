"""`ipdocs status`, and the help of `ipdocs watch` and `ipdocs status`."""

from __future__ import annotations

from conftest import run_cli
from watchkit import WatcherProcess, make_office, wait_until, yaml_input

from ipdocs.errors import ExitCode


def test_status_shows_recent_work_and_open_failures(tmp_path):
    (tmp_path / "inbox" / "feil").mkdir(parents=True)
    (tmp_path / "innkalling.yaml").write_bytes(yaml_input("innkalling", "IP-2026-0042"))
    bad = yaml_input("referat", "IP-2026-0043").replace(b"dato: 2026-12-03", b'dato: "33.12.2026"')
    (tmp_path / "referat.yaml").write_bytes(bad)
    (tmp_path / "inbox" / "feil" / "referat.yaml.feil.txt").write_text("rapport")
    (tmp_path / "inbox" / "venter.yaml").write_text("x")
    assert (
        run_cli("render", "innkalling.yaml", "referat.yaml", cwd=tmp_path).returncode
        == ExitCode.refused
    )
    result = run_cli("status", cwd=tmp_path)
    assert result.returncode == ExitCode.ok, result.stderr
    out = result.stdout
    assert "Siste 2 filer (nyeste først):" in out
    assert "innkalling.yaml: laget → IP-2026-0042/2026-12-03_innkalling.docx" in out
    assert "referat.yaml: avvist (1 feil)" in out
    assert "Åpne feil (1): rett filen og legg den i innboksen igjen." in out
    assert "feltet «mote.dato»" in out
    assert "Rapport: inbox/feil/referat.yaml.feil.txt" in out
    assert "I innboksen venter 1 fil." in out
    # Fixed and made again: the failure is closed.
    (tmp_path / "referat.yaml").write_bytes(yaml_input("referat", "IP-2026-0043"))
    assert run_cli("render", "referat.yaml", cwd=tmp_path).returncode == ExitCode.ok
    again = run_cli("status", "--antall", "1", cwd=tmp_path).stdout
    assert "Siste 1 fil (nyeste først):" in again and "Ingen åpne feil." in again


def test_status_before_anything_is_made(tmp_path):
    result = run_cli("status", cwd=tmp_path)
    assert result.returncode == ExitCode.ok and "Ingenting er laget i outbox ennå." in result.stdout


def test_watch_and_status_help_teach_in_norwegian(tmp_path):
    main = run_cli("--help", cwd=tmp_path).stdout
    assert "watch" in main and "status" in main
    watch = run_cli("watch", "--help", cwd=tmp_path).stdout
    for text in ("inbox/ferdig/", "inbox/feil/", ".feil.txt", "signert", "Eksempel:", "--ventetid"):
        assert text in watch, text
    assert "Eksempel:" in run_cli("status", "--help", cwd=tmp_path).stdout


def test_watch_refuses_bad_options_in_norwegian(tmp_path):
    result = run_cli("watch", "--interval", "0", cwd=tmp_path)
    assert result.returncode == ExitCode.usage
    assert "0.0 går ikke: verdien må være minst 0,1." in result.stderr


def test_watch_refuses_an_inbox_around_the_outbox(tmp_path):
    result = run_cli("watch", "--inbox", ".", "--outbox", "outbox", cwd=tmp_path)
    assert result.returncode == ExitCode.usage
    assert "ikke den ene inni den andre" in result.stderr and "Traceback" not in result.stderr


def test_an_open_failure_clears_when_its_file_leaves_feil_and_alle_shows_how(tmp_path):
    """Issue 10: «Åpne feil (8)» never cleared, not when the file was deleted from feil/ as
    the report says is fine, nor when the fixed file was made under a new name."""
    root = make_office(tmp_path)
    inbox = root / "inbox"
    bad = yaml_input("referat", "IP-2026-0043").replace(b"dato: 2026-12-03", b'dato: "33.12.2026"')
    watcher = WatcherProcess(root).started()
    (inbox / "slettes.yaml").write_bytes(bad)
    (inbox / "rettes.yaml").write_bytes(bad.replace(b"IP-2026-0043", b"IP-2026-0044"))
    for name in ("slettes.yaml", "rettes.yaml"):
        wait_until(
            lambda name=name: (inbox / "feil" / f"{name}.feil.txt").is_file(),
            timeout=30,
            what=f"{name} refused",
        )
    # The log names the file, the hash after it (issue 10: «Avvist: fil fdf33013» alone).
    assert "Avvist: filen «slettes.yaml» (" in watcher.text()
    first = run_cli("status", cwd=root).stdout
    assert "Åpne feil (2)" in first
    assert "Rapport: inbox/feil/slettes.yaml.feil.txt" in first
    # One deleted from feil/; the other taken out, fixed and dropped under a new name.
    (inbox / "feil" / "slettes.yaml").unlink()
    (inbox / "feil" / "slettes.yaml.feil.txt").unlink()
    fixed = (inbox / "feil" / "rettes.yaml").read_bytes().replace(b'"33.12.2026"', b"2026-12-03")
    (inbox / "feil" / "rettes.yaml").unlink()
    (inbox / "rettet.yaml").write_bytes(fixed)
    wait_until(lambda: (inbox / "ferdig" / "rettet.yaml").is_file(), timeout=30, what="made")
    assert watcher.stop() == 0
    after = run_cli("status", cwd=root).stdout
    assert "Ingen åpne feil." in after, after
    everything = run_cli("status", "--alle", cwd=root).stdout
    assert "Rettet eller fjernet (2):" in everything
    assert "slettes.yaml: filen er ikke lenger i feil/ (flyttet eller slettet)" in everything
    # Taken out of feil/ and made as «rettet.yaml»: either rule clears it.
    assert (
        "rettes.yaml: rettet: referat for IP-2026-0044 ble laget fra en annen fil" in everything
        or "rettes.yaml: filen er ikke lenger i feil/" in everything
    )


def test_a_failure_clears_when_the_same_case_and_document_is_made_under_another_name(tmp_path):
    """Issue 10: the fix dropped as a copy with a new name left «Åpne feil» for ever."""
    bad = yaml_input("referat", "IP-2026-0043").replace(b"dato: 2026-12-03", b'dato: "33.12.2026"')
    (tmp_path / "referat.yaml").write_bytes(bad)
    other = yaml_input("referat", "IP-2026-0099").replace(b"dato: 2026-12-03", b'dato: "33.12"')
    (tmp_path / "annen.yaml").write_bytes(other)
    assert run_cli("render", "referat.yaml", "annen.yaml", cwd=tmp_path).returncode == 1
    assert "Åpne feil (2)" in run_cli("status", cwd=tmp_path).stdout
    import time

    time.sleep(1.1)  # the ledger's times are whole seconds
    (tmp_path / "referat-rettet.yaml").write_bytes(yaml_input("referat", "IP-2026-0043"))
    assert run_cli("render", "referat-rettet.yaml", cwd=tmp_path).returncode == 0
    out = run_cli("status", "--alle", cwd=tmp_path).stdout
    assert "Åpne feil (1)" in out and "annen.yaml" in out.split("Rettet eller fjernet")[0]
    assert "referat.yaml: rettet: referat for IP-2026-0043 ble laget fra en annen fil" in out
