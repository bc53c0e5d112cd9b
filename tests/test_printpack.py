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
    require_program("soffice")
    require_program("pdftotext")
    sent = (dt.date.today() - dt.timedelta(days=1)).strftime("%d.%m.%Y")
    meeting = (dt.date.today() + dt.timedelta(days=14)).strftime("%d.%m.%Y")
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
