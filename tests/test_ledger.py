"""The ledger: inputs, documents per case, closed cases; no personal data stored."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path

from ipdocs.errors import Notice, Problem
from ipdocs.facts import pack
from ipdocs.ledger import Ledger, default_path
from ipdocs.results import Made, Refused, Result


def made(tmp_path: Path, kind="samtykke", transfer=True) -> Made:
    path = tmp_path / "outbox" / "IP-1" / f"2026-12-03_{kind}.docx"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    return Made("", "IP-1", kind, dt.date(2026, 12, 3), path, (Notice("advarsel"),), transfer)


def test_record_and_read_documents(tmp_path):
    with Ledger.for_outbox(tmp_path / "outbox") as ledger:
        ledger.record(Result(tmp_path / "s.yaml", (made(tmp_path),), (), "abc"))
        [row] = ledger.documents("IP-1")
        assert (row.kind, row.date, row.origin, row.covers_transfer) == (
            "samtykke",
            dt.date(2026, 12, 3),
            "rendered",
            True,
        )
        assert ledger.done_before("abc").name == "s.yaml"
        assert ledger.done_before("other") is None
    assert default_path(tmp_path / "outbox").is_file()


def test_rendering_again_updates_the_same_document(tmp_path):
    with Ledger.for_outbox(tmp_path / "outbox") as ledger:
        ledger.record(Result(tmp_path / "s.yaml", (made(tmp_path, transfer=False),), (), "a"))
        ledger.record(Result(tmp_path / "s.yaml", (made(tmp_path, transfer=True),), (), "b"))
        [row] = ledger.documents("IP-1")
        assert row.covers_transfer is True and row.source_sha256 == "b"


def test_signed_documents_and_closed_cases(tmp_path):
    scan = tmp_path / "outbox" / "IP-1" / "signert" / "IP-1_samtykke_signert.pdf"
    scan.parent.mkdir(parents=True)
    scan.write_bytes(b"%PDF")
    with Ledger.for_outbox(tmp_path / "outbox") as ledger:
        ledger.add_signed("IP-1", "samtykke", dt.date(2026, 12, 3), scan, "sha", name=scan.name)
        assert [d.origin for d in ledger.documents("IP-1")] == ["signed"]
        assert not ledger.is_closed("IP-1")
        ledger.close_case("IP-1", "avslutning")
        assert ledger.is_closed("IP-1")


def test_refused_input_is_recorded_without_a_fodselsnummer(tmp_path):
    problem = Problem("feltet «sak»", "«15876510089» kan ikke brukes.")
    with Ledger.for_outbox(tmp_path / "outbox") as ledger:
        ledger.record(Result(tmp_path / "bad.yaml", (), (Refused("", (problem,)),), "d"))
        [row] = ledger.recent()
        assert row.status == "refused" and row.problems
    dump = "\n".join(sqlite3.connect(default_path(tmp_path / "outbox")).iterdump())
    assert "15876510089" not in dump


def test_the_person_a_case_is_about_for_the_archive_cover(tmp_path):
    def named(kind, person):
        return dataclasses.replace(made(tmp_path, kind=kind), person=person)

    with Ledger.for_outbox(tmp_path / "outbox") as ledger:
        assert ledger.person_name("IP-1") is None
        ledger.record(Result(tmp_path / "f.yaml", (named("fullmakt", "Peder Berg"),), (), "f"))
        assert ledger.person_name("IP-1") == "Peder Berg"  # a fullmakt only when nothing else
        ledger.record(Result(tmp_path / "i.yaml", (named("innkalling", "Kari Nordmann"),), (), "i"))
        ledger.record(Result(tmp_path / "f.yaml", (named("fullmakt", "Peder Berg"),), (), "g"))
        assert ledger.person_name("IP-1") == "Kari Nordmann"
        ledger.record(Result(tmp_path / "i.yaml", (named("innkalling", "Kari Nordvik"),), (), "j"))
        assert ledger.person_name("IP-1") == "Kari Nordvik"  # the name as last rendered
        assert ledger.person_name("IP-2") is None


def test_duplicates_and_open_failures(tmp_path):
    problem = Problem("feltet «mote.dato»", "Datoen finnes ikke.")
    refused = (Refused("", (problem,)),)
    with Ledger.for_outbox(tmp_path / "outbox") as ledger:
        ledger.record(Result(tmp_path / "a.yaml", (), refused, "1"))
        ledger.record(Result(tmp_path / "b.yaml", (), refused, "2"))
        ledger.record(Result(tmp_path / "a.yaml", (made(tmp_path),), (), "3"))  # a fixed
        assert [r.name for r in ledger.open_failures()] == ["b.yaml"]
        first = ledger.done_before("3")
        ledger.add_duplicate("3", "kopi.yaml", of=first)
        assert ledger.recent(1)[0].status == "duplicate"
        assert ledger.recent(1)[0].outputs == first.outputs
        assert ledger.done_before("3").name == "a.yaml"  # a copy is not a source


def test_a_signed_consent_keeps_its_scope(tmp_path):
    scan = tmp_path / "outbox" / "IP-1" / "signert" / "2026-12-03_samtykke_signert.pdf"
    scan.parent.mkdir(parents=True)
    scan.write_bytes(b"%PDF")
    with Ledger.for_outbox(tmp_path / "outbox") as ledger:
        ledger.add_signed(
            "IP-1", "samtykke", dt.date(2026, 12, 3), scan, "s", name="x.pdf", covers_transfer=True
        )
        [row] = ledger.documents("IP-1")
        assert (row.origin, row.covers_transfer) == ("signed", True)


def test_the_ledger_opens_to_the_group_under_the_services_umask(tmp_path):
    # The umask is read once at import, as systemd's UMask= sets it: so in a fresh process.
    import subprocess
    import sys

    from conftest import ROOT

    script = (
        "import os, sys; os.umask(0o007); sys.path.insert(0, sys.argv[2])\n"
        "from pathlib import Path\n"
        "from ipdocs.ledger import Ledger\n"
        "with Ledger.for_outbox(Path(sys.argv[1])) as ledger:\n"
        "    ledger.close_case('IP-1', 'avslutning')\n"
        "    print(oct(os.stat(ledger.path).st_mode & 0o777))\n"
        "    print(oct(os.stat(str(ledger.path) + '-wal').st_mode & 0o777))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "outbox"), str(ROOT / "src")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == ["0o660", "0o660"], done.stderr


def _open_when_told(outbox: Path, barrier, errors) -> None:
    barrier.wait()  # both processes open the new file in the same instant
    try:
        with Ledger.for_outbox(outbox) as ledger:
            ledger.recent()
    except Exception as exc:  # noqa: BLE001 - handed to the test
        errors.put(repr(exc))


def test_two_processes_opening_a_new_ledger_at_once_both_get_it(tmp_path):
    """Found by CI in a fresh clone: `ipdocs watch` and its helper process opened a new
    outbox's ledger in the same instant, and one stopped with "database is locked" (SQLite
    answers the switch to WAL at once, without waiting its busy timeout). Before the fix this
    failed in about two rounds of three."""
    import multiprocessing

    context = multiprocessing.get_context("fork")
    for round_ in range(30):
        outbox = tmp_path / f"outbox-{round_}"
        barrier, errors = context.Barrier(2), context.Queue()
        processes = [
            context.Process(target=_open_when_told, args=(outbox, barrier, errors))
            for _ in range(2)
        ]
        for process in processes:
            process.start()
        for process in processes:
            process.join(timeout=60)
        assert [p.exitcode for p in processes] == [0, 0]
        assert errors.empty(), f"round {round_}: {errors.get()}"
        with sqlite3.connect(default_path(outbox)) as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_ledger_made_before_document_ids_is_upgraded_in_place(tmp_path):
    """An outbox from before the QR codes: the ledger gains the tables and columns, keeps its
    rows, and the documents rendered after that are found by their id."""
    path = default_path(tmp_path / "outbox")
    path.parent.mkdir(parents=True)
    old = sqlite3.connect(path)
    old.executescript(
        """
        CREATE TABLE inputs (id INTEGER PRIMARY KEY, sha256 TEXT NOT NULL, name TEXT NOT NULL,
            status TEXT NOT NULL, received_at TEXT NOT NULL, outputs TEXT NOT NULL DEFAULT '[]',
            warnings TEXT NOT NULL DEFAULT '[]', problems TEXT NOT NULL DEFAULT '[]');
        CREATE TABLE documents (id INTEGER PRIMARY KEY, sak TEXT NOT NULL, kind TEXT NOT NULL,
            date TEXT NOT NULL, path TEXT NOT NULL UNIQUE, origin TEXT NOT NULL,
            source_sha256 TEXT, covers_transfer INTEGER, recorded_at TEXT NOT NULL);
        INSERT INTO documents (sak, kind, date, path, origin, recorded_at)
            VALUES ('IP-1', 'referat', '2026-11-03', '/old/referat.docx', 'rendered', 'x');
        """
    )
    old.commit()
    old.close()
    with Ledger(path) as ledger:
        [before] = ledger.documents("IP-1")
        assert (before.kind, before.date, before.copy_of) == ("referat", dt.date(2026, 11, 3), None)
        ledger.record(
            Result(tmp_path / "s.yaml", (dataclasses.replace(made(tmp_path), ref="7KD2M9QX"),), ())
        )
        found = ledger.document_by_ref("7KD2M9QX")
        assert (found.case, found.kind) == ("IP-1", "samtykke")
        assert ledger.document_by_ref("AAAAAAAA") is None
        ledger.add_signed(
            "IP-1", "samtykke", found.date, tmp_path / "s.pdf", "d", name="s", copy_of="7KD2M9QX"
        )
        assert [d.copy_of for d in ledger.documents("IP-1") if d.origin == "signed"] == ["7KD2M9QX"]
    columns = {r[1] for r in sqlite3.connect(path).execute("PRAGMA table_info(documents)")}
    assert "copy_of" in columns


# The ledger schema as it was on main before it carried a version (PRAGMA user_version 0):
# a copy, so the upgrade is tested from what coordinators' outboxes really hold.
OLD_SCHEMA = """
CREATE TABLE IF NOT EXISTS inputs (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,
    received_at TEXT NOT NULL,
    outputs TEXT NOT NULL DEFAULT '[]',
    warnings TEXT NOT NULL DEFAULT '[]',
    problems TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS inputs_sha ON inputs(sha256);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    sak TEXT NOT NULL,
    kind TEXT NOT NULL,
    date TEXT NOT NULL,
    path TEXT NOT NULL UNIQUE,
    origin TEXT NOT NULL,
    source_sha256 TEXT,
    covers_transfer INTEGER,
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_sak ON documents(sak);
CREATE TABLE IF NOT EXISTS cases (
    sak TEXT PRIMARY KEY,
    closed_at TEXT,
    reason TEXT
);
CREATE TABLE IF NOT EXISTS people (
    path TEXT PRIMARY KEY,
    sak TEXT NOT NULL,
    name TEXT NOT NULL
);
"""


def old_ledger(outbox: Path) -> Path:
    path = default_path(outbox)
    path.parent.mkdir(parents=True)
    db = sqlite3.connect(path)
    db.executescript(OLD_SCHEMA)
    old = outbox / "IP-1" / "2026-01-08_innkalling.docx"
    db.execute(
        "INSERT INTO documents (sak, kind, date, path, origin, recorded_at)"
        " VALUES ('IP-1', 'innkalling', '2026-01-08', ?, 'rendered', '2026-01-01T10:00:00+01:00')",
        (str(old),),
    )
    db.execute("INSERT INTO cases (sak, closed_at, reason) VALUES ('IP-9', '2026-02-01', 'x')")
    db.commit()
    db.close()
    return path


def test_an_old_ledger_is_upgraded_in_place(tmp_path):
    from conftest import run_cli

    from ipdocs.ledger import VERSION

    path = old_ledger(tmp_path / "outbox")
    (tmp_path / "ref.yaml").write_text(
        "dokument: referat\nsak: IP-1\nbruker: {navn: Kari Nordmann}\n"
        "koordinator: {navn: Ola Hansen}\nreferent: Line Berg\n"
        "mote: {dato: 2026-01-08, fra: '09:00', til: '10:00', sted: Rådhuset}\n"
        "deltakere: [{navn: Per Olsen, rolle: Fastlege}]\n"
        "tiltak: [{tiltak: Søke om avlastning, ansvar: Koordinator, frist: 2026-02-01}]\n",
        encoding="utf-8",
    )
    done = run_cli("render", "ref.yaml", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == VERSION
    kinds = [r[0] for r in db.execute("SELECT kind FROM documents ORDER BY date, id")]
    assert kinds == ["innkalling", "referat"]  # what the old ledger had is kept
    assert db.execute("SELECT closed_at FROM cases WHERE sak = 'IP-9'").fetchone()[0]
    db.close()
    shown = run_cli("sak", "IP-1", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert "Søke om avlastning, ansvar Koordinator, frist 01.02.2026 – over fristen" in shown.stdout
    assert "08.01.2026  innkalling  (laget)" in shown.stdout


def test_opening_an_upgraded_ledger_again_changes_nothing(tmp_path):
    path = old_ledger(tmp_path / "outbox")
    Ledger(path).close()
    Ledger(path).close()
    db = sqlite3.connect(path)
    columns = [r[1] for r in db.execute("PRAGMA table_info(cases)")]
    assert columns.count("reopened_at") == 1


def test_a_document_made_again_replaces_its_facts(tmp_path):
    def minutes(actions):
        facts = {
            "kind": "referat",
            "made_on": "2026-12-03",
            "person": {"name": "Kari Nordmann", "birth_date": "2021-05-14"},
            "meeting": {"date": "2026-12-03"},
            "actions": [
                {"what": w, "owner": "Koordinator", "deadline": "2026-12-10"} for w in actions
            ],
        }
        return dataclasses.replace(made(tmp_path, kind="referat"), facts=pack(facts))

    with Ledger.for_outbox(tmp_path / "outbox") as ledger:
        ledger.record(Result(tmp_path / "r.yaml", (minutes(["A", "B"]),), (), "1"))
        ledger.record(Result(tmp_path / "r.yaml", (minutes(["C"]),), (), "2"))
        assert [a.what for a in ledger.open_actions(case="IP-1")] == ["C"]
        assert len(ledger.plan("IP-1")) == 1


def test_facts_never_hold_a_fodselsnummer(tmp_path):
    from conftest import run_cli

    (tmp_path / "s.yaml").write_text(
        "dokument: samtykke\nsak: IP-1\nbruker: {navn: Kari Nordmann, fodselsnummer: '15876510089'}\n"
        "gjelder: [ansvarsgruppe]\nopplysninger: Helse\nmottakere: [NAV]\nformal: Samordne\n"
        "gyldig_fra: 2026-12-03\ngyldig_til: 2027-12-03\n",
        encoding="utf-8",
    )
    assert run_cli("render", "s.yaml", cwd=tmp_path).returncode == 0
    dump = "\n".join(sqlite3.connect(default_path(tmp_path / "outbox")).iterdump())
    assert "15876510089" not in dump and "1965-07-15" in dump  # the birth date only
    shown = run_cli("sak", "IP-1", "--json", cwd=tmp_path)
    assert "15876510089" not in shown.stdout and '"birth_date": "1965-07-15"' in shown.stdout


def test_a_ledger_with_part_of_a_step_already_is_upgraded(tmp_path):
    """A ledger made between versions (the `written` table and the inputs' `kept`, `sak` and
    `kind` columns, as main made them before PRAGMA user_version): step 1 keeps what is there."""
    from ipdocs.ledger import VERSION

    path = old_ledger(tmp_path / "outbox")
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE written (path TEXT PRIMARY KEY, sha256 TEXT NOT NULL, source TEXT NOT NULL,"
        " written_at TEXT NOT NULL);"
        "ALTER TABLE inputs ADD COLUMN kept TEXT; ALTER TABLE inputs ADD COLUMN sak TEXT;"
        "ALTER TABLE inputs ADD COLUMN kind TEXT;"
        "INSERT INTO written VALUES ('/x.docx', 'abc', 'a.yaml', '2026-01-01');"
    )
    db.commit()
    db.close()
    Ledger(path).close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == VERSION
    assert db.execute("SELECT sha256 FROM written").fetchall() == [("abc",)]
    assert [r[1] for r in db.execute("PRAGMA table_info(inputs)")].count("kept") == 1


def test_path_keys_are_the_resolved_paths(tmp_path, monkeypatch):
    from ipdocs.ledger import PathKeys

    real = tmp_path / "disk" / "utboks"
    (real / "IP-1").mkdir(parents=True)
    (tmp_path / "snarvei").symlink_to(real)  # the outbox reached through a link
    (real / "IP-1" / "a.docx").write_bytes(b"x")
    (real / "IP-1" / "lenke.docx").symlink_to(real / "IP-1" / "a.docx")
    monkeypatch.chdir(tmp_path)
    keys = PathKeys()
    for path in [
        tmp_path / "snarvei" / "IP-1" / "a.docx",
        tmp_path / "snarvei" / "IP-1" / "lenke.docx",  # a link to another file
        tmp_path / "snarvei" / "IP-1" / "ny.docx",  # not there yet
        tmp_path / "snarvei" / "IP-2" / "ny.docx",  # nor its folder
        tmp_path / "snarvei" / "IP-1" / ".." / "IP-1" / "a.docx",
        Path("snarvei") / "IP-1" / "a.docx",  # relative to the working folder
        str(tmp_path / "snarvei" / "IP-1" / "a.docx"),
    ]:
        assert keys(path) == str(Path(path).resolve()), path
        assert keys(path) == str(Path(path).resolve()), path  # and again, from its cache
