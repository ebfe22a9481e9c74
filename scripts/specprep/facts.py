"""SDK facts: what the generator knows of each operation beyond what openapi-python-client parses, read from the
spec during preparation: its group and method name, its parameters' Python names and how each is written, how
its answers page, and whether (and how) it answers with an event stream; and the discriminators the unions of
the document declare (openapi-python-client drops them)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..common.document import (
    Json,
    RefError,
    is_json_media,
    operations,
    resolve,
    resolve_or_empty,
    type_list,
    walk_schemas,
)
from ..common.names import pascal_case, snake_case

EVENT_STREAM = "text/event-stream"


@dataclass
class OperationInfo:
    """What the generator knows of one operation beyond what openapi-python-client parses."""

    method: str  # upper case
    path: str
    operation_id: str
    group: str
    name: str
    stream_flag: str | None = None  # request field that switches the response to an event stream
    stream_schema: Any = None  # schema of one event's data, or None
    stream_envelope: str | None = None  # component whose `data` property is one event's data
    stream_only: bool = False  # the success response is only an event stream
    sentinel: str | None = None
    param_names: dict[tuple[str, str], str] = field(default_factory=dict)  # (in, name) -> python name
    param_styles: dict[tuple[str, str], str] = field(default_factory=dict)  # (in, name) -> how a value is written
    unsupported: list[str] = field(default_factory=list)  # parameters that cannot be sent as the spec says
    binary_statuses: list[str] = field(default_factory=list)
    paging: Paging | None = None  # how the operation's answers page, when the spec marks it

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def callable(self) -> str:
        return f"{self.group}.{self.name}"


@dataclass
class Paging:
    """How a list operation pages (from the spec's `x-modelgates-pagination`, or the published documents'
    `x-speakeasy-pagination`). Parameters are wire names; results, cursor and total are key paths in the page."""

    kind: str  # "offsetLimit" or "cursor"
    results: list[str]  # where the page's items are, e.g. ["data"]
    offset: str | None = None  # offsetLimit: the parameter that skips items
    limit: str | None = None  # offsetLimit: the parameter that caps a page (optional)
    cursor: str | None = None  # cursor: the parameter that takes the next cursor
    next_cursor: list[str] | None = None  # cursor: where the next page's cursor is
    total: list[str] | None = None  # offsetLimit: an integer the page reports as the number of items in all
    limit_default: int | None = None  # the server's page size when no limit is sent (the parameter's default)
    offset_max: int | None = None  # the largest offset the parameter accepts


def sdk_name(value: str) -> str:
    """A name of the spec as a Python name of the SDK (a group, a method, an argument): snake_case, `default` when
    it has no letter or digit, `op_` before a leading digit."""
    name = snake_case(value) or "default"
    return "op_" + name if name[0].isdigit() else name


def assign_names(spec: Json) -> dict[str, OperationInfo]:
    """Each operation gets a group (x-modelgates-group, else its first tag) and a method name (x-modelgates-method,
    else its operationId in snake_case, else method + path). The prepared document carries them as the
    operation's only tag and its operationId, which is how openapi-python-client names modules."""
    infos: dict[str, OperationInfo] = {}
    used: dict[str, set[str]] = {}
    for method, path, op, _item in operations(spec):
        tags = op.get("tags") or []
        group = sdk_name(op.get("x-modelgates-group") or (tags[0] if tags else "default"))
        name = op.get("x-modelgates-method") or sdk_name(op.get("operationId") or f"{method}_{path}")
        name = sdk_name(name)
        taken = used.setdefault(group, set())
        base, n = name, 2
        while name in taken:
            name = f"{base}_{n}"
            n += 1
        taken.add(name)
        info = OperationInfo(method.upper(), path, op.get("operationId") or name, group, name)
        infos[info.key] = info
        op["tags"] = [group]
        op["operationId"] = name
    return infos


def record_param_names(spec: Json, infos: dict[str, OperationInfo]) -> None:
    """Parameters keep their wire names; `x-modelgates-python-name` chooses the argument name, else snake case."""
    for method, path, op, item in operations(spec):
        info = infos[f"{method.upper()} {path}"]
        params = [resolve(spec, p) for p in (item.get("parameters") or []) + (op.get("parameters") or [])]
        for p in params:
            python = p.get("x-modelgates-python-name") or sdk_name(p["name"])
            info.param_names[(p["in"], p["name"])] = python


