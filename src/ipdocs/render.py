"""Domain model → filled Word document, with docxtpl.

The templates see Norwegian field names (templates/README.md lists them) holding ready-made
text: dates as 03.12.2026, times as kl. 09.00–10.30. Rendering is safe by construction:
autoescape (a `&` or `<` in data stays text), a sandboxed Jinja environment (a template edited
on a shared folder cannot reach Python internals) and strict undefined (a tag naming an
unknown field fails with the template and tag named, never a silent blank).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import jinja2
from lxml import etree

from . import fnr, language, reference, sandbox
from .errors import TemplateError
from .model import (
    Consent,
    Coordinator,
    Document,
    Invitation,
    Meeting,
    Minutes,
    Participant,
    Person,
    PowerOfAttorney,
)
from .prepared import (
    BrokenOutput,
    NotPreparable,
    PreparedTemplate,
    StrictDocxTemplate,
    needs_plain_docxtpl,
    pictures_in_headers_and_footers,
    set_times,
)
from .sandbox import LimitedEnvironment, TemplateLimit
from .settings import Settings

MAX_TEMPLATE_BYTES = 64 * 2**20  # unpacked; the bundled templates are under 1 MB


def jinja_env() -> LimitedEnvironment:
    """Sandboxed, strict, autoescaped, and limited (sandbox.py)."""
    return sandbox.environment()


def footer_reference(document: Document) -> str:
    """The footer line a coordinator names the signed scan after."""
    return f"{document.case} · {document.kind} · {language.date(document.document_date)}"


def output_name(document: Document, suffix: str = ".docx") -> str:
    cancelled = "_avlyst" if getattr(document, "cancelled", False) else ""
    return f"{document.document_date.isoformat()}_{document.kind}{cancelled}{suffix}"


def render_document(
    document: Document,
    settings: Settings,
    *,
    made_at: dt.datetime | None = None,
    ref: str = "",
) -> bytes:
    """The filled Word document; its created and modified times are `made_at` (now); with
    `ref` (its document id) the footer's QR code carries it."""
    path = settings.template_path(document.kind, document.language)
    template = load_template(path)
    images = None
    if ref and template.has_picture(reference.QR_PICTURE):
        code = reference.Reference(document.case, document.kind, document.document_date, ref)
        images = {reference.QR_PICTURE: reference.qr_png(code)}
    return template.render(
        context(document, settings, ref=ref),
        made_at=made_at or dt.datetime.now(dt.UTC),
        images=images,
    )


