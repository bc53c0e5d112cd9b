"""Build the eight Word templates in templates/ (four documents, bokmål and nynorsk).

    python tools/build_templates.py [MAPPE]

The templates are ordinary .docx files a coordinator can open and edit in Word; the fields are
docxtpl tags (templates/README.md lists them). This script is how the bundled ones are made, so
a change to the wording is a reviewed change here, not a hand edit of a binary file. The texts
follow the seeds: the Selbu routine (innkalling, Referatmal), the leaflet «Til deg som har behov
for langvarige og koordinerte tjenester» (the information page of a first meeting), the Risør
leaflet (the contact block), the Hedmark booklet (fullmakt) and the consent facts in DOMAIN.md §2.

Layout rules for docxtpl: a `{%p ... %}` tag owns its whole paragraph, a `{%tr ... %}` tag its
whole table row; every tag sits inside one run so Word never splits it.

Layout rules for paper: what is signed stays on the page of its signature (a chain of
keep-with-next paragraphs from the statement to the last signature line), table rows never
split across pages, header rows repeat, and the next-meeting table keeps together.
"""

from __future__ import annotations

import contextlib
import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
FONT = "Calibri"  # LibreOffice uses the metric-compatible Carlito (fonts-crosextra-carlito)
DARK = RGBColor(0x1F, 0x2A, 0x44)
LINE = "________________________________"
# The footer picture ipdocs replaces with each document's QR code (reference.QR_PICTURE).
QR_PICTURE = "ipdocs-qr.png"
QR_SIDE_CM = 1.9  # 37 modules of half a millimetre: a 150 dpi scan still reads them
QR_FROM_EDGE_CM = 0.3  # in the 2.25 cm left margin, beside the footer

# Words that differ between bokmål and nynorsk (DOMAIN.md glossary); the documents' sentences
# are written out per language below, because nynorsk is not bokmål with other words. The
# municipality's word for the coordinator (`koordinator_ord`, «stafettholder» in Risør) is a
# field, so it is never written here.
WORDS = {
    "nb": {
        "side": "Side",
        "av": "av",
        "telefon": "telefon",
        "epost": "e-post",
        "navn": "Navn",
        "rolle": "Rolle",
        "sted": "Sted",
        "tid": "Tid",
        "dato": "Dato",
        "underskrift": "Underskrift",
        "sted_dato": "Sted og dato",
        "fnr": "Fødselsnummer",
        "adresse": "Adresse",
        "ikke_avtalt": "ikke avtalt",
    },
    "nn": {
        "side": "Side",
        "av": "av",
        "telefon": "telefon",
        "epost": "e-post",
        "navn": "Namn",
        "rolle": "Rolle",
        "sted": "Stad",
        "tid": "Tid",
        "dato": "Dato",
        "underskrift": "Underskrift",
        "sted_dato": "Stad og dato",
        "fnr": "Fødselsnummer",
        "adresse": "Adresse",
        "ikke_avtalt": "ikkje avtalt",
    },
}
KOORDINATOR = "{{ koordinator_ord|capitalize }}"  # a label: «Koordinator», «Stafettholder»


