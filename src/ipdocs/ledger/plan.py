"""The plan facts of rendered documents, in the ledger: recording a document's facts (its
meeting, consent, actions and follow-ups; superseded invitations; each case's row in `plans`)
and the queries `sak`, `oppfolging` and `oversikt` ask, all SQL over indexed tables.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path
from typing import Any

from .rows import CLOSED, ActionRow, CaseRow, PlanRow, action_key, date_or_none, timestamp_now
from .schema import PLAN_VERSION


class PlanFacts:
    """The Ledger's plan part: the Ledger mixes it in; it uses only the connection."""

    _db: sqlite3.Connection

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
                (case, timestamp_now()),
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
                        AND f.status IN ({CLOSED})),
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

    # --- the plan (facts of rendered documents) ------------------------------------------

    def _has_plan(self) -> bool:
        return int(self._db.execute("PRAGMA user_version").fetchone()[0]) >= PLAN_VERSION

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
            invited = date_or_none(r[6])
            agreed = date_or_none(r[7])
            minutes_next_handled = bool(r[11])  # invited (also when moved or cancelled since)
            open_actions, overdue_actions = counts.get(r[0], (0, 0))
            next_meeting = invited
            if agreed is not None and agreed >= today and not minutes_next_handled:
                next_meeting = agreed if invited is None else min(invited, agreed)
            rows.append(
                CaseRow(
                    case=r[0],
                    person=r[1],
                    birth_date=date_or_none(r[2]),
                    coordinator=coordinator or None,
                    coordinator_service=service or None,
                    first_date=dt.date.fromisoformat(r[4]),
                    last_meeting=date_or_none(r[5]),
                    next_meeting=next_meeting,
                    next_invited=next_meeting is not None and next_meeting == invited,
                    last_minutes_next=agreed,
                    consent_from=date_or_none(consent[0]) if consent else None,
                    consent_to=date_or_none(consent[1]) if consent else None,
                    consent_made_on=date_or_none(consent[2]) if consent else None,
                    consent_signed=bool(consent and consent[3] == "1"),
                    last_evaluation=date_or_none(r[9]),
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
