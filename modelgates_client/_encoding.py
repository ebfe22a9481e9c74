"""Request encoding: the caller's arguments of one call become its URL, query, headers and body.

One pass over the operation's arguments: each argument given is converted to JSON data and checked against the
spec once (`_json.to_json`, `_validation.check_argument`), then placed by its location through `_PLACE` — path,
query, header, cookie, a JSON body field, a form field, a file part, or a whole body. Then the body is written as its
kind says (JSON, a form, a multipart form, raw bytes), and the call's options are laid over the headers.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ._forms import add_file, form_value
from ._json import to_json
from ._params import cookie_header, path_segment, query_pairs, simple
from ._types import UNSET, File
from ._validation import check_argument

if TYPE_CHECKING:
    from ._call import Call
    from ._operation import Operation
    from ._tables import Tables

__all__ = ["encode"]


class _Request:
    """What the pass collects before the request is written."""

    __slots__ = ("call", "path", "params", "headers", "cookies", "body", "form", "files")

    def __init__(self, call: Call, headers: dict[str, str]) -> None:
        self.call = call
        self.path = call.op.path
        self.params: list[tuple[str, Any]] = []
        self.headers = headers
        self.cookies: list[tuple[str, str]] = []
        self.body: Any = UNSET  # the JSON body: fields collected into a dict, or a whole body
        self.form: dict[str, Any] = {}
        self.files: list[tuple[str, Any]] = []


def _path(r: _Request, wire: str, value: Any, style: str | None) -> None:
    r.path = r.path.replace("{" + wire + "}", path_segment(value, style))


def _query(r: _Request, wire: str, value: Any, style: str | None) -> None:
    r.params.extend(query_pairs(wire, value, style))


def _header(r: _Request, wire: str, value: Any, style: str | None) -> None:
    r.headers[wire] = simple(value, style)


def _cookie(r: _Request, wire: str, value: Any, style: str | None) -> None:
    r.cookies.append((wire, simple(value, style)))


def _field(r: _Request, wire: str, value: Any, style: str | None) -> None:
    if r.body is UNSET:
        r.body = {}
    r.body[wire] = value


def _json_body(r: _Request, wire: str, value: Any, style: str | None) -> None:
    r.body = value


def _form_field(r: _Request, wire: str, value: Any, style: str | None) -> None:
    text = form_value(value)
    if text is not None:
        r.form[wire] = text


def _form_body(r: _Request, wire: str, value: Any, style: str | None) -> None:
    fields = value.to_dict() if hasattr(value, "to_dict") else value
    if not isinstance(fields, Mapping):
        raise TypeError(f"{r.call.op.name}(body): expected a mapping of form fields, got {type(value).__name__}")
    for key, item in fields.items():
        if isinstance(item, File | bytes | bytearray | os.PathLike):
            r.files.append((key, add_file(r.call, item, f"{r.call.op.name}(body).{key}", key)))
        else:
            _form_field(r, key, to_json(item, f"{r.call.op.name}(body).{key}"), None)


def _file(r: _Request, wire: str, value: Any, style: str | None) -> None:
    label = f"{r.call.op.name}({wire})"
    for item in value if isinstance(value, list | tuple) else (value,):
        r.files.append((wire, add_file(r.call, item, label, wire)))


def _content(r: _Request, wire: str, value: Any, style: str | None) -> None:
    if isinstance(value, File):
        value = value.payload
    if isinstance(value, str):
        value = value.encode()
    if not isinstance(value, bytes | bytearray):
        raise TypeError(f"{r.call.op.name}(body): expected bytes or a File, got {type(value).__name__}")
    r.body = bytes(value)


Placer = Callable[[_Request, str, Any, "str | None"], None]
#: Where each kind of argument goes (the kinds `Operation.placements` assigns); whether its value is JSON data
#: (converted and checked first) or taken as it is (files, raw bytes, a whole form); whether None leaves it out
#: before anything else (headers and cookies have no null).
_PLACE: dict[str, tuple[Placer, bool, bool]] = {
    "path": (_path, True, False),
    "query": (_query, True, False),
    "header": (_header, True, True),
    "cookie": (_cookie, True, True),
    "field": (_field, True, False),
    "json": (_json_body, True, False),
    "form": (_form_field, True, False),
    "file": (_file, False, False),
    "form_body": (_form_body, False, False),
    "content": (_content, False, False),
}


def encode(call: Call, args: dict[str, Any], headers: dict[str, str], tables: Tables) -> None:
    """Fill `call` (URL, query, headers, body) from the caller's `args`; `headers` are the client's (a copy, with
    the Authorization header when the call sends one). TypeError/ValueError naming the argument for a bad one."""
    op = call.op
    kind, _fields = op.body_of(args)
    r = _Request(call, headers)
    styles = op.param_styles
    for python, wire, where in op.placements(kind):
        value = args.get(python, UNSET)
        if value is UNSET:
            continue
        place, is_json, skip_none = _PLACE[where]
        if value is None and skip_none:
            continue
        if is_json:
            label = f"{op.name}({python})"
            value = to_json(value, label)
            check_argument(tables, op.name, python, value, label)
        place(r, wire, value, styles.get(python))
    call.url += r.path
    if op.query_params or call.extra_query is not None:
        call.params = _with_extra_query(r.params, call.extra_query, op.name)
    if r.cookies:
        headers["Cookie"] = cookie_header(r.cookies)
    _write_body(call, r, kind)
    call.stream = op.streams(args)
    call.lazy = call.stream or op.binary
    headers["Accept"] = "text/event-stream" if call.stream else op.accept
    for name, value in call.header_options or ():
        _set_header(headers, name, value)
    call.headers = headers


def _write_body(call: Call, r: _Request, kind: str | None) -> None:
    """The body of the request as its kind says, with the `extra_body` option merged into a JSON object or form."""
    name = call.op.name
    extra = call.extra_body
    if kind in ("json_fields", "json"):
        body = {} if r.body is UNSET and kind == "json_fields" else r.body  # an object of fields is always sent
        if extra is not None:
            if body is UNSET:
                body = {}
            if body.__class__ is not dict:
                raise TypeError(f"{name}(extra_body): the body of this call is not a JSON object")
            body = {**body, **to_json(dict(extra), f"{name}(extra_body)")}
        if body is not UNSET:
            call.content = _dumps(body, call.op, kind, extra)
            r.headers["Content-Type"] = "application/json"
        return
    if kind in ("multipart_fields", "files", "data") and extra is not None:
        for key, value in to_json(dict(extra), f"{name}(extra_body)").items():
            _form_field(r, key, value, None)
    elif extra is not None:
        raise TypeError(f"{name}(extra_body): {name}() sends no JSON body")
    if kind == "content" and r.body is not UNSET:
        call.content = r.body
        r.headers["Content-Type"] = "application/octet-stream"
    elif kind in ("multipart_fields", "files", "data"):
        call.data = r.form
        call.files = r.files if kind != "data" else None


def _with_extra_query(
    params: list[tuple[str, Any]], extra: Mapping[str, Any] | None, name: str
) -> list[tuple[str, Any]]:
    """`params` with the `extra_query` option merged in: each of its keys replaces the parameter of that name."""
    if extra is None:
        return params
    params = [p for p in params if p[0] not in extra]
    for key, value in extra.items():
        value = to_json(value, f"{name}(extra_query).{key}")
        if value.__class__ is dict or (value.__class__ is list and any(v.__class__ in (dict, list) for v in value)):
            raise TypeError(f"{name}(extra_query).{key}: a query parameter is a value or a list of values")
        params.extend(query_pairs(key, value))
    return params


def _set_header(headers: dict[str, str], name: str, value: str) -> None:
    """Set a header, replacing any header of the same name whatever its case."""
    lower = name.lower()
    for existing in [k for k in headers if k.lower() == lower]:
        del headers[existing]
    headers[name] = value


def _dumps(body: Any, op: Operation, kind: str, extra: Mapping[str, Any] | None) -> bytes:
    """`body` as compact JSON bytes; a NaN or an infinity raises ValueError naming the argument it is in."""
    try:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except ValueError:
        pass
    if kind == "json":
        found: dict[str, Any] = {f"{op.name}(body)": body}
    else:
        found = {f"{op.name}({python})": body.get(wire) for python, wire in op.body_fields}
    if extra is not None:
        found[f"{op.name}(extra_body)"] = dict(extra)
    raise ValueError(_non_finite(found)) from None


def _non_finite(values: dict[str, Any]) -> str:
    """The message for a NaN or infinity found in `values` (label -> JSON data), naming where it is."""
    todo = list(values.items())
    while todo:
        path, value = todo.pop(0)
        if value.__class__ is float and not math.isfinite(value):
            return f"{path}: {value!r} is not a JSON number (NaN and infinities cannot be sent)"
        if value.__class__ is dict:
            todo[:0] = [(f"{path}.{k}", v) for k, v in value.items()]
        elif value.__class__ is list:
            todo[:0] = [(f"{path}[{i}]", v) for i, v in enumerate(value)]
    return "NaN and infinities cannot be sent as JSON"
