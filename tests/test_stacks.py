"""Scanned stacks that file themselves by the QR codes on their pages (stacks.py).

The scans are made from real renders (docxtpl → LibreOffice → raster → JPEG image PDF, pages
turned and skewed: tests/scans.py), rendered once per module and copied for each test. The
codes are the ones the templates' footers carry; only a code the ledger does not know is
stamped on by the test."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pikepdf
import pytest
import scans
from conftest import DATA, office_settings, require_program, run_cli
from pdfs import certificates, scan_pdf, sign
from watchkit import WatcherProcess, make_office, wait_until

from ipdocs import stacks
from ipdocs.ledger import Ledger
from ipdocs.reference import Reference

DPI = 200  # enough for the test; the bench scans at 300 dpi
A, B = "IP-2026-0042", "IP-2026-0077"


@pytest.fixture(autouse=True)
def _no_watcher_left_running():
    yield
    WatcherProcess.kill_all()


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Case A's consent and its twelve-action minutes (several pages), case B's invitation:
    the page images of each, with the reference its QR code carries."""
    require_program("soffice")
    root = tmp_path_factory.mktemp("office")
    make_office(root)
    sources = [
        DATA / "formats_samtykke.yaml",
        scans.case_input(root / "inputs", DATA / "formats_innkalling.yaml", B),
        scans.case_input(root / "inputs", DATA / "referat_tolv_tiltak.yaml", A),
    ]
    documents = {}
    for pdf, made in scans.render_pdfs(office_settings(root), sources):
        ref = Reference(made.case, made.kind, made.date, made.ref)
        documents[made.kind] = (scans.pages(pdf, dpi=DPI), ref)
    return root, documents


@pytest.fixture
def office(rendered, tmp_path):
    root, documents = rendered
    return scans.copy_office(root, tmp_path / "office"), documents


def _scanned(documents, kind: str) -> list:
    images, _ = documents[kind]
    return list(images)  # the footer's own QR code on every page


def _blank(documents):
    return documents["samtykke"][0][0].point(lambda _: 250)


def _stack(path: Path, documents, *, before: int = 0, unknown: bool = False) -> Path:
    """Case A's consent (skewed), B's invitation (skewed the other way), A's minutes (its first
    page upside down and skewed, its second upside down), with blank pages before the first
    code and a page whose code the ledger does not know, if asked."""
    consent = _scanned(documents, "samtykke")
    invitation = _scanned(documents, "innkalling")
    minutes = _scanned(documents, "referat")
    pages = [_blank(documents)] * before
    pages += [scans.feed(consent[0], skew=1.5), *consent[1:]]
    pages += [scans.feed(invitation[0], skew=-1.0), *invitation[1:]]
    if unknown:
        stranger = Reference(A, "fullmakt", dt.date(2026, 12, 3), "ZZZZZZZZ")
        pages += [scans.stamp(_blank(documents), stranger.payload(), dpi=DPI)]
    pages += [scans.feed(minutes[0], turned=True, skew=2.0)]
    pages += [scans.feed(page, turned=True) for page in minutes[1:]]
    return scans.save_scan(path, pages, dpi=DPI)


def _count(documents, kind: str) -> int:
    return len(documents[kind][0])


def test_split_follows_the_codes():
    r1 = Reference(A, "samtykke", dt.date(2026, 12, 3), "AAAAAAAA")
    r2 = Reference(B, "innkalling", dt.date(2026, 12, 3), "BBBBBBBB")
    segments = stacks.split([None, r1, None, r2, r2, r1])
    assert [(s.first, s.last, s.reference) for s in segments] == [
        (0, 0, None),
        (1, 2, r1),  # a page without a readable code goes with the page before it
        (3, 4, r2),
        (5, 5, r1),  # the same document again, not next to the first: a part of its own
    ]
    assert [s.label for s in segments] == ["side 1", "side 2–3", "side 4–5", "side 6"]


