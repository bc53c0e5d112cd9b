"""One frozen settings object, built at the entry point from `ipdocs.toml` and options.

`ipdocs.toml` is written by coordinators, so its keys are Norwegian (see `ipdocs init`).
Relative folders in it are relative to the file itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import tomllib
import zoneinfo
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError

CONFIG_NAME = "ipdocs.toml"

# «Today» is the day in Norway, wherever the server's clock is set: a document made at 00:30
# Norwegian time is dated that day, also on a server running on UTC.
OSLO = zoneinfo.ZoneInfo("Europe/Oslo")
Clock = Callable[[], dt.datetime]  # now, as an aware datetime


def system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def today_in_oslo(clock: Clock = system_clock) -> dt.date:
    return clock().astimezone(OSLO).date()


@functools.cache  # where the package is does not change while it runs
def bundled_templates() -> Path:
    """The default templates: inside the installed package, or templates/ in a checkout."""
    installed = Path(__file__).with_name("templates")
    if installed.is_dir():
        return installed
    return Path(__file__).resolve().parents[2] / "templates"


@dataclass(frozen=True)
class Municipality:
    name: str = ""
    unit: str = ""  # the coordinating unit (koordinerende enhet)
    phone: str = ""
    email: str = ""
    address: str = ""
    # The contact person at the coordinating unit, for the invitation's contact block (the
    # Risør leaflet lists name, phone and e-mail); phone and e-mail default to the unit's.
    contact_person: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    # The municipality's own word for the coordinator (Risør: «stafettholder»).
    coordinator_word: str = "koordinator"


# What `ipdocs init` writes in [kommune]: a document still signed with one of these was made
# before anyone filled in the municipality.
EXAMPLE = Municipality(
    name="Eksempel kommune",
    unit="Koordinerende enhet",
    phone="00 00 00 00",
    email="post@eksempel.kommune.no",
    address="Rådhusgata 1, 0000 Eksempel",
)
_FIELD_NAMES = {"name": "navn", "unit": "enhet", "phone": "telefon", "email": "epost"}
_FIELD_NAMES |= {"address": "adresse"}


@dataclass(frozen=True)
class Settings:
    municipality: Municipality = field(default_factory=Municipality)
    language: str = "nb"
    inbox: Path = Path("inbox")
    outbox: Path = Path("outbox")
    templates: Path | None = None  # None: the bundled templates
    today: dt.date = field(default_factory=today_in_oslo)  # per command; per file when watching
    pdf: bool = False
    ics: bool = True  # a calendar file (.ics) beside every invitation
    settle_seconds: float = 2.0
    poll_interval: float = 1.0
    rescan_seconds: float = 30.0  # the watcher's full look through the inbox, and retry delay
    config: Path | None = None  # the ipdocs.toml read, if any

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    def template_path(self, kind: str, language: str) -> Path:
        """The municipality's own template if it has one, else the bundled one."""
        name = f"{kind}_{language}.docx"
        if self.templates is not None and (self.templates / name).is_file():
            return self.templates / name
        return bundled_templates() / name

    @classmethod
    def load(cls, config: Path | None = None, **overrides: Any) -> Settings:
        """Read `config`, or ./ipdocs.toml when it exists; options given override it."""
        if config is None and Path(CONFIG_NAME).is_file():
            config = Path(CONFIG_NAME)
        values: dict = {}
        if config is not None:
            values = _from_toml(config)
            values["config"] = config
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)


