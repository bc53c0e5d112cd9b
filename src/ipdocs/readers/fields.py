"""Reading fields out of a raw input (nested dicts from any reader): keys normalised, unknown
keys reported with a suggestion, values checked for their shape, and every problem collected
with the place it was found (a reader's `Source` turns a field path into "feltet «mote.dato»"
or "cellen Møte!B4").
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from ..errors import Notice, Problem
from . import values
from .vocabulary import ALIASES, MISSING_HELP, NESTED, SHAPES, SHOWN

Path_ = tuple[str | int, ...]


def normalise_key(key: object) -> str:
    return _normalised(str(key))


@functools.lru_cache(maxsize=4096)  # the same few dozen keys, on every row of a batch
def _normalised(key: str) -> str:
    text = key.strip().casefold().replace(" ", "_").replace("-", "_")
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    return ALIASES.get(text, text)


def shown(key: str) -> str:
    return SHOWN.get(key, key)


def describe(path: Path_) -> str:
    """("tiltak", 1, "frist") → "tiltak nr. 2, feltet «frist»"; ("mote", "dato") → "feltet «mote.dato»"."""
    parts: list[str] = []
    keys: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts.append(f"{'.'.join(keys)} nr. {step + 1}")
            keys = []
        else:
            keys.append(shown(step))
    if keys:
        parts.append(f"feltet «{'.'.join(keys)}»")
    return ", ".join(parts) or "filen"


class Source:
    """Where a field path is in the input, in words. Readers subclass it (cells, columns).

    `style` is how the person wrote there, so advice shows the right way to write it:
    "yaml" or "json" for notes, "cell" for a spreadsheet.
    """

    style = "yaml"

    def __init__(self, style: str = "yaml"):
        self.style = style

    def where(self, path: Path_) -> str:
        return describe(path)


@dataclass
class Ctx:
    source: Source
    today: dt.date
    default_language: str
    kind: str = ""
    problems: list[Problem] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def fail(self, path: Path_, what: str, fix: str = "") -> None:
        self.problems.append(Problem(self.source.where(path), what, fix))

    def wrong_shape(self, path: Path_, value: object, expected: str) -> None:
        """A value of the wrong kind (a list for a text, fields for a list …): say what was
        expected and how to write it, in the way this input is written."""
        words, fixes = SHAPES[expected]
        self.fail(
            path,
            f"Her skal det stå {words}, men det står {self._found(value)}.",
            fixes[self.source.style],
        )

    def _found(self, value: object) -> str:
        if isinstance(value, dict):
            return "flere felt"
        if isinstance(value, list | tuple | set):
            return "en liste"
        if isinstance(value, bool):  # as the person wrote it: Excel shows SANN/USANN
            if self.source.style == "cell":
                return "«SANN»" if value else "«USANN»"
            return f"«{str(value).lower()}»"
        if isinstance(value, dt.date):
            return "en dato"
        if isinstance(value, dt.time):
            return "et klokkeslett"
        return f"«{value}»"

    def missing_help(self, path: Path_) -> str:
        place = ".".join(str(step) for step in path if not isinstance(step, int))
        return MISSING_HELP.get(f"{self.kind}:{place}") or MISSING_HELP.get(place, "")


def is_text(value: object) -> TypeGuard[str | int | float]:
    """A value that can stand as text: text, or a number from a spreadsheet cell (a phone
    number typed as a number). Not yes/no, a date, fields or a list."""
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def as_text(value: str | int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


MISSING = object()


class Obj:
    """A mapping in the input, with keys normalised and unknown keys reported."""

    def __init__(
        self, ctx: Ctx, path: Path_, raw: object, known: frozenset[str], *, absent: bool = False
    ):
        self.ctx, self.path = ctx, path
        # A required block that is missing was reported once; its fields are not reported again.
        self.absent = absent
        self.values: dict[str, Any] = {}
        if raw is None:
            return
        if not isinstance(raw, dict):
            ctx.fail(path, "Her skulle det stått flere felt under hverandre.", fields_hint(known))
            return
        for key, value in raw.items():
            norm = normalise_key(key)
            if norm in self.values:
                ctx.fail(path + (norm,), "Feltet står to ganger.", "Fjern det ene.")
            elif norm not in known:
                ctx.fail(path + (str(key),), "Feltet er ukjent.", suggest(norm, known))
            else:
                self.values[norm] = value

    def raw(self, key: str) -> Any:
        value = self.values.get(key, MISSING)
        if value is None or (isinstance(value, str) and not value.strip()):
            return MISSING
        return value

    def has(self, key: str) -> bool:
        return self.raw(key) is not MISSING

    def missing(self, key: str, fix: str = "") -> None:
        """Report a missing field, with the advice for its place (or `fix` when none)."""
        if self.absent:
            return
        path = self.path + (key,)
        self.ctx.fail(path, "Feltet mangler eller er tomt.", self.ctx.missing_help(path) or fix)

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.raw(key)
        if value is MISSING:
            if required:
                self.missing(key)
            return ""
        if not is_text(value):
            self.ctx.wrong_shape(self.path + (key,), value, "text")
            return ""
        return as_text(value)

    def _parsed(self, key: str, parse: Callable[[object], Any], fix: str, required: bool) -> Any:
        value = self.raw(key)
        if value is MISSING:
            if required:
                self.missing(key, fix)
            return None
        try:
            return parse(value)
        except ValueError as exc:
            self.ctx.fail(self.path + (key,), str(exc), fix)
            return None

    def date(self, key: str, *, required: bool = True) -> dt.date | None:
        return self._parsed(key, values.parse_date, values.DATE_HELP, required)

    def time(self, key: str, *, required: bool = True) -> dt.time | None:
        return self._parsed(key, values.parse_time, values.TIME_HELP, required)

    def boolean(self, key: str, default: bool) -> bool:
        result = self._parsed(
            key, values.parse_bool, "Skriv true eller false (ja eller nei).", False
        )
        return default if result is None else result

    def texts(self, key: str, *, required: bool = True) -> tuple[str, ...]:
        """A list of texts: a list, or one text with items split on `;` or line breaks."""
        found, refused = [], len(self.ctx.problems)
        for path, item in self.items(key, "texts"):
            if is_text(item):
                found.append(as_text(item))
            else:
                self.ctx.wrong_shape(path, item, "item")
        if required and not found and len(self.ctx.problems) == refused:
            self.missing(key, "Skriv minst ett punkt.")
        return tuple(found)

    def items(self, key: str, shape: str) -> list[tuple[Path_, object]]:
        """The filled items of a list field, each with its path (its number in the list).

        One text (a spreadsheet cell, `saksliste: Status`) is split on `;` and line breaks;
        anything else that is not a list is reported as the wrong `shape`.
        """
        value = self.raw(key)
        if value is MISSING:
            return []
        path = self.path + (key,)
        if is_text(value):
            return [(path + (i,), item) for i, item in enumerate(values.split_list(value))]
        if not isinstance(value, list):
            self.ctx.wrong_shape(path, value, shape)
            return []
        return [
            (path + (i,), item)
            for i, item in enumerate(value)
            if item is not None and not (isinstance(item, str) and not item.strip())
        ]

    def obj(self, key: str, known: frozenset[str], *, required: bool = True) -> Obj:
        # A missing block is reported once, with its fields. A spreadsheet has no blocks, only
        # rows (`bruker`, `dato`, …): there each missing row is named with its own advice.
        absent = required and not self.has(key) and self.ctx.source.style != "cell"
        if absent:
            self.missing(key, fields_hint(known))
        return Obj(self.ctx, self.path + (key,), self.values.get(key), known, absent=absent)


def fields_hint(known: frozenset[str] | set[str]) -> str:
    return "Feltene her er: " + ", ".join(shown(k) for k in sorted(known)) + "."


def suggest(key: str, known: frozenset[str] | set[str], *, nested: bool = True) -> str:
    """Advice for an unknown key: its right place, the closest known key, or the list."""
    # A field that belongs one level down (`dato` for `mote.dato`) beats a look-alike.
    for parent, children in NESTED.items() if nested else ():
        if parent in known and key in children:
            return f"Mente du «{parent}.{shown(key)}»? Feltet hører hjemme under «{parent}»."
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    if close:
        return f"Mente du «{shown(close[0])}»?"
    return fields_hint(known)
