"""Generate modelgates_client/_generated from an OpenAPI document.

    python -m scripts.generate                          # openapi/modelgates.yaml -> modelgates_client/_generated
    python -m scripts.generate --spec PATH --out DIR    # a complete package in DIR/modelgates_client + DIR/manifest.json

Steps: read the spec; prepare it (scripts/specprep.py) into what openapi-python-client parses; run
openapi-python-client with the templates in generator_templates/; format with ruff; check that no
operation, request body or response was skipped; install the result. Exits 1, naming what, when
anything of the spec could not be generated.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import io
import json
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from openapi_python_client import Project
from openapi_python_client import strings as _oac_strings
from openapi_python_client.config import Config, ConfigFile, MetaType
from openapi_python_client.parser import GeneratorData
from openapi_python_client.parser.errors import GeneratorError
from openapi_python_client.parser.openapi import Endpoint, EndpointCollection
from openapi_python_client.parser.properties import FileProperty, ListProperty, ModelProperty
from openapi_python_client.parser.properties.schemas import Class

from . import specprep
from . import templating as t

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# Names that get a `_` suffix in generated code: keywords always (openapi-python-client checks those itself), and
# the builtins our generated modules use as types; any other builtin (`type`, `input`, `format`, `object`, ...) is
# harmless as a parameter or attribute name, and users expect `type=` and `.type`, as the API spells them.
_oac_strings.RESERVED_WORDS = {
    "self", "true", "false", "datetime", "date", "bool", "bytes", "dict", "float", "int", "list", "set",
    "frozenset", "str", "tuple", "isinstance", "len", "super", "classmethod", "property",
}  # fmt: skip

DEFAULT_SPEC = ROOT / "openapi" / "modelgates.yaml"
TEMPLATES = ROOT / "generator_templates"
PACKAGE = ROOT / "modelgates_client"
GENERATED = "_generated"


def call_options() -> list[str]:
    """The per-call options every generated method takes (`**options`): the keys of CallOptions, read from
    modelgates_client/_options.py without importing the package (its generated part may be mid-change)."""
    tree = ast.parse((PACKAGE / "_options.py").read_text(encoding="utf-8"))
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "CallOptions")
    return [n.target.id for n in cls.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)]


CALL_OPTIONS = call_options()
DOCS = ROOT / "docs"  # the reference pages (scripts/docs.py)


class GenerationFailed(Exception):
    """The spec could not be generated completely; the message names each problem."""


# ------------------------------------------------------------------ views for the templates


@dataclass
class FieldView:
    python_name: str
    wire: str
    annotation: str
    required: bool
    parse: str | None
    plain: bool
    doc: str


@dataclass
class ModelView:
    class_name: str
    schema_name: str
    doc: str
    fields: list[FieldView]
    plans: list[t.UnionPlan]
    eager_imports: list[tuple[str, str]]
    lazy_imports: list[tuple[str, str]]
    type_imports: list[tuple[str, str]]
    keys: str
    required: str
    marks: str
    extra_parse: str | None
    uses_datetime: bool
    uses_date: bool

    @property
    def annotation_imports(self) -> list[str]:
        return t.annotation_imports([f.annotation for f in self.fields])


@dataclass
class ArgView:
    python_name: str
    wire: str
    location: str  # path, query, header, body
    annotation: str
    required: bool
    doc: str
    is_stream_flag: bool = False


@dataclass
class ResponseView:
    pattern: str  # "200", "2XX" or "default"
    kind: str  # json, binary, text, empty
    parse: str | None
    type_string: str
    model: str | None = None  # the model class the body parses into, when it is one model
    prop: Any = field(default=None, repr=False, compare=False)  # openapi-python-client's property of the body

    @property
    def condition(self) -> str:
        """The Python test of `status` that selects this response."""
        if self.pattern.isdigit():
            return f"status == {int(self.pattern)}"
        if _is_range(self.pattern):
            low = int(self.pattern[0]) * 100
            return f"{low} <= status <= {low + 99}"
        return "True"


@dataclass
class ParseBranch:
    """One `if` of a generated parse function: the statuses it covers and the expression it returns."""

    statuses: list[int]
    ranges: list[str]
    expr: str

    @property
    def condition(self) -> str:
        tests = []
        if len(self.statuses) == 1:
            tests.append(f"status == {self.statuses[0]}")
        elif self.statuses:
            tests.append(f"status in {tuple(self.statuses)!r}")
        for pattern in self.ranges:
            low = int(pattern[0]) * 100
            tests.append(f"{low} <= status <= {low + 99}")
        return " or ".join(tests)


@dataclass
class EndpointView:
    func: str
    callable: str
    method: str
    path: str
    summary: str
    doc: str
    args: list[ArgView]
    responses: list[ResponseView]
    plans: list[t.UnionPlan]
    model_imports: list[tuple[str, str]]
    type_imports: list[tuple[str, str]]
    body_kind: str | None
    body_fields: str
    stream_flag: str | None
    chunk_type: str | None = None
    chunk_class: str | None = None
    chunk_module: str | None = None
    chunk_parse: str | None = None
    sentinel: str | None = None
    stream_only: bool = False
    error_branches: list[ParseBranch] = field(default_factory=list)
    error_fallback: str | None = None
    error_imports: list[tuple[str, str]] = field(default_factory=list)
    styles: dict[str, str] = field(default_factory=dict)
    accept: str = "application/json"
    file_fields: tuple[str, ...] = ()  # arguments that are files of a multipart form
    # Alternative bodies, if several: (kind, its (argument, wire name) pairs, the arguments it requires).
    bodies: tuple[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]], ...] | None = None
    paging: str | None = None  # the Paging(...) literal of a paged list operation
    result_keys: tuple[str, ...] | None = None  # a result that has an `error` field of its own: its required keys
    item_type: str | None = None  # the type of one item of its pages

    @property
    def path_literal(self) -> str:
        return repr(self.path)

    @property
    def sentinel_literal(self) -> str:
        return repr(self.sentinel)

    def _params(self, location: str) -> str:
        return repr(tuple((a.python_name, a.wire) for a in self.args if a.location == location))

    @property
    def path_params(self) -> str:
        return self._params("path")

    @property
    def query_params(self) -> str:
        return self._params("query")

    @property
    def header_params(self) -> str:
        return self._params("header")

    @property
    def annotation_imports(self) -> list[str]:
        lines = t.annotation_imports([a.annotation for a in self.args])
        return [line.replace("from ...", "from ....") for line in lines if "typing" not in line]  # has Literal

    @property
    def cookie_params(self) -> str:
        return self._params("cookie")

    @property
    def param_styles(self) -> str:
        """Arguments written other than their location's default way (specprep.PARAM_STYLES), by python name."""
        return repr(dict(sorted(self.styles.items())))

    @property
    def response_kinds(self) -> str:
        return repr(tuple((r.pattern, r.kind) for r in self.responses))

    @property
    def parses_every_status(self) -> bool:
        """Whether `_parse` ends in an unconditional branch (a `default` response that needs parsing)."""
        return any(r.parse and r.condition == "True" for r in self.responses)

    def result_type(self, asynchronous: bool = False) -> str:
        """The type of a call's result when it is not an event stream: the models of its success answers, a
        BinaryResponse (AsyncBinaryResponse) for a binary body."""
        binary = "AsyncBinaryResponse" if asynchronous else "BinaryResponse"
        result = t.join_union(binary if r.kind == "binary" else r.type_string for r in self.responses) or "None"
        if self.paging:
            return f"{'AsyncPage' if asynchronous else 'Page'}[{self.item_type}, {result}]"
        return result

    @property
    def return_type(self) -> str:
        return self.result_type()

    @property
    def sync_return(self) -> str:
        if self.stream_only:
            return f"Stream[{self.chunk_type}]"
        if self.stream_flag:
            return f"{self.result_type()} | Stream[{self.chunk_type}]"
        return self.result_type()

    @property
    def async_return(self) -> str:
        if self.stream_only:
            return f"AsyncStream[{self.chunk_type}]"
        if self.stream_flag:
            return f"{self.result_type(True)} | AsyncStream[{self.chunk_type}]"
        return self.result_type(True)

    @property
    def overlay_imports(self) -> list[str]:
        """Imports (for TYPE_CHECKING) of the overlay's result types this module's annotations name."""
        lines = []
        if any(r.kind == "binary" for r in self.responses):
            lines.append("from ...._binary import AsyncBinaryResponse, BinaryResponse")
        if self.paging:
            lines.append("from ...._pagination import AsyncPage, Page")
        if self.file_fields:
            lines.append("from ...._types import FileInput")
        return lines


