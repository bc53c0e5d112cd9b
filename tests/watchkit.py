"""Helpers for the watcher tests: real `ipdocs watch` processes, a batch of input files of
every sort (good, bad, copies, slow writers, lock files), and the checks a user would make."""

from __future__ import annotations

import hashlib
import io
import itertools
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
import pikepdf
from conftest import DATA, ROOT, docx_text

from ipdocs.ledger import default_path

SETTLE = 0.5  # seconds; chunked writers pause far less than this between chunks
FNR = "15876510089"  # the synthetic test number in formats_samtykke.yaml
_counter = itertools.count(1)

TOML = """\
[kommune]
navn = "Selbu kommune"
enhet = "Tildelings- og koordineringskontoret"
telefon = "400 31 579"
epost = "tok@selbu.kommune.no"
adresse = "Nestansringen 22, 7580 Selbu"

[overvaking]
gjennomgang = {rescan}
"""


def make_office(root: Path, *, rescan: float = 2.0, extra: str = "") -> Path:
    """A folder like `ipdocs init` makes: ipdocs.toml, inbox/ (outbox/ comes by itself)."""
    (root / "inbox").mkdir(parents=True, exist_ok=True)
    (root / "ipdocs.toml").write_text(TOML.format(rescan=rescan) + extra, encoding="utf-8")
    return root


def wait_until(
    check: Callable[[], object], *, timeout: float, what: str, poll: float = 0.05
) -> object:
    """Poll `check` until it returns something true; fail with `what` after `timeout`."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for: {what}")
        time.sleep(poll)


class WatcherProcess:
    """`python -m ipdocs watch …` in `root`, its log (stderr) in a file."""

    running: list[WatcherProcess] = []  # killed after each test, even a failed one

    def __init__(self, root: Path, *args: str, settle: float = SETTLE):
        WatcherProcess.running.append(self)
        self.root = root
        self.log = root / f"watch-{next(_counter)}.log"
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        env.pop("IPDOCS_DEBUG", None)
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "ipdocs", "watch", "--ventetid", str(settle), *args],
                cwd=root,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )

    def text(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def wait_for(self, needle: str, *, timeout: float = 30, count: int = 1) -> None:
        def seen() -> bool:
            if self.proc.poll() is not None:
                raise AssertionError(f"the watcher stopped:\n{self.text()}")
            return self.text().count(needle) >= count

        wait_until(seen, timeout=timeout, what=f"«{needle}» in the log:\n{self.text()}")

    def started(self) -> WatcherProcess:
        self.wait_for("Følger med på innboksen")
        return self

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout=timeout)

    def kill(self) -> None:
        self.proc.kill()
        self.proc.wait(timeout=30)

    @classmethod
    def kill_all(cls) -> None:
        for watcher in cls.running:
            if watcher.proc.poll() is None:
                watcher.kill()
        cls.running.clear()


# --- inputs ---------------------------------------------------------------------------------


def yaml_input(kind: str, case: str) -> bytes:
    text = (DATA / f"formats_{kind}.yaml").read_text(encoding="utf-8")
    return text.replace("IP-2026-0042", case).encode("utf-8")


def workbook_input(case: str) -> bytes:
    book = openpyxl.load_workbook(ROOT / "examples" / "referat_ett_mote.xlsx")
    for row in book["Møte"].iter_rows():
        if row[0].value == "sak":
            row[1].value = case
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class Expected:
    """What a dropped file should become."""

    name: str
    data: bytes
    outcome: str  # "made" or "refused"
    case: str = ""
    kind: str = ""
    hint: str = ""  # for a refused file: text its report must contain
    slow: bool = False

    @property
    def sha(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Batch:
    files: list[Expected] = field(default_factory=list)
    locks: dict[str, bytes] = field(default_factory=dict)  # lock files, kept untouched
    ignored: dict[str, bytes] = field(default_factory=dict)  # hidden and temporary files
    held: str = ""  # a file whose lock file keeps it waiting until the test removes the lock

    def add(self, item: Expected) -> None:
        self.files.append(item)


def mixed_batch(total: int = 104, *, prefix: str = "W") -> Batch:
    """Good notes of every kind and workbooks, bad files, byte-identical copies, slow writers,
    an editor's lock file beside one workbook and orphaned lock files, hidden/temp files."""
    batch = Batch()
    kinds = ("innkalling", "referat", "samtykke", "fullmakt")
    i = 0
    while len(batch.files) < total:
        i += 1
        case = f"IP-{prefix}-{i:03d}"
        if i % 10 == 3:  # bad: a date that does not exist
            data = yaml_input("innkalling", case).replace(
                b"dato: 2026-12-03", b'dato: "33.12.2026"'
            )
            batch.add(Expected(f"feil-dato-{i:03d}.yaml", data, "refused", hint="«mote.dato»"))
        elif i % 10 == 7:  # bad: not YAML at all
            data = b"dokument: referat\nsak: [uten slutt\n  - bare rot: {\n"
            batch.add(Expected(f"rot-{i:03d}.yaml", data, "refused", hint="Rett feilene"))
        elif i % 25 == 11:  # bad: a type ipdocs does not read
            batch.add(
                Expected(f"notat-{i:03d}.docx", b"PK\x03\x04 not really", "refused", hint=".docx")
            )
        elif i % 12 == 5:
            batch.add(Expected(f"bok-{i:03d}.xlsx", workbook_input(case), "made", case, "referat"))
        else:
            kind = kinds[i % 4]
            # Names like a coordinator's, with the person's name in them.
            name = f"kari_nordmann_{kind}_{i:03d}.yaml" if i % 3 == 0 else f"{kind}-{i:03d}.yaml"
            batch.add(Expected(name, yaml_input(kind, case), "made", case, kind, slow=i % 9 == 1))
    # Copies with the same bytes under another name: made once, the copy kept with a note.
    for original in [f for f in batch.files if f.outcome == "made"][:6:2]:
        batch.add(
            Expected(
                f"kopi-av-{original.name}", original.data, "made", original.case, original.kind
            )
        )
    workbook = next(f for f in batch.files if f.name.endswith(".xlsx"))
    batch.held = workbook.name
    batch.locks = {
        f"~${workbook.name}": b"lock " * 20,  # Excel has the workbook open
        "~$andre.xlsx": b"\x00" * 162,  # orphaned lock files: left alone
        ".~lock.referat-999.yaml#": b",Ola,ola-pc,24.11.2026 09:12,file:///home/ola;",
    }
    batch.ignored = {
        ".DS_Store": b"\x00\x00\x00\x01Bud1",
        "Thumbs.db": b"\xd0\xcf\x11\xe0",
        "desktop.ini": b"[.ShellClassInfo]\n",
        "kopierer.tmp": b"half a file",
        "nedlasting.yaml.part": b"dokument: innk",
    }
    return batch


