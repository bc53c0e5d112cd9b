"""`ipdocs templates check`: the bundled templates pass; a broken one is named, with the
paragraph, before any document is made from it."""

from __future__ import annotations

import shutil

from conftest import DATA, run_cli
from docx import Document as WordDocument

from ipdocs.errors import ExitCode
from ipdocs.settings import bundled_templates
from ipdocs.template_check import check_folder


def test_bundled_templates_pass(settings):
    reports = check_folder(None, settings)
    assert len(reports) == 8
    assert [r for r in reports if r.problems] == []


def _folder_with(tmp_path, name: str, text: str, *, where: str = "body"):
    folder = tmp_path / "maler"
    if not folder.exists():
        shutil.copytree(bundled_templates(), folder)
    word = WordDocument(str(folder / name))
    if where == "header":
        word.sections[0].header.add_paragraph(text)
    elif where == "table":
        word.add_table(rows=1, cols=1).cell(0, 0).paragraphs[0].add_run(text)
    else:
        word.add_paragraph(text)
    word.save(str(folder / name))
    return folder


def _check(tmp_path, folder):
    result = run_cli("templates", "check", str(folder), cwd=tmp_path)
    return result, result.stdout.replace(str(folder) + "/", "")


def test_typo_in_a_branch_the_sample_does_not_take_is_found(tmp_path, settings):
    folder = _folder_with(
        tmp_path, "innkalling_nb.docx", "{% if not tolk %}{{ mote.stedd }}{% endif %}"
    )
    reports = {r.path.name: r for r in check_folder(folder, settings)}
    assert "«mote.stedd»" in " ".join(reports["innkalling_nb.docx"].problems)
    assert "Mente du «mote.sted»?" in " ".join(reports["innkalling_nb.docx"].problems)
    assert reports["referat_nb.docx"].problems == ()


def test_unknown_loop_field_is_found(tmp_path, settings):
    folder = _folder_with(
        tmp_path, "referat_nn.docx", "{% for t in tiltak %}{{ t.eier }}{% endfor %}"
    )
    problems = {r.path.name: r.problems for r in check_folder(folder, settings)}["referat_nn.docx"]
    assert any("t.eier" in p for p in problems)


def test_the_three_broken_templates_of_the_issue_fail_with_the_paragraph_named(tmp_path):
    _folder_with(tmp_path, "referat_nb.docx", "Tolk til stede: {{ tolk }")
    _folder_with(tmp_path, "innkalling_nb.docx", "Til {{ bruker.nvn }}", where="table")
    folder = _folder_with(tmp_path, "samtykke_nb.docx", "{% if overforing %}Gjelder flytting.")
    result, out = _check(tmp_path, folder)
    assert result.returncode == ExitCode.refused, out
    assert (
        "Feil i referat_nb.docx:\n  - I avsnittet «Tolk til stede: {{ tolk }» (i teksten): "
        "koden «{{ tolk }» er ikke hel; «}}» mangler." in out
    )
    assert (
        "I avsnittet «Til {{ bruker.nvn }}» (i en tabell): feltet «bruker.nvn» finnes ikke "
        "for innkalling. Mente du «bruker.navn»?" in out
    )
    assert (
        "I avsnittet «{% if overforing %}Gjelder flytting.» (i teksten): koden "
        "«{% if overforing %}» er ikke avsluttet; «{% endif %}» mangler." in out
    )
    assert "I orden: referat_nn.docx" in out
    assert "3 maler må rettes." in out
    assert "unexpected" not in out.lower() and "Traceback" not in result.stderr


def test_broken_tag_in_a_header_and_a_stray_end(tmp_path):
    _folder_with(tmp_path, "fullmakt_nb.docx", "Sak {{ sak }", where="header")
    folder = _folder_with(tmp_path, "fullmakt_nn.docx", "Slutt {% endfor %}")
    result, out = _check(tmp_path, folder)
    assert result.returncode == ExitCode.refused
    assert "I avsnittet «Sak {{ sak }» (i toppteksten): koden «{{ sak }» er ikke hel" in out
    assert "«{% endfor %}» avslutter noe som ikke er begynt" in out
    assert "2 maler må rettes." in out


