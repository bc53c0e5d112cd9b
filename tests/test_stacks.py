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
from conftest import DATA, office_settings, require_program
from pdfs import certificates, scan_pdf, sign
from watchkit import WatcherProcess, make_office, wait_until

from ipdocs import stacks
from ipdocs.ledger import Ledger
from ipdocs.reference import Reference

DPI = 200  # enough for the test; the bench scans at 300 dpi
A, B = "IP-2026-0042", "IP-2026-0077"


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Case A's consent (2 pages) and minutes (1 page), case B's invitation (1 page): the
    page images of each, with the reference its QR code carries."""
    require_program("soffice")
    root = tmp_path_factory.mktemp("office")
    make_office(root)
    sources = [
        DATA / "formats_samtykke.yaml",
        scans.case_input(root / "inputs", DATA / "formats_innkalling.yaml", B),
        DATA / "formats_referat.yaml",
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
    """Case A's consent (page 2 upside down), B's invitation (skewed), A's minutes (upside down
    and skewed), with blank pages before the first code and a page whose code the ledger does
    not know, if asked."""
    consent = _scanned(documents, "samtykke")
    invitation = _scanned(documents, "innkalling")
    minutes = _scanned(documents, "referat")
    pages = [_blank(documents)] * before
    pages += [scans.feed(consent[0], skew=1.5), scans.feed(consent[1], turned=True)]
    pages += [scans.feed(invitation[0], skew=-1.0)]
    if unknown:
        stranger = Reference(A, "fullmakt", dt.date(2026, 12, 3), "ZZZZZZZZ")
        pages += [scans.stamp(_blank(documents), stranger.payload(), dpi=DPI)]
    pages += [scans.feed(minutes[0], turned=True, skew=2.0)]
    return scans.save_scan(path, pages, dpi=DPI)


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
    assert refs == [consent, consent, invitation, minutes]


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

    assert signed(A) == {"2026-12-03_referat_signert.pdf": 1, "2026-12-03_samtykke_signert.pdf": 2}
    assert signed(B) == {"2026-12-03_innkalling_signert.pdf": 1}
    failed = sorted(p.name for p in (inbox / "feil").iterdir())
    assert failed == [
        "Skann_20261203_0001_side_1.pdf",
        "Skann_20261203_0001_side_1.pdf.feil.txt",
        "Skann_20261203_0001_side_5.pdf",
        "Skann_20261203_0001_side_5.pdf.feil.txt",
    ]
    first = (inbox / "feil" / "Skann_20261203_0001_side_1.pdf.feil.txt").read_text()
    assert "Side 1 i «Skann_20261203_0001.pdf» ble ikke lagt i noen sak" in first
    assert "før den første QR-koden" in first
    fifth = (inbox / "feil" / "Skann_20261203_0001_side_5.pdf.feil.txt").read_text()
    assert "fullmakt for IP-2026-0042 fra 03.12.2026" in fifth
    note = (inbox / "ferdig" / f"{stack.name}.merknad.txt").read_text()
    assert note.startswith("«Skann_20261203_0001.pdf» har 6 sider. Slik ble de lagt:")
    places = [line for line in note.splitlines() if line.startswith("- ")]
    assert places == [
        "- side 1: ikke lagt i noen sak, ligger i feil/Skann_20261203_0001_side_1.pdf",
        f"- side 2–3: samtykke for {A} fra 03.12.2026, lagt i {A}/signert/2026-12-03_samtykke_signert.pdf",
        f"- side 4: innkalling for {B} fra 03.12.2026, lagt i {B}/signert/2026-12-03_innkalling_signert.pdf",
        "- side 5: ikke lagt i noen sak, ligger i feil/Skann_20261203_0001_side_5.pdf",
        f"- side 6: referat for {A} fra 03.12.2026, lagt i {A}/signert/2026-12-03_referat_signert.pdf",
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


def test_parts_are_the_scanned_pages_unchanged(office, tmp_path):
    root, documents = office
    stack = _stack(tmp_path / "Skann_0002.pdf", documents)
    with Ledger.for_outbox(root / "outbox") as ledger:
        result = stacks.route_stack(stack, office_settings(root), ledger=ledger)
    assert [m.label for m in result.made] == ["side 1–2", "side 3", "side 4"]

    def images(pdf: Path) -> list[str]:
        with pikepdf.open(pdf) as doc:
            return [
                hashlib.sha256(img.read_raw_bytes()).hexdigest()
                for page in doc.pages
                for img in page.get_images().values()
            ]

    assert [h for m in result.made for h in images(m.path)] == images(stack)


def test_a_stack_without_any_code_is_refused_as_before(office, tmp_path):
    root, documents = office
    stack = scan_pdf(tmp_path / "Skann_0003.pdf", 2)  # a scanner's pages, no code on them
    with Ledger.for_outbox(root / "outbox") as ledger:
        result = stacks.route_stack(stack, office_settings(root), ledger=ledger)
    assert result.status == "refused" and result.split is None
    assert "<sak>_<dokument>.pdf" in str(result.problems[0])
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
    assert (made.case, made.kind, made.label) == (A, "samtykke", "side 1–3")
    assert made.path.read_bytes() == stack.read_bytes()
