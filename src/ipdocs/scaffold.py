"""The files a coordinator starts from: `ipdocs init` (the folders, copies of the templates
and a commented ipdocs.toml; nothing that exists already is written over) and `ipdocs
skeleton` (an example input to fill in)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from . import language, skeleton_workbooks, skeletons
from .kinds import DocumentKind
from .ledger import ActionRow, Ledger, PlanRow
from .settings import CONFIG_NAME, EXAMPLE, bundled_templates

# [kommune] holds settings.EXAMPLE: until it is filled in, every command that makes documents
# says so (settings.sender_warning).
TOML = f"""\
# Innstillinger for ipdocs. Linjer som begynner med # er forklaringer.
# Fyll inn kommunens egne opplysninger under [kommune]: de står på alle dokumentene.

[kommune]
navn = "{EXAMPLE.name}"               # kommunens navn, for eksempel "Selbu kommune"
enhet = "{EXAMPLE.unit}"       # den koordinerende enheten (f.eks. Tildelings- og koordineringskontoret)
telefon = "{EXAMPLE.phone}"                # telefonen deltakerne ringer
epost = "{EXAMPLE.email}"   # e-posten til den koordinerende enheten
adresse = "{EXAMPLE.address}" # postadressen
sprak = "nb"                         # nb (bokmål) eller nn (nynorsk): språket når en fil ikke sier noe
# kontaktperson = "Navn Navnesen"    # kontaktperson i koordinerende enhet, står i innkallingen
# kontakt_telefon = "00 00 00 00"    # ellers telefonen over
# kontakt_epost = "navn@eksempel.kommune.no"   # ellers e-posten over
# koordinator_ord = "stafettholder"  # kommunens eget ord for koordinator (standard: koordinator)

[mapper]
inbox = "inbox"                      # her legger koordinatorene filene sine
outbox = "outbox"                    # her kommer dokumentene, i én mappe per sak
maler = "templates"                  # Word-malene (kan endres i Word)

[overvaking]
ventetid = 2                         # sekunder en fil må være uendret før den leses
intervall = 1                        # sekunder mellom hver sjekk av en nettverksmappe
gjennomgang = 30                     # sekunder mellom hver ekstra runde gjennom hele innboksen

