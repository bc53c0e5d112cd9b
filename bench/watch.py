"""How fast the watched folder is, measured against its goals and against `ipdocs render`.

    python bench/watch.py [--samples 20] [--files 500] [--settle 2] [--interval 1] [--rounds 1]

1. Latency: from a complete file landing in the inbox (renamed in whole) to its document in
   the outbox; median and p95, with inotify and with polling. Goals: median at most
   settle + 0.5 s (inotify), settle + interval + 0.5 s (polling).
2. Throughput: 500 files dropped at once into a running `ipdocs watch`, against
   `ipdocs render` of the same 500 files, in the same run. Goal: at least 80 % of render.
3. The watchdog pitfall (BASELINES.md): how long the next event waits after a file is moved
   out of a watched folder, against a move inside a recursive watch (what ipdocs does).

Real processes, real files, the real LibreOffice-free pipeline; nothing is mocked. The machine
is shared, so run it more than once (or with --rounds) and read the medians.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "tests" / "data" / "formats_innkalling.yaml"
DOCUMENT = "2026-12-03_innkalling.docx"
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
TOML = '[kommune]\nnavn = "Selbu kommune"\n'


def note(case: str) -> bytes:
    return EXAMPLE.read_text(encoding="utf-8").replace("IP-2026-0042", case).encode()


def office(base: Path, name: str) -> Path:
    root = base / name
    (root / "inbox").mkdir(parents=True)
    (root / "staging").mkdir()
    (root / "ipdocs.toml").write_text(TOML, encoding="utf-8")
    return root


def start_watcher(root: Path, *args: str) -> tuple[subprocess.Popen, Path]:
    log = root / "watch.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "ipdocs", "watch", *args],
        cwd=root,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=open(log, "w"),  # noqa: SIM115 - lives as long as the process
    )
    deadline = time.monotonic() + 60
    while "Følger med på innboksen" not in log.read_text(encoding="utf-8"):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the watcher did not start:\n{log.read_text()}")
        time.sleep(0.02)
    return proc, log


def stop_watcher(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=120)


def wait_for(paths: list[Path], found: dict[Path, float], timeout: float) -> None:
    """Poll until every path exists, noting when each was first seen."""
    deadline = time.monotonic() + timeout
    pending = [p for p in paths if p not in found]
    while pending:
        now = time.monotonic()
        still = []
        for p in pending:
            if p.exists():
                found[p] = now
            else:
                still.append(p)
        pending = still
        if pending and now > deadline:
            raise SystemExit(f"{len(pending)} documents did not appear within {timeout} s")
        time.sleep(0.005)


def latency(base: Path, name: str, samples: int, gap: float, *args: str) -> list[float]:
    root = office(base, name)
    proc, _ = start_watcher(root, *args)
    landed: dict[Path, float] = {}
    found: dict[Path, float] = {}
    targets = []
    try:
        for i in range(samples):
            case = f"IP-L-{i:03d}"
            staged = root / "staging" / f"{case}.yaml"
            staged.write_bytes(note(case))
            target = root / "outbox" / case / DOCUMENT
            targets.append(target)
            os.rename(staged, root / "inbox" / staged.name)  # lands whole
            landed[target] = time.monotonic()
            # Look for the documents while the next file waits its turn.
            end = time.monotonic() + gap
            while time.monotonic() < end:
                for t in targets:
                    if t not in found and t.exists():
                        found[t] = time.monotonic()
                time.sleep(0.005)
        wait_for(targets, found, timeout=120)
    finally:
        stop_watcher(proc)
    return [found[t] - landed[t] for t in targets]


def throughput(base: Path, name: str, files: int, settle: float) -> tuple[float, float]:
    """Seconds for `ipdocs render` of the files, and for a watcher to make them all."""
    render_root = office(base, f"{name}-render")
    for i in range(files):
        (render_root / "staging" / f"f{i:04d}.yaml").write_bytes(note(f"IP-T-{i:04d}"))
    start = time.monotonic()
    subprocess.run(
        [sys.executable, "-m", "ipdocs", "render", "staging"],
        cwd=render_root,
        env=ENV,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    rendered = time.monotonic() - start
    assert len(list((render_root / "outbox").glob("*/*.docx"))) == files

    root = office(base, f"{name}-watch")
    for i in range(files):
        (root / "staging" / f"f{i:04d}.yaml").write_bytes(note(f"IP-T-{i:04d}"))
    proc, _ = start_watcher(root, "--ventetid", str(settle))
    try:
        done = root / "inbox" / "ferdig"
        start = time.monotonic()
        for i in range(files):
            os.rename(root / "staging" / f"f{i:04d}.yaml", root / "inbox" / f"f{i:04d}.yaml")
        # One folder listing every 20 ms: looking costs the watcher next to nothing.
        while _count(done, ".yaml") < files:
            if time.monotonic() - start > 600:
                raise SystemExit("the watcher did not finish within 600 s")
            time.sleep(0.02)
        watched = time.monotonic() - start
    finally:
        stop_watcher(proc)
    assert len(list((root / "outbox").glob("*/*.docx"))) == files
    return rendered, watched


def _count(folder: Path, suffix: str) -> int:
    try:
        with os.scandir(folder) as it:
            return sum(1 for e in it if e.name.endswith(suffix))
    except FileNotFoundError:
        return 0


def pitfall(base: Path, samples: int) -> tuple[list[float], list[float]]:
    """Delay of a created event that follows a move: out of a plain watch, and inside a
    recursive watch."""
    import logging

    from watchdog.events import FileSystemEventHandler
    from watchdog.observers import Observer

    logging.getLogger("watchdog").addHandler(logging.NullHandler())

    class Handler(FileSystemEventHandler):
        def __init__(self, q: queue.Queue):
            self.q = q

        def on_created(self, event):
            self.q.put((time.monotonic(), event.src_path))

    results = []
    for recursive in (False, True):
        folder = base / f"pitfall-{recursive}"
        (folder / "ferdig").mkdir(parents=True)
        events: queue.Queue = queue.Queue()
        observer = Observer()
        observer.schedule(Handler(events), str(folder), recursive=recursive)
        observer.start()
        delays = []
        try:
            for i in range(samples):
                path = folder / f"f{i}.yaml"
                made = time.monotonic()
                path.write_bytes(b"x")
                while True:
                    at, src = events.get(timeout=10)
                    if src == str(path):
                        delays.append(at - made)
                        break
                os.rename(path, folder / "ferdig" / path.name)  # filed away, as a watcher does
        finally:
            observer.stop()
            observer.join()
        results.append(delays)
    return results[0], results[1]


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def verdict(ok: bool) -> str:
    return "meets the goal" if ok else "MISSES the goal"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20)
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--settle", type=float, default=2.0)
    parser.add_argument("--interval", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    settle, interval = args.settle, args.interval
    print(f"settle time {settle:g} s, polling interval {interval:g} s, rescan 30 s (default)")
    base = Path(tempfile.mkdtemp(prefix="ipdocs-bench-watch-"))
    try:
        lat_i, lat_p, ratios, renders, watches = [], [], [], [], []
        for r in range(args.rounds):
            gap = 0.5
            lat_i += latency(base, f"inotify-{r}", args.samples, gap, "--ventetid", str(settle))
            lat_p += latency(
                base,
                f"polling-{r}",
                args.samples,
                gap,
                "--ventetid",
                str(settle),
                "--polling",
                "--interval",
                str(interval),
            )
            rendered, watched = throughput(base, f"t{r}", args.files, settle)
            renders.append(rendered)
            watches.append(watched)
            ratios.append(rendered / watched)
            print(
                f"round {r + 1}: render {rendered:.1f} s, watch {watched:.1f} s, "
                f"ratio {rendered / watched:.2f}",
                flush=True,
            )
        goal_i, goal_p = settle + 0.5, settle + interval + 0.5
        med_i, med_p = statistics.median(lat_i), statistics.median(lat_p)
        print(
            f"latency, inotify: median {med_i:.2f} s, p95 {p95(lat_i):.2f} s over {len(lat_i)} "
            f"files (goal: median <= {goal_i:.2f} s): {verdict(med_i <= goal_i)}"
        )
        print(
            f"latency, polling: median {med_p:.2f} s, p95 {p95(lat_p):.2f} s over {len(lat_p)} "
            f"files (goal: median <= {goal_p:.2f} s): {verdict(med_p <= goal_p)}"
        )
        render, watch, ratio = (statistics.median(x) for x in (renders, watches, ratios))
        medians = f" (medians of {args.rounds} rounds)" if args.rounds > 1 else ""
        print(
            f"throughput, {args.files} files at once{medians}: ipdocs render {render:.1f} s "
            f"({args.files / render:.1f} files/s), ipdocs watch {watch:.1f} s "
            f"({args.files / watch:.1f} files/s, settle included); watch/render "
            f"{ratio:.2f} (goal >= 0.80): {verdict(ratio >= 0.8)}"
        )
        out, inside = pitfall(base, args.samples)
        print(
            "watchdog pitfall, the next created event after a file is moved: out of a plain "
            f"watch median {statistics.median(out):.3f} s (max {max(out):.3f} s); inside a "
            f"recursive watch (ipdocs' layout) median {statistics.median(inside):.3f} s "
            f"(max {max(inside):.3f} s)"
        )
    finally:
        shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
