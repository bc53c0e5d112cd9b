"""The ledger: inputs, documents per case, closed cases; no personal data stored."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path

from ipdocs.errors import Notice, Problem
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
