"""Endpoint views: what `endpoint_module.py.jinja` renders of each operation (its arguments from parameters and
body fields, its responses and their parse expressions, its event stream, its error branches, its Accept
header), and the operation's entry in the check tables."""

from __future__ import annotations

import builtins
import keyword
import re
from dataclasses import dataclass, field
from typing import Any

from ..common.document import Json, is_json_media, resolve
from ..common.names import snake_case
from ..specprep import OperationInfo
from . import oac
from .checks import CheckTable
from .context import Context
from .errors import error_branches
from .hints import arg_type, doc, model_imports, needs_parse, type_string
from .paging import page_view
from .parsers import UnionNames, parse_expr, plan_classes
from .views import ArgView, EndpointView, ResponseView

__all__ = ["Endpoints", "module_safe", "shape"]

#: Names an operation's function may not have in its module (they name what the module imports or defines).
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


def shape(method: str, path: str) -> str:
    """An operation's key that survives openapi-python-client renaming path parameters ({hash} -> {hash_})."""
    return method.upper() + " " + re.sub(r"\{[^}]*\}", "{}", path)


@dataclass
class _Body:
    """The arguments an operation's request body gives, and how the client writes them."""

    kind: str | None = None  # json_fields / multipart_fields (its fields are arguments), or the body kind
    fields: list[tuple[str, str]] = field(default_factory=list)  # (argument, wire name)
    alternatives: list[tuple[str, tuple[tuple[str, str], ...], tuple[str, ...]]] = field(default_factory=list)
    files: list[str] = field(default_factory=list)  # arguments that are files of a multipart form
    args: list[ArgView] = field(default_factory=list)