class Builder:
    """A thin layer over python-docx for templates: paragraphs, tag paragraphs, tables."""

    def __init__(self, lang: str, subject: str):
        self.lang = lang
        self.w = WORDS[lang]
        self.doc = Document()
        self._target = self.doc  # where paragraphs go: the body, or a cell (`kept_together`)
        self._styles()
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
        # 2.25 cm margins leave 16.5 cm of text: the footer style's right tab stop sits there.
        section.left_margin = section.right_margin = Cm(2.25)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        section.header_distance = Cm(1.0)
        # The properties an archive reads (issue 9 §6). docxtpl renders them like the body; the
        # times (created, modified) are set when the document is made (render.py).
        props = self.doc.core_properties
        props.title = "{{ referanse }}"
        props.subject = subject
        props.author = "{{ kommune.navn }}"
        props.last_modified_by = "{{ kommune.navn }}"
        props.language = "nb-NO" if lang == "nb" else "nn-NO"
        props.comments = ""
        props.keywords = ""
        props.category = ""
        props.revision = 1
        for old in props._element.findall(qn("cp:lastPrinted")):  # the template's 2013 date
            props._element.remove(old)
        self._header()
        self._footer()

    def _styles(self) -> None:
        styles = self.doc.styles
        normal = styles["Normal"]
        normal.font.name = FONT
        normal.font.size = Pt(11)
        normal.paragraph_format.space_after = Pt(4)
        rpr = normal.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
            fonts.set(qn(attr), FONT)
        code = "nb-NO" if self.lang == "nb" else "nn-NO"
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), code)
        rpr.append(lang)
        # The document's own language (docDefaults): LibreOffice writes it as the PDF's /Lang.
        defaults = self.doc.styles.element.find(qn("w:docDefaults"))
        drpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
        for old in drpr.findall(qn("w:lang")):
            drpr.remove(old)
        dlang = OxmlElement("w:lang")
        dlang.set(qn("w:val"), code)
        dlang.set(qn("w:eastAsia"), code)
        dlang.set(qn("w:bidi"), "ar-SA")
        drpr.append(dlang)
        for name, size in (("Title", 18), ("Heading 1", 13), ("Heading 2", 12)):
            style = styles[name]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.color.rgb = DARK
            style.font.italic = False
            style.paragraph_format.space_before = Pt(10 if name != "Title" else 0)
            style.paragraph_format.space_after = Pt(4)
            style.paragraph_format.keep_with_next = True
            srpr = style.element.get_or_add_rPr()
            for old in srpr.findall(qn("w:rFonts")):
                srpr.remove(old)
            sfonts = OxmlElement("w:rFonts")
            for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
                sfonts.set(qn(attr), FONT)
            srpr.insert(0, sfonts)
        title = styles["Title"].element.get_or_add_pPr()
        for border in title.findall(qn("w:pBdr")):
            title.remove(border)

    def _header(self) -> None:
        header = self.doc.sections[0].header
        p = header.paragraphs[0]
        run = p.add_run("{{ kommune.navn }}")
        run.bold = True
        run.font.size = Pt(12)
        p2 = header.add_paragraph()
        r2 = p2.add_run("{{ kommune.enhet }}")
        r2.font.size = Pt(9)

    def _footer(self) -> None:
        w = self.w
        footer = self.doc.sections[0].footer
        p = footer.paragraphs[0]
        _qr_placeholder(p)
        self._small(p, "{{ referanse }}")
        self._small(p, f"\t\t{w['side']} ")
        _field(p, "PAGE")
        self._small(p, f" {w['av']} ")
        _field(p, "NUMPAGES")
        contact = footer.add_paragraph()
        self._small(
            contact,
            "{{ kommune.enhet }}"
            f"{{% if kommune.telefon %}} · {w['telefon']} {{{{ kommune.telefon }}}}{{% endif %}}"
            f"{{% if kommune.epost %}} · {w['epost']} {{{{ kommune.epost }}}}{{% endif %}}"
            "{% if kommune.adresse %} · {{ kommune.adresse }}{% endif %}",
        )

    @staticmethod
    def _small(paragraph, text: str):
        run = paragraph.add_run(text)
        run.font.size = Pt(8)
        return run

    # --- content ----------------------------------------------------------------------

    def title(self, text: str) -> None:
        self._target.add_paragraph(text, style="Title")

    def heading(self, text: str, level: int = 1, *, new_page: bool = False):
        p = self._target.add_paragraph(text, style=f"Heading {level}")
        if new_page:
            p.paragraph_format.page_break_before = True
        return p

    def para(
        self,
        *parts: str | tuple[str, str],
        style: str | None = None,
        after: int = 4,
        keep: bool = False,
        size: int | None = None,
    ):
        """A paragraph of runs; ("b", text) is bold, ("i", text) italic. `keep`: keep with the
        next paragraph (on the same page)."""
        p = self._target.add_paragraph(style=style)
        p.paragraph_format.space_after = Pt(after)
        if keep:
            p.paragraph_format.keep_with_next = True
        for part in parts:
            kind, text = part if isinstance(part, tuple) else ("", part)
            run = p.add_run(text)
            run.bold = kind == "b"
            run.italic = kind == "i"
            if size:
                run.font.size = Pt(size)
        return p

    def tag(self, text: str, *, keep: bool = False) -> None:
        """A paragraph holding only a `{%p %}` tag (docxtpl removes the paragraph)."""
        p = self._target.add_paragraph(text)
        if keep:
            p.paragraph_format.keep_with_next = True

    def bullet(self, text: str, *, keep: bool = False) -> None:
        self.para(text, style="List Bullet", after=2, keep=keep)

    def fields(
        self,
        rows: list[tuple[str, str] | tuple[str, str, str]],
        *,
        together: bool = False,
        widths: tuple[Cm, Cm] = (Cm(4.6), Cm(11.9)),
    ) -> None:
        """A two-column table of label and value, like the Referatmal's boxes.

        A row with a third item is shown only when that condition holds (an empty address
        leaves no empty box). No row splits across pages; `together` keeps the whole table
        on one page (every row kept with the next).
        """
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for index, (label, value, *condition) in enumerate(rows):
            if condition:
                _cell(table.add_row().cells[0], f"{{%tr if {condition[0]} %}}")
            row = table.add_row()
            keep = together and index < len(rows) - 1
            _cell(row.cells[0], label, bold=True, shade=True, keep=keep)
            _cell(row.cells[1], value, keep=keep)
            _no_split(row)
            if condition:
                _cell(table.add_row().cells[0], "{%tr endif %}")
        _widths(table, list(widths))
        self._space()

    def loop_table(self, headers: list[str], loop: str, cells: list[str], widths: list[Cm]):
        """A table with a header row (repeated on every page) and one row per item; no row
        splits across pages."""
        table = self.doc.add_table(rows=0, cols=len(headers))
        table.style = "Table Grid"
        row = table.add_row()
        for cell, text in zip(row.cells, headers, strict=True):
            _cell(cell, text, bold=True, shade=True, keep=True)
        _repeat_header(row)
        _no_split(row)
        _cell(table.add_row().cells[0], f"{{%tr for {loop} %}}")
        row = table.add_row()
        for cell, text in zip(row.cells, cells, strict=True):
            _cell(cell, text)
        _no_split(row)
        _cell(table.add_row().cells[0], "{%tr endfor %}")
        _widths(table, widths)
        self._space()

    def signature_lines(self, name: str, *, last: bool = True) -> None:
        """«Sted og dato» and «Underskrift» lines with the printed name and role under them.

        Every paragraph but the very last of a signature block is kept with the next, so the
        statement above and all the lines stay on one page."""
        w = self.w
        place = self.para(f"{w['sted_dato']}: {LINE}", after=14, keep=True)
        place.paragraph_format.space_before = Pt(18)
        self.para(f"{w['underskrift']}: {LINE}", after=0, keep=True)
        self.para(name, after=8, keep=not last, size=10)

    @contextlib.contextmanager
    def kept_together(self):
        """Everything written inside goes into one table row that cannot split across pages
        (borderless, full width): the surest way to keep a signature block with the statement
        it signs in both Word and LibreOffice, whatever page the text above ends on."""
        table = self.doc.add_table(rows=1, cols=1)
        _no_borders(table)
        _no_split(table.rows[0])
        cell = table.rows[0].cells[0]
        first = cell.paragraphs[0]
        self._target = cell
        try:
            yield
        finally:
            self._target = self.doc
        first._p.getparent().remove(first._p)
        _widths(table, [Cm(16.5)])
        margins = OxmlElement("w:tblCellMar")
        for side in ("left", "right"):
            el = OxmlElement(f"w:{side}")
            el.set(qn("w:w"), "0")
            el.set(qn("w:type"), "dxa")
            margins.append(el)
        table._tbl.tblPr.append(margins)

    def _space(self) -> None:
        """A small gap after a table (Word needs a paragraph between two tables)."""
        p = self._target.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        p.paragraph_format.line_spacing = Pt(8)

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


