"""What a coordinator gets on paper: every document rendered in nb and nn, converted with the
real LibreOffice in one batch, and read page by page (issue 9).

One `soffice` run converts all of them (a module fixture), so this file costs one LibreOffice
start. Some documents are made in several lengths (more agenda items, more recipients) so that
a page break falls in every place where something must not be split: whichever variant puts
the break there, the signature block, the sign-off and the action rows must stay whole.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from conftest import DATA, SELBU, TODAY, require_program
from docx import Document as WordDocument
from pypdf import PdfReader

from ipdocs import readers, render

FORMATS = ("innkalling", "referat", "samtykke", "fullmakt")
CASES = ("samtykke_barn", "samtykke_verge", "innkalling_forste_mote", "referat_tolv_tiltak")
LANGUAGES = ("nb", "nn")
STATEMENT = {
    "nb": ("Jeg har lest dette og samtykker.", "Vi har lest dette og samtykker."),
    "nn": ("Eg har lese dette og samtykkjer.", "Vi har lese dette og samtykkjer."),
}


def read(name: str):
    [entry] = readers.read(DATA / f"{name}.yaml", today=TODAY)
    assert entry.document is not None, entry.problems
    return entry.document


def variants() -> dict[str, object]:
    """Every document to look at, by a name that says what it is."""
    docs: dict[str, object] = {}
    for lang in LANGUAGES:
        for name in (*(f"formats_{k}" for k in FORMATS), *CASES):
            docs[f"{name}_{lang}"] = dataclasses.replace(read(name), language=lang)
    # Growing documents (bokmål; the layout is the same in nynorsk): each length moves the page
    # break a little, so it falls once in every place where nothing may be split.
    invitation = read("formats_innkalling")
    for count in range(1, 17, 2):  # the sign-off
        agenda = tuple(f"Sak nummer {i} på sakslisten i dag" for i in range(1, count + 1))
        docs[f"innkalling_saker{count}_nb"] = dataclasses.replace(invitation, agenda=agenda)
    consent = read("samtykke_barn")
    for count in range(1, 15):  # the signature block
        recipients = tuple(f"Tjeneste nummer {i} i kommunen" for i in range(1, count + 1))
        docs[f"samtykke_mottakere{count}_nb"] = dataclasses.replace(consent, recipients=recipients)
    minutes = read("referat_tolv_tiltak")
    for count in range(0, 40, 4):  # the action rows and the next-meeting table
        goals = minutes.goals + tuple(f"Mål nummer {i} for året" for i in range(1, count + 1))
        docs[f"referat_mal{count}_nb"] = dataclasses.replace(minutes, goals=goals)
    return docs


@pytest.fixture(scope="module")
def pages(tmp_path_factory, module_settings) -> dict[str, dict]:
    """name → {"doc", "docx", "pdf", "pages": [text of page 1, page 2, …]}."""
    require_program("soffice")
    from ipdocs._exec.soffice import convert_to_pdf

    settings = module_settings
    folder = tmp_path_factory.mktemp("pages")
    made_at = dt.datetime.now(dt.UTC)
    found: dict[str, dict] = {}
    for name, doc in variants().items():
        path = folder / f"{name}.docx"
        path.write_bytes(render.render_document(doc, settings, made_at=made_at))
        found[name] = {"doc": doc, "docx": path, "made_at": made_at}
    made, failed = convert_to_pdf([entry["docx"] for entry in found.values()])
    assert failed == {}
    for entry in found.values():
        entry["pdf"] = made[entry["docx"]]
        entry["pages"] = [_flat(p.extract_text()) for p in PdfReader(entry["pdf"]).pages]
    return found


@pytest.fixture(scope="module")
def module_settings(tmp_path_factory):
    from ipdocs.settings import Settings

    return Settings(
        municipality=dataclasses.replace(SELBU, contact_person="Siv Moen"),
        outbox=tmp_path_factory.mktemp("outbox"),
        today=TODAY,
    )


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def on_pages(entry: dict, text: str) -> list[int]:
    """The page numbers (1-based) whose text holds `text` whole."""
    return [n for n, page in enumerate(entry["pages"], start=1) if _flat(text) in page]


def named(pages: dict, prefix: str) -> list[tuple[str, dict]]:
    return [(name, entry) for name, entry in pages.items() if name.startswith(prefix)]


# --- signatures stay with what they sign ------------------------------------------------------


def test_every_consent_has_its_signatures_on_the_page_of_the_statement(pages):
    consents = named(pages, "samtykke_") + named(pages, "formats_samtykke")
    assert len(consents) == 2 * 2 + 14 + 2
    page_counts = set()
    for name, entry in consents:
        lang = entry["doc"].language
        statement = [n for s in STATEMENT[lang] for n in on_pages(entry, s)]
        assert len(statement) == 1, name
        page = entry["pages"][statement[0] - 1]
        place = "Sted og dato:" if lang == "nb" else "Stad og dato:"
        signers = entry["doc"].signers or ()
        assert page.count(place) == max(1, len(signers)), name
        assert page.count("Underskrift: ___") == max(1, len(signers)), name
        for signer in signers:
            assert f"{signer.person.name}, {signer.role} " in page, name
        page_counts.add(len(entry["pages"]))
    assert {1, 2} <= page_counts  # the variants did push the block across a page break


def test_parents_sign_for_a_child_and_a_verge_for_an_adult(pages):
    child = pages["samtykke_barn_nb"]["pages"]
    text = " ".join(child)
    assert "Fadumo Hassan, mor til Emma Hassan" in text
    assert "Ali Hassan, far til Emma Hassan" in text
    assert "Har to personer foreldreansvaret sammen, skriver begge under." in text
    assert "Vi har lest dette og samtykker." in text
    adult = " ".join(pages["samtykke_verge_nn"]["pages"])
    assert "Mona Ås, verge for Peder Berg" in adult
    assert "foreldreansvaret saman" not in adult and "Eg har lese dette og samtykkjer." in adult
    verge_nb = " ".join(pages["formats_samtykke_nb"]["pages"])
    assert "Anne Nordmann, verge for Kari Nordmann" in verge_nb
    assert "foreldreansvaret" not in verge_nb.split("Underskrift")[-1]


def test_the_fullmakt_is_signed_on_the_page_it_grants(pages):
    for lang in LANGUAGES:
        entry = pages[f"formats_fullmakt_{lang}"]
        revoke = (
            "Jeg kan når som helst trekke fullmakten tilbake."
            if lang == "nb"
            else "Eg kan når som helst trekkje fullmakta tilbake."
        )
        [page] = on_pages(entry, revoke)
        text = entry["pages"][page - 1]
        assert ("Sted og dato:" if lang == "nb" else "Stad og dato:") in text
        assert "Peder Berg, fullmaktsgiv" in text and "109270 30050" in text


def test_the_invitation_sign_off_stays_together_with_the_text_it_closes(pages):
    invitations = named(pages, "innkalling_saker")
    page_counts = set()
    for name, entry in invitations:
        lang = entry["doc"].language
        greeting = "Med vennlig hilsen" if lang == "nb" else "Med venleg helsing"
        last = "før møtet."
        [page] = on_pages(entry, greeting)
        text = entry["pages"][page - 1]
        assert f"{greeting} Ola Hansen koordinator, Helsestasjonen" in text, name
        assert last in text.split(greeting)[0], name
        page_counts.add(page)
    assert {1, 2} <= page_counts


# --- the minutes: rows whole, headers repeated, the next meeting together ----------------------


def test_no_action_of_a_twelve_action_minutes_is_split_over_two_pages(pages):
    minutes = named(pages, "referat_tolv_tiltak") + named(pages, "referat_mal")
    assert len(minutes) == 2 + 10
    table_pages, next_pages = set(), set()
    for name, entry in minutes:
        lang = entry["doc"].language
        assert len(entry["doc"].actions) == 12
        action_pages = set()
        for action in entry["doc"].actions:
            where = on_pages(entry, action.what)
            assert len(where) == 1, (name, action.what, where)
            action_pages |= set(where)
        for page in action_pages:  # the header row is repeated on every page of the table
            assert "Nr. Tiltak Ansvar Frist" in entry["pages"][page - 1], name
        table_pages.add(len(action_pages))
        # The next meeting's table stays together, from «Hvem skal delta?» to «Sted».
        who = "Hvem skal delta?" if lang == "nb" else "Kven skal delta?"
        [page] = on_pages(entry, who)
        text = entry["pages"][page - 1].split(who)[1]
        assert "Til kl. 15.30" in text and "Rådhuset, møterom 2" in text, name
        next_pages.add(page)
    assert 2 in table_pages  # the actions did run over a page break
    assert len(next_pages) >= 2  # and the next meeting's table moved to a new page as it grew


def test_minutes_follow_the_referatmal_and_say_whom_they_go_to(pages):
    text = " ".join(pages["referat_tolv_tiltak_nb"]["pages"])
    order = [
        "Navn på bruker",
        "Tid / dato",
        "Sted",
        "Referent",
        "Møtedeltakere",
        "Foresatte/verge (hvis de deltok)",
        "Andre møtedeltakere",
        "Koordinator",
        "Nå-situasjonen",
        "Årlig evaluering",
        "Mål / fokusområder",
        "Avtaler",
        "Planlegging av neste møte/evaluering",
        "Hvem skal delta?",
        "Dato",
        "Fra kl.",
        "Til kl.",
        "Referatet sendes til",
    ]
    positions = [text.find(label) for label in order]
    assert -1 not in positions and positions == sorted(positions), order
    assert "Kari Nordmann var ikke med på møtet." in text
    assert "Kari Nordmann, Anne Nordmann, Per Olsen, Line Berg og Eva Lund" in text  # no NAV
    assert "Skrevet 5. desember 2026 av Line Berg." in text
    assert "selv sa og ønsket" not in text  # no prompt text in a finished document
    nn = " ".join(pages["referat_tolv_tiltak_nn"]["pages"])
    assert "Situasjonen no" in nn and "No-situasjonen" not in nn
    assert "Føresette/verje (dersom dei deltok)" in nn and "Skrive 5. desember 2026" in nn


# --- the invitation is a letter to the person ----------------------------------------------


def test_the_invitation_is_addressed_and_written_to_the_person(pages):
    for lang in LANGUAGES:
        entry = pages[f"formats_innkalling_{lang}"]
        first = entry["pages"][0]
        assert first.startswith("Selbu kommune Tildelings- og koordineringskontoret Kari Nordmann")
        assert "Kari Nordmann Storgata 1 7580 Selbu" in first
        assert "Vår ref.: IP-2026-0042" in first and "23. november 2026" in first
        group = "ansvarsgruppen" if lang == "nb" else "ansvarsgruppa"
        assert f"Til Kari Nordmann og {group}" in first
        invited = "Hvem er invitert" if lang == "nb" else "Desse er inviterte"
        after = first.split(invited)[1]
        assert after.index("Kari Nordmann") < after.index("Per Olsen")
        text = " ".join(entry["pages"])
        assert "Det kommer en tolk som tolker mellom norsk og arabisk" in text or (
            "Det kjem ein tolk som tolkar mellom norsk og arabisk" in text
        )
        assert "Siv Moen" in text and "ola.hansen@selbu.kommune.no" in text


def test_a_first_meeting_says_what_happens_and_carries_the_information_page(pages):
    for lang in LANGUAGES:
        entry = pages[f"innkalling_forste_mote_{lang}"]
        first = entry["pages"][0]
        assert "Fadumo Hassan Ali Hassan Kirkevegen 4 7580 Selbu" in first  # a child: the parents
        text = " ".join(entry["pages"])
        after = text.split("Hvem er invitert" if lang == "nb" else "Desse er inviterte")[1]
        names = ["Emma Hassan", "Fadumo Hassan", "Ali Hassan", "Per Olsen"]
        assert [after.index(n) for n in names] == sorted(after.index(n) for n in names)
        last = entry["pages"][-1]
        assert last.startswith("Selbu kommune Tildelings- og koordineringskontoret Om individuell")
        if lang == "nb":
            assert "samtykke" in text and "retten til individuell plan" in text
            assert "klage til Statsforvalteren" in last and "Hva er en individuell plan?" in last
            assert "mer tid til møtet" in text
        else:
            assert "Kva er ein individuell plan?" in last and "Statsforvaltaren" in last
            assert "meir tid til møtet" in text
    assert "Om individuell plan" not in " ".join(pages["formats_innkalling_nb"]["pages"])


# --- archive-fit metadata ---------------------------------------------------------------


def test_every_document_carries_its_properties_and_language(pages):
    for name, entry in pages.items():
        doc, lang = entry["doc"], entry["doc"].language
        code = "nb-NO" if lang == "nb" else "nn-NO"
        reference = render.footer_reference(doc)
        props = WordDocument(str(entry["docx"])).core_properties
        assert props.title == reference, name
        assert props.author == "Selbu kommune" and props.last_modified_by == "Selbu kommune"
        assert props.subject and "{" not in props.subject
        assert props.comments == "" and props.language == code
        made = entry["made_at"].replace(microsecond=0)
        assert props.created == props.modified == made, name
        pdf = PdfReader(entry["pdf"])
        assert str(pdf.trailer["/Root"]["/Lang"]) == code, name
        assert pdf.metadata.title == reference, name
        assert re.search(r"Side 1 av \d", entry["pages"][0]), name