@dataclass
class AliasView:
    """A union component of the spec, as an importable type alias (`ChatToolChoice = ... | ... | ...`)."""

    class_name: str
    module: str
    schema_name: str
    doc: str
    annotation: str
    imports: list[tuple[str, str]]
    typing_names: list[str]


@dataclass
class GroupView:
    attribute: str
    package: str
    class_name: str
    doc: str
    endpoints: list[Any] = field(default_factory=list)


@dataclass
class ErrorView:
    status: int
    name: str
    doc: str
    model_class: str | None  # the one schema of this status, parsed when an operation does not describe it
    model_module: str | None
    data_type: str = "Any"
    data_imports: list[tuple[str, str]] = field(default_factory=list)


class Generator:
    """The `mg` object the templates see: views of models, endpoints, groups and errors."""

    def __init__(
        self, prepared: specprep.Prepared, check_spec: dict[str, Any], data: GeneratorData, config: Config
    ) -> None:
        self.prepared = prepared
        self.spec = prepared.spec
        self.infos = {_shape(i.method, i.path): i for i in prepared.operations}
        self.data = data
        self.checks = specprep.CheckTable(check_spec)
        t.JSON_OBJECT[:] = [
            t.code(m.class_info.name) for m in data.models if t.raw(m.name).rsplit("/", 1)[-1] == prepared.json_object
        ]
        t.INDEX.models = {t.code(m.class_info.name): m for m in data.models if not t.is_json_object(m)}
        t.PLANS.clear()
        t.SPEC.clear()
        t.SPEC.update(prepared.spec)
        t.DISCRIMINATORS.clear()
        t.DISCRIMINATORS.update(prepared.discriminators)
        t.ENUM_MODULES.clear()
        t.ENUM_MODULES.update({t.code(e.class_info.name): t.code(e.class_info.module_name) for e in data.enums})
        self._cycles = self._cyclic_edges()
        self._errors: list[ErrorView] | None = None
        self.views: dict[str, EndpointView] = {}  # by operation key, as the templates render them
        self._aliases: list[AliasView] | None = None
        self.config = config
        self._endpoint_by_key: dict[str, Endpoint] = {}
        self._tag_of: dict[str, str] = {}
        for tag, collection in data.endpoint_collections_by_tag.items():
            for e in collection.endpoints:
                info = self.infos[_shape(e.method, t.raw(e.path))]
                self._endpoint_by_key[info.key] = e
                self._tag_of[info.key] = str(tag)

    # ---------------------------------------------------------------- models

    def model_modules(self) -> list[tuple[str, str]]:
        out = [(t.code(m.class_info.name), t.code(m.class_info.module_name)) for m in self.data.models]
        out = [(name, module) for name, module in out if name not in t.JSON_OBJECT]
        out += [(a.class_name, a.module) for a in self.union_aliases()]
        out += [(t.code(e.class_info.name), t.code(e.class_info.module_name)) for e in self.data.enums]
        return sorted(out)

    def _deps(self, model: ModelProperty) -> set[str]:
        deps: set[str] = set()
        for p in t.all_props(model):
            t.model_imports(p, deps)
        if isinstance(model.additional_properties, object) and model.additional_properties not in (None, True, False):
            t.model_imports(model.additional_properties, deps)
        return {d for d in deps if d in t.INDEX.models}

    def _cyclic_edges(self) -> set[tuple[str, str]]:
        """Edges A -> B between models of one strongly connected component: imported lazily to break cycles."""
        graph = {name: sorted(self._deps(m)) for name, m in t.INDEX.models.items()}
        index: dict[str, int] = {}
        low: dict[str, int] = {}
        on_stack: set[str] = set()
        stack: list[str] = []
        comp: dict[str, int] = {}
        counter = [0]
        ncomp = [0]
        sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))

        def strong(v: str) -> None:
            index[v] = low[v] = counter[0]
            counter[0] += 1
            stack.append(v)
            on_stack.add(v)
            for w in graph.get(v, []):
                if w not in index:
                    strong(w)
                    low[v] = min(low[v], low[w])
                elif w in on_stack:
                    low[v] = min(low[v], index[w])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack.discard(w)
                    comp[w] = ncomp[0]
                    if w == v:
                        break
                ncomp[0] += 1

        for v in sorted(graph):
            if v not in index:
                strong(v)
        return {(a, b) for a, bs in graph.items() for b in bs if comp[a] == comp[b]}

    def model_view(self, model: ModelProperty) -> ModelView:
        model = t.INDEX.model(model)
        name = t.code(model.class_info.name)
        names = t.UnionNames(f"models.{t.code(model.class_info.module_name)}")
        fields: list[FieldView] = []
        uses_dt = uses_date = False
        schema_name = t.raw(model.name).rsplit("/", 1)[-1]
        site_docs = self._property_docs(schema_name)
        for p in t.ordered_props(model):
            parse = None
            if t.needs_parse(p):
                parse = t.parse_expr(p, f"_v_{p.python_name}", names, str(p.python_name))
            fields.append(
                FieldView(
                    python_name=str(p.python_name),
                    wire=t.wire(p.name),
                    annotation=t.type_string(p) + ("" if p.required else " | Unset"),
                    required=bool(p.required),
                    parse=parse,
                    plain=not t.needs_parse(p),
                    doc=t.doc(p.description) or site_docs.get(t.raw(p.name), ""),
                )
            )
        extra = model.additional_properties
        extra_parse = None
        if extra not in (None, True, False) and t.needs_parse(extra):
            extra_parse = "(" + t.parse_expr(extra, "_x", names, "additional") + ")"
        refs: set[str] = set()
        types: set[str] = set()
        for p in t.all_props(model):
            t.model_imports(p, types)
        if extra not in (None, True, False):
            t.model_imports(extra, types)
        refs = {c for c in types if c in t.INDEX.models and c != name}
        eager = sorted((t.module_of(c), c) for c in refs if (name, c) not in self._cycles)
        lazy = sorted((t.module_of(c), c) for c in refs if (name, c) in self._cycles)
        type_only = sorted((t.module_of(c), c) for c in types if c not in t.INDEX.models)
        type_only += lazy
        code_text = " ".join(f.parse or "" for f in fields) + (extra_parse or "")
        plans_text = " ".join((p.list_expr or "") + (p.str_expr or "") for p in names.plans)
        uses_dt = "_parse_datetime(" in code_text + plans_text
        uses_date = "_parse_date(" in code_text + plans_text
        keys = sorted(t.raw(p.name) for p in t.all_props(model))
        required = sorted(t.raw(p.name) for p in t.all_props(model) if p.required)
        return ModelView(
            class_name=name,
            schema_name=t.raw(model.name).rsplit("/", 1)[-1],
            doc=t.doc(model.description) or f"The {name} schema.",
            fields=fields,
            plans=names.plans,
            eager_imports=eager,
            lazy_imports=lazy,
            type_imports=sorted(set(type_only)),
            keys=repr(tuple(keys)),
            required=repr(tuple(required)),
            marks=repr(specprep.marks_of(self.spec, (self.spec["components"]["schemas"].get(schema_name)))),
            extra_parse=extra_parse,
            uses_datetime=uses_dt,
            uses_date=uses_date,
        )

    def _property_docs(self, schema_name: str) -> dict[str, str]:
        """Descriptions written beside a property's `$ref` (openapi-python-client keeps only the target's)."""
        schema = ((self.spec.get("components") or {}).get("schemas") or {}).get(schema_name) or {}
        props = schema.get("properties") if isinstance(schema, dict) else None
        if not isinstance(props, dict):
            return {}
        return {name: t.doc(p.get("description")) for name, p in props.items() if isinstance(p, dict)}

    # ---------------------------------------------------------------- endpoints

    @property
    def options_doc(self) -> str:
        """The docstring entry of `**options` in every generated method."""
        return "Options of this call only (see modelgates_client.CallOptions): " + ", ".join(CALL_OPTIONS) + "."

    def endpoint_view(self, endpoint: Endpoint) -> EndpointView:
        info = self.infos[_shape(endpoint.method, t.raw(endpoint.path))]
        names = t.UnionNames(f"api.{info.group}.{endpoint.name}")
        args: list[ArgView] = []
        styles: dict[str, str] = {}
        used: set[str] = {"client", "options", *CALL_OPTIONS}
        types: set[str] = set()
        # A parameter's own description (openapi-python-client keeps only its schema's).
        spec_op, spec_item = self._spec_op(info)
        param_prose = {
            (p.get("in"), p.get("name")): p.get("description")
            for p in (
                specprep.resolve(self.spec, x)
                for x in (spec_item.get("parameters") or []) + (spec_op.get("parameters") or [])
            )
        }
        for location, props in (
            ("path", endpoint.path_parameters),
            ("query", endpoint.query_parameters),
            ("header", endpoint.header_parameters),
            ("cookie", endpoint.cookie_parameters),
        ):
            for p in props:
                python = info.param_names.get((location, t.raw(p.name))) or str(p.python_name)
                python = _unique(t.py_name(python), used)
                style = info.param_styles.get((location, t.raw(p.name)))
                if style is not None:
                    styles[python] = style
                t.model_imports(p, types)
                described = param_prose.get((location, t.raw(p.name))) or p.description
                args.append(
                    ArgView(python, t.raw(p.name), location, _annotation(p), bool(p.required), t.doc(described))
                )
        body_kind: str | None = None
        body_fields: list[tuple[str, str]] = []
        alternatives: list[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]]] = []
        file_fields: list[str] = []
        if endpoint.bodies:
            flat = [
                b
                for b in endpoint.bodies
                if str(b.body_type.value) in FIELD_BODIES and isinstance(b.prop, ModelProperty) and t.all_props(b.prop)
            ]
            if len(flat) == len(endpoint.bodies):
                # Every body is an object: its properties become arguments (shared by wire name across bodies).
                # A form's `name[]` (an array sent as repeated fields) is the JSON body's `name`.
                fields: dict[str, tuple[ArgView, Any]] = {}
                flat.sort(key=lambda b: FIELD_BODIES[str(b.body_type.value)] != "json_fields")
                for body in flat:
                    kind = FIELD_BODIES[str(body.body_type.value)]
                    body_required = bool(body.prop.required)
                    names_in: list[tuple[str, str]] = []
                    required_in: list[str] = []
                    for p in t.ordered_props(t.INDEX.model(body.prop)):
                        wire = t.raw(p.name)
                        key = wire.removesuffix("[]")
                        if key not in fields:
                            python = _unique(str(p.python_name), used)
                            t.model_imports(p, types)
                            flag = info.stream_flag is not None and wire == info.stream_flag
                            described = self._referenced_prose(spec_op, kind, wire) or p.description
                            arg = ArgView(python, wire, "body", "", False, t.doc(described), is_stream_flag=flag)
                            fields[key] = (arg, p)
                            body_fields.append((python, wire))
                            if kind == "multipart_fields" and _is_file(p):
                                file_fields.append(python)
                        names_in.append((fields[key][0].python_name, wire))
                        if p.required and body_required:
                            required_in.append(fields[key][0].python_name)
                    alternatives.append((kind, tuple(names_in), tuple(required_in)))
                # The JSON body unless a file is given (then the form); an argument is required when every body
                # requires it.
                body_kind = alternatives[0][0]
                for arg, p in fields.values():
                    arg.required = all(arg.python_name in required for _, _, required in alternatives)
                    file_list = isinstance(p, ListProperty) and arg.python_name in file_fields
                    if arg.python_name in file_fields:
                        arg.annotation = "Sequence[FileInput]" if file_list else "FileInput"
                        arg.annotation += "" if arg.required else " | Unset"
                    else:
                        arg.annotation = _annotation(p, arg.required)
                    args.append(arg)
            else:
                body = endpoint.bodies[0]
                body_kind = str(body.body_type.value)
                t.model_imports(body.prop, types)
                args.append(
                    ArgView(
                        "body",
                        "",
                        "body",
                        _annotation(body.prop),
                        bool(body.prop.required),
                        t.doc(body.prop.description),
                    )
                )
                body_fields.append(("body", ""))
        args.sort(key=lambda a: not a.required)
        successes: list[ResponseView] = []
        errors: list[ResponseView] = []
        default: ResponseView | None = None
        for r in [*endpoint.responses.patterns, *([endpoint.responses.default] if endpoint.responses.default else [])]:
            view_r = self._response_view(r, names, types)
            if view_r.pattern == "default":
                default = view_r
            elif view_r.pattern[0] == "2":
                successes.append(view_r)
            elif view_r.pattern[0] in "45":
                errors.append(view_r)
        if default is not None and not successes:
            # `default` describes every status the operation does not list: with no 2XX listed, that is success.
            successes.append(default)
        responses = successes
        if not responses and info.stream_schema is None:
            responses.append(ResponseView("200", "empty", None, "None"))
        view = EndpointView(
            func=_module_safe(info.name),
            callable=info.callable,
            method=info.method,
            path=info.path,
            summary=t.doc(endpoint.summary) or info.callable,
            doc=t.doc(endpoint.description) or t.doc(endpoint.summary) or f"{info.method} {info.path}",
            args=args,
            responses=responses,
            plans=names.plans,
            model_imports=[],
            type_imports=[],
            body_kind=body_kind,
            body_fields=repr(tuple(body_fields)),
            stream_flag=None,
            stream_only=info.stream_only,
            styles=styles,
            accept=self._accept(info),
            file_fields=tuple(file_fields),
            bodies=tuple(alternatives) if len(alternatives) > 1 else None,
        )
        self.views[info.key] = view
        view.result_keys = _result_keys(successes)
        if info.paging is not None:
            self._page_view(view, info, types)
        if info.stream_schema is not None:
            prop = self._stream_prop(info)
            if prop is not None:
                t.model_imports(prop, types)
                view.chunk_type = t.type_string(prop)
                if isinstance(prop, ModelProperty) and not t.is_json_object(prop):
                    view.chunk_class = t.code(prop.class_info.name)
                    view.chunk_module = t.module_of(view.chunk_class)
                else:
                    view.chunk_parse = t.parse_expr(prop, "data", names, "chunk") if t.needs_parse(prop) else "data"
                view.sentinel = info.sentinel
                flag_arg = next((a for a in args if a.is_stream_flag), None)
                view.stream_flag = flag_arg.python_name if flag_arg else None
        view.error_branches, view.error_fallback = _error_branches(errors, default, self._class_models())
        plan_text = " ".join((p.list_expr or "") + (p.str_expr or "") for p in names.plans)
        plan_text += " ".join(f"{c}.from_dict" for p in names.plans for c in t.plan_classes(p))
        parse_text = " ".join((r.parse or "") for r in responses) + plan_text + " " + (view.chunk_parse or "")
        error_text = " ".join(b.expr for b in view.error_branches) + " " + (view.error_fallback or "") + plan_text
        models = sorted((t.module_of(c), c) for c in types if c in t.INDEX.models)
        view.model_imports = [(m, c) for m, c in models if f"{c}." in parse_text]
        view.error_imports = [(m, c) for m, c in models if f"{c}." in error_text]
        view.type_imports = sorted((t.module_of(c), c) for c in types)
        self.checks.add_operation(
            *self._spec_op(info),
            info,
            dict(body_fields) if body_kind in FIELD_BODIES.values() else ({"body": ""} if body_fields else {}),
        )
        return view

    def _referenced_prose(self, spec_op: dict[str, Any], kind: str, wire: str) -> str | None:
        """A body property's description beside its `$ref` (openapi-python-client keeps only the component's), else
        the description of the component it refers to."""
        spec = self.checks.spec  # the document `spec_op` comes from
        media = "application/json" if kind == "json_fields" else "multipart/form-data"
        content = specprep.resolve(spec, spec_op.get("requestBody") or {}).get("content") or {}
        schema = specprep.resolve(spec, (content.get(media) or {}).get("schema") or {})
        prop = (schema.get("properties") or {}).get(wire) if isinstance(schema, dict) else None
        if not isinstance(prop, dict):
            return None
        return prop.get("description") or specprep.resolve(spec, prop).get("description") or None

    def _page_view(self, view: EndpointView, info: specprep.OperationInfo, types: set[str]) -> None:
        """A paged operation's Paging literal (key paths as attribute names) and item type; what cannot be followed
        in the generated models is recorded as unsupported (generation fails naming it)."""
        paging = info.paging
        assert paging is not None
        page = next((r for r in view.responses if r.pattern[0] == "2" and r.kind == "json"), None)
        shapes = list(getattr(page.prop, "inner_properties", None) or [page.prop]) if page is not None else []
        if not shapes or not all(isinstance(s, ModelProperty) for s in shapes):
            info.unsupported.append(f"{info.key}: pagination: the success answer is not an object of the spec")
            return

        def attributes(path: list[str] | None, everywhere: bool = True) -> tuple[str, ...] | None:
            """The attribute names along a key path, the same in every shape of the page that has it (in every shape
            unless not `everywhere`: a shape without a next cursor has no next page); None if there are none."""
            if path is None:
                return None
            found: set[tuple[str, ...]] = set()
            for shape in shapes:
                names: list[str] = []
                node: Any = shape
                for key in path:
                    prop = next((p for p in t.all_props(node) if t.raw(p.name) == key), None)
                    if prop is None:
                        break
                    names.append(t.code(prop.python_name))
                    node = prop
                found.add(tuple(names) if len(names) == len(path) else ())
            if not everywhere and len(found) > 1:
                found.discard(())
            if len(found) != 1 or () in found:
                info.unsupported.append(f"{info.key}: pagination: {'.'.join(path)} is not in every shape of the page")
                return None
            return found.pop()

        results = attributes(paging.results)
        item_types: list[str] = []
        for shape in shapes:
            node: Any = shape
            for key in paging.results:
                node = next((p for p in t.all_props(node) if t.raw(p.name) == key), None)
            inner = getattr(node, "inner_property", None)
            if inner is None:
                info.unsupported.append(f"{info.key}: pagination: {'.'.join(paging.results)} is not an array")
                return
            t.model_imports(inner, types)
            item_types.append(t.type_string(inner))
        names = info.param_names
        fields = {
            "results": results,
            "offset": names.get(("query", paging.offset)) if paging.offset else None,
            "limit": names.get(("query", paging.limit)) if paging.limit else None,
            "cursor": names.get(("query", paging.cursor)) if paging.cursor else None,
            "next_cursor": attributes(paging.next_cursor, everywhere=False),
            "total": attributes(paging.total),
            "limit_default": paging.limit_default,
            "offset_max": paging.offset_max,
        }
        shown = ", ".join(f"{k}={v!r}" for k, v in fields.items() if v is not None)
        view.paging = f"Paging({paging.kind!r}, {shown})"
        view.item_type = t.join_union(item_types)

    def _accept(self, info: specprep.OperationInfo) -> str:
        """The Accept header of an operation: JSON when any success answer is JSON, else the answers' media types."""
        op = self.spec["paths"][info.path][info.method.lower()]
        media: list[str] = []
        for status, response in (op.get("responses") or {}).items():
            if str(status).startswith("2") or (str(status) == "default" and info.stream_schema is None):
                for media_type in specprep.resolve(self.spec, response).get("content") or {}:
                    if media_type not in media:
                        media.append(media_type)
        # A typed method reads JSON when the operation offers it (other media stay for with_raw_response and
        # http_headers={"Accept": ...}); otherwise it asks for what the operation answers.
        if not media or any(specprep.is_json_media(m) for m in media):
            return "application/json"
        return ", ".join(media)

    def _response_view(self, r: Any, names: t.UnionNames, types: set[str]) -> ResponseView:
        pattern = str(r.status_code.pattern).upper()
        pattern = "default" if pattern == "DEFAULT" else pattern
        kind = _response_kind(r)
        parse = None
        type_string = "None" if kind == "empty" else ("bytes" if kind == "binary" else "Any")
        if kind == "json":
            t.model_imports(r.prop, types)
            type_string = t.type_string(r.prop)
            if t.needs_parse(r.prop):
                hint = "response" if pattern[0] == "2" else "error"
                parse = t.parse_expr(r.prop, "data", names, hint)
        elif kind == "text":
            type_string = "str"
        model = None
        if kind == "json" and isinstance(r.prop, ModelProperty) and not t.is_json_object(r.prop):
            model = t.code(r.prop.class_info.name)
        return ResponseView(pattern, kind, parse, type_string, model, r.prop)

    def _class_models(self) -> dict[int, str | None]:
        """Error status -> the model its error class parses a body into (errors.py)."""
        return {e.status: e.model_class for e in self.error_classes()}

    def _spec_op(self, info: specprep.OperationInfo) -> tuple[dict[str, Any], dict[str, Any]]:
        item = self.checks.spec["paths"][info.path]
        return item[info.method.lower()], item

    def _stream_prop(self, info: specprep.OperationInfo) -> Any:
        """The `data` property of the operation's event envelope model: the type of one event."""
        for m in self.data.models:
            if t.raw(m.name).rsplit("/", 1)[-1] == info.stream_envelope:
                return next((p for p in t.all_props(m) if t.raw(p.name) == "data"), None)
        return None

    # ---------------------------------------------------------------- groups, errors, checks

    def server_url(self) -> str:
        servers = self.spec.get("servers") or [{}]
        url = servers[0].get("url") if isinstance(servers[0], dict) else None
        return str(url or "http://localhost")

    def group_view(self, collection: EndpointCollection) -> GroupView:
        endpoints = []
        group = None
        for e in sorted(collection.endpoints, key=lambda e: str(e.name)):
            info = self.infos[_shape(e.method, t.raw(e.path))]
            group = info.group
            endpoints.append({"module": str(e.name), "method_name": info.name, "callable": info.callable})
        attribute = group or str(collection.tag)
        return GroupView(
            attribute=attribute,
            package=str(collection.tag),
            class_name=_pascal(attribute) + "Resource",
            doc=f"Operations of the {attribute} group.",
            endpoints=endpoints,
        )

    def groups(self) -> list[GroupView]:
        return sorted(
            (self.group_view(c) for c in self.data.endpoint_collections_by_tag.values()), key=lambda g: g.attribute
        )

    def error_classes(self) -> list[ErrorView]:
        if self._errors is None:
            self._errors = self._error_classes()
        return self._errors

    def _error_classes(self) -> list[ErrorView]:
        """One class per specific error status of the spec.

        Its name and its own schema come from the status's primary schema, the one most operations give it (a few
        operations answering in another shape do not rename it): `<Schema>Error`, unless that schema is the
        primary one of another status too, then the status's reason phrase (`BadRequestError`). Its `data` is
        typed with every schema that can fill it: the schemas operations list for that status, and the `default`
        schemas of operations that do not list it.
        """
        by_status: dict[int, dict[str | None, int]] = {}
        docs: dict[int, str] = {}
        defaults: list[tuple[set[int], str | None]] = []
        for _m, _p, op, _i in specprep.operations(self.spec):
            listed: set[int] = set()
            default: tuple[str | None] | None = None
            for status, response in (op.get("responses") or {}).items():
                response = specprep.resolve(self.spec, response)
                name = _json_schema_name(response)
                if str(status) == "default":
                    default = (name,)
                    continue
                if not str(status).isdigit() or int(status) < 400:
                    continue
                code = int(status)
                listed.add(code)
                docs.setdefault(code, t.doc(response.get("description")) or "")
                counts = by_status.setdefault(code, {})
                counts[name] = counts.get(name, 0) + 1
            if default is not None:
                defaults.append((listed, default[0]))
        primary = {code: max(sorted(counts, key=str), key=lambda n: counts[n]) for code, counts in by_status.items()}
        primaries: dict[str, int] = {}
        for name in primary.values():
            if name:
                primaries[name] = primaries.get(name, 0) + 1
        out = []
        for code in sorted(by_status):
            schema_name = primary[code]
            shared = schema_name is not None and primaries[schema_name] > 1
            cls = self._model_class(schema_name) if schema_name else None
            fillers = set(by_status[code]) | {d for listed, d in defaults if code not in listed}
            classes = sorted({self._model_class(n) if n else None for n in fillers}, key=str)
            data_type = "Any" if None in classes else " | ".join([*(str(c) for c in classes), "None"])
            out.append(
                ErrorView(
                    status=code,
                    name=self._error_name(code, schema_name, shared),
                    doc=docs.get(code) or f"HTTP {code}.",
                    model_class=cls,
                    model_module=t.module_of(cls) if cls else None,
                    data_type=data_type,
                    data_imports=[(t.module_of(str(c)), str(c)) for c in classes if c],
                )
            )
        return out

    def _error_name(self, status: int, schema_name: str | None, shared: bool) -> str:
        """The error class of a status, never the name of a model class (errors.py imports those)."""
        name = t.status_error_name(status, schema_name, shared)
        if name in t.INDEX.models or name in t.ENUM_MODULES:
            name = t.status_error_name(status, None, True)
        return name

    def error_data_imports(self) -> list[tuple[str, str]]:
        return sorted({item for e in self.error_classes() for item in e.data_imports})

    def union_aliases(self) -> list[AliasView]:
        """Every component of the spec that is a union (oneOf/anyOf): openapi-python-client types its uses inline
        and makes nothing of the component itself, so its name would not be importable."""
        if self._aliases is not None:
            return self._aliases
        schemas = (self.spec.get("components") or {}).get("schemas") or {}
        by_component = {t.raw(m.name).rsplit("/", 1)[-1]: t.code(m.class_info.name) for m in self.data.models}
        by_component.update({t.raw(e.name).rsplit("/", 1)[-1]: t.code(e.class_info.name) for e in self.data.enums})
        unions = {
            name: Class.from_string(string=name, config=self.config)
            for name, schema in schemas.items()
            if isinstance(schema, dict) and ("anyOf" in schema or "oneOf" in schema) and name not in by_component
        }
        names = {**by_component, **{n: t.code(c.name) for n, c in unions.items()}}
        modules = {t.code(c.name): t.code(c.module_name) for c in unions.values()}
        aliases = []
        for name, cls in sorted(unions.items()):
            used: set[str] = set()
            typing_names: set[str] = set()
            annotation = self._annotate(schemas[name], names, used, typing_names, 0)
            class_name = t.code(cls.name)
            imports = sorted((modules.get(c) or t.module_of(c), c) for c in used if c != class_name)
            doc = t.doc(schemas[name].get("description")) or f"The {name} union."
            aliases.append(
                AliasView(class_name, t.code(cls.module_name), name, doc, annotation, imports, sorted(typing_names))
            )
        self._aliases = aliases
        return aliases

    def _annotate(self, s: Any, names: dict[str, str], used: set[str], typing_names: set[str], depth: int) -> str:
        """A schema of the prepared spec as a Python annotation (for type aliases)."""
        if not isinstance(s, dict) or depth > 20:
            typing_names.add("Any")
            return "Any"
        if "$ref" in s:
            name = str(s["$ref"]).rsplit("/", 1)[-1]
            if name == self.prepared.json_object:
                typing_names.add("Any")
                return "dict[str, Any]"
            if name in names:
                used.add(names[name])
                return names[name]
            return self._annotate(specprep.resolve(self.spec, s), names, used, typing_names, depth + 1)
        members = s.get("anyOf") or s.get("oneOf")
        if isinstance(members, list):
            return t.join_union(self._annotate(m, names, used, typing_names, depth + 1) for m in members)
        values = [s["const"]] if "const" in s else s.get("enum")
        if isinstance(values, list) and values:
            typing_names.add("Literal")
            literal = f"Literal[{', '.join(repr(v) for v in values if v is not None)}]"
            return literal + (" | None" if None in values or "null" in specprep.type_list(s) else "")
        simple = {"string": "str", "integer": "int", "number": "float", "boolean": "bool", "null": "None"}
        parts = []
        for kind in specprep.type_list(s) or ["any"]:
            if kind == "array":
                parts.append(f"list[{self._annotate(s.get('items') or {}, names, used, typing_names, depth + 1)}]")
            elif kind == "object":
                typing_names.add("Any")
                parts.append("dict[str, Any]")
            elif kind in simple:
                parts.append(simple[kind])
            else:
                typing_names.add("Any")
                parts.append("Any")
        return " | ".join(parts)

    def _model_class(self, schema_name: str) -> str | None:
        for m in self.data.models:
            if t.raw(m.name).rsplit("/", 1)[-1] == schema_name:
                return t.code(m.class_info.name)
        return None

    def check_schemas(self) -> str:
        return repr(dict(sorted(self.checks.schemas.items())))

    def check_arguments(self) -> str:
        return repr(dict(sorted(self.checks.operations.items())))


