"""Build the eight Word templates in templates/ (four documents, bokmål and nynorsk).

    python tools/build_templates.py [MAPPE]

The templates are ordinary .docx files a coordinator can open and edit in Word; the fields are
docxtpl tags (templates/README.md lists them). This script is how the bundled ones are made, so
a change to the wording is a reviewed change here, not a hand edit of a binary file. The texts
follow the seeds: the Selbu routine (innkalling, Referatmal), the Hedmark booklet (fullmakt) and
the consent facts in DOMAIN.md §2.

Layout rules for docxtpl: a `{%p ... %}` tag owns its whole paragraph, a `{%tr ... %}` tag its
whole table row; every tag sits inside one run so Word never splits it.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
FONT = "Calibri"  # LibreOffice uses the metric-compatible Carlito (fonts-crosextra-carlito)
DARK = RGBColor(0x1F, 0x2A, 0x44)

# Words that differ between bokmål and nynorsk (DOMAIN.md glossary); the documents' sentences
# are written out per language below, because nynorsk is not bokmål with other words.
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
        "koordinator": "Koordinator",
        "underskrift": "Underskrift",
        "sted_dato": "Sted og dato",
        "fnr": "Fødselsnummer",
        "adresse": "Adresse",
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
        "koordinator": "Koordinator",
        "underskrift": "Underskrift",
        "sted_dato": "Stad og dato",
        "fnr": "Fødselsnummer",
        "adresse": "Adresse",
    },
}


class Builder:
    """A thin layer over python-docx for templates: paragraphs, tag paragraphs, tables."""

    def __init__(self, lang: str, title: str):
        self.lang = lang
        self.w = WORDS[lang]
        self.doc = Document()
        self._styles()
        section = self.doc.sections[0]
        section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4
        # 2.25 cm margins leave 16.5 cm of text: the footer style's right tab stop sits there.
        section.left_margin = section.right_margin = Cm(2.25)
        section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
        props = self.doc.core_properties
        props.title = title
        props.author = "ipdocs"
        props.language = "nb-NO" if lang == "nb" else "nn-NO"
        props.comments = (
            "Mal for ipdocs. Feltene står i doble krøllparenteser; se templates/README.md."
        )
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
        lang = OxmlElement("w:lang")
        lang.set(qn("w:val"), "nb-NO" if self.lang == "nb" else "nn-NO")
        rpr.append(lang)
        for name, size in (("Title", 20), ("Heading 1", 14), ("Heading 2", 12)):
            style = styles[name]
            style.font.name = FONT
            style.font.size = Pt(size)
            style.font.bold = True
            style.font.color.rgb = DARK
            style.font.italic = False
            style.paragraph_format.space_before = Pt(12 if name != "Title" else 0)
            style.paragraph_format.space_after = Pt(4)
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
        self.doc.add_paragraph(text, style="Title")

    def heading(self, text: str, level: int = 1) -> None:
        self.doc.add_paragraph(text, style=f"Heading {level}")

    def para(self, *parts: str | tuple[str, str], style: str | None = None, after: int = 4):
        """A paragraph of runs; ("b", text) is bold, ("i", text) italic."""
        p = self.doc.add_paragraph(style=style)
        p.paragraph_format.space_after = Pt(after)
        for part in parts:
            kind, text = part if isinstance(part, tuple) else ("", part)
            run = p.add_run(text)
            run.bold = kind == "b"
            run.italic = kind == "i"
        return p

    def tag(self, text: str) -> None:
        """A paragraph holding only a `{%p %}` tag (docxtpl removes the paragraph)."""
        self.doc.add_paragraph(text)

    def bullet(self, text: str) -> None:
        self.para(text, style="List Bullet", after=2)

    def fields(self, rows: list[tuple[str, str] | tuple[str, str, str]]) -> None:
        """A two-column table of label and value, like the Referatmal's boxes.

        A row with a third item is shown only when that condition holds (an empty address
        leaves no empty box).
        """
        table = self.doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.LEFT
        for label, value, *condition in rows:
            if condition:
                _cell(table.add_row().cells[0], f"{{%tr if {condition[0]} %}}")
            cells = table.add_row().cells
            _cell(cells[0], label, bold=True, shade=True)
            _cell(cells[1], value)
            if condition:
                _cell(table.add_row().cells[0], "{%tr endif %}")
        _widths(table, [Cm(4.6), Cm(11.9)])
        self._space()

    def loop_table(self, headers: list[str], loop: str, cells: list[str], widths: list[Cm]):
        """A table with a header row and one row per item: `{%tr for ... %}` rows around it."""
        table = self.doc.add_table(rows=0, cols=len(headers))
        table.style = "Table Grid"
        row = table.add_row().cells
        for cell, text in zip(row, headers, strict=True):
            _cell(cell, text, bold=True, shade=True)
        _repeat_header(table.rows[0])
        _cell(table.add_row().cells[0], f"{{%tr for {loop} %}}")
        row = table.add_row().cells
        for cell, text in zip(row, cells, strict=True):
            _cell(cell, text)
        _cell(table.add_row().cells[0], "{%tr endfor %}")
        _widths(table, widths)
        self._space()

    def signature(self, label: str, name: str = "") -> None:
        self.para("")
        self.para(f"{label}: ____________________________________________", after=0)
        if name:
            self.para(name, after=8)

    def _space(self) -> None:
        p = self.doc.add_paragraph()
        p.paragraph_format.space_after = Pt(0)

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


def _cell(cell, text: str, *, bold: bool = False, shade: bool = False) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(2)
    run = p.add_run(text)
    run.bold = bold
    if shade:
        tcpr = cell._tc.get_or_add_tcPr()
        fill = OxmlElement("w:shd")
        fill.set(qn("w:val"), "clear")
        fill.set(qn("w:color"), "auto")
        fill.set(qn("w:fill"), "E8ECF3")
        tcpr.append(fill)


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


def _repeat_header(row) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


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


def innkalling(lang: str) -> Builder:
    nb = lang == "nb"
    w = WORDS[lang]
    b = Builder(lang, "Innkalling til ansvarsgruppemøte")
    b.para(("", "{{ sendt }}"), after=2).alignment = 2  # right
    b.para(
        ("b", "Til: "),
        "deltakerne i ansvarsgruppen til {{ bruker.navn }}"
        if nb
        else "deltakarane i ansvarsgruppa til {{ bruker.navn }}",
        after=12,
    )
    b.title("Innkalling til ansvarsgruppemøte")
    b.para(
        "Du er invitert til møte i ansvarsgruppen til {{ bruker.navn }}."
        if nb
        else "Du er invitert til møte i ansvarsgruppa til {{ bruker.navn }}.",
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
        "Det blir tolk på møtet ({{ tolk }}). Tolken presenterer seg for gruppen når møtet "
        "begynner."
        if nb
        else "Det kjem tolk på møtet ({{ tolk }}). Tolken presenterer seg for gruppa når møtet "
        "byrjar.",
    )
    b.tag("{%p endif %}")

    b.heading("Saksliste" if nb else "Sakliste")
    b.tag("{%p for punkt in saksliste %}")
    b.para("{{ loop.index }}. {{ punkt }}", after=2)
    b.tag("{%p endfor %}")

    b.heading("Hvem er invitert" if nb else "Kven er inviterte")
    b.loop_table(
        [w["navn"], w["rolle"]],
        "d in deltakere",
        [
            "{{ d.navn }}",
            "{{ d.rolle }}{% if not d.fast %} (bare til dette møtet){% endif %}"
            if nb
            else "{{ d.rolle }}{% if not d.fast %} (berre til dette møtet){% endif %}",
        ],
        [Cm(7.0), Cm(9.4)],
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
    b.para(
        "Kan du ikke komme, er det fint om du sender med det du vil si om sakene."
        if nb
        else "Kan du ikkje kome, er det fint om du sender med det du vil seie om sakene."
    )

    b.heading(w["koordinator"], 2)
    b.para(
        "{{ koordinator.navn }}{% if koordinator.tjeneste %}, {{ koordinator.tjeneste }}"
        "{% endif %}",
        after=0,
    )
    b.para(f"{w['telefon'].capitalize()} {{{{ koordinator.telefon }}}}", after=0)
    b.tag("{%p if koordinator.epost %}")
    b.para(f"{w['epost'].capitalize()} {{{{ koordinator.epost }}}}", after=0)
    b.tag("{%p endif %}")
    b.para("")
    b.para("Med vennlig hilsen" if nb else "Med venleg helsing", after=0)
    b.para("{{ koordinator.navn }}", after=0)
    b.para("koordinator", after=0)
    return b


def referat(lang: str) -> Builder:
    """The Referatmal of the Selbu routine, field by field."""
    nb = lang == "nb"
    w = WORDS[lang]
    b = Builder(lang, "Referat fra ansvarsgruppemøte" if nb else "Referat frå ansvarsgruppemøte")
    b.title("Referat fra ansvarsgruppemøte" if nb else "Referat frå ansvarsgruppemøte")
    b.fields(
        [
            ("Navn på bruker" if nb else "Namn på brukar", "{{ bruker.navn }}"),
            ("Tid / dato", "{{ mote.dag }}, {{ mote.tid }}"),
            (w["sted"], "{{ mote.sted }}"),
            ("Referent", "{{ referent }}"),
            (
                w["koordinator"],
                "{{ koordinator.navn }}{% if koordinator.telefon %}, "
                f"{w['telefon']} {{{{ koordinator.telefon }}}}{{% endif %}}",
            ),
        ]
    )
    b.tag("{%p if tolk %}")
    b.para(("b", "Tolk: "), "{{ tolk }}")
    b.tag("{%p endif %}")

    b.heading("Møtedeltakere" if nb else "Møtedeltakarar")
    b.loop_table(
        [w["navn"], w["rolle"]],
        "d in deltakere",
        ["{{ d.navn }}", "{{ d.rolle }}"],
        [Cm(7.0), Cm(9.4)],
    )
    b.heading(
        "Foresatte/verge (hvis de deltar)" if nb else "Føresette/verje (dersom dei deltek)", 2
    )
    b.tag("{%p for f in foresatte %}")
    b.para("{{ f.navn }}{% if f.rolle %} ({{ f.rolle }}){% endif %}", after=2)
    b.tag("{%p else %}")
    b.para("Ingen foresatte eller verge deltok." if nb else "Ingen føresette eller verje deltok.")
    b.tag("{%p endfor %}")

    b.heading("Brukers stemme" if nb else "Brukaren si stemme")
    b.para(
        (
            "i",
            "Hva {{ bruker.navn }} selv sa og ønsket i møtet."
            if nb
            else "Kva {{ bruker.navn }} sjølv sa og ønskte i møtet.",
        ),
        after=2,
    )
    b.tag("{%p if brukers_stemme %}")
    b.para("{{ brukers_stemme }}")
    b.tag("{%p else %}")
    b.para("Ikke skrevet ned." if nb else "Ikkje skrive ned.")
    b.tag("{%p endif %}")

    b.heading(
        "Nå-situasjonen: brukers situasjon og evaluering av tiltak"
        if nb
        else "No-situasjonen: situasjonen til brukaren og evaluering av tiltak"
    )
    b.tag("{%p if nasituasjon %}")
    b.para("{{ nasituasjon }}")
    b.tag("{%p else %}")
    b.para("Ikke skrevet ned." if nb else "Ikkje skrive ned.")
    b.tag("{%p endif %}")

    b.heading("Mål / fokusområder" if nb else "Mål / fokusområde")
    b.tag("{%p for m in mal %}")
    b.bullet("{{ m }}")
    b.tag("{%p else %}")
    b.para("Ingen mål skrevet ned." if nb else "Ingen mål skrivne ned.")
    b.tag("{%p endfor %}")

    b.heading("Avtaler" if nb else "Avtalar")
    b.tag("{%p if tiltak %}")
    b.loop_table(
        ["Nr.", "Tiltak", "Ansvar", "Frist"],
        "t in tiltak",
        ["{{ t.nr }}", "{{ t.tiltak }}", "{{ t.ansvar }}", "{{ t.frist }}"],
        [Cm(1.3), Cm(8.6), Cm(4.0), Cm(2.5)],
    )
    b.tag("{%p else %}")
    b.para("Ingen nye tiltak ble avtalt." if nb else "Ingen nye tiltak vart avtalte.")
    b.tag("{%p endif %}")

    b.heading("Planlegging av neste møte/evaluering")
    b.tag("{%p if neste_mote %}")
    b.fields(
        [
            (w["dato"], "{{ neste_mote.dato }}"),
            (
                w["tid"],
                "{% if neste_mote.tid %}{{ neste_mote.tid }}{% else %}"
                + ("ikke bestemt ennå" if nb else "ikkje bestemt enno")
                + "{% endif %}",
            ),
            (w["sted"], "{{ neste_mote.sted }}"),
            ("Hvem skal delta" if nb else "Kven skal delta", "{{ neste_mote.deltakere }}"),
        ]
    )
    b.tag("{%p else %}")
    b.para(
        "Neste møte er ikke avtalt. Koordinator tar kontakt for å finne en dato."
        if nb
        else "Neste møte er ikkje avtalt. Koordinatoren tek kontakt for å finne ein dato."
    )
    b.tag("{%p endif %}")
    b.para("")
    b.para(
        (
            "i",
            "Referatet sendes til alle faste deltakere i ansvarsgruppen. Har du merknader, si fra "
            "til koordinator, eller ta dem opp på neste møte."
            if nb
            else "Referatet blir sendt til alle faste deltakarar i ansvarsgruppa. Har du merknader, "
            "sei frå til koordinatoren, eller ta dei opp på neste møte.",
        )
    )
    return b


def samtykke(lang: str) -> Builder:
    """Informed consent (DOMAIN.md §2; Tolga: which information, who, how used, consequences)."""
    nb = lang == "nb"
    w = WORDS[lang]
    b = Builder(lang, "Samtykke")
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
        "hverandre, slik at de kan samarbeide om {{ gjelder_tekst }}. Uten samtykke har de "
        "taushetsplikt."
        if nb
        else "Med dette samtykket kan tenestene nedanfor dele opplysningar om {{ bruker.navn }} "
        "med kvarandre, slik at dei kan samarbeide om {{ gjelder_tekst }}. Utan samtykke har dei "
        "teieplikt."
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

    b.heading("Dette bør du vite", 2)
    rights = (
        [
            "Det er frivillig å samtykke. Sier du nei, får du fortsatt de tjenestene du har rett "
            "til, men det kan bli vanskeligere for tjenestene å samarbeide.",
            "Du kan trekke samtykket tilbake når som helst, muntlig eller skriftlig. Si fra til "
            "koordinator eller til {{ kommune.enhet }}.",
            "Du kan be om at enkelte opplysninger eller mottakere holdes utenfor.",
            "For barn under 16 år samtykker den eller de som har foreldreansvaret. Barnet skal få "
            "si sin mening fra 7 år, og det skal legges stor vekt på hva barnet mener fra 12 år.",
        ]
        if nb
        else [
            "Det er frivillig å samtykkje. Seier du nei, får du framleis dei tenestene du har "
            "rett til, men det kan bli vanskelegare for tenestene å samarbeide.",
            "Du kan trekkje samtykket tilbake når som helst, munnleg eller skriftleg. Sei frå til "
            "koordinatoren eller til {{ kommune.enhet }}.",
            "Du kan be om at einskilde opplysningar eller mottakarar blir haldne utanfor.",
            "For barn under 16 år samtykkjer den eller dei som har foreldreansvaret. Barnet skal "
            "få seie meininga si frå 7 år, og det skal leggjast stor vekt på kva barnet meiner "
            "frå 12 år.",
        ]
    )
    for text in rights:
        b.bullet(text)

    b.heading("Underskrift")
    b.para(
        "Jeg har lest dette og samtykker." if nb else "Eg har lese dette og samtykkjer.",
    )
    b.signature(w["sted_dato"])
    b.signature(
        w["underskrift"],
        "{{ underskriver.navn }}{% if not underskriver_er_bruker %}, {{ underskriver.rolle }} "
        "for {{ bruker.navn }}{% endif %}",
    )
    b.tag("{%p if not underskriver_er_bruker %}")
    b.para(
        (
            "i",
            "Har to personer foreldreansvaret sammen, skriver begge under."
            if nb
            else "Har to personar foreldreansvaret saman, skriv begge under.",
        )
    )
    b.signature(w["underskrift"])
    b.tag("{%p endif %}")
    return b


def fullmakt(lang: str) -> Builder:
    """The example in the Hedmark booklet, field by field."""
    nb = lang == "nb"
    w = WORDS[lang]
    b = Builder(lang, "Fullmakt")
    b.title("FULLMAKT")
    b.para(
        "Jeg gir herved " if nb else "Eg gir med dette ",
        ("b", "{{ fullmektig.navn }}"),
        " fullmakt til å føre min sak i forhold til "
        if nb
        else " fullmakt til å føre saka mi overfor ",
        ("b", "{{ gjelder }}"),
        " for perioden {{ fra }} – {{ til }}.",
        after=8,
    )
    b.tag("{%p if fullmektig.adresse %}")
    b.para(f"{w['adresse']} til fullmektig: {{{{ fullmektig.adresse }}}}")
    b.tag("{%p endif %}")
    b.para(
        "Jeg kan ved behov gi beskjed om at fullmakten er opphevet."
        if nb
        else "Eg kan ved behov gi beskjed om at fullmakta er oppheva.",
        after=12,
    )
    b.para(f"{w['dato']}: {{{{ dato }}}}", after=12)
    b.signature(w["underskrift"], "{{ fullmaktsgiver.navn }}")
    b.tag("{%p if fullmaktsgiver.fodselsnummer %}")
    b.para(f"{w['fnr']}: {{{{ fullmaktsgiver.fodselsnummer }}}}", after=0)
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