[utdata]
pdf = false                          # true: lag alltid en PDF ved siden av hvert dokument (trenger LibreOffice)
ics = true                           # false: ingen kalenderfil (.ics) ved innkallinger
"""


def init_folder(folder: Path) -> list[str]:
    """Make what is missing in `folder`; the names made, as a person reads them."""
    created = []
    for name in ("inbox", "outbox", "templates"):
        if not (folder / name).exists():
            (folder / name).mkdir(parents=True)
            created.append(f"{name}/")
    for source in sorted(bundled_templates().glob("*.docx")) + [bundled_templates() / "README.md"]:
        target = folder / "templates" / source.name
        if source.exists() and not target.exists():
            shutil.copyfile(source, target)
            created.append(f"templates/{source.name}")
    config = folder / CONFIG_NAME
    if not config.exists():
        config.write_text(TOML, encoding="utf-8")
        created.append(CONFIG_NAME)
    return created


def write_skeleton(kind: str, target: Path, *, xlsx: bool, today: dt.date) -> str:
    """Write the example for `kind` ("batch": the invitations workbook); the next step, in
    words."""
    if kind == "batch":
        skeleton_workbooks.write_batch_workbook(target, today=today)
        return (
            f"Laget {target}. Skriv én innkalling per rad i arket «Innkallinger» (se arket «Slik "
            f"fyller du ut»), og kjør «ipdocs batch {target}»."
        )
    if xlsx:
        skeleton_workbooks.write_workbook(kind, target, today=today)
    else:
        target.write_text(
            skeletons.yaml_text(kind, today=today, name=target.name), encoding="utf-8"
        )
    return f"Laget {target}. Fyll den ut, og kjør «ipdocs render {target}»."


# --- skeletons pre-filled from the ledger (`ipdocs skeleton referat|innkalling --sak SAK`) ----


class NothingToFill(Exception):
    """The ledger has nothing to start the document from; the message says why, in words."""


def case_skeleton(kind: str, case: str, ledger: Ledger, *, today: dt.date) -> dict[str, Any]:
    """The raw input (FORMATS.md field names) for the case's next minutes or invitation.

    Minutes: for the latest meeting without minutes (from its invitation, or the last minutes'
    `neste_mote`), with every open action in `tiltak_fra_forrige` and its status left open.
    Invitation: for the meeting the last minutes agreed (`neste_mote`), with an agenda that
    starts with «Oppfølging av tiltak» and the open actions; `sendt` left out (today).
    """
    plan = ledger.plan(case)
    meetings = [p for p in plan if p.kind in ("innkalling", "referat")]
    if not meetings:
        raise NothingToFill(
            f"Saken {case} har ingen innkalling eller referat laget med ipdocs ennå. Start med "
            "«ipdocs skeleton innkalling» uten --sak."
        )
    last = meetings[-1].facts
    person = {"navn": last["person"]["name"]}
    if last["person"].get("birth_date"):
        person["fodt"] = dt.date.fromisoformat(last["person"]["birth_date"])
    coordinator = _coordinator(meetings)
    actions = ledger.open_actions(case=case)
    if kind == DocumentKind.minutes:
        return _minutes(case, meetings, person, coordinator, actions, last)
    return _invitation(case, meetings, person, coordinator, actions, last, today)


def _coordinator(meetings: list[PlanRow]) -> dict[str, str]:
    """The latest coordinator, with the phone and e-mail of the latest document that had them."""
    latest = meetings[-1].facts["coordinator"]
    found = {"navn": latest["name"]}
    for key, word in (("service", "tjeneste"), ("phone", "telefon"), ("email", "epost")):
        for row in reversed(meetings):
            other = row.facts["coordinator"]
            if other.get(key) and other["name"] == latest["name"]:
                found[word] = other[key]
                break
    return found


def _people(members: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"navn": m["name"], "rolle": m["role"]} if m.get("role") else {"navn": m["name"]}
        for m in members
    ]


def _time(text: str | None) -> str | None:
    return text or None


def _minutes(
    case: str,
    meetings: list[PlanRow],
    person: dict[str, Any],
    coordinator: dict[str, str],
    actions: list[ActionRow],
    last: dict[str, Any],
) -> dict[str, Any]:
    with_minutes = {p.facts["meeting"]["date"] for p in meetings if p.kind == "referat"}
    invited = [
        p
        for p in meetings
        if p.kind == "innkalling"
        and not p.superseded
        and not p.facts.get("cancelled")
        and p.facts["meeting"]["date"] not in with_minutes
    ]
    minutes = [p for p in meetings if p.kind == "referat"]
    agreed = (minutes[-1].facts.get("next_meeting") if minutes else None) or None
    meeting: dict[str, Any]
    if invited and (not agreed or invited[-1].facts["meeting"]["date"] >= agreed["date"]):
        source = invited[-1].facts
        m = source["meeting"]
        meeting = {"dato": dt.date.fromisoformat(m["date"]), "fra": m["from"], "til": m["to"]}
        meeting["sted"] = m["place"]
        participants = _people(source["members"])
    elif agreed and agreed["date"] not in with_minutes:
        before = last["meeting"]
        meeting = {
            "dato": dt.date.fromisoformat(agreed["date"]),
            "fra": agreed.get("from") or before["from"],
            "til": agreed.get("to") or before["to"],
            "sted": agreed.get("place") or before["place"],
        }
        participants = _named(agreed.get("participants") or [], last, person, coordinator)
    else:
        raise NothingToFill(
            f"Alle møtene i saken {case} har referat. Lag innkallingen til neste møte først: "
            f"«ipdocs skeleton innkalling --sak {case}»."
        )
    raw: dict[str, Any] = {
        "dokument": "referat",
        "sak": case,
        "bruker": person,
        "koordinator": coordinator,
        "referent": coordinator["navn"],
        "mote": meeting,
        "deltakere": participants or _people(last.get("members", [])),
        "nåsituasjon": "",
        "brukers_stemme": "",
        "mål": [],
        "tiltak_fra_forrige": [
            {
                "tiltak": a.what,
                "ansvar": a.owner,
                "frist": a.deadline,
                "status": None,
                "kommentar": "",
            }
            for a in actions
        ],
        "tiltak": [],
    }
    return raw


def _named(
    names: list[str], last: dict[str, Any], person: dict[str, Any], coordinator: dict[str, str]
) -> list[dict[str, Any]]:
    """People named in a `neste_mote`, with the roles the last documents gave them."""
    roles = {m["name"].casefold(): m.get("role", "") for m in last.get("members", [])}
    found = []
    for name in names:
        if name.casefold() in (person["navn"].casefold(), coordinator["navn"].casefold()):
            continue
        role = roles.get(name.casefold(), "")
        found.append({"navn": name, "rolle": role} if role else {"navn": name})
    return found


def _invitation(
    case: str,
    meetings: list[PlanRow],
    person: dict[str, Any],
    coordinator: dict[str, str],
    actions: list[ActionRow],
    last: dict[str, Any],
    today: dt.date,
) -> dict[str, Any]:
    minutes = [p for p in meetings if p.kind == "referat"]
    agreed = minutes[-1].facts.get("next_meeting") if minutes else None
    if not agreed:
        raise NothingToFill(
            f"Det siste referatet i saken {case} har ikke noe neste møte («neste_mote»). Skriv "
            "neste møte i referatet og lag det på nytt, eller lag innkallingen med "
            "«ipdocs skeleton innkalling» uten --sak."
        )
    before = minutes[-1].facts["meeting"]
    standing = [m for m in last.get("members", []) if m.get("regular", True)]
    participants = _named(agreed.get("participants") or [], last, person, coordinator)
    named = {p["navn"].casefold() for p in participants}
    participants += [p for p in _people(standing) if p["navn"].casefold() not in named]
    agenda = ["Oppfølging av tiltak"] + [
        f"{a.what} ({a.owner}, frist {language.date(a.deadline)})" for a in actions
    ]
    return {
        "dokument": "innkalling",
        "sak": case,
        "bruker": person,
        "koordinator": coordinator,
        "mote": {
            "dato": dt.date.fromisoformat(agreed["date"]),
            "fra": agreed.get("from") or before["from"],
            "til": agreed.get("to") or before["to"],
            "sted": agreed.get("place") or before["place"],
        },
        "deltakere": participants,
        "saksliste": agenda,
    }


_HEADER = {
    DocumentKind.minutes: (
        "# Referat for sak {case}, fylt ut fra det ipdocs vet om saken.\n"
        "# Skriv status for hvert tiltak fra forrige møte: utført, pågår, ikke startet eller\n"
        "# avsluttet. Skriv nye tiltak under «tiltak», og avtal neste møte («neste_mote»).\n"
        "# Kjør så: ipdocs render {name}\n"
    ),
    DocumentKind.invitation: (
        "# Innkalling for sak {case}, fylt ut fra neste møte i siste referat.\n"
        "# Sjekk deltakerne og sakslisten. Kjør så: ipdocs render {name}\n"
    ),
}
_NEXT_MEETING = """\
# Neste møte: fjern # foran linjene og fyll inn.
# neste_mote:
#   dato: 04.03.2027
#   fra: "09:00"
#   til: "10:00"
#   sted: Rådhuset, møterom 2
#   deltakere: [Kari Nordmann, Ola Hansen]
"""


def case_yaml(kind: str, raw: dict[str, Any], *, name: str) -> str:
    import yaml

    text = yaml.safe_dump(raw, allow_unicode=True, sort_keys=False, width=100)
    text = text.replace(
        "status: null", "status:                # utført, pågår, ikke startet eller avsluttet"
    )
    header = _HEADER[DocumentKind(kind)].format(case=raw["sak"], name=name)
    footer = _NEXT_MEETING if kind == DocumentKind.minutes else ""
    return header + text + footer


def write_case_skeleton(
    kind: str, case: str, target: Path, *, xlsx: bool, ledger: Ledger, today: dt.date
) -> str:
    raw = case_skeleton(kind, case, ledger, today=today)
    if xlsx:
        skeleton_workbooks.write_filled_workbook(raw, target)
    else:
        target.write_text(case_yaml(kind, raw, name=target.name), encoding="utf-8")
    return f"Laget {target} for sak {case}. Fyll den ut, og kjør «ipdocs render {target}»."
