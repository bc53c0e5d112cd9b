"""Validation: every rule of FORMATS.md, each with the message a coordinator reads."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import DATA, TODAY

from ipdocs import readers
from ipdocs.model import Consent, Invitation, Minutes, PowerOfAttorney
from ipdocs.readers.notes import read_notes


def read_one(path: Path, *, today: dt.date = TODAY):
    [entry] = readers.read(path, today=today)
    return entry


def write(tmp_path: Path, text: str, name: str = "input.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def example(kind: str) -> dict:
    """The contract example as the YAML reader sees it, to change one thing in a test."""
    return read_notes(DATA / f"formats_{kind}.yaml")


def messages(entry) -> str:
    return "\n".join(str(p) for p in entry.problems)


def refused_with(tmp_path: Path, raw: dict, *fragments: str) -> str:
    entry = read_one(
        write(tmp_path, json.dumps(raw, default=str, ensure_ascii=False), "input.json")
    )
    assert entry.document is None, "expected the input to be refused"
    text = messages(entry)
    for fragment in fragments:
        assert fragment in text, f"{fragment!r} not in:\n{text}"
    return text


# --- the contract examples, as written ----------------------------------------------------


@pytest.mark.parametrize(
    "kind, cls",
    [
        ("innkalling", Invitation),
        ("referat", Minutes),
        ("samtykke", Consent),
        ("fullmakt", PowerOfAttorney),
    ],
)
def test_every_formats_example_is_accepted_as_written(kind, cls):
    entry = read_one(DATA / f"formats_{kind}.yaml")
    assert entry.problems == ()
    assert isinstance(entry.document, cls)
    assert entry.document.case == "IP-2026-0042"


def test_invitation_example_is_read_into_the_model():
    doc = read_one(DATA / "formats_innkalling.yaml").document
    assert doc.meeting.date == dt.date(2026, 12, 3)
    assert (doc.meeting.starts_at, doc.meeting.ends_at) == (dt.time(9), dt.time(10, 30))
    assert doc.meeting.interpreter == "arabisk"
    assert doc.meeting.place == "Rådhuset, møterom 2"
    assert [p.regular for p in doc.participants] == [True, False]
    assert doc.agenda == ("Status siden forrige møte", "Søknad om avlastning")
    assert doc.sent_on == dt.date(2026, 11, 23) and doc.reply_by == dt.date(2026, 11, 30)
    assert doc.language == "nb"


def test_minutes_example_keeps_the_place_with_a_comma_in_a_one_line_mapping():
    doc = read_one(DATA / "formats_referat.yaml").document
    assert doc.meeting.place == "Rådhuset, møterom 2"
    assert [a.deadline for a in doc.actions] == [dt.date(2027, 1, 15), dt.date(2027, 2, 15)]
    assert doc.next_meeting.participants == ("Kari Nordmann", "Ola Hansen", "Per Olsen")
    assert doc.guardians[0].role == "mor"


def test_fullmakt_example_reads_norwegian_dates():
    doc = read_one(DATA / "formats_fullmakt.yaml").document
    assert (doc.valid_from, doc.valid_to, doc.signed_on) == (
        dt.date(2009, 10, 23),
        dt.date(2010, 1, 23),
        dt.date(2009, 10, 23),
    )
    assert doc.grantor.address == "Storåsen, 2400 Elverum"


def test_synthetic_test_number_gives_a_warning_not_an_error():
    entry = read_one(DATA / "formats_samtykke.yaml")
    assert entry.document.person.synthetic_id
    assert any("syntetisk testnummer" in str(n) for n in entry.notices)
    assert all("15876510089" not in str(n) for n in entry.notices)


# --- general rules ---------------------------------------------------------------------------


def test_ascii_spellings_case_insensitive_keys_and_a_bom(tmp_path):
    text = (DATA / "formats_referat.yaml").read_text(encoding="utf-8")
    text = (
        text.replace("nåsituasjon:", "Naasituasjon:")
        .replace("mål:", "MAAL:")
        .replace("dokument:", "Dokument:")
    )
    path = tmp_path / "ascii.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    doc = read_one(path).document
    assert doc.situation.startswith("Kari har startet")
    assert doc.goals == ("Klare hverdagen som mamma",)


def test_json_input_with_the_same_fields(tmp_path):
    raw = example("innkalling")
    doc = read_one(
        write(tmp_path, json.dumps(raw, default=str, ensure_ascii=False), "m.json")
    ).document
    assert isinstance(doc, Invitation) and doc.meeting.date == dt.date(2026, 12, 3)


def test_unquoted_times_and_numbers_stay_text(tmp_path):
    text = (DATA / "formats_innkalling.yaml").read_text(encoding="utf-8")
    text = text.replace('fra: "09:00"', "fra: 9:30").replace('til: "10:30"', "til: 11.00")
    text = text.replace('telefon: "400 31 579"', "telefon: 40031579")
    doc = read_one(write(tmp_path, text)).document
    assert (doc.meeting.starts_at, doc.meeting.ends_at) == (dt.time(9, 30), dt.time(11, 0))
    assert doc.coordinator.phone == "40031579"


def test_nynorsk_is_chosen_by_sprak(tmp_path):
    raw = example("fullmakt") | {"sprak": "nn"}
    entry = read_one(write(tmp_path, json.dumps(raw, default=str, ensure_ascii=False), "f.json"))
    assert entry.document.language == "nn"


def test_unknown_language(tmp_path):
    refused_with(
        tmp_path, example("fullmakt") | {"sprak": "en"}, "«sprak»", "nb (bokmål) eller nn (nynorsk)"
    )


def test_unknown_key_names_the_key_and_suggests_the_closest(tmp_path):
    raw = example("innkalling")
    raw["koordinatr"] = raw.pop("koordinator")
    refused_with(tmp_path, raw, "«koordinatr»", "ukjent", "Mente du «koordinator»?")


def test_unknown_nested_key_suggests_within_its_object(tmp_path):
    raw = example("innkalling")
    raw["mote"]["stedet"] = raw["mote"].pop("sted")
    refused_with(tmp_path, raw, "«mote.stedet»", "Mente du «sted»?")


def test_stray_field_is_pointed_to_its_object(tmp_path):
    raw = example("innkalling")
    raw["sted"] = raw["mote"].pop("sted")
    refused_with(tmp_path, raw, "Mente du «mote.sted»?")


def test_a_key_written_twice_with_and_without_ae_o_aa(tmp_path):
    text = (DATA / "formats_referat.yaml").read_text(encoding="utf-8") + "maal: [Noe annet]\n"
    entry = read_one(write(tmp_path, text))
    assert "to ganger" in messages(entry)


def test_all_problems_are_reported_at_once(tmp_path):
    raw = example("innkalling")
    del raw["mote"]["sted"]
    raw["mote"]["dato"] = "31.02.2026"
    raw["sak"] = "IP 2026"
    text = refused_with(tmp_path, raw, "«mote.sted»", "«31.02.2026»", "«sak»")
    assert len(text.splitlines()) == 3


# --- sak --------------------------------------------------------------------------------------


@pytest.mark.parametrize("sak", ["IP 2026", "IP/2026", "../etc", "x" * 41, "ip.2026"])
def test_sak_may_only_hold_letters_digits_dash_underscore(tmp_path, sak):
    refused_with(tmp_path, example("fullmakt") | {"sak": sak}, "«sak»", "bokstaver, tall, - og _")


def test_sak_must_not_be_a_fodselsnummer(tmp_path):
    text = refused_with(
        tmp_path, example("fullmakt") | {"sak": "15876510089"}, "ser ut som et fødselsnummer"
    )
    assert "15876510089" not in text


def test_sak_is_required(tmp_path):
    raw = example("fullmakt")
    del raw["sak"]
    refused_with(tmp_path, raw, "«sak»", "mangler", "IP-2026-0042")


# --- dokument -------------------------------------------------------------------------------


def test_missing_dokument(tmp_path):
    raw = example("fullmakt")
    del raw["dokument"]
    refused_with(tmp_path, raw, "«dokument»", "innkalling, referat, samtykke, fullmakt")


def test_misspelt_dokument(tmp_path):
    refused_with(tmp_path, example("fullmakt") | {"dokument": "fulmakt"}, "Mente du «fullmakt»?")


# --- fødselsnummer ----------------------------------------------------------------------------


def test_invalid_fodselsnummer_is_refused_without_printing_it(tmp_path):
    raw = example("samtykke")
    raw["bruker"]["fodselsnummer"] = "15876510088"
    text = refused_with(tmp_path, raw, "«bruker.fodselsnummer»", "Kontrollsifrene stemmer ikke")
    assert "15876510088" not in text


# --- dates and times --------------------------------------------------------------------------


def test_impossible_date(tmp_path):
    raw = example("innkalling")
    raw["mote"]["dato"] = "31.02.2026"
    refused_with(
        tmp_path, raw, "«mote.dato»", "ikke en dato som finnes", "03.12.2026 eller 2026-12-03"
    )


def test_bad_time(tmp_path):
    raw = example("innkalling")
    raw["mote"]["fra"] = "ni"
    refused_with(tmp_path, raw, "«mote.fra»", "klokkeslett", "09:00")


def test_meeting_must_end_after_it_starts(tmp_path):
    raw = example("innkalling")
    raw["mote"]["til"] = "08:00"
    refused_with(tmp_path, raw, "«mote.til»", "slutter før det begynner")


def test_consent_period_must_end_after_it_starts(tmp_path):
    raw = example("samtykke") | {"gyldig_til": "2026-01-01"}
    refused_with(tmp_path, raw, "«gyldig_til»", "før det begynner")


def test_fullmakt_period_must_end_after_it_starts(tmp_path):
    raw = example("fullmakt") | {"til": "01.01.2009"}
    refused_with(tmp_path, raw, "«til»", "før den begynner")


def test_reply_by_after_the_meeting(tmp_path):
    raw = example("innkalling") | {"svarfrist": "2026-12-10"}
    refused_with(tmp_path, raw, "«svarfrist»", "etter møtet")


# --- required fields per document ---------------------------------------------------------


@pytest.mark.parametrize(
    "kind, path, where",
    [
        ("innkalling", ("mote", "sted"), "«mote.sted»"),
        ("innkalling", ("koordinator", "telefon"), "«koordinator.telefon»"),
        ("innkalling", ("deltakere",), "«deltakere»"),
        ("innkalling", ("saksliste",), "«saksliste»"),
        ("innkalling", ("bruker",), "«bruker»"),
        ("referat", ("referent",), "«referent»"),
        ("referat", ("mote",), "«mote»"),
        ("samtykke", ("mottakere",), "«mottakere»"),
        ("samtykke", ("formal",), "«formal»"),
        ("samtykke", ("gyldig_til",), "«gyldig_til»"),
        ("fullmakt", ("fullmektig",), "«fullmektig»"),
        ("fullmakt", ("gjelder",), "«gjelder»"),
        ("fullmakt", ("dato",), "«dato»"),
    ],
)
def test_required_fields(tmp_path, kind, path, where):
    raw = example(kind)
    node = raw
    for step in path[:-1]:
        node = node[step]
    del node[path[-1]]
    refused_with(tmp_path, raw, where, "mangler")


def test_empty_value_counts_as_missing(tmp_path):
    raw = example("innkalling")
    raw["bruker"]["navn"] = "   "
    refused_with(tmp_path, raw, "«bruker.navn»", "mangler eller er tomt")


# --- actions ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field, fix",
    [
        ("ansvar", "hvem som har ansvaret"),
        ("frist", "innen hvilken dato"),
        ("tiltak", "hva som skal gjøres"),
    ],
)
def test_every_action_needs_what_owner_and_deadline(tmp_path, field, fix):
    raw = example("referat")
    del raw["tiltak"][1][field]
    refused_with(tmp_path, raw, f"tiltak nr. 2, feltet «{field}»", fix)


def test_any_number_of_actions(tmp_path):
    raw = example("referat")
    raw["tiltak"] = [
        {"tiltak": f"Tiltak {i}", "ansvar": "Koordinator", "frist": "2027-01-15"} for i in range(9)
    ]
    entry = read_one(write(tmp_path, json.dumps(raw, default=str, ensure_ascii=False), "r.json"))
    assert len(entry.document.actions) == 9


# --- interpreter --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "tolk, expected",
    [(False, None), ("nei", None), ("somali", "somali"), ({"sprak": "tigrinja"}, "tigrinja")],
)
def test_interpreter_forms(tmp_path, tolk, expected):
    raw = example("innkalling")
    raw["mote"]["tolk"] = tolk
    entry = read_one(write(tmp_path, json.dumps(raw, default=str, ensure_ascii=False), "i.json"))
    assert entry.document.meeting.interpreter == expected


def test_interpreter_without_language(tmp_path):
    raw = example("innkalling")
    raw["mote"]["tolk"] = True
    refused_with(tmp_path, raw, "«mote.tolk»", "hvilket språk")


# --- broken files -------------------------------------------------------------------------


def test_broken_yaml_names_the_line(tmp_path):
    entry_path = write(tmp_path, "dokument: innkalling\nsak: [IP-1\nbruker: x\n")
    with pytest.raises(readers.InputError) as info:
        readers.read(entry_path, today=TODAY)
    assert "linje" in str(info.value) and "YAML" in str(info.value)


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes("dokument: fullmakt\nsted: Rådhuset\n".encode("latin-1"))
    with pytest.raises(readers.InputError, match="UTF-8"):
        readers.read(path, today=TODAY)


def test_unknown_file_type(tmp_path):
    path = write(tmp_path, "x", "notes.txt")
    with pytest.raises(readers.InputError, match=r"\.txt"):
        readers.read(path, today=TODAY)


def test_a_list_instead_of_fields(tmp_path):
    entry = read_one(write(tmp_path, "- a\n- b\n"))
    assert "felt med navn og verdi" in messages(entry)


def test_impossible_date_in_yaml_is_a_message_not_a_crash(tmp_path):
    text = (DATA / "formats_innkalling.yaml").read_text(encoding="utf-8")
    entry = read_one(write(tmp_path, text.replace("dato: 2026-12-03", "dato: 2026-02-30")))
    assert "feltet «mote.dato»: «2026-02-30» er ikke en dato som finnes." in messages(entry)


def test_a_missing_block_is_reported_once_not_field_by_field(tmp_path):
    raw = example("innkalling")
    del raw["koordinator"]
    text = refused_with(tmp_path, raw, "feltet «koordinator»: Feltet mangler")
    assert "koordinator.navn" not in text and "koordinator.telefon" not in text


def test_empty_file(tmp_path):
    entry = read_one(write(tmp_path, "# bare en kommentar\n"))
    assert "Filen er tom." in messages(entry)
