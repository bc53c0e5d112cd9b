"""A long run of one watcher: do memory, open files and speed stay flat?

    python bench/soak.py [--files 5000] [--backlog 40] [--settle 0.1]

One real `ipdocs watch` (one job) takes `--files` inputs, fed a few at a time as coordinators
would drop them over weeks, never more than `--backlog` waiting: 70 % good notes (each its own
case), 10 % with a mistake (to feil/), 10 % copies of a good note made before (the same bytes:
to ferdig/ with a note, not made again) and 10 % signed scans of cases made before (filed to
outbox/<sak>/signert/).

Printed: the watcher's peak RSS (VmHWM) and its open file descriptors after the warm-up (the
first tenth of the files, at most 100: templates and libraries loaded) and at the end, and
its speed, seconds per file, over the first and the last thousand files (a fifth of them
each with fewer than 5,000). Each with the ratio end / start. Goal: every ratio at most 1.1.
The machine is shared: read the speed ratio with that in mind; memory and descriptors are
not disturbed by load.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pikepdf

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
TOML = '[kommune]\nnavn = "Selbu kommune"\n\n[overvaking]\ngjennomgang = 30\n'


def good(n: int) -> bytes:
    text = (DATA / "formats_innkalling.yaml").read_text(encoding="utf-8")
    return text.replace("IP-2026-0042", f"IP-S-{n:05d}").encode()


def bad(n: int) -> bytes:
    text = good(n).decode().replace("  dato: 2026-12-03\n", "  dato: 31.02.2026\n")
    return text.encode()


def scan(n: int) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Title"] = f"skann {n}"  # its own bytes: not a copy of another scan
    path = Path(tempfile.mkstemp(suffix=".pdf")[1])
    pdf.save(path)
    data = path.read_bytes()
    path.unlink()
    return data


def inputs(count: int) -> list[tuple[str, bytes]]:
    """(name, bytes) in the order they are dropped: every tenth is bad, a copy or a scan."""
    made: list[bytes] = []
    files = []
    for n in range(count):
        kind = n % 10
        if kind == 3:
            files.append((f"feil_{n:05d}.yaml", bad(n)))
        elif kind == 6 and made:
            files.append((f"kopi_{n:05d}.yaml", made[(n * 7) % len(made)]))
        elif kind == 9:
            # The signed consent of a case made well before (the watcher files a scan only to
            # a case it knows): a good note dropped 51 files earlier, done by now.
            case = n - 51 if n >= 51 else n - 1
            files.append((f"IP-S-{case:05d}_samtykke_signert.pdf", scan(n)))
        else:
            data = good(n)
            made.append(data)
            files.append((f"notat_{n:05d}.yaml", data))
    return files


def proc_status(pid: int) -> dict[str, int]:
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0])  # kB
    found["fds"] = len(os.listdir(f"/proc/{pid}/fd"))
    return found


def filed(inbox: Path) -> int:
    count = 0
    for folder in (inbox / "ferdig", inbox / "feil"):
        try:
            with os.scandir(folder) as it:
                count += sum(1 for e in it if e.name.endswith((".yaml", ".pdf")))
        except FileNotFoundError:
            pass
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--backlog", type=int, default=40)
    parser.add_argument("--settle", type=float, default=0.1)
    args = parser.parse_args()
    total = args.files
    window = 1000 if total >= 5000 else max(1, total // 5)
    warmup = min(100, max(1, total // 10))
    files = inputs(total)

    with tempfile.TemporaryDirectory(prefix="ipdocs-soak-") as tmp:
        root = Path(tmp)
        inbox, staging = root / "inbox", root / "staging"
        inbox.mkdir()
        staging.mkdir()
        (root / "ipdocs.toml").write_text(TOML, encoding="utf-8")
        log = root / "watch.log"
        with open(log, "w") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "ipdocs", "watch", "--jobs", "1"]
                + ["--ventetid", str(args.settle)],
                cwd=root,
                env=ENV,
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
        try:
            deadline = time.monotonic() + 60
            while "Følger med på innboksen" not in log.read_text(encoding="utf-8"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit(f"the watcher did not start:\n{log.read_text()}")
                time.sleep(0.05)
            done_at: list[float] = []  # when the k-th file was filed
            dropped = 0
            start_sample: dict[str, int] = {}
            began = time.monotonic()
            while len(done_at) < total:
                count = filed(inbox)
                now = time.monotonic()
                done_at += [now] * (count - len(done_at))
                if not start_sample and len(done_at) >= warmup:
                    start_sample = proc_status(proc.pid)
                while dropped < total and dropped - len(done_at) < args.backlog:
                    name, data = files[dropped]
                    (staging / name).write_bytes(data)
                    os.rename(staging / name, inbox / name)  # lands whole
                    dropped += 1
                if proc.poll() is not None:
                    raise SystemExit(f"the watcher stopped:\n{log.read_text()[-2000:]}")
                if now - began > 4 * 3600:
                    raise SystemExit(f"only {len(done_at)} of {total} filed after 4 hours")
                time.sleep(0.02)
            end_sample = proc_status(proc.pid)
        finally:
            proc.terminate()
            proc.wait(timeout=120)
        made = len(list((root / "outbox").glob("IP-S-*/*.docx")))
        signed = len(list((root / "outbox").glob("IP-S-*/signert/*.pdf")))
        refused = sum(1 for p in (inbox / "feil").glob("*.yaml"))

    first = (done_at[window - 1] - began) / window
    last = (done_at[-1] - done_at[-window - 1 if total > window else 0]) / window
    kinds = [name.split("_")[0] for name, _ in files]
    print(
        f"soak: {total} files into one watcher (--jobs 1, --ventetid {args.settle}, at most "
        f"{args.backlog} waiting): {kinds.count('notat')} good, {kinds.count('feil')} with a "
        f"mistake, {kinds.count('kopi')} copies, {len([k for k in kinds if k.startswith('IP')])} "
        "signed scans"
    )
    print(f"outcome: {made} documents, {signed} scans filed, {refused} refused")
    print(f"{'':34}{'start':>10}{'end':>10}{'ratio':>8}")
    rows = [
        (
            f"peak RSS, MiB (after {warmup} files)",
            start_sample["VmHWM"] / 1024,
            end_sample["VmHWM"] / 1024,
        ),
        ("RSS now, MiB", start_sample["VmRSS"] / 1024, end_sample["VmRSS"] / 1024),
        ("open file descriptors", start_sample["fds"], end_sample["fds"]),
        (f"seconds per file ({window} first/last)", first, last),
    ]
    for label, a, b in rows:
        print(f"{label:34}{a:>10.3f}{b:>10.3f}{b / a:>7.2f}x")
    print(f"total: {done_at[-1] - began:.0f} s. Goal: every ratio at most 1.10.")


if __name__ == "__main__":
    main()
