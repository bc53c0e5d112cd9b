"""Benchmark for `ipdocs batch` (issue 4). Prints ratios measured in one run on this machine.

    .venv/bin/python bench/batch.py [--rows 200] [--big 2000] [--pdf-docs 8] [--repeat 3]

On the same template and the same rows:
1. speed: the naive loop (`DocxTemplate(path)`, `render`, `save` per document, as ipdocs did
   before) against the batch pipeline with one job and with every core. Both read and
   validate the rows the same way; calendar files are off so both make the same files. Each
   measurement runs in a fresh process (templates are prepared inside the timing).
2. memory: peak RSS of the real `ipdocs batch` command for `--rows` and `--big` rows.
3. PDF: seconds per document for one `soffice --convert-to pdf` per file against ipdocs'
   batched conversion (one LibreOffice per core for all the documents of the run).

Goals (issue 4): ≥ 8× the naive loop on one core, ≥ 1.6× more on two cores, peak memory for
2,000 rows ≤ 1.1× that for 200, batched PDF ≤ 1/6 of the per-file time per document.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
TODAY = dt.date(2026, 11, 24)


def write_rows(path: Path, count: int) -> Path:
    import openpyxl

    from ipdocs.readers.batch import REQUIRED

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Innkallinger"
    ws.append(list(REQUIRED))
    for i in range(count):
        ws.append(
            [
                f"IP-2026-{i:04d}",
                f"Person Nummer {i}",
                dt.datetime(2026, 12, 1) + dt.timedelta(days=i % 28),
                dt.time(9, 0),
                dt.time(10, 30),
                "Rådhuset, møterom 2",
                "arabisk" if i % 3 == 0 else None,
                "Ola Hansen",
                "400 31 579",
                "Per Olsen (Fastlege); Line Berg (Fysioterapeut); Anne Ås (NAV)",
                "Status siden forrige møte; Søknad om avlastning; Eventuelt",
            ]
        )
    book.save(path)
    return path


def settings(outbox: Path, **changes):
    from ipdocs.settings import Municipality, Settings

    return Settings(
        municipality=Municipality(name="Selbu kommune", phone="400 31 579"),
        outbox=outbox,
        today=TODAY,
        ics=False,
        **changes,
    )


# --- measurements, each in a fresh process ---------------------------------------------------


def measure_naive(rows: Path, outbox: Path) -> dict:
    import io

    from docxtpl import DocxTemplate

    from ipdocs import readers, reference, render

    s = settings(outbox)
    # The same files as the pipeline makes: the footer's QR code with a new document id.
    with_code = reference.QR_PICTURE in pictures(s.template_path("innkalling", "nb"))
    start, cpu = time.perf_counter(), _cpu()
    for entry in readers.read(rows, today=TODAY):
        doc = entry.document
        template = DocxTemplate(s.template_path(doc.kind, doc.language))
        ref = reference.new_id()
        if with_code:
            code = reference.Reference(doc.case, doc.kind, doc.document_date, ref)
            template.replace_pic(reference.QR_PICTURE, io.BytesIO(reference.qr_png(code)))
        template.render(render.context(doc, s, ref=ref), jinja_env=render.jinja_env())
        out = io.BytesIO()
        template.save(out)
        target = outbox / doc.case / render.output_name(doc)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(out.getvalue())
    return {"seconds": time.perf_counter() - start, "cpu": _cpu() - cpu}


def pictures(path: Path) -> set[str]:
    from docxtpl import DocxTemplate

    from ipdocs.prepared import pictures_in_headers_and_footers

    template = DocxTemplate(path)
    template.render_init()
    return set(pictures_in_headers_and_footers(template))


def _cpu() -> float:
    """CPU seconds of this process and its finished workers: what other users cannot inflate."""
    import resource

    mine = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + workers.ru_utime + workers.ru_stime


def measure_ipdocs(rows: Path, outbox: Path, jobs: int) -> dict:
    from ipdocs import pipeline
    from ipdocs.ledger import Ledger
    from ipdocs.run import Run

    start, cpu = time.perf_counter(), _cpu()
    s = settings(outbox)
    with Ledger.for_outbox(outbox) as ledger, Run(s, ledger=ledger, jobs=jobs) as run:
        pipeline.process_file(rows, s, ledger=ledger, run=run)
        [result] = run.finish()
    assert len(result.made) and not result.refused, result.refused[:1]
    return {"seconds": time.perf_counter() - start, "cpu": _cpu() - cpu}


def measure_pdf_batched(rows: Path, outbox: Path, jobs: int) -> dict:
    from ipdocs import pipeline
    from ipdocs.run import Run

    marks: dict[str, float] = {}

    def progress(stage: str, done: int, total: int) -> None:
        if stage == "pdf":
            marks.setdefault("start", time.perf_counter())
            marks["end"], marks["total"] = time.perf_counter(), total

    s = settings(outbox, pdf=True)
    with Run(s, jobs=jobs, progress=progress) as run:
        pipeline.process_file(rows, s, run=run)
        [result] = run.finish()
        marks["end"] = time.perf_counter()  # publishing the PDFs belongs to the stage too
    assert not result.refused, result.refused[:1]
    return {"seconds": marks["end"] - marks["start"], "documents": marks["total"]}


def measure_pdf_per_file(docs: list[Path], work: Path) -> dict:
    from ipdocs._exec.soffice import find_soffice

    soffice = find_soffice()
    profile = (work / "profile").as_uri()

    def convert(doc: Path) -> None:
        subprocess.run(
            [soffice, f"-env:UserInstallation={profile}", "--headless", "--norestore"]
            + ["--convert-to", "pdf", "--outdir", str(work / "pdf"), str(doc)],
            check=True,
            capture_output=True,
        )

    convert(docs[0])  # the profile is made on the first start: not counted
    start = time.perf_counter()
    for doc in docs:
        convert(doc)
    return {"seconds": time.perf_counter() - start, "documents": len(docs)}


def _child(kind: str, args: list[str]) -> dict:
    """Run one measurement in a fresh Python; returns its figures and peak memory (kB)."""
    command = [sys.executable, __file__, "--child", kind, *args]
    probe = (
        "import json, resource, subprocess, sys\n"
        "out = subprocess.run(sys.argv[1:], capture_output=True, text=True)\n"
        "if out.returncode: sys.exit(out.stderr)\n"
        "figures = json.loads(out.stdout.strip().splitlines()[-1])\n"
        "usage = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "figures['peak_kb'] = usage.ru_maxrss\n"
        "print(json.dumps(figures))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, *command], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def _peak_of_cli(rows: Path, outbox: Path) -> int:
    """Peak RSS (kB) of the real `ipdocs batch` command, workers included."""
    probe = (
        "import resource, subprocess, sys\n"
        "subprocess.run(sys.argv[1:], check=True, capture_output=True)\n"
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    command = [sys.executable, "-m", "ipdocs", "batch", str(rows), "--no-ics", "-j", "1"]
    command += ["--out", str(outbox)]
    done = subprocess.run(
        [sys.executable, "-c", probe, *command],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=outbox.parent,
    )
    return int(done.stdout.strip())


def child_main(kind: str, args: list[str]) -> None:
    if kind == "naive":
        figures = measure_naive(Path(args[0]), Path(args[1]))
    elif kind == "ipdocs":
        figures = measure_ipdocs(Path(args[0]), Path(args[1]), int(args[2]))
    elif kind == "pdf-batched":
        figures = measure_pdf_batched(Path(args[0]), Path(args[1]), int(args[2]))
    else:
        figures = measure_pdf_per_file([Path(a) for a in args[1:]], Path(args[0]))
    print(json.dumps(figures))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--big", type=int, default=2000)
    parser.add_argument("--pdf-docs", type=int, default=8, help="documents converted per file")
    parser.add_argument("--pdf-batch", type=int, default=40, help="documents converted batched")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true")
    options = parser.parse_args()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()

    with tempfile.TemporaryDirectory(prefix="ipdocs-bench-") as tmp:
        work = Path(tmp)
        rows = write_rows(work / "rader.xlsx", options.rows)

        def fresh(name: str) -> Path:
            folder = work / name
            shutil.rmtree(folder, ignore_errors=True)
            return folder

        print(
            f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())} ({cores} cores)"
        )
        naive, one, many = [], [], []
        for _ in range(options.repeat):  # interleaved, so noise hits all three alike
            naive.append(_child("naive", [str(rows), str(fresh("naive"))]))
            one.append(_child("ipdocs", [str(rows), str(fresh("one")), "1"]))
            many.append(_child("ipdocs", [str(rows), str(fresh("many")), str(cores)]))
        n, o, m = (statistics.median(r["seconds"] for r in x) for x in (naive, one, many))
        nc, oc = (statistics.median(r["cpu"] for r in x) for x in (naive, one))
        print(f"rendering {options.rows} invitations (median of {options.repeat} rounds):")
        print(
            f"  naive docxtpl loop      {n:7.2f} s  {options.rows / n:7.1f} documents/s  cpu {nc:6.2f} s"
        )
        print(
            f"  ipdocs batch, 1 job     {o:7.2f} s  {options.rows / o:7.1f} documents/s  cpu {oc:6.2f} s"
        )
        print(f"  ipdocs batch, {cores} jobs    {m:7.2f} s  {options.rows / m:7.1f} documents/s")
        print(f"  1 job vs naive: {n / o:.1f}x wall, {nc / oc:.1f}x cpu (goal >= 8x)")
        print(f"  {cores} jobs vs 1 job: {o / m:.2f}x (goal >= 1.6x on two cores)")
        rounds = zip(naive, one, many, strict=True)
        print(
            f"  every round, naive/1 job/{cores} jobs (s): "
            + "; ".join(
                f"{a['seconds']:.2f}/{b['seconds']:.2f}/{c['seconds']:.2f}" for a, b, c in rounds
            )
        )

        big = write_rows(work / "mange.xlsx", options.big)
        big_one, big_many = [], []
        for _ in range(options.repeat):
            big_one.append(_child("ipdocs", [str(big), str(fresh("big-one")), "1"]))
            big_many.append(_child("ipdocs", [str(big), str(fresh("big-many")), str(cores)]))
        bo, bm = (statistics.median(r["seconds"] for r in x) for x in (big_one, big_many))
        uo, um = (
            statistics.median(r["cpu"] / r["seconds"] for r in x) for x in (big_one, big_many)
        )
        print(f"rendering {options.big} invitations (start-up shared by more rows):")
        print(
            f"  ipdocs batch, 1 job     {bo:7.2f} s  {options.big / bo:7.1f} documents/s  cores busy {uo:.2f}"
        )
        print(
            f"  ipdocs batch, {cores} jobs    {bm:7.2f} s  {options.big / bm:7.1f} documents/s  cores busy {um:.2f}"
        )
        print(f"  {cores} jobs vs 1 job: {bo / bm:.2f}x (goal >= 1.6x on two cores)")
        print(
            "  (cores busy = CPU seconds / wall seconds: below the job count, other work had the cores)"
        )

        small_peaks = [_peak_of_cli(rows, fresh("mem-small")) for _ in range(options.repeat)]
        big_peaks = [_peak_of_cli(big, fresh("mem-big")) for _ in range(options.repeat)]
        small, large = statistics.median(small_peaks), statistics.median(big_peaks)
        print("peak memory of `ipdocs batch` (1 job):")
        print(f"  {options.rows:5d} rows: {small / 1024:6.1f} MB")
        print(f"  {options.big:5d} rows: {large / 1024:6.1f} MB")
        print(f"  {options.big} vs {options.rows} rows: {large / small:.2f}x (goal <= 1.1x)")

        if options.no_pdf:
            return
        pdf_rows = write_rows(work / "pdf.xlsx", options.pdf_batch)
        batched = _child("pdf-batched", [str(pdf_rows), str(fresh("pdf")), str(cores)])
        docs = sorted((work / "one").rglob("*.docx"))[: options.pdf_docs]
        per_file = _child("pdf-per-file", [str(fresh("soffice")), *map(str, docs)])
        b = batched["seconds"] / batched["documents"]
        f = per_file["seconds"] / per_file["documents"]
        print("PDF with LibreOffice, seconds per document:")
        print(f"  one soffice per file    {f:6.2f} s  ({per_file['documents']} documents)")
        print(f"  ipdocs batched          {b:6.2f} s  ({batched['documents']} documents)")
        print(f"  batched / per file: 1/{f / b:.1f} (goal <= 1/6)")
        print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child_main(sys.argv[2], sys.argv[3:])
    else:
        main()
