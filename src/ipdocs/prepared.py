"""A Word template prepared once and rendered many times: the fast path behind `render.py`.

Plain docxtpl repeats all the template work for every document: it opens the .docx, cleans up
the tags (`patch_xml`), compiles the Jinja source of the body, headers and footers, and on
saving re-serialises and re-compresses every part (styles.xml alone is 350 kB). Here that work
is done once per template:

- docxtpl's own steps prepare the source (`patch_xml` and the line split `render_xml_part`
  does), so the tags mean exactly what they mean to docxtpl;
- the body, every header and footer and the document properties are compiled once with the
  caller's (sandboxed, strict, autoescaped) Jinja environment;
- the package is saved once unrendered by python-docx, and every part a render does not
  change is copied from that file still compressed.

Per document only the changed parts are rendered, post-processed with docxtpl's own steps
(`resolve_listing`, `fix_tables`, `fix_docpr_ids`), serialised as python-docx would and
compressed. Every part is the same XML docxtpl would write (tests/test_prepared.py checks it).

A picture in a header or footer can be given per document (`images`, by the picture's name, as
docxtpl's `replace_pic` names it): its image part is replaced in the zip as the text parts are,
so the document's QR code (reference.py) costs no more than its text.

What this path cannot serve falls back to plain docxtpl: context values that add parts while
rendering (InlineImage, Subdoc) and templates with footnotes (docxtpl renders those once per
section, which a compiled template cannot repeat).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import io
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import jinja2
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import serialize_part_xml
from docx.opc.packuri import PackURI
from docx.opc.parts.coreprops import CorePropertiesPart
from docx.oxml.parser import parse_xml
from docxtpl import DocxTemplate
from lxml import etree

# The document properties docxtpl renders as templates (DocxTemplate.render_properties).
PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_PICTURE = "{http://schemas.openxmlformats.org/drawingml/2006/picture}pic"
_PICTURE_NAME = "{http://schemas.openxmlformats.org/drawingml/2006/picture}cNvPr"
_BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
_EMBED = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed"
_PLACEHOLDER = "{urn:ipdocs}body"
# A tab, bell, line or page break inside a <w:t> element: what resolve_listing turns into markup.
_LISTING = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\a\n\f]|<w:t [^>]*[\t\a\n\f]")


class NotPreparable(Exception):
    """The template uses something only plain docxtpl can render."""


class BrokenOutput(Exception):
    """A rendered part is not well-formed XML.

    docxtpl's `fix_tables` parses the rendered body in lxml's recover mode, which silently drops
    everything after a character or tag it cannot read: a document cut short. Every rendered
    part is parsed strictly first, so such a document is never written.
    """


_STRICT = etree.XMLParser(recover=False, resolve_entities=False, huge_tree=False)


class StrictDocxTemplate(DocxTemplate):
    """docxtpl, with the rendered body parsed strictly, once, before its table fix-up."""

    def fix_tables(self, xml: str) -> Any:
        return fix_tables(parse_strictly(xml))


def parse_strictly(xml: str | bytes) -> Any:
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    try:
        return etree.fromstring(data, parser=_STRICT)
    except etree.XMLSyntaxError as exc:
        raise BrokenOutput(str(exc)) from None


def fix_tables(tree: Any) -> Any:
    """What docxtpl's `fix_tables` does to a rendered body, on the tree parsed already.

    A loop over cells can leave a table's grid (w:tblGrid) out of step with its rows. Where
    some row has more cells than the grid has columns, columns are added and every width
    scaled so the table keeps its width; where no row's cells (with their spans) fill the
    grid, the last columns are dropped and their width shared out among the rest. Rows of a
    table inside a cell count for the table around it too, as they do in docxtpl. docxtpl
    parses the body again (in a mode that repairs what it cannot read) to do this; the strict
    parse before it has made that second parse a waste. tests/test_prepared.py checks that
    the result is docxtpl's, table shape for table shape.
    """
    w = "{" + tree.nsmap["w"] + "}"
    width = f"{w}w"
    for table in tree.iter(f"{w}tbl"):
        grid = table.find(f"{w}tblGrid")
        rows = [row.findall(f"{w}tc") for row in table.iter(f"{w}tr")]
        columns = grid.findall(f"{w}gridCol")
        most = max((len(cells) for cells in rows), default=0)
        if most > len(columns):
            total = sum(float(c.get(width)) for c in columns if c.get(width) is not None)
            if total > 0:
                old, new = total / len(columns), total / most
                for column in columns:
                    column.set(width, str(int(float(column.get(width)) * new / old)))
                for _ in range(most - len(columns)):
                    etree.SubElement(grid, f"{w}gridCol", {width: str(int(new))})
                columns = grid.findall(f"{w}gridCol")
        spanned = max((sum(_span(cell, w) for cell in cells) for cells in rows), default=0)
        surplus = len(columns) - spanned
        if surplus > 0:
            removed = 0.0
            for column in columns[-surplus:]:
                removed += float(column.get(width))
                grid.remove(column)
            left = columns[:-surplus]
            extra = int(removed / len(left)) if left else 0
            for column in left:
                column.set(width, str(int(float(column.get(width)) + extra)))
    return tree


def _span(cell: Any, w: str) -> int:
    properties = cell.find(f"{w}tcPr")
    span = None if properties is None else properties.find(f"{w}gridSpan")
    return 1 if span is None else int(span.get(f"{w}val"))


def needs_plain_docxtpl(context: object) -> bool:
    """True when the context holds values that add parts to the package while rendering."""
    adds_parts = _part_adding_types()
    stack = [context]
    while stack:
        value = stack.pop()
        if isinstance(value, adds_parts):
            return True
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list | tuple):
            stack.extend(value)
    return False


@functools.cache
def _part_adding_types() -> tuple[type, ...]:
    from docxtpl import InlineImage

    try:
        from docxtpl.subdoc import Subdoc
    except ImportError:  # docxtpl without its optional docxcompose has no subdocs
        return (InlineImage,)
    return (InlineImage, Subdoc)


@dataclass(frozen=True)
class _Part:
    member: str  # zip member name, e.g. word/header1.xml
    template: jinja2.Template
    encoding: str


class PreparedTemplate:
    """One .docx template, compiled once; `render(context)` returns the document's bytes."""

    def __init__(self, data: bytes, env: jinja2.Environment):
        self.env = env
        tpl = StrictDocxTemplate(io.BytesIO(data))
        tpl.render_init()
        self._tpl = tpl  # docxtpl's helpers (resolve_listing, fix_tables) are used per render
        package = tpl.docx.part.package
        if any(part.content_type == _FOOTNOTES for part in package.parts):
            raise NotPreparable("footnotes")

        # Body: the exact source docxtpl hands to Jinja (build_xml + render_xml_part).
        body_source = _split_paragraphs(tpl.patch_xml(tpl.get_xml()))
        self._body = env.from_string(body_source)
        root = tpl.docx.element
        self._document_member = tpl.docx.part.partname.membername
        skeleton = copy.deepcopy(root)
        skeleton.replace(skeleton.body, etree.Element(_PLACEHOLDER))
        self._skeleton = skeleton

        # Headers and footers (build_headers_footers_xml).
        self._parts: list[_Part] = []
        for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
            for _, part in tpl.get_headers_footers(uri):
                xml = tpl.get_part_xml(part)
                self._parts.append(
                    _Part(
                        part.partname.membername,
                        env.from_string(_split_paragraphs(tpl.patch_xml(xml))),
                        tpl.get_headers_footers_encoding(xml),
                    )
                )

        # Pictures a render may replace: name → the image part's zip member, and its bytes.
        self._pictures = pictures_in_headers_and_footers(tpl)
        # Properties (render_properties): rendering them creates the core properties part
        # when the template has none, exactly as docxtpl's render does.
        core = tpl.docx.core_properties
        self._properties: dict[str, jinja2.Template | str] = {}
        for name in PROPERTIES:
            source = getattr(core, name) or ""
            compiled = env.from_string(source)
            # Text without tags renders as itself: no need to render it per document.
            plain = "{" not in source and compiled.render() == source  # no tags: no loops
            self._properties[name] = source if plain else compiled
        core_part = package._core_properties_part
        self._core_member = core_part.partname.membername
        self._core_blob = core_part.blob
        self._core_shapes: dict[bool, bytes] = {}  # with times or without: see `_core`

        # The package as docxtpl would save it, with the rendered parts still to fill in.
        saved = io.BytesIO()
        tpl.docx.save(saved)
        changed = {self._document_member, self._core_member} | {p.member for p in self._parts}
        changed |= {member for member, _ in self._pictures.values()}
        self._zip = _ZipTemplate(saved.getvalue(), changed)

    @property
    def pictures(self) -> frozenset[str]:
        """The names of the header and footer pictures `render(images=…)` can replace."""
        return frozenset(self._pictures)

    def render(
        self,
        context: dict,
        *,
        made_at: dt.datetime | None = None,
        images: dict[str, bytes] | None = None,
    ) -> bytes:
        """The document's bytes; `made_at` becomes its created and modified times; `images`
        replaces header and footer pictures by name (the same size and format: the picture
        keeps its place and size in the layout)."""
        tpl = self._tpl
        tpl.docx_ids_index = 1000  # render_init: docPr ids restart for every document
        body = self._finish(self._body.render(context))
        tree = tpl.fix_tables(body)
        tpl.fix_docpr_ids(tree)
        root = copy.deepcopy(self._skeleton)
        root.replace(root.find(_PLACEHOLDER), tree)
        rendered = {self._document_member: serialize_part_xml(root)}
        for part in self._parts:
            xml = self._finish(part.template.render(context)).encode(part.encoding)
            # docxtpl loads the rendered header into a new XmlPart; python-docx re-serialises
            # it. python-docx parses strictly: a broken part is never written.
            try:
                element = parse_xml(xml)
            except etree.XMLSyntaxError as exc:
                raise BrokenOutput(str(exc)) from None
            rendered[part.member] = serialize_part_xml(element)
        rendered[self._core_member] = self._core(context, made_at)
        for name, (member, placeholder) in self._pictures.items():
            rendered[member] = (images or {}).get(name, placeholder)
        return self._zip.build(rendered)

    def _finish(self, xml: str) -> str:
        """docxtpl's post-processing of a rendered part (render_xml_part)."""
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")  # \n<w:p([ >])
        xml = (
            xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        )
        if not _LISTING.search(xml):
            return xml  # resolve_listing only rewrites these characters in text: a no-op here
        return self._tpl.resolve_listing(xml)

    def _core(self, context: dict, made_at: dt.datetime | None) -> bytes:
        """The document properties part. Its layout is the same for every document: it is
        made once with stand-ins for the rendered values and times (`_core_shape`), and each
        document's values are put in as the XML text python-docx would write for them."""
        values = tuple(
            p if isinstance(p, str) else p.render(context) for p in self._properties.values()
        )
        if not all(_PLAIN_PROPERTY.fullmatch(v) for v in values):
            return self._core_part(values, made_at)  # python-docx says what is wrong, if anything
        blob = self._core_shape(made_at is not None)
        for index, (source, value) in enumerate(
            zip(self._properties.values(), values, strict=True)
        ):
            if not isinstance(source, str):  # rendered: its stand-in is in the shape
                escaped = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                blob = blob.replace(_stand_in(index), escaped.encode("utf-8"))
        if made_at is not None:
            stamp = made_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            blob = blob.replace(_STAND_IN_STAMP, stamp.encode("ascii"))
        return blob

    def _core_shape(self, timed: bool) -> bytes:
        shape = self._core_shapes.get(timed)
        if shape is None:
            values = tuple(
                p if isinstance(p, str) else _stand_in(i).decode("utf-8")
                for i, p in enumerate(self._properties.values())
            )
            shape = self._core_shapes[timed] = self._core_part(
                values, _STAND_IN_TIME if timed else None
            )
        return shape

    def _core_part(self, values: tuple[str, ...], made_at: dt.datetime | None) -> bytes:
        part = CorePropertiesPart(
            PackURI("/" + self._core_member),
            "",
            parse_xml(self._core_blob),
            None,  # type: ignore[arg-type]  # no package: the part is only serialised
        )
        for name, value in zip(PROPERTIES, values, strict=True):
            setattr(part.core_properties, name, value)
        if made_at is not None:
            set_times(part.core_properties, made_at)
        return part.blob


