"""Meeting notes written as YAML or JSON (FORMATS.md §1) → one raw document.

Notes are small hand-written files, read with care: a size cap, no YAML references (`&`/`*`,
which can make a few hundred bytes expand into gigabytes), and no field written twice (the
last one would silently win, and a copy-paste leftover would file a document under the wrong
case).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

from ..errors import InputError, Problem
from .fields import Path_, describe, normalise_key
from .vocabulary import ALL_KEYS

# Notes are typed by hand: the FORMATS.md examples are under 2 kB, long minutes some 20 kB.
MAX_BYTES = 256 * 1024

_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
# Only true/false are yes/no words for YAML here; `sprak: no` (Norwegian) stays text.
_TRUE_FALSE = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")

_REFERENCE_HELP = (
    "Skriv verdien helt ut der den skal stå. Skal tegnet stå i teksten, sett hele verdien i "
    'anførselstegn, for eksempel «sted: "& Co"».'
)


class _Loader(yaml.SafeLoader):
    """YAML without implicit numbers or dates, and without references.

    YAML 1.1 reads `9:30` as 570 (base 60), `9.30` as 9.3 and a number with a leading 0
    (a fødselsnummer of someone born on the 1st) as octal; every value ipdocs reads is text, a date or yes/no, so numbers stay text. Dates
    stay text too: YAML would crash on `2026-02-30` instead of saying what is wrong, and
    `values.parse_date` reads ISO and Norwegian dates alike. Of YAML 1.1's yes/no words only
    true and false are kept: `no` is also the code for Norwegian.
    """

    def compose_node(self, parent, index):
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:  # `&name` marks a part of the file, `*name` repeats it
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            raise InputError(
                [
                    Problem(
                        _at(event.start_mark),
                        f"«{sign}{anchor}» er en YAML-henvisning til en annen del av filen. "
                        "Slike henvisninger bruker ikke ipdocs.",
                        _REFERENCE_HELP,
                    )
                ]
            )
        return super().compose_node(parent, index)


_Loader.yaml_implicit_resolvers = {
    first: [
        (tag, _TRUE_FALSE if tag == _BOOL else rx)
        for tag, rx in resolvers
        if tag not in (_INT, _FLOAT, _TIMESTAMP)
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _at(mark) -> str:
    return f"linje {mark.line + 1}, tegn {mark.column + 1}"


def read_text(path: Path) -> str:
    with path.open("rb") as file:
        data = file.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise InputError(
            [
                Problem(
                    "filen",
                    f"Filen er større enn {MAX_BYTES // 1024} kB. Møtenotater (YAML eller JSON) "
                    "er små tekstfiler, så ipdocs leser ikke så store filer.",
                    "Sjekk at det er riktig fil. Én fil er ett dokument; mange innkallinger på "
                    "en gang skrives i et Excel-ark (se «ipdocs batch --help»).",
                )
            ]
        )
    text = decode(data)
    _refuse_unprintable(text)
    return text


_ENCODING_HELP = (
    "Lagre filen på nytt som tekst med tegnkoding UTF-8 (i Notisblokk: Lagre som → Koding: "
    "UTF-8). UTF-16 med byte-rekkefølgemerke og Windows-1252 (ANSI) går også."
)


def decode(data: bytes) -> str:
    """Notes as Windows editors save them: UTF-8 (with or without a BOM), UTF-16 with a BOM
    («Unicode» in Notepad), or Windows-1252 («ANSI»). UTF-16 without a BOM is recognised by
    its zero bytes; anything else is refused, never guessed at."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        if data.startswith(b"\xef\xbb\xbf"):
            return data[3:].decode("utf-8")
        if len(data) >= 2 and len(data) % 2 == 0 and b"\x00" in data:
            if not data[1::2].strip(b"\x00") and data[0::2].strip(b"\x00"):
                return data.decode("utf-16-le")
            if not data[0::2].strip(b"\x00") and data[1::2].strip(b"\x00"):
                return data.decode("utf-16-be")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252")
    except UnicodeDecodeError:
        raise InputError(
            [
                Problem(
                    "filen",
                    "Filen er ikke lagret som tekst ipdocs kan lese, så æ, ø og å kan ikke leses.",
                    _ENCODING_HELP,
                )
            ]
        ) from None


