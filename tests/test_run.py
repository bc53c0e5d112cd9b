"""The run's stages after validation: PDF for every document of a run, failures one by one."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess

import openpyxl
from conftest import DATA, docx_text, require_program, run_cli

from ipdocs import pipeline
from ipdocs.ledger import Ledger
from ipdocs.readers.batch import REQUIRED
from ipdocs.run import Run
from ipdocs.settings import Settings


def batch_workbook(path, people):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Innkallinger"
    ws.append([*REQUIRED, "sendt"])  # sent before the meeting, whatever day the test runs
    for i, name in enumerate(people):
        ws.append(
            [f"IP-{i}", name, dt.datetime(2026, 12, 3), "09:00", "10:30", "Rådhuset", None]
            + ["Ola Hansen", "400 31 579", "Per Olsen (Fastlege)", "Status", "23.11.2026"]
        )
    book.save(path)
    return path


class FakeConverter:
    """LibreOffice stand-in: a "PDF" per document, except for documents about «Feil»."""

    def __init__(self):
        self.calls: list[list] = []

    def __call__(self, documents, *, on_done=None):
        self.calls.append(list(documents))
        made, failed = {}, {}
        for doc in documents:
            if "Feil" in docx_text(doc):
                failed[doc] = "LibreOffice stoppet opp med dokumentet."
            else:
                pdf = doc.with_suffix(".pdf")
                pdf.write_bytes(b"%PDF-1.4 fake")
                made[doc] = pdf
            if on_done:
                on_done(doc)
        return made, failed


def test_one_conversion_for_every_file_of_a_run_and_a_failure_refuses_one_document(
    tmp_path, settings
):
    settings = settings.replace(pdf=True)
    first = batch_workbook(tmp_path / "a.xlsx", ["Anne", "Feil Person", "Carl"])
    second = tmp_path / "b.yaml"
    shutil.copy(DATA / "formats_fullmakt.yaml", second)
    converter = FakeConverter()
    with Ledger.for_outbox(settings.outbox) as ledger:
        with Run(settings, ledger=ledger, converter=converter) as run:
            pipeline.process_file(first, settings, ledger=ledger, run=run)
            pipeline.process_file(second, settings, ledger=ledger, run=run)
            assert not (settings.outbox / "IP-0").exists()  # waiting for the PDF stage
            results = run.finish()
        assert len(converter.calls) == 1 and len(converter.calls[0]) == 4
        a, b = results
        assert [m.case for m in a.made] == ["IP-0", "IP-2"]
        [refused] = a.refused
        assert refused.label == "rad 3"
        assert "PDF-en av innkalling for IP-1 kunne ikke lages" in str(refused.problems[0])
        assert a.status == "partial" and b.status == "ok"
        folder = settings.outbox / "IP-0"
        assert sorted(p.name for p in folder.iterdir()) == [
            "2026-12-03_innkalling.docx",
            "2026-12-03_innkalling.ics",
            "2026-12-03_innkalling.pdf",
        ]
        assert not (settings.outbox / "IP-1").exists()  # nothing of the failed document
        assert (settings.outbox / "IP-2026-0042" / "2009-10-23_fullmakt.pdf").is_file()
        assert [r.name for r in ledger.recent()] == ["b.yaml", "a.xlsx"]
        assert [d.case for d in ledger.documents("IP-1")] == []
    assert not list((settings.outbox / ".ipdocs").glob("staging-*"))


def test_process_file_alone_is_a_run_of_its_own(tmp_path, settings):
    source = tmp_path / "i.yaml"
    shutil.copy(DATA / "formats_innkalling.yaml", source)
    result = pipeline.process_file(source, settings)
    [made] = result.made
    assert made.path.is_file() and [e.suffix for e in made.extras] == [".ics"]


def test_batch_pdf_with_real_libreoffice(tmp_path):
    require_program("soffice")
    require_program("pdftotext")
    batch_workbook(tmp_path / "b.xlsx", ["Kari Nordmann", "Åse Ødegård", "Per Berg"])
    result = run_cli("batch", "b.xlsx", "--pdf", "--jobs", "2", cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Lager PDF" in result.stderr
    for i, name in enumerate(["Kari Nordmann", "Åse Ødegård", "Per Berg"]):
        pdf = tmp_path / "outbox" / f"IP-{i}" / "2026-12-03_innkalling.pdf"
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert name in text and "Rådhuset" in text and f"IP-{i}" in text


def test_render_pdf_option_with_real_libreoffice(tmp_path):
    require_program("soffice")
    require_program("pdftotext")
    shutil.copy(DATA / "formats_samtykke.yaml", tmp_path)
    result = run_cli("render", "formats_samtykke.yaml", "--pdf", cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    pdf = tmp_path / "outbox" / "IP-2026-0042" / "2026-12-03_samtykke.pdf"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Kari Nordmann" in text and "frivillig" in text


def test_without_libreoffice_pdf_says_how_to_install_it(tmp_path):
    shutil.copy(DATA / "formats_fullmakt.yaml", tmp_path)
    empty = tmp_path / "bin"
    empty.mkdir()
    result = run_cli(
        "render", "formats_fullmakt.yaml", "--pdf", cwd=tmp_path, env={"PATH": str(empty)}
    )
    assert result.returncode == 3
    assert "Fant ikke LibreOffice" in result.stderr
    assert "apt-get install libreoffice-writer" in result.stderr
    assert not (tmp_path / "outbox" / "IP-2026-0042").exists()  # nothing made half-way
    assert "Traceback" not in result.stderr


def test_pdf_and_calendar_settings_in_the_settings_file(tmp_path):
    (tmp_path / "ipdocs.toml").write_text("[utdata]\npdf = true\nics = false\n", encoding="utf-8")
    loaded = Settings.load(tmp_path / "ipdocs.toml")
    assert loaded.pdf is True and loaded.ics is False
    assert Settings.load(tmp_path / "ipdocs.toml", pdf=False).pdf is False  # --pdf given wins
