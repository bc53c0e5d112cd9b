"""The run's stages after validation: PDF for every document of a run, failures one by one."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
import stat
import subprocess
from pathlib import Path

import openpyxl
import pytest
from conftest import DATA, docx_text, require_program, run_cli
from docx import Document as WordDocument

from ipdocs import pipeline
from ipdocs.errors import ConversionError, DiskFull, ExitCode, IpdocsError, TemplateError
from ipdocs.ledger import Ledger, default_path
from ipdocs.readers.batch import REQUIRED
from ipdocs.results import Stopped
from ipdocs.run import Run
from ipdocs.settings import Settings, bundled_templates


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


def test_one_conversion_for_every_file_of_a_run_and_a_failure_stops_that_file(tmp_path, settings):
    """LibreOffice failing on one document is not the input's fault: nothing of that file is
    published or recorded (it is made again when LibreOffice works), the others are."""
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
        assert isinstance(a, Stopped) and isinstance(a.error, ConversionError)
        message = str(a.error)
        assert "LibreOffice klarte ikke å lage PDF av innkalling for IP-1 (rad 3)" in message
        assert "Ingenting fra a.xlsx ble laget." in message
        assert b.status == "ok"
        assert not any((settings.outbox / case).exists() for case in ("IP-0", "IP-1", "IP-2"))
        assert (settings.outbox / "IP-2026-0042" / "2009-10-23_fullmakt.pdf").is_file()
        assert [r.name for r in ledger.recent()] == ["b.yaml"]
        assert [d.case for d in ledger.documents("IP-0")] == []
    assert not list((settings.outbox / ".ipdocs").glob("staging-*"))


def test_process_file_alone_is_a_run_of_its_own(tmp_path, settings):
    source = tmp_path / "i.yaml"
    shutil.copy(DATA / "formats_innkalling.yaml", source)
    result = pipeline.process_file(source, settings)
    [made] = result.made
    assert made.path.is_file() and [e.suffix for e in made.extras] == [".ics"]


@pytest.fixture
def service_umask():
    """The umask of the systemd unit (UMask=0007), inherited by the ipdocs the test starts."""
    old = os.umask(0o007)
    yield 0o007
    os.umask(old)


def test_batch_pdf_with_real_libreoffice(tmp_path, service_umask):
    require_program("soffice")
    require_program("pdftotext")
    batch_workbook(tmp_path / "b.xlsx", ["Kari Nordmann", "Åse Ødegård", "Per Berg"])
    result = run_cli("batch", "b.xlsx", "--pdf", "--jobs", "2", cwd=tmp_path, timeout=300)
    assert result.returncode == ExitCode.ok, result.stdout + result.stderr
    assert "Lager PDF" in result.stderr
    # The group shares the outbox: every file is readable and writable by it (0666 & ~0007).
    made = [p for p in (tmp_path / "outbox").glob("IP-*/*") if p.is_file()]
    assert sorted({p.suffix for p in made}) == [".docx", ".ics", ".pdf"] and len(made) == 9
    assert {stat.S_IMODE(p.stat().st_mode) for p in made} == {0o660}
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
    assert result.returncode == ExitCode.ok, result.stdout + result.stderr
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
    assert result.returncode == ExitCode.failed
    assert "Fant ikke LibreOffice" in result.stderr
    assert "apt-get install libreoffice-writer" in result.stderr
    assert not (tmp_path / "outbox" / "IP-2026-0042").exists()  # nothing made half-way
    assert "Traceback" not in result.stderr


def test_pdf_and_calendar_settings_in_the_settings_file(tmp_path):
    (tmp_path / "ipdocs.toml").write_text("[utdata]\npdf = true\nics = false\n", encoding="utf-8")
    loaded = Settings.load(tmp_path / "ipdocs.toml")
    assert loaded.pdf is True and loaded.ics is False
    assert Settings.load(tmp_path / "ipdocs.toml", pdf=False).pdf is False  # --pdf given wins


# --- a run that cannot finish a file leaves nothing half-made ---------------------------------


def office(tmp_path: Path) -> Path:
    """A folder as `ipdocs init` makes it (templates/ holds copies the user may edit)."""
    result = run_cli("init", cwd=tmp_path)
    assert result.returncode == ExitCode.ok, result.stdout + result.stderr
    return tmp_path


def add_paragraph(template: Path, text: str) -> None:
    word = WordDocument(str(template))
    word.add_paragraph(text)
    word.save(str(template))


def outbox_files(outbox: Path) -> list[str]:
    """Everything in the outbox a user can see (not the ledger, not staging folders)."""
    return sorted(
        str(p.relative_to(outbox))
        for p in outbox.rglob("*")
        if p.is_file() and ".ipdocs" not in p.relative_to(outbox).parts
    )


def ledger_counts(outbox: Path) -> tuple[int, int]:
    with sqlite3.connect(outbox / ".ipdocs" / "ledger.sqlite") as db:
        inputs = db.execute("SELECT COUNT(*) FROM inputs").fetchone()[0]
        documents = db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    return inputs, documents


def staging_folders(outbox: Path) -> list[Path]:
    return list((outbox / ".ipdocs").glob("staging-*"))


def batch_rows(path: Path, count: int, *, nynorsk_row: int = 0) -> Path:
    """`count` invitations, one case each; row `nynorsk_row` (1-based) has `sprak: nn`."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Innkallinger"
    ws.append([*REQUIRED, "sprak"])
    for i in range(1, count + 1):
        ws.append(
            [f"IP-{i:03d}", "Kari Nordmann", "03.12.2026", "09:00", "10:30", "Rådhuset", None]
            + ["Ola Hansen", "400 31 579", "Per Olsen (Fastlege)", "Status"]
            + ["nn" if i == nynorsk_row else "nb"]
        )
    book.save(path)
    return path