def drop(inbox: Path, batch: Batch) -> list[threading.Thread]:
    """Write everything straight into the inbox, as a file copy does: lock files first, the
    quick files at once, the slow ones in chunks from threads. Returns the writer threads."""
    for name, data in {**batch.locks, **batch.ignored}.items():
        (inbox / name).write_bytes(data)
    threads = []
    for item in batch.files:
        if item.slow:
            t = threading.Thread(target=_write_slowly, args=(inbox / item.name, item.data))
            t.start()
            threads.append(t)
        else:
            (inbox / item.name).write_bytes(item.data)
    return threads


def _write_slowly(path: Path, data: bytes, chunks: int = 8, pause: float = 0.05) -> None:
    size = max(1, len(data) // chunks + 1)
    with open(path, "wb") as f:
        for start in range(0, len(data), size):
            f.write(data[start : start + size])
            f.flush()
            time.sleep(pause)


def make_pdf(path: Path, *, encrypt: bool = False, pages: int = 1) -> Path:
    """A real PDF (blank pages), landing whole: written under a hidden name, then renamed."""
    pdf = pikepdf.new()
    pdf.docinfo["/Title"] = path.name  # two scans are never the same bytes
    for _ in range(pages):
        pdf.add_blank_page()
    options = {}
    if encrypt:
        options["encryption"] = pikepdf.Encryption(user="hemmelig", owner="hemmelig")
    tmp = path.with_name(f".{path.name}.tmp")
    pdf.save(tmp, **options)
    tmp.rename(path)
    return path


# --- what a user would check ----------------------------------------------------------------


def filed(inbox: Path) -> dict[str, list[Path]]:
    """Originals in ferdig/ and feil/, by name (reports and notes left out)."""
    found: dict[str, list[Path]] = {}
    for folder in ("ferdig", "feil"):
        base = inbox / folder
        if not base.is_dir():
            continue
        for path in base.rglob("*"):
            if path.is_file() and not path.name.endswith((".feil.txt", ".merknad.txt")):
                found.setdefault(path.name, []).append(path)
    return found


def all_filed(inbox: Path, batch: Batch) -> bool:
    names = filed(inbox)
    return all(item.name in names for item in batch.files)


def ledger_rows(outbox: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(default_path(outbox)) as db:
        return db.execute("SELECT sha256, name, status FROM inputs").fetchall()


def check_batch(
    root: Path, batch: Batch, logs: list[str], *, crashed: bool = False, docs_to_read: int = 4
) -> None:
    """Every good file made once, every bad one in feil/ with its report, every original kept
    exactly once with its bytes, lock and hidden files untouched, nothing left in hand."""
    inbox, outbox = root / "inbox", root / "outbox"
    names = filed(inbox)
    for item in batch.files:
        copies = names.get(item.name, [])
        assert len(copies) == 1, f"{item.name}: kept {len(copies)} times"
        kept = copies[0]
        assert kept.read_bytes() == item.data, f"{item.name}: its bytes changed"
        folder = kept.relative_to(inbox).parts[0]
        if item.outcome == "made":
            assert folder == "ferdig", f"{item.name} is in {folder}/"
        else:
            assert folder == "feil", f"{item.name} is in {folder}/"
            report = kept.with_name(kept.name + ".feil.txt").read_text(encoding="utf-8")
            assert item.name in report and item.hint in report, report
            assert "legg den i innboksen på nytt" in report
    # Each distinct good content became its document once, and only once.
    good = {item.sha: item for item in batch.files if item.outcome == "made"}
    rows = ledger_rows(outbox)
    ok = Counter(sha for sha, _, status in rows if status == "ok")
    for sha, item in good.items():
        assert ok[sha] == 1, f"{item.name}: made {ok[sha]} times"
        document = outbox / item.case / f"{_date(item)}_{item.kind}.docx"
        assert document.is_file(), document
    assert len(list(outbox.glob("*/*.docx"))) == len(good)
    for item in list(good.values())[:docs_to_read]:
        text = docx_text(outbox / item.case / f"{_date(item)}_{item.kind}.docx")
        assert item.case in text
    # The copies: not made again, each with a note saying so.
    per_sha = Counter(item.sha for item in batch.files if item.outcome == "made")
    notes = [
        p for p in (inbox / "ferdig").glob("*.merknad.txt") if "samme innhold" in p.read_text()
    ]
    assert len(notes) == sum(n - 1 for n in per_sha.values())
    made_lines = sum(log.count("Laget ") for log in logs)
    if crashed:
        # A file made just before the kill, not yet logged, is told of when it is taken over.
        made_lines += sum(log.count("var laget før en stopp") for log in logs)
        assert made_lines >= len(good), f"{made_lines} documents made for {len(good)} files"
    else:
        assert made_lines == len(good), f"{made_lines} documents made for {len(good)} files"
    # Untouched: lock files, hidden and temporary files, byte for byte.
    for name, data in {**batch.locks, **batch.ignored}.items():
        if name == f"~${batch.held}":
            continue  # the test removed it to let the workbook go
        assert (inbox / name).read_bytes() == data, name
    # Nothing is left in hand or waiting.
    left = [p for p in (inbox / ".ipdocs-arbeid").rglob("*") if p.is_file()]
    assert not left, left
    waiting = [p.name for p in inbox.iterdir() if p.is_file()]
    assert sorted(waiting) == sorted(
        n for n in {**batch.locks, **batch.ignored} if n != f"~${batch.held}"
    )
    # Logs name the file (issue 10), its case and hash: never a fødselsnummer, not even one
    # in a file's name, and never a name from inside a file.
    for log in logs:
        assert FNR not in log, log
        assert "Kari Nordmann" not in log, log
        assert "Traceback" not in log
        assert "Warning" not in log, log  # a library's English warning, not ours


def _date(item: Expected) -> str:
    if item.name.endswith(".xlsx"):
        return "2026-11-23"
    return {"innkalling": "2026-12-03", "referat": "2026-12-03", "samtykke": "2026-12-03"}.get(
        item.kind, "2009-10-23"
    )