class Endpoints:
    """The endpoint views of one run, by operation key (`views`), as the templates render them."""

    def __init__(
        self,
        ctx: Context,
        infos: dict[str, OperationInfo],
        checks: CheckTable,
        call_options: list[str],
        class_models: dict[int, str | None],
    ) -> None:
        self.ctx = ctx
        self.infos = infos  # by shape()
        self.checks = checks  # its spec is the document as written: prose where we put it
        self.call_options = call_options
        self.class_models = class_models  # error status -> the model its error class parses a body into
        self.views: dict[str, EndpointView] = {}

    def info(self, endpoint: oac.Endpoint) -> OperationInfo:
        return self.infos[shape(oac.method(endpoint), oac.path(endpoint))]

    def spec_op(self, info: OperationInfo) -> tuple[Json, Json]:
        """The operation and its path item in the document as written."""
        item = self.checks.spec["paths"][info.path]
        return item[info.method.lower()], item

    def view(self, endpoint: oac.Endpoint) -> EndpointView:
        """What endpoint_module.py.jinja renders of one endpoint (also adding the operation to the check tables)."""
        info = self.info(endpoint)
        names = UnionNames(self.ctx, f"api.{info.group}.{oac.module(endpoint)}")
        used: set[str] = {"client", "options", *self.call_options}
        types: set[str] = set()
        spec_op, _item = self.spec_op(info)
        args, styles = self._parameters(endpoint, info, used, types)
        body = self._body(endpoint, info, spec_op, used, types)
        args += body.args
        args.sort(key=lambda a: not a.required)
        successes, errors, default = self._responses(endpoint, names, types)
        if not successes and info.stream_schema is None:
            successes.append(ResponseView("200", "empty", None, "None"))
        view = EndpointView(
            func=module_safe(info.name),
            callable=info.callable,
            method=info.method,
            path=info.path,
            summary=doc(oac.summary(endpoint)) or info.callable,
            doc=doc(oac.description(endpoint)) or doc(oac.summary(endpoint)) or f"{info.method} {info.path}",
            args=args,
            responses=successes,
            plans=names.plans,
            model_imports=[],
            type_imports=[],
            body_kind=body.kind,
            body_fields=repr(tuple(body.fields)),
            stream_flag=None,
            stream_only=info.stream_only,
            styles=styles,
            accept=self._accept(info),
            file_fields=tuple(body.files),
            bodies=tuple(body.alternatives) if len(body.alternatives) > 1 else None,
        )
        self.views[info.key] = view
        view.result_keys = _result_keys(self.ctx, successes)
        if info.paging is not None:
            page_view(self.ctx, view, info, types)
        if info.stream_schema is not None:
            self._stream(view, info, names, types)
        view.error_branches, view.error_fallback = error_branches(errors, default, self.class_models)
        self._imports(view, names, types)
        checked = dict(body.fields) if body.kind in oac.FIELD_BODIES.values() else ({"body": ""} if body.fields else {})
        self.checks.add_operation(*self.spec_op(info), info, checked)
        return view

    def _parameters(
        self, endpoint: oac.Endpoint, info: OperationInfo, used: set[str], types: set[str]
    ) -> tuple[list[ArgView], dict[str, str]]:
        """The arguments of the operation's parameters, and the styles of those not written the default way."""
        spec_op, spec_item = self.spec_op(info)
        # A parameter's own description (openapi-python-client keeps only its schema's).
        prose = {
            (p.get("in"), p.get("name")): p.get("description")
            for p in (
                resolve(self.checks.spec, x)
                for x in (spec_item.get("parameters") or []) + (spec_op.get("parameters") or [])
            )
        }
        args: list[ArgView] = []
        styles: dict[str, str] = {}
        for location, p in oac.parameters(endpoint):
            wire = oac.wire_name(p)
            python = _unique(_py_name(info.param_names.get((location, wire)) or oac.python_name(p)), used)
            style = info.param_styles.get((location, wire))
            if style is not None:
                styles[python] = style
            model_imports(self.ctx, p, types)
            described = prose.get((location, wire)) or oac.description(p)
            args.append(ArgView(python, wire, location, _annotation(self.ctx, p), oac.required(p), doc(described)))
        return args, styles

    def _body(
        self, endpoint: oac.Endpoint, info: OperationInfo, spec_op: Json, used: set[str], types: set[str]
    ) -> _Body:
        """The body's arguments: every field of an object body (the fields of several bodies, such as JSON and a
        form, shared by wire name), else one `body` argument."""
        bodies = oac.bodies(endpoint)
        if not bodies:
            return _Body()
        flat = [
            (kind, prop)
            for kind, prop in bodies
            if kind in oac.FIELD_BODIES and oac.is_model(prop) and self.ctx.props(prop)
        ]
        if len(flat) == len(bodies):
            return self._field_bodies(flat, info, spec_op, used, types)
        kind, prop = bodies[0]
        model_imports(self.ctx, prop, types)
        arg = ArgView("body", "", "body", _annotation(self.ctx, prop), oac.required(prop), doc(oac.description(prop)))
        return _Body(kind=kind, fields=[("body", "")], args=[arg])

    def _field_bodies(
        self, flat: list[tuple[str, Any]], info: OperationInfo, spec_op: Json, used: set[str], types: set[str]
    ) -> _Body:
        """Every body is an object: its properties become arguments (shared by wire name across bodies). A form's
        `name[]` (an array sent as repeated fields) is the JSON body's `name`. The JSON body is sent unless a file
        is given (then the form); an argument is required when every body requires it."""
        out = _Body()
        fields: dict[str, tuple[ArgView, Any]] = {}
        flat.sort(key=lambda b: oac.FIELD_BODIES[b[0]] != "json_fields")
        for body_type, prop in flat:
            kind = oac.FIELD_BODIES[body_type]
            names_in: list[tuple[str, str]] = []
            required_in: list[str] = []
            for p in self.ctx.ordered_props(self.ctx.model(prop)):
                wire = oac.wire_name(p)
                key = wire.removesuffix("[]")
                if key not in fields:
                    fields[key] = (self._field_arg(p, kind, wire, info, spec_op, used, types, out), p)
                names_in.append((fields[key][0].python_name, wire))
                if oac.required(p) and oac.required(prop):
                    required_in.append(fields[key][0].python_name)
            out.alternatives.append((kind, tuple(names_in), tuple(required_in)))
        out.kind = out.alternatives[0][0]
        for arg, p in fields.values():
            arg.required = all(arg.python_name in required for _, _, required in out.alternatives)
            if arg.python_name in out.files:
                arg.annotation = "Sequence[FileInput]" if oac.is_list(p) else "FileInput"
                arg.annotation += "" if arg.required else " | Unset"
            else:
                arg.annotation = _annotation(self.ctx, p, arg.required)
            out.args.append(arg)
        return out

    def _field_arg(
        self,
        p: Any,
        kind: str,
        wire: str,
        info: OperationInfo,
        spec_op: Json,
        used: set[str],
        types: set[str],
        out: _Body,
    ) -> ArgView:
        """The argument of a body field seen first (its annotation is set once every body is read)."""
        python = _unique(oac.python_name(p), used)
        model_imports(self.ctx, p, types)
        flag = info.stream_flag is not None and wire == info.stream_flag
        described = self._referenced_prose(spec_op, kind, wire) or oac.description(p)
        out.fields.append((python, wire))
        if kind == "multipart_fields" and _is_file(p):
            out.files.append(python)
        return ArgView(python, wire, "body", "", False, doc(described), is_stream_flag=flag)

    def _referenced_prose(self, spec_op: Json, kind: str, wire: str) -> str | None:
        """A body property's description beside its `$ref` (openapi-python-client keeps only the component's), else
        the description of the component it refers to."""
        spec = self.checks.spec  # the document `spec_op` comes from
        media = "application/json" if kind == "json_fields" else "multipart/form-data"
        content = resolve(spec, spec_op.get("requestBody") or {}).get("content") or {}
        schema = resolve(spec, (content.get(media) or {}).get("schema") or {})
        prop = (schema.get("properties") or {}).get(wire) if isinstance(schema, dict) else None
        if not isinstance(prop, dict):
            return None
        return prop.get("description") or resolve(spec, prop).get("description") or None

    def _responses(
        self, endpoint: oac.Endpoint, names: UnionNames, types: set[str]
    ) -> tuple[list[ResponseView], list[ResponseView], ResponseView | None]:
        """(successes, errors, default) of the endpoint. `default` describes every status the operation does not
        list: with no 2XX listed, that is success."""
        successes: list[ResponseView] = []
        errors: list[ResponseView] = []
        default: ResponseView | None = None
        for r in oac.responses(endpoint):
            view = self._response(r, names, types)
            if view.pattern == "default":
                default = view
            elif view.pattern[0] == "2":
                successes.append(view)
            elif view.pattern[0] in "45":
                errors.append(view)
        if default is not None and not successes:
            successes.append(default)
        return successes, errors, default

    def _response(self, r: Any, names: UnionNames, types: set[str]) -> ResponseView:
        pattern = oac.status(r)
        kind = oac.response_kind(r)
        prop = oac.body(r)
        parse = None
        text = "None" if kind == "empty" else ("bytes" if kind == "binary" else "Any")
        if kind == "json":
            model_imports(self.ctx, prop, types)
            text = type_string(self.ctx, prop)
            if needs_parse(self.ctx, prop):
                parse = parse_expr(prop, "data", names, "response" if pattern[0] == "2" else "error")
        elif kind == "text":
            text = "str"
        model = None
        if kind == "json" and oac.is_model(prop) and not self.ctx.is_json_object(prop):
            model = oac.class_name(prop)
        return ResponseView(pattern, kind, parse, text, model, prop)

    def stream_prop(self, info: OperationInfo) -> Any:
        """The `data` property of the operation's event envelope model: the type of one event."""
        for m in self.ctx.models.values():  # the envelope is a model of its own, never the free-form placeholder
            if oac.schema_name(m) == info.stream_envelope:
                return next((p for p in self.ctx.props(m) if oac.wire_name(p) == "data"), None)
        return None

    def _stream(self, view: EndpointView, info: OperationInfo, names: UnionNames, types: set[str]) -> None:
        """The chunk type (and its class, or its parse expression), sentinel and stream flag of a stream."""
        prop = self.stream_prop(info)
        if prop is None:
            return
        model_imports(self.ctx, prop, types)
        view.chunk_type = type_string(self.ctx, prop)
        if oac.is_model(prop) and not self.ctx.is_json_object(prop):
            view.chunk_class = oac.class_name(prop)
            view.chunk_module = self.ctx.module_of(view.chunk_class)
        else:
            view.chunk_parse = parse_expr(prop, "data", names, "chunk") if needs_parse(self.ctx, prop) else "data"
        view.sentinel = info.sentinel
        flag_arg = next((a for a in view.args if a.is_stream_flag), None)
        view.stream_flag = flag_arg.python_name if flag_arg else None

    def _imports(self, view: EndpointView, names: UnionNames, types: set[str]) -> None:
        """The models the module imports to parse answers, to parse errors, and for its annotations."""
        ctx = self.ctx
        plan_text = " ".join((p.list_expr or "") + (p.str_expr or "") for p in names.plans)
        plan_text += " ".join(f"{c}.from_dict" for p in names.plans for c in plan_classes(p))
        parse_text = " ".join((r.parse or "") for r in view.responses) + plan_text + " " + (view.chunk_parse or "")
        error_text = " ".join(b.expr for b in view.error_branches) + " " + (view.error_fallback or "") + plan_text
        models = sorted((ctx.module_of(c), c) for c in types if c in ctx.models)
        view.model_imports = [(m, c) for m, c in models if f"{c}." in parse_text]
        view.error_imports = [(m, c) for m, c in models if f"{c}." in error_text]
        view.type_imports = sorted((ctx.module_of(c), c) for c in types)

    def _accept(self, info: OperationInfo) -> str:
        """The Accept header of an operation: JSON when any success answer is JSON, else the answers' media types."""
        spec = self.ctx.spec
        op = spec["paths"][info.path][info.method.lower()]
        media: list[str] = []
        for status, response in (op.get("responses") or {}).items():
            if str(status).startswith("2") or (str(status) == "default" and info.stream_schema is None):
                for media_type in resolve(spec, response).get("content") or {}:
                    if media_type not in media:
                        media.append(media_type)
        # A typed method reads JSON when the operation offers it (other media stay for with_raw_response and
        # http_headers={"Accept": ...}); otherwise it asks for what the operation answers.
        if not media or any(is_json_media(m) for m in media):
            return "application/json"
        return ", ".join(media)