# What `_core` can put into the properties part as text: python-docx's limit of 255
# characters, and no character XML text cannot hold or that lxml writes as a reference.
_PLAIN_PROPERTY = re.compile(r"[^\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]{0,255}")
_STAND_IN_TIME = dt.datetime(1901, 2, 3, 4, 5, 6, tzinfo=dt.UTC)
_STAND_IN_STAMP = b"1901-02-03T04:05:06Z"


def _stand_in(index: int) -> bytes:
    return f"\ue000ipdocs-{index}\ue001".encode()


def set_times(properties: CoreProperties, made_at: dt.datetime) -> None:
    """Created and modified: when the document was made (not the template's own dates)."""
    stamp = made_at.astimezone(dt.UTC).replace(tzinfo=None, microsecond=0)
    properties.created = stamp
    properties.modified = stamp
    properties.last_modified_by = properties.author


def pictures_in_headers_and_footers(tpl: DocxTemplate) -> dict[str, tuple[str, bytes]]:
    """Each header or footer picture by its name (pic:cNvPr/@name, the file name Word kept):
    its image part's zip member and the bytes it holds now."""
    found: dict[str, tuple[str, bytes]] = {}
    for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            for picture in part.element.iter(_PICTURE):
                named = picture.find(f".//{_PICTURE_NAME}")
                blip = picture.find(f".//{_BLIP}")
                if named is None or blip is None or blip.get(_EMBED) not in part.rels:
                    continue
                image = part.rels[blip.get(_EMBED)].target_part
                found[named.get("name", "")] = (image.partname.membername, image.blob)
    return found


