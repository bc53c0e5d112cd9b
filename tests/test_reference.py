"""The reference a rendered document's QR code carries (reference.py)."""

from __future__ import annotations

import datetime as dt
import io

import zxingcpp
from PIL import Image

from ipdocs import reference
from ipdocs.reference import Reference


def test_a_reference_goes_through_a_qr_code_and_back():
    ref = Reference("IP-Kárášjohka", "samtykke", dt.date(2026, 12, 3), reference.new_id())
    assert ref.payload() == f"IPD1:IP-Kárášjohka:SAMTYKKE:20261203:{ref.id}"
    image = Image.open(io.BytesIO(reference.qr_png(ref)))
    (code,) = zxingcpp.read_barcodes(image)
    assert reference.parse(code.text) == ref


def test_other_codes_are_not_references():
    good = "IPD1:IP-2026-0042:REFERAT:20261203:7KD2M9QX"
    assert reference.parse(good) == Reference(
        "IP-2026-0042", "referat", dt.date(2026, 12, 3), "7KD2M9QX"
    )
    for text in (
        "https://selbu.kommune.no",
        good.replace("REFERAT", "BREV"),  # not a kind ipdocs makes
        good.replace("20261203", "20261303"),  # no such date
        good.replace("7KD2M9QX", "7KD2M9QO"),  # O is not in the id alphabet
        good.replace("IPD1", "IPD2"),  # a format this version does not know
    ):
        assert reference.parse(text) is None, text


def test_ids_are_new_each_time():
    ids = {reference.new_id() for _ in range(200)}
    assert len(ids) == 200 and all(len(i) == 8 for i in ids)
