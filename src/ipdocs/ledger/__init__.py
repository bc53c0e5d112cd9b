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
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ..errors import redact
from ..facts import unpack
from ..publish import FILE_MODE, disk_full
from ..results import Result
from .plan import PlanFacts
from .rows import (
    ActionRow,
    CaseRow,
    DocumentRow,
    Failure,
    InputRow,
    PlanRow,
    timestamp_now,
)
from .schema import VERSION, prepare

__all__ = [
    "VERSION",
    "ActionRow",
    "CaseRow",
    "DocumentRow",
    "Failure",
    "InputRow",
    "Ledger",
    "PlanRow",
    "default_path",
]


class PathKeys:
    """A document's key in the ledger: its absolute path with every link resolved, as
    `str(path.resolve())` gives, for many paths in a few folders. A folder is resolved once
    (a system call per part of its path), and then only the file itself is looked at."""

    def __init__(self) -> None:
        self._folders: dict[str, str] = {}

    def __call__(self, path: Path | str) -> str:
        text = os.fspath(path)
        if ".." in text.split(os.sep):  # a link before the ".." decides where it leads
            return os.path.realpath(text)
        text = os.path.abspath(text)
        folder, name = os.path.split(text)
        if not name or os.path.islink(text):
            return os.path.realpath(text)
        real = self._folders.get(folder)
        if real is None:
            real = self._folders[folder] = self._folder(folder)
        return os.path.join(real, name)

    def _folder(self, folder: str) -> str:
        parent, name = os.path.split(folder)
        if not name or parent == folder or os.path.islink(folder):
            return os.path.realpath(folder)
        real = self._folders.get(parent)
        if real is None:
            real = self._folders[parent] = self._folder(parent)
        return os.path.join(real, name)


def default_path(outbox: Path) -> Path:
    return outbox / ".ipdocs" / "ledger.sqlite"


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


class Ledger(PlanFacts):
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
            prepare(self._db)

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
        now = timestamp_now()
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
        keys = PathKeys()
        for made in result.made:
            if made.path is not None:
                path = keys(made.path)
                self._upsert_document(
                    made.case,
                    made.kind,
                    made.date,
                    path,
                    "rendered",
                    result.sha256,
                    made.covers_transfer,
                    now,
                )
                if made.person:
                    self._db.execute(
                        "INSERT OR REPLACE INTO people (path, sak, name) VALUES (?, ?, ?)",
                        (path, made.case, redact(made.person)),
                    )
                if made.ref:
                    self._db.execute(
                        "INSERT OR IGNORE INTO refs (ref, path, recorded_at) VALUES (?, ?, ?)",
                        (made.ref, path, now),
                    )
                if made.facts is not None:
                    self._record_facts(path, made.case, made.kind, made.date, unpack(made.facts))

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
        now = timestamp_now()
        with self.transaction():
            self._db.execute(
                "INSERT INTO inputs (sha256, name, status, received_at, outputs) VALUES (?, ?, 'signed', ?, ?)",
                (sha256, redact(name), now, json.dumps([str(path)])),
            )
            self._upsert_document(
                case,
                kind,
                date,
                PathKeys()(path),
                "signed",
                sha256,
                covers_transfer,
                now,
                copy_of=copy_of,
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
                    timestamp_now(),
                    json.dumps([str(p) for p in result.documents]),
                    json.dumps([redact(str(p)) for p in result.problems], ensure_ascii=False),
                ),
            )

    def add_duplicate(self, sha256: str, name: str, *, of: InputRow) -> None:
        """An input whose exact bytes were already made into documents: not made again."""
        with self.transaction():
            self._db.execute(
                "INSERT INTO inputs (sha256, name, status, received_at, outputs) VALUES (?, ?, 'duplicate', ?, ?)",
                (sha256, redact(name), timestamp_now(), json.dumps(of.outputs)),
            )

    def record_written(self, files: list[tuple[Path, str]], *, source: str) -> None:
        """Files ipdocs just put in the outbox, each with its SHA-256, made from `source`."""
        now, keys, name = timestamp_now(), PathKeys(), redact(source)
        rows = ((keys(p), sha, name, now) for p, sha in files)  # a batch's: not held twice
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
            "SELECT sha256, source FROM written WHERE path = ?", (PathKeys()(path),)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def keep_failed(self, sha256: str, name: str, path: Path) -> None:
        """The watcher kept the refused input `name` at `path` (in inbox/feil/)."""
        with self._db:
            self._db.execute(
                "UPDATE inputs SET kept = ? WHERE id = (SELECT max(id) FROM inputs"
                " WHERE sha256 = ? AND name = ? AND status IN ('refused', 'partial'))",
                (PathKeys()(path), sha256, redact(name)),
            )

    def _upsert_document(
        self,
        case: str,
        kind: str,
        date: dt.date,
        key: str,  # the document's path as PathKeys gives it
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
                key,
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
                (timestamp_now(), case),
            ).rowcount
        return bool(changed)

    def close_case(self, case: str, reason: str) -> None:
        with self.transaction():
            self._db.execute(
                "INSERT INTO cases (sak, closed_at, reason) VALUES (?, ?, ?)"
                " ON CONFLICT(sak) DO UPDATE SET closed_at=excluded.closed_at, reason=excluded.reason",
                (case, timestamp_now(), reason),
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