def test_every_rendered_page_carries_its_code_in_the_footer(office):
    """The code the template's footer holds is the document's own: read on every page of the
    PDF LibreOffice made (before any scanning), and known to the ledger by its id."""
    root, documents = office
    with Ledger.for_outbox(root / "outbox") as ledger:
        for kind, (_, ref) in documents.items():
            [pdf] = (root / "outbox" / ref.case).glob(f"*_{kind}.pdf")
            refs = stacks.read_references(pdf)
            assert refs and all(r == ref for r in refs), (kind, refs)
            row = ledger.document_by_ref(ref.id)
            assert (row.case, row.kind, row.date) == (ref.case, ref.kind, ref.date)
            assert ref.payload().startswith(f"IPD1:{ref.case}:{kind.upper()}:20261203:")


def test_codes_are_read_on_turned_and_skewed_scans(office, tmp_path):
    root, documents = office
    stack = _stack(tmp_path / "Skann_0001.pdf", documents)
    refs = stacks.read_references(stack)
    consent, invitation, minutes = (documents[k][1] for k in ("samtykke", "innkalling", "referat"))
    assert refs == (
        [consent] * _count(documents, "samtykke")
        + [invitation] * _count(documents, "innkalling")
        + [minutes] * _count(documents, "referat")
    )
    assert _count(documents, "referat") >= 2  # twelve actions: a part of several pages


def test_the_watcher_routes_a_stack_to_its_cases(office):
    root, documents = office
    stack = _stack(root / "inbox" / "Skann_20261203_0001.pdf", documents, before=1, unknown=True)
    original = stack.read_bytes()
    inbox = root / "inbox"
    watcher = WatcherProcess(root)
    routed = inbox / "ferdig" / stack.name
    wait_until(routed.is_file, timeout=60, what="the stack filed to ferdig/")
    assert routed.read_bytes() == original  # the stack the user gave is kept as it was

    def signed(case: str) -> dict[str, int]:
        folder = root / "outbox" / case / "signert"
        return {p.name: len(pikepdf.open(p).pages) for p in sorted(folder.glob("*.pdf"))}

    nc, ni, nm = (_count(documents, k) for k in ("samtykke", "innkalling", "referat"))
    consent, invitation, minutes = (documents[k][1] for k in ("samtykke", "innkalling", "referat"))
    assert signed(A) == {
        f"{minutes.date}_referat_signert.pdf": nm,
        f"{consent.date}_samtykke_signert.pdf": nc,
    }
    assert signed(B) == {f"{invitation.date}_innkalling_signert.pdf": ni}
    # Page 1 (before any code) and the page after the invitation (an unknown code).
    unknown = 1 + nc + ni + 1
    failed = sorted(p.name for p in (inbox / "feil").iterdir())
    assert failed == [
        "Skann_20261203_0001_side_1.pdf",
        "Skann_20261203_0001_side_1.pdf.feil.txt",
        f"Skann_20261203_0001_side_{unknown}.pdf",
        f"Skann_20261203_0001_side_{unknown}.pdf.feil.txt",
    ]
    first = (inbox / "feil" / "Skann_20261203_0001_side_1.pdf.feil.txt").read_text()
    assert "Side 1 i «Skann_20261203_0001.pdf» ble ikke lagt i noen sak" in first
    assert "før den første QR-koden" in first
    stranger = (inbox / "feil" / f"Skann_20261203_0001_side_{unknown}.pdf.feil.txt").read_text()
    assert "fullmakt for IP-2026-0042 fra 03.12.2026" in stranger
    note = (inbox / "ferdig" / f"{stack.name}.merknad.txt").read_text()
    total = unknown + nm
    assert note.startswith(f"«Skann_20261203_0001.pdf» har {total} sider. Slik ble de lagt:")
    places = [line for line in note.splitlines() if line.startswith("- ")]

    def where(first: int, last: int, ref: Reference) -> str:
        name = f"{ref.date}_{ref.kind}_signert.pdf"
        return (
            f"- {stacks.page_label(first - 1, last - 1)}: {ref.kind} for {ref.case} fra "
            f"{ref.date:%d.%m.%Y}, lagt i {ref.case}/signert/{name}"
        )

    assert places == [
        "- side 1: ikke lagt i noen sak, ligger i feil/Skann_20261203_0001_side_1.pdf",
        where(2, 1 + nc, consent),
        where(2 + nc, 1 + nc + ni, invitation),
        f"- side {unknown}: ikke lagt i noen sak, ligger i feil/Skann_20261203_0001_side_{unknown}.pdf",
        where(unknown + 1, total, minutes),
    ]
    assert "Nordmann" not in note  # the person's name is in the documents, never in a note
    assert "ble delt etter QR-kodene: 3 dokumenter lagt i saken, 2 deler i feil/" in watcher.text()
    with Ledger.for_outbox(root / "outbox") as ledger:
        scans_a = [d for d in ledger.documents(A) if d.origin == "signed"]
        assert {d.kind: d.copy_of for d in scans_a} == {
            "samtykke": documents["samtykke"][1].id,
            "referat": documents["referat"][1].id,
        }
        consent = next(d for d in scans_a if d.kind == "samtykke")
        assert consent.covers_transfer is not None  # taken from the rendered consent


