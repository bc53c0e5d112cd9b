"""Validation: every rule of FORMATS.md, each with the message a coordinator reads."""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
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
    with pytest.raises(readers.InputError) as info:
        read_one(write(tmp_path, text))
    assert "linje 27, feltet «mål»: Feltet står to ganger (første gang på linje 16)." in str(
        info.value
    )


def test_all_problems_are_reported_at_once(tmp_path):
    raw = example("innkalling")
    del raw["mote"]["sted"]
    raw["mote"]["dato"] = "31.02.2026"
    raw["sak"] = "IP 2026"
    text = refused_with(tmp_path, raw, "«mote.sted»", "«31.02.2026»", "«sak»")
    assert len(text.splitlines()) == 3


# --- sak --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sak", ["IP 2026", "IP/2026", "../etc", "x" * 41, "ip.2026", "..", "IP-1.", "IP-1\\", "IP:1"]
)
def test_sak_may_only_hold_letters_digits_dash_underscore(tmp_path, sak):
    refused_with(tmp_path, example("fullmakt") | {"sak": sak}, "«sak»", "bokstaver, tall, - og _")


@pytest.mark.parametrize("sak", ["IP-Kárášjohka", "Čáhcesuolu_7", "IP-Ŋ-2026", "ИП-1", "x" * 40])
def test_sak_may_hold_letters_of_any_alphabet(tmp_path, sak):
    entry = read_one(write(tmp_path, json.dumps(example("fullmakt") | {"sak": sak}), "s.json"))
    assert entry.problems == () and entry.document.case == sak


def test_sak_written_with_combining_accents_is_the_same_folder(tmp_path):
    decomposed = unicodedata.normalize("NFD", "IP-Kárášjohka")  # as macOS may write it
    assert decomposed != "IP-Kárášjohka"
    entry = read_one(
        write(tmp_path, json.dumps(example("fullmakt") | {"sak": decomposed}), "s.json")
    )
    assert entry.document.case == "IP-Kárášjohka"


def test_spaces_around_sak_are_not_part_of_the_folder(tmp_path):
    entry = read_one(write(tmp_path, json.dumps(example("fullmakt") | {"sak": " IP-1 "}), "s.json"))
    assert entry.document.case == "IP-1"


@pytest.mark.parametrize("sak", ["CON", "con", "Prn", "AUX", "NUL", "COM1", "com9", "LPT3", "COM²"])
def test_sak_may_not_be_a_name_windows_keeps_for_itself(tmp_path, sak):
    refused_with(
        tmp_path,
        example("fullmakt") | {"sak": sak},
        f"feltet «sak»: «{sak}» kan ikke brukes som saksnøkkel. Saksnøkkelen blir navnet på en "
        "mappe, og Windows bruker dette navnet til noe annet.",
    )


@pytest.mark.parametrize("sak", ["CON-1", "COMX", "LPT10", "NULL", "AUXILIARY"])
def test_names_that_only_start_like_a_windows_name_are_fine(tmp_path, sak):
    entry = read_one(write(tmp_path, json.dumps(example("fullmakt") | {"sak": sak}), "s.json"))
    assert entry.problems == ()


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
        tmp_path, raw, "«mote.dato»", "ikke en dato som finnes", "3/12/2026 eller 2026-12-03"
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


def test_reply_by_before_the_invitation_is_sent(tmp_path):
    raw = example("innkalling") | {"sendt": "2026-11-23", "svarfrist": "2026-11-20"}
    refused_with(
        tmp_path,
        raw,
        "feltet «svarfrist»: Svarfristen (20.11.2026) er før innkallingen sendes (23.11.2026)",
        "Sett en svarfrist mellom datoen i «sendt» og møtedatoen.",
    )


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


def test_neither_utf8_nor_windows_1252(tmp_path):
    path = tmp_path / "odd.yaml"
    path.write_bytes("dokument: fullmakt\nsted: Rådhuset\n".encode("latin-1") + b"\x81\x8d")
    with pytest.raises(readers.InputError, match="UTF-8"):
        readers.read(path, today=TODAY)


def test_unknown_file_type(tmp_path):
    path = write(tmp_path, "x", "notes.doc")
    with pytest.raises(readers.InputError, match=r"\.doc"):
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


# --- values of the wrong kind are refused, never printed as Python text ----------------------


