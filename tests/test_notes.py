"""Reading YAML and JSON notes (readers/notes.py): references, size, depth, fields written twice."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DATA, TODAY, run_cli

from ipdocs import readers
from ipdocs.errors import ExitCode
from ipdocs.readers.notes import MAX_BYTES


def write(tmp_path: Path, text: str, name: str = "notat.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def refused(path: Path) -> str:
    with pytest.raises(readers.InputError) as info:
        readers.read(path, today=TODAY)
    return str(info.value)


def example(kind: str) -> str:
    return (DATA / f"formats_{kind}.yaml").read_text(encoding="utf-8")


# --- YAML references (& and *) ----------------------------------------------------------------


def alias_bomb() -> str:
    """Nine levels of nine references each: 9**9 (387 million) items from under 600 bytes."""
    lines = ["dokument: innkalling", "sak: IP-1", "saksliste:"]
    lines.append("  - &a [" + ", ".join(['"lol"'] * 9) + "]")
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"  - &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_once_naming_the_line(tmp_path):
    text = alias_bomb()
    assert len(text.encode()) < 600
    write(tmp_path, text, "bombe.yaml")
    result = run_cli("check", "bombe.yaml", cwd=tmp_path, timeout=60)
    assert result.returncode == ExitCode.refused, result.stdout + result.stderr
    assert (
        "linje 4, tegn 5: «&a» er en YAML-henvisning til en annen del av filen. "
        "Slike henvisninger bruker ikke ipdocs." in result.stdout
    )
    assert 'sett hele verdien i anførselstegn, for eksempel «sted: "& Co"»' in result.stdout
    assert "Traceback" not in result.stdout + result.stderr


def test_a_reference_to_a_value_is_refused_too(tmp_path):
    text = example("innkalling").replace(
        "sted: Rådhuset, møterom 2", "sted: &rom Rådhuset, møterom 2"
    )
    text += "neste: *rom\n"
    message = refused(write(tmp_path, text))
    assert "«&rom» er en YAML-henvisning" in message


def test_a_star_or_ampersand_in_text_is_explained(tmp_path):
    text = example("innkalling").replace("- Søknad om avlastning", "- *Viktig* søknad")
    message = refused(write(tmp_path, text))
    assert (
        "linje 26, tegn 12" in message
        and "«&» og «*» først i en verdi betyr noe spesielt" in message
    )


def test_ampersand_and_star_inside_text_are_just_text(tmp_path):
    text = example("innkalling").replace("sted: Rådhuset, møterom 2", 'sted: "& Co, møterom *2"')
    text = text.replace("- Søknad om avlastning", "- Søknad om avlastning & BPA *viktig*")
    [entry] = readers.read(write(tmp_path, text), today=TODAY)
    assert entry.document.meeting.place == "& Co, møterom *2"
    assert entry.document.agenda[1] == "Søknad om avlastning & BPA *viktig*"


# --- size and depth ---------------------------------------------------------------------------


def test_long_minutes_are_read(tmp_path):
    story = "Kari forteller om uka si, og gruppen snakker om hva som fungerer. " * 1500
    text = example("referat").replace(
        "Kari har startet i ny jobb 50 %. Avlastning fungerer godt.", story
    )
    assert len(text.encode()) > 90_000
    [entry] = readers.read(write(tmp_path, text), today=TODAY)
    assert entry.document.situation.startswith("Kari forteller")


@pytest.mark.parametrize("name", ["stor.yaml", "stor.json"])
def test_a_file_far_too_big_for_notes_is_refused(tmp_path, name):
    write(tmp_path, "# " + "x" * MAX_BYTES + "\n", name)
    message = refused(tmp_path / name)
    assert "filen: Filen er større enn 256 kB." in message
    assert "Sjekk at det er riktig fil." in message


@pytest.mark.parametrize(
    "name, text",
    [("dyp.json", "[" * 100_000 + "]" * 100_000), ("dyp.yaml", "a: " + "[" * 50_000)],
)
def test_nesting_without_end_is_a_message_not_a_crash(tmp_path, name, text):
    message = refused(write(tmp_path, text, name))
    assert "Filen har for mange nivåer inni hverandre" in message


# --- a field written twice --------------------------------------------------------------------


def test_a_field_written_twice_is_refused_naming_both_lines(tmp_path):
    text = example("fullmakt").replace("sak: IP-2026-0042", "sak: IP-1\nsak: IP-2")
    write(tmp_path, text, "fullmakt.yaml")
    result = run_cli("render", "fullmakt.yaml", cwd=tmp_path)
    assert result.returncode == ExitCode.refused
    assert (
        "linje 3, feltet «sak»: Feltet står to ganger (første gang på linje 2). "
        "Fjern det ene, så det er klart hvilken verdi som gjelder." in result.stdout
    )
    assert not (tmp_path / "outbox" / "IP-2").exists()
    assert not (tmp_path / "outbox" / "IP-1").exists()


def test_twice_inside_an_object_and_a_list_item(tmp_path):
    text = example("innkalling")
    text = text.replace("  dato: 2026-12-03\n", "  dato: 2026-12-03\n  Dato: 2026-12-04\n")
    text = text.replace("    rolle: Fysioterapeut\n", "    rolle: Fysioterapeut\n    navn: Lise\n")
    message = refused(write(tmp_path, text))
    assert "linje 13, feltet «mote.dato»: Feltet står to ganger (første gang på linje 12)." in (
        message
    )
    assert (
        "linje 24, deltakere nr. 2, feltet «navn»: Feltet står to ganger (første gang på linje 22)"
        in message
    )


def test_a_json_field_written_twice_is_named(tmp_path):
    raw = json.dumps({"dokument": "fullmakt", "sak": "IP-1"})[:-1] + ', "sak": "IP-2"}'
    message = refused(write(tmp_path, raw, "fullmakt.json"))
    assert message == (
        "feltet «sak»: Feltet står to ganger. Fjern det ene, så det er klart hvilken verdi som "
        "gjelder."
    )


def test_a_json_field_twice_in_a_nested_object(tmp_path):
    text = '{"dokument": "fullmakt", "fullmektig": {"navn": "Mona Ås", "Navn": "Mona Berg"}}'
    assert "feltet «fullmektig.navn»: Feltet står to ganger." in refused(
        write(tmp_path, text, "f.json")
    )


# --- yes/no words ------------------------------------------------------------------------------


def test_no_is_norwegian_not_false(tmp_path):
    """YAML 1.1 reads `no` as false; `sprak: no` means Norwegian (bokmål)."""
    text = example("fullmakt") + "sprak: no\n"
    [entry] = readers.read(write(tmp_path, text), today=TODAY)
    assert entry.problems == () and entry.document.language == "nb"


@pytest.mark.parametrize("word, regular", [("no", False), ("off", False), ("yes", True)])
def test_yes_no_words_still_work_where_yes_or_no_is_asked(tmp_path, word, regular):
    text = example("innkalling").replace("    fast: false", f"    fast: {word}")
    [entry] = readers.read(write(tmp_path, text), today=TODAY)
    assert entry.document.participants[1].regular is regular


def test_json_nan_is_refused_not_printed_as_nan(tmp_path):
    path = tmp_path / "n.json"
    path.write_text('{"dokument": "fullmakt", "sak": NaN}', encoding="utf-8")
    with pytest.raises(readers.InputError, match="«NaN», som ikke er et tall eller en tekst"):
        readers.read(path, today=TODAY)