def _json_schema_name(response: dict[str, Any]) -> str | None:
    """The component name of a response's JSON schema, or None (no JSON body, or an inline schema)."""
    schema = ((response.get("content") or {}).get("application/json") or {}).get("schema") or {}
    return str(schema["$ref"]).rsplit("/", 1)[-1] if "$ref" in schema else None


def _is_range(pattern: str) -> bool:
    return len(pattern) == 3 and pattern[0].isdigit() and pattern.endswith("XX")


def _error_branches(
    errors: list[ResponseView], default: ResponseView | None, class_models: dict[int, str | None]
) -> tuple[list[ParseBranch], str | None]:
    """The branches of an operation's `_parse_error`, and its fallback for every status it does not list.

    A status whose error class already parses the body as this operation describes it needs no branch: the
    function returns None for it and the request core asks the class. Only where the operation says something
    else (another schema, a range, a `default` response) is code generated, grouped by what parses the body.
    """
    fallback = (default.parse or "data") if default is not None and default.kind == "json" else None
    branches: list[ParseBranch] = []
    to_class: list[int] = []
    for r in sorted(errors, key=lambda r: (_is_range(r.pattern), r.pattern)):
        if r.pattern.isdigit() and r.model is not None and class_models.get(int(r.pattern)) == r.model:
            to_class.append(int(r.pattern))
            continue
        expr = r.parse or "data"
        if _is_range(r.pattern):  # after every specific status (sorted so), never merged into one of theirs
            branches.append(ParseBranch([], [r.pattern], expr))
            continue
        same = next((b for b in branches if b.expr == expr), None)
        if same is None:
            same = ParseBranch([], [], expr)
            branches.append(same)
        same.statuses.append(int(r.pattern))
    if fallback is not None and to_class:
        branches.insert(0, ParseBranch(to_class, [], "None"))
    return branches, fallback