def _cell(cell, text: str, *, bold: bool = False, shade: bool = False, keep: bool = False):
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(2)
    if keep:
        p.paragraph_format.keep_with_next = True
    run = p.add_run(text)
    run.bold = bold
    if shade:
        tcpr = cell._tc.get_or_add_tcPr()
        fill = OxmlElement("w:shd")
        fill.set(qn("w:val"), "clear")
        fill.set(qn("w:color"), "auto")
        fill.set(qn("w:fill"), "E8ECF3")
        tcpr.append(fill)
    return p


def _widths(table, widths) -> None:
    """Column widths in the table grid (LibreOffice reads these) and in every cell (Word)."""
    table.autofit = False
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.set(qn("w:w"), str(int(width.twips)))
    tblpr = table._tbl.tblPr
    tblw = tblpr.find(qn("w:tblW"))
    if tblw is None:
        tblw = OxmlElement("w:tblW")
        tblpr.append(tblw)
    tblw.set(qn("w:type"), "dxa")
    tblw.set(qn("w:w"), str(int(sum(w.twips for w in widths))))
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _no_borders(table) -> None:
    tblpr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tblpr.append(borders)


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _no_split(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:cantSplit")
    el.set(qn("w:val"), "true")
    trpr.insert(0, el)


def _qr_placeholder(paragraph) -> None:
    """A floating picture in the left margin beside the footer text, named QR_PICTURE:
    ipdocs puts each document's QR code in it (prepared.py). White in the template itself."""
    from PIL import Image

    blank = io.BytesIO()
    Image.new("1", (296, 296), 1).save(blank, "PNG")
    side = Cm(QR_SIDE_CM)
    run = paragraph.add_run()
    run.add_picture(blank, width=side, height=side)
    inline = run._r.find(".//" + qn("wp:inline"))
    for named in inline.iter(qn("pic:cNvPr")):
        named.set("name", QR_PICTURE)
    doc_pr = inline.find(qn("wp:docPr"))
    doc_pr.set("name", "QR-kode")
    doc_pr.set("descr", "Dokumentreferansen som QR-kode, for skanning")
    anchor = OxmlElement("wp:anchor")
    for key, value in (
        ("distT", "0"),
        ("distB", "0"),
        ("distL", "0"),
        ("distR", "0"),
        ("simplePos", "0"),
        ("relativeHeight", "251659264"),
        ("behindDoc", "0"),
        ("locked", "0"),
        ("layoutInCell", "1"),
        ("allowOverlap", "1"),
    ):
        anchor.set(key, value)
    simple = OxmlElement("wp:simplePos")
    simple.set("x", "0")
    simple.set("y", "0")
    anchor.append(simple)
    for axis, relative, offset in (
        ("wp:positionH", "page", Cm(QR_FROM_EDGE_CM)),
        ("wp:positionV", "paragraph", -Cm(0.6)),
    ):
        position = OxmlElement(axis)
        position.set("relativeFrom", relative)
        value = OxmlElement("wp:posOffset")
        value.text = str(int(offset))
        position.append(value)
        anchor.append(position)
    anchor.append(inline.find(qn("wp:extent")))
    effect = OxmlElement("wp:effectExtent")
    for key in ("l", "t", "r", "b"):
        effect.set(key, "0")
    anchor.append(effect)
    anchor.append(OxmlElement("wp:wrapNone"))
    anchor.append(doc_pr)
    anchor.append(inline.find(qn("wp:cNvGraphicFramePr")))
    anchor.append(inline.find(qn("a:graphic")))
    inline.getparent().replace(inline, anchor)


def _field(paragraph, code: str) -> None:
    """A simple Word field (PAGE, NUMPAGES) that Word and LibreOffice fill in."""
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), code)
    run = OxmlElement("w:r")
    rpr = OxmlElement("w:rPr")
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), "16")
    rpr.append(size)
    run.append(rpr)
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    fld.append(run)
    paragraph._p.append(fld)


# --- the documents ----------------------------------------------------------------------------


def _address_block(b: Builder) -> None:
    """The letter's head: name and postal address where a window envelope shows them (left,
    about 4.5 cm from the top of the page), our reference and the date on the right."""
    nb = b.lang == "nb"
    spacer = b.para("", after=0)
    spacer.paragraph_format.space_before = Pt(62)
    table = b.doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    _cell(left, "{{ mottaker }}")
    p = left.add_paragraph()
    p.paragraph_format.space_after = Pt(2)
    p.add_run("{{ bruker.adresse_linjer }}")
    _cell(right, "Vår ref.: {{ sak }}" if nb else "Vår ref.: {{ sak }}")
    p = right.add_paragraph()
    p.add_run(f"{b.w['dato']}: {{{{ sendt }}}}")
    p.paragraph_format.space_after = Pt(2)
    _no_split(table.rows[0])
    _widths(table, [Cm(10.0), Cm(6.5)])
    after = b.para("", after=0)
    after.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    after.paragraph_format.line_spacing = Pt(12)


def _signoff_and_contact(b: Builder) -> None:
    """The sign-off beside the coordinating unit's contact block, as the Risør leaflet lists
    its contacts (service, name, phone, e-mail): on the left the greeting, the coordinator's
    name, role, phone and e-mail; on the right the coordinating unit and its contact person."""
    nb = b.lang == "nb"
    w = b.w
    table = b._target.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    _cell(left, "Med vennlig hilsen" if nb else "Med venleg helsing")
    _cell_lines(
        left,
        [
            ("", None),
            ("{{ koordinator.navn }}", None),
            (
                "{{ koordinator_ord }}{% if koordinator.tjeneste %}, {{ koordinator.tjeneste }}"
                "{% endif %}",
                None,
            ),
            (f"{w['telefon'].capitalize()} {{{{ koordinator.telefon }}}}", "koordinator.telefon"),
            (f"{w['epost'].capitalize()} {{{{ koordinator.epost }}}}", "koordinator.epost"),
        ],
    )
    _cell(right, "Koordinerende enhet" if nb else "Koordinerande eining", bold=True)
    _cell_lines(
        right,
        [
            ("", None),
            ("{{ kommune.enhet }}", "kommune.enhet"),
            ("{{ kommune.kontaktperson }}", "kommune.kontaktperson"),
            (
                f"{w['telefon'].capitalize()} {{{{ kommune.kontakt_telefon }}}}",
                "kommune.kontakt_telefon",
            ),
            (
                f"{w['epost'].capitalize()} {{{{ kommune.kontakt_epost }}}}",
                "kommune.kontakt_epost",
            ),
            ("{{ kommune.adresse }}", "kommune.adresse"),
        ],
    )
    _no_split(table.rows[0])
    _widths(table, [Cm(8.25), Cm(8.25)])


