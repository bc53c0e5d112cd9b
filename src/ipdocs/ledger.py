"""The ledger: an embedded SQLite database of every input seen and every document per case.

The pipeline records each result here; the watcher asks it whether identical bytes were
already done; the archive bundler reads a case's documents from it and never re-parses
inputs. It lives in `<outbox>/.ipdocs/ledger.sqlite` (WAL mode) unless a path is given.

It stores file names, case keys, kinds, dates and hashes, and the name of the person each
rendered document is about (the archive cover shows it; the ledger lives in the outbox, beside
documents that hold the same name). Never a fødselsnummer (problems are stored as their redacted
text), and the name never goes into a log line or a file name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import redact
from .model import CLOSED_STATUSES
from .publish import FILE_MODE, disk_full
from .results import Result

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
_PLAN_VERSION = _MIGRATIONS.index(_v3_plan) + 1  # from here the ledger has the plan tables
_CLOSED = ", ".join(f"'{s}'" for s in CLOSED_STATUSES)


def action_key(what: str) -> str:
    """How an action is recognised in a later minutes: its text, case and spacing aside."""
    return " ".join(what.casefold().split())


@dataclass(frozen=True)
class DocumentRow:
    case: str
    kind: str
    date: dt.date
    path: Path
    origin: str  # "rendered" or "signed"
    source_sha256: str | None
    covers_transfer: bool | None
    copy_of: str | None = None  # signed: the ref of the rendered document it is a copy of


@dataclass(frozen=True)
class PlanRow:
    """One document's plan facts (facts.py), as the ledger keeps them."""

    case: str
    kind: str
    date: dt.date
    path: Path
    superseded: str | None  # invitation: "moved" or "cancelled" by a later invitation
    facts: dict[str, Any]


@dataclass(frozen=True)
class ActionRow:
    """An action still open: agreed in a minutes, not marked done or ended by a later one."""

    case: str
    what: str
    owner: str
    deadline: dt.date
    agreed_on: dt.date  # the meeting that agreed it
    status: str  # what the latest minutes said ("" when none said anything yet)
    comment: str


@dataclass(frozen=True)
class CaseRow:
    """One case's follow-up state, from the facts of its documents (one row per case)."""

    case: str
    person: str | None
    birth_date: dt.date | None
    coordinator: str | None
    coordinator_service: str | None
    first_date: dt.date
    last_meeting: dt.date | None
    next_meeting: dt.date | None  # invited, or agreed in the last minutes
    next_invited: bool  # the next meeting has an invitation
    last_minutes_next: dt.date | None  # the next meeting the last minutes agreed
    consent_from: dt.date | None
    consent_to: dt.date | None
    consent_made_on: dt.date | None
    consent_signed: bool
    last_evaluation: dt.date | None
    closed_at: str | None
    open_actions: int
    overdue_actions: int


@dataclass(frozen=True)
class InputRow:
    sha256: str
    name: str
    status: str
    received_at: str
    outputs: list[str]
    warnings: list[str]
    problems: list[str]


def default_path(outbox: Path) -> Path:
    return outbox / ".ipdocs" / "ledger.sqlite"


_OPEN_SECONDS = 30.0


def _prepare(db: sqlite3.Connection) -> None:
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


