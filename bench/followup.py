"""Follow-up speed on a large municipality's ledger: 3,000 cases × 8 meetings.

Builds a ledger the way the pipeline records one (Ledger.record with each document's plan
facts): per case 8 invitations and 8 minutes a quarter apart, 3 actions per minutes and the
open ones followed up at every meeting (mostly done, some going on or not started), a consent per two years, a birth date;
some cases closed. Then times, round by round:

    oppfolging   followup.due (everything due in 30 days, all open cases), in process
    oversikt     followup.overview (one row per case), in process
    sak          followup.case_summary for one case
    cli          `python -m ipdocs oppfolging --json` and `oversikt --json` (start-up too)
    scan         the baseline a scan would be: every document's facts read and parsed in Python

and prints medians, the ledger's size and its number of rows.

    .venv/bin/python bench/followup.py [--cases 3000] [--rounds 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ipdocs import followup  # noqa: E402
from ipdocs.kinds import DocumentKind  # noqa: E402
from ipdocs.ledger import Ledger  # noqa: E402
from ipdocs.results import Made, Result  # noqa: E402

TODAY = dt.date(2026, 12, 3)
OWNERS = ("Koordinator", "Ergoterapeut", "Fastlege", "PPT", "Helsesykepleier")
# What later minutes say about an earlier action: mostly done, some going on or not started.
STATUSES = ("utført",) * 6 + ("avsluttet", "pågår", "pågår", "ikke startet")


def _made(outbox: Path, case: str, kind: DocumentKind, date: dt.date, facts: dict) -> Made:
    path = outbox / case / f"{date.isoformat()}_{kind}.docx"
    facts = {"kind": str(kind), "made_on": date.isoformat()} | facts
    return Made("", case, kind, date, path, (), facts=facts, person=facts["person"]["name"])


def build(outbox: Path, cases: int, meetings: int) -> None:
    rng = random.Random(11)
    with Ledger.for_outbox(outbox) as ledger:
        for n in range(cases):
            case = f"IP-{2020 + n % 7}-{n:05d}"
            person = {
                "name": f"Person {n}",
                "birth_date": dt.date(
                    2000 + rng.randrange(26), 1 + rng.randrange(12), 14
                ).isoformat(),
            }
            coordinator = {"name": f"Koordinator {n % 400}", "service": "Helsestasjonen"}
            members = [
                {"name": f"Deltaker {n}-{i}", "role": OWNERS[i], "regular": True} for i in range(3)
            ]
            start = TODAY - dt.timedelta(days=90 * meetings - rng.randrange(120))
            made: list[Made] = []
            earlier: list[dict] = []
            for m in range(meetings):
                day = start + dt.timedelta(days=90 * m)
                meeting = {
                    "date": day.isoformat(),
                    "from": "09:00",
                    "to": "10:30",
                    "place": "Rådhuset",
                }
                common = {"person": person, "coordinator": coordinator, "members": members}
                made.append(
                    _made(
                        outbox,
                        case,
                        DocumentKind.invitation,
                        day,
                        common | {"meeting": meeting, "agenda": ["Status"]},
                    )
                )
                actions = [
                    {
                        "what": f"Tiltak {m}-{i} i sak {n}",
                        "owner": OWNERS[rng.randrange(len(OWNERS))],
                        "deadline": (day + dt.timedelta(days=rng.randrange(20, 150))).isoformat(),
                    }
                    for i in range(3)
                ]
                # Every action still open is followed up, as the pre-filled skeleton carries it.
                followups = [a | {"status": rng.choice(STATUSES), "comment": ""} for a in earlier]
                nxt = (day + dt.timedelta(days=90)).isoformat()
                made.append(
                    _made(
                        outbox,
                        case,
                        DocumentKind.minutes,
                        day,
                        common
                        | {
                            "meeting": meeting,
                            "actions": actions,
                            "followups": followups,
                            "next_meeting": {
                                "date": nxt,
                                "from": "09:00",
                                "to": "10:00",
                                "place": "Rådhuset",
                            },
                            "evaluation": "Evaluert." if m % 4 == 3 else "",
                            "closing": "Avsluttet." if (m == meetings - 1 and n % 25 == 0) else "",
                        },
                    )
                )
                earlier = [
                    {k: f[k] for k in ("what", "owner", "deadline")}
                    for f in followups
                    if f["status"] not in ("utført", "avsluttet")
                ] + actions
                if m % 8 == 0:
                    consent = {
                        "valid_from": day.isoformat(),
                        "valid_to": (day + dt.timedelta(days=730)).isoformat(),
                    }
                    made.append(
                        _made(
                            outbox,
                            case,
                            DocumentKind.consent,
                            day,
                            {"person": person, "consent": consent},
                        )
                    )
            ledger.record(Result(outbox / f"{case}.yaml", tuple(made), (), f"{n:064x}"))


def timed(work, rounds: int) -> float:
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=3000)
    parser.add_argument("--meetings", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        outbox = Path(tmp) / "outbox"
        started = time.perf_counter()
        build(outbox, args.cases, args.meetings)
        built = time.perf_counter() - started
        path = outbox / ".ipdocs" / "ledger.sqlite"
        db = sqlite3.connect(path)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        counts = {
            t: db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0]
            for t in ("documents", "facts", "actions", "followups")
        }  # noqa: S608
        db.close()
        size = sum(p.stat().st_size for p in path.parent.glob("ledger.sqlite*"))
        print(f"ledger: {args.cases} cases × {args.meetings} meetings, built in {built:.1f} s")
        print(
            f"ledger: {size / 1e6:.1f} MB; rows: "
            + ", ".join(f"{k} {v}" for k, v in counts.items())
        )

        with Ledger.for_outbox(outbox) as ledger:
            items: list = []
            data: dict = {}

            def due() -> None:
                items[:] = followup.due(ledger, TODAY, days=30)

            def overview() -> None:
                data.update(followup.overview(ledger, TODAY))

            def one() -> None:
                followup.case_summary(ledger, "IP-2020-00007", TODAY)

            def scan() -> None:
                # What a scan in Python would cost: every document's facts read and parsed.
                for (blob,) in ledger._db.execute("SELECT data FROM facts"):
                    json.loads(blob)

            results = {
                "oppfolging": timed(due, args.rounds),
                "oversikt": timed(overview, args.rounds),
                "sak": timed(one, args.rounds),
                "scan (baseline)": timed(scan, args.rounds),
            }
        print(
            f"oppfolging: {len(items)} items; oversikt: {len(data['open'])} open, {len(data['closed'])} closed"
        )
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        for command in ("oppfolging", "oversikt"):

            def cli(command: str = command) -> None:
                subprocess.run(
                    [sys.executable, "-m", "ipdocs", command, "--json", "--out", str(outbox)],
                    env=env,
                    check=True,
                    capture_output=True,
                )

            results[f"cli {command}"] = timed(cli, max(1, args.rounds // 2))
        width = max(map(len, results))
        for name, seconds in results.items():
            print(f"{name:<{width}}  {seconds * 1000:8.1f} ms (median of the rounds)")
        baseline = results["scan (baseline)"]
        print(
            f"ratios against the scan baseline: oppfolging {baseline / results['oppfolging']:.1f}×, "
            f"oversikt {baseline / results['oversikt']:.1f}× (above 1: faster than a scan)"
        )


if __name__ == "__main__":
    main()