def _cell_lines(cell, lines: list[tuple[str, str | None]]) -> None:
    for text, condition in lines:
        if condition:
            cell.add_paragraph(f"{{%p if {condition} %}}")
        p = cell.add_paragraph()
        p.paragraph_format.space_after = Pt(0)
        p.add_run(text)
        if condition:
            cell.add_paragraph("{%p endif %}")


def innkalling(lang: str) -> Builder:
    """A letter to the person and the group (issue 9 §2): addressed for a window envelope,
    with «Vår ref.», the person first among the invited, a contact block and, for a first
    meeting, the information page written from the leaflet's facts."""
    nb = lang == "nb"
    w = WORDS[lang]
    b = Builder(lang, "Innkalling til ansvarsgruppemøte")
    _address_block(b)
    b.tag("{%p if avlyst %}")
    b.title("Møtet er avlyst")
    b.tag("{%p else %}")
    b.title("Innkalling til ansvarsgruppemøte")
    b.tag("{%p endif %}")
    b.para(
        (
            "b",
            "Til {{ bruker.navn }} og ansvarsgruppen"
            if nb
            else "Til {{ bruker.navn }} og ansvarsgruppa",
        ),
        after=8,
    )
    # Issue 11: a cancelled meeting gets a short letter; a moved one says where it moved from.
    b.tag("{%p if avlyst %}")
    b.para(
        "Møtet i ansvarsgruppen{% if barn %} til {{ bruker.navn }}{% else %} din{% endif %} "
        "{{ mote.dag }}, {{ mote.tid }}, på {{ mote.sted }}, er avlyst. {{ koordinatoren|capitalize }} "
        "tar kontakt om en ny tid."
        if nb
        else "Møtet i ansvarsgruppa{% if barn %} til {{ bruker.navn }}{% else %} di{% endif %} "
        "{{ mote.dag }}, {{ mote.tid }}, på {{ mote.sted }}, er avlyst. {{ koordinatoren|capitalize }} "
        "tek kontakt om ei ny tid.",
        after=8,
    )
    b.tag("{%p else %}")
    b.tag("{%p if flyttet_fra %}")
    b.para(
        (
            "b",
            "Møtet er flyttet fra {{ flyttet_fra }} til {{ mote.dag }}."
            if nb
            else "Møtet er flytta frå {{ flyttet_fra }} til {{ mote.dag }}.",
        ),
        after=8,
    )
    b.tag("{%p endif %}")
    b.para(
        "Du er invitert til møte i ansvarsgruppen{% if barn %} til {{ bruker.navn }}"
        "{% else %} din{% endif %}."
        if nb
        else "Du er invitert til møte i ansvarsgruppa{% if barn %} til {{ bruker.navn }}"
        "{% else %} di{% endif %}.",
        after=8,
    )
    b.fields(
        [
            (w["tid"], "{{ mote.dag }}, {{ mote.tid }}"),
            (w["sted"], "{{ mote.sted }}"),
        ]
    )
    b.tag("{%p if tolk %}")
    b.para(
        ("b", "Tolk: "),
        "Det kommer en tolk som tolker mellom norsk og {{ tolk }}. Fordi vi bruker tolk, har vi "
        "satt av mer tid til møtet. Tolken presenterer seg for gruppen når møtet begynner."
        if nb
        else "Det kjem ein tolk som tolkar mellom norsk og {{ tolk }}. Fordi vi bruker tolk, har "
        "vi sett av meir tid til møtet. Tolken presenterer seg for gruppa når møtet byrjar.",
    )
    b.tag("{%p endif %}")
    b.tag("{%p if forste_mote %}")
    b.heading("Det første møtet" if nb else "Det første møtet", 2)
    first = (
        [
            "Dette er det første møtet i ansvarsgruppen. På møtet skjer dette:",
            "Du blir kjent med {{ koordinatoren }} din, og alle forteller hvem de er.",
            "Du får vite om retten til individuell plan, og hva en slik plan kan gjøre for deg.",
            "Du blir spurt om å skrive under på et samtykke, så tjenestene kan snakke sammen "
            "om deg i ansvarsgruppen. Det er frivillig.",
            "På siste side står det mer om individuell plan og {{ koordinator_ord }}.",
        ]
        if nb
        else [
            "Dette er det første møtet i ansvarsgruppa. På møtet skjer dette:",
            "Du blir kjend med {{ koordinatoren }} din, og alle fortel kven dei er.",
            "Du får vite om retten til individuell plan, og kva ein slik plan kan gjere for deg.",
            "Du blir spurd om å skrive under på eit samtykke, så tenestene kan snakke saman "
            "om deg i ansvarsgruppa. Det er frivillig.",
            "På siste side står det meir om individuell plan og {{ koordinator_ord }}.",
        ]
    )
    b.para(first[0], keep=True)
    for text in first[1:-1]:
        b.bullet(text)
    b.para(first[-1])
    b.tag("{%p endif %}")

    b.heading("Saksliste" if nb else "Sakliste")
    b.tag("{%p for punkt in saksliste %}")
    b.para("{{ loop.index }}. {{ punkt }}", after=2)
    b.tag("{%p endfor %}")

    b.heading("Hvem er invitert" if nb else "Desse er inviterte")
    b.loop_table(
        [w["navn"], w["rolle"]],
        "d in inviterte",
        [
            "{{ d.navn }}",
            "{{ d.rolle }}{% if not d.fast %} (bare til dette møtet){% endif %}"
            if nb
            else "{{ d.rolle }}{% if not d.fast %} (berre til dette møtet){% endif %}",
        ],
        [Cm(7.0), Cm(9.5)],
    )
    b.tag("{%p if fastlege %}")
    b.para(
        ("b", "Til fastlegen: "),
        "Innkallingen går via legekontoret. Vi ber om at det blir satt av en dobbelttime til møtet."
        if nb
        else "Innkallinga går via legekontoret. Vi ber om at det blir sett av ein dobbelttime "
        "til møtet.",
    )
    b.tag("{%p endif %}")

    b.heading("Gi beskjed om du kommer" if nb else "Gi beskjed om du kjem")
    b.para(
        "Ring eller send melding til {{ koordinator.navn }} på telefon "
        "{{ koordinator.telefon }}{% if svarfrist %} innen {{ svarfrist }}{% endif %}, "
        "og si om du kommer."
        if nb
        else "Ring eller send melding til {{ koordinator.navn }} på telefon "
        "{{ koordinator.telefon }}{% if svarfrist %} innan {{ svarfrist }}{% endif %}, "
        "og sei om du kjem."
    )
    b.tag("{%p endif %}")
    # The last paragraph, the sign-off and the contact block in one row that cannot split.
    with b.kept_together():
        b.para(
            "{% if avlyst %}Har du spørsmål, ta kontakt med {{ koordinatoren }}.{% else %}"
            "Kan du ikke komme, send gjerne det du vil si om sakene til {{ koordinatoren }} før "
            "møtet.{% endif %}"
            if nb
            else "{% if avlyst %}Har du spørsmål, ta kontakt med {{ koordinatoren }}.{% else %}"
            "Kan du ikkje kome, send gjerne det du vil seie om sakene til "
            "{{ koordinatoren }} før møtet.{% endif %}",
            keep=True,
            after=12,
        )
        _signoff_and_contact(b)

    b.tag("{%p if forste_mote and not avlyst %}")
    _information_page(b)
    b.tag("{%p endif %}")
    return b