def test_render_on_a_stack_keeps_the_pages_it_cannot_file_as_the_watcher_does(office):
    """`ipdocs render Skann_….pdf`, the stack given on the command line instead of through the
    inbox: the pages before the first code and a document the ledger does not know are each
    saved as their own PDF in inbox/feil/ with a report, and the terminal says where."""
    root, documents = office
    stack = _stack(root / "skann" / "Skann_20261203_0009.pdf", documents, before=1, unknown=True)
    original = stack.read_bytes()
    nc, ni, nm = (_count(documents, k) for k in ("samtykke", "innkalling", "referat"))
    unknown = 1 + nc + ni + 1

    done = run_cli("render", str(stack), cwd=root)

    assert done.returncode == 1, done.stdout + done.stderr
    assert stack.read_bytes() == original  # the user's stack is left where it was, as it was
    failed = root / "inbox" / "feil"
    first, stranger = (f"Skann_20261203_0009_side_{n}.pdf" for n in (1, unknown))
    assert sorted(p.name for p in failed.iterdir()) == sorted(
        [first, f"{first}.feil.txt", stranger, f"{stranger}.feil.txt"]
    )
    assert len(pikepdf.open(failed / first).pages) == 1
    report = (failed / f"{first}.feil.txt").read_text(encoding="utf-8")
    assert "Side 1 i «Skann_20261203_0009.pdf» ble ikke lagt i noen sak" in report
    assert "ferdig/" not in report  # the stack was not moved anywhere
    out = done.stdout
    assert f"side 1: ikke lagt i noen sak, ligger i {failed / first}" in out, out
    assert f"side {unknown}: ikke lagt i noen sak, ligger i {failed / stranger}" in out, out
    assert "side 1: side 1:" not in out  # each problem says its pages once
    assert "Traceback" not in done.stderr
    assert len(list((root / "outbox" / A / "signert").glob("*.pdf"))) == 2
    checked = run_cli("check", str(stack), cwd=root).stdout
    assert "side 1: kan ikke legges i noen sak\n" in checked, checked
    assert len(list(failed.iterdir())) == 4  # check saves nothing


def test_status_points_to_a_stacks_left_over_pages_and_clears_when_they_are_dealt_with(office):
    """`ipdocs status` lists a stack with pages no case took as an open failure with the
    reports of those pages (there is no report for the stack itself); once they have left
    feil/ (fixed and dropped again, or deleted), it is no longer open."""
    root, documents = office
    stack = _stack(root / "skann" / "Skann_20261203_0010.pdf", documents, before=1, unknown=True)
    run_cli("render", str(stack), cwd=root)
    failed = root / "inbox" / "feil"
    reports = sorted(p.name for p in failed.glob("*.feil.txt"))
    assert len(reports) == 2

    shown = run_cli("status", cwd=root).stdout
    assert "Åpne feil (1)" in shown, shown
    for report in reports:
        assert f"Rapport: {Path('inbox') / 'feil' / report}" in shown, shown

    for path in list(failed.iterdir()):
        path.unlink()
    shown = run_cli("status", cwd=root).stdout
    assert "Ingen åpne feil." in shown, shown