def _shape(method: str, path: str) -> str:
    """An operation's key that survives openapi-python-client renaming path parameters ({hash} -> {hash_})."""
    return method.upper() + " " + re.sub(r"\{[^}]*\}", "{}", path)


_MODULE_NAMES = {
    "annotations",
    "overload",
    "Operation",
    "UNSET",
    "Unset",
    "TYPE_CHECKING",
    "OPERATION",
    "sync",
    "asyncio",
}


def _module_safe(name: str) -> str:
    """An operation's function name in its module: `list` would hide the builtin from the module's annotations
    (`list[str]`), so it becomes `list_`; the group attribute keeps the plain name (`mg.models.list`)."""
    import builtins

    return name + "_" if hasattr(builtins, name) or name in _MODULE_NAMES else name


def _unique(name: str, used: set[str]) -> str:
    base, n = name, 2
    while name in used:
        name = f"{base}_{n}" if n > 2 else f"{base}_"
        n += 1
    used.add(name)
    return name


#: Request bodies whose object properties become arguments, and how the client writes them.
FIELD_BODIES = {"json": "json_fields", "files": "multipart_fields"}


def _result_keys(successes: list[ResponseView]) -> tuple[str, ...] | None:
    """When a success answer's object has an `error` property of its own (a failed job's record), the keys that
    object requires (other than `error`): a 2xx body carrying them is that object, not an error in place of one."""
    for r in successes:
        if r.kind != "json" or r.prop is None:
            continue
        shapes = list(getattr(r.prop, "inner_properties", None) or [r.prop])
        for shape in shapes:
            if isinstance(shape, ModelProperty) and not t.is_json_object(shape):
                props = t.all_props(shape)
                if any(t.raw(p.name) == "error" for p in props):
                    return tuple(sorted(t.raw(p.name) for p in props if p.required and t.raw(p.name) != "error"))
    return None


