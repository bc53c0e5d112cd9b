"""ipdocs.toml: what coordinators write there is read, and a mistake is named, not a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import run_cli

from ipdocs.errors import ConfigError, ExitCode
from ipdocs.settings import Settings


def toml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ipdocs.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_folders_are_relative_to_the_settings_file_and_numbers_may_have_a_comma(tmp_path):
    path = toml(
        tmp_path,
        '[kommune]\nnavn = "Tolga kommune"\nsprak = "nn"\n'
        '[mapper]\ninbox = "inn"\noutbox = "ut"\n'
        '[overvaking]\nventetid = "0,5"\nintervall = 3\n'
        '[utdata]\npdf = "ja"\nkalender = false\n',
    )
    settings = Settings.load(path)
    assert settings.municipality.name == "Tolga kommune" and settings.language == "nn"
    assert (settings.inbox, settings.outbox) == (tmp_path / "inn", tmp_path / "ut")
    assert (settings.settle_seconds, settings.poll_interval) == (0.5, 3.0)
    assert settings.pdf is True and settings.ics is False


@pytest.mark.parametrize(
    "section, line, named",
    [
        ("overvaking", 'ventetid = "to"', "«ventetid» må være et antall sekunder"),
        ("overvaking", "intervall = 0", "«intervall» må være et antall sekunder"),
        ("utdata", 'pdf = "kanskje"', "«pdf» må være true eller false"),
        ("kommune", 'sprak = "en"', "«sprak» må være nb eller nn"),
        ("kommune", 'koordinator_ord = "stafett holder"', "«koordinator_ord» må være ett ord"),
        ("kommune", 'koordinator_ord = ""', "«koordinator_ord» må være ett ord"),
    ],
)
def test_a_wrong_value_is_named(tmp_path, section, line, named):
    path = toml(tmp_path, f"[{section}]\n{line}\n")
    with pytest.raises(ConfigError, match=named):
        Settings.load(path)


def test_the_cli_says_which_setting_is_wrong_without_a_traceback(tmp_path):
    toml(tmp_path, '[overvaking]\nventetid = "to"\n')
    result = run_cli("status", cwd=tmp_path)
    assert result.returncode == ExitCode.usage
    assert "ipdocs.toml" in result.stderr and "«ventetid»" in result.stderr
    assert "Traceback" not in result.stderr and "Noe gikk galt" not in result.stderr


def test_the_municipalitys_word_for_the_coordinator_and_its_contact_person(tmp_path):
    path = toml(
        tmp_path,
        '[kommune]\nnavn = "Risør kommune"\nkoordinator_ord = "Stafettholder"\n'
        'kontaktperson = "Siv Moen"\nkontakt_telefon = "11 22 33 44"\n',
    )
    municipality = Settings.load(path).municipality
    assert municipality.coordinator_word == "stafettholder"
    assert (municipality.contact_person, municipality.contact_phone) == (
        "Siv Moen",
        "11 22 33 44",
    )
    assert Settings.load(toml(tmp_path, "[kommune]\n")).municipality.coordinator_word == (
        "koordinator"
    )
