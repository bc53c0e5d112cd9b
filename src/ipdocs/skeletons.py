"""Ready-to-fill example inputs (`ipdocs skeleton`), dated from today so they give no warnings.

`ipdocs templates check` renders these too: they fill every field a template can show.
"""

from __future__ import annotations

import datetime as dt

from .kinds import DocumentKind

_YAML: dict[str, str] = {
    DocumentKind.invitation: """\
# Innkalling til ansvarsgruppemøte. Fyll ut og legg filen i innboksen,
# eller kjør: ipdocs render {name}
dokument: innkalling
sak: IP-2026-0042                     # saksnøkkel: bokstaver, tall, - og _ (aldri fødselsnummer)
sprak: nb                             # nb (bokmål) eller nn (nynorsk)
forste_mote: false                    # true: første møte (samtykke skrives under, infoside kommer med)
bruker:
  navn: Kari Nordmann
  adresse: Storgata 1, 7580 Selbu     # står i adressefeltet når brevet sendes i posten; kan sløyfes
  fodt: 15.07.1965                    # fødselsdato, kan sløyfes (for et barn går brevet til foresatte)
foresatte:                            # foresatte/verge, inviteres først etter personen; kan sløyfes
  - {{navn: Anne Nordmann, rolle: verge}}
koordinator:
  navn: Ola Hansen
  tjeneste: Helsestasjonen            # kan sløyfes
  telefon: "400 31 579"
  epost: ola.hansen@selbu.kommune.no  # kan sløyfes
mote:
  dato: {meeting}
  fra: "09:00"
  til: "11:00"                        # med tolk: sett av mer enn 1,5 time
  sted: Rådhuset, møterom 2
  tolk:                               # sløyf, eller skriv tolk: false, når det ikke skal være tolk
    sprak: arabisk
deltakere:
  - navn: Per Olsen
    rolle: Fastlege
  - navn: Line Berg
    rolle: Fysioterapeut
    fast: false                       # kalt inn bare til dette møtet
saksliste:
  - Status siden forrige møte
  - Søknad om avlastning
svarfrist: {reply_by}                 # kan sløyfes
sendt: {today}                        # kan sløyfes (da brukes dagens dato)
""",
    DocumentKind.minutes: """\
# Referat fra ansvarsgruppemøte (Referatmal, Selbu-rutinen)
dokument: referat
sak: IP-2026-0042
bruker: {{navn: Kari Nordmann}}
koordinator: {{navn: Ola Hansen, telefon: "400 31 579"}}
referent: Line Berg
mote: {{dato: {past}, fra: "09:00", til: "10:30", sted: "Rådhuset, møterom 2"}}
deltakere:
  - {{navn: Per Olsen, rolle: Fastlege}}
  - {{navn: Line Berg, rolle: Fysioterapeut}}
foresatte:                            # foresatte/verge, kan sløyfes
  - {{navn: Anne Nordmann, rolle: mor}}
nåsituasjon: |
  Kari har startet i ny jobb 50 %. Avlastning fungerer godt.
brukers_stemme: |
  Kari ønsker å prioritere å klare middag til barna selv.
mål:
  - Klare hverdagen som mamma
tiltak_fra_forrige:                   # tiltakene fra forrige møte: utført, pågår, ikke startet eller avsluttet
  - {{tiltak: Søke om støttekontakt, ansvar: Koordinator, frist: {past}, status: utført}}
  - {{tiltak: Kartlegge behov for tolk, ansvar: Koordinator, frist: {past}, status: pågår, kommentar: Venter på svar}}
tiltak:                               # hvert tiltak trenger tiltak, ansvar og frist
  - {{tiltak: Søke om avlastning, ansvar: Koordinator, frist: {deadline}}}
  - {{tiltak: Vurdere hjelpemidler på kjøkkenet, ansvar: Ergoterapeut, frist: {deadline}}}
neste_mote:
  dato: {next_meeting}
  fra: "09:00"
  til: "10:00"
  sted: Rådhuset, møterom 2
  deltakere: [Kari Nordmann, Ola Hansen, Per Olsen]
skrevet: {today}                      # datoen referatet ble skrevet; kan sløyfes (da brukes dagens dato)
bruker_til_stede: true                # false: personen var ikke med på møtet
sendes_til: [Kari Nordmann, Anne Nordmann, Per Olsen]   # kan sløyfes: da personen, foresatte og faste deltakere
evaluering: |                         # den årlige evalueringen; kan sløyfes
  Tjenestene fungerer. Gruppen fortsetter med de samme deltakerne.
# avslutning: |                       # når ansvarsgruppen avsluttes: vurderingene som er gjort
#   Kari ønsker ikke lenger ansvarsgruppe. Tjenestene fortsetter hver for seg.
""",
    DocumentKind.consent: """\
# Samtykke til ansvarsgruppe og individuell plan
dokument: samtykke
sak: IP-2026-0042
bruker: {{navn: Kari Nordmann}}   # fødselsnummer (11 siffer): skriv  , fodselsnummer: "…"  etter navnet
gjelder: [ansvarsgruppe, individuell plan]
opplysninger: Helseopplysninger som er nødvendige for arbeidet med individuell plan
mottakere: [Fastlege Per Olsen, NAV Selbu, Fysioterapitjenesten]
formal: Samordne tjenestene i ansvarsgruppen
gyldig_fra: {meeting}
gyldig_til: {year_later}
overforing_ved_flytting: false        # true: gjelder også overføring til ny kommune
underskriver: {{navn: Anne Nordmann, rolle: verge}}   # sløyf når personen selv skriver under
# underskrivere:                      # to som skriver under (for et barn: begge foreldrene), i stedet for underskriver
#   - {{navn: Fadumo Hassan, rolle: mor}}
#   - {{navn: Ali Hassan, rolle: far}}
""",
    DocumentKind.power_of_attorney: """\
# Fullmakt (eksempelet i heftet «Individuell plan = brukers plan»)
dokument: fullmakt
sak: IP-2026-0042
# fødselsnummer (11 siffer): skriv  , fodselsnummer: "…"  etter navnet
fullmaktsgiver: {{navn: Peder Berg, adresse: "Storåsen, 2400 Elverum"}}
fullmektig: {{navn: Mona Ås}}
gjelder: NAV trygd
fra: {today_no}
til: {quarter_no}
dato: {today_no}
""",
}

KINDS = tuple(str(kind) for kind in _YAML)  # plain text: click's Choice shows enum names


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def dates(today: dt.date) -> dict[str, str]:
    meeting = _weekday(today + dt.timedelta(days=14))
    past = _weekday(today - dt.timedelta(days=3))
    if past > today:
        past = today
    return {
        "today": today.isoformat(),
        "today_no": today.strftime("%d.%m.%Y"),
        "meeting": meeting.isoformat(),
        "reply_by": (meeting - dt.timedelta(days=4)).isoformat(),
        "past": past.isoformat(),
        "deadline": (today + dt.timedelta(days=45)).isoformat(),
        "next_meeting": _weekday(today + dt.timedelta(days=90)).isoformat(),
        "year_later": (meeting + dt.timedelta(days=365)).isoformat(),
        "quarter_no": (today + dt.timedelta(days=92)).strftime("%d.%m.%Y"),
    }


def yaml_text(kind: str, *, today: dt.date, name: str = "") -> str:
    return _YAML[kind].format(name=name or f"{kind}.yaml", **dates(today))