def _is_file(p: Any) -> bool:
    """Whether a multipart property is a file part (binary), or a list of them."""
    return isinstance(p, FileProperty) or (isinstance(p, ListProperty) and isinstance(p.inner_property, FileProperty))


def _annotation(p: Any, required: bool | None = None) -> str:
    """An argument's annotation: `| Unset` when it may be left out (its property's, or its body's, optionality)."""
    base = t.arg_type(p)
    return base if (p.required if required is None else required) else base + " | Unset"


def _pascal(value: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in value.split("_") if part) or "Default"


def _response_kind(r: Any) -> str:
    source = str((r.source or {}).get("attribute", "") if isinstance(r.source, dict) else "")
    if source == "None" or r.prop.__class__.__name__ == "NoneProperty":  # no content: no body to read
        return "empty"
    if source == "response.content":
        return "binary"
    if source == "response.text":
        return "text"
    return "json"


# ------------------------------------------------------------------ running


def load_spec(path: Path) -> dict[str, Any]:
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    if not isinstance(data, dict) or "paths" not in data:
        raise GenerationFailed(f"{path}: not an OpenAPI document (no paths)")
    return data


def generate_into(spec_path: Path, gen_dir: Path, docs_dir: Path | None = None) -> dict[str, Any]:
    """Generate the `_generated` package into gen_dir (and the reference pages into docs_dir). Returns the
    manifest."""
    document = load_spec(spec_path)
    prepared = specprep.prepare(document)
    check_spec = specprep.check_spec(document)
    with tempfile.TemporaryDirectory() as tmp:
        prepared_path = Path(tmp) / "prepared.json"
        prepared_path.write_text(json.dumps(prepared.spec), encoding="utf-8")
        config = Config.from_sources(
            ConfigFile(
                literal_enums=True,
                post_hooks=[],
                content_type_overrides=prepared.content_type_overrides,
                project_name_override=GENERATED,
                package_name_override=GENERATED,
            ),
            MetaType.NONE,
            document_source=prepared_path,
            file_encoding="utf-8",
            overwrite=True,
            output_path=gen_dir,
        )
        data = GeneratorData.from_dict(prepared.spec, config=config)
        if isinstance(data, GeneratorError):
            raise GenerationFailed(
                f"openapi-python-client could not read the prepared spec: {data.header}: {data.detail}"
            )
        generator = Generator(prepared, check_spec, data, config)
        project = Project(openapi=data, config=config, custom_template_path=TEMPLATES)
        project.env.globals["mg"] = generator
        with contextlib.redirect_stdout(io.StringIO()):
            errors = project.build()
        (gen_dir / "client.py").rename(gen_dir / "groups.py")
        for m in data.models:  # the free-form placeholder is dict[str, Any], never a class of its own
            if t.is_json_object(m):
                (gen_dir / "models" / f"{t.code(m.class_info.module_name)}.py").unlink()
        (gen_dir / "schemas.py").write_text(project.env.get_template("schemas.py.jinja").render(), encoding="utf-8")
        alias_template = project.env.get_template("union_alias.py.jinja")
        for alias in generator.union_aliases():
            (gen_dir / "models" / f"{alias.module}.py").write_text(alias_template.render(a=alias), encoding="utf-8")
    problems = [f"{e.header}: {e.detail}".strip() for e in errors]
    generated = set(generator._endpoint_by_key)
    manifest = {"operations": []}
    for info in prepared.operations:
        if info.key not in generated:
            problems.append(f"{info.key}: operation was not generated")
            continue
        endpoint = generator._endpoint_by_key[info.key]
        op = specprep.resolve(prepared.spec, prepared.spec["paths"][info.path][info.method.lower()])
        if op.get("requestBody") and not endpoint.bodies:
            problems.append(f"{info.key}: request body was not generated")
        declared = {str(s) for s in (op.get("responses") or {})}
        parsed = {str(r.status_code.pattern) for r in endpoint.responses}
        for status in sorted(declared - parsed):
            content = specprep.resolve(prepared.spec, op["responses"][status]).get("content")
            if content or info.stream_schema is None:
                problems.append(f"{info.key}: response {status} was not generated")
        if info.stream_schema is not None and generator._stream_prop(info) is None:
            problems.append(f"{info.key}: the event stream's schema could not be generated")
        problems.extend(info.unsupported)
        view = generator.views.get(info.key)
        generated_params = {(a.location, a.wire) for a in view.args} if view is not None else set()
        item = prepared.spec["paths"][info.path]
        for param in (item.get("parameters") or []) + (op.get("parameters") or []):
            param = specprep.resolve(prepared.spec, param)
            if (param.get("in"), param.get("name")) not in generated_params:
                problems.append(f"{info.key}: {param.get('in')} parameter {param.get('name')!r} was not generated")
        manifest["operations"].append(
            {"method": info.method, "path": info.path, "operationId": info.operation_id, "callable": info.callable}
        )
    if problems:
        raise GenerationFailed("\n".join(sorted(set(problems))))
    manifest["untyped"] = untyped_values(data, prepared.spec)
    manifest["unions"] = sorted(
        (
            {"module": module, "function": plan.name, "members": [{"class": c, "schema": r} for c, r in plan.members]}
            for module, plan in t.PLANS
            if plan.members
        ),
        key=lambda u: (u["module"], u["function"]),
    )
    _ruff(gen_dir)
    (gen_dir / SPEC_DATA).write_text(spec_data(document), encoding="utf-8")
    if docs_dir is not None:
        from . import docs

        docs.write_docs(generator, docs_dir)
    return manifest


