"""Every operation of the spec, one test each, made from the spec (a new operation gets its test by regenerating):
the client is called with example arguments for the operation's parameters and body (testing.Examples), over real
HTTP on loopback (pytest-httpserver); the test checks the request the server received (method, path, query,
headers, JSON body or multipart parts) and the typed result made from a schema-valid answer, sync and async."""

from __future__ import annotations

import asyncio
import importlib
import json
import pkgutil
import re
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

import modelgates_client
from modelgates_client import ModelGates, models
from modelgates_client._generated import api
from modelgates_client._operation import Operation
from modelgates_client.testing import ModelGatesServer
from modelgates_client.testing._examples import Examples

from ..conftest import NO_RETRIES

SPEC_PATH = Path(__file__).resolve().parents[2] / "openapi" / "modelgates.yaml"
BASE = "/api/v1"


@cache
def spec() -> dict[str, Any]:
    return dict(yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8")))


@cache
def operations() -> list[tuple[str, types.ModuleType]]:
    """(group.method, endpoint module) of every generated operation."""
    found = []
    for group in pkgutil.iter_modules(api.__path__):
        package = importlib.import_module(f"{api.__name__}.{group.name}")
        for module in pkgutil.iter_modules(package.__path__):
            endpoint = importlib.import_module(f"{package.__name__}.{module.name}")
            found.append((endpoint.OPERATION.name, endpoint))
    return sorted(found, key=lambda f: f[0])


@dataclass
class Case:
    """One call of an operation and what the server must receive."""

    kwargs: dict[str, Any] = field(default_factory=dict)
    path: str = ""
    query: dict[str, list[str]] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    json_body: Any = None
    form: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)


def _spec_op(op: Operation) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    item = spec()["paths"][op.path]
    ex = Examples(spec())
    params = [ex.resolve(p) for p in (item.get("parameters") or []) + (item[op.method.lower()].get("parameters") or [])]
    return item[op.method.lower()], params


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def build_case(op: Operation) -> Case:
    """Example arguments: every parameter, the body's required fields; and the request they make."""
    ex = Examples(spec())
    spec_op, params = _spec_op(op)
    by_wire = {(p["in"], p["name"]): p for p in params}
    case = Case(path=op.path)
    for location, pairs in (("path", op.path_params), ("query", op.query_params), ("header", op.header_params)):
        for python, wire in pairs:
            p = by_wire[(location, wire)]
            value = p["example"] if p.get("example") is not None else ex.value(p.get("schema") or {}, name=wire)
            if value is None or isinstance(value, dict | list) and location != "query":
                if not p.get("required"):
                    continue
            if location == "query" and (isinstance(value, dict) or value is None or python in op.param_styles):
                if p.get("required"):
                    case.kwargs[python] = value
                continue  # deepObject, JSON and other styles have their own tests (test_parameters)
            case.kwargs[python] = value
            if location == "path":
                case.path = case.path.replace("{" + wire + "}", quote(_text(value), safe=""))
            elif location == "query":
                values = value if isinstance(value, list) else [value]
                case.query[wire] = [_text(v) for v in values]
            else:
                case.headers[wire] = _text(value)
    kind, fields = op.body_kind, op.body_fields
    if op.bodies is not None:  # several bodies: the first (JSON)
        kind, fields = op.bodies[0][0], op.bodies[0][1]
    content = (spec_op.get("requestBody") or {}).get("content") or {}
    if kind == "json_fields":
        schema = ex.resolve(content["application/json"]["schema"])
        body = ex.value(schema)
        case.json_body = {}
        for python, wire in fields:
            if wire in body:
                case.kwargs[python] = body[wire]
                case.json_body[wire] = body[wire]
    elif kind == "multipart_fields":
        schema = ex.resolve(content["multipart/form-data"]["schema"])
        required = schema.get("required") or []
        for python, wire in fields:
            if wire not in required:
                continue
            if python in op.file_fields:
                case.kwargs[python] = f"{op.name} bytes".encode()
                case.files[wire] = case.kwargs[python]
            else:
                value = ex.value(schema["properties"][wire], name=wire)
                case.kwargs[python] = value
                case.form[wire] = [_text(value)]
    elif kind == "json":
        value = ex.value(content["application/json"]["schema"])
        case.kwargs["body"] = value
        case.json_body = value
    else:
        assert kind is None, f"{op.name}: body kind {kind} has no case yet"
    return case


