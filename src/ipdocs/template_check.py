"""`ipdocs templates check`: find broken tags and unknown fields in Word templates before any
document is made.

Two passes per template: a static walk of every tag (also in branches a sample would not
take, such as `{% if tolk %}` with no interpreter) against the fields the template gets, and
a real render of the skeleton example with the strict, sandboxed environment.
"""

from __future__ import annotations

from pathlib import Path

import jinja2
from docxtpl import DocxTemplate
from jinja2 import nodes

from . import render, skeletons
from .errors import TemplateError
from .model import LANGUAGES
from .readers import mapping
from .readers.fields import Source
from .readers.notes import _Loader
from .results import TemplateReport
from .settings import Settings

_MISSING = object()
_JINJA_NAMES = {"loop", "range", "true", "false", "none", "True", "False", "None"}


def sample_context(kind: str, language: str, settings: Settings) -> dict:
    import yaml

    raw = yaml.load(skeletons.yaml_text(kind, today=settings.today), Loader=_Loader)  # noqa: S506
    raw["sprak"] = language
    document, problems, _ = mapping.build_document(raw, Source(), today=settings.today)
    assert document is not None, problems  # the skeletons are valid by construction
    return render.context(document, settings)


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
    context = sample_context(kind, language, settings)
    try:
        source = _jinja_source(path)
        tree = render.jinja_env().parse(source)
    except TemplateError as exc:
        return [str(exc)]
    except jinja2.TemplateSyntaxError as exc:
        return [f"Feil i en kode med {{{{ }}}} eller {{% %}}: {exc.message}."]
    except Exception:  # noqa: BLE001 - any unreadable file is one message
        return ["Filen kan ikke leses som et Word-dokument (.docx)."]
    problems = sorted(set(_unknown_fields(tree, context)))
    if problems:
        return [
            f"Feltet «{name}» finnes ikke for {kind}. Se templates/README.md." for name in problems
        ]
    try:
        render.DocumentTemplate(path).render(context)
    except TemplateError as exc:
        return [str(exc)]
    return []


def _jinja_source(path: Path) -> str:
    """The template's text as docxtpl hands it to Jinja: body, headers and footers."""
    render.DocumentTemplate(path)  # raises a clear TemplateError for a missing or non-docx file
    template = DocxTemplate(path)
    template.init_docx()
    xml = template.patch_xml(template.get_xml())
    for uri in (template.HEADER_URI, template.FOOTER_URI):
        for _, part in template.get_headers_footers(uri):
            xml += template.patch_xml(template.get_part_xml(part))
    return xml


def _unknown_fields(tree: nodes.Template, context: dict) -> list[str]:
    assigned = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    found: list[str] = []

    def resolve(node: nodes.Node, scope: dict) -> object:
        if isinstance(node, nodes.Name):
            if node.name in scope:
                return scope[node.name]
            if node.name not in assigned and node.name not in _JINJA_NAMES:
                found.append(node.name)
            return _MISSING
        if isinstance(node, nodes.Getattr | nodes.Getitem):
            base = resolve(node.node, scope)
            key = node.attr if isinstance(node, nodes.Getattr) else getattr(node.arg, "value", None)
            if isinstance(base, dict) and isinstance(key, str):
                if key in base:
                    return base[key]
                found.append(f"{_dotted(node.node)}.{key}")
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
    return found


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{_dotted(node.node)}.{node.attr}"
    return "…"