@contextlib.contextmanager
def _full_disk(path: Path) -> Iterator[None]:
    """SQLite's "database or disk is full" is the OutputError every full disk is."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL:
            folder = path.parent.parent if path.parent.name == ".ipdocs" else path.parent
            raise disk_full(folder) from None
        raise


@dataclass(frozen=True)
class Failure:
    """A refused input, and why it no longer needs anyone (None: it is still open)."""

    row: InputRow
    cleared: str | None
    kept: Path | None  # where the watcher put the file (inbox/feil/…), if it did


class Ledger:
    def __init__(self, path: Path, *, readonly: bool = False):
        self.path = path
        self._in_transaction = False
        if readonly:
            # `ipdocs check` reads what was made before (closed cases, the consent a scan is a
            # copy of) and writes nothing.
            self._db = sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro",
                uri=True,
                timeout=30,
                isolation_level=None,
                check_same_thread=False,
            )
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists()
        # One connection per Ledger; autocommit mode, each write its own short transaction.
        self._db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
        if new:
            # SQLite makes its file 0644 minus the umask; under the service's UMask=0007 that
            # shuts out the coordinators in the group, who render and archive in the same
            # outbox. Give it the mode every published file gets (its -wal and -shm copy it).
            with contextlib.suppress(OSError):
                os.chmod(path, FILE_MODE)
        with _full_disk(path):
            _prepare(self._db)

    @classmethod
    def for_outbox(cls, outbox: Path) -> Ledger:
        return cls(default_path(outbox))

    @classmethod
    def existing(cls, outbox: Path) -> Ledger | None:
        """The outbox's ledger opened read-only, or None when nothing was made there yet."""
        path = default_path(outbox)
        return cls(path, readonly=True) if path.is_file() else None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ----------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """One write transaction: committed when the block ends without an error, rolled back
        when it raises. The run moves a file's documents into the outbox inside one, after
        `record`, so the commit is the last step: a ledger that cannot commit (a full disk)
        raises before the documents count as published, and the run takes them back.

        SQLite's "database or disk is full" becomes the OutputError every full disk is.
        """
        with _full_disk(self.path), self._db:
            self._db.execute("BEGIN IMMEDIATE")
            self._in_transaction = True
            try:
                yield
            finally:
                self._in_transaction = False

    def record(self, result: Result) -> None:
        """Record a pipeline Result: the input, and every document it made (in the open
        `transaction`, or in one of its own)."""
        if self._in_transaction:
            self._insert(result)
            return
        with self.transaction():
            self._insert(result)

    def _insert(self, result: Result) -> None:
        now = _now()
        named = {(r.case, r.kind) for r in result.refused if r.case and r.kind}
        case, kind = named.pop() if len(named) == 1 else (None, None)
        self._db.execute(
            "INSERT INTO inputs (sha256, name, status, received_at, outputs, warnings, problems,"
            " sak, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                result.sha256 or "",
                redact(result.source.name),
                result.status,
                now,
                json.dumps([str(p) for p in result.documents]),
                json.dumps([str(w) for w in result.warnings], ensure_ascii=False),
                json.dumps([redact(str(p)) for p in result.problems], ensure_ascii=False),
                case,
                kind,
            ),
        )
        for made in result.made:
            if made.path is not None:
                self._upsert_document(
                    made.case,
                    made.kind,
                    made.date,
                    made.path,
                    "rendered",
                    result.sha256,
                    made.covers_transfer,
                    now,
                )
                if made.person:
                    self._db.execute(
                        "INSERT OR REPLACE INTO people (path, sak, name) VALUES (?, ?, ?)",
                        (str(Path(made.path).resolve()), made.case, redact(made.person)),
                    )
                ref = getattr(made, "ref", "")
                if ref:
                    self._db.execute(
                        "INSERT OR IGNORE INTO refs (ref, path, recorded_at) VALUES (?, ?, ?)",
                        (ref, str(Path(made.path).resolve()), now),
                    )
                if made.facts is not None:
                    self._record_facts(
                        str(Path(made.path).resolve()), made.case, made.kind, made.date, made.facts
                    )

    def _record_facts(
        self, path: str, case: str, kind: str, date: dt.date, facts: dict[str, Any]
    ) -> None:
        """The plan facts of one document; a document made again replaces its facts."""
        db = self._db
        for table in ("facts", "actions", "followups"):
            db.execute(f"DELETE FROM {table} WHERE path = ?", (path,))  # noqa: S608
        person = facts.get("person") or {}
        coordinator = facts.get("coordinator") or {}
        meeting = facts.get("meeting") or {}
        consent = facts.get("consent") or {}
        next_meeting = facts.get("next_meeting") or {}
        meeting_date = meeting.get("date")
        db.execute(
            "INSERT INTO facts (path, sak, kind, date, made_on, person, birth_date, coordinator,"
            " coordinator_service, meeting_date, next_date, valid_from, valid_to, moved_from,"
            " cancelled, calendar_date, evaluation, closing, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                path,
                case,
                kind,
                date.isoformat(),
                facts.get("made_on") or date.isoformat(),
                person.get("name"),
                person.get("birth_date"),
                coordinator.get("name"),
                coordinator.get("service"),
                meeting_date,
                next_meeting.get("date"),
                consent.get("valid_from"),
                consent.get("valid_to"),
                facts.get("moved_from"),
                int(bool(facts.get("cancelled"))),
                facts.get("calendar_date"),
                int(bool(facts.get("evaluation"))),
                int(bool(facts.get("closing"))),
                json.dumps(facts, ensure_ascii=False),
            ),
        )
        if kind == "innkalling":
            self._mark_superseded(case, path, facts, meeting_date)
        for position, action in enumerate(facts.get("actions") or []):
            db.execute(
                "INSERT INTO actions (path, sak, position, what, key, owner, deadline,"
                " meeting_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    path,
                    case,
                    position,
                    action["what"],
                    action_key(action["what"]),
                    action["owner"],
                    action["deadline"],
                    meeting_date,
                ),
            )
        for followup in facts.get("followups") or []:
            db.execute(
                "INSERT INTO followups (path, sak, key, status, comment, meeting_date)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    path,
                    case,
                    action_key(followup["what"]),
                    followup["status"],
                    followup.get("comment") or "",
                    meeting_date,
                ),
            )
        if kind == "referat":
            self._refresh_actions(case)
        self._refresh_plan(case)
        if kind == "referat" and facts.get("closing"):
            # The routine: the last minutes documents why the group is closed.
            db.execute(
                "INSERT INTO cases (sak, closed_at, reason) VALUES (?, ?, 'avslutning i referat')"
                " ON CONFLICT(sak) DO UPDATE SET closed_at=excluded.closed_at,"
                " reason=excluded.reason",
                (case, _now()),
            )

    def _refresh_plan(self, case: str) -> None:
        """The case's row in `plans`, worked out from its facts when a document is recorded."""
        self._db.execute(
            """
            INSERT OR REPLACE INTO plans (sak, person, birth_date, coordinator, first_date,
                minutes_next, minutes_next_invited, consent, last_evaluation)
            SELECT s.sak,
              (SELECT person FROM facts WHERE sak = s.sak AND kind != 'fullmakt'
               AND person IS NOT NULL ORDER BY date DESC, made_on DESC LIMIT 1),
              (SELECT birth_date FROM facts WHERE sak = s.sak AND birth_date IS NOT NULL
               ORDER BY date DESC, made_on DESC LIMIT 1),
              (SELECT f.coordinator || char(31) || COALESCE(NULLIF(f.coordinator_service, ''),
                      (SELECT g.coordinator_service FROM facts g WHERE g.sak = f.sak
                       AND g.coordinator = f.coordinator AND g.coordinator_service != ''
                       ORDER BY g.date DESC LIMIT 1), '')
               FROM facts f WHERE f.sak = s.sak AND f.coordinator IS NOT NULL
               ORDER BY f.date DESC, f.made_on DESC LIMIT 1),
              (SELECT MIN(date) FROM facts WHERE sak = s.sak),
              (SELECT next_date FROM facts WHERE sak = s.sak AND kind = 'referat'
               ORDER BY meeting_date DESC, made_on DESC LIMIT 1),
              (SELECT 1 FROM facts WHERE sak = s.sak AND kind = 'innkalling'
               AND meeting_date = (SELECT next_date FROM facts WHERE sak = s.sak
                                   AND kind = 'referat'
                                   ORDER BY meeting_date DESC, made_on DESC LIMIT 1)),
              (SELECT valid_from || char(31) || valid_to || char(31) || made_on || char(31)
                      || EXISTS (SELECT 1 FROM documents d WHERE d.sak = c.sak
                                 AND d.kind = 'samtykke' AND d.origin = 'signed'
                                 AND d.date >= c.valid_from)
               FROM facts c WHERE c.sak = s.sak AND c.kind = 'samtykke'
               ORDER BY c.valid_to DESC, c.made_on DESC LIMIT 1),
              (SELECT MAX(meeting_date) FROM facts WHERE sak = s.sak AND kind = 'referat'
               AND evaluation = 1)
            FROM (SELECT ? AS sak) s WHERE EXISTS (SELECT 1 FROM facts WHERE sak = s.sak)
            """,
            (case,),
        )

    def _refresh_actions(self, case: str) -> None:
        """Each action of the case open or not, with what the latest later minutes said about
        it: worked out here, when a minutes is recorded (or made again), for one case, so
        `oppfolging` and `oversikt` read it from an index."""
        self._db.execute(
            f"""
            UPDATE actions AS a SET
              open = NOT EXISTS (SELECT 1 FROM actions b WHERE b.sak = a.sak AND b.key = a.key
                        AND (b.meeting_date > a.meeting_date
                             OR (b.meeting_date = a.meeting_date AND b.rowid > a.rowid)))
                     AND NOT EXISTS (SELECT 1 FROM followups f WHERE f.sak = a.sak
                        AND f.key = a.key AND f.meeting_date > a.meeting_date
                        AND f.status IN ({_CLOSED})),
              status = COALESCE((SELECT f.status FROM followups f WHERE f.sak = a.sak
                        AND f.key = a.key AND f.meeting_date > a.meeting_date
                        ORDER BY f.meeting_date DESC LIMIT 1), ''),
              comment = COALESCE((SELECT f.comment FROM followups f WHERE f.sak = a.sak
                        AND f.key = a.key AND f.meeting_date > a.meeting_date
                        ORDER BY f.meeting_date DESC LIMIT 1), '')
            WHERE a.sak = ?
            """,  # noqa: S608 - the parts are fixed text, the values are parameters
            (case,),
        )

    def _mark_superseded(
        self, case: str, path: str, facts: dict[str, Any], meeting_date: str | None
    ) -> None:
        """A moving invitation supersedes the one for the date it moves from, a cancelling
        one the invitation for its own date; an invitation made after either stays replaced."""
        db = self._db
        if facts.get("moved_from"):
            db.execute(
                "UPDATE facts SET superseded = 'moved' WHERE sak = ? AND kind = 'innkalling'"
                " AND meeting_date = ? AND cancelled = 0 AND path != ?",
                (case, facts["moved_from"], path),
            )
        if facts.get("cancelled"):
            db.execute(
                "UPDATE facts SET superseded = 'cancelled' WHERE sak = ? AND kind = 'innkalling'"
                " AND meeting_date = ? AND cancelled = 0",
                (case, meeting_date),
            )
            return
        later = db.execute(
            "SELECT CASE WHEN cancelled THEN 'cancelled' ELSE 'moved' END FROM facts"
            " WHERE sak = ? AND kind = 'innkalling' AND path != ?"
            " AND ((cancelled = 1 AND meeting_date = ?) OR moved_from = ?) LIMIT 1",
            (case, path, meeting_date, meeting_date),
        ).fetchone()
        if later:
            db.execute("UPDATE facts SET superseded = ? WHERE path = ?", (later[0], path))

    def add_signed(
        self,
        case: str,
        kind: str,
        date: dt.date,
        path: Path,
        sha256: str,
        *,
        name: str,
        covers_transfer: bool | None = None,
        copy_of: str | None = None,
    ) -> None:
        """A signed scan filed to the case (FORMATS.md §3); a consent says whether it also
        covers moving municipality, as the rendered consent it is a copy of did. `copy_of` is
        the ref of that rendered document when the scan's QR code named it."""
        now = _now()
        with self.transaction():
            self._db.execute(
                "INSERT INTO inputs (sha256, name, status, received_at, outputs) VALUES (?, ?, 'signed', ?, ?)",
                (sha256, redact(name), now, json.dumps([str(path)])),
            )
            self._upsert_document(
                case, kind, date, path, "signed", sha256, covers_transfer, now, copy_of=copy_of
            )
            if kind == "samtykke" and self._has_plan():
                self._refresh_plan(case)  # the consent came back signed

    def add_stack(self, result: Result) -> None:
        """A scanned stack routed by its codes: its parts were each filed (add_signed); the
        stack itself is recorded as an input, done when no page was left over."""
        status = "partial" if result.refused else "signed"
        with self.transaction():
            self._db.execute(
                "INSERT INTO inputs (sha256, name, status, received_at, outputs, problems)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (
                    result.sha256,
                    redact(result.source.name),
                    status,
                    _now(),
                    json.dumps([str(p) for p in result.documents]),
                    json.dumps([redact(str(p)) for p in result.problems], ensure_ascii=False),
                ),
            )

    def add_duplicate(self, sha256: str, name: str, *, of: InputRow) -> None:
        """An input whose exact bytes were already made into documents: not made again."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO inputs (sha256, name, status, received_at, outputs) VALUES (?, ?, 'duplicate', ?, ?)",
                (sha256, redact(name), _now(), json.dumps(of.outputs)),
            )

    def record_written(self, files: list[tuple[Path, str]], *, source: str) -> None:
        """Files ipdocs just put in the outbox, each with its SHA-256, made from `source`."""
        now = _now()
        rows = [(str(Path(p).resolve()), sha, redact(source), now) for p, sha in files]
        sql = (
            "INSERT OR REPLACE INTO written (path, sha256, source, written_at) VALUES (?, ?, ?, ?)"
        )
        if self._in_transaction:  # the run's: committed with the documents it records
            self._db.executemany(sql, rows)
            return
        with self.transaction():
            self._db.executemany(sql, rows)

    def written(self, path: Path) -> tuple[str, str] | None:
        """The SHA-256 and input name of what ipdocs last wrote at `path`, if it did."""
        row = self._db.execute(
            "SELECT sha256, source FROM written WHERE path = ?", (str(Path(path).resolve()),)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def keep_failed(self, sha256: str, name: str, path: Path) -> None:
        """The watcher kept the refused input `name` at `path` (in inbox/feil/)."""
        with self._db:
            self._db.execute(
                "UPDATE inputs SET kept = ? WHERE id = (SELECT max(id) FROM inputs"
                " WHERE sha256 = ? AND name = ? AND status IN ('refused', 'partial'))",
                (str(Path(path).resolve()), sha256, redact(name)),
            )

    def _upsert_document(
        self,
        case: str,
        kind: str,
        date: dt.date,
        path: Path,
        origin: str,
        sha256: str,
        covers_transfer: bool | None,
        now: str,
        *,
        copy_of: str | None = None,
    ) -> None:
        self._db.execute(
            "INSERT INTO documents (sak, kind, date, path, origin, source_sha256, covers_transfer,"
            " recorded_at, copy_of) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(path) DO UPDATE SET sak=excluded.sak, kind=excluded.kind, date=excluded.date,"
            " origin=excluded.origin, source_sha256=excluded.source_sha256,"
            " covers_transfer=excluded.covers_transfer, recorded_at=excluded.recorded_at,"
            " copy_of=excluded.copy_of",
            (
                case,
                kind,
                date.isoformat(),
                str(Path(path).resolve()),
                origin,
                sha256,
                None if covers_transfer is None else int(covers_transfer),
                now,
                copy_of,
            ),
        )

    def reopen_case(self, case: str) -> bool:
        """Open a closed case again; False when it was not closed."""
        with self.transaction():
            changed = self._db.execute(
                "UPDATE cases SET closed_at = NULL, reopened_at = ? WHERE sak = ?"
                " AND closed_at IS NOT NULL",
                (_now(), case),
            ).rowcount
        return bool(changed)

    def close_case(self, case: str, reason: str) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO cases (sak, closed_at, reason) VALUES (?, ?, ?)"
                " ON CONFLICT(sak) DO UPDATE SET closed_at=excluded.closed_at, reason=excluded.reason",
                (case, _now(), reason),
            )

    # --- reading ----------------------------------------------------------------------

    def case_spelled(self, case: str) -> str:
        """The case key as the case's documents spell it (IP-2026-0042 for a scan named
        ip-2026-0042_…); the key itself when the ledger has no such case."""
        row = self._db.execute(
            "SELECT sak FROM documents WHERE sak = ? COLLATE NOCASE ORDER BY id LIMIT 1", (case,)
        ).fetchone()
        return row[0] if row else case

    def is_closed(self, case: str) -> bool:
        row = self._db.execute("SELECT closed_at FROM cases WHERE sak = ?", (case,)).fetchone()
        return bool(row and row[0])

    def done_before(self, sha256: str) -> InputRow | None:
        """The earlier input with these exact bytes that was made into documents, if any."""
        row = self._db.execute(
            "SELECT sha256, name, status, received_at, outputs, warnings, problems FROM inputs"
            " WHERE sha256 = ? AND status IN ('ok', 'signed') ORDER BY id DESC LIMIT 1",
            (sha256,),
        ).fetchone()
        return _input(row) if row else None

    def documents(self, case: str) -> list[DocumentRow]:
        rows = self._db.execute(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents d WHERE sak = ? ORDER BY date, id", (case,)
        ).fetchall()
        return [_document(r) for r in rows]

    def document_by_ref(self, ref: str) -> DocumentRow | None:
        """The rendered document whose QR code carries this id (reference.py), if any."""
        row = self._db.execute(
            f"SELECT {_DOCUMENT_COLUMNS} FROM documents d JOIN refs r ON r.path = d.path"
            " WHERE r.ref = ? AND d.origin = 'rendered'",
            (ref,),
        ).fetchone()
        return _document(row) if row else None

    def person_name(self, case: str) -> str | None:
        """The name of the person the case is about, as the last rendered document had it.

        Invitations, minutes and consents name the person (bruker); a fullmakt's grantor is
        only used when the case has nothing else.
        """
        row = self._db.execute(
            "SELECT p.name FROM people p JOIN documents d ON d.path = p.path WHERE p.sak = ?"
            " ORDER BY d.kind = 'fullmakt', d.recorded_at DESC, d.id DESC LIMIT 1",
            (case,),
        ).fetchone()
        return row[0] if row else None

    # --- the plan (facts of rendered documents) ------------------------------------------

    def _has_plan(self) -> bool:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0]) >= _PLAN_VERSION

    def calendar_date(self, case: str, date: dt.date) -> dt.date | None:
        """The first date of the calendar event the invitation for `date` belongs to."""
        if not self._has_plan():
            return None
        row = self._db.execute(
            "SELECT calendar_date FROM facts WHERE sak = ? AND kind = 'innkalling'"
            " AND meeting_date = ? AND cancelled = 0 AND calendar_date IS NOT NULL"
            " ORDER BY made_on DESC, rowid DESC LIMIT 1",
            (case, date.isoformat()),
        ).fetchone()
        return dt.date.fromisoformat(row[0]) if row else None

    def plan(self, case: str) -> list[PlanRow]:
        """Every document of the case with its facts, oldest first."""
        if not self._has_plan():
            return []
        rows = self._db.execute(
            "SELECT sak, kind, date, path, superseded, data FROM facts WHERE sak = ?"
            " ORDER BY date, made_on, rowid",
            (case,),
        ).fetchall()
        return [
            PlanRow(r[0], r[1], dt.date.fromisoformat(r[2]), Path(r[3]), r[4], json.loads(r[5]))
            for r in rows
        ]

    def open_actions(
        self, *, case: str | None = None, overdue_on: dt.date | None = None
    ) -> list[ActionRow]:
        """Open actions (all cases, or one), the latest agreement of each; with `overdue_on`,
        only those whose deadline is before that day. Closed cases are left out unless asked
        for by name."""
        if not self._has_plan():
            return []
        where, args = [], []
        if case is not None:
            where.append("a.sak = ?")
            args.append(case)
        else:
            where.append("a.sak NOT IN (SELECT sak FROM cases WHERE closed_at IS NOT NULL)")
        if overdue_on is not None:
            where.append("a.deadline < ?")
            args.append(overdue_on.isoformat())
        sql = f"""
            SELECT a.sak, a.what, a.owner, a.deadline, a.meeting_date, a.status, a.comment
            FROM actions a {"INDEXED BY actions_sak" if case else ""}
            WHERE a.open = 1 AND {" AND ".join(where)}
            ORDER BY a.deadline, a.sak, a.position
        """  # noqa: S608 - the parts are fixed text, the values are parameters
        found = []
        for sak, what, owner, deadline, agreed, status, comment in self._db.execute(sql, args):
            found.append(
                ActionRow(
                    sak,
                    what,
                    owner,
                    dt.date.fromisoformat(deadline),
                    dt.date.fromisoformat(agreed),
                    status,
                    comment,
                )
            )
        return found

    def case_rows(self, today: dt.date, *, case: str | None = None) -> list[CaseRow]:
        """Every case with documents made (or one): its follow-up state on `today`."""
        if not self._has_plan():
            return []
        day = today.isoformat()
        live = "kind = 'innkalling' AND cancelled = 0 AND superseded IS NULL"
        counts = self._action_counts(today, case)
        sql = f"""
            SELECT p.sak, p.person, p.birth_date, p.coordinator, p.first_date,
              (SELECT MAX(meeting_date) FROM facts WHERE sak = p.sak AND meeting_date <= ?
               AND (kind = 'referat' OR ({live}))),
              (SELECT MIN(meeting_date) FROM facts WHERE sak = p.sak AND meeting_date >= ?
               AND {live}),
              p.minutes_next, p.consent, p.last_evaluation, c.closed_at, p.minutes_next_invited
            FROM plans p LEFT JOIN cases c ON c.sak = p.sak
            {"WHERE p.sak = ?" if case else ""}
            ORDER BY p.sak
        """  # noqa: S608 - the parts are fixed text, the values are parameters
        args = [day, day] + ([case] if case else [])
        rows = []
        for r in self._db.execute(sql, args):
            coordinator, _, service = (r[3] or "").partition("\x1f")
            consent = (r[8] or "").split("\x1f") if r[8] else None
            invited = _day(r[6])
            agreed = _day(r[7])
            minutes_next_handled = bool(r[11])  # invited (also when moved or cancelled since)
            open_actions, overdue_actions = counts.get(r[0], (0, 0))
            next_meeting = invited
            if agreed is not None and agreed >= today and not minutes_next_handled:
                next_meeting = agreed if invited is None else min(invited, agreed)
            rows.append(
                CaseRow(
                    case=r[0],
                    person=r[1],
                    birth_date=_day(r[2]),
                    coordinator=coordinator or None,
                    coordinator_service=service or None,
                    first_date=dt.date.fromisoformat(r[4]),
                    last_meeting=_day(r[5]),
                    next_meeting=next_meeting,
                    next_invited=next_meeting is not None and next_meeting == invited,
                    last_minutes_next=agreed,
                    consent_from=_day(consent[0]) if consent else None,
                    consent_to=_day(consent[1]) if consent else None,
                    consent_made_on=_day(consent[2]) if consent else None,
                    consent_signed=bool(consent and consent[3] == "1"),
                    last_evaluation=_day(r[9]),
                    closed_at=r[10],
                    open_actions=open_actions,
                    overdue_actions=overdue_actions,
                )
            )
        return rows

    def _action_counts(self, today: dt.date, case: str | None) -> dict[str, tuple[int, int]]:
        """Case → (open actions, of them overdue on `today`)."""
        sql = f"""
            SELECT a.sak, COUNT(*), SUM(a.deadline < ?)
            FROM actions a {"INDEXED BY actions_sak" if case else ""}
            WHERE a.open = 1 AND {"a.sak = ?" if case else "1"}
            GROUP BY a.sak
        """  # noqa: S608 - the parts are fixed text, the values are parameters
        args = [today.isoformat()] + ([case] if case else [])
        return {r[0]: (int(r[1]), int(r[2] or 0)) for r in self._db.execute(sql, args)}

    def meetings_without_minutes(self, held_before: dt.date) -> list[tuple[str, dt.date]]:
        """(case, date) of invited meetings before `held_before` (not moved or cancelled)
        that have no minutes, in open cases."""
        if not self._has_plan():
            return []
        rows = self._db.execute(
            "SELECT i.sak, i.meeting_date FROM facts i WHERE i.kind = 'innkalling'"
            " AND i.cancelled = 0 AND i.superseded IS NULL AND i.meeting_date < ?"
            " AND i.sak NOT IN (SELECT sak FROM cases WHERE closed_at IS NOT NULL)"
            " AND NOT EXISTS (SELECT 1 FROM facts m WHERE m.sak = i.sak AND m.kind = 'referat'"
            " AND m.meeting_date = i.meeting_date)"
            " GROUP BY i.sak, i.meeting_date ORDER BY i.meeting_date",
            (held_before.isoformat(),),
        ).fetchall()
        return [(r[0], dt.date.fromisoformat(r[1])) for r in rows]

    def closed_cases(self) -> dict[str, str]:
        """Closed case → when it was closed (ISO)."""
        rows = self._db.execute("SELECT sak, closed_at FROM cases WHERE closed_at IS NOT NULL")
        return {r[0]: r[1] for r in rows}

    def open_failures(self, limit: int = 50) -> list[InputRow]:
        """Refused inputs nobody has dealt with yet (see `failures`)."""
        return [f.row for f in self.failures(limit=limit) if f.cleared is None]

    def failures(self, limit: int = 50, *, cleared: bool = False) -> list[Failure]:
        """Refused inputs, newest first; with `cleared`, also those dealt with, and how.

        A failure is dealt with when a later input of the same name came in (made, or
        refused again: then that one is the open failure), when a document for the case and
        kind it names was made after it (the fix under another name), or when the watcher
        kept the file in inbox/feil/ and it is no longer there (deleted, or taken out).
        """
        rows = self._db.execute(
            "SELECT i.sha256, i.name, i.status, i.received_at, i.outputs, i.warnings, i.problems,"
            " i.kept, (SELECT j.status || '|' || j.received_at FROM inputs j"
            "  WHERE j.name = i.name AND j.id > i.id ORDER BY j.id LIMIT 1),"
            " (SELECT d.recorded_at FROM documents d WHERE d.sak = i.sak AND d.kind = i.kind"
            "  AND d.origin = 'rendered' AND d.recorded_at > i.received_at"
            "  ORDER BY d.recorded_at LIMIT 1), i.sak, i.kind"
            " FROM inputs i WHERE i.status IN ('refused', 'partial') ORDER BY i.id DESC"
        )
        found: list[Failure] = []
        for r in rows:
            kept = Path(r[7]) if r[7] else None
            reason = None
            if r[8]:
                status, when = r[8].split("|", 1)
                reason = (
                    f"filen ble lagt inn på nytt {_short_time(when)}, og avvist igjen"
                    if status in ("refused", "partial")
                    else f"rettet: filen ble laget på nytt {_short_time(when)}"
                )
            elif r[9]:
                reason = (
                    f"rettet: {r[11]} for {r[10]} ble laget fra en annen fil {_short_time(r[9])}"
                )
            elif kept is not None and not kept.exists():
                reason = "filen er ikke lenger i feil/ (flyttet eller slettet)"
            if reason is None or cleared:
                found.append(Failure(_input(r[:7]), reason, kept))
                if len(found) >= limit:
                    break
        return found

    def recent(self, limit: int = 20) -> list[InputRow]:
        rows = self._db.execute(
            "SELECT sha256, name, status, received_at, outputs, warnings, problems FROM inputs"
            " ORDER BY id DESC LIMIT ?",
            (limit,),
        ).fetchall()
        return [_input(r) for r in rows]


_DOCUMENT_COLUMNS = (
    "d.sak, d.kind, d.date, d.path, d.origin, d.source_sha256, d.covers_transfer, d.copy_of"
)


def _document(r: tuple[Any, ...]) -> DocumentRow:
    return DocumentRow(
        r[0],
        r[1],
        dt.date.fromisoformat(r[2]),
        Path(r[3]),
        r[4],
        r[5],
        None if r[6] is None else bool(r[6]),
        r[7],
    )


def _input(row: tuple[Any, ...]) -> InputRow:
    return InputRow(
        row[0], row[1], row[2], row[3], json.loads(row[4]), json.loads(row[5]), json.loads(row[6])
    )


def _short_time(iso: str) -> str:
    try:
        return dt.datetime.fromisoformat(iso).strftime("%d.%m.%Y kl. %H.%M")
    except ValueError:
        return iso


def _day(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")
