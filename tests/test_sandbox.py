"""Templates render under limits (sandbox.py): what a template may not do is refused in
Norwegian, by `templates check` and by `render`, and nothing of the document is written."""

from __future__ import annotations

import pytest
from conftest import DATA, run_cli
from test_template_check import _folder_with  # the bundled templates with one tag added


@pytest.mark.parametrize(
    "tag, said",
    [
        ("{% include 'annen.docx' %}", "«{% include %}» henter inn en annen mal"),
        ("{% import 'x' as y %}", "«{% import %}» henter inn en annen mal"),
        ("{% extends 'x' %}", "«{% extends %}» henter inn en annen mal"),
        ("{% for i in range(10**7) %}x{% endfor %}", "mer enn 10000 tall"),
        ("{{ 10**100000 }}", "altfor stort tall"),
        ("{% for i in range(10000000) %}x{% endfor %}", "mer enn 10000 tall"),
        ("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}", "i det uendelige"),
        ("{{ 'x' * 100000000 }}", "altfor lang tekst"),
    ],
)
def test_refused_by_templates_check_and_render(tmp_path, tag, said):
    folder = _folder_with(tmp_path, "innkalling_nb.docx", tag)
    checked = run_cli("templates", "check", str(folder), cwd=tmp_path)
    assert checked.returncode == 1, checked.stdout + checked.stderr
    assert "innkalling_nb.docx" in checked.stdout
    if "macro" not in tag:  # the check first finds the macro's name unknown (template_check)
        assert said in checked.stdout
    assert "Traceback" not in checked.stdout + checked.stderr

    (tmp_path / "ipdocs.toml").write_text(
        f'[kommune]\nnavn = "Selbu kommune"\n[mapper]\nmaler = "{folder}"\n', encoding="utf-8"
    )
    made = run_cli("render", str(DATA / "formats_innkalling.yaml"), cwd=tmp_path)
    assert made.returncode == 3, made.stdout + made.stderr
    assert "feil i programmet" not in made.stderr and "innkalling_nb.docx" in made.stderr
    if "macro" not in tag:  # render refuses a template that fails the check, with its words
        assert said in made.stderr
    assert not list((tmp_path / "outbox").rglob("*.docx"))


def test_loops_inside_loops_stop_at_the_time_limit(tmp_path):
    loops = "{% for a in range(10000) %}{% for b in range(10000) %}{% for c in range(99) %}"
    loops += "{% endfor %}{% endfor %}{% endfor %}"
    folder = _folder_with(tmp_path, "fullmakt_nb.docx", loops)
    checked = run_cli("templates", "check", str(folder), cwd=tmp_path, timeout=60)
    assert checked.returncode == 1
    assert "bruker mer enn 5 sekunder" in checked.stdout


def test_a_template_that_unpacks_to_too_much_is_refused(tmp_path):
    import zipfile

    folder = _folder_with(tmp_path, "referat_nb.docx", "Hei")
    with zipfile.ZipFile(folder / "referat_nb.docx", "a", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/media/nuller.bin", b"\0" * (80 * 2**20))
    checked = run_cli("templates", "check", str(folder), cwd=tmp_path)
    assert checked.returncode == 1
    assert "referat_nb.docx pakkes ut til mer enn 64 MB" in checked.stdout


def test_a_macro_calling_itself_is_stopped_in_words():
    from ipdocs import sandbox

    env = sandbox.environment()
    template = env.from_string("{% macro m(n) %}{{ m(n) }}{% endmacro %}{{ m(1) }}")
    with pytest.raises(sandbox.TemplateLimit, match="bruker seg selv i det uendelige"):
        with env.limits():
            template.render()