def test_a_broken_template_makes_nothing_of_the_file_and_says_so(tmp_path):
    """Review findings: the .ics was published before the template failed, and left alone;
    and the files after it were never read, without a word or a summary."""
    root = office(tmp_path)
    (root / "templates" / "innkalling_nb.docx").write_bytes(b"garbage\n")
    for kind in ("innkalling", "referat"):
        shutil.copy(DATA / f"formats_{kind}.yaml", root)
    result = run_cli("render", "formats_innkalling.yaml", "formats_referat.yaml", cwd=root)
    assert result.returncode == ExitCode.failed, result.stdout + result.stderr
    outbox = root / "outbox"
    # Nothing of the invitation (no calendar file without its document); the minutes, whose
    # template is sound, are made.
    assert outbox_files(outbox) == ["IP-2026-0042/2026-12-03_referat.docx"]
    assert ledger_counts(outbox) == (1, 1)
    assert staging_folders(outbox) == []
    assert "Malen innkalling_nb.docx er ikke et Word-dokument" in result.stderr
    assert "Ingenting fra formats_innkalling.yaml ble laget." in result.stderr
    assert (
        "Ferdig: 1 dokument laget, 0 avvist, 1 ikke laget på grunn av feil i en mal "
        "(formats_innkalling.yaml)." in result.stdout
    )
    assert "Traceback" not in result.stderr and "Noe gikk galt" not in result.stderr


@pytest.mark.parametrize(
    ("broken", "jobs"),
    [("garbage", "1"), ("unknown field in the nynorsk template", "2")],
)
def test_a_batch_with_a_broken_template_publishes_nothing_until_it_is_fixed(tmp_path, broken, jobs):
    """Review finding: with `--jobs 2` and the nynorsk template of row 16 naming an unknown
    field, 19 documents and 20 calendar files were published, the ledger held none of them and
    there was no summary."""
    root = office(tmp_path)
    batch_rows(root / "b.xlsx", 20, nynorsk_row=16)
    templates = root / "templates"
    if broken == "garbage":
        (templates / "innkalling_nb.docx").write_bytes(b"garbage\n")
        expected = "Malen innkalling_nb.docx er ikke et Word-dokument"
    else:
        add_paragraph(templates / "innkalling_nn.docx", "{{ ukjent_felt }}")
        expected = (
            "Malen innkalling_nn.docx må rettes før den kan brukes: I avsnittet "
            "«{{ ukjent_felt }}» (i teksten): feltet «ukjent_felt» finnes ikke for innkalling."
        )
    result = run_cli("batch", "b.xlsx", "--jobs", jobs, cwd=root)
    assert result.returncode == ExitCode.failed, result.stdout + result.stderr
    outbox = root / "outbox"
    assert outbox_files(outbox) == []
    assert ledger_counts(outbox) == (0, 0)
    assert staging_folders(outbox) == []
    assert expected in result.stderr
    assert "Ingenting fra b.xlsx ble laget." in result.stderr
    assert "Traceback" not in result.stderr

    shutil.copy(bundled_templates() / "innkalling_nb.docx", templates)  # the template fixed
    shutil.copy(bundled_templates() / "innkalling_nn.docx", templates)
    again = run_cli("batch", "b.xlsx", "--jobs", jobs, cwd=root)
    assert again.returncode == ExitCode.ok, again.stdout + again.stderr
    assert "Ferdig: 20 innkallinger laget" in again.stdout
    files = outbox_files(outbox)
    assert len(files) == 40 and all(f.endswith((".docx", ".ics")) for f in files)
    assert ledger_counts(outbox) == (1, 20)


