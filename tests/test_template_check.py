"""`ipdocs templates check`: the bundled templates pass; broken ones are named before use."""

from __future__ import annotations

import shutil

from conftest import run_cli
from docx import Document as WordDocument

from ipdocs.errors import ExitCode
from ipdocs.settings import bundled_templates
from ipdocs.template_check import check_folder


def test_bundled_templates_pass(settings):
    reports = check_folder(None, settings)
    assert len(reports) == 8
    assert [r for r in reports if r.problems] == []


def _folder_with(tmp_path, name: str, text: str):
    folder = tmp_path / "maler"
    shutil.copytree(bundled_templates(), folder)
    word = WordDocument(str(folder / name))
    word.add_paragraph(text)
    word.save(str(folder / name))
    return folder


def test_typo_in_a_branch_the_sample_does_not_take_is_found(tmp_path, settings):
    folder = _folder_with(
        tmp_path, "innkalling_nb.docx", "{% if not tolk %}{{ mote.stedd }}{% endif %}"
    )
    reports = {r.path.name: r for r in check_folder(folder, settings)}
    assert "«mote.stedd»" in " ".join(reports["innkalling_nb.docx"].problems)
    assert reports["referat_nb.docx"].problems == ()


def test_unknown_loop_field_is_found(tmp_path, settings):
    folder = _folder_with(
        tmp_path, "referat_nn.docx", "{% for t in tiltak %}{{ t.eier }}{% endfor %}"
    )
    problems = {r.path.name: r.problems for r in check_folder(folder, settings)}["referat_nn.docx"]
    assert any("t.eier" in p for p in problems)


def test_broken_tag_through_the_cli(tmp_path):
    folder = _folder_with(tmp_path, "fullmakt_nb.docx", "{{ fullmektig.navn }")
    result = run_cli("templates", "check", str(folder), cwd=tmp_path)
    assert result.returncode == ExitCode.refused
    assert "Feil i" in result.stdout and "fullmakt_nb.docx" in result.stdout
    assert "1 mal(er) må rettes" in result.stdout


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