def yaml_refused(tmp_path: Path, kind: str, old: str, new: str) -> str:
    text = (DATA / f"formats_{kind}.yaml").read_text(encoding="utf-8")
    assert old in text
    entry = read_one(write(tmp_path, text.replace(old, new)))
    assert entry.document is None, "expected the input to be refused"
    return messages(entry)


@pytest.mark.parametrize(
    "kind, old, new, expected",
    [
        (
            "innkalling",
            "  - Status siden forrige møte\n  - Søknad om avlastning",
            "  - {punkt: Status}\n  - [a, b]",
            "saksliste nr. 1: Her skal det stå én tekst, men det står flere felt. "
            "Skriv ett punkt per linje, med «- » foran.\n"
            "saksliste nr. 2: Her skal det stå én tekst, men det står en liste. "
            "Skriv ett punkt per linje, med «- » foran.",
        ),
        (
            "innkalling",
            "sted: Rådhuset, møterom 2",
            "sted: true",
            "feltet «mote.sted»: Her skal det stå en tekst, men det står «true».",
        ),
        (
            "innkalling",
            "tolk:                               # optional; omit or `tolk: false` for none\n"
            "    sprak: arabisk",
            "tolk: [arabisk]",
            "feltet «mote.tolk»: Her skal det stå språket tolken skal tolke til, men det står en "
            "liste. Skriv språket, for eksempel «tolk: arabisk».",
        ),
        (
            "samtykke",
            "gjelder: [ansvarsgruppe, individuell plan]",
            "gjelder: {ansvarsgruppe: true, individuell plan: true}",
            "feltet «gjelder»: Her skal det stå en liste med tekst, men det står flere felt. "
            "Skriv ett punkt per linje, med «- » foran.",
        ),
        (
            "samtykke",
            "mottakere: [Fastlege Per Olsen, NAV Selbu, Fysioterapitjenesten]",
            "mottakere: [[NAV, Fastlege]]",
            "mottakere nr. 1: Her skal det stå én tekst, men det står en liste.",
        ),
        (
            "referat",
            "  - {tiltak: Søke om avlastning, ansvar: Koordinator, frist: 2027-01-15}",
            "  - [Søke om avlastning, Koordinator, 2027-01-15]",
            "tiltak nr. 1: Her skal det stå ett tiltak med tiltak, ansvar og frist, men det står "
            "en liste. Skriv hvert tiltak på en egen linje med «- » foran",
        ),
        (
            "fullmakt",
            "gjelder: NAV trygd",
            "gjelder: [NAV trygd, NAV hjelpemidler]",
            "feltet «gjelder»: Her skal det stå en tekst, men det står en liste.",
        ),
        (
            "fullmakt",
            "til: 23.01.2010",
            "til: [23.01.2010]",
            "feltet «til»: Her skal det stå én dato, men det står en liste.",
        ),
    ],
)
def test_a_value_of_the_wrong_kind_says_what_is_expected(tmp_path, kind, old, new, expected):
    text = yaml_refused(tmp_path, kind, old, new)
    assert expected in text
    assert "{'" not in text and "['" not in text and "True" not in text


def test_participants_written_as_one_object_are_refused_not_a_person_named_by_python(tmp_path):
    old = (
        "  - navn: Per Olsen\n    rolle: Fastlege\n  - navn: Line Berg\n"
        "    rolle: Fysioterapeut\n    fast: false"
    )
    text = yaml_refused(tmp_path, "innkalling", old, "  navn: Per Olsen\n  rolle: Fastlege")
    assert text == (
        "feltet «deltakere»: Her skal det stå en liste over personer, men det står flere felt. "
        "Skriv hver person på en egen linje med «- » foran, for eksempel "
        "«- {navn: Per Olsen, rolle: Fastlege}»."
    )


def test_json_gets_advice_in_json(tmp_path):
    raw = example("innkalling") | {"saksliste": {"punkt": "Status"}}
    refused_with(
        tmp_path,
        raw,
        "feltet «saksliste»: Her skal det stå en liste med tekst, men det står flere felt.",
        'Skriv punktene som en liste, for eksempel ["Status", "Søknad om avlastning"].',
    )


def test_numbers_in_json_are_text(tmp_path):
    raw = example("innkalling")
    raw["koordinator"]["telefon"] = 40031579
    raw["saksliste"] = ["Status", 2027]
    doc = read_one(
        write(tmp_path, json.dumps(raw, default=str, ensure_ascii=False), "n.json")
    ).document
    assert doc.coordinator.phone == "40031579" and doc.agenda == ("Status", "2027")


