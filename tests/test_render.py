"""Rendering: open every produced document and check what a reader sees."""

from __future__ import annotations

import dataclasses
import datetime as dt
import zipfile

import pytest
from conftest import DATA, TODAY, docx_text
from docx import Document as WordDocument

from ipdocs import pipeline, readers, render
from ipdocs.errors import TemplateError

KINDS = ("innkalling", "referat", "samtykke", "fullmakt")


def document(kind: str, **changes):
    [entry] = readers.read(DATA / f"formats_{kind}.yaml", today=TODAY)
    return dataclasses.replace(entry.document, **changes) if changes else entry.document


def rendered_text(tmp_path, doc, settings) -> str:
    path = tmp_path / f"{doc.kind}_{doc.language}.docx"
    path.write_bytes(render.render_document(doc, settings))
    return docx_text(path)


def test_invitation_reads_like_the_routine(tmp_path, settings):
    text = rendered_text(tmp_path, document("innkalling"), settings)
    for expected in (
        "Kari Nordmann",
        "torsdag 3. desember 2026",
        "kl. 09.00–10.30",
        "Rådhuset, møterom 2",
        "arabisk",
        "Per Olsen",
        "Fastlege",
        "Line Berg",
        "Status siden forrige møte",
        "Søknad om avlastning",
        "dobbelttime",
        "30. november 2026",
        "400 31 579",
        "Ola Hansen",
        "Selbu kommune",
        "Tildelings- og koordineringskontoret",
        "IP-2026-0042 · innkalling · 03.12.2026",
    ):
        assert expected in text, expected


def test_invitation_without_interpreter_or_gp_has_no_such_lines(tmp_path, settings):
    doc = document("innkalling")
    doc = dataclasses.replace(
        doc,
        meeting=dataclasses.replace(doc.meeting, interpreter=None),
        participants=doc.participants[1:],
    )
    text = rendered_text(tmp_path, doc, settings)
    assert "arabisk" not in text and "tolk" not in text.casefold()
    assert "dobbelttime" not in text


def test_minutes_have_every_referatmal_field_and_one_row_per_action(tmp_path, settings):
    doc = document("referat")
    actions = tuple(
        dataclasses.replace(doc.actions[0], what=f"Tiltak nummer {i}", owner=f"Eier {i}")
        for i in range(1, 10)
    )
    doc = dataclasses.replace(doc, actions=actions)
    path = tmp_path / "referat.docx"
    path.write_bytes(render.render_document(doc, settings))
    text = docx_text(path)
    for expected in (
        "Kari Nordmann",
        "Line Berg",
        "Anne Nordmann",
        "mor",
        "Ola Hansen",
        "Kari har startet i ny jobb 50 %",
        "Kari ønsker å prioritere å klare middag til barna selv.",
        "Brukers stemme",
        "Klare hverdagen som mamma",
        "torsdag 4. mars 2027",
        "Kari Nordmann, Ola Hansen og Per Olsen",
        "IP-2026-0042 · referat · 03.12.2026",
    ):
        assert expected in text, expected
    for i in range(1, 10):
        assert f"Tiltak nummer {i}" in text and f"Eier {i}" in text
    action_tables = [
        t
        for t in WordDocument(str(path)).tables
        if "Tiltak nummer 1" in "".join(c.text for c in t._cells)
    ]
    assert len(action_tables) == 1
    data_rows = [
        r for r in action_tables[0].rows if "Tiltak nummer" in "".join(c.text for c in r.cells)
    ]
    assert len(data_rows) == 9


def test_minutes_without_next_meeting_say_so(tmp_path, settings):
    text = rendered_text(tmp_path, document("referat", next_meeting=None), settings)
    assert "ikke avtalt" in text


def test_consent_is_informed(tmp_path, settings):
    text = rendered_text(tmp_path, document("samtykke"), settings)
    for expected in (
        "Kari Nordmann",
        "158765 10089",  # printed where the form needs it
        "Samordne tjenestene i ansvarsgruppen",
        "Helseopplysninger som er nødvendige for arbeidet med individuell plan",
        "Fastlege Per Olsen",
        "NAV Selbu",
        "Fysioterapitjenesten",
        "3. desember 2026",
        "3. desember 2027",
        "frivillig",
        "muntlig eller skriftlig",
        "Anne Nordmann",
        "verge",
        "ansvarsgruppe og individuell plan",
        "IP-2026-0042 · samtykke · 03.12.2026",
    ):
        assert expected in text, expected
    assert "gjelder ikke overføring" in text


def test_consent_covering_transfer(tmp_path, settings):
    text = rendered_text(tmp_path, document("samtykke", covers_transfer=True, signers=()), settings)
    assert "gjelder også overføring" in text


def test_fullmakt_follows_the_booklet(tmp_path, settings):
    text = rendered_text(tmp_path, document("fullmakt"), settings)
    for expected in (
        "FULLMAKT",
        "Mona Ås",
        "NAV trygd",
        "23. oktober 2009",
        "23. januar 2010",
        "Peder Berg",
        "109270 30050",
        "Storåsen, 2400 Elverum",
        "når som helst trekke fullmakten tilbake",
        "IP-2026-0042 · fullmakt · 23.10.2009",
    ):
        assert expected in text, expected