def success(op: Operation) -> tuple[int, str, Any]:
    """The first success answer of the operation: status, media type, a schema-valid body (JSON data or bytes)."""
    spec_op, _ = _spec_op(op)
    ex = Examples(spec())
    for status, response in (spec_op.get("responses") or {}).items():
        if not str(status).startswith("2"):
            continue
        response = ex.resolve(response)
        for media_type, media in (response.get("content") or {}).items():
            if "event-stream" in media_type:
                continue
            if "json" in media_type:
                return int(status), media_type, ex.value((media or {}).get("schema") or {}, full=True)
            return int(status), media_type, b"\x00\x01binary"
        return int(status), "", None
    raise AssertionError(f"{op.name}: no success answer")


class _Names(dict[str, Any]):
    """Names in the generated return annotations: the models (lazily), the overlay's result types, builtins."""

    def __missing__(self, key: str) -> Any:
        value = getattr(models, key, None) or getattr(modelgates_client, key, None)
        if value is None:
            raise KeyError(key)
        return value


def expected_type(module: types.ModuleType, func: str) -> Any:
    """The declared return type of a generated function (the non-stream part for a streaming operation)."""
    annotation = module.__dict__[func].__annotations__["return"]
    names = _Names(Any=Any, dict=dict, list=list, str=str, bytes=bytes, None_=None)
    value = eval(annotation, {"__builtins__": {}, "None": None}, names)  # noqa: S307 (our own annotations)
    args = [
        a
        for a in typing.get_args(value)
        if typing.get_origin(a) not in (modelgates_client.Stream, modelgates_client.AsyncStream)
    ]
    if isinstance(value, types.UnionType) or typing.get_origin(value) is typing.Union:
        return args[0] if len(args) == 1 else typing.Union[tuple(args)]  # noqa: UP007
    return value


def check_result(op: Operation, result: Any, declared: Any, body: Any, asynchronous: bool) -> None:
    origin = typing.get_origin(declared)
    if origin in (modelgates_client.Page, modelgates_client.AsyncPage):
        assert type(result) is (modelgates_client.AsyncPage if asynchronous else modelgates_client.Page)
        item_type, _ = typing.get_args(declared)
        items = result.data
        allowed = typing.get_args(item_type) or (item_type,)
        assert items and all(type(i) in allowed for i in items), f"{op.name}: items {items!r}"
        return
    if declared in (modelgates_client.BinaryResponse, modelgates_client.AsyncBinaryResponse):
        assert type(result) is (
            modelgates_client.AsyncBinaryResponse if asynchronous else modelgates_client.BinaryResponse
        )
        return
    if declared is None or declared is type(None):
        assert result is None
        return
    allowed = typing.get_args(declared) or (declared,)
    allowed = tuple(typing.get_origin(a) or a for a in allowed)
    assert type(result) in allowed, f"{op.name}: got {type(result).__name__}, declared {declared}"
    if hasattr(result, "to_dict") and body is not None:
        assert _same_instants(result.to_dict()) == _same_instants(body)


