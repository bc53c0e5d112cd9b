"""The domain model (model.py, kinds.py): which date a document carries and which kind it is.
The date names the file in outbox/<sak>/ and the kind is stored in the ledger as its text, so
both are what a coordinator sees."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import DATA, TODAY

from ipdocs import readers, render
from ipdocs.kinds import KINDS, DocumentKind
from ipdocs.model import DOCUMENT_KINDS, Consent, Invitation, Minutes, PowerOfAttorney


@pytest.mark.parametrize(
    ("kind", "cls", "date", "why"),
    [
        ("innkalling", Invitation, dt.date(2026, 12, 3), "the meeting"),
        ("referat", Minutes, dt.date(2026, 12, 3), "the meeting"),
        ("samtykke", Consent, dt.date(2026, 12, 3), "valid from"),
        ("fullmakt", PowerOfAttorney, dt.date(2009, 10, 23), "signed on"),
    ],
)
def test_each_document_is_dated_and_named_by_its_own_date(kind, cls, date, why):
    [entry] = readers.read(DATA / f"formats_{kind}.yaml", today=TODAY)
    document = entry.document
    assert isinstance(document, cls), entry.problems
    assert document.document_date == date, why
    assert render.output_name(document) == f"{date.isoformat()}_{kind}.docx"


def test_the_kinds_are_the_words_users_write_and_the_ledger_stores():
    assert [str(k) for k in KINDS] == ["innkalling", "referat", "samtykke", "fullmakt"]
    assert DocumentKind("referat") is DocumentKind.minutes
    assert f"{DocumentKind.consent}" == "samtykke"  # as shown in messages
    assert {cls.kind for cls in DOCUMENT_KINDS.values()} == set(KINDS)
    assert all(DOCUMENT_KINDS[kind].kind is kind for kind in KINDS)