#: How the client writes a parameter value other than the default way of its location (see _params.py):
#: "json" (a `content:` parameter: the value as JSON text), "deepObject" (query `name[key]=value`),
#: "form-flat" (query, explode: false: `name=a,b` / `name=k,v`).
PARAM_STYLES = ("json", "deepObject", "form-flat")


DEFAULT_STYLE = {"query": "form", "path": "simple", "header": "simple", "cookie": "form"}


def parameter_encodings(spec: Json, infos: dict[str, OperationInfo]) -> None:
    """Parameters the generator would drop or the client would write wrongly are made explicit.

    A `content:` parameter (its value serialized as a media type, usually JSON) gets that media type's schema as
    its `schema` and is recorded as style "json"; a query parameter with `style: deepObject` or `explode: false`
    is recorded with that style. Any other style the client cannot write (matrix, label, space- or
    pipe-delimited, an exploded header, an object or array in a cookie) is recorded as unsupported, and
    generation fails naming it instead of sending something else.
    """
    for method, path, op, item in operations(spec):
        info = infos[f"{method.upper()} {path}"]
        for p in [resolve(spec, x) for x in (item.get("parameters") or []) + (op.get("parameters") or [])]:
            where, key = p.get("in"), (p.get("in"), p.get("name"))
            label = f"{info.key}: {where} parameter {p.get('name')!r}"
            if "schema" not in p and isinstance(p.get("content"), dict) and p["content"]:
                media_type, media = next(iter(p["content"].items()))
                p["schema"] = (media or {}).get("schema") or {}
                del p["content"]
                info.param_styles[key] = "json"
                if not is_json_media(media_type):
                    info.unsupported.append(f"{label}: content type {media_type} (only JSON can be written)")
                continue
            style = p.get("style", DEFAULT_STYLE.get(where))
            explode = p.get("explode", style == "form")
            try:
                types = set(type_list(resolve(spec, p.get("schema") or {})))
            except RefError:  # a broken $ref: the generator reports it, naming the operation
                types = set()
            if where == "query" and style == "deepObject":
                info.param_styles[key] = "deepObject"
            elif where == "query" and style == "form" and not explode:
                info.param_styles[key] = "form-flat"
            elif style != DEFAULT_STYLE.get(where) or (where in ("path", "header") and explode):
                info.unsupported.append(f"{label}: style {style!r} with explode {explode} cannot be written")
            elif where == "cookie" and types & {"object", "array"}:
                info.unsupported.append(f"{label}: an object or array in a cookie cannot be written")


#: Integer properties of a page that hold the number of items in all pages (a page reporting one ends exactly there).
TOTAL_KEYS = ("total_count", "total")


def _key_path(value: Any) -> list[str] | None:
    """`$.data` or `$.meta.next` -> ["data"] / ["meta", "next"]; None for anything else."""
    if not isinstance(value, str) or not re.fullmatch(r"\$(\.[A-Za-z_][A-Za-z0-9_-]*)+", value):
        return None
    return value.split(".")[1:]


def record_pagination(spec: Json, infos: dict[str, OperationInfo]) -> None:
    """List operations the spec marks as paged get a Paging (the client then returns a page that fetches the next
    ones). A mark the client cannot follow (another kind, inputs not in the query, an output that is not a plain
    key path, a parameter the operation does not have) is recorded as unsupported: generation fails naming it."""
    for method, path, op, item in operations(spec):
        mark = op.get("x-modelgates-pagination") or op.get("x-speakeasy-pagination")
        if not isinstance(mark, dict):
            continue
        info = infos[f"{method.upper()} {path}"]
        label = f"{info.key}: pagination"
        kind = mark.get("type")
        outputs = mark.get("outputs") or {}
        results = _key_path(outputs.get("results"))
        params = {
            p.get("name"): p
            for p in [resolve(spec, x) for x in (item.get("parameters") or []) + (op.get("parameters") or [])]
            if p.get("in") == "query"
        }
        roles: dict[str, str] = {}
        for entry in mark.get("inputs") or []:
            name = entry.get("name") if isinstance(entry, dict) else None
            if entry.get("in") != "parameters" or name not in params:
                info.unsupported.append(f"{label}: input {entry!r} is not a query parameter of the operation")
                continue
            roles[str(entry.get("type"))] = str(name)
        if kind not in ("offsetLimit", "cursor") or results is None:
            info.unsupported.append(
                f"{label}: type {kind!r} with results {outputs.get('results')!r} cannot be followed"
            )
            continue
        paging = Paging(kind=kind, results=results)
        if kind == "offsetLimit":
            if "offset" not in roles:
                info.unsupported.append(f"{label}: offsetLimit without an offset parameter")
                continue
            paging.offset, paging.limit = roles["offset"], roles.get("limit")
            offset_schema = resolve(spec, params[paging.offset].get("schema") or {})
            paging.offset_max = _int_or_none(offset_schema.get("maximum"))
            if paging.limit is not None:
                paging.limit_default = _int_or_none(
                    resolve(spec, params[paging.limit].get("schema") or {}).get("default")
                )
            paging.total = _total_key(spec, op)
        else:
            paging.cursor, paging.next_cursor = roles.get("cursor"), _key_path(outputs.get("nextCursor"))
            if paging.cursor is None or paging.next_cursor is None:
                info.unsupported.append(f"{label}: cursor paging needs a cursor parameter and a nextCursor key path")
                continue
        info.paging = paging


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _total_key(spec: Json, op: Json) -> list[str] | None:
    """The integer property every shape of the 200 answer requires that counts all items (TOTAL_KEYS), if any."""
    response = resolve(spec, (op.get("responses") or {}).get("200") or {})
    shapes: list[Any] = []
    for media_type, media in (response.get("content") or {}).items():
        if is_json_media(media_type):
            schema = resolve_or_empty(spec, (media or {}).get("schema") or {})
            members = schema.get("oneOf") or schema.get("anyOf")
            shapes.extend(resolve_or_empty(spec, m) for m in members) if members else shapes.append(schema)
    for key in TOTAL_KEYS:
        if shapes and all(
            key in (s.get("required") or [])
            and "integer" in type_list(resolve_or_empty(spec, (s.get("properties") or {}).get(key) or {}))
            for s in shapes
        ):
            return [key]
    return None


