"""The print pack (printpack.py through `ipdocs batch --utskrift`): every invitation of the
run in one PDF, in row order, made by the real command with LibreOffice."""

from __future__ import annotations

import datetime as dt
import subprocess

import pikepdf
from conftest import require_program, run_cli

from ipdocs.readers.batch import REQUIRED

HEADER = [*REQUIRED, "sendt"]


def test_utskrift_puts_every_invitation_in_one_pdf_in_row_order(tmp_path):
    sent, meeting = _dates()
    rows = [
        f"IP-2026-0052;Kari Nordmann;{meeting};09:00;10:00;Rådhuset;;Ola Hansen;400 31 579;"
        f"Per Olsen (Fastlege);Status;{sent}",
        f"IP-2026-0050;Per Hansen;{meeting};14:00;13:00;Helsehuset;;Ola Hansen;400 31 579;"
        f"A (B);C;{sent}",  # ends before it begins: refused, not in the pack
        f"IP-2026-0051;Åse Øren;{meeting};12:00;13:00;Helsehuset;;Ola Hansen;400 31 579;"
        f"Line Berg (Fysioterapeut);Status;{sent}",
    ]
    (tmp_path / "post.csv").write_text(";".join(HEADER) + "\n" + "\n".join(rows) + "\n")
    result = run_cli("batch", "post.csv", "--utskrift", "--no-ics", cwd=tmp_path, timeout=300)
    assert result.returncode == 1, result.stdout + result.stderr  # the refused row
    # <dato> is the command's today (Norwegian time), which the test does not guess.
    [pack] = (tmp_path / "outbox" / "utskrift").glob("????-??-??_innkallinger.pdf")
    assert f"Til utskrift: {pack.relative_to(tmp_path)}" in result.stdout
    singles = [
        tmp_path
        / "outbox"
        / case
        / f"{dt.datetime.strptime(meeting, '%d.%m.%Y'):%Y-%m-%d}_innkalling.pdf"
        for case in ("IP-2026-0052", "IP-2026-0051")
    ]
    with pikepdf.open(pack) as pdf:
        assert len(pdf.pages) == sum(len(pikepdf.open(s).pages) for s in singles)
    text = subprocess.run(
        ["pdftotext", str(pack), "-"], capture_output=True, text=True, check=True
    ).stdout
    # Row order, not case order; the refused row is not there.
    assert text.index("IP-2026-0052") < text.index("IP-2026-0051")
    assert "IP-2026-0050" not in text

    again = run_cli("batch", "post.csv", "--utskrift", "--no-ics", cwd=tmp_path, timeout=300)
    assert pack.with_name(f"{pack.stem}_2.pdf").is_file(), again.stdout  # the first is kept


def test_tosidig_puts_a_blank_page_after_each_letter_with_an_odd_page_count(tmp_path):
    sent, meeting = _dates()
    rows = [
        f"IP-2026-00{n};Person {n};{meeting};09:00;10:00;Rådhuset;;Ola Hansen;400 31 579;"
        f"Per Olsen (Fastlege);Status;{sent}"
        for n in (61, 62, 63)
    ]
    (tmp_path / "post.csv").write_text(";".join(HEADER) + "\n" + "\n".join(rows) + "\n")
    result = run_cli("batch", "post.csv", "--tosidig", "--no-ics", cwd=tmp_path, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr  # --tosidig gives --utskrift
    [pack] = (tmp_path / "outbox" / "utskrift").glob("????-??-??_innkallinger.pdf")
    pages = []
    with pikepdf.open(pack) as pdf:
        for number in range(1, len(pdf.pages) + 1):
            pages.append(
                subprocess.run(
                    ["pdftotext", "-f", str(number), "-l", str(number), str(pack), "-"],
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
            )
        sizes = {tuple(round(float(v), 1) for v in page.mediabox) for page in pdf.pages}
    # Each letter is one page: letter, blank, letter, blank, letter (none after the last).
    assert len(pages) == 5, [p[:40] for p in pages]
    assert [bool(p.strip()) for p in pages] == [True, False, True, False, True]
    assert [next(c for c in ("0061", "0062", "0063") if c in p) for p in pages[::2]] == [
        "0061",
        "0062",
        "0063",
    ]
    assert len(sizes) == 1  # the blank pages are the letters' paper size


def _dates() -> tuple[str, str]:
    """Yesterday (sent) and a meeting two weeks on, as a coordinator writes them; the programs
    the print pack needs."""
    require_program("soffice")
    require_program("pdftotext")
    today = dt.date.today()
    return (
        (today - dt.timedelta(days=1)).strftime("%d.%m.%Y"),
        (today + dt.timedelta(days=14)).strftime("%d.%m.%Y"),
    )
