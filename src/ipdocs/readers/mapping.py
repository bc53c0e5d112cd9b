"""Raw input (nested dicts from any reader) → validated domain model.

This is the one place where the Norwegian field names of FORMATS.md meet the English names of
`model.py`. Every problem found is collected, so a coordinator sees all of them at once; each
names the place (the reader's `Source` turns a field path into "feltet «mote.dato»" or
"cellen Møte!B4"), what is wrong and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .. import casekey, fnr, language
from ..errors import FNR_LIKE, Notice, Problem
from ..model import (
    DOCUMENT_KINDS,
    LANGUAGES,
    Action,
    Consent,
    Coordinator,
    Document,
    Invitation,
    Meeting,
    Minutes,
    NextMeeting,
    Participant,
    Person,
    PowerOfAttorney,
)
from . import values

Path_ = tuple[str | int, ...]

# Keys are compared lower-case with æ/ø/å written ae/o/aa (FORMATS.md: `mål` = `maal`).
_ALIASES = {
    "formaal": "formal",
    "spraak": "sprak",
    "fnr": "fodselsnummer",
    "foedselsnummer": "fodselsnummer",
    "personnummer": "fodselsnummer",
    "moete": "mote",
    "neste_moete": "neste_mote",
    "nasituasjon": "naasituasjon",
    "mal": "maal",
    "overfoering_ved_flytting": "overforing_ved_flytting",
}
# How a key is shown back to the user: the way the forms spell it.
_SHOWN = {"maal": "mål", "naasituasjon": "nåsituasjon"}

PERSON = frozenset({"navn", "adresse", "fodselsnummer"})
COORDINATOR = frozenset({"navn", "tjeneste", "telefon", "epost"})
MEETING = frozenset({"dato", "fra", "til", "sted", "tolk"})
PARTICIPANT = frozenset({"navn", "rolle", "fast"})
ACTION = frozenset({"tiltak", "ansvar", "frist"})
NEXT_MEETING = frozenset({"dato", "fra", "til", "sted", "deltakere"})
SIGNER = frozenset({"navn", "rolle", "fodselsnummer", "adresse"})
_COMMON = frozenset({"dokument", "sak", "sprak"})

TOP_LEVEL: dict[str, frozenset[str]] = {
    "innkalling": _COMMON
    | {"bruker", "koordinator", "mote", "deltakere", "saksliste", "svarfrist", "sendt"},
    "referat": _COMMON
    | {
        "bruker",
        "koordinator",
        "referent",
        "mote",
        "deltakere",
        "foresatte",
        "naasituasjon",
        "brukers_stemme",
        "maal",
        "tiltak",
        "neste_mote",
    },
    "samtykke": _COMMON
    | {
        "bruker",
        "gjelder",
        "opplysninger",
        "mottakere",
        "formal",
        "gyldig_fra",
        "gyldig_til",
        "overforing_ved_flytting",
        "underskriver",
    },
    "fullmakt": _COMMON | {"fullmaktsgiver", "fullmektig", "gjelder", "fra", "til", "dato"},
}
ALL_KEYS = frozenset().union(
    *TOP_LEVEL.values(), PERSON, COORDINATOR, MEETING, PARTICIPANT, ACTION, NEXT_MEETING, SIGNER
)
# Which keys an object at a top-level key holds, to suggest `mote.dato` for a stray `dato`.
_NESTED = {
    "bruker": PERSON,
    "koordinator": COORDINATOR,
    "mote": MEETING,
    "neste_mote": NEXT_MEETING,
    "fullmaktsgiver": PERSON,
    "fullmektig": PERSON,
    "underskriver": SIGNER,
}

# Advice for a missing value, by the field's place ("mote.fra": list numbers left out), or
# "kind:place" where a document uses the name for something else (a fullmakt's `fra` is a
# date, a meeting's `fra` a time). Date fields show a date, time fields a time.
_MISSING_HELP = {
    "sak": "Skriv saksnøkkelen, for eksempel IP-2026-0042.",
    "bruker.navn": "Skriv navnet på personen det gjelder.",
    "koordinator.navn": "Skriv navnet på koordinatoren.",
    "koordinator.telefon": "Skriv telefonnummeret deltakerne skal ringe for å si om de kommer.",
    "mote.dato": "Skriv datoen for møtet, for eksempel 03.12.2026.",
    "mote.fra": "Skriv når møtet begynner, for eksempel 09:00.",
    "mote.til": "Skriv når møtet slutter, for eksempel 10:30.",
    "mote.sted": "Skriv hvor møtet er.",
    "mote.tolk.sprak": "Skriv språket tolken skal tolke til, for eksempel arabisk, eller fjern "
    "«tolk» når det ikke skal være tolk.",
    "innkalling:deltakere": "Skriv hvem som skal delta, med navn og rolle.",
    "referat:deltakere": "Skriv hvem som var med på møtet, med navn og rolle.",
    "deltakere.navn": "Skriv navnet på deltakeren.",
    "foresatte.navn": "Skriv navnet på den foresatte eller vergen.",
    "saksliste": "Skriv sakene som skal tas opp på møtet, minst én.",
    "referent": "Skriv hvem som skrev referatet.",
    "tiltak.tiltak": "Skriv hva som skal gjøres.",
    "tiltak.ansvar": "Skriv hvem som har ansvaret for tiltaket.",
    "tiltak.frist": "Skriv innen hvilken dato tiltaket skal være gjort, for eksempel 15.01.2027.",
    "neste_mote.dato": "Skriv datoen for neste møte, for eksempel 04.03.2027.",
    "samtykke:gjelder": "Skriv hva samtykket gjelder, for eksempel ansvarsgruppe og "
    "individuell plan.",
    "opplysninger": "Skriv hvilke opplysninger som kan deles.",
    "mottakere": "Skriv hvem opplysningene kan deles med, minst én.",
    "formal": "Skriv hva opplysningene skal brukes til.",
    "gyldig_fra": "Skriv datoen samtykket gjelder fra, for eksempel 03.12.2026.",
    "gyldig_til": "Skriv datoen samtykket gjelder til, for eksempel 03.12.2027.",
    "underskriver.navn": "Skriv navnet på den som skriver under.",
    "underskriver.rolle": "Skriv hvem den som skriver under er for personen, for eksempel verge "
    "eller mor.",
    "fullmaktsgiver.navn": "Skriv navnet på den som gir fullmakten.",
    "fullmektig.navn": "Skriv navnet på den som får fullmakten.",
    "fullmakt:gjelder": "Skriv hva fullmakten gjelder, for eksempel NAV trygd.",
    "fullmakt:fra": "Skriv datoen fullmakten gjelder fra, for eksempel 03.12.2026.",
    "fullmakt:til": "Skriv datoen fullmakten gjelder til, for eksempel 03.03.2027.",
    "fullmakt:dato": "Skriv datoen fullmakten blir skrevet under, for eksempel 03.12.2026.",
}


def normalise_key(key: object) -> str:
    text = str(key).strip().casefold().replace(" ", "_").replace("-", "_")
    text = text.replace("æ", "ae").replace("ø", "o").replace("å", "aa")
    return _ALIASES.get(text, text)


def shown(key: str) -> str:
    return _SHOWN.get(key, key)


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
class _Ctx:
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
        words, fixes = _SHAPES[expected]
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
        return _MISSING_HELP.get(f"{self.kind}:{place}") or _MISSING_HELP.get(place, "")


# What a field holds (in words), and how to write it in each style of input.
_LIST_HELP = {
    "yaml": "Skriv ett punkt per linje, med «- » foran.",
    "json": 'Skriv punktene som en liste, for eksempel ["Status", "Søknad om avlastning"].',
    "cell": "Skriv punktene i cellen, skilt med semikolon (;) eller linjeskift.",
}
_PEOPLE_HELP = {
    "yaml": "Skriv hver person på en egen linje med «- » foran, for eksempel "
    "«- {navn: Per Olsen, rolle: Fastlege}».",
    "json": 'Skriv personene som en liste, for eksempel [{"navn": "Per Olsen", "rolle": '
    '"Fastlege"}].',
    "cell": "Skriv personene som Navn (Rolle), skilt med semikolon (;), for eksempel "
    "Per Olsen (Fastlege).",
}
_ACTIONS_HELP = {
    "yaml": "Skriv hvert tiltak på en egen linje med «- » foran, for eksempel "
    "«- {tiltak: Søke om avlastning, ansvar: Koordinator, frist: 15.01.2027}».",
    "json": 'Skriv tiltakene som en liste, for eksempel [{"tiltak": "Søke om avlastning", '
    '"ansvar": "Koordinator", "frist": "15.01.2027"}].',
    "cell": "Skriv ett tiltak per rad i arket «Tiltak», med tiltak, ansvar og frist.",
}
LANGUAGE_HELP = {
    "yaml": "Skriv språket, for eksempel «tolk: arabisk». Trengs det flere språk, skriv dem i "
    "samme tekst: «tolk: arabisk og somali».",
    "json": 'Skriv språket, for eksempel "tolk": "arabisk".',
    "cell": "Skriv språket i cellen, for eksempel arabisk. La cellen stå tom når det ikke skal "
    "være tolk.",
}
_SHAPES: dict[str, tuple[str, dict[str, str]]] = {
    "text": (
        "en tekst",
        {
            "yaml": "Skriv teksten på samme linje, etter kolonet.",
            "json": 'Skriv teksten i anførselstegn, for eksempel "Rådhuset".',
            "cell": "Skriv teksten i cellen.",
        },
    ),
    "texts": ("en liste med tekst", _LIST_HELP),
    "item": ("én tekst", _LIST_HELP | {"cell": "Skriv teksten i cellen."}),
    "people": ("en liste over personer", _PEOPLE_HELP),
    "person": ("én person med navn og rolle", _PEOPLE_HELP),
    "actions": ("en liste over tiltak", _ACTIONS_HELP),
    "action": ("ett tiltak med tiltak, ansvar og frist", _ACTIONS_HELP),
    "language": ("språket tolken skal tolke til", LANGUAGE_HELP),
}


def _is_text(value: object) -> bool:
    """A value that can stand as text: text, or a number from a spreadsheet cell (a phone
    number typed as a number). Not yes/no, a date, fields or a list."""
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _as_text(value: str | int | float) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


_MISSING = object()


class _Obj:
    """A mapping in the input, with keys normalised and unknown keys reported."""

    def __init__(
        self, ctx: _Ctx, path: Path_, raw: object, known: frozenset[str], *, absent: bool = False
    ):
        self.ctx, self.path = ctx, path
        # A required block that is missing was reported once; its fields are not reported again.
        self.absent = absent
        self.values: dict[str, Any] = {}
        if raw is None:
            return
        if not isinstance(raw, dict):
            ctx.fail(path, "Her skulle det stått flere felt under hverandre.", _fields_hint(known))
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
        value = self.values.get(key, _MISSING)
        if value is None or (isinstance(value, str) and not value.strip()):
            return _MISSING
        return value

    def has(self, key: str) -> bool:
        return self.raw(key) is not _MISSING

    def missing(self, key: str, fix: str = "") -> None:
        """Report a missing field, with the advice for its place (or `fix` when none)."""
        if self.absent:
            return
        path = self.path + (key,)
        self.ctx.fail(path, "Feltet mangler eller er tomt.", self.ctx.missing_help(path) or fix)

    def text(self, key: str, *, required: bool = True) -> str:
        value = self.raw(key)
        if value is _MISSING:
            if required:
                self.missing(key)
            return ""
        if not _is_text(value):
            self.ctx.wrong_shape(self.path + (key,), value, "text")
            return ""
        return _as_text(value)

    def _parsed(self, key: str, parse: Callable[[object], Any], fix: str, required: bool) -> Any:
        value = self.raw(key)
        if value is _MISSING:
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
            if _is_text(item):
                found.append(_as_text(item))
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
        if value is _MISSING:
            return []
        path = self.path + (key,)
        if _is_text(value):
            return [(path + (i,), item) for i, item in enumerate(values.split_list(value))]
        if not isinstance(value, list):
            self.ctx.wrong_shape(path, value, shape)
            return []
        return [
            (path + (i,), item)
            for i, item in enumerate(value)
            if item is not None and not (isinstance(item, str) and not item.strip())
        ]

    def obj(self, key: str, known: frozenset[str], *, required: bool = True) -> _Obj:
        # A missing block is reported once, with its fields. A spreadsheet has no blocks, only
        # rows (`bruker`, `dato`, …): there each missing row is named with its own advice.
        absent = required and not self.has(key) and self.ctx.source.style != "cell"
        if absent:
            self.missing(key, _fields_hint(known))
        return _Obj(self.ctx, self.path + (key,), self.values.get(key), known, absent=absent)


def _fields_hint(known: frozenset[str] | set[str]) -> str:
    return "Feltene her er: " + ", ".join(shown(k) for k in sorted(known)) + "."


def suggest(key: str, known: frozenset[str] | set[str], *, nested: bool = True) -> str:
    """Advice for an unknown key: its right place, the closest known key, or the list."""
    # A field that belongs one level down (`dato` for `mote.dato`) beats a look-alike.
    for parent, children in _NESTED.items() if nested else ():
        if parent in known and key in children:
            return f"Mente du «{parent}.{shown(key)}»? Feltet hører hjemme under «{parent}»."
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    if close:
        return f"Mente du «{shown(close[0])}»?"
    return _fields_hint(known)


# --- building the model ---------------------------------------------------------------


def build_document(
    raw: object, source: Source, *, today: dt.date, default_language: str = "nb"
) -> tuple[Document | None, list[Problem], list[Notice]]:
    """Validate one input document. Returns the model, or None with the problems found."""
    ctx = _Ctx(source=source, today=today, default_language=default_language)
    if raw is None:
        ctx.fail((), "Filen er tom.", "Fyll den ut, for eksempel fra «ipdocs skeleton».")
        return None, ctx.problems, ctx.notices
    if not isinstance(raw, dict):
        ctx.fail(
            (),
            "Filen inneholder ikke felt med navn og verdi.",
            "Se eksempelet fra «ipdocs skeleton».",
        )
        return None, ctx.problems, ctx.notices
    kinds = ", ".join(DOCUMENT_KINDS)
    kind_raw = next((v for k, v in raw.items() if normalise_key(k) == "dokument"), None)
    if kind_raw is None or not str(kind_raw).strip():
        ctx.fail(("dokument",), "Feltet mangler.", f"Skriv hvilket dokument det er: {kinds}.")
        return None, ctx.problems, ctx.notices
    kind = str(kind_raw).strip().casefold()
    if kind not in DOCUMENT_KINDS:
        close = difflib.get_close_matches(kind, list(DOCUMENT_KINDS), n=1, cutoff=0.6)
        hint = f"Mente du «{close[0]}»?" if close else f"Skriv et av disse: {kinds}."
        ctx.fail(("dokument",), f"«{kind_raw}» er ikke et dokument ipdocs lager.", hint)
        return None, ctx.problems, ctx.notices
    ctx.kind = kind
    top = _Obj(ctx, (), raw, TOP_LEVEL[kind])
    common = {"case": _case(top), "language": _language(top)}
    document = _BUILDERS[kind](top, common)
    _stray_identity_numbers(ctx, raw)
    if ctx.problems:
        return None, ctx.problems, ctx.notices
    return document, [], ctx.notices


def _stray_identity_numbers(ctx: _Ctx, value: object, path: Path_ = ()) -> None:
    """A fødselsnummer belongs in a «fodselsnummer» field (consent, fullmakt), nowhere else:
    written into a name, a note or a list, it would be printed on a letter many people read.
    Only numbers that pass the full check count (an account number rarely does)."""
    if isinstance(value, dict):
        for key, item in value.items():
            name = normalise_key(key)
            if name not in ("fodselsnummer", "sak"):  # both checked where they are read
                _stray_identity_numbers(ctx, item, (*path, name))
    elif isinstance(value, list):
        for number, item in enumerate(value):
            _stray_identity_numbers(ctx, item, (*path, number))
    elif isinstance(value, str | int) and not isinstance(value, bool):
        if any(_is_identity_number(f, ctx.today) for f in FNR_LIKE.findall(str(value))):
            ctx.fail(
                path,
                "Her står det noe som ser ut som et fødselsnummer.",
                "Et fødselsnummer skal bare stå i feltet «fodselsnummer» i samtykke og "
                "fullmakt, ikke i navn, tekst eller lister: dokumentene leses av mange. Fjern "
                "nummeret.",
            )


def _is_identity_number(text: str, today: dt.date) -> bool:
    try:
        fnr.check(text, today=today)
    except fnr.InvalidNumber:
        return False
    return True


def _case(top: _Obj) -> str:
    sak = unicodedata.normalize("NFC", top.text("sak"))
    if not sak:
        return ""
    wrong = casekey.problem(sak, where=top.ctx.source.where(("sak",)))
    if wrong is not None:
        top.ctx.fail(("sak",), wrong.what, wrong.fix)
    return sak


def _language(top: _Obj) -> str:
    value = top.text("sprak", required=False).casefold()
    value = {"bokmål": "nb", "bokmaal": "nb", "nynorsk": "nn", "no": "nb"}.get(value, value)
    if not value:
        return top.ctx.default_language
    if value not in LANGUAGES:
        top.ctx.fail(
            ("sprak",),
            f"«{value}» er ikke et språk ipdocs kan skrive.",
            "Skriv nb (bokmål) eller nn (nynorsk).",
        )
        return top.ctx.default_language
    return value


def _person(obj: _Obj, *, address: bool = True) -> Person:
    checked = None
    if obj.has("fodselsnummer"):
        try:
            checked = fnr.check(str(obj.raw("fodselsnummer")), today=obj.ctx.today)
        except fnr.InvalidNumber as exc:
            obj.ctx.fail(obj.path + ("fodselsnummer",), f"Fødselsnummeret er ikke gyldig. {exc}")
        else:
            if checked.synthetic:
                obj.ctx.notices.append(
                    Notice(
                        f"Fødselsnummeret i {describe(obj.path + ('fodselsnummer',))} er et "
                        "syntetisk testnummer. Det er bare til prøving og hører ikke til en ekte person."
                    )
                )
    return Person(
        name=obj.text("navn"),
        address=obj.text("adresse", required=False) if address else "",
        national_id=checked.digits if checked else None,
        synthetic_id=bool(checked and checked.synthetic),
    )


def _coordinator(obj: _Obj, *, phone_required: bool) -> Coordinator:
    return Coordinator(
        name=obj.text("navn"),
        phone=obj.text("telefon", required=phone_required),
        service=obj.text("tjeneste", required=False),
        email=obj.text("epost", required=False),
    )


def _interpreter(obj: _Obj) -> str | None:
    value = obj.raw("tolk")
    if value is _MISSING or value is False:
        return None
    path = obj.path + ("tolk",)
    if isinstance(value, dict):
        lang = _Obj(obj.ctx, path, value, frozenset({"sprak"})).text("sprak")
        return lang or None
    if not (value is True or isinstance(value, str)):
        obj.ctx.wrong_shape(path, value, "language")
        return None
    text = value.strip() if isinstance(value, str) else ""
    if value is True or text.casefold() in {"ja", "true", "yes", "x"}:
        obj.ctx.fail(
            path,
            "Det står at det skal være tolk, men ikke hvilket språk.",
            LANGUAGE_HELP[obj.ctx.source.style],
        )
        return None
    if text.casefold() in {"nei", "false", "no", "ingen"}:
        return None
    return text


def _meeting(obj: _Obj) -> Meeting | None:
    day, start, end = obj.date("dato"), obj.time("fra"), obj.time("til")
    place, interpreter = obj.text("sted"), _interpreter(obj)
    if start and end and end <= start:
        obj.ctx.fail(
            obj.path + ("til",), "Møtet slutter før det begynner.", "Sjekk «fra» og «til»."
        )
        return None
    if not (day and start and end):
        return None
    return Meeting(date=day, starts_at=start, ends_at=end, place=place, interpreter=interpreter)


def _participants(top: _Obj, key: str, *, required: bool) -> tuple[Participant, ...]:
    found, refused = [], len(top.ctx.problems)
    for path, item in top.items(key, "people"):
        if isinstance(item, dict):
            obj = _Obj(top.ctx, path, item, PARTICIPANT)
            found.append(
                Participant(
                    obj.text("navn"), obj.text("rolle", required=False), obj.boolean("fast", True)
                )
            )
        elif _is_text(item):
            name, role = values.split_participant(_as_text(item))
            found.append(Participant(name, role))
        else:
            top.ctx.wrong_shape(path, item, "person")
    if required and not found and len(top.ctx.problems) == refused:
        top.missing(key, "Skriv hvem som skal delta, med navn og rolle.")
    return tuple(found)


def _actions(top: _Obj) -> tuple[Action, ...]:
    found = []
    for path, item in top.items("tiltak", "actions"):
        if not (isinstance(item, dict) or _is_text(item)):
            top.ctx.wrong_shape(path, item, "action")
            continue
        obj = _Obj(top.ctx, path, item if isinstance(item, dict) else {"tiltak": item}, ACTION)
        what, owner, deadline = obj.text("tiltak"), obj.text("ansvar"), obj.date("frist")
        if what and owner and deadline:
            found.append(Action(what=what, owner=owner, deadline=deadline))
    return tuple(found)


def _next_meeting(top: _Obj) -> NextMeeting | None:
    if not top.has("neste_mote"):
        return None
    obj = top.obj("neste_mote", NEXT_MEETING)
    day = obj.date("dato")
    start, end = obj.time("fra", required=False), obj.time("til", required=False)
    if start and end and end <= start:
        obj.ctx.fail(
            obj.path + ("til",), "Møtet slutter før det begynner.", "Sjekk «fra» og «til»."
        )
    if day is None:
        return None
    return NextMeeting(
        date=day,
        starts_at=start,
        ends_at=end,
        place=obj.text("sted", required=False),
        participants=obj.texts("deltakere", required=False),
    )


def _invitation(top: _Obj, common: dict) -> Invitation | None:
    meeting = _meeting(top.obj("mote", MEETING))
    document = dict(
        person=_person(top.obj("bruker", PERSON)),
        coordinator=_coordinator(top.obj("koordinator", COORDINATOR), phone_required=True),
        participants=_participants(top, "deltakere", required=True),
        agenda=top.texts("saksliste"),
        reply_by=top.date("svarfrist", required=False),
        sent_on=top.date("sendt", required=False) or top.ctx.today,
    )
    if meeting is None:
        return None
    # Two dates that contradict each other are refused. Without «sendt» (today) a meeting in
    # the past only gives a warning (rules.py): the contract's examples carry fixed dates and
    # must keep working, and an invitation may be made afterwards for the record.
    if top.has("sendt") and meeting.date < document["sent_on"]:
        _meeting_before_sending(top, meeting.date, document["sent_on"])
        return None
    reply_by = document["reply_by"]
    if reply_by and reply_by > meeting.date:
        top.ctx.fail(
            ("svarfrist",), "Svarfristen er etter møtet.", "Sett en svarfrist før møtedatoen."
        )
    elif reply_by and top.has("sendt") and reply_by < document["sent_on"]:
        top.ctx.fail(
            ("svarfrist",),
            f"Svarfristen ({language.date(reply_by)}) er før innkallingen sendes "
            f"({language.date(document['sent_on'])}), så ingen rekker å svare.",
            "Sett en svarfrist mellom datoen i «sendt» og møtedatoen.",
        )
    return Invitation(meeting=meeting, **common, **document)


def _meeting_before_sending(top: _Obj, day: dt.date, sent_on: dt.date) -> None:
    what = (
        f"Møtet er {language.date(day)}, før innkallingen sendes ({language.date(sent_on)}). "
        "En innkalling sendes før møtet."
    )
    top.ctx.fail(("mote", "dato"), what, "Sjekk datoen for møtet og datoen i «sendt».")


def _minutes(top: _Obj, common: dict) -> Minutes | None:
    meeting = _meeting(top.obj("mote", MEETING))
    document = dict(
        person=_person(top.obj("bruker", PERSON)),
        coordinator=_coordinator(top.obj("koordinator", COORDINATOR), phone_required=False),
        minute_taker=top.text("referent"),
        participants=_participants(top, "deltakere", required=True),
        guardians=_participants(top, "foresatte", required=False),
        situation=top.text("naasituasjon", required=False),
        user_voice=top.text("brukers_stemme", required=False),
        goals=top.texts("maal", required=False),
        actions=_actions(top),
        next_meeting=_next_meeting(top),
    )
    if meeting is None:
        return None
    return Minutes(meeting=meeting, **common, **document)


def _consent(top: _Obj, common: dict) -> Consent | None:
    person = _person(top.obj("bruker", PERSON))
    signer, signer_role = None, ""
    if top.has("underskriver"):
        obj = top.obj("underskriver", SIGNER)
        signer = _person(obj)
        signer_role = obj.text("rolle", required=True)
    valid_from, valid_to = top.date("gyldig_fra"), top.date("gyldig_til")
    if valid_from and valid_to and valid_to <= valid_from:
        top.ctx.fail(
            ("gyldig_til",),
            "Samtykket slutter å gjelde før det begynner.",
            "Sjekk «gyldig_fra» og «gyldig_til».",
        )
    document = dict(
        covers=top.texts("gjelder"),
        information=top.text("opplysninger"),
        recipients=top.texts("mottakere"),
        purpose=top.text("formal"),
        covers_transfer=top.boolean("overforing_ved_flytting", False),
    )
    if valid_from is None or valid_to is None:
        return None
    return Consent(
        person=person,
        signer=signer,
        signer_role=signer_role,
        valid_from=valid_from,
        valid_to=valid_to,
        **common,
        **document,
    )


def _power_of_attorney(top: _Obj, common: dict) -> PowerOfAttorney | None:
    grantor = _person(top.obj("fullmaktsgiver", PERSON))
    agent = _person(top.obj("fullmektig", PERSON))
    scope = top.text("gjelder")
    start, end, signed = top.date("fra"), top.date("til"), top.date("dato")
    if start and end and end <= start:
        top.ctx.fail(("til",), "Fullmakten slutter før den begynner.", "Sjekk «fra» og «til».")
    if not (start and end and signed):
        return None
    return PowerOfAttorney(
        grantor=grantor,
        agent=agent,
        scope=scope,
        valid_from=start,
        valid_to=end,
        signed_on=signed,
        **common,
    )


_BUILDERS = {
    "innkalling": _invitation,
    "referat": _minutes,
    "samtykke": _consent,
    "fullmakt": _power_of_attorney,
}
