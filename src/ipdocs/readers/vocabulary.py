"""The input's vocabulary: the Norwegian field names of FORMATS.md, which fields each document
and block holds, the spellings accepted for them, and the advice given when one is missing or
written in the wrong shape. Data only; readers/fields.py reads inputs with it and
readers/mapping.py builds the model.
"""

from __future__ import annotations

from ..kinds import DocumentKind

# Keys are compared lower-case with æ/ø/å written ae/o/aa (FORMATS.md: `mål` = `maal`).
ALIASES = {
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
    "foedt": "fodt",
    "foerste_moete": "forste_mote",
    "forste_moete": "forste_mote",
    "foerste_mote": "forste_mote",
    "fodselsdato": "fodt",
    "foedselsdato": "fodt",
    "flytta_fra": "flyttet_fra",
    "avlysning": "avlyst",
}
# How a key is shown back to the user: the way the forms spell it.
SHOWN = {"maal": "mål", "naasituasjon": "nåsituasjon"}

PERSON = frozenset({"navn", "adresse", "fodselsnummer", "fodt"})
COORDINATOR = frozenset({"navn", "tjeneste", "telefon", "epost"})
MEETING = frozenset({"dato", "fra", "til", "sted", "tolk"})
PARTICIPANT = frozenset({"navn", "rolle", "fast"})
ACTION = frozenset({"tiltak", "ansvar", "frist"})
FOLLOWUP = frozenset({"tiltak", "ansvar", "frist", "status", "kommentar"})
# `status` in `tiltak_fra_forrige`, as written → as stored (model.ACTION_STATUSES).
STATUS_WORDS = {
    "utført": "utført",
    "utfort": "utført",
    "utfoert": "utført",
    "ferdig": "utført",
    "pågår": "pågår",
    "paagaar": "pågår",
    "pagar": "pågår",
    "ikke startet": "ikke startet",
    "ikke_startet": "ikke startet",
    "ikkje starta": "ikke startet",
    "avsluttet": "avsluttet",
    "avslutta": "avsluttet",
    "utført.": "utført",
}
NEXT_MEETING = frozenset({"dato", "fra", "til", "sted", "deltakere"})
SIGNER = frozenset({"navn", "rolle", "fodselsnummer", "adresse"})
COMMON = frozenset({"dokument", "sak", "sprak"})

TOP_LEVEL: dict[str, frozenset[str]] = {
    DocumentKind.invitation: COMMON
    | {
        "bruker",
        "koordinator",
        "mote",
        "deltakere",
        "foresatte",
        "saksliste",
        "svarfrist",
        "sendt",
        "forste_mote",
        "flyttet_fra",
        "avlyst",
    },
    DocumentKind.minutes: COMMON
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
        "skrevet",
        "bruker_til_stede",
        "sendes_til",
        "tiltak_fra_forrige",
        "evaluering",
        "avslutning",
    },
    DocumentKind.consent: COMMON
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
        "underskrivere",
    },
    DocumentKind.power_of_attorney: COMMON
    | {"fullmaktsgiver", "fullmektig", "gjelder", "fra", "til", "dato"},
}
ALL_KEYS = frozenset().union(
    *TOP_LEVEL.values(),
    PERSON,
    COORDINATOR,
    MEETING,
    PARTICIPANT,
    ACTION,
    FOLLOWUP,
    NEXT_MEETING,
    SIGNER,
)
# Which keys an object at a top-level key holds, to suggest `mote.dato` for a stray `dato`.
NESTED = {
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
MISSING_HELP = {
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
    "tiltak_fra_forrige.tiltak": "Skriv hva som skulle gjøres.",
    "tiltak_fra_forrige.ansvar": "Skriv hvem som hadde ansvaret for tiltaket.",
    "tiltak_fra_forrige.status": "Skriv hvordan det har gått: utført, pågår, ikke startet eller "
    "avsluttet.",
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
    "underskrivere.navn": "Skriv navnet på den som skriver under.",
    "underskrivere.rolle": "Skriv hvem den som skriver under er for personen, for eksempel mor "
    "eller far.",
    "fullmaktsgiver.navn": "Skriv navnet på den som gir fullmakten.",
    "fullmektig.navn": "Skriv navnet på den som får fullmakten.",
    "fullmakt:gjelder": "Skriv hva fullmakten gjelder, for eksempel NAV trygd.",
    "fullmakt:fra": "Skriv datoen fullmakten gjelder fra, for eksempel 03.12.2026.",
    "fullmakt:til": "Skriv datoen fullmakten gjelder til, for eksempel 03.03.2027.",
    "fullmakt:dato": "Skriv datoen fullmakten blir skrevet under, for eksempel 03.12.2026.",
}


# What a field holds (in words), and how to write it in each style of input.
LIST_HELP = {
    "yaml": "Skriv ett punkt per linje, med «- » foran.",
    "json": 'Skriv punktene som en liste, for eksempel ["Status", "Søknad om avlastning"].',
    "cell": "Skriv punktene i cellen, skilt med semikolon (;) eller linjeskift.",
}
PEOPLE_HELP = {
    "yaml": "Skriv hver person på en egen linje med «- » foran, for eksempel "
    "«- {navn: Per Olsen, rolle: Fastlege}».",
    "json": 'Skriv personene som en liste, for eksempel [{"navn": "Per Olsen", "rolle": '
    '"Fastlege"}].',
    "cell": "Skriv personene som Navn (Rolle), skilt med semikolon (;), for eksempel "
    "Per Olsen (Fastlege).",
}
ACTIONS_HELP = {
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
SHAPES: dict[str, tuple[str, dict[str, str]]] = {
    "text": (
        "en tekst",
        {
            "yaml": "Skriv teksten på samme linje, etter kolonet.",
            "json": 'Skriv teksten i anførselstegn, for eksempel "Rådhuset".',
            "cell": "Skriv teksten i cellen.",
        },
    ),
    "texts": ("en liste med tekst", LIST_HELP),
    "item": ("én tekst", LIST_HELP | {"cell": "Skriv teksten i cellen."}),
    "people": ("en liste over personer", PEOPLE_HELP),
    "person": ("én person med navn og rolle", PEOPLE_HELP),
    "actions": ("en liste over tiltak", ACTIONS_HELP),
    "action": ("ett tiltak med tiltak, ansvar og frist", ACTIONS_HELP),
    "followup": ("ett tiltak med tiltak, ansvar, frist og status", ACTIONS_HELP),
    "language": ("språket tolken skal tolke til", LANGUAGE_HELP),
}