def _result_keys(ctx: Context, successes: list[ResponseView]) -> tuple[str, ...] | None:
    """When a success answer's object has an `error` property of its own (a failed job's record), the keys that
    object requires (other than `error`): a 2xx body carrying them is that object, not an error in place of one."""
    for r in successes:
        if r.kind != "json" or r.prop is None:
            continue
        for shape_ in oac.members(r.prop) or [r.prop]:
            if oac.is_model(shape_) and not ctx.is_json_object(shape_):
                props = ctx.props(shape_)
                if any(oac.wire_name(p) == "error" for p in props):
                    return tuple(
                        sorted(oac.wire_name(p) for p in props if oac.required(p) and oac.wire_name(p) != "error")
                    )
    return None


def module_safe(name: str) -> str:
    """An operation's function name in its module: `list` would hide the builtin from the module's annotations
    (`list[str]`), so it becomes `list_`; the group attribute keeps the plain name (`mg.models.list`)."""
    return name + "_" if hasattr(builtins, name) or name in _MODULE_NAMES else name


def _py_name(value: str) -> str:
    """An argument name: snake_case (`value` when it has no letter or digit), `n` before a leading digit, `_`
    after a keyword."""
    name = snake_case(value) or "value"
    if name[0].isdigit():
        name = "n" + name
    if keyword.iskeyword(name):
        name += "_"
    return name


def _unique(name: str, used: set[str]) -> str:
    base, n = name, 2
    while name in used:
        name = f"{base}_{n}" if n > 2 else f"{base}_"
        n += 1
    used.add(name)
    return name


def _is_file(p: Any) -> bool:
    """Whether a multipart property is a file part (binary), or a list of them."""
    return oac.is_file(p) or (oac.is_list(p) and oac.is_file(oac.item(p)))


def _annotation(ctx: Context, p: Any, required: bool | None = None) -> str:
    """An argument's annotation: `| Unset` when it may be left out (its property's, or its body's, optionality)."""
    base = arg_type(ctx, p)
    return base if (oac.required(p) if required is None else required) else base + " | Unset"
