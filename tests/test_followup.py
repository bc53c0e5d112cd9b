"""The plan's memory through the real CLI: a case walked through a year (invitation → minutes
with actions → a pre-filled skeleton → minutes → oppfolging), consent and transitions, a closed
case reopened, moved and cancelled meetings, the overview workbook.

Dates are counted from the real today in Oslo, as the commands count them.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml
from conftest import docx_text, run_cli
from openpyxl import load_workbook

from ipdocs.settings import today_in_oslo
from ipdocs.transitions import transitions

T = today_in_oslo()
CASE = "IP-2026-0042"
# A child who starts school at the next 15 August (2021 when run in December 2026): its last
# year in kindergarten is then always being followed up, whatever day the test runs.
_SCHOOL_START = dt.date(T.year + (T >= dt.date(T.year, 8, 15)), 8, 15)
BORN = dt.date(_SCHOOL_START.year - 6, 5, 14)


def day(offset: int) -> str:
    return (T + dt.timedelta(days=offset)).isoformat()


def no(offset: int) -> str:
    return (T + dt.timedelta(days=offset)).strftime("%d.%m.%Y")


def write(folder: Path, name: str, data: dict) -> Path:
    path = folder / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def ok(*args: str, cwd: Path):
    done = run_cli(*args, cwd=cwd)
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def invitation(meeting: int, **extra) -> dict:
    return {
        "dokument": "innkalling",
        "sak": CASE,
        "bruker": {"navn": "Kari Nordmann", "fodt": BORN.strftime("%d.%m.%Y")},
        "koordinator": {
            "navn": "Ola Hansen",
            "tjeneste": "Helsestasjonen",
            "telefon": "400 31 579",
        },
        "mote": {"dato": day(meeting), "fra": "09:00", "til": "10:30", "sted": "Rådhuset"},
        "deltakere": [
            {"navn": "Per Olsen", "rolle": "Fastlege"},
            {"navn": "Line Berg", "rolle": "Fysioterapeut"},
        ],
        "saksliste": ["Status siden forrige møte"],
        **extra,
    }


def first_minutes(meeting: int, next_meeting: int) -> dict:
    return {
        "dokument": "referat",
        "sak": CASE,
        "bruker": {"navn": "Kari Nordmann"},
        "koordinator": {"navn": "Ola Hansen", "telefon": "400 31 579"},
        "referent": "Line Berg",
        "mote": {"dato": day(meeting), "fra": "09:00", "til": "10:30", "sted": "Rådhuset"},
        "deltakere": [{"navn": "Per Olsen", "rolle": "Fastlege"}],
        "brukers_stemme": "Kari vil klare middagen selv.",
        "tiltak": [
            {"tiltak": "Søke om avlastning", "ansvar": "Koordinator", "frist": day(-60)},
            {"tiltak": "Vurdere hjelpemidler", "ansvar": "Ergoterapeut", "frist": no(-30)},
            {"tiltak": "Kontakte PPT", "ansvar": "Koordinator", "frist": day(60)},
        ],
        "neste_mote": {
            "dato": day(next_meeting),
            "fra": "09:00",
            "til": "10:00",
            "sted": "Rådhuset, møterom 2",
            "deltakere": ["Kari Nordmann", "Ola Hansen", "Per Olsen"],
        },
    }


def items(cwd: Path, *args: str) -> list[dict]:
    data = json.loads(ok("oppfolging", "--json", *args, cwd=cwd).stdout)
    assert data["today"] == T.isoformat()
    return data["items"]


def test_a_case_through_a_year(tmp_path):
    write(tmp_path, "inn1.yaml", invitation(-120))
    write(tmp_path, "ref1.yaml", first_minutes(-120, -60))
    ok("render", "inn1.yaml", "ref1.yaml", cwd=tmp_path)

    # The next minutes, pre-filled: the meeting the last minutes agreed, every open action.
    ok("skeleton", "referat", "--sak", CASE, cwd=tmp_path)
    skeleton = tmp_path / f"{CASE}_referat.yaml"
    raw = yaml.safe_load(skeleton.read_text(encoding="utf-8"))
    assert raw["mote"]["dato"] == dt.date.fromisoformat(day(-60))
    assert raw["bruker"]["navn"] == "Kari Nordmann" and raw["koordinator"]["navn"] == "Ola Hansen"
    assert raw["koordinator"]["tjeneste"] == "Helsestasjonen"  # from the invitation
    assert [a["tiltak"] for a in raw["tiltak_fra_forrige"]] == [
        "Søke om avlastning",
        "Vurdere hjelpemidler",
        "Kontakte PPT",
    ]
    assert all(a["status"] is None for a in raw["tiltak_fra_forrige"])
    assert "fodselsnummer" not in skeleton.read_text(encoding="utf-8")
    # Unchanged, it is a valid minutes (warnings only).
    checked = ok("check", skeleton.name, cwd=tmp_path)
    assert "har ingen status" in checked.stdout

    statuses = ["utført", "pågår", "ikke startet"]
    for action, status in zip(raw["tiltak_fra_forrige"], statuses, strict=True):
        action["status"] = status
    raw["tiltak_fra_forrige"][1]["kommentar"] = "Venter på besøk"
    raw["brukers_stemme"] = "Kari er fornøyd."
    raw["tiltak"] = [{"tiltak": "Søke om støttekontakt", "ansvar": "Koordinator", "frist": day(-5)}]
    raw["neste_mote"] = {"dato": day(7), "fra": "09:00", "til": "10:00", "sted": "Rådhuset"}
    write(tmp_path, "ref2.yaml", raw)
    ok("render", "ref2.yaml", cwd=tmp_path)
    text = docx_text(tmp_path / "outbox" / CASE / f"{day(-60)}_referat.docx")
    assert "Oppfølging av tiltak fra forrige møte" in text
    assert "Vurdere hjelpemidler (Venter på besøk) | Ergoterapeut" in text
    assert text.index("Oppfølging av tiltak fra forrige møte") < text.index("Søke om støttekontakt")

    consent = {
        "dokument": "samtykke",
        "sak": CASE,
        "bruker": {"navn": "Kari Nordmann"},
        "gjelder": ["ansvarsgruppe"],
        "opplysninger": "Helseopplysninger",
        "mottakere": ["NAV"],
        "formal": "Samordne tjenestene",
        "gyldig_fra": day(-345),
        "gyldig_til": day(20),
        "underskriver": {"navn": "Anne Nordmann", "rolle": "mor"},
    }
    write(tmp_path, "samtykke.yaml", consent)
    ok("render", "samtykke.yaml", cwd=tmp_path)

    due = items(tmp_path)
    overdue = [(i["kind"], i["date"]) for i in due if i["kind"] == "overdue_action"]
    # Exactly the open ones past their deadline: not the one done, not the one not yet due.
    assert overdue == [("overdue_action", day(-30)), ("overdue_action", day(-5))]
    texts = [i["what"] for i in due if i["kind"] == "overdue_action"]
    assert "Vurdere hjelpemidler" in texts[0] and "Søke om støttekontakt" in texts[1]
    kinds = {i["kind"] for i in due}
    # The case started with the consent 345 days ago: its yearly evaluation is due too.
    assert kinds == {
        "overdue_action",
        "invitation_due",
        "consent_ending",
        "evaluation_due",
        "transition",
    }
    [evaluation] = [i for i in due if i["kind"] == "evaluation_due"]
    assert f"siden saken startet {no(-345)}" in evaluation["what"]
    [invite] = [i for i in due if i["kind"] == "invitation_due"]
    assert invite["date"] == day(7) and f"ipdocs skeleton innkalling --sak {CASE}" in invite["todo"]
    [ending] = [i for i in due if i["kind"] == "consent_ending"]
    assert ending["date"] == day(20)
    [school] = [i for i in due if i["kind"] == "transition"]
    assert "Siste år i barnehagen før skolestart i august" in school["what"]
    assert "Overføringsmøte senest ett år før skolestart" in school["what"]
    assert all(set(i) == {"case", "kind", "date", "what", "todo"} for i in due)
    assert [i["what"] for i in items(tmp_path, "--ansvar", "ergo")] == texts[:1]

    shown = ok("oppfolging", cwd=tmp_path).stdout
    assert "Tiltak over fristen, ansvar: Ergoterapeut" in shown
    assert f"Samtykket gjelder til {no(20)}" in shown

    summary = json.loads(ok("sak", CASE, "--json", cwd=tmp_path).stdout)
    assert summary["person"] == {"name": "Kari Nordmann", "birth_date": BORN.isoformat()}
    assert summary["coordinator"]["service"] == "Helsestasjonen"
    assert [(a["what"], a["status"], a["overdue"]) for a in summary["actions"]] == [
        ("Vurdere hjelpemidler", "pågår", True),
        ("Søke om støttekontakt", None, True),
        ("Kontakte PPT", "ikke startet", False),
    ]
    assert summary["consent"] == {"valid_from": day(-345), "valid_to": day(20), "signed": False}
    assert summary["last_meeting"] == day(-60) and summary["next_meeting"] == day(7)
    assert summary["closed"] is False
    assert [d["kind"] for d in summary["documents"]].count("referat") == 2

    # The next invitation, from the last minutes' neste_mote, renders as it is.
    ok("skeleton", "innkalling", "--sak", CASE, cwd=tmp_path)
    invite_raw = yaml.safe_load((tmp_path / f"{CASE}_innkalling.yaml").read_text(encoding="utf-8"))
    assert invite_raw["mote"]["dato"] == dt.date.fromisoformat(day(7))
    assert invite_raw["saksliste"][0] == "Oppfølging av tiltak"
    assert any("Vurdere hjelpemidler" in item for item in invite_raw["saksliste"])
    assert "sendt" not in invite_raw
    ok("render", f"{CASE}_innkalling.yaml", cwd=tmp_path)
    assert "invitation_due" not in {i["kind"] for i in items(tmp_path)}


def test_skeleton_for_a_case_as_a_workbook(tmp_path):
    write(tmp_path, "inn1.yaml", invitation(-20))
    write(tmp_path, "ref1.yaml", first_minutes(-20, 30))
    ok("render", "inn1.yaml", cwd=tmp_path)
    ok("skeleton", "referat", "--sak", CASE, "--xlsx", cwd=tmp_path)
    book = load_workbook(tmp_path / f"{CASE}_referat.xlsx")
    assert "Tiltak fra forrige" in book.sheetnames
    ok("render", f"{CASE}_referat.xlsx", cwd=tmp_path)  # the invitation's meeting, as it is
    assert (tmp_path / "outbox" / CASE / f"{day(-20)}_referat.docx").is_file()


def test_a_skeleton_for_an_unknown_case_says_what_to_do(tmp_path):
    write(tmp_path, "inn1.yaml", invitation(10))
    ok("render", "inn1.yaml", cwd=tmp_path)
    done = run_cli("skeleton", "innkalling", "--sak", CASE, cwd=tmp_path)
    assert done.returncode == 1 and "ikke noe neste møte" in done.stderr.replace("har ikke", "ikke")


def test_a_closed_case_is_left_out_until_reopened(tmp_path):
    minutes = first_minutes(-40, 40)
    minutes["avslutning"] = "Kari ønsker ikke lenger ansvarsgruppe."
    write(tmp_path, "ref.yaml", minutes)
    ok("render", "ref.yaml", cwd=tmp_path)
    assert items(tmp_path) == []
    overview = json.loads(ok("oversikt", "--json", cwd=tmp_path).stdout)
    assert overview["open"] == [] and [c["case"] for c in overview["closed"]] == [CASE]
    assert overview["closed"][0]["closed_on"] == T.isoformat()

    shown = ok("sak", CASE, "--gjenåpne", cwd=tmp_path).stdout
    assert f"Saken {CASE} er åpnet igjen." in shown
    assert {i["kind"] for i in items(tmp_path)} == {"overdue_action"}
    overview = json.loads(ok("oversikt", "--json", cwd=tmp_path).stdout)
    [row] = overview["open"]
    assert (row["case"], row["open_actions"], row["overdue_actions"]) == (CASE, 3, 2)


def test_the_overview_workbook(tmp_path):
    write(tmp_path, "inn.yaml", invitation(-20))
    write(tmp_path, "ref.yaml", first_minutes(-20, 30))
    ok("render", "inn.yaml", "ref.yaml", cwd=tmp_path)
    ok("oversikt", "--xlsx", "tok.xlsx", cwd=tmp_path)
    book = load_workbook(tmp_path / "tok.xlsx")
    assert book.sheetnames == ["Åpne saker", "Avsluttede saker", "Forklaring"]
    sheet = book["Åpne saker"]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["Sak", "Person", "Koordinator"] and "Samtykke gyldig til" in header
    assert sheet.freeze_panes == "B2" and sheet.auto_filter.ref
    last = sheet.cell(row=2, column=header.index("Siste møte") + 1)
    assert last.value.date() == dt.date.fromisoformat(day(-20))
    assert last.number_format == "DD.MM.YYYY"
    explained = [r[0] for r in book["Forklaring"].iter_rows(values_only=True)]
    assert "Over fristen" in explained
    ok("oppfolging", "--xlsx", "frister.xlsx", cwd=tmp_path)
    rows = list(load_workbook(tmp_path / "frister.xlsx")["Oppfølging"].iter_rows(values_only=True))
    assert rows[0] == ("Dato", "Sak", "Hva slags", "Hva", "Gjør dette")
    assert rows[1][2] == "tiltak over fristen"


def test_a_moved_and_then_cancelled_meeting(tmp_path):
    folder = tmp_path / "outbox" / CASE
    write(tmp_path, "a.yaml", invitation(14))
    write(tmp_path, "b.yaml", invitation(21, flyttet_fra=day(14)))
    ok("render", "a.yaml", "b.yaml", cwd=tmp_path)
    first = (folder / f"{day(14)}_innkalling.ics").read_text()
    moved = (folder / f"{day(21)}_innkalling.ics").read_text()
    uid = next(line for line in first.splitlines() if line.startswith("UID:"))
    assert uid in moved.splitlines() and "SEQUENCE:1" in moved
    letter = docx_text(folder / f"{day(21)}_innkalling.docx")
    assert "Møtet er flyttet fra" in letter
    assert json.loads(ok("sak", CASE, "--json", cwd=tmp_path).stdout)["next_meeting"] == day(21)

    write(tmp_path, "c.yaml", invitation(21, avlyst=True))
    ok("render", "c.yaml", cwd=tmp_path)
    cancel = (folder / f"{day(21)}_innkalling_avlyst.ics").read_text().splitlines()
    assert uid in cancel and "METHOD:CANCEL" in cancel and "STATUS:CANCELLED" in cancel
    assert "SEQUENCE:2" in cancel
    assert "Møtet er avlyst" in docx_text(folder / f"{day(21)}_innkalling_avlyst.docx")
    assert json.loads(ok("sak", CASE, "--json", cwd=tmp_path).stdout)["next_meeting"] is None


def test_minutes_are_due_from_the_date_a_meeting_moved_to(tmp_path):
    write(tmp_path, "a.yaml", invitation(-40))
    write(tmp_path, "b.yaml", invitation(-25, flyttet_fra=day(-40)))
    ok("render", "a.yaml", "b.yaml", cwd=tmp_path)
    [missing] = [i for i in items(tmp_path) if i["kind"] == "minutes_missing"]
    assert f"møtet {no(-25)}" in missing["what"]


def test_the_routines_age_table():
    born = dt.date(2021, 5, 14)
    rows = {t.what.split(":")[0]: t for t in transitions(born)}
    assert rows["2 år før skolestart i august 2027"].when == dt.date(2025, 8, 15)
    last = rows["Siste år i barnehagen før skolestart i august 2027"]
    assert (last.when, last.until) == (dt.date(2026, 8, 15), dt.date(2027, 8, 15))
    assert rows["7. trinn"].when == dt.date(2034, 2, 1)  # early spring of 7th grade
    assert rows["18 år"].when == dt.date(2039, 5, 14)
    assert rows["18 år"].shown_from == dt.date(2038, 5, 14)


def test_a_consent_not_signed_within_two_weeks_and_then_signed(tmp_path):
    from ipdocs import followup
    from ipdocs.facts import pack
    from ipdocs.kinds import DocumentKind
    from ipdocs.ledger import Ledger
    from ipdocs.results import Made, Result

    made_on = T - dt.timedelta(days=20)
    path = tmp_path / "outbox" / CASE / f"{made_on.isoformat()}_samtykke.docx"
    facts = {
        "kind": "samtykke",
        "made_on": made_on.isoformat(),
        "person": {"name": "Kari Nordmann", "birth_date": None},
        "consent": {"valid_from": made_on.isoformat(), "valid_to": day(300)},
    }
    consent = Made("", CASE, DocumentKind.consent, made_on, path, (), facts=pack(facts))
    with Ledger.for_outbox(tmp_path / "outbox") as ledger:
        ledger.record(Result(tmp_path / "s.yaml", (consent,), (), "s"))
        [item] = followup.due(ledger, T)
        assert item.kind == "consent_unsigned" and item.date == made_on + dt.timedelta(days=14)
        assert f"{CASE}_samtykke_signert.pdf" in item.todo
        scan = path.parent / "signert" / f"{CASE}_samtykke_signert.pdf"
        ledger.add_signed(CASE, "samtykke", made_on, scan, "x", name=scan.name)
        assert followup.due(ledger, T) == []


def test_a_deadline_on_a_holiday_moves_to_a_working_day():
    from ipdocs.rules import deadline_on

    assert deadline_on(dt.date(2026, 12, 25)) == dt.date(2026, 12, 28)  # juledag, weekend
    assert deadline_on(dt.date(2027, 5, 17), earlier=True) == dt.date(2027, 5, 14)
    assert deadline_on(dt.date(2026, 12, 2)) == dt.date(2026, 12, 2)