def _same_instants(value: Any) -> Any:
    """JSON with UTC date-times written one way (`Z` is `+00:00`: models write parsed date-times back in ISO form)."""
    if isinstance(value, dict):
        return {k: _same_instants(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_same_instants(v) for v in value]
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+Z", value):
        return value[:-1] + "+00:00"
    return value


def serve(server: HTTPServer, op: Operation) -> tuple[list[Request], Any]:
    status, media_type, body = success(op)
    seen: list[Request] = []

    def handler(request: Request) -> Response:
        request.get_data()  # read the body while the request is open
        seen.append(request)
        if body is None:
            return Response(status=status)
        if isinstance(body, bytes):
            return Response(body, status=status, content_type=media_type)
        return Response(json.dumps(body), status=status, content_type="application/json")

    server.expect_request(re.compile(".*")).respond_with_handler(handler)
    return seen, body


def call(mode: str, mg: ModelGates, group: str, func: str, kwargs: dict[str, Any]) -> Any:
    if mode == "sync":
        result = getattr(getattr(mg, group), func)(**kwargs)
        if isinstance(result, modelgates_client.BinaryResponse):
            result.read()
        return result

    async def run() -> Any:
        async with mg:
            result = await getattr(getattr(mg, group), func + "_async")(**kwargs)
            if isinstance(result, modelgates_client.AsyncBinaryResponse):
                await result.read()
            return result

    return asyncio.run(run())


@pytest.mark.parametrize("name", [name for name, _ in operations()])
def test_operation_sends_its_request_and_returns_its_typed_result(name: str, httpserver: HTTPServer, mode: str) -> None:
    module = dict(operations())[name]
    op: Operation = module.OPERATION
    group, method = name.split(".")
    func = next(f for f in module.__all__ if f not in ("OPERATION", "asyncio", "sync") and not f.endswith("_async"))
    case = build_case(op)
    seen, body = serve(httpserver, op)
    mg = ModelGates(api_key="sk-test", server_url=httpserver.url_for(BASE), retry_config=NO_RETRIES)
    result = call(mode, mg, group, method, case.kwargs)
    assert len(seen) == 1
    request = seen[0]
    assert request.method == op.method
    assert request.environ["RAW_URI"].split("?")[0] == BASE + case.path
    assert {k: request.args.getlist(k) for k in request.args} == case.query
    for header, value in case.headers.items():
        assert request.headers.get(header) == value
    assert request.headers["Authorization"] == "Bearer sk-test"
    if case.json_body is not None:
        assert request.mimetype == "application/json"
        assert json.loads(request.get_data()) == case.json_body
    elif case.files or case.form:
        assert request.mimetype == "multipart/form-data"
        assert {k: f.read() for k, f in request.files.items()} == case.files
        assert {k: request.form.getlist(k) for k in request.form} == case.form
    else:
        assert request.get_data() == b""
    check_result(op, result, expected_type(module, func + ("_async" if mode == "async" else "")), body, mode == "async")


def test_every_operation_of_the_spec_has_a_case() -> None:
    in_spec = {
        f"{m.upper()} {p}"
        for p, item in spec()["paths"].items()
        for m in item
        if m in ("get", "post", "put", "patch", "delete")
    }
    generated = {f"{module.OPERATION.method} {module.OPERATION.path}" for _, module in operations()}
    assert generated == in_spec
    assert len(generated) == 97


# ---------------------------------------------------------------- the same calls against the local server


@pytest.fixture
def local() -> Iterator[ModelGatesServer]:
    with ModelGatesServer() as server:
        yield server


@pytest.mark.parametrize("name", [name for name, _ in operations()])
def test_operation_against_the_local_server_returns_its_typed_result(
    name: str, local: ModelGatesServer, mode: str
) -> None:
    """The local server answers every operation the way the spec says: the typed result the method declares."""
    module = dict(operations())[name]
    op: Operation = module.OPERATION
    group, method = name.split(".")
    func = next(f for f in module.__all__ if f not in ("OPERATION", "asyncio", "sync") and not f.endswith("_async"))
    case = build_case(op)
    mg = local.client()
    result = call(mode, mg, group, method, case.kwargs)
    request = local.requests[-1]
    assert (request.method, request.path) == (op.method, BASE + case.path)
    declared = expected_type(module, func + ("_async" if mode == "async" else ""))
    check_result(op, result, declared, None, mode == "async")


# ---------------------------------------------------------------- event streams


def stream_operations() -> list[str]:
    return [name for name, module in operations() if module.OPERATION.chunk_parser is not None]


def event_schema(op: Operation) -> Any:
    """The schema of one event's data (the `data` property of the operation's event envelope)."""
    spec_op, _ = _spec_op(op)
    ex = Examples(spec())
    for response in (spec_op.get("responses") or {}).values():
        for media_type, media in (ex.resolve(response).get("content") or {}).items():
            if "event-stream" in media_type:
                return ex.resolve(media["schema"])["properties"]["data"]
    raise AssertionError(f"{op.name}: no event stream")


def events_of(op: Operation) -> list[dict[str, Any]]:
    """One event per member of the event union (one event when it is not a union), but error events: an event
    holding an `error` object raises (test_event_stream_error_in_band_raises_its_typed_error)."""
    ex = Examples(spec())
    schema = event_schema(op)
    count = max(1, len(ex.members(schema)))
    events = [ex.value(schema, member=i if count > 1 else None, seed=str(i)) for i in range(count)]
    return [e for e in events if not isinstance(e.get("error"), dict)]


def sse_body(events: list[dict[str, Any]], sentinel: str | None) -> str:
    """As the API sends them: a comment line first, `event:` names where the payload has a `type`."""
    out = [": MODELGATES PROCESSING\n\n"]
    for event in events:
        name = f"event: {event['type']}\n" if isinstance(event.get("type"), str) else ""
        out.append(f"{name}data: {json.dumps(event)}\n\n")
    if sentinel is not None:
        out.append(f"data: {sentinel}\n\n")
    return "".join(out)


def stream_call(mode: str, server: HTTPServer, name: str) -> list[Any]:
    group, method = name.split(".")
    kwargs = {**build_case(dict(operations())[name].OPERATION).kwargs, "stream": True}
    mg = ModelGates(api_key="sk-test", server_url=server.url_for(BASE), retry_config=NO_RETRIES)
    if mode == "sync":
        with mg, getattr(getattr(mg, group), method)(**kwargs) as stream:
            assert type(stream) is modelgates_client.Stream
            return list(stream)

    async def run() -> list[Any]:
        async with mg:
            stream = await getattr(getattr(mg, group), method + "_async")(**kwargs)
            assert type(stream) is modelgates_client.AsyncStream
            async with stream:
                return [event async for event in stream]

    return asyncio.run(run())


def chunk_types(module: types.ModuleType) -> tuple[type, ...]:
    """The classes a stream's events are declared as (the members of Stream[...])."""
    func = next(f for f in module.__all__ if f not in ("OPERATION", "asyncio", "sync") and not f.endswith("_async"))
    annotation = module.__dict__[func].__annotations__["return"]
    names = _Names(Any=Any, dict=dict)
    declared = eval(annotation, {"__builtins__": {}, "None": None}, names)  # noqa: S307 (our own annotations)
    stream = next(a for a in typing.get_args(declared) if typing.get_origin(a) is modelgates_client.Stream)
    (chunk,) = typing.get_args(stream)
    return tuple(typing.get_origin(a) or a for a in (typing.get_args(chunk) or (chunk,)))


@pytest.mark.parametrize("name", stream_operations())
def test_event_stream_yields_each_kind_of_event_as_its_declared_class(
    name: str, httpserver: HTTPServer, mode: str
) -> None:
    module = dict(operations())[name]
    op: Operation = module.OPERATION
    events = events_of(op)
    httpserver.expect_request(re.compile(".*")).respond_with_data(
        sse_body(events, op.sentinel), content_type="text/event-stream"
    )
    got = stream_call(mode, httpserver, name)
    assert httpserver.log[0][0].headers["Accept"] == "text/event-stream"
    assert len(got) == len(events)
    allowed = chunk_types(module)
    assert all(type(e) in allowed for e in got), [type(e).__name__ for e in got]
    assert [_same_instants(e.to_dict() if hasattr(e, "to_dict") else e) for e in got] == [
        _same_instants(e) for e in events
    ]
    if len(events) > 1:  # a union of event kinds: they do not all become one class
        assert len({type(e) for e in got}) > 1


@pytest.mark.parametrize("name", stream_operations())
def test_event_stream_ending_without_its_terminator_raises(name: str, httpserver: HTTPServer, mode: str) -> None:
    op: Operation = dict(operations())[name].OPERATION
    if op.sentinel is None:
        pytest.skip("this stream has no terminator")
    httpserver.expect_request(re.compile(".*")).respond_with_data(
        sse_body(events_of(op)[:1], None), content_type="text/event-stream"
    )
    with pytest.raises(modelgates_client.errors.StreamInterruptedError, match=re.escape(op.sentinel)):
        stream_call(mode, httpserver, name)


@pytest.mark.parametrize("name", stream_operations())
def test_event_stream_error_in_band_raises_its_typed_error(name: str, httpserver: HTTPServer, mode: str) -> None:
    op: Operation = dict(operations())[name].OPERATION
    body = sse_body(events_of(op)[:1], None) + 'data: {"error": {"code": 429, "message": "slow down"}}\n\n'
    httpserver.expect_request(re.compile(".*")).respond_with_data(body, content_type="text/event-stream")
    with pytest.raises(modelgates_client.errors.TooManyRequestsResponseError, match="slow down"):
        stream_call(mode, httpserver, name)
