"""The compiled-once renderer gives what plain docxtpl gives, part for part."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zipfile

import pytest
from conftest import DATA, TODAY, docx_text
from docx import Document as WordDocument
from docxtpl import DocxTemplate, InlineImage
from lxml import etree

from ipdocs import prepared, readers, render

KINDS = ("innkalling", "referat", "samtykke", "fullmakt")


def document(kind: str, language: str):
    [entry] = readers.read(DATA / f"formats_{kind}.yaml", today=TODAY)
    return dataclasses.replace(entry.document, language=language)


def naive(path, context) -> bytes:
    """What ipdocs did before: DocxTemplate(path), render, save, per document."""
    template = DocxTemplate(path)
    template.render(context, jinja_env=render.jinja_env())
    out = io.BytesIO()
    template.save(out)
    return out.getvalue()


def canonical(data: bytes) -> bytes:
    return etree.tostring(etree.fromstring(data), method="c14n")


@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("kind", KINDS)
def test_every_template_renders_the_same_as_docxtpl(tmp_path, settings, kind, language):
    doc = document(kind, language)
    if kind == "referat":  # newlines, & and < go through docxtpl's listing and escaping
        doc = dataclasses.replace(doc, situation="Linje én & to\nLinje <tre>\tmed tab")
    context = render.context(doc, settings)
    path = settings.template_path(kind, language)
    fast = prepared.PreparedTemplate(path.read_bytes(), render.jinja_env()).render(context)
    slow = naive(path, context)
    with zipfile.ZipFile(io.BytesIO(fast)) as f, zipfile.ZipFile(io.BytesIO(slow)) as s:
        assert f.testzip() is None
        assert f.namelist() == s.namelist()
        for name in s.namelist():
            a, b = f.read(name), s.read(name)
            if name.endswith((".xml", ".rels")) and a != b:
                assert canonical(a) == canonical(b), name
            else:
                assert a == b, name
    (tmp_path / "fast.docx").write_bytes(fast)
    (tmp_path / "slow.docx").write_bytes(slow)
    text = docx_text(tmp_path / "fast.docx")
    assert text == docx_text(tmp_path / "slow.docx")
    assert "IP-2026-0042" in text


def test_one_prepared_template_renders_many_different_documents(settings):
    path = settings.template_path("innkalling", "nb")
    template = prepared.PreparedTemplate(path.read_bytes(), render.jinja_env())
    base = document("innkalling", "nb")
    for name in ("Ane Li", "Bo Ek", "Cato Moe"):
        doc = dataclasses.replace(base, person=dataclasses.replace(base.person, name=name))
        context = render.context(doc, settings)
        assert template.render(context) == _normalised(
            naive(path, context), template.render(context)
        )


def _normalised(slow: bytes, fast: bytes) -> bytes:
    """The fast bytes when every part matches the slow ones (zip dates differ)."""
    with zipfile.ZipFile(io.BytesIO(fast)) as f, zipfile.ZipFile(io.BytesIO(slow)) as s:
        assert {n: s.read(n) for n in s.namelist()} == {n: f.read(n) for n in f.namelist()}
    return fast


def test_context_values_that_add_parts_are_recognised(tmp_path, settings):
    word = WordDocument()
    word.add_paragraph("{{ logo }}")
    word.save(str(tmp_path / "mal.docx"))
    image = InlineImage(DocxTemplate(tmp_path / "mal.docx"), str(tmp_path / "logo.png"))
    assert prepared.needs_plain_docxtpl({"a": [{"b": image}]})
    assert not prepared.needs_plain_docxtpl(render.context(document("innkalling", "nb"), settings))


_FOOTNOTES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    '<w:footnote w:id="1"><w:p><w:r><w:t>Fotnote for {{ sak }}</w:t></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


def test_a_template_with_footnotes_falls_back_to_docxtpl(tmp_path):
    word = WordDocument()
    word.add_paragraph("Sak {{ sak }}")
    plain = io.BytesIO()
    word.save(plain)
    path = tmp_path / "fotnote.docx"
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/word/footnotes.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"/></Types>',
                )
            elif item.filename == "word/_rels/document.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>'
                    b"</Relationships>",
                )
            dst.writestr(item, data)
        dst.writestr("word/footnotes.xml", _FOOTNOTES)
    template = render.DocumentTemplate(path)
    assert template.prepare() is None  # docxtpl renders footnotes once per section
    out = template.render({"sak": "IP-1"})
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert "Fotnote for IP-1" in z.read("word/footnotes.xml").decode()
    (tmp_path / "ut.docx").write_bytes(out)
    assert "Sak IP-1" in docx_text(tmp_path / "ut.docx")


def _template_with_footer_picture(path, name: str, placeholder: bytes):
    """A template whose footer holds a picture called `name`, as Word keeps a file's name."""
    word = WordDocument()
    word.add_paragraph("{{ sak }}")
    run = word.sections[0].footer.paragraphs[0].add_run()
    run.add_picture(io.BytesIO(placeholder))
    for named in word.sections[0].footer._element.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr"
    ):
        named.set("name", name)
    word.save(path)
    return path


