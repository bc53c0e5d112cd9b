"""`ipdocs templates check`, and the same check before `render` uses a template.

A template passes only when every tag in every part (body, tables, headers, footers,
footnotes) can be trusted:

1. each paragraph's tags are whole (`{{ tolk }` is not) and each one parses;
2. every `{% if %}` / `{% for %}` is closed, in order;
3. every field exists for the document (a typo gets «Mente du …?»), also in branches a
   sample would not take, such as `{% if tolk %}` with no interpreter;
4. the template renders with the skeleton example, and again with every field filled and
   every condition true, and no tag is left in the output (a tag docxtpl did not see).

Every problem names the template, where (body, table, header, footer) and the paragraph's text.
"""

from __future__ import annotations

import difflib
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from jinja2 import nodes
from lxml import etree

from . import render, sandbox, skeletons
from .errors import TemplateError
from .model import LANGUAGES
from .readers import mapping
from .readers.fields import Source
from .readers.notes import _Loader
from .results import TemplateReport
from .settings import Settings, bundled_templates

_MISSING = object()
_JINJA_NAMES = {"loop", "range", "true", "false", "none", "True", "False", "None"}
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_PART = re.compile(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml")
_TOKEN = re.compile(r"\{\{|\}\}|\{%|%\}|\{#|#\}")
_CLOSER = {"{{": "}}", "{%": "%}", "{#": "#}"}
# docxtpl's own markers after the opening: {%p if %}, {%tr for %}, {{r x }}, {%- …
_DOCXTPL_MARK = re.compile(r"^(?:p|tr|tc|r)(?=\s)|^[-+]")
_BLOCKS = {"if", "for", "with", "macro", "call", "filter", "block", "raw"}
_MIDDLE = {"elif": {"if"}, "else": {"if", "for"}}


@dataclass(frozen=True)
class _Paragraph:
    where: str  # «i teksten», «i en tabell», «i toppteksten», …
    text: str

    def named(self) -> str:
        text = " ".join(self.text.split())
        if len(text) > 70:
            text = text[:67] + "…"
        return f"I avsnittet «{text}» ({self.where})"


def sample_context(kind: str, language: str, settings: Settings) -> dict:
    import yaml

    raw = yaml.load(skeletons.yaml_text(kind, today=settings.today), Loader=_Loader)  # noqa: S506
    raw["sprak"] = language
    document, problems, _ = mapping.build_document(raw, Source(), today=settings.today)
    assert document is not None, problems  # the skeletons are valid by construction
    return render.context(document, settings)


def filled_context(context: dict) -> dict:
    """The sample with every text filled and every condition true, so every branch renders."""

    def fill(name: str, value: object) -> object:
        if isinstance(value, dict):
            return {k: fill(k, v) for k, v in value.items()}
        if isinstance(value, list):
            return [fill(name, v) for v in value]
        if value is None or value is False:
            return True
        if value == "":
            return f"[{name}]"
        return value

    return {k: fill(k, v) for k, v in context.items()}


def check_folder(folder: Path | None, settings: Settings) -> list[TemplateReport]:
    settings = settings.replace(templates=folder)
    reports = []
    for kind in skeletons.KINDS:
        for language in LANGUAGES:
            path = settings.template_path(kind, language)
            reports.append(
                TemplateReport(path, tuple(check_template(path, kind, language, settings)))
            )
    return reports


def check_template(path: Path, kind: str, language: str, settings: Settings) -> list[str]:
    try:
        template = render.DocumentTemplate(path)  # a clear message for a missing or non-docx file
        paragraphs = _paragraphs(template.data)
    except TemplateError as exc:
        return [str(exc)]
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return ["Filen kan ikke leses som et Word-dokument (.docx). Lagre den på nytt fra Word."]
    problems = _tag_problems(paragraphs)
    if problems:
        return problems
    try:
        tree = render.jinja_env().parse(_jinja_source(path))
    except jinja2.TemplateSyntaxError as exc:  # the paragraph walk found none, so rarely
        return [
            f"En kode med {{{{ }}}} eller {{% %}} kan ikke leses: {_norwegian(exc.message or '')}."
        ]
    context = sample_context(kind, language, settings)
    unknown = _unknown_fields(tree, context)
    if unknown:
        return [_unknown_message(name, guess, kind, paragraphs) for name, guess in unknown]
    for ctx in (context, filled_context(context)):
        try:
            output = render.DocumentTemplate(path).render(ctx)
        except TemplateError as exc:
            return [str(exc)]
        left = _tags_left(output)
        if left:
            return [
                f"{p.named()}: koden «{tag}» blir stående i dokumentet; ipdocs ser den ikke som "
                "et felt. Skriv hele koden på nytt i Word med samme skrift, eller slett den."
                for tag, p in left
            ]
    return []


# --- before render uses a template ----------------------------------------------------------


def refuse_if_broken(path: Path) -> None:
    """Raise TemplateError when the template at `path` would fail the check: the pipeline
    asks before a document is begun, so such a template makes no document at all (not one
    with a line silently missing).

    Checked once per version of the file (its size and time). A bundled template, or a
    byte-for-byte copy of one (what `ipdocs init` writes), is checked by the test suite.
    """
    try:
        stat = path.stat()
    except OSError:
        return  # rendering says the template is missing
    problems = _problems(path, stat.st_mtime_ns, stat.st_size)
    if problems:
        raise TemplateError(
            f"Malen {path.name} må rettes før den kan brukes: {problems[0]} "
            "Ingenting ble laget med den. Kjør «ipdocs templates check» for alle feilene."
        )


@lru_cache(maxsize=32)
def _problems(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    try:
        data = path.read_bytes()
    except OSError:
        return ()
    if hashlib.sha256(data).hexdigest() in _bundled_digests():
        return ()
    m = re.fullmatch(r"(\w+?)_(nb|nn)\.docx", path.name)
    if m is None or m.group(1) not in skeletons.KINDS:
        return ()
    return tuple(check_template(path, m.group(1), m.group(2), Settings()))


@lru_cache(maxsize=1)
def _bundled_digests() -> frozenset[str]:
    return frozenset(
        hashlib.sha256(p.read_bytes()).hexdigest() for p in bundled_templates().glob("*.docx")
    )


# --- the paragraph walk -----------------------------------------------------------------------


def _paragraphs(data: bytes) -> list[_Paragraph]:
    found = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in z.namelist():
            m = _PART.fullmatch(name)
            if m is None:
                continue
            part = m.group(1).rstrip("0123456789")
            root = etree.fromstring(z.read(name))
            for p in root.iter(f"{_W}p"):
                texts = [
                    t.text or ""
                    for t in p.iter(f"{_W}t")
                    if next(t.iterancestors(f"{_W}p")) is p  # not a text box's own paragraphs
                ]
                text = "".join(texts)
                if not text.strip():
                    continue
                in_table = any(True for _ in p.iterancestors(f"{_W}tbl"))
                found.append(_Paragraph(_where(part, in_table), text))
    return found


def _where(part: str, in_table: bool) -> str:
    if part == "header":
        return "i toppteksten"
    if part == "footer":
        return "i bunnteksten"
    if part in ("footnotes", "endnotes"):
        return "i en fotnote"
    return "i en tabell" if in_table else "i teksten"


def _tag_problems(paragraphs: list[_Paragraph]) -> list[str]:
    problems: list[str] = []
    stack: list[tuple[str, str, _Paragraph]] = []  # (keyword, tag, paragraph) of open blocks
    env = render.jinja_env()
    for p in paragraphs:
        for tag, opener, inner in _tags(p, problems):
            if opener == "{#":
                continue
            if opener == "{{":
                error = _parse_error(env, f"{{{{ {inner} }}}}")
                if error:
                    problems.append(f"{p.named()}: koden «{tag}» kan ikke leses: {error}.")
                continue
            keyword = inner.split(None, 1)[0] if inner.split() else ""
            if keyword in _BLOCKS or (keyword == "set" and "=" not in inner):
                error = _parse_error(env, f"{{% {inner} %}}{{% end{keyword} %}}")
                if error:
                    problems.append(f"{p.named()}: koden «{tag}» kan ikke leses: {error}.")
                stack.append((keyword, tag, p))
            elif keyword in _MIDDLE:
                if not stack or stack[-1][0] not in _MIDDLE[keyword]:
                    problems.append(
                        f"{p.named()}: koden «{tag}» står uten en «{{% if %}}» foran. "
                        "Slett den, eller skriv «{% if … %}» der delen skal begynne."
                    )
            elif keyword.startswith("end"):
                wanted = keyword[3:]
                if stack and stack[-1][0] == wanted:
                    stack.pop()
                elif any(k == wanted for k, _, _ in stack):
                    k, open_tag, open_p = stack.pop()
                    problems.append(
                        f"{open_p.named()}: koden «{open_tag}» er ikke avsluttet med "
                        f"«{{% end{k} %}}» før «{tag}». Skriv «{{% end{k} %}}» der delen "
                        "skal slutte."
                    )
                    while stack and stack[-1][0] != wanted:
                        stack.pop()
                    if stack:
                        stack.pop()
                else:
                    problems.append(
                        f"{p.named()}: koden «{tag}» avslutter noe som ikke er begynt. Slett den, "
                        f"eller skriv «{{% {wanted} … %}}» der delen skal begynne."
                    )
            else:
                error = _parse_error(env, f"{{% {inner} %}}")
                if error:
                    problems.append(f"{p.named()}: koden «{tag}» kan ikke leses: {error}.")
    for keyword, tag, p in stack:
        problems.append(
            f"{p.named()}: koden «{tag}» er ikke avsluttet; «{{% end{keyword} %}}» mangler. "
            f"Skriv «{{% end{keyword} %}}» der delen skal slutte."
        )
    return problems


def _tags(p: _Paragraph, problems: list[str]) -> Iterator[tuple[str, str, str]]:
    """The paragraph's whole tags as (tag, opener, inner text); broken ones go to problems."""
    text = p.text
    tokens = list(_TOKEN.finditer(text))
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.group() not in _CLOSER:
            problems.append(
                f"{p.named()}: «{token.group()}» har ingen «{_opener_of(token.group())}» foran. "
                "Rett koden, for eksempel «{{ bruker.navn }}» med to klammer på hver side."
            )
            i += 1
            continue
        closer = _CLOSER[token.group()]
        if i + 1 < len(tokens) and tokens[i + 1].group() == closer:
            end = tokens[i + 1]
            tag = text[token.start() : end.end()]
            inner = _DOCXTPL_MARK.sub("", text[token.end() : end.start()].strip()).strip()
            inner = inner.rstrip("-+").strip()
            yield tag, token.group(), inner
            i += 2
            continue
        stop = tokens[i + 1].start() if i + 1 < len(tokens) else len(text)
        broken = text[token.start() : stop].strip()
        problems.append(
            f"{p.named()}: koden «{broken}» er ikke hel; «{closer}» mangler. "
            f"Skriv den som «{token.group()} … {closer}», for eksempel «{{{{ tolk }}}}»."
        )
        i += 1


def _opener_of(closer: str) -> str:
    return {v: k for k, v in _CLOSER.items()}[closer]


def _parse_error(env: jinja2.Environment, source: str) -> str | None:
    try:
        env.parse(source)
    except sandbox.NotAllowed as exc:  # the sandbox's own refusal, in Norwegian already
        return exc.message or ""
    except jinja2.TemplateSyntaxError as exc:
        return _norwegian(exc.message or "")
    return None


def _norwegian(message: str) -> str:
    """Jinja's syntax messages in the words a template's user reads."""
    m = re.match(r"unexpected '(.+)'", message)
    if m:
        return f"«{m.group(1)}» står der det ikke kan stå"
    m = re.match(r"expected token '(.+?)', got '(.+?)'", message)
    if m:
        return f"ventet «{m.group(1)}», men fant «{m.group(2)}»"
    if message.startswith("unexpected end of template") or "Unexpected end" in message:
        return "koden slutter før den er ferdig"
    m = re.match(r"Encountered unknown tag '(.+?)'", message)
    if m:
        return f"«{m.group(1)}» er ikke en kode ipdocs kjenner (bruk if, for, else, endif, endfor)"
    return "koden er ikke skrevet slik en mal skal ha den"


def _jinja_source(path: Path) -> str:
    """The template's text as docxtpl hands it to Jinja: body, headers and footers."""
    template = DocxTemplate(path)
    template.init_docx()
    xml = template.patch_xml(template.get_xml())
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for _, part in template.get_headers_footers(uri):
            xml += template.patch_xml(template.get_part_xml(part))
    return xml


# --- unknown fields ---------------------------------------------------------------------------


def _unknown_fields(tree: nodes.Template, context: dict) -> list[tuple[str, str | None]]:
    """Unknown fields with the closest known one, in the order they appear, each once."""
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    found: dict[str, str | None] = {}

    def guess(word: str, known: Iterable[object]) -> str | None:
        close = difflib.get_close_matches(word, [str(k) for k in known], n=1, cutoff=0.6)
        return close[0] if close else None

    def resolve(node: nodes.Node, scope: dict) -> object:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name not in assigned and node.name not in _JINJA_NAMES:
                found.setdefault(node.name, guess(node.name, scope))
            return _MISSING
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            base = resolve(node.node, scope)
            key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
            if isinstance(base, dict) and isinstance(key, str):
                if key in base:
                    return base[key]
                prefix = _dotted(node.node)
                close = guess(key, base)
                found.setdefault(f"{prefix}.{key}", f"{prefix}.{close}" if close else None)
            return _MISSING
        for child in node.iter_child_nodes():
            visit(child, scope)
        return _MISSING

    def visit(node: nodes.Node, scope: dict) -> None:
        if isinstance(node, nodes.For):
            items = resolve(node.iter, scope)
            sample = items[0] if isinstance(items, list) and items else _MISSING
            inner = dict(scope)
            if isinstance(node.target, nodes.Name):
                inner[node.target.name] = sample
            for child in node.body:
                visit(child, inner)
            for child in node.else_:
                visit(child, scope)
            return
        if isinstance(node, nodes.Name | nodes.Getattr | nodes.Getitem):
            resolve(node, scope)
            return
        for child in node.iter_child_nodes():
            visit(child, scope)

    visit(tree, dict(context))
    return list(found.items())


def _unknown_message(name: str, guess: str | None, kind: str, paragraphs: list[_Paragraph]) -> str:
    pattern = re.compile(r"\s*\.\s*".join(re.escape(part) for part in name.split(".")) + r"\b")
    where = next((p for p in paragraphs if pattern.search(p.text)), None)
    place = f"{where.named()}: feltet" if where else "Feltet"
    hint = f" Mente du «{guess}»?" if guess else ""
    return f"{place} «{name}» finnes ikke for {kind}.{hint} Se templates/README.md for feltene."


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    return "…"


# --- tags left in the output ------------------------------------------------------------------


def _tags_left(output: bytes) -> list[tuple[str, _Paragraph]]:
    left = []
    for p in _paragraphs(output):
        for m in re.finditer(r"\{\{.*?(?:\}\}|$)|\{%.*?(?:%\}|$)", p.text):
            left.append((m.group().strip(), p))
    return left