def _information_page(b: Builder) -> None:
    """Individual plan and coordinator in plain words, from the facts of the leaflet «Til deg
    som har behov for langvarige og koordinerte tjenester» (seeds/002): what they are, who can
    get them, what they mean for you, how to complain, whom to ask."""
    nb = b.lang == "nb"
    b.heading(
        "Om individuell plan og {{ koordinator_ord }}"
        if nb
        else "Om individuell plan og {{ koordinator_ord }}",
        new_page=True,
    )
    if nb:
        parts = [
            ("h", "Hva er en individuell plan?"),
            (
                "p",
                "En individuell plan er din plan. Den sier hva du vil oppnå, hva som skal gjøres, "
                "hvem som skal gjøre det og når. Planen hjelper tjenestene du får, med å jobbe "
                "sammen, så hjelpen henger sammen. Er NAV, skolen eller barnevernet med, står det "
                "de gjør, også i planen.",
            ),
            ("h", "Hva gjør en {{ koordinator_ord }}?"),
            (
                "p",
                "{{ koordinatoren|capitalize }} er en av fagpersonene du har kontakt med. "
                "{{ koordinatoren|capitalize }} har oversikten, passer på at arbeidet med planen "
                "går framover, og at du og de nærmeste dine er med hele veien. Du kan si hvem du "
                "ønsker som {{ koordinator_ord }}, og det skal det legges vekt på.",
            ),
            ("h", "Hvem kan få det?"),
            (
                "p",
                "Alle som trenger flere helse- og omsorgstjenester over en tid, uansett alder og "
                "diagnose. Behovet trenger ikke å vare hele livet. Hjelp fra NAV, skole og andre "
                "regnes med når behovet vurderes.",
            ),
            ("h", "Hva betyr det for deg?"),
            ("b", "Du er med og bestemmer, og planen bygger på dine mål."),
            ("b", "Du har én {{ koordinator_ord }} som har oversikt over situasjonen din."),
            ("b", "Du får ikke nødvendigvis flere tjenester, men tjenestene samarbeider."),
            ("b", "Du bestemmer hvilke opplysninger tjenestene deler med hverandre."),
            (
                "p",
                "Du kan få {{ koordinator_ord }} selv om du sier nei til individuell plan. Du "
                "eller de nærmeste dine kan også selv be om plan og {{ koordinator_ord }}.",
            ),
            ("h", "Hvis du får nei"),
            (
                "p",
                "Mener du at du har rett til individuell plan eller {{ koordinator_ord }}, men får "
                "nei, kan du klage til Statsforvalteren. Les mer på "
                "helsenorge.no/rettigheter/individuell-plan.",
            ),
            ("h", "Hvem kan du spørre?"),
            (
                "p",
                "Spør {{ koordinatoren }} din, {{ koordinator.navn }}, på telefon "
                "{{ koordinator.telefon }}, eller {{ kommune.enhet }}{% if kommune.telefon %} på "
                "telefon {{ kommune.telefon }}{% endif %}.",
            ),
        ]
    else:
        parts = [
            ("h", "Kva er ein individuell plan?"),
            (
                "p",
                "Ein individuell plan er planen din. Han seier kva du vil oppnå, kva som skal "
                "gjerast, kven som skal gjere det og når. Planen hjelper tenestene du får, med å "
                "arbeide saman, så hjelpa heng saman. Er NAV, skulen eller barnevernet med, står "
                "det dei gjer, òg i planen.",
            ),
            ("h", "Kva gjer ein {{ koordinator_ord }}?"),
            (
                "p",
                "{{ koordinatoren|capitalize }} er ein av fagpersonane du har kontakt med. "
                "{{ koordinatoren|capitalize }} har oversikta, passar på at arbeidet med planen "
                "går framover, og at du og dei næraste dine er med heile vegen. Du kan seie kven "
                "du ønskjer som {{ koordinator_ord }}, og det skal det leggjast vekt på.",
            ),
            ("h", "Kven kan få det?"),
            (
                "p",
                "Alle som treng fleire helse- og omsorgstenester over ei tid, same kva alder og "
                "diagnose. Behovet treng ikkje vare heile livet. Hjelp frå NAV, skule og andre "
                "blir rekna med når behovet blir vurdert.",
            ),
            ("h", "Kva betyr det for deg?"),
            ("b", "Du er med og bestemmer, og planen byggjer på måla dine."),
            ("b", "Du har éin {{ koordinator_ord }} som har oversikt over situasjonen din."),
            ("b", "Du får ikkje nødvendigvis fleire tenester, men tenestene samarbeider."),
            ("b", "Du bestemmer kva opplysningar tenestene deler med kvarandre."),
            (
                "p",
                "Du kan få {{ koordinator_ord }} sjølv om du seier nei til individuell plan. Du "
                "eller dei næraste dine kan òg sjølve be om plan og {{ koordinator_ord }}.",
            ),
            ("h", "Dersom du får nei"),
            (
                "p",
                "Meiner du at du har rett til individuell plan eller {{ koordinator_ord }}, men "
                "får nei, kan du klage til Statsforvaltaren. Les meir på "
                "helsenorge.no/rettigheter/individuell-plan.",
            ),
            ("h", "Kven kan du spørje?"),
            (
                "p",
                "Spør {{ koordinatoren }} din, {{ koordinator.navn }}, på telefon "
                "{{ koordinator.telefon }}, eller {{ kommune.enhet }}{% if kommune.telefon %} på "
                "telefon {{ kommune.telefon }}{% endif %}.",
            ),
        ]
    for kind, text in parts:
        if kind == "h":
            b.heading(text, 2)
        elif kind == "b":
            b.bullet(text)
        else:
            b.para(text)


