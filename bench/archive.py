"""Archive bundle speed: ipdocs against `qpdf --empty --pages … --` on the same files, same run.

Makes 50 signed PDFs of about 200 pages in all (some image-only scans, some with their own
bookmarks, A4 and Letter mixed, one page turned), files them to a case the way the watcher
does, then times, round by round with the order rotated:

    qpdf         qpdf --empty --pages <50 files> -- out.pdf        (the baseline: pages only)
    ipdocs pdf   bundle.open_source + bundle.assemble, written to a file: the PDF-making
                 part alone (cover, index, bookmarks, labels, links, metadata), like for like
                 with qpdf, which also only reads, copies and writes
    ipdocs       archive.make_archive in process, the whole command's work: the ledger, the
                 PDF, SHA-256 of every source and of the bundle, the manifest, and both files
                 published durably (fsync, rename)
    ipdocs cli   the same through `python -m ipdocs archive` (interpreter start and imports too)
    pikepdf      a bare in-process merge, nothing added (the limit to approach)
    ipdocs pdfa  make_archive with --pdfa (written and validated as PDF/A-2b)

and prints medians and, per round, ratios against qpdf (above 1 means faster than qpdf).

    .venv/bin/python bench/archive.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pikepdf
import reportlab
from PIL import Image, ImageDraw
from reportlab import rl_config
from reportlab.lib.pagesizes import A4, letter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from ipdocs import bundle, cover  # noqa: E402
from ipdocs.archive import make_archive  # noqa: E402
from ipdocs.ledger import Ledger  # noqa: E402
from ipdocs.settings import Municipality, Settings  # noqa: E402

CASE = "IP-2026-0042"
FILES = 50
FONT = "BenchVera"


def make_sources(folder: Path) -> tuple[list[tuple[Path, str, dt.date]], dict]:
    """50 signed PDFs: every fifth a scan, every fifth (offset) with bookmarks, odd ones Letter."""
    rl_config.useA85 = 0  # plain Flate streams, as Word, LibreOffice and scanners write them
    pdfmetrics.registerFont(
        TTFont(FONT, str(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"))
    )
    folder.mkdir(parents=True)
    kinds = ("referat", "samtykke", "innkalling", "fullmakt")
    made, stats = [], {"pages": 0, "scans": 0, "bookmarked": 0, "letter": 0, "rotated": 0}
    for n in range(FILES):
        pages = 2 + (n * 7) % 5  # 2..6, about 4 on average
        size = letter if n % 2 else A4
        kind = kinds[n % len(kinds)]
        path = folder / f"{CASE}_{kind}_{n:02}.pdf"
        if n % 5 == 0:
            _scan(path, pages, size)
            stats["scans"] += 1
        else:
            _text(path, pages, size, bookmarks=n % 5 == 1)
            stats["bookmarked"] += n % 5 == 1
        if n == 7:
            with pikepdf.open(path, allow_overwriting_input=True) as pdf:
                pdf.pages[0].rotate(90, relative=True)
                pdf.save()
            stats["rotated"] += 1
        stats["pages"] += pages
        stats["letter"] += size == letter
        made.append((path, kind, dt.date(2026, 1, 5) + dt.timedelta(days=7 * n)))
    return made, stats


def _text(path: Path, pages: int, size, *, bookmarks: bool) -> None:
    # Compressed page content, as Word, LibreOffice and scanners write it.
    canvas = Canvas(str(path), pagesize=size, initialFontName=FONT, pageCompression=1)
    for page in range(pages):
        canvas.setFont(FONT, 11)
        for line in range(40):
            canvas.drawString(
                60, size[1] - 60 - 16 * line, f"Side {page + 1}, linje {line + 1}: " * 2
            )
        if bookmarks:
            canvas.bookmarkPage(f"p{page}")
            canvas.addOutlineEntry(f"Punkt {page + 1}", f"p{page}", 0)
        canvas.showPage()
    canvas.save()
    # reportlab writes /Filter [/FlateDecode] (an array); qpdf decodes and compresses such
    # streams again on every save. Word, LibreOffice and scanners write a plain name, so the
    # files are saved once through pikepdf to look like theirs.
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        pdf.save()


def _scan(path: Path, pages: int, size) -> None:
    """Grey JPEG pages at 150 dpi, as an office scanner makes them."""
    width = round(size[0] / 72 * 150)
    height = round(size[1] / 72 * 150)
    images = []
    for page in range(pages):
        image = Image.effect_noise((width, height), 12).point(lambda v: 200 + v // 5)
        draw = ImageDraw.Draw(image)
        for line in range(30):
            draw.rectangle((120, 150 + 50 * line, width - 200 - 7 * line, 165 + 50 * line), fill=60)
        draw.text((120, 80), f"skannet side {page + 1}", fill=0)
        images.append(image)
    data = io.BytesIO()
    images[0].save(data, "PDF", save_all=True, append_images=images[1:], resolution=150)
    path.write_bytes(data.getvalue())


def file_to_case(outbox: Path, sources) -> None:
    folder = outbox / CASE / "signert"
    folder.mkdir(parents=True)
    with Ledger.for_outbox(outbox) as ledger:
        for path, kind, date in sources:
            target = folder / path.name
            shutil.copyfile(path, target)
            digest = hashlib.sha256(target.read_bytes()).hexdigest()
            ledger.add_signed(CASE, kind, date, target, digest, name=target.name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    qpdf = shutil.which("qpdf")
    if not qpdf:
        sys.exit("qpdf is not installed (apt-get install qpdf)")

    with tempfile.TemporaryDirectory(prefix="ipdocs-bench-archive-") as tmp:
        work = Path(tmp)
        sources, stats = make_sources(work / "sources")
        ordered = [p for p, _, _ in sorted(sources, key=lambda s: s[2])]
        outbox = work / "outbox"
        file_to_case(outbox, sources)
        settings = Settings(
            municipality=Municipality(
                name="Selbu kommune", unit="Tildelings- og koordineringskontoret"
            ),
            outbox=outbox,
            today=dt.date(2026, 11, 24),
        )
        size_mb = sum(p.stat().st_size for p in ordered) / 1e6
        print(
            f"{FILES} signed PDFs, {stats['pages']} pages, {size_mb:.1f} MB: {stats['scans']} scanned, "
            f"{stats['bookmarked']} with their own bookmarks, {stats['letter']} Letter and "
            f"{FILES - stats['letter']} A4, {stats['rotated']} with a turned page"
        )
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))

        def run_qpdf():
            out = work / "qpdf.pdf"
            subprocess.run(
                [qpdf, "--empty", "--pages", *map(str, ordered), "--", str(out)], check=True
            )

        front = cover.Cover(
            "Selbu kommune", "", CASE, "Kari Nordmann", "avslutning", "", settings.today, 0, 0
        )
        parts = [
            bundle.Part(kind, date, "signed", path, path)
            for path, kind, date in sorted(sources, key=lambda s: s[2])
        ]

        def run_bundle():
            opened = [(part, bundle.open_source(part.pdf)) for part in parts]
            with open(work / "bundle.pdf", "wb") as into:
                bundle.assemble(opened, front, into, lang="nb", title=f"Arkivutskrift {CASE}")
            for _, pdf in opened:
                pdf.close()

        def run_ipdocs():
            made = make_archive(settings, CASE, "avslutning")
            assert made.pages == stats["pages"] + 3, made.pages

        def run_cli():
            subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "ipdocs",
                    "archive",
                    CASE,
                    "--grunn",
                    "avslutning",
                    "--out",
                    str(outbox),
                ],
                check=True,
                env=env,
                capture_output=True,
            )

        def run_pikepdf():
            out = pikepdf.new()
            for path in ordered:
                with pikepdf.open(path) as src:
                    out.pages.extend(src.pages)
            out.save(work / "pikepdf.pdf")

        def run_pdfa():
            make_archive(settings, CASE, "avslutning", pdfa=True)

        runners = {
            "qpdf": run_qpdf,
            "ipdocs pdf": run_bundle,
            "ipdocs": run_ipdocs,
            "ipdocs cli": run_cli,
            "pikepdf": run_pikepdf,
            "ipdocs pdfa": run_pdfa,
        }
        for run in runners.values():  # warm the page cache, fonts and imports once
            run()
        times: dict[str, list[float]] = {name: [] for name in runners}
        names = list(runners)
        for round_ in range(args.rounds):
            order = names[round_ % len(names) :] + names[: round_ % len(names)]
            for name in order:
                start = time.perf_counter()
                runners[name]()
                times[name].append(time.perf_counter() - start)

    print(f"\n{'round':>5} " + " ".join(f"{n:>12}" for n in names) + "   (seconds)")
    for i in range(args.rounds):
        print(f"{i + 1:>5} " + " ".join(f"{times[n][i]:>12.3f}" for n in names))
    print(f"{'median':>6}" + " ".join(f"{statistics.median(times[n]):>12.3f}" for n in names))
    print("\nqpdf time / ipdocs time, per round (above 1: faster than the qpdf command):")
    for name in names[1:]:
        ratios = [q / t for q, t in zip(times["qpdf"], times[name], strict=True)]
        shown = " ".join(f"{r:.2f}" for r in ratios)
        print(f"  {name:<12} median {statistics.median(ratios):.2f}×   ({shown})")


if __name__ == "__main__":
    main()