def test_the_watchers_log_counts_one_document_and_one_part_in_the_singular(office):
    root, documents = office
    blank = _blank(documents)
    stack = scans.save_scan(
        root / "inbox" / "Skann_0005.pdf", [blank, *_scanned(documents, "samtykke")], dpi=DPI
    )
    watcher = WatcherProcess(root)
    wait_until(
        (root / "inbox" / "ferdig" / stack.name).is_file, timeout=60, what="the stack routed"
    )
    wait_until(lambda: "ble delt etter QR-kodene" in watcher.text(), timeout=10, what="the log")
    assert "1 dokument lagt i saken, 1 del i feil/" in watcher.text()


def test_parts_are_the_scanned_pages_unchanged(office, tmp_path):
    root, documents = office
    stack = _stack(tmp_path / "Skann_0002.pdf", documents)
    with Ledger.for_outbox(root / "outbox") as ledger:
        result = stacks.route_stack(stack, office_settings(root), ledger=ledger)
    nc, ni, nm = (_count(documents, k) for k in ("samtykke", "innkalling", "referat"))
    assert [m.label for m in result.made] == [
        stacks.page_label(0, nc - 1),
        stacks.page_label(nc, nc + ni - 1),
        stacks.page_label(nc + ni, nc + ni + nm - 1),
    ]

    def images(pdf: Path) -> list[str]:
        with pikepdf.open(pdf) as doc:
            return [
                hashlib.sha256(img.read_raw_bytes()).hexdigest()
                for page in doc.pages
                for img in page.get_images().values()
            ]

    assert [h for m in result.made for h in images(m.path)] == images(stack)


def test_pages_fed_upside_down_are_filed_upright(office, tmp_path):
    """A page through the feeder upside down (or a quarter turned) is shown the right way up
    in the filed copy (its /Rotate set; its image untouched): the code on it reads upright."""
    import pypdfium2
    import zxingcpp

    root, documents = office
    minutes = _scanned(documents, "referat")
    pages = [scans.feed(minutes[0], turned=True, skew=2.0), minutes[1].rotate(90, expand=True)]
    stack = scans.save_scan(tmp_path / "Skann_0006.pdf", pages, dpi=DPI)
    with Ledger.for_outbox(root / "outbox") as ledger:
        [made] = stacks.route_stack(stack, office_settings(root), ledger=ledger).made
    pdf = pypdfium2.PdfDocument(made.path)
    try:
        for index in range(len(pdf)):
            image = pdf[index].render(scale=150 / 72, grayscale=True).to_pil()
            [code] = zxingcpp.read_barcodes(image)
            assert abs(code.orientation) <= 10, (index, code.orientation)
    finally:
        pdf.close()


def test_a_stack_without_any_code_is_refused_as_before(office, tmp_path):
    root, documents = office
    stack = scan_pdf(tmp_path / "Skann_0003.pdf", 2)  # a scanner's pages, no code on them
    with Ledger.for_outbox(root / "outbox") as ledger:
        result = stacks.route_stack(stack, office_settings(root), ledger=ledger)
    assert result.status == "refused" and result.split is None
    assert "<sak>_<dokument>.pdf" in str(result.problems[0])
    assert "Ingen av sidene har en QR-kode fra ipdocs" in str(result.problems[0])
    assert not (root / "outbox" / A / "signert").exists()


def test_an_electronically_signed_stack_is_filed_whole_byte_for_byte(office, tmp_path):
    """eSignering returns the document with its codes; a signed file is never split (that would
    break the signature), even when a page carries another document's code."""
    root, documents = office
    pages = _scanned(documents, "samtykke") + _scanned(documents, "referat")
    scan = scans.save_scan(tmp_path / "unsigned.pdf", pages, dpi=DPI)
    ca, cert, key = certificates(tmp_path)
    stack = sign(scan, tmp_path / "esignering_resultat.pdf", ca, cert, key)
    with Ledger.for_outbox(root / "outbox") as ledger:
        result = stacks.route_stack(stack, office_settings(root), ledger=ledger)
    [made] = result.made
    pages = _count(documents, "samtykke") + _count(documents, "referat")
    assert (made.case, made.kind, made.label) == (A, "samtykke", stacks.page_label(0, pages - 1))
    assert made.path.read_bytes() == stack.read_bytes()
