"""The ledger's tables and their versions: the schema a ledger had before versions, each later
change as one migration step run in place, and opening a database (WAL mode, then the
tables, then the steps a ledger older than this ipdocs lacks).
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

# The schema a ledger had before it carried a version (PRAGMA user_version 0). Every later
# change is one step in _MIGRATIONS, run in place, in order, when a ledger is opened.
_SCHEMA = """
CREATE TABLE IF NOT EXISTS inputs (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL,
    name TEXT NOT NULL,
    status TEXT NOT NULL,            -- ok | partial | refused | signed | duplicate
    received_at TEXT NOT NULL,
    outputs TEXT NOT NULL DEFAULT '[]',
    warnings TEXT NOT NULL DEFAULT '[]',
    problems TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX IF NOT EXISTS inputs_sha ON inputs(sha256);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    sak TEXT NOT NULL,
    kind TEXT NOT NULL,              -- innkalling | referat | samtykke | fullmakt
    date TEXT NOT NULL,              -- the document's own date, ISO
    path TEXT NOT NULL UNIQUE,       -- where the file is
    origin TEXT NOT NULL,            -- rendered | signed
    source_sha256 TEXT,
    covers_transfer INTEGER,         -- consent only: also covers moving municipality
    recorded_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_sak ON documents(sak);
CREATE TABLE IF NOT EXISTS cases (
    sak TEXT PRIMARY KEY,
    closed_at TEXT,
    reason TEXT
);
CREATE TABLE IF NOT EXISTS people (
    path TEXT PRIMARY KEY,           -- a rendered document (documents.path)
    sak TEXT NOT NULL,
    name TEXT NOT NULL               -- the person it is about: bruker, or fullmaktsgiver
);
"""


def _add_column(db: sqlite3.Connection, table: str, column: str) -> None:
    """A column added unless the ledger has it (a ledger made by main before versions)."""
    if column.split()[0] not in {row[1] for row in db.execute(f"PRAGMA table_info({table})")}:
        db.execute(f"ALTER TABLE {table} ADD COLUMN {column}")


def _v1_written_and_failures(db: sqlite3.Connection) -> None:
    """1 (issue 10): the SHA-256 of every file ipdocs wrote (an edited file is never lost),
    and where a refused input was kept and which case and document it names."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS written (
            path TEXT PRIMARY KEY,       -- a file ipdocs put in the outbox (.docx, .pdf, .ics)
            sha256 TEXT NOT NULL,        -- its bytes as written: changed since = edited by hand
            source TEXT NOT NULL,        -- the name of the input it was made from
            written_at TEXT NOT NULL
        )
        """
    )
    _add_column(db, "inputs", "kept TEXT")  # refused: where the watcher kept it (inbox/feil/…)
    _add_column(db, "inputs", "sak TEXT")  # refused: the case and document it names, if sound
    _add_column(db, "inputs", "kind TEXT")


def _v2_document_ids(db: sqlite3.Connection) -> None:
    """2 (issue 12): the document id each rendered document's QR code carries, and the
    rendered document a signed scan is a copy of."""
    db.execute(
        """
        CREATE TABLE IF NOT EXISTS refs (
            ref TEXT PRIMARY KEY,        -- the document id a rendered document's QR code carries
            path TEXT NOT NULL,          -- documents.path; a document made again keeps its old
            recorded_at TEXT NOT NULL    --   refs (the paper printed first still carries one)
        )
        """
    )
    _add_column(db, "documents", "copy_of TEXT")  # signed: the ref of the rendered original


_PLAN = """
    CREATE TABLE IF NOT EXISTS facts (
        path TEXT PRIMARY KEY,           -- documents.path
        sak TEXT NOT NULL,
        kind TEXT NOT NULL,
        date TEXT NOT NULL,              -- the document's own date
        made_on TEXT NOT NULL,           -- the day it was made, in Oslo
        person TEXT,
        birth_date TEXT,                 -- never the fødselsnummer
        coordinator TEXT,
        coordinator_service TEXT,
        meeting_date TEXT,
        next_date TEXT,                  -- minutes: the next meeting agreed
        valid_from TEXT,                 -- consent
        valid_to TEXT,
        moved_from TEXT,                 -- invitation: the date of the meeting it replaces
        cancelled INTEGER NOT NULL DEFAULT 0,
        calendar_date TEXT,              -- invitation: the date its calendar event's UID is from
        superseded TEXT,                 -- invitation: 'moved' or 'cancelled' by a later one
        evaluation INTEGER NOT NULL DEFAULT 0,
        closing INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL               -- every fact as JSON (facts.py)
    );
    CREATE INDEX IF NOT EXISTS facts_sak ON facts(sak, kind, date);
    CREATE INDEX IF NOT EXISTS facts_meeting ON facts(sak, kind, meeting_date);
    CREATE TABLE IF NOT EXISTS actions (
        path TEXT NOT NULL,              -- the minutes that agreed it
        sak TEXT NOT NULL,
        position INTEGER NOT NULL,
        what TEXT NOT NULL,
        key TEXT NOT NULL,               -- `what` compared: lower case, spaces folded
        owner TEXT NOT NULL,
        deadline TEXT NOT NULL,
        meeting_date TEXT NOT NULL,
        open INTEGER NOT NULL DEFAULT 1, -- not marked done or ended since, nor agreed again
        status TEXT NOT NULL DEFAULT '', -- what the latest later minutes said
        comment TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX IF NOT EXISTS actions_sak ON actions(sak, key, meeting_date);
    CREATE INDEX IF NOT EXISTS actions_open ON actions(open, deadline);
    CREATE INDEX IF NOT EXISTS actions_path ON actions(path);
    CREATE TABLE IF NOT EXISTS followups (
        path TEXT NOT NULL,              -- the later minutes
        sak TEXT NOT NULL,
        key TEXT NOT NULL,
        status TEXT NOT NULL,            -- utført | pågår | ikke startet | avsluttet
        comment TEXT NOT NULL DEFAULT '',
        meeting_date TEXT NOT NULL
    );
    CREATE INDEX IF NOT EXISTS followups_sak ON followups(sak, key, meeting_date);
    CREATE INDEX IF NOT EXISTS followups_path ON followups(path);
    CREATE TABLE IF NOT EXISTS plans (  -- one row per case: what follow-up reads, kept current
        sak TEXT PRIMARY KEY,
        person TEXT,
        birth_date TEXT,
        coordinator TEXT,                -- name, char(31), service
        first_date TEXT NOT NULL,
        minutes_next TEXT,               -- the next meeting the last minutes agreed
        minutes_next_invited INTEGER,    -- it has an invitation (also if moved or cancelled)
        consent TEXT,                    -- the latest consent: from, to, made on, signed
        last_evaluation TEXT
    );
    ALTER TABLE cases ADD COLUMN reopened_at TEXT;
"""


def _v3_plan(db: sqlite3.Connection) -> None:
    """3 (issue 11): the plan's memory. The facts of every rendered document, its actions
    and what later minutes said about them, one row per case for follow-up; a closed case
    can be reopened."""
    for statement in _statements(_PLAN):
        if statement.startswith("ALTER TABLE cases ADD COLUMN"):
            _add_column(db, "cases", statement.split("ADD COLUMN", 1)[1].strip(" ;"))
        else:
            db.execute(statement)


# Step n takes a ledger from version n-1 to version n (PRAGMA user_version); each step is
# safe on a ledger that already has part of it (made before versions, by main's schema).
_MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _v1_written_and_failures,
    _v2_document_ids,
    _v3_plan,
)
VERSION = len(_MIGRATIONS)
PLAN_VERSION = _MIGRATIONS.index(_v3_plan) + 1  # from here the ledger has the plan tables

_OPEN_SECONDS = 30.0


def prepare(db: sqlite3.Connection) -> None:
    """WAL mode and the tables, waiting while another process does the same.

    Switching a new file to WAL needs the file to itself, and SQLite answers "database is
    locked" at once, without waiting its busy timeout, when another process is opening it
    in that instant (a watcher and its helper processes starting together on a new outbox,
    two servers, `render` beside `watch`). So: WAL only when not already set (it stays set in
    the file), and a short retry until the timeout.
    """
    deadline = time.monotonic() + _OPEN_SECONDS
    while True:
        try:
            if str(db.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.executescript(_SCHEMA)
            _migrate(db)
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _migrate(db: sqlite3.Connection) -> None:
    """Bring the ledger to VERSION in place, one step per version, each in the transaction
    that also sets the version (another process opening it at once waits, then sees it done).
    A ledger newer than this ipdocs is left alone."""
    if int(db.execute("PRAGMA user_version").fetchone()[0]) >= VERSION:
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        for number, step in enumerate(_MIGRATIONS, start=1):
            if number > version:
                step(db)
                db.execute(f"PRAGMA user_version = {number}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise


def _statements(script: str) -> list[str]:
    """The statements of a migration step (executescript would commit on its own)."""
    found, current = [], ""
    for line in script.splitlines(keepends=True):
        current += line.split("--", 1)[0] + ("\n" if "--" in line else "")
        if sqlite3.complete_statement(current):
            found.append(current.strip())
            current = ""
    return [s for s in found if s.strip(" ;\n")]
