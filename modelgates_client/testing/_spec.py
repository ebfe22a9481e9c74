"""The spec's operations as the local server sees them: routes, and schema-valid answers made from the spec.

The server answers the operations it knows by heart (chat, generations) itself; every other operation of the
spec gets an answer made here from the operation's first success response (testing._examples): JSON, bytes of
the response's media type, an empty body, or an event stream when the request asks for one.
"""

from __future__ import annotations

import json
import re
from functools import cache
from importlib import resources
from typing import Any

from ._examples import Examples

__all__ = ["Answer", "Route", "answer", "example_generation_id", "missing_required", "routes", "spec"]

_METHODS = ("get", "put", "post", "patch", "delete")


@cache
def spec() -> dict[str, Any]:
    """The spec the client was generated from (its facts; `make generate` writes it into the package)."""
    text = resources.files("modelgates_client._generated").joinpath("openapi.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


class Route:
    """One operation: its method, path pattern and spec object."""

    __slots__ = ("method", "path", "pattern", "op", "params")

    def __init__(self, method: str, path: str, op: dict[str, Any], params: list[dict[str, Any]]) -> None:
        self.method = method.upper()
        self.path = path
        names = re.findall(r"\{([^}]+)\}", path)
        regex = re.escape(path)
        for name in names:
            regex = regex.replace(re.escape("{" + name + "}"), f"(?P<p{names.index(name)}>[^/]+)")
        self.pattern = re.compile(regex + "$")
        self.op = op
        self.params = params

    def match(self, path: str) -> bool:
        return self.pattern.match(path) is not None


@cache
def routes() -> list[Route]:
    """Every operation of the spec; literal paths before templated ones (`/keys/current` before `/keys/{hash}`)."""
    found = []
    ex = Examples(spec())
    for path, item in spec()["paths"].items():
        for method in _METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                params = [ex.resolve(p) for p in (item.get("parameters") or []) + (op.get("parameters") or [])]
                found.append(Route(method, path, op, params))
    return sorted(found, key=lambda r: (r.path.count("{"), r.path))


class Answer:
    """A made-up answer: status, media type and body (JSON data, bytes, or None); or `events` for a stream."""

    __slots__ = ("status", "media_type", "body", "events", "sentinel")

    def __init__(self, status: int, media_type: str, body: Any, events: list[Any] | None = None) -> None:
        self.status = status
        self.media_type = media_type
        self.body = body
        self.events = events
        self.sentinel: str | None = None


def answer(route: Route, request: Any, seed: str) -> Answer:
    """The answer to a request of `route` (its JSON body or None): the first success response of the operation,
    an event stream when the body asks for one (`"stream": true`) and the operation has one."""
    ex = Examples(spec())
    wants_stream = isinstance(request, dict) and request.get("stream") is True
    for status, response in sorted((route.op.get("responses") or {}).items()):
        if not str(status).startswith("2"):
            continue
        content = (ex.resolve(response) or {}).get("content") or {}
        streams = {m: v for m, v in content.items() if "event-stream" in m}
        if wants_stream and streams:
            media = next(iter(streams.values())) or {}
            envelope = ex.resolve(media.get("schema") or {})
            data = (envelope.get("properties") or {}).get("data") or {}
            members = ex.members(data)
            count = max(1, len(members))
            events = [ex.value(data, member=i if members else None, seed=f"{seed}{i}") for i in range(count)]
            events = [e for e in events if not (isinstance(e, dict) and isinstance(e.get("error"), dict))]
            result = Answer(int(status), "text/event-stream", None, events)
            result.sentinel = media.get("x-modelgates-sse-sentinel") or "[DONE]"
            return result
        for media_type, media in content.items():
            if "event-stream" in media_type:
                continue
            if "json" in media_type:
                return Answer(
                    int(status), "application/json", ex.value((media or {}).get("schema") or {}, full=True, seed=seed)
                )
            return Answer(
                int(status),
                media_type.replace("*", "mpeg") if media_type.endswith("/*") else media_type,
                _bytes(media_type),
            )
        return Answer(int(status), "", None)
    return Answer(204, "", None)


def _bytes(media_type: str) -> bytes:
    """A few bytes that say what they stand for (not a playable file)."""
    return f"ModelGates local server: example {media_type} content\n".encode()


def missing_required(route: Route, request: Any, query: dict[str, str]) -> str | None:
    """What is wrong with a request, as the API says it (`<field>: <problem>`), or None: a required query
    parameter missing, then the JSON body checked against the operation's schema (with jsonschema, when it is
    installed: `pip install modelgates-client[testing]`; without it, only the body's required fields)."""
    for p in route.params:
        if p.get("in") == "query" and p.get("required") and p.get("name") not in query:
            return f"{p.get('name')}: Required"
    body = route.op.get("requestBody") or {}
    ex = Examples(spec())
    content = (ex.resolve(body) or {}).get("content") or {}
    media = content.get("application/json")
    if media is None or request is None:
        return None
    validator = _validator(route)
    if validator is not None:
        error = next(iter(sorted(validator.iter_errors(request), key=lambda e: list(e.path))), None)
        if error is None:
            return None
        path = [str(p) for p in error.absolute_path]
        if error.validator == "required":  # name the missing field, as the API does
            missing = re.match(r"'(.+)' is a required property", error.message)
            if missing:
                return ".".join([*path, missing.group(1)]) + ": Required"
        return f"{'.'.join(path) or 'body'}: {error.message}"
    schema = ex.resolve(media.get("schema") or {})
    if isinstance(request, dict):
        for name in schema.get("required") or []:
            if name not in request:
                return f"{name}: Required"
    return None


_VALIDATORS: dict[tuple[str, str], Any] = {}


def _validator(route: Route) -> Any:
    """A jsonschema validator of the operation's JSON body (the spec's references resolved in the spec), or None
    without jsonschema."""
    key = (route.method, route.path)
    if key not in _VALIDATORS:
        try:
            from jsonschema import Draft202012Validator  # noqa: PLC0415
        except ImportError:
            _VALIDATORS[key] = None
            return None
        pointer = "/".join(
            part.replace("~", "~0").replace("/", "~1")
            for part in ("#", "paths", route.path, route.method.lower(), "requestBody")
        )
        body = route.op.get("requestBody") or {}
        if "$ref" in body:
            pointer = body["$ref"]
        root = {k: v for k, v in spec().items() if k in ("components", "paths")}
        root["$ref"] = pointer + "/content/application~1json/schema"
        _VALIDATORS[key] = Draft202012Validator(root)
    return _VALIDATORS[key]


def example_generation_id() -> str | None:
    """The generation id the spec's examples use (the `example` of GET /generation's `id`), if any."""
    item = spec()["paths"].get("/generation") or {}
    for p in (item.get("get") or {}).get("parameters") or []:
        if isinstance(p, dict) and p.get("name") == "id" and isinstance(p.get("example"), str):
            return str(p["example"])
    return None
