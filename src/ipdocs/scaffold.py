"""The files a coordinator starts from: `ipdocs init` (the folders, copies of the templates
and a commented ipdocs.toml; nothing that exists already is written over) and `ipdocs
skeleton` (an example input to fill in)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from . import skeletons
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
        skeletons.write_batch_workbook(target, today=today)
        return (
            f"Laget {target}. Skriv én innkalling per rad i arket «Innkallinger» (se arket «Slik "
            f"fyller du ut»), og kjør «ipdocs batch {target}»."
        )
    if xlsx:
        skeletons.write_workbook(kind, target, today=today)
    else:
        target.write_text(
            skeletons.yaml_text(kind, today=today, name=target.name), encoding="utf-8"
        )
    return f"Laget {target}. Fyll den ut, og kjør «ipdocs render {target}»."