def referat(lang: str) -> Builder:
    """The Referatmal of the Selbu routine, in its order and words (issue 9 §5): Navn på
    bruker, Tid / dato, Sted, Referent; Møtedeltakere (Foresatte/verge, Andre møtedeltakere,
    Koordinator); the situation and the evaluation of actions; goals; Avtaler; the next
    meeting. Then whom the minutes go to and when they were written."""
    nb = lang == "nb"
    w = WORDS[lang]
    not_agreed = w["ikke_avtalt"]
    b = Builder(lang, "Referat fra ansvarsgruppemøte" if nb else "Referat frå ansvarsgruppemøte")
    b.title("Referat fra ansvarsgruppemøte" if nb else "Referat frå ansvarsgruppemøte")
    b.fields(
        [
            ("Navn på bruker" if nb else "Namn på brukar", "{{ bruker.navn }}"),
            ("Tid / dato", "{{ mote.tid }}, {{ mote.dag }}"),
            (w["sted"], "{{ mote.sted }}"),
            ("Referent", "{{ referent }}"),
        ]
    )

    b.heading("Møtedeltakere" if nb else "Møtedeltakarar")
    b.para(
        "{{ bruker.navn }} var {% if not bruker_til_stede %}ikke {% endif %}med på møtet."
        if nb
        else "{{ bruker.navn }} var {% if not bruker_til_stede %}ikkje {% endif %}med på møtet.",
        keep=True,
    )
    b.fields(
        [
            (
                "Foresatte/verge (hvis de deltok)" if nb else "Føresette/verje (dersom dei deltok)",
                "{{ foresatte_tekst }}",
            ),
            ("Andre møtedeltakere" if nb else "Andre møtedeltakarar", "{{ deltakere_tekst }}"),
            (
                KOORDINATOR,
                "{{ koordinator.navn }}{% if koordinator.telefon %}, "
                f"{w['telefon']} {{{{ koordinator.telefon }}}}{{% endif %}}",
            ),
            ("Tolk", "{{ tolk }}", "tolk"),
        ]
    )

    b.heading("Brukers stemme" if nb else "Brukaren si stemme")
    b.tag("{%p if not bruker_til_stede %}")
    b.para(
        "{{ bruker.navn }} var ikke med. Dette er det {{ bruker.navn }} har sagt eller ønsket, "
        "slik det ble fortalt i møtet:"
        if nb
        else "{{ bruker.navn }} var ikkje med. Dette er det {{ bruker.navn }} har sagt eller "
        "ønskt, slik det vart fortalt i møtet:",
        keep=True,
    )
    b.tag("{%p endif %}")
    b.tag("{%p if brukers_stemme %}")
    b.para("{{ brukers_stemme }}")
    b.tag("{%p else %}")
    b.para("Ikke skrevet ned." if nb else "Ikkje skrive ned.")
    b.tag("{%p endif %}")

    b.heading(
        "Nå-situasjonen: brukers situasjon og evaluering av tiltak"
        if nb
        else "Situasjonen no: situasjonen til brukaren og evaluering av tiltak"
    )
    b.tag("{%p if nasituasjon %}")
    b.para("{{ nasituasjon }}")
    b.tag("{%p else %}")
    b.para("Ikke skrevet ned." if nb else "Ikkje skrive ned.")
    b.tag("{%p endif %}")

    b.tag("{%p if evaluering %}")
    b.heading(
        "Årlig evaluering: tjenestebehov, tilbud, gruppens arbeid og sammensetning"
        if nb
        else "Årleg evaluering: tenestebehov, tilbod, arbeidet og samansetjinga i gruppa"
    )
    b.para("{{ evaluering }}")
    b.tag("{%p endif %}")

    b.heading("Mål / fokusområder" if nb else "Mål / fokusområde")
    b.tag("{%p for m in mal %}")
    b.bullet("{{ m }}")
    b.tag("{%p else %}")
    b.para("Ingen mål skrevet ned." if nb else "Ingen mål skrivne ned.")
    b.tag("{%p endfor %}")

    # Issue 11: each earlier action with how it went, before the new ones.
    b.tag("{%p if tiltak_fra_forrige %}")
    b.heading(
        "Oppfølging av tiltak fra forrige møte" if nb else "Oppfølging av tiltak frå førre møte"
    )
    b.loop_table(
        ["Nr.", "Tiltak", "Ansvar", "Frist", "Status"],
        "t in tiltak_fra_forrige",
        [
            "{{ t.nr }}",
            "{{ t.tiltak }}{% if t.kommentar %} ({{ t.kommentar }}){% endif %}",
            "{{ t.ansvar }}",
            "{{ t.frist }}",
            "{{ t.status }}",
        ],
        [Cm(1.3), Cm(7.2), Cm(3.5), Cm(2.5), Cm(2.0)],
    )
    b.tag("{%p endif %}")

    b.heading("Avtaler" if nb else "Avtalar")
    b.tag("{%p if tiltak %}")
    b.loop_table(
        ["Nr.", "Tiltak", "Ansvar", "Frist"],
        "t in tiltak",
        ["{{ t.nr }}", "{{ t.tiltak }}", "{{ t.ansvar }}", "{{ t.frist }}"],
        [Cm(1.3), Cm(8.7), Cm(4.0), Cm(2.5)],
    )
    b.tag("{%p else %}")
    b.para("Ingen nye tiltak ble avtalt." if nb else "Ingen nye tiltak vart avtalte.")
    b.tag("{%p endif %}")

    b.tag("{%p if avslutning %}")
    b.heading(
        "Avslutning av ansvarsgruppen: vurderingene som er gjort"
        if nb
        else "Avslutning av ansvarsgruppa: vurderingane som er gjorde"
    )
    b.para("{{ avslutning }}")
    b.tag("{%p endif %}")

    b.heading("Planlegging av neste møte/evaluering")
    b.tag("{%p if neste_mote %}")

    def agreed(value: str) -> str:
        return f"{{% if {value} %}}{{{{ {value} }}}}{{% else %}}{not_agreed}{{% endif %}}"

    b.fields(
        [
            ("Hvem skal delta?" if nb else "Kven skal delta?", agreed("neste_mote.deltakere")),
            (w["dato"], "{{ neste_mote.dag }}"),
            ("Fra kl." if nb else "Frå kl.", agreed("neste_mote.fra")),
            ("Til kl.", agreed("neste_mote.til")),
            (w["sted"], agreed("neste_mote.sted")),
        ],
        together=True,
    )
    b.tag("{%p elif avslutning %}")
    b.para(
        "Ansvarsgruppen er avsluttet, og det er ikke avtalt flere møter."
        if nb
        else "Ansvarsgruppa er avslutta, og det er ikkje avtalt fleire møte."
    )
    b.tag("{%p else %}")
    b.para(
        "Neste møte er ikke avtalt. {{ koordinatoren|capitalize }} tar kontakt for å finne en dato."
        if nb
        else "Neste møte er ikkje avtalt. {{ koordinatoren|capitalize }} tek kontakt for å finne "
        "ein dato."
    )
    b.tag("{%p endif %}")

    b.heading("Referatet sendes til" if nb else "Referatet blir sendt til", 2)
    b.para("{{ sendes_til }}", keep=True)
    b.para(
        "Skrevet {{ skrevet }} av {{ referent }}."
        if nb
        else "Skrive {{ skrevet }} av {{ referent }}.",
        after=8,
        keep=True,
    )
    b.para(
        (
            "i",
            "Har du merknader til referatet, si fra til {{ koordinatoren }}, eller ta dem opp på "
            "neste møte."
            if nb
            else "Har du merknader til referatet, sei frå til {{ koordinatoren }}, eller ta dei "
            "opp på neste møte.",
        )
    )
    return b