class DocumentTemplate:
    """One Word template, read once, prepared once (prepared.py) and rendered many times."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self.data = path.read_bytes()
            with zipfile.ZipFile(io.BytesIO(self.data)) as z:
                z.getinfo("word/document.xml")
                unpacked = sum(info.file_size for info in z.infolist())
        except FileNotFoundError:
            raise TemplateError(f"Malen {path} finnes ikke.") from None
        except (zipfile.BadZipFile, KeyError, OSError):
            raise TemplateError(
                f"Malen {path.name} er ikke et Word-dokument (.docx). Lagre den på nytt fra Word."
            ) from None
        if unpacked > MAX_TEMPLATE_BYTES:  # a zip bomb, or not a letter template
            raise TemplateError(
                f"Malen {path.name} pakkes ut til mer enn {MAX_TEMPLATE_BYTES // 2**20} MB. En "
                "Word-mal for et brev er noen hundre kB; lagre den på nytt fra Word uten store "
                "bilder."
            )
        self._compiled: PreparedTemplate | None | object = _UNPREPARED
        self._plain_pictures: frozenset[str] | None = None

    def render(
        self,
        context: dict,
        *,
        made_at: dt.datetime | None = None,
        images: dict[str, bytes] | None = None,
    ) -> bytes:
        """The document; `images` replaces header and footer pictures by name (the QR code)."""
        with self._template_errors():
            prepared = self.prepare()
            if prepared is not None and not needs_plain_docxtpl(context):
                with self._limits(prepared.env):
                    return prepared.render(context, made_at=made_at, images=images)
            return self._render_plain(context, made_at, images=images)

    def has_picture(self, name: str) -> bool:
        """Does a header or footer hold a picture of this name (the QR code's placeholder)?"""
        prepared = self.prepare()
        if prepared is not None:
            return name in prepared.pictures
        if self._plain_pictures is None:
            template = StrictDocxTemplate(io.BytesIO(self.data))
            template.render_init()
            self._plain_pictures = frozenset(pictures_in_headers_and_footers(template))
        return name in self._plain_pictures

    def prepare(self) -> PreparedTemplate | None:
        """The compiled-once template (prepared.py), or None when only docxtpl can render it.

        Compiling is where a broken tag shows: its error is translated here too, whoever
        prepares (a render, or the run preparing templates before its workers start).
        """
        if self._compiled is _UNPREPARED:
            with self._template_errors():
                try:
                    self._compiled = PreparedTemplate(self.data, jinja_env())
                except NotPreparable:
                    self._compiled = None
        return cast("PreparedTemplate | None", self._compiled)

    @staticmethod
    def _limits(env: jinja2.Environment) -> contextlib.AbstractContextManager[None]:
        """The sandbox's limits around a render (a plain environment, in tests, has none)."""
        if isinstance(env, LimitedEnvironment):
            return env.limits()
        return contextlib.nullcontext()

    def _render_plain(
        self,
        context: dict,
        made_at: dt.datetime | None = None,
        *,
        images: dict[str, bytes] | None = None,
    ) -> bytes:
        template = StrictDocxTemplate(io.BytesIO(self.data))
        if images:
            template.render_init()
            present = pictures_in_headers_and_footers(template)
            for name, data in images.items():
                if name in present:
                    template.replace_pic(name, io.BytesIO(data))
        env = jinja_env()
        with env.limits():
            template.render(context, jinja_env=env)
        if made_at is not None:
            set_times(template.docx.core_properties, made_at)
        out = io.BytesIO()
        template.save(out)
        return out.getvalue()

    @contextlib.contextmanager
    def _template_errors(self):
        """Jinja's errors, from compiling or rendering, in the words of the template's user."""
        try:
            yield
        except jinja2.UndefinedError as exc:
            raise TemplateError(_undefined_message(self.path, exc)) from None
        except jinja2.TemplateSyntaxError as exc:
            raise TemplateError(
                f"Malen {self.path.name} har en feil i en kode med {{{{ }}}} eller {{% %}}: "
                f"{exc.message}. Rett den i Word og kjør «ipdocs templates check»."
            ) from None
        except TemplateLimit as exc:
            raise TemplateError(
                f"Malen {self.path.name} {exc.message}. Det er ikke tillatt i en mal, og ingenting "
                "er laget av den. Rett den i Word og kjør «ipdocs templates check»."
            ) from None
        except BrokenOutput:
            raise TemplateError(
                f"Malen {self.path.name} ga et Word-dokument som ikke kan leses (en kode lager "
                "ødelagt innhold), så det ble ikke laget. Rett malen i Word og kjør "
                "«ipdocs templates check»."
            ) from None
        except RecursionError:
            raise TemplateError(
                f"Malen {self.path.name} bruker seg selv i det uendelige (en makro som kaller seg "
                "selv?). Rett den i Word og kjør «ipdocs templates check»."
            ) from None
        except jinja2.exceptions.SecurityError:
            raise TemplateError(
                f"Malen {self.path.name} prøver å nå noe annet enn feltene. Det er ikke tillatt i en mal."
            ) from None
        except etree.XMLSyntaxError:  # word/document.xml (or a header) cut short or damaged
            raise TemplateError(
                f"Malen {self.path.name} er skadet, og Word-innholdet kan ikke leses. Åpne den i "
                "Word, lagre den på nytt og kjør «ipdocs templates check»."
            ) from None
        except jinja2.TemplateError as exc:  # any other: the template's, never the input's
            raise TemplateError(
                f"Malen {self.path.name} kan ikke brukes ({exc}). Rett den i Word og kjør "
                "«ipdocs templates check»."
            ) from None


_UNPREPARED = object()


@lru_cache(maxsize=32)
def _cached(path: Path, mtime_ns: int, size: int) -> DocumentTemplate:
    return DocumentTemplate(path)


def load_template(path: Path) -> DocumentTemplate:
    """A template, read again only when the file changed (a shared folder may be edited)."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise TemplateError(f"Malen {path} finnes ikke.") from None
    except OSError as exc:  # the templates folder on a share gone, or not ours to read
        raise TemplateError(f"Malen {path} kan ikke leses ({exc.strerror}).") from None
    return _cached(path, stat.st_mtime_ns, stat.st_size)


def _undefined_message(path: Path, exc: jinja2.UndefinedError) -> str:
    m = re.search(r"has no attribute '([^']+)'", str(exc)) or re.search(
        r"'([^']+)' is undefined", str(exc)
    )
    name = m.group(1) if m else str(exc)
    return (
        f"Malen {path.name} bruker feltet «{name}», som ikke finnes. "
        "Se templates/README.md for feltene, og rett malen i Word."
    )


# --- the context: model → the Norwegian names the templates use ---------------------------


def context(document: Document, settings: Settings, *, ref: str = "") -> dict:
    m = settings.municipality
    lang = document.language
    word = m.coordinator_word or "koordinator"
    base = {
        "kommune": {
            "navn": m.name,
            "enhet": m.unit,
            "telefon": m.phone,
            "epost": m.email,
            "adresse": m.address,
            "kontaktperson": m.contact_person,
            "kontakt_telefon": m.contact_phone or m.phone,
            "kontakt_epost": m.contact_email or m.email,
        },
        "sak": document.case,
        "referanse": footer_reference(document),
        "dokument_id": ref,  # the id the footer's QR code carries (reference.py)
        "dato": language.date(document.document_date),
        "laget": language.date(settings.today),
        "koordinator_ord": word,
        "koordinatoren": language.definite(word),
    }
    return base | _BUILDERS[type(document)](document, lang, settings)


def _person(person: Person | None, *, with_id: bool = False) -> dict:
    if person is None:
        return {"navn": "", "adresse": "", "adresse_linjer": "", "fodselsnummer": ""}
    national_id = fnr.display(person.national_id) if (with_id and person.national_id) else ""
    return {
        "navn": person.name,
        "adresse": person.address,
        # «Storgata 1, 7580 Selbu» as an envelope shows it: one line per part.
        "adresse_linjer": "\n".join(p.strip() for p in person.address.split(",") if p.strip()),
        "fodselsnummer": national_id,
    }


def _coordinator(c: Coordinator) -> dict:
    return {"navn": c.name, "tjeneste": c.service, "telefon": c.phone, "epost": c.email}


def _meeting(meeting: Meeting, lang: str) -> dict:
    return {
        "dato": language.date(meeting.date),
        "dag": language.long_date(meeting.date, lang),
        "tid": language.time_range(meeting.starts_at, meeting.ends_at),
        "fra": language.time(meeting.starts_at),
        "til": language.time(meeting.ends_at),
        "sted": meeting.place,
    }


def _participants(people: tuple[Participant, ...]) -> list[dict]:
    return [{"navn": p.name, "rolle": p.role, "fast": p.regular} for p in people]


def _is_child(person: Person, day) -> bool:
    age = person.age_on(day)
    return age is not None and age < ADULT_AGE


def _invitation(doc: Invitation, lang: str, settings: Settings) -> dict:
    child = _is_child(doc.person, doc.meeting.date)
    # A child's letter goes to the guardians; everyone else's to the person.
    recipients = [g.name for g in doc.guardians] if (child and doc.guardians) else []
    person_role = "bruker" if lang == "nb" else "brukar"
    invited = [{"navn": doc.person.name, "rolle": person_role, "fast": True}]
    invited += _participants(doc.guardians) + _participants(doc.participants)
    return {
        "bruker": _person(doc.person),
        "mottaker": "\n".join(recipients) if recipients else doc.person.name,
        "barn": child,
        "koordinator": _coordinator(doc.coordinator),
        "mote": _meeting(doc.meeting, lang),
        "tolk": doc.meeting.interpreter or "",
        "deltakere": _participants(doc.participants),
        "foresatte": _participants(doc.guardians),
        "inviterte": invited,
        "fastlege": any(p.is_gp for p in doc.participants),
        "saksliste": list(doc.agenda),
        "svarfrist": language.letter_date(doc.reply_by, lang) if doc.reply_by else "",
        "sendt": language.letter_date(doc.sent_on, lang),
        "forste_mote": doc.first_meeting,
        "flyttet_fra": language.letter_date(doc.moved_from, lang) if doc.moved_from else "",
        "avlyst": doc.cancelled,
    }


def _named(people: tuple[Participant, ...], lang: str) -> str:
    """«Per Olsen (Fastlege)» per line; «ingen» when nobody."""
    lines = [f"{p.name} ({p.role})" if p.role else p.name for p in people]
    return "\n".join(lines) if lines else ("ingen" if lang == "nb" else "ingen")


def _minutes(doc: Minutes, lang: str, settings: Settings) -> dict:
    next_meeting = None
    if doc.next_meeting is not None:
        n = doc.next_meeting
        next_meeting = {
            "dato": language.date(n.date),
            "dag": language.long_date(n.date, lang),
            "tid": language.time_range(n.starts_at, n.ends_at) if n.starts_at else "",
            "fra": language.time(n.starts_at) if n.starts_at else "",
            "til": language.time(n.ends_at) if n.ends_at else "",
            "sted": n.place,
            "deltakere": language.join(n.participants, lang),
        }
    return {
        "bruker": _person(doc.person),
        "bruker_til_stede": doc.person_present,
        "koordinator": _coordinator(doc.coordinator),
        "referent": doc.minute_taker,
        "mote": _meeting(doc.meeting, lang),
        "tolk": doc.meeting.interpreter or "",
        "deltakere": _participants(doc.participants),
        "deltakere_tekst": _named(doc.participants, lang),
        "foresatte": [{"navn": g.name, "rolle": g.role} for g in doc.guardians],
        "foresatte_tekst": _named(doc.guardians, lang),
        "nasituasjon": doc.situation,
        "brukers_stemme": doc.user_voice,
        "mal": list(doc.goals),
        "tiltak": [
            {"nr": i, "tiltak": a.what, "ansvar": a.owner, "frist": language.date(a.deadline)}
            for i, a in enumerate(doc.actions, start=1)
        ],
        "neste_mote": next_meeting,
        "evaluering": doc.evaluation,
        "avslutning": doc.closing,
        "sendes_til": language.join(doc.distribution, lang),
        "skrevet": language.letter_date(doc.written_on or settings.today, lang),
        "tiltak_fra_forrige": [
            {
                "nr": i,
                "tiltak": f.what,
                "ansvar": f.owner,
                "frist": language.date(f.deadline) if f.deadline else "",
                "status": f.status or "ikke vurdert",
                "kommentar": f.comment,
            }
            for i, f in enumerate(doc.followups, start=1)
        ],
    }


# How a signer's role reads after the name: «mor til Emma», «verge for Kari».
_ROLE_PREPOSITION = {"verge": "for", "verje": "for", "fullmektig": "for"}


def _consent(doc: Consent, lang: str, settings: Settings) -> dict:
    person = doc.person
    child = person.born is None or _is_child(person, doc.valid_from)
    if doc.signers:
        signers = [
            {
                "navn": s.person.name,
                "rolle": s.role,
                "rolle_tekst": f"{s.role} {_ROLE_PREPOSITION.get(s.role.casefold(), 'til')} "
                f"{person.name}",
                "er_bruker": False,
            }
            for s in doc.signers
        ]
    else:
        role = "bruker" if lang == "nb" else "brukar"
        signers = [{"navn": person.name, "rolle": role, "rolle_tekst": role, "er_bruker": True}]
    parents = [s for s in doc.signers if s.is_parent]
    return {
        "bruker": _person(person, with_id=True),
        "gjelder": list(doc.covers),
        "gjelder_tekst": language.join(doc.covers, lang),
        "opplysninger": doc.information,
        "mottakere": list(doc.recipients),
        "formal": doc.purpose,
        "gyldig_fra": language.letter_date(doc.valid_from, lang),
        "gyldig_til": language.letter_date(doc.valid_to, lang),
        "overforing": doc.covers_transfer,
        "underskrivere": signers,
        "underskriver": signers[0],
        "underskriver_er_bruker": doc.signed_by_person,
        "flere_underskrivere": len(signers) > 1,
        # The shared-parental-responsibility sentence, only for a parent signing for a child.
        "foreldreansvar": bool(parents) and child,
        "mangler_forelder": len(parents) == 1 and len(doc.signers) == 1 and child,
    }


def _power_of_attorney(doc: PowerOfAttorney, lang: str, settings: Settings) -> dict:
    return {
        "fullmaktsgiver": _person(doc.grantor, with_id=True),
        "fullmektig": _person(doc.agent),
        "gjelder": doc.scope,
        "fra": language.letter_date(doc.valid_from, lang),
        "til": language.letter_date(doc.valid_to, lang),
        "dato": language.letter_date(doc.signed_on, lang),
    }


ADULT_AGE = 18  # parental responsibility ends at 18 (DOMAIN.md §2)

_BUILDERS: dict[type[Document], Callable[[Any, str, Settings], dict[str, Any]]] = {
    Invitation: _invitation,
    Minutes: _minutes,
    Consent: _consent,
    PowerOfAttorney: _power_of_attorney,
}