def test_a_template_syntax_error_in_the_workers_is_named_in_norwegian(tmp_path):
    """Review finding: with `--jobs 2` a tag left open was reported as a fault in ipdocs."""
    root = office(tmp_path)
    add_paragraph(root / "templates" / "innkalling_nb.docx", "{{ bruker.navn ")
    batch_rows(root / "b.xlsx", 3)
    result = run_cli("batch", "b.xlsx", "--jobs", "2", cwd=root)
    assert result.returncode == ExitCode.failed, result.stdout + result.stderr
    assert (
        "Malen innkalling_nb.docx må rettes før den kan brukes: I avsnittet «{{ bruker.navn» "
        "(i teksten): koden «{{ bruker.navn» er ikke hel; «}}» mangler." in result.stderr
    )
    assert "ipdocs templates check" in result.stderr
    assert "Noe gikk galt" not in result.stderr and "TemplateSyntaxError" not in result.stderr
    assert outbox_files(root / "outbox") == []


def test_with_pdf_a_broken_template_leaves_what_waits_for_the_pdf_stage_to_be_made(
    tmp_path, settings
):
    """The file before it waits for its PDF; the broken one makes nothing, and the run goes
    on to make the first one whole (`ipdocs render a.xlsx b.yaml --pdf`)."""
    templates = tmp_path / "maler"
    shutil.copytree(bundled_templates(), templates)
    add_paragraph(templates / "referat_nb.docx", "{{ ukjent_felt }}")
    settings = settings.replace(pdf=True, templates=templates)
    first = batch_workbook(tmp_path / "a.xlsx", ["Anne", "Carl"])
    second = tmp_path / "b.yaml"
    shutil.copy(DATA / "formats_referat.yaml", second)
    converter = FakeConverter()
    with Ledger.for_outbox(settings.outbox) as ledger:
        with Run(settings, ledger=ledger, converter=converter) as run:
            pipeline.process_file(first, settings, ledger=ledger, run=run)
            with pytest.raises(TemplateError) as info:
                pipeline.process_file(second, settings, ledger=ledger, run=run)
            assert "Ingenting fra b.yaml ble laget." in str(info.value)
            [result] = run.finish()
            assert result.source == first and len(result.made) == 2
        assert [row.name for row in ledger.recent()] == ["a.xlsx"]
    made = outbox_files(settings.outbox)
    assert len(made) == 6 and not any("referat" in name for name in made), made
    assert staging_folders(settings.outbox) == []


def test_a_document_that_cannot_be_saved_is_named_and_what_was_saved_is_recorded(
    tmp_path, settings
):
    """The second case's document cannot be moved into place (a folder has taken its name):
    the first one is in the outbox, so the ledger has it; the error is not the file's fault."""
    blocked = settings.outbox / "IP-1" / "2026-12-03_innkalling.docx"
    (blocked / "noe").mkdir(parents=True)
    source = batch_workbook(tmp_path / "a.xlsx", ["Anne", "Berit", "Carl"])
    with Ledger.for_outbox(settings.outbox) as ledger:
        with pytest.raises(IpdocsError) as info:
            pipeline.process_file(source, settings, ledger=ledger)
        message = str(info.value)
        assert f"Dokumentene kunne ikke lagres i {settings.outbox}" in message
        assert "Ingenting fra a.xlsx" not in message  # one was saved: the message does not lie
        assert "Bare 1 av 3 dokumenter fra a.xlsx ble lagret." in message
        assert (
            info.value.exit_code == ExitCode.failed
        )  # not the file's fault: the watcher tries again later
        [row] = ledger.recent()
        assert row.status == "partial"  # not "ok": the watcher makes it again, not a copy
        assert [Path(p).parent.name for p in row.outputs] == ["IP-0"]
        assert [d.case for d in ledger.documents("IP-0")] == ["IP-0"]
        assert ledger.documents("IP-2") == []
    assert "Anne" in docx_text(settings.outbox / "IP-0" / "2026-12-03_innkalling.docx")
    assert outbox_files(settings.outbox) == [
        "IP-0/2026-12-03_innkalling.docx",
        "IP-0/2026-12-03_innkalling.ics",
    ]