@pytest.mark.parametrize("kind", KINDS)
def test_nynorsk_templates(tmp_path, settings, kind):
    text = rendered_text(tmp_path, document(kind, language="nn"), settings)
    assert "Kari Nordmann" in text or "Peder Berg" in text
    assert any(word in text for word in ("frå", "ikkje", "eg ", "Eg ", "brukar", "Brukar")), text[
        :400
    ]


def test_nynorsk_weekday_names(tmp_path, settings):
    doc = document("innkalling", language="nn")
    doc = dataclasses.replace(
        doc, meeting=dataclasses.replace(doc.meeting, date=doc.meeting.date.replace(day=1))
    )
    assert "tysdag 1. desember 2026" in rendered_text(tmp_path, doc, settings)


def test_special_characters_in_data_are_printed_literally(tmp_path, settings):
    tricky = "Psykisk helse & rus <ny> {{ bruker.navn }} {% if x %} æøå ÆØÅ"
    doc = document("referat", situation=tricky, user_voice="Jeg vil ha \"ro\" & 'fred'")
    text = rendered_text(tmp_path, doc, settings)
    assert tricky in text
    assert "Jeg vil ha \"ro\" & 'fred'" in text


def test_rendering_again_replaces_the_document(tmp_path, settings):
    source = tmp_path / "m.yaml"
    source.write_text(
        (DATA / "formats_fullmakt.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    first = pipeline.process_file(source, settings)
    source.write_text(
        source.read_text(encoding="utf-8").replace("Mona Ås", "Mona Berg"), encoding="utf-8"
    )
    second = pipeline.process_file(source, settings)
    assert first.documents == second.documents
    assert "Mona Berg" in docx_text(second.documents[0])
    assert len(list(second.documents[0].parent.iterdir())) == 1


def _template_with(tmp_path, text: str):
    word = WordDocument()
    word.add_paragraph(text)
    path = tmp_path / "mal.docx"
    word.save(str(path))
    return render.DocumentTemplate(path)


def test_unknown_field_in_a_template_is_named(tmp_path, settings):
    template = _template_with(tmp_path, "Hei {{ bruker.navnn }}")
    with pytest.raises(TemplateError) as info:
        template.render(render.context(document("innkalling"), settings))
    assert "mal.docx" in str(info.value) and "navnn" in str(info.value)


def test_templates_cannot_reach_python_internals(tmp_path, settings):
    template = _template_with(tmp_path, "{{ sak.__class__.__mro__[1].__subclasses__() }}")
    with pytest.raises(TemplateError, match="ikke tillatt"):
        template.render(render.context(document("innkalling"), settings))


def test_a_broken_template_file(tmp_path):
    path = tmp_path / "mal.docx"
    path.write_bytes(b"not a zip")
    with pytest.raises(TemplateError, match="ikke et Word-dokument"):
        render.DocumentTemplate(path)


# Converting to PDF with LibreOffice: tests/test_render_pages.py does every document in one
# batch and reads the pages.


def test_preparing_a_template_with_a_tag_left_open_names_it_in_norwegian(tmp_path):
    """The run prepares templates before its workers start (`--jobs 2`): that path must speak
    like rendering does, not end as "Noe gikk galt inne i ipdocs (TemplateSyntaxError …)"."""
    template = _template_with(tmp_path, "Hei {{ bruker.navn ")
    with pytest.raises(TemplateError) as info:
        template.prepare()
    message = str(info.value)
    assert message.startswith("Malen mal.docx har en feil i en kode med {{ }} eller {% %}")
    assert "ipdocs templates check" in message


def test_a_template_whose_word_content_is_cut_short(tmp_path, settings):
    whole = _template_with(tmp_path, "Hei {{ bruker.navn }}").path
    broken = tmp_path / "skadet.docx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(broken, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                data = data[: len(data) // 2]
            target.writestr(info, data)
    with pytest.raises(TemplateError, match="Malen skadet.docx er skadet"):
        render.DocumentTemplate(broken).render(render.context(document("innkalling"), settings))


# --- issue 9: letters, signers, the municipality's words --------------------------------------


def test_the_coordinators_word_comes_from_the_settings_into_every_document(tmp_path, settings):
    risor = dataclasses.replace(
        settings,
        municipality=dataclasses.replace(settings.municipality, coordinator_word="stafettholder"),
    )
    for kind in KINDS[:3]:
        for lang in ("nb", "nn"):
            doc = document(kind, language=lang)
            if kind == "referat":  # the example's first action is the coordinator's
                doc = dataclasses.replace(
                    doc, actions=tuple(dataclasses.replace(a, owner="NAV") for a in doc.actions)
                )
            text = rendered_text(tmp_path, doc, risor)
            assert "stafettholder" in text.casefold(), (kind, lang)
            assert "koordinator" not in text.casefold().replace("koordineringskontoret", ""), (
                kind,
                lang,
            )


def test_consent_signers_read_mor_til_and_verge_for(tmp_path, settings):
    from ipdocs.model import Person, Signer

    consent = document("samtykke")
    text = rendered_text(tmp_path, consent, settings)
    assert "Anne Nordmann, verge for Kari Nordmann" in text
    assert "foreldreansvaret sammen" not in text  # an adult with a verge
    child = Person("Kari Nordmann", born=dt.date(2019, 5, 14))
    parents = dataclasses.replace(
        consent,
        person=child,
        signers=(Signer(Person("Fadumo Hassan"), "mor"), Signer(Person("Ali Hassan"), "far")),
    )
    text = rendered_text(tmp_path, parents, settings)
    assert "Fadumo Hassan, mor til Kari Nordmann" in text and "Ali Hassan, far til" in text
    assert "Har to personer foreldreansvaret sammen, skriver begge under." in text
    assert "Vi har lest dette og samtykker." in text
    assert text.count("Sted og dato:") == 2
    one = dataclasses.replace(parents, signers=parents.signers[:1])
    text = rendered_text(tmp_path, one, settings)
    assert text.count("Sted og dato:") == 2 and "den andre med foreldreansvar" in text
    adult = dataclasses.replace(one, person=consent.person)  # born 1965 (the fødselsnummer)
    text = rendered_text(tmp_path, adult, settings)  # a mother signing for an adult daughter
    assert "foreldreansvar" not in text.split("Underskrift")[-1]
    self_signed = rendered_text(tmp_path, dataclasses.replace(consent, signers=()), settings)
    assert "Jeg har lest dette og samtykker." in self_signed
    assert "Kari Nordmann, bruker" in self_signed


def test_minutes_wording_of_the_referatmal(tmp_path, settings):
    doc = document("referat")
    text = rendered_text(tmp_path, doc, settings)
    assert "Foresatte/verge (hvis de deltok)" in text and "hvis de deltar" not in text
    assert "Kari Nordmann var med på møtet." in text
    assert "Kari Nordmann, Anne Nordmann, Per Olsen og Line Berg" in text  # sendes til
    assert "Skrevet 24. november 2026 av Line Berg." in text  # default: the day it is made
    absent = dataclasses.replace(doc, person_present=False, send_to=("Kari Nordmann",))
    text = rendered_text(tmp_path, absent, settings)
    assert "Kari Nordmann var ikke med på møtet." in text
    assert "Kari Nordmann var ikke med. Dette er det Kari Nordmann har sagt" in text
    closing = dataclasses.replace(
        doc, next_meeting=None, closing="Kari ønsker ikke lenger ansvarsgruppe."
    )
    text = rendered_text(tmp_path, closing, settings)
    assert "Avslutning av ansvarsgruppen" in text and "ikke avtalt flere møter" in text
    assert "Årlig evaluering" not in text
    partly = dataclasses.replace(
        doc, next_meeting=dataclasses.replace(doc.next_meeting, starts_at=None, ends_at=None)
    )
    text = rendered_text(tmp_path, partly, settings)
    assert "Fra kl. | ikke avtalt" in text and "Til kl. | ikke avtalt" in text
    nn = rendered_text(tmp_path, dataclasses.replace(doc, language="nn"), settings)
    assert "Situasjonen no" in nn and "Føresette/verje (dersom dei deltok)" in nn


def test_invitation_wording_fixes(tmp_path, settings):
    nb = rendered_text(tmp_path, document("innkalling"), settings)
    assert "Det kommer en tolk som tolker mellom norsk og arabisk" in nb
    assert "satt av mer tid til møtet" in nb
    assert "send gjerne det du vil si om sakene til koordinatoren før møtet" in nb
    assert "Vår ref.: IP-2026-0042" in nb and "Dato: 23. november 2026" in nb
    assert "Til Kari Nordmann og ansvarsgruppen" in nb
    assert "Storgata 1\n7580 Selbu" in nb
    nn = rendered_text(tmp_path, document("innkalling", language="nn"), settings)
    assert "Desse er inviterte" in nn and "Kven er inviterte" not in nn
    assert "Sakliste" in nn and "Saksliste" not in nn
    assert "Det kjem ein tolk som tolkar mellom norsk og arabisk" in nn


def test_consent_and_fullmakt_wording_fixes(tmp_path, settings):
    consent = rendered_text(tmp_path, document("samtykke"), settings)
    assert "Tjenestene har taushetsplikt og kan bare dele opplysninger når du samtykker." in (
        consent.replace("\n", " ")
    )
    assert "Uten samtykke" not in consent
    fullmakt = rendered_text(tmp_path, document("fullmakt"), settings)
    assert "overfor NAV trygd" in fullmakt and "i forhold til" not in fullmakt
    assert "Jeg kan når som helst trekke fullmakten tilbake." in fullmakt
