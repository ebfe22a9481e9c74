"""The SDK reference pages in docs/, written by `make generate` from the same views as the code.

docs/README.md lists the groups and their operations; docs/<group>.md has, per operation, its summary and
description, an example that runs (required arguments with example values from the spec), the parameters table
(with the per-call options), the response type and the errors table; docs/models/<Model>.md has the fields of
each model an operation takes or returns. Templates: generator_templates/docs/. Deterministic; drift-checked.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2

from ..common.document import resolve
from . import oac
from .hints import doc, type_string
from .mg import Generator, call_options_class

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "generator_templates" / "docs"
PACKAGE = ROOT / "modelgates_client"

__all__ = ["write_docs"]


def _examples_class() -> Any:
    """testing._examples.Examples, loaded from its file (the package's generated part may be mid-change)."""
    path = PACKAGE / "testing" / "_examples.py"
    spec = importlib.util.spec_from_file_location("_modelgates_examples", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Examples


def call_option_rows() -> list[dict[str, str]]:
    """The per-call options (CallOptions: annotation and the description of its docstring's `Keys:`)."""
    cls = call_options_class(PACKAGE)
    text = ast.get_docstring(cls) or ""
    described: dict[str, str] = {}
    current = None
    for line in text.split("Keys:", 1)[-1].splitlines():
        match = re.match(r"\s{4}(\w+): (.*)", line)
        if match:
            current = match.group(1)
            described[current] = match.group(2).strip()
        elif current and line.strip():
            described[current] += " " + line.strip()
    rows = []
    for node in cls.body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name = node.target.id
            rows.append({"name": name, "type": ast.unparse(node.annotation), "doc": _sentence(described.get(name, ""))})
    return rows


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else text


def _cell(text: Any) -> str:
    """Text for a Markdown table cell: one line, pipes escaped."""
    return re.sub(r"\s+", " ", str(text or "")).replace("|", "\\|").strip()


@dataclass
class ParamRow:
    name: str
    type: str
    required: bool
    doc: str
    example: str = ""


@dataclass
class OperationPage:
    method: str  # the group's method name
    callable: str
    http: str  # "POST /chat/completions"
    summary: str
    description: str
    example: str
    params: list[ParamRow]
    response: str
    errors: list[tuple[str, str, str]]  # (class, status, content types)
    anchor: str = ""


@dataclass
class GroupPage:
    attribute: str
    title: str
    overview: str
    operations: list[OperationPage] = field(default_factory=list)


class Docs:
    """Builds the pages from a finished Generator (its endpoint views, groups and error classes)."""

    def __init__(self, generator: Generator) -> None:
        self.g = generator
        self.spec = generator.checks.spec  # the document as written (prose where we put it)
        self.examples = _examples_class()(self.spec)
        self.error_names = {e.status: e.name for e in generator.error_classes()}
        self.model_names = set(generator.ctx.models)
        self.model_pages: set[str] = set()
        self.by_callable = {info.callable: info for info in generator.infos.values()}

    # ------------------------------------------------------------------ pages

    def groups(self) -> list[GroupPage]:
        tags = {tag.get("name"): tag.get("description") for tag in self.spec.get("tags") or [] if isinstance(tag, dict)}
        pages = []
        for group in self.g.groups():
            infos = [self.by_callable[e["callable"]] for e in group.endpoints]
            first_tag = None
            for info in infos:
                op, _ = self.g.spec_op(info)
                first_tag = (op.get("tags") or [None])[0]
                break
            page = GroupPage(group.attribute, _title(group.attribute), tags.get(first_tag) or "")
            for info in sorted(infos, key=lambda i: i.name):
                page.operations.append(self.operation(info))
            pages.append(page)
        return pages

    def operation(self, info: Any) -> OperationPage:
        view = self.g.views[info.key]
        spec_op, spec_item = self.g.spec_op(info)
        params = [
            ParamRow(a.python_name, a.annotation, a.required, a.doc, self._example_text(info, a)) for a in view.args
        ]
        for option in call_option_rows():
            params.append(ParamRow(option["name"], option["type"], False, option["doc"]))
        response = view.sync_return
        return OperationPage(
            method=info.name,
            callable=info.callable,
            http=f"{info.method} {info.path}",
            summary=_cell(spec_op.get("summary") or ""),
            description=(spec_op.get("description") or "").strip(),
            example=self.example_code(info, view),
            params=params,
            response=response,
            errors=self.errors(spec_op),
            anchor=info.name,
        )

    def errors(self, spec_op: dict[str, Any]) -> list[tuple[str, str, str]]:
        rows = []
        for status, response in sorted((spec_op.get("responses") or {}).items(), key=lambda s: str(s[0])):
            status = str(status)
            if status.startswith(("2", "3")):
                continue
            media = ", ".join(resolve(self.spec, response).get("content") or {}) or "-"
            name = self.error_names.get(int(status)) if status.isdigit() else None
            rows.append((f"errors.{name or 'ModelGatesDefaultError'}", status.upper(), media))
        rows.append(("errors.ModelGatesDefaultError", "4XX, 5XX", "\\*/\\*"))
        return rows

    # ------------------------------------------------------------------ examples

    def _arg_schema(self, info: Any, arg: Any) -> Any:
        spec_op, spec_item = self.g.spec_op(info)
        if arg.location != "body":
            for p in (spec_item.get("parameters") or []) + (spec_op.get("parameters") or []):
                p = resolve(self.spec, p)
                if p.get("in") == arg.location and p.get("name") == arg.wire:
                    return p.get("schema") or {}
            return {}
        content = resolve(self.spec, spec_op.get("requestBody") or {}).get("content") or {}
        for media in content.values():
            schema = resolve(self.spec, (media or {}).get("schema") or {})
            props = schema.get("properties") if isinstance(schema, dict) else None
            if isinstance(props, dict):
                prop = props.get(arg.wire) or props.get(arg.wire + "[]")
                if prop is not None:
                    return prop
            elif arg.wire == "":
                return (media or {}).get("schema") or {}
        return {}

    def example_value(self, info: Any, arg: Any) -> Any:
        view = self.g.views[info.key]
        if arg.python_name in view.file_fields:
            return _Code('Path("example.pdf")' if info.group == "files" else 'Path("audio.wav")')
        own = self._param_example(info, arg)
        if own is not None:
            return own
        return self.examples.value(self._arg_schema(info, arg), name=arg.wire)

    def _param_example(self, info: Any, arg: Any) -> Any:
        """A parameter's own `example` in the spec (ours), if it has one."""
        if arg.location == "body":
            return None
        spec_op, spec_item = self.g.spec_op(info)
        for p in (spec_item.get("parameters") or []) + (spec_op.get("parameters") or []):
            p = resolve(self.spec, p)
            if p.get("in") == arg.location and p.get("name") == arg.wire:
                return p.get("example")
        return None

    def _example_text(self, info: Any, arg: Any) -> str:
        value = self.example_value(info, arg)
        if value is None or isinstance(value, dict | list):
            return ""
        return _cell(_python(value) if not isinstance(value, _Code) else value.text)

    def example_code(self, info: Any, view: Any) -> str:
        """The example of an operation: its required arguments (its JSON body alternative for several bodies)."""
        args = [a for a in view.args if a.required]
        if view.bodies:  # JSON or a form: the form's required fields when it needs a file, as the docs show uploads
            form = next((b for b in view.bodies if b[0] == "multipart_fields"), None)
            if form is not None:
                names = {python for python, _ in form[1]}
                args = [a for a in view.args if a.python_name in names and a.python_name in form[2]]
        lines = []
        uses_path = False
        for a in args:
            value = self.example_value(info, a)
            if isinstance(value, _Code):
                uses_path = True
                text = value.text
            else:
                text = _python(value)
            lines.append(f"{a.python_name}={text}")
        call = f"mg.{info.group}.{info.name}("
        joined = ", ".join(lines)
        if len(call) + len(joined) + 10 > 100:
            inner = ",\n".join("        " + line for line in lines)
            call_text = f"{call}\n{inner},\n    )" if lines else call + ")"
        else:
            call_text = call + joined + ")"
        result = self.handle(info, view)
        head = ["import os"]
        if uses_path:
            head.append("from pathlib import Path")
        head.append("")
        head.append("from modelgates_client import ModelGates")
        body = "\n".join(head) + "\n\n"
        body += 'with ModelGates(api_key=os.getenv("MODELGATES_API_KEY", "")) as mg:\n'
        body += f"    res = {call_text}\n" if result else f"    {call_text}\n"
        body += result
        return body

    def handle(self, info: Any, view: Any) -> str:
        """What the example does with the result."""
        if view.paging:
            return "    for item in res:  # further pages are fetched as the loop reaches them\n        print(item)\n"
        if any(r.kind == "binary" for r in view.responses):
            return '    with res:\n        res.write_to("downloaded.bin")\n'
        if all(r.kind == "empty" for r in view.responses):
            return ""
        return "    print(res)\n"

    # ------------------------------------------------------------------ models

    def linked(self, annotation: str, prefix: str = "models/") -> str:
        """An annotation with each model that has a page linked to it (Markdown, inside a table cell)."""

        def link(match: re.Match[str]) -> str:
            name = match.group(0)
            if name in self.model_pages:
                return f"[{name}]({prefix}{name}.md)"
            return name

        return re.sub(r"\b[A-Z][A-Za-z0-9_]*\b", link, _cell(annotation).replace("|", "\\|").replace("\\\\|", "\\|"))

    def collect_models(self, groups: list[GroupPage]) -> list[str]:
        """The models that operations take or return, and the models of their fields."""
        names: set[str] = set()
        for group in groups:
            for op in group.operations:
                for text in [op.response, *(p.type for p in op.params)]:
                    names.update(n for n in re.findall(r"\b[A-Z][A-Za-z0-9_]*\b", text) if n in self.model_names)
        # and the models their fields hold, one level down (a response's `data`, a request's nested settings)
        for name in list(names):
            for p in self.g.ctx.props(self.g.ctx.models[name]):
                found = re.findall(r"\b[A-Z][A-Za-z0-9_]*\b", type_string(self.g.ctx, p))
                names.update(n for n in found if n in self.model_names)
        self.model_pages = names
        return sorted(names)

    def model_rows(self, name: str) -> tuple[str, list[ParamRow]]:
        ctx = self.g.ctx
        model = ctx.models[name]
        rows = []
        for p in ctx.props(model):
            rows.append(ParamRow(oac.python_name(p), type_string(ctx, p), oac.required(p), doc(oac.description(p))))
        return doc(oac.description(model)), rows


class _Code:
    """Python source shown as it is in an example (not a value to repr)."""

    def __init__(self, text: str) -> None:
        self.text = text


def _python(value: Any) -> str:
    """A JSON value written as Python source the way the docs write it: double-quoted strings, dicts and lists
    inline, True/False/None."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_python(k)}: {_python(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_python(v) for v in value) + "]"
    return repr(value)


def _title(attribute: str) -> str:
    special = {"api_keys": "API Keys", "byok": "BYOK", "stt": "STT", "tts": "TTS", "o_auth": "OAuth", "scim": "SCIM"}
    return special.get(attribute) or attribute.replace("_", " ").title()


def write_docs(generator: Generator, out: Path) -> list[Path]:
    """Write every page into `out` (created); the paths written."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["cell"] = _cell
    docs = Docs(generator)
    groups = docs.groups()
    models = docs.collect_models(groups)
    env.globals["docs"] = docs
    written = []
    out.mkdir(parents=True, exist_ok=True)
    (out / "models").mkdir(exist_ok=True)
    index = out / "README.md"
    index.write_text(env.get_template("index.md.jinja").render(groups=groups, models=models), encoding="utf-8")
    written.append(index)
    for group in groups:
        page = out / f"{group.attribute}.md"
        page.write_text(env.get_template("group.md.jinja").render(group=group), encoding="utf-8")
        written.append(page)
    for name in models:
        description, rows = docs.model_rows(name)
        page = out / "models" / f"{name}.md"
        page.write_text(
            env.get_template("model.md.jinja").render(name=name, description=description, rows=rows), encoding="utf-8"
        )
        written.append(page)
    return written
