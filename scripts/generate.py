#!/usr/bin/env python3
"""Generate modelgates_client/_generated from an OpenAPI document.

    python scripts/generate.py                          # openapi/modelgates.yaml -> modelgates_client/_generated
    python scripts/generate.py --spec PATH --out DIR    # a complete package in DIR/modelgates_client + DIR/manifest.json

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

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import specprep  # noqa: E402
import templating as t  # noqa: E402
import yaml  # noqa: E402
from openapi_python_client import Project  # noqa: E402
from openapi_python_client.config import Config, ConfigFile, MetaType  # noqa: E402
from openapi_python_client.parser import GeneratorData  # noqa: E402
from openapi_python_client.parser.errors import GeneratorError  # noqa: E402
from openapi_python_client.parser.openapi import Endpoint, EndpointCollection  # noqa: E402
from openapi_python_client.parser.properties import ModelProperty  # noqa: E402

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
    extra_parse: str | None
    uses_datetime: bool
    uses_date: bool


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
    status: int
    kind: str  # json, binary, text, empty
    parse: str | None
    type_string: str


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
    def response_kinds(self) -> str:
        return repr(tuple((r.status, r.kind) for r in self.responses))

    @property
    def return_type(self) -> str:
        types: list[str] = []
        for r in self.responses:
            for part in t._split_union(r.type_string):
                if part not in types:
                    types.append(part)
        return " | ".join(types) if types else "None"

    @property
    def sync_return(self) -> str:
        if self.stream_only:
            return f"Stream[{self.chunk_type}]"
        if self.stream_flag:
            return f"{self.return_type} | Stream[{self.chunk_type}]"
        return self.return_type

    @property
    def async_return(self) -> str:
        if self.stream_only:
            return f"AsyncStream[{self.chunk_type}]"
        if self.stream_flag:
            return f"{self.return_type} | AsyncStream[{self.chunk_type}]"
        return self.return_type


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
    model_class: str | None
    model_module: str | None


class Generator:
    """The `mg` object the templates see: views of models, endpoints, groups and errors."""

    def __init__(self, prepared: specprep.Prepared, check_spec: dict[str, Any], data: GeneratorData) -> None:
        self.prepared = prepared
        self.spec = prepared.spec
        self.infos = {_shape(i.method, i.path): i for i in prepared.operations}
        self.data = data
        self.checks = specprep.CheckTable(check_spec)
        t.INDEX.models = {t.code(m.class_info.name): m for m in data.models}
        t.ENUM_MODULES.clear()
        t.ENUM_MODULES.update({t.code(e.class_info.name): t.code(e.class_info.module_name) for e in data.enums})
        self._cycles = self._cyclic_edges()
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
        names = t.UnionNames()
        fields: list[FieldView] = []
        uses_dt = uses_date = False
        for p in t.ordered_props(model):
            parse = None
            if t.needs_parse(p):
                parse = t.parse_expr(p, f"_v_{p.python_name}", names, str(p.python_name))
            fields.append(
                FieldView(
                    python_name=str(p.python_name),
                    wire=t.wire(p.name),
                    annotation=t.code(p.get_type_string(no_optional=True)) + ("" if p.required else " | Unset"),
                    required=bool(p.required),
                    parse=parse,
                    plain=not t.needs_parse(p),
                    doc=t.doc(p.description),
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
            extra_parse=extra_parse,
            uses_datetime=uses_dt,
            uses_date=uses_date,
        )

    # ---------------------------------------------------------------- endpoints

    @property
    def options_doc(self) -> str:
        """The docstring entry of `**options` in every generated method."""
        return "Options of this call only (see modelgates_client.CallOptions): " + ", ".join(CALL_OPTIONS) + "."

    def endpoint_view(self, endpoint: Endpoint) -> EndpointView:
        info = self.infos[_shape(endpoint.method, t.raw(endpoint.path))]
        names = t.UnionNames()
        args: list[ArgView] = []
        used: set[str] = {"client", "options", *CALL_OPTIONS}
        types: set[str] = set()
        for location, props in (
            ("path", endpoint.path_parameters),
            ("query", endpoint.query_parameters),
            ("header", endpoint.header_parameters),
        ):
            for p in props:
                python = info.param_names.get((location, t.raw(p.name))) or str(p.python_name)
                python = _unique(t.py_name(python), used)
                t.model_imports(p, types)
                args.append(
                    ArgView(python, t.raw(p.name), location, _annotation(p), bool(p.required), t.doc(p.description))
                )
        body_kind: str | None = None
        body_fields: list[tuple[str, str]] = []
        if endpoint.bodies:
            body = endpoint.bodies[0]
            body_kind = str(body.body_type.value)
            prop = body.prop
            if body_kind == "json" and isinstance(prop, ModelProperty) and t.all_props(prop):
                model = t.INDEX.model(prop)
                body_required = bool(prop.required)
                for p in t.ordered_props(model):
                    python = _unique(str(p.python_name), used)
                    t.model_imports(p, types)
                    flag = info.stream_flag is not None and t.raw(p.name) == info.stream_flag
                    args.append(
                        ArgView(
                            python,
                            t.raw(p.name),
                            "body",
                            _annotation(p),
                            bool(p.required) and body_required,
                            t.doc(p.description),
                            is_stream_flag=flag,
                        )
                    )
                    body_fields.append((python, t.raw(p.name)))
                body_kind = "json_fields"
            else:
                t.model_imports(prop, types)
                args.append(
                    ArgView("body", "", "body", _annotation(prop), bool(prop.required), t.doc(prop.description))
                )
                body_fields.append(("body", ""))
        args.sort(key=lambda a: not a.required)
        responses: list[ResponseView] = []
        for r in endpoint.responses.patterns:
            status = _status(r.status_code)
            if status is None or not 200 <= status < 300:
                continue
            kind = _response_kind(r)
            parse = None
            type_string = "None" if kind == "empty" else ("bytes" if kind == "binary" else "Any")
            if kind == "json":
                t.model_imports(r.prop, types)
                type_string = t.code(r.prop.get_type_string(no_optional=True))
                if t.needs_parse(r.prop):
                    parse = t.parse_expr(r.prop, "data", names, "response")
            elif kind == "text":
                type_string = "str"
            responses.append(ResponseView(status, kind, parse, type_string))
        if not responses and info.stream_schema is None:
            responses.append(ResponseView(200, "empty", None, "None"))
        view = EndpointView(
            func=info.name,
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
        )
        if info.stream_schema is not None:
            prop = self._stream_prop(info)
            if prop is not None:
                t.model_imports(prop, types)
                view.chunk_type = t.code(prop.get_type_string(no_optional=True))
                if isinstance(prop, ModelProperty):
                    view.chunk_class = t.code(prop.class_info.name)
                    view.chunk_module = t.module_of(view.chunk_class)
                else:
                    view.chunk_parse = t.parse_expr(prop, "data", names, "chunk") if t.needs_parse(prop) else "data"
                view.sentinel = info.sentinel
                flag_arg = next((a for a in args if a.is_stream_flag), None)
                view.stream_flag = flag_arg.python_name if flag_arg else None
        parse_text = " ".join((r.parse or "") for r in responses)
        parse_text += " ".join((p.list_expr or "") + (p.str_expr or "") for p in names.plans)
        parse_text += " ".join(c for p in names.plans for c, _ in p.candidates)
        parse_text += " " + (view.chunk_parse or "")
        view.model_imports = sorted((t.module_of(c), c) for c in types if c in t.INDEX.models and f"{c}." in parse_text)
        view.type_imports = sorted((t.module_of(c), c) for c in types)
        self.checks.add_operation(
            *self._spec_op(info),
            info,
            dict(body_fields) if body_kind == "json_fields" else ({"body": ""} if body_fields else {}),
        )
        return view

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
        by_status: dict[int, set[str | None]] = {}
        docs: dict[int, str] = {}
        for _m, _p, op, _i in specprep.operations(self.spec):
            for status, response in (op.get("responses") or {}).items():
                code = _status_text(str(status))
                if code is None or code < 400:
                    continue
                response = specprep.resolve(self.spec, response)
                docs.setdefault(code, t.doc(response.get("description")) or "")
                schema = ((response.get("content") or {}).get("application/json") or {}).get("schema") or {}
                name = schema["$ref"].rsplit("/", 1)[-1] if "$ref" in schema else None
                by_status.setdefault(code, set()).add(name)
        schema_statuses: dict[str, set[int]] = {}
        for code, names in by_status.items():
            for n in names:
                if n:
                    schema_statuses.setdefault(n, set()).add(code)
        out = []
        for code in sorted(by_status):
            names = sorted(n for n in by_status[code] if n)
            schema_name = names[0] if len(names) == 1 else None
            shared = schema_name is not None and len(schema_statuses[schema_name]) > 1
            cls = self._model_class(schema_name) if schema_name and len(by_status[code]) == 1 else None
            out.append(
                ErrorView(
                    status=code,
                    name=t.status_error_name(code, schema_name, shared),
                    doc=docs.get(code) or f"HTTP {code}.",
                    model_class=cls,
                    model_module=t.module_of(cls) if cls else None,
                )
            )
        return out

    def _model_class(self, schema_name: str) -> str | None:
        for m in self.data.models:
            if t.raw(m.name).rsplit("/", 1)[-1] == schema_name:
                return t.code(m.class_info.name)
        return None

    def check_schemas(self) -> str:
        return repr(dict(sorted(self.checks.schemas.items())))

    def check_arguments(self) -> str:
        return repr(dict(sorted(self.checks.operations.items())))


def _shape(method: str, path: str) -> str:
    """An operation's key that survives openapi-python-client renaming path parameters ({hash} -> {hash_})."""
    return method.upper() + " " + re.sub(r"\{[^}]*\}", "{}", path)


