"""Scan routing speed: a 40-page stack routed into its parts, against rendering its pages alone.

Renders the four example documents for several cases (docxtpl, then LibreOffice), scans them
the way an office scanner does (300 dpi greyscale, JPEG pages, each with the QR code its
footer carries, every fifth page turned 180°, every third a degree or two askew:
tests/scans.py), puts the
first 40 pages in one stack, and times, round by round with the order swapped:

    render    every page rendered with pypdfium2 at the router's resolution, nothing else
              (the baseline: what reading the pages costs at the least)
    route     stacks.route_stack: render, read the codes (zxing-cpp), split, copy each part
              (pikepdf), file it to its case and record it in the ledger

on one core (the router is one thread; this process is pinned to one CPU where it can be), and
prints medians, route / render (goal ≤ 2) and pages per second routed (goal ≥ 5).

    .venv/bin/python bench/scans.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import pypdfium2  # noqa: E402
import scans  # noqa: E402

from ipdocs import stacks  # noqa: E402
from ipdocs.ledger import Ledger  # noqa: E402
from ipdocs.settings import Municipality, Settings  # noqa: E402

PAGES = 40
DPI = 300
KINDS = ("samtykke", "innkalling", "referat", "fullmakt")


def settings(root: Path) -> Settings:
    return Settings(
        municipality=Municipality(
            name="Selbu kommune", unit="Tildelings- og koordineringskontoret"
        ),
        outbox=root / "outbox",
        inbox=root / "inbox",
        today=dt.date(2026, 11, 24),
    )


def make_stack(root: Path) -> tuple[Path, int]:
    data = ROOT / "tests" / "data"
    sources = []
    for n in range(1, 12):
        case = f"IP-2026-{n:04d}"
        sources += [
            scans.case_input(root / "inputs", data / f"formats_{k}.yaml", case) for k in KINDS
        ]
    pages, documents = [], 0
    for pdf, _ in scans.render_pdfs(settings(root), sources):
        documents += 1
        for page in scans.pages(pdf, dpi=DPI):
            n = len(pages)
            pages.append(
                scans.feed(page, turned=n % 5 == 4, skew=(1.5, -2.0)[n % 2] if n % 3 == 2 else 0)
            )
        if len(pages) >= PAGES:
            break
    stack = scans.save_scan(root / "Skann_20261203_0001.pdf", pages[:PAGES], dpi=DPI, quality=75)
    return stack, documents


def render_only(stack: Path) -> float:
    start = time.perf_counter()
    pdf = pypdfium2.PdfDocument(stack)
    for index in range(len(pdf)):
        page = pdf[index]
        page.render(scale=stacks.FIRST_DPI / 72, grayscale=True, may_draw_forms=False).close()
        page.close()
    pdf.close()
    return time.perf_counter() - start


def route(stack: Path, root: Path, outbox: Path) -> tuple[float, int]:
    # Each round files into a fresh copy of the outbox: the same work every time.
    shutil.rmtree(root / "round", ignore_errors=True)
    shutil.copytree(outbox, root / "round" / "outbox")
    run_settings = settings(root / "round")
    start = time.perf_counter()
    with Ledger.for_outbox(run_settings.outbox) as ledger:
        result = stacks.route_stack(stack, run_settings, ledger=ledger)
    elapsed = time.perf_counter() - start
    assert not result.refused, result.problems
    return elapsed, len(result.made)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        made = time.perf_counter()
        stack, documents = make_stack(root)
        print(
            f"Stack: {PAGES} pages at {DPI} dpi ({stack.stat().st_size / 1e6:.1f} MB), "
            f"{documents} documents, made in {time.perf_counter() - made:.0f} s"
        )
        outbox = root / "outbox"
        rendered, routed, parts = [], [], 0
        for n in range(args.rounds):
            if n % 2 == 0:
                rendered.append(render_only(stack))
                seconds, parts = route(stack, root, outbox)
                routed.append(seconds)
            else:
                seconds, parts = route(stack, root, outbox)
                routed.append(seconds)
                rendered.append(render_only(stack))
        r, t = statistics.median(rendered), statistics.median(routed)
        print(f"render (pypdfium2 at {stacks.FIRST_DPI} dpi): {r:6.2f} s")
        print(f"route  (read, split, file {parts} parts): {t:6.2f} s")
        print(f"route / render: {t / r:.2f}  (goal ≤ 2)")
        print(f"pages per second routed, one core: {PAGES / t:.1f}  (goal ≥ 5)")


if __name__ == "__main__":
    main()