def test_a_tag_left_in_the_output_fails(tmp_path):
    folder = _folder_with(
        tmp_path, "fullmakt_nb.docx", "{% raw %}Gjelder {{ gjelder }}{% endraw %}"
    )
    result, out = _check(tmp_path, folder)
    assert result.returncode == ExitCode.refused
    assert "koden «{{ gjelder }}» blir stående i dokumentet" in out
    assert "1 mal må rettes." in out


def test_a_jinja_error_is_said_in_norwegian(tmp_path):
    folder = _folder_with(tmp_path, "fullmakt_nb.docx", "Fra {{ fra | }}")
    result, out = _check(tmp_path, folder)
    assert result.returncode == ExitCode.refused
    assert "I avsnittet «Fra {{ fra | }}» (i teksten): koden «{{ fra | }}» kan ikke leses" in out
    assert "expected" not in out


def test_render_refuses_a_template_the_check_would_fail_before_any_document(tmp_path):
    (tmp_path / "ipdocs.toml").write_text('[mapper]\nmaler = "maler"\n', encoding="utf-8")
    # The typo is in a branch these notes do not take: without the check, render would make the
    # invitation and nobody would see the line is broken until a meeting with an interpreter.
    _folder_with(
        tmp_path, "innkalling_nb.docx", "{% if not tolk %}Sted: {{ mote.stedd }}{% endif %}"
    )
    notes = tmp_path / "innkalling.yaml"
    shutil.copy(DATA / "formats_innkalling.yaml", notes)  # with an interpreter
    result = run_cli("render", str(notes), cwd=tmp_path)
    assert result.returncode == ExitCode.failed, result.stdout + result.stderr
    assert "Malen innkalling_nb.docx må rettes før den kan brukes" in result.stderr
    assert "«{% if not tolk %}Sted: {{ mote.stedd }}{% endif %}»" in result.stderr
    assert "Mente du «mote.sted»?" in result.stderr
    assert not list((tmp_path / "outbox").rglob("*.docx"))
    assert not list((tmp_path / "outbox").rglob("*.ics"))


def test_the_new_fields_are_known_and_the_skeletons_carry_them(tmp_path, settings):
    from ipdocs import skeletons

    fields = {
        "referat_nb.docx": "{{ skrevet }} {{ sendes_til }} {{ evaluering }} {{ avslutning }} "
        "{% if bruker_til_stede %}ja{% endif %}",
        "innkalling_nn.docx": "{% if forste_mote %}{{ mottaker }}{% endif %} "
        "{% for f in foresatte %}{{ f.navn }}{% endfor %} {{ kommune.kontaktperson }}",
        "samtykke_nb.docx": "{% for s in underskrivere %}{{ s.rolle_tekst }}{% endfor %} "
        "{{ koordinator_ord }} {{ koordinatoren }}",
    }
    folder = tmp_path / "maler"
    shutil.copytree(bundled_templates(), folder)
    for name, text in fields.items():
        word = WordDocument(str(folder / name))
        word.add_paragraph(text)
        word.save(str(folder / name))
    assert [r for r in check_folder(folder, settings) if r.problems] == []
    wrong = _folder_with(tmp_path / "feil", "referat_nb.docx", "{{ sendes_till }}")
    problems = {r.path.name: r.problems for r in check_folder(wrong, settings)}
    assert "«sendes_till»" in " ".join(problems["referat_nb.docx"])
    yaml = {kind: skeletons.yaml_text(kind, today=settings.today) for kind in skeletons.KINDS}
    for kind, names in {
        "innkalling": ("forste_mote:", "fodt:", "foresatte:"),
        "referat": ("skrevet:", "bruker_til_stede:", "sendes_til:", "evaluering:", "avslutning:"),
        "samtykke": ("underskriver:", "underskrivere:"),
    }.items():
        for name in names:
            line = next(line for line in yaml[kind].splitlines() if name in line)
            assert "#" in line, (kind, name)  # each with a short Norwegian comment
