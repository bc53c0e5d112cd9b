"""Meeting notes written as YAML or JSON (FORMATS.md §1) → one raw document."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from ..errors import InputError, Problem

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(yaml.SafeLoader):
    """YAML without implicit numbers or dates.

    YAML 1.1 reads `9:30` as 570 (base 60), `9.30` as 9.3 and `01017012345` as an octal
    number; every value ipdocs reads is text, a date or yes/no, so numbers stay text. Dates
    stay text too: YAML would crash on `2026-02-30` instead of saying what is wrong, and
    `values.parse_date` reads ISO and Norwegian dates alike.
    """

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode) and node.flow_style:
            node.value = _rejoin_commas(node.value)
        return super().construct_mapping(node, deep=deep)


def _rejoin_commas(pairs: list) -> list:
    """Put back text that a one-line `{...}` mapping split at a comma.

    In `{sted: Rådhuset, møterom 2}` YAML reads `møterom 2` as a key without a value. A plain
    key with no value that is not a field name, right after a plain text value, is the rest of
    that text: `sted` becomes "Rådhuset, møterom 2" (FORMATS.md writes it so).
    """
    from .mapping import ALL_KEYS, normalise_key

    kept: list = []
    for key, value in pairs:
        previous = kept[-1][1] if kept else None
        if (
            isinstance(key, yaml.ScalarNode)
            and key.style is None
            and isinstance(value, yaml.ScalarNode)
            and value.tag == "tag:yaml.org,2002:null"
            and value.value in ("", "~", "null")
            and normalise_key(key.value) not in ALL_KEYS
            and isinstance(previous, yaml.ScalarNode)
            and previous.tag == "tag:yaml.org,2002:str"
        ):
            previous.value = f"{previous.value}, {key.value}"
            continue
        kept.append((key, value))
    return kept


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in (_INT, _FLOAT, _TIMESTAMP)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_text(path: Path) -> str:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            [
                Problem(
                    "filen",
                    "Filen er ikke lagret som UTF-8, så æ, ø og å kan ikke leses.",
                    "Lagre filen på nytt med tegnkoding UTF-8.",
                )
            ]
        ) from None


def read_notes(path: Path) -> object:
    text = read_text(path)
    if path.suffix.lower() == ".json":
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(
                [
                    Problem(
                        f"linje {exc.lineno}, tegn {exc.colno}",
                        "Filen kan ikke leses som JSON.",
                        "Sjekk komma, anførselstegn og klammer rundt dette stedet.",
                    )
                ]
            ) from None
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"linje {mark.line + 1}, tegn {mark.column + 1}" if mark else "filen"
        raise InputError(
            [
                Problem(
                    where,
                    "Filen kan ikke leses som YAML.",
                    "Sjekk innrykket (mellomrom, ikke tabulator), kolon etter hvert feltnavn, og "
                    "sett tekst med kolon eller # i anførselstegn.",
                )
            ]
        ) from None