@pytest.fixture
def small_outbox(tmp_path):
    """outbox/ on a 3 MB file system of its own (a real full disk, not a patched write)."""
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(outbox)], capture_output=True
    )
    if mounted.returncode != 0:
        if os.environ.get("CI"):
            pytest.fail(f"CI must be able to mount a tmpfs: {mounted.stderr!r}")
        pytest.skip("mounting a tmpfs is not permitted here")
    yield outbox
    subprocess.run(["umount", "-l", str(outbox)], check=False)


def test_a_full_disk_under_the_outbox_publishes_only_what_the_ledger_records(
    tmp_path, small_outbox
):
    """50 invitations onto 3 MB: the disk fills part way. Every document in the outbox is in
    the ledger and every one in the ledger is in the outbox; the user reads «Disken er full»
    and which files were not made, never that ipdocs itself is broken."""
    template = (DATA / "formats_innkalling.yaml").read_text(encoding="utf-8")
    names = []
    for n in range(1, 51):
        name = f"f{n:02d}.yaml"
        (tmp_path / name).write_text(template.replace("IP-2026-0042", f"IP-F-{n:03d}"))
        names.append(name)
    done = run_cli("render", *names, cwd=tmp_path)
    assert done.returncode == ExitCode.failed
    assert "Disken er full" in done.stderr
    assert "feil i programmet" not in done.stderr and "Traceback" not in done.stderr
    published = sorted(str(p.resolve()) for p in small_outbox.glob("IP-F-*/*.docx"))
    with Ledger(default_path(small_outbox)) as ledger:
        recorded = sorted(
            str(d.path) for n in range(1, 51) for d in ledger.documents(f"IP-F-{n:03d}")
        )
        inputs = [row.name for row in ledger.recent(100)]
    assert 0 < len(published) < 50  # the disk filled part way
    assert published == recorded
    summary = done.stdout.strip().splitlines()[-1]
    made = len(published)
    assert summary.startswith(f"Ferdig: {made} dokumenter laget, 0 avvist, {50 - made} ikke laget")
    assert "fordi disken er full" in summary
    assert sorted(inputs) == names[:made]
    assert all(f"Ingenting fra {name} ble laget." in done.stderr for name in names[made:])
    assert not [p for p in small_outbox.iterdir() if p.is_dir() and not any(p.iterdir())]


class FullLedger(Ledger):
    """A ledger whose disk fills the moment a result is recorded."""

    def record(self, result):
        raise DiskFull("Disken er full, så dokumentene kunne ikke lagres.")


def test_a_ledger_that_cannot_record_takes_the_documents_back(tmp_path, settings):
    """The moves are undone when the ledger cannot record them: a new document is gone
    again, and one it replaced is back as it was."""
    source = tmp_path / "a.yaml"
    shutil.copy(DATA / "formats_innkalling.yaml", source)
    pipeline.process_file(source, settings)  # the first version, recorded
    document = settings.outbox / "IP-2026-0042" / "2026-12-03_innkalling.docx"
    before = document.read_bytes()
    source.write_text(source.read_text().replace("Per Olsen", "Pål Olsen"))
    other = tmp_path / "b.yaml"
    shutil.copy(DATA / "formats_fullmakt.yaml", other)
    with FullLedger(default_path(settings.outbox)) as ledger:
        for path in (source, other):
            with pytest.raises(DiskFull) as info:
                pipeline.process_file(path, settings, ledger=ledger)
            assert f"Ingenting fra {path.name} ble laget." in str(info.value)
    assert document.read_bytes() == before
    assert "Per Olsen" in docx_text(document)
    assert not (settings.outbox / "IP-2026-0042" / "2009-10-23_fullmakt.docx").exists()
    assert staging_folders(settings.outbox) == []


