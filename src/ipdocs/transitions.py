"""The age transitions of the Selbu routine («Gode, smidige og trygge overganger»): for a
person born on a given day, when each transition is, from when it is followed up and until
when, what is to be done and by whom; and the date arithmetic they need.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

from . import language


@dataclass(frozen=True)
class Transition:
    when: dt.date  # the date it is about (a deadline, a school start, a birthday)
    shown_from: dt.date  # from when it is followed up (the routine's lead time)
    until: dt.date  # when it is over
    what: str
    tasks: tuple[str, ...]
    responsible: str

    @property
    def text(self) -> str:
        return f"{self.what}. " + " ".join(self.tasks)


def years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def aug(year: int) -> dt.date:
    """A school year starts."""
    return dt.date(year, 8, 15)


def june(year: int) -> dt.date:
    """A school year ends."""
    return dt.date(year, 6, 20)


@lru_cache(maxsize=8192)
def transitions(born: dt.date) -> tuple[Transition, ...]:
    """The routine's transitions for a person born on `born`, in order.

    Children start school in August of the year they turn six (school start S); grade n
    starts in August of the year S + n - 1. Each row of the table becomes a dated
    transition: its date, from when it is followed up, and when it is over.
    """
    y = born.year
    start = dt.date(y + 6, 8, 15)  # skolestart
    school = f"skolestart i august {y + 6}"
    return (
        Transition(
            when=years_later(start, -2),
            shown_from=_months(years_later(start, -2), -6),
            until=years_later(start, -2),
            what=f"2 år før {school}",
            tasks=(
                "Tiltak med store økonomiske konsekvenser må skolen få beskjed om senest to år "
                "før skolestart.",
            ),
            responsible="styrer i barnehagen",
        ),
        Transition(
            when=years_later(start, -1),
            shown_from=_months(years_later(start, -1), -6),
            until=start,
            what=f"Siste år i barnehagen før {school}",
            tasks=(
                "Overføringsmøte senest ett år før skolestart "
                f"({language.date(years_later(start, -1))}). Husk samtykke.",
                "Skolen eller ny koordinator deltar på ansvarsgruppemøtene: bli kjent, "
                "kontaktperson, organiser besøk.",
                "Sørg for kontinuitet, tilganger og informasjon til nye deltakere.",
                "PPT skriver ny sakkyndig vurdering for barn med behov for spesialundervisning.",
            ),
            responsible="PPT",
        ),
        Transition(
            when=aug(y + 11),
            shown_from=_months(aug(y + 11), -3),
            until=june(y + 12),
            what="6. trinn: meld til ungdomsskolen",
            tasks=("Elever med behov for omfattende tilrettelegging meldes til ungdomsskolen.",),
            responsible="rektor",
        ),
        Transition(
            when=dt.date(y + 13, 2, 1),
            shown_from=aug(y + 12),
            until=aug(y + 13),
            what="7. trinn: sakkyndig vurdering tidlig på våren før ungdomsskolen",
            tasks=(
                "PPT sender sakkyndig vurdering tidlig på våren, så vedtak og ressurser er "
                "klare til skolestart på ungdomsskolen.",
                "Ungdomsskolen eller ny koordinator deltar på ansvarsgruppemøtene våren i "
                "7. trinn.",
                "Sørg for kontinuitet, tilganger og informasjon til nye deltakere.",
            ),
            responsible="PPT",
        ),
        Transition(
            when=aug(y + 14),
            shown_from=_months(aug(y + 14), -3),
            until=june(y + 15),
            what="9. trinn: begynn å planlegge overgangen til videregående skole",
            tasks=(
                "Begynn planleggingen av overgangen til videregående skole, med besøk på "
                "aktuelle skoler.",
                "Planlegg livet etter skolen (bolig, arbeid), og koble på NAV tidlig.",
            ),
            responsible="koordinator",
        ),
        Transition(
            when=aug(y + 15),
            shown_from=_months(aug(y + 15), -3),
            until=aug(y + 16),
            what="10. trinn: videregående skole kommer inn i ansvarsgruppen",
            tasks=(
                "Representant fra videregående skole eller ny koordinator deltar på "
                "ansvarsgruppemøtene.",
                "Sikre at koordinatorfunksjonen videreføres.",
                "Begynn karriereveiledning.",
            ),
            responsible="koordinator",
        ),
        Transition(
            when=years_later(born, 16),
            shown_from=_months(years_later(born, 16), -6),
            until=years_later(born, 17),
            what="16/17 år: begynn søknader som trenger uttalelse fra lege",
            tasks=(
                "Søknader om for eksempel hjelpeverge, AAP og uføretrygd (fra 16 år) krever "
                "opplysninger fra lege eller spesialisthelsetjenesten: begynn i god tid.",
            ),
            responsible="koordinator",
        ),
        Transition(
            when=years_later(born, 18),
            shown_from=years_later(born, 17),
            until=years_later(born, 18),
            what="18 år: bolig, NAV og støtteordninger",
            tasks=(
                "Ta opp bolig og tilskuddsordninger før fylte 18 år, og send søknader i god tid.",
                "Etabler kontakt med NAV for brukere som har rett til økonomisk støtte.",
                "Planlegg overgangen til egen bolig: type bolig, tilrettelegging, hjelp og "
                "økonomi.",
            ),
            responsible="koordinator",
        ),
        Transition(
            when=aug(y + 18),
            shown_from=_months(aug(y + 18), -3),
            until=dt.date(y + 18, 12, 31),
            what="3. år i videregående: vurder utvidet tid",
            tasks=(
                "Behovet for utvidet tid ut over 3 år i videregående skole må vurderes ved "
                "oppstart i 3. rettsår.",
            ),
            responsible="koordinator",
        ),
    )


def coming_transitions(born: dt.date, today: dt.date) -> list[Transition]:
    """The transitions not over yet, the nearest first."""
    return sorted((t for t in transitions(born) if t.until >= today), key=lambda t: t.when)