def test_one_text_for_a_list_is_one_item(tmp_path):
    text = (DATA / "formats_innkalling.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "saksliste:\n  - Status siden forrige møte\n  - Søknad om avlastning\n",
        "saksliste: Status siden forrige møte\n",
    )
    assert read_one(write(tmp_path, text)).document.agenda == ("Status siden forrige møte",)


def test_interpreter_yes_without_language_gets_yaml_advice(tmp_path):
    raw = example("innkalling")
    raw["mote"]["tolk"] = "ja"
    text = (DATA / "formats_innkalling.yaml").read_text(encoding="utf-8")
    text = text.replace("  tolk:      ", "  tolk: ja   ").replace("    sprak: arabisk\n", "")
    entry = read_one(write(tmp_path, text))
    assert messages(entry) == (
        "feltet «mote.tolk»: Det står at det skal være tolk, men ikke hvilket språk. "
        "Skriv språket, for eksempel «tolk: arabisk». Trengs det flere språk, skriv dem i samme "
        "tekst: «tolk: arabisk og somali»."
    )


# --- an invitation to a meeting before the day it is sent ----------------------------------


def test_invitation_to_a_past_meeting_without_sendt_is_made_with_a_warning(tmp_path):
    # Refusing it would break the contract's own examples (fixed dates, no «sendt») once
    # their date has passed; the warning says what to check.
    from ipdocs import rules

    raw = example("innkalling") | {"svarfrist": "2026-11-01"}
    del raw["sendt"]
    raw["mote"]["dato"] = "05.11.2026"
    entry = read_one(write(tmp_path, json.dumps(raw, default=str, ensure_ascii=False), "p.json"))
    assert entry.problems == ()
    text = " ".join(str(n) for n in rules.check(entry.document, today=TODAY))
    assert "Møtet var 05.11.2026, før i dag. Sjekk datoen." in text
    assert "dager" not in text


def test_invitation_sent_after_the_meeting_is_refused(tmp_path):
    raw = example("innkalling") | {"sendt": "2026-12-04"}
    refused_with(
        tmp_path,
        raw,
        "feltet «mote.dato»: Møtet er 03.12.2026, før innkallingen sendes (04.12.2026).",
        "Sjekk datoen for møtet og datoen i «sendt».",
    )


def test_an_earlier_sendt_makes_the_invitation_for_a_past_meeting(tmp_path):
    raw = example("innkalling") | {"sendt": "2026-10-20", "svarfrist": "2026-11-01"}
    raw["mote"]["dato"] = "05.11.2026"
    entry = read_one(write(tmp_path, json.dumps(raw, default=str, ensure_ascii=False), "p.json"))
    assert entry.problems == () and entry.document.meeting.date == dt.date(2026, 11, 5)


def test_invitation_on_the_day_of_the_meeting_is_made(tmp_path):
    raw = example("innkalling") | {"sendt": "2026-12-03", "svarfrist": "2026-12-03"}
    entry = read_one(write(tmp_path, json.dumps(raw, default=str, ensure_ascii=False), "d.json"))
    assert entry.problems == ()


# --- advice for a missing field fits the field and the document ----------------------------

_DATE_FIELDS = {
    "mote.dato",
    "neste_mote.dato",
    "tiltak.frist",
    "gyldig_fra",
    "gyldig_til",
    "fullmakt:fra",
    "fullmakt:til",
    "fullmakt:dato",
}
_TIME_FIELDS = {"mote.fra", "mote.til"}
_A_DATE = re.compile(r"\d{2}\.\d{2}\.\d{4}")
_A_TIME = re.compile(r"\d{2}:\d{2}")


