"""Property tests over the readers (hypothesis): whatever the bytes, values or cells, a file
comes back as a Result (documents or problems), never an exception or a hang, and no message
shows a fødselsnummer.

The CI profile is small and bounded (`ci`, the default); `bench/properties.py` runs the same
properties with many more examples.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import tempfile
import unicodedata
from pathlib import Path

import pytest
import yaml
from conftest import DATA, TODAY
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from ipdocs.pipeline import Result, process_file
from ipdocs.settings import Municipality, Settings

settings.register_profile(
    "ci", max_examples=25, deadline=3000, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "long",
    max_examples=int(os.environ.get("IPDOCS_PROPERTY_EXAMPLES", "2000")),
    deadline=5000,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# No property may hang: each test is stopped after two minutes (bench/properties.py allows more).
pytestmark = pytest.mark.timeout(int(os.environ.get("IPDOCS_PROPERTY_TIMEOUT", "120")))

SETTINGS = Settings(
    municipality=Municipality(name="Selbu kommune"),
    outbox=Path(tempfile.gettempdir()) / "ipdocs-properties-outbox",
    inbox=Path(tempfile.gettempdir()) / "ipdocs-properties-inbox",
    today=TODAY,
)
EXAMPLES = {p.stem.split("_")[1]: yaml.safe_load(p.read_text("utf-8")) for p in DATA.glob("*.yaml")}


def _digits(text: str) -> str:
    """The digits a text shows, of any script, with separators between them dropped."""
    out = []
    for char in text:
        value = unicodedata.digit(char, None)
        if value is not None:
            out.append(str(value))
        elif not (char.isspace() or char in ".-:/_,\u200b\u200c\u200d\u2060\ufeff\u00ad"):
            out.append("|")
    return "".join(out)


def _valid_numbers_in(text: str) -> list[str]:
    """Every 11 digits in a row (any script; zero-width characters between them dropped) whose
    two control digits are right: a fødselsnummer, a D- or H-number, or a test number
    (python-stdnum's own check refuses test numbers, so only its control digits are used).
    Numbers written with spaces or dashes are checked where the test put one in."""
    from stdnum.no.fodselsnummer import calc_check_digit1, calc_check_digit2

    shown = []
    for char in text:
        value = unicodedata.digit(char, None)
        if value is not None:
            shown.append(str(value))
        elif char not in "\u200b\u200c\u200d\u2060\ufeff\u00ad":
            shown.append(" ")
    return [
        run
        for run in "".join(shown).split()
        if len(run) == 11
        and run[9] == calc_check_digit1(run[:9])
        and run[10] == calc_check_digit2(run[:10])
    ]


def _messages(result: Result) -> str:
    return "\n".join([*(str(p) for p in result.problems), *(str(w) for w in result.warnings)])


def _process(name: str, data: bytes) -> Result:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        result = process_file(path, SETTINGS, write=False)
    assert isinstance(result, Result)
    assert result.made or result.problems, "neither made nor a problem said"
    return result


@given(
    data=st.binary(max_size=2000),
    suffix=st.sampled_from([".yaml", ".json", ".csv", ".xlsx", ".txt", ".yaml.txt"]),
)
def test_any_bytes_give_a_result(data, suffix):
    result = _process(f"x{suffix}", data)
    assert not _valid_numbers_in(_messages(result))


_LEAF = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(max_size=30)
    | st.sampled_from(["03.12.2026", "kl 9", "15876510089", "\ud800", "\x01", "&<>", "ja"])
)
_VALUES = st.recursive(
    _LEAF,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=25,
)
_KEYS = st.sampled_from(
    [
        "sak",
        "bruker",
        "navn",
        "mote",
        "dato",
        "fra",
        "til",
        "sted",
        "tolk",
        "deltakere",
        "saksliste",
        "tiltak",
        "koordinator",
        "epost",
        "fodselsnummer",
        "gjelder",
        "neste_mote",
    ]
)


def _replace(doc: object, path: list[str], value: object) -> object:
    if not path or not isinstance(doc, dict):
        return value
    out = dict(doc)
    out[path[0]] = _replace(out.get(path[0], {}), path[1:], value)
    return out


@example(kind="innkalling", path=["mote", "dato"], value="15 87 65 10089", as_json=False)
@example(kind="samtykke", path=["sprak"], value="15876510089", as_json=True)
@given(
    kind=st.sampled_from(sorted(EXAMPLES)),
    path=st.lists(_KEYS, min_size=1, max_size=3),
    value=_VALUES,
    as_json=st.booleans(),
)
def test_any_value_in_any_field_gives_a_result(kind, path, value, as_json):
    doc = _replace(EXAMPLES[kind], path, value)
    if as_json:
        data = json.dumps(doc, default=str).encode()  # ASCII, surrogates as \ud800
        name = "x.json"
    else:
        data = yaml.safe_dump(doc, allow_unicode=False).encode()
        name = "x.yaml"
    result = _process(name, data)
    assert not _valid_numbers_in(_messages(result))


@given(value=_VALUES)
def test_any_nested_json_gives_a_result(value):
    _process("x.json", json.dumps(value, default=str).encode())


_NUMBER_PARTS = st.tuples(
    st.integers(1, 28), st.integers(1, 12), st.integers(40, 99), st.integers(0, 499)
)


def _number(day: int, month: int, year: int, individual: int) -> str | None:
    w1, w2 = (3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    nine = f"{day:02d}{month:02d}{year:02d}{individual:03d}"
    k1 = (11 - sum(w * int(d) for w, d in zip(w1, nine, strict=True)) % 11) % 11
    if k1 == 10:
        return None
    ten = nine + str(k1)
    k2 = (11 - sum(w * int(d) for w, d in zip(w2, ten, strict=True)) % 11) % 11
    return None if k2 == 10 else ten + str(k2)


@given(
    parts=_NUMBER_PARTS,
    cuts=st.lists(st.integers(1, 10), max_size=4, unique=True),
    separator=st.sampled_from([" ", ".", "-", "\u200b", "\u00a0", " - "]),
    field=st.sampled_from([("bruker", "navn"), ("mote", "sted"), ("koordinator", "navn")]),
)
def test_a_number_written_any_way_is_refused_and_never_shown(parts, cuts, separator, field):
    number = _number(*parts)
    if number is None:
        return
    written = number
    for cut in sorted(cuts, reverse=True):
        written = written[:cut] + separator + written[cut:]
    doc = _replace(EXAMPLES["innkalling"], list(field), f"Kari {written}")
    result = _process("x.yaml", yaml.safe_dump(doc, allow_unicode=True).encode())
    assert not result.made, f"{written!r} was taken"
    assert number not in _digits(_messages(result))


_CELL = (
    st.none()
    | st.booleans()
    | st.integers(-(10**12), 10**12)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=40).map(lambda t: "".join(c for c in t if c.isprintable()))
    | st.dates(dt.date(1900, 1, 1), dt.date(2100, 1, 1))
    | st.times()
)
_FIELDS = st.sampled_from(
    [
        "dokument",
        "sak",
        "bruker",
        "dato",
        "fra",
        "til",
        "sted",
        "tolk",
        "koordinator",
        "koordinator_telefon",
        "referent",
        "neste_mote_dato",
        "ukjent",
    ]
)


@given(
    rows=st.lists(st.tuples(_FIELDS, _CELL), max_size=12),
    tiltak=st.lists(st.tuples(_CELL, _CELL, _CELL), max_size=5),
)
def test_any_workbook_cells_give_a_result(rows, tiltak):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Møte"
    sheet.append(["dokument", "referat"])
    for name, value in rows:
        sheet.append([name, value])
    actions = book.create_sheet("Tiltak")
    actions.append(["tiltak", "ansvar", "frist"])
    for row in tiltak:
        actions.append(list(row))
    out = io.BytesIO()
    book.save(out)
    result = _process("x.xlsx", out.getvalue())
    assert not _valid_numbers_in(_messages(result))