def _unique(name: str, used: set[str]) -> str:
    base, n = name, 2
    while name in used:
        name = f"{base}_{n}" if n > 2 else f"{base}_"
        n += 1
    used.add(name)
    return name


def _annotation(p: Any) -> str:
    base = t.arg_type(p)
    return base if p.required else base + " | Unset"


def _pascal(value: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in value.split("_") if part) or "Default"


def _status(pattern: Any) -> int | None:
    return _status_text(str(pattern.pattern))


def _status_text(text: str) -> int | None:
    text = text.upper()
    if text.isdigit():
        return int(text)
    if len(text) == 3 and text[0].isdigit() and text.endswith("XX"):
        return int(text[0]) * 100  # a range: its first status stands for it
    return None


def _response_kind(r: Any) -> str:
    source = str(getattr(r.source, "attribute", "") or "")
    if t.raw(getattr(r.prop, "name", "")) == "response_None" or r.prop.__class__.__name__ == "NoneProperty":
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


def generate_into(spec_path: Path, gen_dir: Path) -> dict[str, Any]:
    """Generate the `_generated` package into gen_dir. Returns the manifest."""
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
        generator = Generator(prepared, check_spec, data)
        project = Project(openapi=data, config=config, custom_template_path=TEMPLATES)
        project.env.globals["mg"] = generator
        with contextlib.redirect_stdout(io.StringIO()):
            errors = project.build()
        (gen_dir / "client.py").rename(gen_dir / "groups.py")
        (gen_dir / "schemas.py").write_text(project.env.get_template("schemas.py.jinja").render(), encoding="utf-8")
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
        parsed = {str(r.status_code.pattern) for r in endpoint.responses.patterns}
        for status in sorted(declared - parsed):
            content = specprep.resolve(prepared.spec, op["responses"][status]).get("content")
            if content or info.stream_schema is None:
                problems.append(f"{info.key}: response {status} was not generated")
        if info.stream_schema is not None and generator._stream_prop(info) is None:
            problems.append(f"{info.key}: the event stream's schema could not be generated")
        manifest["operations"].append(
            {"method": info.method, "path": info.path, "operationId": info.operation_id, "callable": info.callable}
        )
    if problems:
        raise GenerationFailed("\n".join(sorted(set(problems))))
    _ruff(gen_dir)
    return manifest


def _ruff(directory: Path) -> None:
    config = str(ROOT / "pyproject.toml")
    for args in (
        ["check", "--fix-only", "--select", "I,F401", "--quiet", "--config", config, directory.name],
        ["format", "--quiet", "--config", config, directory.name],
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="OpenAPI document (YAML or JSON)")
    parser.add_argument("--out", type=Path, help="write DIR/modelgates_client and DIR/manifest.json instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        gen_dir = Path(tmp) / GENERATED
        try:
            manifest = generate_into(args.spec, gen_dir)
        except GenerationFailed as exc:
            print(f"generate: {args.spec}: not generated completely:\n{exc}", file=sys.stderr)
            return 1
        if args.out is None:
            install(gen_dir, PACKAGE)
            target = PACKAGE / GENERATED
        else:
            args.out.mkdir(parents=True, exist_ok=True)
            out_package = args.out / "modelgates_client"
            copy_overlay(out_package)
            install(gen_dir, out_package)
            (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            target = out_package / GENERATED
    print(f"generate: {len(manifest['operations'])} operations -> {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
