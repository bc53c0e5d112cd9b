"""`ipdocs archive`: the consent rule for moving, refusals that write nothing, closing a case,
and the real command end to end (render the FORMATS examples, file a signed scan, archive)."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess

import pikepdf
import pytest
from conftest import DATA, require_program, run_cli
from pdfs import CASE, encrypted, file_signed, render, scan_pdf, text_pdf, truncated

from ipdocs.archive import make_archive
from ipdocs.errors import ExitCode, InputError
from ipdocs.ledger import Ledger, default_path

DEC3 = dt.date(2026, 12, 3)


def consent(tmp_path, *, transfer: bool, valid_from: str = "2026-12-03"):
    path = tmp_path / f"samtykke_{transfer}_{valid_from}.yaml"
    text = (DATA / "formats_samtykke.yaml").read_text(encoding="utf-8")
    text = text.replace("overforing_ved_flytting: false", f"overforing_ved_flytting: {transfer}")
    path.write_text(text.replace("gyldig_fra: 2026-12-03", f"gyldig_fra: {valid_from}"), "utf-8")
    return path


def signed_consent(settings, covers_transfer: bool | None = None):
    path = file_signed(
        settings, f"{CASE}_samtykke_signert.pdf", "samtykke", DEC3, lambda p: scan_pdf(p, 1)
    )
    if covers_transfer is not None:  # as the watcher copies it from the consent it matched
        with sqlite3.connect(default_path(settings.outbox)) as db:
            db.execute(
                "UPDATE documents SET covers_transfer = ? WHERE path = ?",
                (int(covers_transfer), str(path.resolve())),
            )
    return path


def refused_moving(settings) -> str:
    with pytest.raises(InputError) as refused:
        make_archive(settings, CASE, "flytting", to_municipality="Trondheim kommune")
    assert not (settings.outbox / CASE / "arkiv").exists()
    return str(refused.value)


# --- moving needs a signed consent that covers transfer -------------------------------------


def test_moving_without_any_signed_consent_is_refused(settings, tmp_path):
    render(settings, consent(tmp_path, transfer=False))
    message = refused_moving(settings)
    assert message.startswith(f"saken {CASE}: har ikke noe signert samtykke.")
    assert "Lag et nytt samtykke med «overforing_ved_flytting: true»" in message
    assert f"legg det skannede samtykket i innboksen som {CASE}_samtykke_signert.pdf" in message


def test_an_unsigned_consent_that_covers_transfer_is_named(settings, tmp_path):
    render(settings, consent(tmp_path, transfer=True))
    message = refused_moving(settings)
    assert "har ikke noe signert samtykke" in message
    assert "Samtykket fra 03.12.2026 gjelder overføring ved flytting." in message
    assert (
        f"Skann det signerte samtykket og legg det i innboksen som {CASE}_samtykke_signert.pdf"
        in message
    )


def test_a_signed_consent_that_does_not_cover_transfer_is_refused(settings, tmp_path):
    render(settings, consent(tmp_path, transfer=False))
    signed_consent(settings)  # the scan does not say; the consent it is a scan of does not cover
    message = refused_moving(settings)
    assert "har et signert samtykke, men det gjelder ikke overføring av opplysninger" in message


def test_a_newer_unsigned_consent_does_not_count_for_an_older_scan(settings, tmp_path):
    render(settings, consent(tmp_path, transfer=False))
    signed_consent(settings)
    render(settings, consent(tmp_path, transfer=True, valid_from="2027-01-10"))
    assert "men det gjelder ikke overføring" in refused_moving(settings)


def test_what_the_signed_row_says_wins(settings, tmp_path):
    render(settings, consent(tmp_path, transfer=True))
    signed_consent(settings, covers_transfer=False)
    assert "gjelder ikke overføring" in refused_moving(settings)


@pytest.mark.parametrize("signed_says", [None, True])
def test_moving_with_a_signed_consent_that_covers_transfer(settings, tmp_path, signed_says):
    render(settings, consent(tmp_path, transfer=signed_says is None))
    signed_consent(settings, covers_transfer=signed_says)
    made = make_archive(settings, CASE, "flytting", to_municipality="Trondheim kommune")
    assert made.path.name == f"{CASE}_flytting_2026-11-24.pdf" and made.documents == 2
    with Ledger.for_outbox(settings.outbox) as ledger:
        assert not ledger.is_closed(CASE)  # moving does not close the case here


# --- refusals write nothing -------------------------------------------------------------------


def test_corrupt_and_encrypted_sources_are_named_and_nothing_is_written(settings, tmp_path):
    render(settings, DATA / "formats_innkalling.yaml")
    good = text_pdf(tmp_path / "god.pdf", ["Signert"])
    file_signed(settings, f"{CASE}_samtykke_a.pdf", "samtykke", DEC3, lambda p: truncated(p, good))
    file_signed(
        settings,
        f"{CASE}_samtykke_b.pdf",
        "samtykke",
        DEC3,
        lambda p: encrypted(p, good, user_password="hemmelig"),
    )
    file_signed(
        settings,
        f"{CASE}_fullmakt_c.pdf",
        "fullmakt",
        DEC3,
        lambda p: encrypted(p, good, user_password=""),  # opens, but locked for changes
    )
    file_signed(
        settings, f"{CASE}_referat_d.pdf", "referat", DEC3, lambda p: p.write_bytes(b"%PDF-1.7\n")
    )
    result = run_cli("archive", CASE, "--grunn", "avslutning", cwd=settings.outbox.parent)
    assert result.returncode == ExitCode.refused, result.stdout + result.stderr
    err = result.stderr
    assert "Arkivet ble ikke laget, og ingenting er skrevet. Dette må rettes først:" in err
    assert f"  - filen «{CASE}_samtykke_a.pdf»: er skadet" in err
    assert f"filen «{CASE}_samtykke_b.pdf»: er låst med passord eller kryptert" in err
    assert f"filen «{CASE}_fullmakt_c.pdf»: er låst med passord eller kryptert" in err
    assert f"filen «{CASE}_referat_d.pdf»: er skadet" in err
    assert "innkalling" not in err and "Traceback" not in err
    assert not (settings.outbox / CASE / "arkiv").exists()
    with Ledger.for_outbox(settings.outbox) as ledger:
        assert not ledger.is_closed(CASE)


def test_a_scan_cut_short_after_filing_is_refused_even_when_its_first_pages_read(
    settings, tmp_path
):
    """Review finding: a 3-page scan cut to its first 300 bytes opened as 1 readable page, and
    the archive went out with two pages missing and no word about it."""
    whole = pikepdf.new()
    for _ in range(3):
        whole.add_blank_page()
    whole.save(tmp_path / "hel.pdf")
    file_signed(
        settings,
        f"{CASE}_samtykke_signert.pdf",
        "samtykke",
        DEC3,
        lambda p: p.write_bytes((tmp_path / "hel.pdf").read_bytes()[:300]),
    )
    with pytest.raises(InputError) as refused:
        make_archive(settings, CASE, "avslutning")
    message = str(refused.value)
    assert f"filen «{CASE}_samtykke_signert.pdf»: er skadet" in message
    assert "hel kopi med samme navn" in message
    assert not (settings.outbox / CASE / "arkiv").exists()


def test_the_summary_counts_one_document_in_the_singular(settings):
    render(settings, DATA / "formats_fullmakt.yaml")
    result = run_cli("archive", CASE, "--grunn", "avslutning", cwd=settings.outbox.parent)
    assert result.returncode == ExitCode.ok, result.stdout + result.stderr
    assert "(1 dokument, " in result.stdout and "1 dokumenter" not in result.stdout


def test_a_document_that_is_gone_is_named(settings):
    [docx] = render(settings, DATA / "formats_referat.yaml")
    docx.unlink()
    docx.with_suffix(".pdf").unlink()
    with pytest.raises(InputError) as refused:
        make_archive(settings, CASE, "avslutning")
    assert "filen «2026-12-03_referat.docx»: finnes ikke lenger" in str(refused.value)
    assert "lag dokumentet på nytt med «ipdocs render»" in str(refused.value)


def test_a_case_without_documents_is_refused(settings, tmp_path):
    with pytest.raises(InputError) as refused:
        make_archive(settings, "IP-1", "avslutning")
    assert "har ingen dokumenter som ipdocs har laget eller arkivert" in str(refused.value)
    assert not settings.outbox.exists()  # asking did not create an outbox or a ledger
    render(settings, DATA / "formats_referat.yaml")
    with pytest.raises(InputError):
        make_archive(settings, "IP-1", "avslutning")


# --- the command ------------------------------------------------------------------------------


def test_help_teaches_in_norwegian(tmp_path):
    result = run_cli("archive", "--help", cwd=tmp_path)
    assert result.returncode == ExitCode.ok
    for text in ("Bruk: ipdocs archive [VALG] SAK", "Eksempler:", "--til-kommune", "flytting"):
        assert text in result.stdout
    assert "required" not in result.stdout
    assert "archive" in run_cli("--help", cwd=tmp_path).stdout


def test_usage_errors(tmp_path):
    moving = run_cli("archive", CASE, "--grunn", "flytting", cwd=tmp_path)
    assert moving.returncode == ExitCode.usage and "--til-kommune" in moving.stderr
    no_reason = run_cli("archive", CASE, cwd=tmp_path)
    assert (
        no_reason.returncode == ExitCode.usage
        and "--grunn avslutning eller --grunn flytting" in no_reason.stderr
    )
    reason = run_cli("archive", CASE, "--grunn", "slutt", cwd=tmp_path)
    assert (
        reason.returncode == ExitCode.usage
        and "Ugyldig verdi for '--grunn': «slutt»" in reason.stderr
    )
    fnr = run_cli("archive", "15876510089", "--grunn", "avslutning", cwd=tmp_path)
    assert fnr.returncode == ExitCode.usage and "aldri et fødselsnummer" in fnr.stderr
    assert "15876510089" not in fnr.stdout + fnr.stderr
    missing = run_cli("archive", CASE, "--grunn", "avslutning", cwd=tmp_path)
    assert (
        missing.returncode == ExitCode.refused
        and "har ingen dokumenter som ipdocs" in missing.stderr
    )
    assert not (tmp_path / "outbox").exists()


def test_end_to_end_render_file_a_scan_archive_and_close(tmp_path):
    """The real command: LibreOffice converts the Word documents, the case is closed, a later
    input for it gets a warning, and a document rendered again is converted again."""
    require_program("soffice")
    kinds = ("innkalling", "referat", "samtykke", "fullmakt")
    for kind in kinds:
        shutil.copy(DATA / f"formats_{kind}.yaml", tmp_path)
    rendered = run_cli("render", *[f"formats_{k}.yaml" for k in kinds], cwd=tmp_path)
    assert rendered.returncode == ExitCode.ok, rendered.stdout + rendered.stderr
    folder = tmp_path / "outbox" / CASE
    scan = folder / "signert" / f"{CASE}_samtykke_signert.pdf"
    scan_pdf(scan, 2)
    with Ledger.for_outbox(tmp_path / "outbox") as ledger:
        ledger.add_signed(CASE, "samtykke", DEC3, scan, "sha", name=scan.name)

    result = run_cli("archive", CASE, "--grunn", "avslutning", cwd=tmp_path)
    assert result.returncode == ExitCode.ok, result.stdout + result.stderr
    [bundle] = (folder / "arkiv").glob("*.pdf")
    assert bundle.name.startswith(f"{CASE}_avslutning_")
    assert f"Laget arkivet: {bundle}  (5 dokumenter" in result.stdout
    assert f"Saken {CASE} er merket som avsluttet" in result.stdout
    assert "Lager PDF av 4 Word-dokumenter med LibreOffice" in result.stderr
    for kind in kinds:  # the PDFs are kept beside the Word documents for next time
        assert len(list(folder.glob(f"*_{kind}.pdf"))) == 1
    text = _text(bundle)
    assert "Kari Nordmann" in text and "Rådhuset, møterom 2" in text
    assert "5 03.12.2026 Referat" in " ".join(text.split())
    subprocess.run(
        [require_program("qpdf"), "--check", str(bundle)], check=True, capture_output=True
    )

    # The case is closed: a later input for it is still made, with a warning.
    changed = (DATA / "formats_innkalling.yaml").read_text(encoding="utf-8")
    (tmp_path / "ny.yaml").write_text(changed.replace("møterom 2", "møterom 5"), "utf-8")
    again = run_cli("render", "ny.yaml", cwd=tmp_path)
    assert again.returncode == ExitCode.ok
    assert f"Advarsel: Saken {CASE} er avsluttet." in again.stdout

    # The invitation's PDF is now older than its Word document, so it is converted again.
    second = run_cli("archive", CASE, "--grunn", "avslutning", "--pdfa", cwd=tmp_path)
    assert second.returncode == ExitCode.ok, second.stdout + second.stderr
    assert "Lager PDF av 1 Word-dokument med LibreOffice" in second.stderr
    assert "PDF/A-2b" in second.stdout
    newer = bundle.with_name(f"{bundle.stem}-2.pdf")  # the first archive of the day is kept
    assert "møterom 5" in _text(newer) and "møterom 5" not in _text(bundle)


def _text(path) -> str:
    done = subprocess.run(
        [require_program("pdftotext"), "-layout", str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


# --- closing without consent, a second archive the same day, counts that agree --------------


def _pdf_text(path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def test_closing_without_a_signed_consent_warns_in_the_summary_and_on_the_index(settings):
    render(settings, DATA / "formats_fullmakt.yaml", DATA / "formats_referat.yaml")
    result = run_cli("archive", CASE, "--grunn", "avslutning", cwd=settings.outbox.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        f"Advarsel: Saken {CASE} har ikke noe signert samtykke. Det står også i innholdslisten"
        in result.stdout
    )
    [bundle] = (settings.outbox / CASE / "arkiv").glob("*.pdf")
    from pypdf import PdfReader

    index_page = PdfReader(bundle).pages[1].extract_text()
    assert "Merk: Saken har ikke noe signert samtykke." in index_page


def test_closing_with_a_signed_consent_has_no_such_warning(settings):
    render(settings, DATA / "formats_referat.yaml")
    signed_consent(settings)
    result = run_cli("archive", CASE, "--grunn", "avslutning", cwd=settings.outbox.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "signert samtykke" not in result.stdout
    [bundle] = (settings.outbox / CASE / "arkiv").glob("*.pdf")
    assert "Merk:" not in _pdf_text(bundle)


def test_a_second_archive_the_same_day_keeps_the_first_and_says_so(settings):
    render(settings, DATA / "formats_referat.yaml")
    signed_consent(settings)
    first = run_cli("archive", CASE, "--grunn", "avslutning", cwd=settings.outbox.parent)
    assert first.returncode == 0, first.stdout + first.stderr
    folder = settings.outbox / CASE / "arkiv"
    [kept] = folder.glob("*.pdf")
    before = kept.read_bytes()
    second = run_cli("archive", CASE, "--grunn", "avslutning", cwd=settings.outbox.parent)
    assert second.returncode == 0, second.stdout + second.stderr
    newer = folder / f"{kept.stem}-2.pdf"
    assert newer.is_file() and kept.read_bytes() == before
    assert (folder / f"{kept.stem}-2.manifest.json").is_file()
    assert (folder / f"{kept.stem}.manifest.json").is_file()
    assert (
        f"Det fantes allerede et arkiv for saken med samme grunn og dato ({kept.name}). Det "
        f"ligger der fortsatt; det nye heter {newer.name}." in second.stdout
    )


def test_the_cover_the_index_and_the_terminal_agree_on_documents_and_pages(settings):
    render(settings, DATA / "formats_referat.yaml", DATA / "formats_fullmakt.yaml")
    signed_consent(settings)  # a one-page scan; the rendered PDFs beside are one page each
    result = run_cli("archive", CASE, "--grunn", "avslutning", cwd=settings.outbox.parent)
    assert result.returncode == 0, result.stdout + result.stderr
    [bundle] = (settings.outbox / CASE / "arkiv").glob("*.pdf")
    from pypdf import PdfReader

    pdf = PdfReader(bundle)
    documents = len(pdf.pages) - 2  # the cover and one index page
    said = f"3 dokumenter, {documents} sider"
    whole = f"{len(pdf.pages)} sider med forside og innholdsliste"
    assert f"({said}; {whole})" in result.stdout
    cover_text = " ".join(pdf.pages[0].extract_text().split())
    assert f"{said} ({whole})" in cover_text
    index = " ".join(pdf.pages[1].extract_text().split())
    assert index.count("03.12.2026") + index.count("23.10.2009") >= 3