# What YAML refuses to read (yaml.reader.Reader.NON_PRINTABLE), and JSON inside strings: control
# characters other than tab and line breaks, lone surrogates, U+FFFE/U+FFFF.
_UNPRINTABLE = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"
)


def _refuse_unprintable(text: str) -> None:
    found = _UNPRINTABLE.search(text)
    if found is None:
        return
    line = text.count("\n", 0, found.start()) + 1
    column = found.start() - (text.rfind("\n", 0, found.start()) + 1) + 1
    code = ord(found.group())
    if b"\x00" in text[: found.start() + 1].encode("utf-8", "surrogatepass"):
        what, fix = "Filen ser ikke ut som en tekstfil (den har nulltegn).", _ENCODING_HELP
    else:
        what = (
            f"Her står et tegn som ikke er tekst (U+{code:04X}). Slike tegn følger ofte med "
            "når tekst limes inn fra et annet program."
        )
        fix = "Slett tegnet (eller skriv linjen på nytt) og lagre filen."
    raise InputError([Problem(f"linje {line}, tegn {column}", what, fix)])


def read_notes(path: Path) -> object:
    return read_notes_as(path)[0]


def read_notes_as(path: Path) -> tuple[object, str]:
    """The raw document and how it was written: "json" or "yaml"."""
    text = read_text(path)
    try:
        if is_json(path, text):
            return _load_json(text), "json"
        return _load_yaml(text), "yaml"
    except RecursionError:
        raise InputError(
            [
                Problem(
                    "filen",
                    "Filen har for mange nivåer inni hverandre til å være møtenotater.",
                    "Sjekk at det er riktig fil. Se eksempelet fra «ipdocs skeleton».",
                )
            ]
        ) from None


def is_json(path: Path, text: str | None = None) -> bool:
    """A .json file, or a .txt one that is JSON (`innkalling.json.txt`, or starting with `{`);
    every other notes file is YAML (`innkalling.yaml.txt` as Notepad saves it)."""
    name = path.name.lower()
    if name.endswith((".json", ".json.txt")):
        return True
    if name.endswith(".txt") and not name.endswith((".yaml.txt", ".yml.txt")) and text:
        return text.lstrip("\ufeff \t\r\n").startswith("{")
    return False


_MAX_DIGITS = 40  # a phone or account number is the longest number notes hold


class _NotANumber(ValueError):
    """JSON's NaN and Infinity: Python reads them, JSON itself does not have them."""


def _load_json(text: str) -> object:
    twice: dict[int, list[str]] = {}  # id of a JSON object → its keys written twice

    def pairs(items: list[tuple[str, object]]) -> dict:
        obj: dict = {}
        seen: set[str] = set()
        for key, value in items:
            norm = normalise_key(key)
            if norm in seen:
                twice.setdefault(id(obj), []).append(norm)
            seen.add(norm)
            obj[key] = value
        return obj

    def constant(name: str) -> object:
        raise _NotANumber(name)

    def integer(digits: str) -> int:
        if len(digits) > _MAX_DIGITS:  # Python refuses to print an int over 4,300 digits
            raise _NotANumber(digits[:12] + "…")
        return int(digits)

    def decimal(digits: str) -> float:
        value = float(digits)
        if len(digits) > _MAX_DIGITS or value in (float("inf"), float("-inf")):
            raise _NotANumber(digits[:12] + ("…" if len(digits) > 12 else ""))
        return value

    try:
        data = json.loads(
            text,
            object_pairs_hook=pairs,
            parse_constant=constant,
            parse_int=integer,
            parse_float=decimal,
        )
    except _NotANumber as exc:
        raise InputError(
            [
                Problem(
                    "filen",
                    f"Filen har verdien «{exc}», som ikke er et tall eller en tekst.",
                    "Skriv en vanlig verdi i anførselstegn, eller fjern feltet.",
                )
            ]
        ) from None
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
    if twice:
        problems = [
            Problem(describe(path + (key,)), "Feltet står to ganger.", _TWICE_HELP)
            for path, obj in _objects(data, ())
            for key in twice.get(id(obj), ())
        ]
        raise InputError(problems)
    return data


_TWICE_HELP = "Fjern det ene, så det er klart hvilken verdi som gjelder."