# --- never lose a user's file (issue 10, point 1) --------------------------------------------


def _folder(tmp_path):
    return tmp_path / "outbox" / "IP-2026-0042"


def test_a_word_edit_survives_a_render_of_the_fixed_notes(tmp_path):
    notes = tmp_path / "innkalling.yaml"
    shutil.copy(DATA / "formats_innkalling.yaml", notes)
    assert run_cli("render", "innkalling.yaml", cwd=tmp_path).returncode == 0
    docx = _folder(tmp_path) / "2026-12-03_innkalling.docx"
    word = WordDocument(str(docx))
    word.add_paragraph("Husk å ta med vedtaket fra NAV.")  # added in Word
    word.save(str(docx))
    notes.write_text(notes.read_text("utf-8").replace("møterom 2", "møterom 3"), "utf-8")
    again = run_cli("render", "innkalling.yaml", cwd=tmp_path)
    assert again.returncode == 0, again.stdout + again.stderr
    [kept] = _folder(tmp_path).glob("2026-12-03_innkalling.endret-*.docx")
    assert (
        "Advarsel: skrev ikke over: 2026-12-03_innkalling.docx er endret etter at ipdocs laget "
        f"det; den gamle ligger som {kept.name} i samme mappe." in again.stdout
    )
    assert "Husk å ta med vedtaket fra NAV." in docx_text(kept)
    assert "møterom 3" in docx_text(docx) and "møterom 3" not in docx_text(kept)
    # Made again with nothing edited: replaced, nothing more kept, nothing said.
    third = run_cli("render", "innkalling.yaml", cwd=tmp_path)
    assert third.returncode == 0 and "skrev ikke over" not in third.stdout
    assert len(list(_folder(tmp_path).glob("*.docx"))) == 2
    assert len(list(_folder(tmp_path).glob("*.ics"))) == 1


def test_a_document_from_another_input_is_kept_with_its_calendar_file(tmp_path):
    for name in ("a.yaml", "b.yaml"):
        shutil.copy(DATA / "formats_innkalling.yaml", tmp_path / name)
    assert run_cli("render", "a.yaml", cwd=tmp_path).returncode == 0
    before = (_folder(tmp_path) / "2026-12-03_innkalling.docx").read_bytes()
    result = run_cli("render", "b.yaml", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    [docx] = _folder(tmp_path).glob("2026-12-03_innkalling.tidligere-*.docx")
    [ics] = _folder(tmp_path).glob("2026-12-03_innkalling.tidligere-*.ics")
    assert docx.read_bytes() == before
    assert "2026-12-03_innkalling.docx ble laget fra en annen fil («a.yaml»)" in result.stdout
    assert f"den gamle ligger som {ics.name}" in result.stdout


def test_a_hand_edited_pdf_is_kept_too(tmp_path, settings):
    """The same guard for the .pdf beside the document (a fake converter, no LibreOffice)."""
    notes = tmp_path / "fullmakt.yaml"
    shutil.copy(DATA / "formats_fullmakt.yaml", notes)
    settings = settings.replace(pdf=True)
    with Ledger.for_outbox(settings.outbox) as ledger:
        for attempt in (1, 2):
            with Run(settings, ledger=ledger, converter=FakeConverter()) as run:
                pipeline.process_file(notes, settings, ledger=ledger, run=run)
                [result] = run.finish()
            pdf = settings.outbox / "IP-2026-0042" / "2009-10-23_fullmakt.pdf"
            if attempt == 1:
                pdf.write_bytes(pdf.read_bytes() + b"% signert og skannet inn igjen\n")
    [kept] = pdf.parent.glob("2009-10-23_fullmakt.endret-*.pdf")
    assert kept.read_bytes().endswith(b"% signert og skannet inn igjen\n")
    assert any("skrev ikke over: 2009-10-23_fullmakt.pdf" in str(w) for w in result.warnings)
    assert not list(pdf.parent.glob("*.endret-*.docx"))