def _split_paragraphs(xml: str) -> str:
    # render_xml_part puts each paragraph on its own line before compiling (for error lines).
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)


# --- the zip: unchanged members copied still compressed ------------------------------------

_LOCAL = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")
_END = struct.Struct("<4sHHHHIIH")


@dataclass(frozen=True)
class _Member:
    info: zipfile.ZipInfo
    raw: bytes | None  # local header and compressed data as saved; None: rendered per document


class _ZipTemplate:
    """The saved package, split into members to copy as they are and members to fill in."""

    def __init__(self, data: bytes, changed: set[str]):
        self.members: list[_Member] = []
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            for info in z.infolist():
                if info.filename in changed:
                    self.members.append(_Member(info, None))
                    continue
                if info.flag_bits & 0x08 or info.file_size >= 0xFFFFFFFF:
                    raise NotPreparable("zip layout")
                start = info.header_offset
                name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
                end = start + _LOCAL.size + name_len + extra_len + info.compress_size
                self.members.append(_Member(info, data[start:end]))
        missing = changed - {m.info.filename for m in self.members}
        if missing:
            raise NotPreparable(f"parts not in the package: {sorted(missing)}")

    def build(self, rendered: dict[str, bytes]) -> bytes:
        out = io.BytesIO()
        central = []
        for member in self.members:
            info, offset = member.info, out.tell()
            if member.raw is not None:
                out.write(member.raw)
                central.append(_central(info, info.CRC, info.compress_size, info.file_size, offset))
                continue
            data = rendered[info.filename]
            crc = zlib.crc32(data)
            packer = _packer(len(data))
            packed = packer.compress(data) + packer.flush()
            name = info.filename.encode("utf-8")
            dostime, dosdate = _dos(info)
            out.write(
                _LOCAL.pack(
                    b"PK\x03\x04",
                    20,
                    info.flag_bits & ~0x08,
                    zipfile.ZIP_DEFLATED,
                    dostime,
                    dosdate,
                    crc,
                    len(packed),
                    len(data),
                    len(name),
                    0,
                )
            )
            out.write(name)
            out.write(packed)
            central.append(_central(info, crc, len(packed), len(data), offset))
        start = out.tell()
        for record in central:
            out.write(record)
        size = out.tell() - start
        count = len(central)
        out.write(_END.pack(b"PK\x05\x06", 0, 0, count, count, size, start, 0))
        return out.getvalue()


def _packer(size: int) -> Any:
    """A raw deflate stream for one rendered part. zlib's usual 32 kB window takes more
    memory than the C library reuses, so every new stream is fresh memory to set up: three
    times the compressing of a typical 10 kB part. Below 32 kB an 8 kB window gives the same
    size (bench/batch.py)."""
    if size > 1 << 15:
        return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    return zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -13, 5)


def _dos(info: zipfile.ZipInfo) -> tuple[int, int]:
    y, mo, d, h, mi, s = info.date_time
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


def _central(info: zipfile.ZipInfo, crc: int, csize: int, usize: int, offset: int) -> bytes:
    name = info.filename.encode("utf-8")
    dostime, dosdate = _dos(info)
    method = info.compress_type
    return (
        _CENTRAL.pack(
            b"PK\x01\x02",
            info.create_version,
            info.create_system,
            info.extract_version,
            info.reserved,
            info.flag_bits & ~0x08,
            method,
            dostime,
            dosdate,
            crc,
            csize,
            usize,
            len(name),
            0,
            0,
            0,
            info.internal_attr,
            info.external_attr,
            offset,
        )
        + name
    )