def untyped_values(data: GeneratorData, spec: dict[str, Any]) -> dict[str, list[str]]:
    """Every place a generated value is typed `Any`, by reason: "any value" where the spec's schema constrains
    nothing (`{}`: the API sends any JSON there), "degraded" where the schema says more than the generated type
    does (a construct the pipeline could not type: a defect to fix in specprep or the templates).

    A model's bag of unlisted keys (`additional_properties`) is not counted unless the spec types it.
    """
    from openapi_python_client.parser.properties import AnyProperty, ListProperty, UnionProperty

    schemas = (spec.get("components") or {}).get("schemas") or {}
    found: dict[str, list[str]] = {"any value": [], "degraded": []}

    def visit(prop: Any, where: str, source: Any) -> None:
        source = specprep.resolve(spec, source) if isinstance(source, dict) else source
        if isinstance(prop, AnyProperty):
            if not isinstance(source, dict):  # its schema could not be found: counted as a defect, to look at
                found["degraded"].append(where + " (schema not found)")
            else:
                found["degraded" if set(source) - set(specprep.PROSE) else "any value"].append(where)
        elif isinstance(prop, ListProperty):
            visit(prop.inner_property, where + "[]", source.get("items") if isinstance(source, dict) else None)
        elif isinstance(prop, UnionProperty):
            members = (source.get("anyOf") or source.get("oneOf") or []) if isinstance(source, dict) else []
            typed = [m for m in members if specprep.type_list(specprep.resolve(spec, m)) != ["null"]]
            inner = [m for m in prop.inner_properties if type(m).__name__ != "NoneProperty"]
            for i, m in enumerate(inner):
                visit(m, f"{where}|{i}", typed[i] if i < len(typed) and len(typed) == len(inner) else None)

    for model in data.models:
        name = t.raw(model.name).rsplit("/", 1)[-1]
        source = schemas.get(name) or {}
        for p in t.all_props(model):
            visit(p, f"{name}.{t.raw(p.name)}", (source.get("properties") or {}).get(t.raw(p.name)))
        extra = source.get("additionalProperties")
        if isinstance(extra, dict) and model.additional_properties not in (None, True, False):
            visit(model.additional_properties, f"{name}{{}}", extra)
    for collection in data.endpoint_collections_by_tag.values():
        for e in collection.endpoints:
            op = spec["paths"][t.raw(e.path)][e.method.lower()] if t.raw(e.path) in spec["paths"] else {}
            where = f"{e.method.upper()} {t.raw(e.path)}"
            params = {
                (p.get("in"), p.get("name")): p for p in (specprep.resolve(spec, x) for x in op.get("parameters") or [])
            }
            for location, props in (
                ("path", e.path_parameters),
                ("query", e.query_parameters),
                ("header", e.header_parameters),
            ):
                for p in props:
                    param = params.get((location, t.raw(p.name))) or {}
                    visit(p, f"{where} {location} {t.raw(p.name)}", param.get("schema"))
            body = specprep.resolve(spec, op.get("requestBody") or {})
            for b in e.bodies:
                media = next(iter((body.get("content") or {}).values()), {})
                visit(b.prop, f"{where} body", media.get("schema"))
            responses = op.get("responses") or {}
            for r in e.responses:
                if _response_kind(r) != "json":
                    continue
                response = specprep.resolve(spec, responses.get(str(r.status_code.pattern)) or {})
                media = (response.get("content") or {}).get("application/json") or {}
                visit(r.prop, f"{where} {r.status_code.pattern}", media.get("schema"))
    return {k: sorted(v) for k, v in found.items()}