def samtykke(lang: str) -> Builder:
    """Informed consent (DOMAIN.md §2; Tolga: which information, who, how used, consequences)."""
    nb = lang == "nb"
    w = WORDS[lang]
    b = Builder(lang, "Samtykke til ansvarsgruppe og individuell plan")
    b.title("Samtykke til {{ gjelder_tekst }}")
    b.fields(
        [
            ("Samtykket gjelder" if nb else "Samtykket gjeld", "{{ bruker.navn }}"),
            (w["fnr"], "{{ bruker.fodselsnummer }}", "bruker.fodselsnummer"),
            (w["adresse"], "{{ bruker.adresse }}", "bruker.adresse"),
        ]
    )
    b.para(
        "Med dette samtykket kan tjenestene nedenfor dele opplysninger om {{ bruker.navn }} med "
        "hverandre, slik at de kan samarbeide om {{ gjelder_tekst }}. Tjenestene har "
        "taushetsplikt og kan bare dele opplysninger når du samtykker."
        if nb
        else "Med dette samtykket kan tenestene nedanfor dele opplysningar om {{ bruker.navn }} "
        "med kvarandre, slik at dei kan samarbeide om {{ gjelder_tekst }}. Tenestene har "
        "teieplikt og kan berre dele opplysningar når du samtykkjer."
    )
    b.heading(
        "Hva opplysningene skal brukes til" if nb else "Kva opplysningane skal brukast til", 2
    )
    b.para("{{ formal }}")
    b.heading("Hvilke opplysninger" if nb else "Kva opplysningar", 2)
    b.para("{{ opplysninger }}")
    b.heading("Hvem som får opplysningene" if nb else "Kven som får opplysningane", 2)
    b.tag("{%p for m in mottakere %}")
    b.bullet("{{ m }}")
    b.tag("{%p endfor %}")
    b.heading("Hvor lenge samtykket gjelder" if nb else "Kor lenge samtykket gjeld", 2)
    b.para(
        "Fra {{ gyldig_fra }} til {{ gyldig_til }}."
        if nb
        else "Frå {{ gyldig_fra }} til {{ gyldig_til }}."
    )
    b.heading("Flytting til en annen kommune" if nb else "Flytting til ein annan kommune", 2)
    b.tag("{%p if overforing %}")
    b.para(
        "Samtykket gjelder også overføring av opplysninger til den nye kommunen hvis "
        "{{ bruker.navn }} flytter."
        if nb
        else "Samtykket gjeld også overføring av opplysningar til den nye kommunen dersom "
        "{{ bruker.navn }} flyttar."
    )
    b.tag("{%p else %}")
    b.para(
        "Samtykket gjelder ikke overføring av opplysninger til en annen kommune. Ved flytting "
        "trengs et nytt samtykke."
        if nb
        else "Samtykket gjeld ikkje overføring av opplysningar til ein annan kommune. Ved "
        "flytting trengst eit nytt samtykke."
    )
    b.tag("{%p endif %}")

    b.heading("Dette bør du vite" if nb else "Dette bør du vite", 2)
    rights = (
        [
            "Det er frivillig å samtykke. Sier du nei, får du fortsatt de tjenestene du har rett "
            "til, men det kan bli vanskeligere for tjenestene å samarbeide.",
            "Du kan trekke samtykket tilbake når som helst, muntlig eller skriftlig. Si fra til "
            "{{ koordinatoren }} eller til {{ kommune.enhet }}.",
            "Du kan be om at enkelte opplysninger eller mottakere holdes utenfor.",
            "For barn under 16 år samtykker den eller de som har foreldreansvaret. Barnet skal få "
            "si sin mening fra 7 år, og det skal legges stor vekt på hva barnet mener fra 12 år.",
        ]
        if nb
        else [
            "Det er frivillig å samtykkje. Seier du nei, får du framleis dei tenestene du har "
            "rett til, men det kan bli vanskelegare for tenestene å samarbeide.",
            "Du kan trekkje samtykket tilbake når som helst, munnleg eller skriftleg. Sei frå til "
            "{{ koordinatoren }} eller til {{ kommune.enhet }}.",
            "Du kan be om at einskilde opplysningar eller mottakarar blir haldne utanfor.",
            "For barn under 16 år samtykkjer den eller dei som har foreldreansvaret. Barnet skal "
            "få seie meininga si frå 7 år, og det skal leggjast stor vekt på kva barnet meiner "
            "frå 12 år.",
        ]
    )
    for text in rights:
        b.bullet(text)

    # The signature block: the statement, the parents' sentence and every signer's lines are
    # one table row that cannot split, so they never part over a page break.
    with b.kept_together():
        b.heading("Underskrift")
        b.para(
            "{% if flere_underskrivere %}Vi har lest dette og samtykker.{% else %}Jeg har lest "
            "dette og samtykker.{% endif %}"
            if nb
            else "{% if flere_underskrivere %}Vi har lese dette og samtykkjer.{% else %}Eg har "
            "lese dette og samtykkjer.{% endif %}",
        )
        b.tag("{%p if foreldreansvar %}")
        b.para(
            (
                "i",
                "Har to personer foreldreansvaret sammen, skriver begge under."
                if nb
                else "Har to personar foreldreansvaret saman, skriv begge under.",
            ),
        )
        b.tag("{%p endif %}")
        b.tag("{%p for s in underskrivere %}")
        b.signature_lines("{{ s.navn }}, {{ s.rolle_tekst }}")
        b.tag("{%p endfor %}")
        b.tag("{%p if mangler_forelder %}")
        b.signature_lines(
            f"{w['navn']}: {LINE}, "
            + ("den andre med foreldreansvar" if nb else "den andre med foreldreansvar"),
        )
        b.tag("{%p endif %}")
    return b