def sender_warning(settings: Settings) -> str | None:
    """The warning a command that makes documents gives once, before them, when the letters
    would go out without the municipality's own name and numbers; None when all is set."""
    if settings.config is None:
        return (
            f"Fant ingen {CONFIG_NAME} i {Path.cwd()}. Dokumentene får da ingen avsender "
            "(kommune, telefon, e-post og adresse), og outbox/ blir laget her. Gå til mappen "
            f"der {CONFIG_NAME} ligger, bruk --config FIL, eller kjør «ipdocs init» her."
        )
    m = settings.municipality
    example = [
        word
        for name, word in _FIELD_NAMES.items()
        if getattr(m, name) and getattr(m, name) == getattr(EXAMPLE, name)
    ]
    empty = [_FIELD_NAMES[f] for f in ("name", "phone") if not getattr(m, f)]
    if not example and not empty:
        return None
    parts = []
    if example:
        parts.append(f"står fortsatt eksempelet i {_listed(example)}")
    if empty:
        parts.append(f"er {_listed(empty)} tom{'me' if len(empty) > 1 else ''}")
    return (
        f"I {settings.config} under [kommune] {' og '.join(parts)}. Det står på alle "
        "dokumentene: fyll inn kommunens egne opplysninger der."
    )


def _listed(names: list[str]) -> str:
    quoted = [f"«{n}»" for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " og " + quoted[-1]


def _from_toml(path: Path) -> dict:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise ConfigError(f"Fant ikke innstillingsfilen {path}.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Innstillingsfilen {path} har en feil: {exc}") from None
    base = path.resolve().parent
    kommune = data.get("kommune", {})
    folders = data.get("mapper", {})
    watch = data.get("overvaking", data.get("overvåking", {}))
    values: dict = {
        "municipality": Municipality(
            name=str(kommune.get("navn", "")),
            unit=str(kommune.get("enhet", "")),
            phone=str(kommune.get("telefon", "")),
            email=str(kommune.get("epost", "")),
            address=str(kommune.get("adresse", "")),
            contact_person=str(kommune.get("kontaktperson", "")),
            contact_phone=str(kommune.get("kontakt_telefon", "")),
            contact_email=str(kommune.get("kontakt_epost", "")),
            coordinator_word=_word(path, kommune.get("koordinator_ord", "koordinator")),
        )
    }
    lang = str(kommune.get("sprak", kommune.get("språk", "nb"))).strip() or "nb"
    if lang not in ("nb", "nn"):
        raise ConfigError(f"{path}: «sprak» må være nb eller nn, ikke «{lang}».")
    values["language"] = lang
    for key, name in (("inbox", "inbox"), ("outbox", "outbox"), ("templates", "maler")):
        if folders.get(name):
            values[key] = base / folders[name]
    for key, name in (
        ("settle_seconds", "ventetid"),
        ("poll_interval", "intervall"),
        ("rescan_seconds", "gjennomgang"),
    ):
        if name in watch:
            values[key] = _seconds(path, name, watch[name])
    output = data.get("utdata", {})
    for key, names in (("pdf", ("pdf",)), ("ics", ("ics", "kalender"))):
        for name in names:
            if name in output:
                values[key] = _flag(path, name, output[name])
    return values


def _word(path: Path, value: object) -> str:
    """The coordinator's word: one lower-case word («stafettholder»), printed in every document."""
    word = str(value).strip()
    if not word or not all(part.isalpha() for part in word.split("-")) or " " in word:
        raise ConfigError(
            f"{path}: «koordinator_ord» må være ett ord, for eksempel "
            f'koordinator_ord = "stafettholder" (ikke «{value}»).'
        )
    return word.lower()


def _seconds(path: Path, name: str, value: object) -> float:
    """A number of seconds from the [overvaking] section; 0,5 and "0,5" are read too."""
    try:
        number = float(str(value).replace(",", ".")) if not isinstance(value, bool) else -1
    except ValueError:
        number = -1
    if number <= 0:
        raise ConfigError(
            f"{path}: «{name}» må være et antall sekunder større enn 0, for eksempel "
            f"{name} = 2 (ikke «{value}»)."
        )
    return number


def _flag(path: Path, name: str, value: object) -> bool:
    from .readers.values import parse_bool

    try:
        return parse_bool(value)
    except ValueError:
        raise ConfigError(
            f"{path}: «{name}» må være true eller false (ja eller nei), ikke «{value}»."
        ) from None