def _ruff(directory: Path) -> None:
    config = str(ROOT / "pyproject.toml")
    for args in (
        ["check", "--fix-only", "--select", "I,F401", "--config", config, directory.name],
        ["format", "--config", config, directory.name],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args], capture_output=True, text=True, cwd=directory.parent
        )
        if result.returncode != 0:
            raise GenerationFailed(f"ruff {args[0]} failed on the generated code:\n{result.stdout}{result.stderr}")


def install(gen_dir: Path, package_dir: Path) -> None:
    target = package_dir / GENERATED
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(gen_dir, target)


def copy_overlay(out_package: Path) -> None:
    """The hand-written part of the package, for --out: everything in modelgates_client/ but _generated."""
    if out_package.exists():
        shutil.rmtree(out_package)
    shutil.copytree(PACKAGE, out_package, ignore=shutil.ignore_patterns(GENERATED, "__pycache__"))


#: The spec's facts (and our examples) as package data, for the local server (modelgates_client.testing).
SPEC_DATA = "openapi.json"
_PROSE_KEYS = ("description", "summary", "title")


def spec_data(document: dict[str, Any]) -> str:
    """The document without its prose (descriptions, summaries, titles; names in name maps stay), as compact JSON
    with a trailing newline."""

    def strip(node: Any, names: bool = False) -> Any:
        if isinstance(node, dict):
            return {
                k: strip(v, not names and k in specprep.NAME_MAPS)
                for k, v in node.items()
                if names or not (k in _PROSE_KEYS and isinstance(v, str))
            }
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return json.dumps(strip(document), ensure_ascii=False, separators=(",", ":"), default=str) + "\n"


