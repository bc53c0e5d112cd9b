"""The archive's cover and index pages (cover.py), read back as a reader sees them."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from ipdocs import cover
from ipdocs.kinds import DocumentKind


def front(**changes) -> cover.Cover:
    values = dict(
        municipality="Kautokeino kommune",
        unit="Koordinerende enhet",
        case="IP-2026-0042",
        person="Máret Čávlli Ŋuolja",
        reason="flytting",
        to_municipality="Trondheim kommune",
        made_on=dt.date(2026, 12, 3),
        documents=40,
        pages=61,
    )
    return cover.Cover(**(values | changes))


def entries(n: int) -> list[cover.Entry]:
    return [
        cover.Entry(dt.date(2026, 1, 1) + dt.timedelta(days=i), f"Referat {i + 1}", 2 * i + 1)
        for i in range(n)
    ]


def text_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def test_the_cover_says_what_the_archive_is_and_why(tmp_path):
    drawn = cover.draw(front(), entries(3), "nb")
    first = text_of(drawn.pdf)[0]
    for words in (
        "Arkivutskrift",
        "Kautokeino kommune",
        "IP-2026-0042",
        "Máret Čávlli Ŋuolja",  # Sámi letters: a font that has them is embedded
        "Personen flytter til en annen kommune",
        "Trondheim kommune",
        "40 dokumenter, 61 sider",
        "Inneholder taushetsbelagte opplysninger.",
    ):
        assert words in first, words


def test_no_name_and_closing_the_case_in_nynorsk():
    drawn = cover.draw(front(person=None, reason="avslutning", documents=1, pages=1), [], "nn")
    first = text_of(drawn.pdf)[0]
    assert "Saka er avslutta" in first and "ikkje registrert" in first
    assert "1 dokument, 1 side" in first and "Til kommune" not in first


@pytest.mark.parametrize(("count", "pages"), [(0, 1), (34, 1), (35, 2), (69, 3)])
def test_the_index_takes_as_many_pages_as_its_rows_need(count, pages):
    assert cover.index_pages(count) == pages
    drawn = cover.draw(front(), entries(count), "nb")
    assert drawn.pages == 1 + pages == len(PdfReader(io.BytesIO(drawn.pdf)).pages)


def test_every_index_row_is_a_link_on_its_page():
    drawn = cover.draw(front(), entries(40), "nb")
    assert [link.entry for link in drawn.links] == list(range(40))
    assert {link.page for link in drawn.links[:34]} == {1}
    assert {link.page for link in drawn.links[34:]} == {2}
    second_index = text_of(drawn.pdf)[2]
    assert "Referat 35" in second_index and "Innhold, side 2 av 2" in second_index


def test_kind_titles():
    assert cover.kind_title(DocumentKind.minutes, "rendered", "nb") == "Referat"
    assert cover.kind_title(DocumentKind.consent, "signed", "nn") == "Samtykke (signert)"
    assert cover.kind_title("ukjent_type", "rendered", "nb") == "Ukjent type"
