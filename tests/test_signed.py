"""Signed scans through the pipeline: `ipdocs render` files them as the watcher does."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pikepdf
import pytest
from conftest import run_cli
from watchkit import WatcherProcess, make_office, make_pdf, wait_until, yaml_input

from ipdocs.errors import ExitCode
from ipdocs.ledger import Ledger
from ipdocs.pipeline import process_file
from ipdocs.signed import identify


@pytest.mark.parametrize(
    ("relative", "case", "kind", "date"),
    [
        ("IP-2026-0042_samtykke_signert.pdf", "IP-2026-0042", "samtykke", None),
        ("IP_2026_42_fullmakt.pdf", "IP_2026_42", "fullmakt", None),
        ("IP-2026-0042_Referat_03.12.2026.pdf", "IP-2026-0042", "referat", dt.date(2026, 12, 3)),
        ("signert/IP-7/samtykke.pdf", "IP-7", "samtykke", None),
        ("signert/IP-7/Skann 2027-01-05 fullmakt.pdf", "IP-7", "fullmakt", dt.date(2027, 1, 5)),
    ],
)
def test_the_name_or_folder_says_case_and_document(tmp_path, relative, case, kind, date):
    found = identify(tmp_path / relative)
    assert (found.case, found.kind, found.named_date) == (case, kind, date)


@pytest.mark.parametrize(
    ("relative", "message"),
    [
        ("skann0001.pdf", "Gi filen navnet <sak>_<dokument>.pdf"),
        ("samtykke_IP-1.pdf", "Gi filen navnet <sak>_<dokument>.pdf"),
        ("Kari Nordmann_samtykke.pdf", "kan ikke brukes som saksnøkkel"),
        ("15876510089_samtykke.pdf", "ser ut som et fødselsnummer"),
        ("signert/IP-7/skann0001.pdf", "Navnet sier ikke hvilket dokument"),
        ("signert/IP-7/IP-8_samtykke.pdf", "men navnet sier saken IP-8"),
    ],
)
def test_names_it_cannot_place_are_refused_with_a_fix(tmp_path, settings, relative, message):
    path = tmp_path / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    make_pdf(path)
    result = process_file(path, settings)
    assert result.status == "refused" and not result.made
    text = " ".join(str(p) for p in result.problems)
    assert message in text and "15876510089" not in text


def test_bad_pdfs_are_refused(tmp_path, settings):
    make_pdf(tmp_path / "IP-1_samtykke.pdf", encrypt=True)
    make_pdf(tmp_path / "ok.pdf", pages=2)
    data = (tmp_path / "ok.pdf").read_bytes()
    (tmp_path / "IP-1_referat.pdf").write_bytes(data[: len(data) // 2])  # a copy cut short
    (tmp_path / "IP-1_fullmakt.pdf").write_bytes(b"%PDF-1.7\nikke en pdf")
    empty = pikepdf.new()
    empty.save(tmp_path / "IP-1_innkalling.pdf")
    owner_only = pikepdf.new()
    owner_only.add_blank_page()
    owner_only.save(
        tmp_path / "IP-2_samtykke.pdf", encryption=pikepdf.Encryption(user="", owner="eier")
    )
    expected = {
        "IP-1_samtykke.pdf": "låst med passord",
        "IP-1_referat.pdf": "skadet eller ikke ferdig kopiert",
        "IP-1_fullmakt.pdf": "skadet eller ikke ferdig kopiert",
        "IP-1_innkalling.pdf": "ingen sider",
        "IP-2_samtykke.pdf": "kryptert",
    }
    for name, message in expected.items():
        result = process_file(tmp_path / name, settings)
        assert result.status == "refused", name
        assert message in str(result.problems[0]), (name, result.problems)
    assert not settings.outbox.exists()


def test_render_files_a_scan_with_the_date_and_scope_of_its_consent(tmp_path):
    notes = yaml_input("samtykke", "IP-2026-0042").replace(
        b"overforing_ved_flytting: false", b"overforing_ved_flytting: true"
    )
    (tmp_path / "samtykke.yaml").write_bytes(notes)
    made = run_cli("render", "samtykke.yaml", cwd=tmp_path)
    assert made.returncode == ExitCode.ok, made.stderr
    scan = make_pdf(tmp_path / "IP-2026-0042_samtykke_signert.pdf", pages=3)
    old = dt.datetime(2027, 3, 1).timestamp()
    os.utime(scan, (old, old))  # the date comes from the rendered consent, not the file
    result = run_cli("render", scan.name, cwd=tmp_path)
    assert result.returncode == ExitCode.ok, result.stdout + result.stderr
    target = tmp_path / "outbox" / "IP-2026-0042" / "signert" / "2026-12-03_samtykke_signert.pdf"
    assert f"Laget: {target}" in result.stdout
    assert target.read_bytes() == scan.read_bytes()
    with pikepdf.open(target) as pdf:
        assert len(pdf.pages) == 3
    with Ledger.for_outbox(tmp_path / "outbox") as ledger:
        signed = [d for d in ledger.documents("IP-2026-0042") if d.origin == "signed"]
        assert [(d.kind, d.date, d.covers_transfer) for d in signed] == [
            ("samtykke", dt.date(2026, 12, 3), True)
        ]
        assert ledger.done_before(ledger.recent(1)[0].sha256).status == "signed"


def test_a_second_scan_of_the_same_document_keeps_both(tmp_path, settings):
    first = make_pdf(tmp_path / "IP-3_fullmakt_side1.pdf")
    second = make_pdf(tmp_path / "IP-3_fullmakt_side2.pdf")
    old = dt.datetime(2026, 10, 5, 12).timestamp()
    for scan in (first, second):
        os.utime(scan, (old, old))
    (settings.outbox / "IP-3").mkdir(parents=True)  # a case the outbox has (made by hand)
    with Ledger.for_outbox(settings.outbox) as ledger:
        one = process_file(first, settings, ledger=ledger)
        two = process_file(second, settings, ledger=ledger)
        again = process_file(first, settings, ledger=ledger)  # a restarted run: same place
    folder = settings.outbox / "IP-3" / "signert"
    assert one.documents == (folder / "2026-10-05_fullmakt_signert.pdf",)
    assert two.documents == (folder / "2026-10-05_fullmakt_signert_2.pdf",)
    assert again.documents == one.documents
    # Without a fullmakt made by ipdocs, the date is the file's: said as a warning.
    assert "05.10.2026" in str(one.warnings[0])


def test_check_does_not_file(tmp_path):
    make_pdf(tmp_path / "IP-4_referat.pdf")
    (tmp_path / "outbox" / "IP-4").mkdir(parents=True)
    result = run_cli("check", "IP-4_referat.pdf", cwd=tmp_path)
    assert (
        result.returncode == ExitCode.ok
        and "I orden: IP-4_referat.pdf: referat for IP-4" in result.stdout
    )
    assert list((tmp_path / "outbox").rglob("*")) == [tmp_path / "outbox" / "IP-4"]


def test_a_scan_for_a_case_that_does_not_exist_is_refused_and_makes_no_case_folder(tmp_path):
    """Issue 10: `IP-2026-0999_samtykke_signert.pdf` (a typo) went to ferdig/ and made a new
    case folder; the consent was then missing from the right case."""
    (tmp_path / "samtykke.yaml").write_bytes(yaml_input("samtykke", "IP-2026-0042"))
    assert run_cli("render", "samtykke.yaml", cwd=tmp_path).returncode == 0
    make_pdf(tmp_path / "IP-2026-0999_samtykke_signert.pdf")
    result = run_cli("render", "IP-2026-0999_samtykke_signert.pdf", cwd=tmp_path)
    assert result.returncode == ExitCode.refused, result.stdout + result.stderr
    assert (
        "Ukjent sak «IP-2026-0999»: saken finnes ikke i outbox (outbox). Sjekk saksnummeret i "
        "filnavnet." in result.stdout
    )
    assert not (tmp_path / "outbox" / "IP-2026-0999").exists()


def test_the_watcher_puts_a_scan_for_an_unknown_case_in_feil(tmp_path):
    root = make_office(tmp_path)
    (root / "samtykke.yaml").write_bytes(yaml_input("samtykke", "IP-2026-0042"))
    assert run_cli("render", "samtykke.yaml", cwd=root).returncode == 0
    watcher = WatcherProcess(root).started()
    make_pdf(root / "inbox" / "IP-2026-0999_samtykke_signert.pdf")
    report = root / "inbox" / "feil" / "IP-2026-0999_samtykke_signert.pdf.feil.txt"
    wait_until(report.is_file, timeout=30, what="the scan refused")
    assert watcher.stop() == 0
    text = report.read_text(encoding="utf-8")
    assert "Ukjent sak «IP-2026-0999»: saken finnes ikke i outbox" in text
    assert "Sjekk saksnummeret i filnavnet." in text
    assert (root / "inbox" / "feil" / "IP-2026-0999_samtykke_signert.pdf").is_file()
    assert not (root / "outbox" / "IP-2026-0999").exists()
    assert not (root / "inbox" / "ferdig").exists() or not list(
        (root / "inbox" / "ferdig").iterdir()
    )


def test_a_scan_named_in_lower_case_joins_the_case_as_it_is_spelled(tmp_path):
    (tmp_path / "samtykke.yaml").write_bytes(yaml_input("samtykke", "IP-2026-0042"))
    assert run_cli("render", "samtykke.yaml", cwd=tmp_path).returncode == ExitCode.ok
    make_pdf(tmp_path / "ip-2026-0042_samtykke_signert.pdf")
    result = run_cli("render", "ip-2026-0042_samtykke_signert.pdf", cwd=tmp_path)
    assert result.returncode == ExitCode.ok, result.stdout + result.stderr
    assert sorted(p.name for p in (tmp_path / "outbox").iterdir()) == [".ipdocs", "IP-2026-0042"]
    with Ledger.for_outbox(tmp_path / "outbox") as ledger:
        kinds = [(d.kind, d.origin) for d in ledger.documents("IP-2026-0042")]
    assert ("samtykke", "signed") in kinds


def test_a_sami_case_key_in_a_name_saved_on_a_mac_is_read():
    # A Mac writes á as a + combining acute: the same key, once its marks are folded.
    decomposed = "IP-Ka\u0301ra\u0301s\u030cjohka_samtykke.pdf"
    assert identify(Path(decomposed)).case == "IP-Kárášjohka"


def test_a_scan_with_javascript_or_attached_files_is_refused(tmp_path):
    (tmp_path / "samtykke.yaml").write_bytes(yaml_input("samtykke", "IP-2026-0042"))
    assert run_cli("render", "samtykke.yaml", cwd=tmp_path).returncode == 0
    script = make_pdf(tmp_path / "IP-2026-0042_samtykke_signert.pdf")
    with pikepdf.open(script, allow_overwriting_input=True) as pdf:
        pdf.Root.OpenAction = pikepdf.Dictionary(
            S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)")
        )
        pdf.save(script)
    attached = make_pdf(tmp_path / "IP-2026-0042_samtykke_skann2.pdf")
    with pikepdf.open(attached, allow_overwriting_input=True) as pdf:
        pdf.attachments["vedlegg.exe"] = pikepdf.AttachedFileSpec(pdf, b"MZ...")
        pdf.save(attached)
    result = run_cli("render", script.name, attached.name, cwd=tmp_path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "PDF-filen inneholder JavaScript. En skannet signatur har ikke det" in result.stdout
    assert "PDF-filen inneholder vedlagte filer." in result.stdout
    assert not (tmp_path / "outbox" / "IP-2026-0042" / "signert").exists()