def strip_event_streams(spec: Json, infos: dict[str, OperationInfo]) -> None:
    """`text/event-stream` media types are taken out of responses and recorded on the operation.

    The event's data schema is the media type's schema, or the schema of its `data` property when the schema is
    an event envelope (an object with a `data` property).
    """
    for method, path, op, _item in operations(spec):
        info = infos[f"{method.upper()} {path}"]
        for status, response in (op.get("responses") or {}).items():
            response = resolve(spec, response)
            content = response.get("content") or {}
            if EVENT_STREAM not in content:
                continue
            media = content.pop(EVENT_STREAM)
            if not str(status).startswith("2"):
                continue
            stream_only = not content
            flag = op.get("x-modelgates-stream-flag") or op.get("x-speakeasy-stream-request-field")
            if flag is None and not stream_only:
                flag = _boolean_body_field(spec, op, "stream")
            if flag is None and not stream_only:
                # An event stream beside JSON that no request field asks for cannot be requested: the call is
                # plain JSON (not a stream that every call would expect).
                continue
            schema = media.get("schema") or {}
            target = resolve(spec, schema)
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            if "$ref" in schema and isinstance(target, dict) and "data" in (target.get("properties") or {}):
                info.stream_envelope = schema["$ref"].rsplit("/", 1)[-1]
                schema = target["properties"]["data"]
            else:
                name, n = pascal_case(op["operationId"]) + "StreamEvent", 2
                while name in schemas:
                    name, n = f"{pascal_case(op['operationId'])}StreamEvent{n}", n + 1
                schemas[name] = {"type": "object", "properties": {"data": schema}, "required": ["data"]}
                info.stream_envelope = name
            info.stream_schema = schema
            info.sentinel = media.get("x-modelgates-sse-sentinel") or media.get("x-speakeasy-sse-sentinel") or "[DONE]"
            info.stream_only = stream_only
            info.stream_flag = None if stream_only else flag


def _boolean_body_field(spec: Json, op: Json, name: str) -> str | None:
    body = resolve(spec, op.get("requestBody") or {})
    schema = resolve(spec, ((body.get("content") or {}).get("application/json") or {}).get("schema") or {})
    prop = resolve(spec, (schema.get("properties") or {}).get(name) or {})
    return name if "boolean" in type_list(prop) else None


def declared_discriminators(spec: Json) -> dict[frozenset[str], Json]:
    """Every declared discriminator, by the set of its union's member $refs (after hoisting, all are $refs)."""
    found: dict[frozenset[str], Json] = {}

    def visit(s: Json) -> None:
        disc = s.get("discriminator")
        members = s.get("oneOf") or s.get("anyOf")
        if isinstance(disc, dict) and isinstance(members, list):
            refs = frozenset(str(m["$ref"]) for m in members if isinstance(m, dict) and "$ref" in m)
            found.setdefault(refs, disc)

    walk_schemas(spec, visit)
    return found