def fullmakt(lang: str) -> Builder:
    """The example in the Hedmark booklet, field by field."""
    nb = lang == "nb"
    w = WORDS[lang]
    b = Builder(lang, "Fullmakt")
    b.title("FULLMAKT")
    b.para(
        "Jeg gir " if nb else "Eg gir ",
        ("b", "{{ fullmektig.navn }}"),
        " fullmakt til å føre saken min overfor "
        if nb
        else " fullmakt til å føre saka mi overfor ",
        ("b", "{{ gjelder }}"),
        " for perioden {{ fra }} – {{ til }}.",
        after=8,
    )
    b.tag("{%p if fullmektig.adresse %}")
    b.para(f"{w['adresse']} til fullmektig: {{{{ fullmektig.adresse }}}}")
    b.tag("{%p endif %}")
    # From the revocation to the grantor's address: one row that cannot split.
    with b.kept_together():
        b.para(
            "Jeg kan når som helst trekke fullmakten tilbake."
            if nb
            else "Eg kan når som helst trekkje fullmakta tilbake.",
            after=6,
            keep=True,
        )
        place = b.para(f"{w['sted_dato']}: {LINE}, {{{{ dato }}}}", after=14, keep=True)
        place.paragraph_format.space_before = Pt(18)
        b.para(f"{w['underskrift']}: {LINE}", after=0, keep=True)
        b.para(
            "{{ fullmaktsgiver.navn }}, " + ("fullmaktsgiver" if nb else "fullmaktsgivar"),
            after=6,
            keep=True,
            size=10,
        )
        b.tag("{%p if fullmaktsgiver.fodselsnummer %}")
        b.para(f"{w['fnr']}: {{{{ fullmaktsgiver.fodselsnummer }}}}", after=0, keep=True)
        b.tag("{%p endif %}")
        b.tag("{%p if fullmaktsgiver.adresse %}")
        b.para(f"{w['adresse']}: {{{{ fullmaktsgiver.adresse }}}}", after=0)
        b.tag("{%p endif %}")
    return b


DOCUMENTS = {
    "innkalling": innkalling,
    "referat": referat,
    "samtykke": samtykke,
    "fullmakt": fullmakt,
}


def build(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    made = []
    for kind, make in DOCUMENTS.items():
        for lang in ("nb", "nn"):
            path = folder / f"{kind}_{lang}.docx"
            make(lang).save(path)
            made.append(path)
    return made


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "templates"
    for path in build(target):
        print(path)