def install_docs(docs_dir: Path, target: Path) -> None:
    """Replace the generated reference pages (docs/ holds nothing else)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(docs_dir, target)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="OpenAPI document (YAML or JSON)")
    parser.add_argument("--out", type=Path, help="write DIR/modelgates_client and DIR/manifest.json instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        gen_dir = Path(tmp) / GENERATED
        docs_dir = Path(tmp) / "docs"
        try:
            manifest = generate_into(args.spec, gen_dir, docs_dir)
        except GenerationFailed as exc:
            print(f"generate: {args.spec}: not generated completely:\n{exc}", file=sys.stderr)
            return 1
        if args.out is None:
            install(gen_dir, PACKAGE)
            install_docs(docs_dir, DOCS)
            target = PACKAGE / GENERATED
        else:
            args.out.mkdir(parents=True, exist_ok=True)
            out_package = args.out / "modelgates_client"
            copy_overlay(out_package)
            install(gen_dir, out_package)
            install_docs(docs_dir, args.out / "docs")
            (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            target = out_package / GENERATED
    untyped = manifest["untyped"]
    print(f"generate: {len(manifest['operations'])} operations -> {target}")
    print(
        f"generate: typed Any: {len(untyped['any value'])} where the spec allows any value, "
        f"{len(untyped['degraded'])} degraded"
    )
    for where in untyped["degraded"]:
        print(f"  degraded to Any: {where}")
    if args.out is None:  # what the regenerated client changes for users (never fails the generation)
        try:
            from . import api_changes

            print(api_changes.summary())
        except Exception as exc:  # noqa: BLE001
            print(f"api-changes: skipped ({exc})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
