"""The pipeline's run policy (pipeline.py): which files a command reads, what stops one file
and what stops the run, and the exit code a run of many files ends with."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap

import pytest
from conftest import DATA, run_cli

from ipdocs import pipeline
from ipdocs.errors import ConversionError, ExitCode, TemplateError
from ipdocs.ledger import Ledger, default_path
from ipdocs.results import Refused, Result, Stopped

# A LibreOffice that starts and makes nothing: every conversion fails.
BROKEN_SOFFICE = textwrap.dedent(
    """\
    #!{python}
    import sys
    sys.exit(0)
    """
)


@pytest.fixture
def broken_soffice(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    program = folder / "soffice"
    program.write_text(BROKEN_SOFFICE.format(python=sys.executable), encoding="utf-8")
    program.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}


def test_libreoffice_failing_is_not_the_inputs_fault(tmp_path, broken_soffice):
    """`render --pdf` with a LibreOffice that fails: the user is told LibreOffice failed for
    that document, nothing of the file is made or recorded, and the command ends `failed`
    (the file is correct: it is never «Avvist»)."""
    shutil.copy(DATA / "formats_innkalling.yaml", tmp_path / "a.yaml")
    shutil.copy(DATA / "formats_fullmakt.yaml", tmp_path / "b.yaml")
    done = run_cli("render", "a.yaml", "b.yaml", "--pdf", cwd=tmp_path, env=broken_soffice)
    assert done.returncode == ExitCode.failed, done.stderr
    assert "Avvist" not in done.stdout
    assert "LibreOffice klarte ikke å lage PDF av innkalling for IP-2026-0042" in done.stderr
    assert "Ingenting fra a.yaml ble laget." in done.stderr
    assert "Ingenting fra b.yaml ble laget." in done.stderr
    assert "2 ikke laget fordi LibreOffice ikke klarte å lage PDF (a.yaml, b.yaml)" in done.stdout
    outbox = tmp_path / "outbox"
    assert [p for p in outbox.rglob("*") if p.is_file() and ".ipdocs" not in p.parts] == []
    with Ledger(default_path(outbox)) as ledger:
        assert ledger.recent() == []  # not recorded: not refused, and made when LibreOffice works


def test_a_folder_stands_for_the_input_files_in_it(tmp_path):
    for name in ("b.yaml", "a.json", "c.xlsx", "d.csv", "notes.txt", "e.PDF"):
        (tmp_path / name).write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "f.yaml").write_text("x")
    named = tmp_path / "elsewhere.txt"
    found = pipeline.input_files([tmp_path, named])
    assert [p.name for p in found] == ["a.json", "b.yaml", "c.xlsx", "d.csv", "e.PDF"] + [
        "elsewhere.txt"
    ]


def test_process_files_goes_on_past_a_file_it_cannot_make(tmp_path, settings):
    """A file the run cannot make (here: no such template) is handed to `on_stopped`; the
    others are made, and the run ends `failed`."""
    templates = tmp_path / "maler"
    templates.mkdir()
    (templates / "referat_nb.docx").write_bytes(b"ikke en Word-fil")
    settings = settings.replace(templates=templates)
    for name in ("a_innkalling", "b_referat", "c_fullmakt"):
        kind = name.split("_")[1]
        shutil.copy(DATA / f"formats_{kind}.yaml", tmp_path / f"{name}.yaml")
    results, stopped = [], []
    paths = sorted(tmp_path.glob("*.yaml"))
    done = pipeline.process_files(
        paths, settings, write=True, on_result=results.append, on_stopped=stopped.append
    )
    assert [r.source.name for r in results] == ["a_innkalling.yaml", "c_fullmakt.yaml"]
    [entry] = stopped
    assert entry.source.name == "b_referat.yaml" and isinstance(entry.error, TemplateError)
    assert done.made == 2 and done.refused == 0 and done.exit_code is ExitCode.failed


@pytest.mark.parametrize(
    ("made", "refused", "stopped", "code"),
    [
        (1, 0, 0, ExitCode.ok),
        (1, 1, 0, ExitCode.refused),
        (0, 1, 0, ExitCode.refused),
        (1, 1, 1, ExitCode.failed),
    ],
)
def test_the_exit_code_of_many_files(tmp_path, made, refused, stopped, code):
    ok = Result(tmp_path / "a.yaml", (), ())
    bad = Result(tmp_path / "b.yaml", (), (Refused("", ()),))
    results = (ok,) * made + (bad,) * refused
    stops = (Stopped(tmp_path / "c.yaml", ConversionError("LibreOffice")),) * stopped
    assert pipeline.Files(results, stops).exit_code is code


def test_checking_writes_nothing(tmp_path, settings):
    shutil.copy(DATA / "formats_innkalling.yaml", tmp_path / "a.yaml")
    seen = []
    done = pipeline.process_files(
        [tmp_path / "a.yaml"], settings, write=False, on_result=seen.append, on_stopped=print
    )
    [result] = seen
    assert result.made[0].path is None and done.exit_code is ExitCode.ok
    assert not settings.outbox.exists()


def _three_files(tmp_path, kind: str = "innkalling") -> list:
    for name in ("a.yaml", "b.yaml", "c.yaml"):
        shutil.copy(DATA / f"formats_{kind}.yaml", tmp_path / name)
    return [tmp_path / n for n in ("a.yaml", "b.yaml", "c.yaml")]


def test_a_fault_in_one_file_is_said_for_that_file_and_the_others_are_made(
    tmp_path, settings, monkeypatch
):
    paths = _three_files(tmp_path)
    real = pipeline.readers.entries

    def faulty(path, **kwargs):  # a reader with a bug that shows on one file only
        if path.name == "b.yaml":
            raise RuntimeError("a bug")
        return real(path, **kwargs)

    monkeypatch.setattr(pipeline.readers, "entries", faulty)
    seen: list[str] = []
    stopped: list[Stopped] = []
    done = pipeline.process_files(
        paths,
        settings,
        write=False,
        on_result=lambda result: seen.append(result.source.name),
        on_stopped=stopped.append,
    )
    assert seen == ["a.yaml", "c.yaml"]
    [entry] = stopped
    assert entry.source.name == "b.yaml"
    assert str(entry.error).startswith("b.yaml: noe gikk galt inne i ipdocs (RuntimeError).")
    assert done.made == 2 and done.exit_code is ExitCode.failed


def test_a_memory_error_in_one_file_stops_that_file_only(tmp_path, settings, monkeypatch):
    paths = _three_files(tmp_path, "referat")[:2]
    real = pipeline.readers.entries

    def greedy(path, **kwargs):
        if path.name == "a.yaml":
            raise MemoryError
        return real(path, **kwargs)

    monkeypatch.setattr(pipeline.readers, "entries", greedy)
    stopped: list[Stopped] = []
    done = pipeline.process_files(
        paths, settings, write=True, on_result=lambda result: None, on_stopped=stopped.append
    )
    assert [e.source.name for e in stopped] == ["a.yaml"]
    assert "ikke nok minne" in str(stopped[0].error)
    assert done.made == 1
    assert (settings.outbox / "IP-2026-0042" / "2026-12-03_referat.docx").is_file()