def test_a_footer_picture_is_replaced_per_document_as_docxtpl_replace_pic_does(tmp_path):
    """The QR code's slot: the fast path swaps the image part, and gives the bytes
    docxtpl's replace_pic gives; a render without images keeps the placeholder."""
    import datetime as dt

    from ipdocs import reference

    def code(case: str) -> bytes:
        ref = reference.Reference(case, "samtykke", dt.date(2026, 12, 3), reference.new_id())
        return reference.qr_png(ref)

    placeholder = code("PLASSHOLDER")
    path = _template_with_footer_picture(tmp_path / "mal.docx", reference.QR_PICTURE, placeholder)
    fast = prepared.PreparedTemplate(path.read_bytes(), render.jinja_env())
    assert fast.pictures == {reference.QR_PICTURE}

    def media(data: bytes) -> dict[str, bytes]:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return {n: z.read(n) for n in z.namelist() if n.startswith("word/media/")}

    first, second = code("IP-1"), code("IP-2")
    one = fast.render({"sak": "IP-1"}, images={reference.QR_PICTURE: first})
    two = fast.render({"sak": "IP-2"}, images={reference.QR_PICTURE: second})
    assert list(media(one).values()) == [first] and list(media(two).values()) == [second]
    assert list(media(fast.render({"sak": "IP-3"})).values()) == [placeholder]

    slow = DocxTemplate(path)
    slow.replace_pic(reference.QR_PICTURE, io.BytesIO(first))
    slow.render({"sak": "IP-1"}, jinja_env=render.jinja_env())
    out = io.BytesIO()
    slow.save(out)
    assert media(out.getvalue()) == media(one)
    # The plain path (docxtpl itself) puts the same picture in.
    plain = render.DocumentTemplate(path)._render_plain(
        {"sak": "IP-1"}, images={reference.QR_PICTURE: first}
    )
    assert media(plain) == media(one)


# --- the shortcuts per document give what the slow steps give -----------------------------


@pytest.mark.parametrize(
    "title",
    [
        "IP-2026-0042 · innkalling · 3. desember 2026",
        "Kari & Ola <fam> «Ås» \"sitat\" 'enkel' > slutt",
        "Linje én\nlinje to\tmed tab",
        "Sámi: Čáhcegáddi ŋ, emoji 🙂",
        "",
        "x" * 255,
        "med\rvognretur",  # lxml writes &#13;: the slow path makes it
        "x" * 256,  # over python-docx's limit: the slow path says so
    ],
)
@pytest.mark.parametrize("made_at", [None, dt.datetime(2026, 12, 3, 14, 5, 9, 123, dt.UTC)])
def test_document_properties_are_what_python_docx_writes(settings, title, made_at):
    path = settings.template_path("innkalling", "nb")
    template = prepared.PreparedTemplate(path.read_bytes(), render.jinja_env())
    context = {"referanse": title, "kommune": {"navn": "Selbu & Tydal kommune"}}
    try:
        slow = template._core_part(
            tuple(
                p if isinstance(p, str) else p.render(context)
                for p in template._properties.values()
            ),
            made_at,
        )
    except ValueError:
        with pytest.raises(ValueError):
            template._core(context, made_at)
        return
    assert template._core(context, made_at) == slow
    assert template._core(context, made_at) == slow  # the shape made once serves again


def _table(rows: list[list[int]], columns: int, inner: str = "") -> str:
    """A table: `columns` grid columns, each row's cells by span; `inner` in its first cell."""
    grid = "".join(f'<w:gridCol w:w="{1000 + 7 * i}"/>' for i in range(columns))
    body = []
    for number, row in enumerate(rows):
        cells = "".join(
            f'<w:tc><w:tcPr><w:gridSpan w:val="{span}"/></w:tcPr><w:p/></w:tc>'
            if span > 1
            else f"<w:tc><w:p/>{inner if number == 0 and i == 0 else ''}</w:tc>"
            for i, span in enumerate(row)
        )
        body.append(f"<w:tr>{cells}</w:tr>")
    return f"<w:tbl><w:tblGrid>{grid}</w:tblGrid>{''.join(body)}</w:tbl>"


def _body(rows: list[list[int]], columns: int, inner: str = "") -> str:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    return f'<w:body xmlns:w="{w}"><w:p/>{_table(rows, columns, inner)}<w:p/></w:body>'


@pytest.mark.parametrize(
    ("rows", "columns", "inner"),
    [
        ([[1, 1, 1], [1, 1, 1]], 3, ""),  # as the template has it: nothing to do
        ([[1, 2], [3]], 3, ""),  # spans that fill the grid
        ([[1, 1, 1, 1], [1, 1]], 3, ""),  # a loop added a cell: a column is added
        ([[1, 1, 1, 1, 1, 1, 1]], 3, ""),  # widths that do not divide evenly
        ([[1, 1], [1]], 3, ""),  # a loop dropped cells: a column is removed
        ([[1]], 5, ""),  # most columns dropped
        ([[2, 2], [1, 1, 1]], 3, ""),  # spans wider than the grid
        ([], 2, ""),  # a table whose rows a loop left out
        ([[1]], 1, _table([[1, 1]], 2)),  # a table in a cell (the signature block)
        ([[1, 1]], 2, _table([[1, 1, 1, 1]], 1)),  # both tables out of step
    ],
)
def test_the_table_fix_up_is_docxtpls(rows, columns, inner):
    xml = _body(rows, columns, inner)
    ours = _bare(prepared.StrictDocxTemplate).fix_tables(xml)
    theirs = _bare(DocxTemplate).fix_tables(xml)
    assert etree.tostring(ours) == etree.tostring(theirs)


def test_a_rendered_part_that_is_not_well_formed_is_never_written():
    with pytest.raises(prepared.BrokenOutput):
        _bare(prepared.StrictDocxTemplate).fix_tables("<w:body><w:p>&</w:p></w:body>")


def _bare(cls):
    """A template object without a template: the table fix-up reads nothing else."""
    return cls.__new__(cls)