def _objects(value: object, path: Path_):
    """Every JSON object in `value`, with its path, outermost first."""
    if isinstance(value, dict):
        yield path, value
        for key, item in value.items():
            yield from _objects(item, path + (normalise_key(key),))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _objects(item, path + (index,))


def _load_yaml(text: str) -> object:
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
            if node is None:
                return None
            problems = _tidy(node, ())
            if problems:
                raise InputError(problems)
            return loader.construct_document(node)
        except yaml.YAMLError as exc:
            raise InputError([_yaml_problem(exc)]) from None
        except (ValueError, KeyError, TypeError, OverflowError):
            # A value YAML's own constructors choke on (tags are refused above, so this is a
            # safety net, not a path any known input takes).
            raise InputError(
                [Problem("filen", "Filen kan ikke leses som YAML.", _TAG_HELP)]
            ) from None
    finally:
        loader.dispose()


def _yaml_problem(exc: yaml.YAMLError) -> Problem:
    mark = getattr(exc, "problem_mark", None)
    where = _at(mark) if mark else "filen"
    context = str(getattr(exc, "context", "") or "")
    if "alias" in context or "anchor" in context:  # `sted: & Co`, `- *viktig* sak`
        return Problem(
            where,
            "Filen kan ikke leses som YAML: «&» og «*» først i en verdi betyr noe spesielt.",
            _REFERENCE_HELP,
        )
    return Problem(
        where,
        "Filen kan ikke leses som YAML.",
        "Sjekk innrykket (mellomrom, ikke tabulator), kolon etter hvert feltnavn, og "
        "sett tekst med kolon eller # i anførselstegn.",
    )


# Tags a node may carry: what the loader itself gives text, yes/no, empty, lists and fields.
# Any other (`!!int`, `!!timestamp`, `!!binary`, `!ukjent`) was written in the file.
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "null", "bool", "map", "seq")
)
_MERGE = "tag:yaml.org,2002:merge"
_TAG_HELP = (
    "Skriv verdien som vanlig tekst uten YAML-merker som «!!int» eller «!!timestamp» foran; "
    "ipdocs leser datoer og tall selv."
)


def _tag_problem(node: yaml.Node) -> Problem | None:
    if node.tag in _PLAIN_TAGS:
        return None
    if node.tag == _MERGE:
        return Problem(
            _at(node.start_mark),
            "«<<» er en YAML-fletting av felt fra en annen del av filen. Det bruker ikke ipdocs.",
            "Skriv feltene helt ut der de skal stå.",
        )
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    return Problem(
        _at(node.start_mark),
        f"Verdien har YAML-merket «{tag[:40]}», som ipdocs ikke bruker.",
        _TAG_HELP,
    )


def _tidy(node: yaml.Node, path: Path_) -> list[Problem]:
    """Put back commas in one-line mappings, find fields written twice (with their line), and
    refuse YAML's tags and merge keys (`!!timestamp 2026-99-99`, `!!int` with a thousand digits,
    `<<:`): ipdocs reads every value itself."""
    tagged = _tag_problem(node)
    if tagged is not None:
        return [tagged]
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        if node.flow_style:
            node.value = _rejoin_commas(node.value)
        first_line: dict[str, int] = {}
        for key, value in node.value:
            tagged = _tag_problem(key)
            if tagged is not None:
                problems.append(tagged)
                continue
            norm = normalise_key(key.value) if isinstance(key, yaml.ScalarNode) else ""
            line = key.start_mark.line + 1
            if norm and norm in first_line:
                problems.append(
                    Problem(
                        f"linje {line}, {describe(path + (norm,))}",
                        f"Feltet står to ganger (første gang på linje {first_line[norm]}).",
                        _TWICE_HELP,
                    )
                )
            elif norm:
                first_line[norm] = line
            problems += _tidy(value, path + (norm,))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            problems += _tidy(item, path + (index,))
    return problems


def _rejoin_commas(pairs: list) -> list:
    """Put back text that a one-line `{...}` mapping split at a comma.

    In `{sted: Rådhuset, møterom 2}` YAML reads `møterom 2` as a key without a value. A plain
    key with no value that is not a field name, right after a plain text value, is the rest of
    that text: `sted` becomes "Rådhuset, møterom 2" (FORMATS.md writes it so).
    """
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