def _leaves(node, path=()):
    """Every field of an example, one list item of each list."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, path + (key,))
    if isinstance(node, list) and node and isinstance(node[0], dict):
        yield from _leaves(node[0], path + (0,))
    if path:
        yield path


@pytest.mark.parametrize("kind", ["innkalling", "referat", "samtykke", "fullmakt"])
def test_every_missing_field_gets_advice_that_fits(tmp_path, kind):
    checked = 0
    for path in _leaves(example(kind)):
        raw = example(kind)
        node = raw
        for step in path[:-1]:
            node = node[step]
        del node[path[-1]]
        [entry] = readers.read(
            write(tmp_path, json.dumps(raw, default=str, ensure_ascii=False), "m.json"),
            today=TODAY,
        )
        for problem in entry.problems:
            if "mangler" not in problem.what:
                continue
            checked += 1
            place = ".".join(str(s) for s in path if not isinstance(s, int))
            assert problem.fix, f"{kind} {place}: no advice"
            if place in _DATE_FIELDS or f"{kind}:{place}" in _DATE_FIELDS:
                assert _A_DATE.search(problem.fix) and not _A_TIME.search(problem.fix), problem
            elif place in _TIME_FIELDS:
                assert _A_TIME.search(problem.fix) and not _A_DATE.search(problem.fix), problem
            else:
                assert not _A_TIME.search(problem.fix), problem
    assert checked >= 5


@pytest.mark.parametrize(
    "field, advice",
    [
        ("fra", "Skriv datoen fullmakten gjelder fra, for eksempel 03.12.2026."),
        ("til", "Skriv datoen fullmakten gjelder til, for eksempel 03.03.2027."),
        ("dato", "Skriv datoen fullmakten blir skrevet under, for eksempel 03.12.2026."),
        ("gjelder", "Skriv hva fullmakten gjelder, for eksempel NAV trygd."),
    ],
)
def test_fullmakt_dates_get_date_advice(tmp_path, field, advice):
    raw = example("fullmakt")
    del raw[field]
    refused_with(tmp_path, raw, f"feltet «{field}»: Feltet mangler eller er tomt. {advice}")


def test_consent_fields_get_their_own_advice(tmp_path):
    raw = example("samtykke")
    for key in ("gjelder", "gyldig_fra", "opplysninger"):
        del raw[key]
    refused_with(
        tmp_path,
        raw,
        "feltet «gjelder»: Feltet mangler eller er tomt. Skriv hva samtykket gjelder",
        "feltet «gyldig_fra»: Feltet mangler eller er tomt. Skriv datoen samtykket gjelder fra",
        "feltet «opplysninger»: Feltet mangler eller er tomt. Skriv hvilke opplysninger",
    )


# --- a fødselsnummer outside its field -----------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "change", "where"),
    [
        ("innkalling", lambda r: r["bruker"].update(navn="Kari 15876510089"), "«bruker.navn»"),
        ("innkalling", lambda r: r["saksliste"].append("Nytt nr. 158765 10089"), "saksliste nr. 3"),
        ("referat", lambda r: r.update(brukers_stemme="Mitt nr er 15876510089."), "«brukers_stemme»"),
        ("fullmakt", lambda r: r.update(gjelder="NAV, 10927030050"), "«gjelder»"),
    ],
)  # fmt: skip
def test_an_identity_number_outside_its_field_is_refused_and_not_repeated(
    tmp_path, kind, change, where
):
    """Review finding: a fødselsnummer typed into a name went onto the letter to everyone."""
    raw = example(kind)
    change(raw)
    text = refused_with(tmp_path, raw, where, "ser ut som et fødselsnummer", "Fjern nummeret.")
    assert "15876510089" not in text and "10089" not in text and "10927030050" not in text


def test_an_eleven_digit_number_that_is_no_identity_number_is_kept(tmp_path):
    raw = example("fullmakt") | {"gjelder": "Konto 12345678901 i banken"}
    entry = read_one(write(tmp_path, json.dumps(raw, default=str, ensure_ascii=False), "f.json"))
    assert entry.problems == () and "12345678901" in entry.document.scope


# --- FORMATS.md §5 additions (issue 9) -------------------------------------------------------


def test_formats_additions_for_a_first_meeting_as_written(tmp_path):
    text = (DATA / "formats_innkalling.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "bruker:\n  navn: Kari Nordmann\n  adresse: Storgata 1, 7580 Selbu     # optional\n",
        "forste_mote: true                     # first meeting: consent is signed, the leaflet page is added\n"  # noqa: E501
        "bruker:\n"
        "  navn: Kari Nordmann\n"
        "  adresse: Storgata 1, 7580 Selbu     # printed in the address block, for posting\n"
        "  fodt: 14.05.2019                    # optional birth date (or from a fødselsnummer given for the case)\n",  # noqa: E501
    )
    assert "forste_mote: true" in text
    doc = read_one(write(tmp_path, text)).document
    assert doc.first_meeting is True
    assert doc.person.born == dt.date(2019, 5, 14)
    assert doc.person.address == "Storgata 1, 7580 Selbu"


def test_formats_additions_for_minutes_as_written(tmp_path):
    addition = (
        "skrevet: 2026-12-05                   # optional: the date the minutes were written (default today)\n"  # noqa: E501
        "bruker_til_stede: false               # optional: the person was not at the meeting (default true)\n"  # noqa: E501
        "sendes_til: [Kari Nordmann, Per Olsen] # optional: default the person, guardians and standing members\n"  # noqa: E501
        "evaluering: |                         # optional: the yearly evaluation (needs, services, the group's work and make-up)\n"  # noqa: E501
        "  Tjenestene fungerer. Gruppen fortsetter med de samme deltakerne.\n"
        "avslutning: |                         # optional: the assessments when the group is closed\n"  # noqa: E501
        "  Kari ønsker ikke lenger ansvarsgruppe. Tjenestene fortsetter hver for seg.\n"
    )
    text = (DATA / "formats_referat.yaml").read_text(encoding="utf-8") + addition
    doc = read_one(write(tmp_path, text)).document
    assert doc.written_on == dt.date(2026, 12, 5)
    assert doc.person_present is False
    assert doc.send_to == ("Kari Nordmann", "Per Olsen") == doc.distribution
    assert doc.evaluation.startswith("Tjenestene fungerer.")
    assert doc.closing.startswith("Kari ønsker ikke lenger ansvarsgruppe.")
    plain = read_one(DATA / "formats_referat.yaml").document
    assert (plain.written_on, plain.person_present) == (TODAY, True)
    assert plain.distribution == ("Kari Nordmann", "Anne Nordmann", "Per Olsen", "Line Berg")


def test_formats_additions_for_two_signers_as_written(tmp_path):
    text = (DATA / "formats_samtykke.yaml").read_text(encoding="utf-8")
    text = text.split("underskriver:")[0] + (
        "underskrivere:\n"
        "  - {navn: Fadumo Hassan, rolle: mor}\n"
        "  - {navn: Ali Hassan, rolle: far}\n"
    )
    doc = read_one(write(tmp_path, text)).document
    assert [(s.person.name, s.role) for s in doc.signers] == [
        ("Fadumo Hassan", "mor"),
        ("Ali Hassan", "far"),
    ]
    assert all(s.is_parent for s in doc.signers)
    one = read_one(DATA / "formats_samtykke.yaml").document  # `underskriver` still works
    assert [(s.person.name, s.role) for s in one.signers] == [("Anne Nordmann", "verge")]
    assert one.person.born == dt.date(1965, 7, 15)  # from the fødselsnummer


def test_signers_written_both_ways_or_without_a_role_are_refused(tmp_path):
    raw = example("samtykke")
    raw["underskrivere"] = [{"navn": "Ali Hassan", "rolle": "far"}]
    refused_with(tmp_path, raw, "Både «underskriver» og «underskrivere»")
    del raw["underskriver"]
    raw["underskrivere"] = [{"navn": "Ali Hassan"}, "Fadumo Hassan"]
    refused_with(
        tmp_path,
        raw,
        "underskrivere nr. 1, feltet «rolle»",
        "for eksempel mor eller far",
        "underskrivere nr. 2",
    )


def test_a_birth_date_that_contradicts_the_number_or_is_ahead_is_refused(tmp_path):
    raw = example("samtykke")
    raw["bruker"]["fodt"] = "16.07.1965"
    refused_with(tmp_path, raw, "feltet «bruker.fodt»", "stemmer ikke med fødselsnummeret")
    raw["bruker"] = {"navn": "Kari Nordmann", "født": "01.01.2030"}
    refused_with(tmp_path, raw, "er etter i dag")


def test_minutes_written_before_the_meeting_are_refused(tmp_path):
    raw = example("referat")
    raw["skrevet"] = "2026-12-01"
    refused_with(tmp_path, raw, "feltet «skrevet»", "før møtet (03.12.2026)")


def test_the_new_test_data_read_without_problems():
    for name in (
        "samtykke_barn",
        "samtykke_verge",
        "innkalling_forste_mote",
        "referat_tolv_tiltak",
    ):
        entry = read_one(DATA / f"{name}.yaml")
        assert entry.problems == (), name
    child = read_one(DATA / "samtykke_barn.yaml").document
    assert child.person.born == dt.date(2019, 5, 14) and len(child.signers) == 2
    first = read_one(DATA / "innkalling_forste_mote.yaml").document
    assert [g.name for g in first.guardians] == ["Fadumo Hassan", "Ali Hassan"]
