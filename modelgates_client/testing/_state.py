"""What the local server remembers: the objects created through the API's collections, found from the spec's
paths rather than written per resource.

A collection is a path `/X` that takes POST (create) and GET (list), with an item path `/X/{key}` that takes
GET, and PATCH, PUT or DELETE where the API has them: API keys, BYOK keys, guardrails, workspaces, observability
destinations, SCIM group mappings, files; and `/videos` (create, then poll a job that completes). Each collection
starts with one object under the key the spec's examples use, so that the reference pages' examples find it.

Answers keep the shape the spec gives them (made by testing._spec), with the remembered object's fields in it:
create -> get -> list -> update -> delete behave as one object, a deleted one is 404, and lists page over what
was created (`offset`/`limit`, `total_count`). Files keep their bytes: what was uploaded is downloaded.
"""

from __future__ import annotations

import email.parser
import email.policy
import re
import threading
from typing import Any

from ._spec import Answer, Route, answer, routes, spec

__all__ = ["State"]

_DONE = ("completed", "succeeded", "done", "complete")


def _json_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if value is None:
        return "null"
    return type(value).__name__


def _slot(value: Any) -> dict[str, Any] | None:
    """The object inside an answer: its `data` object, or the answer itself."""
    if isinstance(value, dict):
        inner = value.get("data")
        return inner if isinstance(inner, dict) else value
    return None


def _overlay(example: dict[str, Any], stored: dict[str, Any]) -> dict[str, Any]:
    """The example object with the stored values of the fields it has (same JSON kind, or null)."""
    out = dict(example)
    for key, value in stored.items():
        if key in out and (_json_kind(out[key]) == _json_kind(value) or value is None or out[key] is None):
            out[key] = value
    return out


_SHAPES = (
    re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"),  # date-time
    re.compile(r"\d{4}-\d\d-\d\d"),  # date
    re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),  # uuid
    re.compile(r"https?://\S+"),  # uri
)


def _taken(example: dict[str, Any], request: dict[str, Any]) -> dict[str, Any]:
    """The fields of a request body that an answer's object shows as sent: plain values (text, numbers, flags)
    the object has with the same JSON kind and, for text, the same shape (a date-time stays a date-time). A field
    that says which kind of object it is (`type`) is not taken: the answer's shape follows from it."""
    taken: dict[str, Any] = {}
    for key, value in request.items():
        if key == "type" or key not in example or isinstance(value, dict | list):
            continue
        current = example[key]
        if _json_kind(current) != _json_kind(value):
            continue
        if isinstance(current, str) and any(p.fullmatch(current) and not p.fullmatch(value) for p in _SHAPES):
            continue
        taken[key] = value
    return taken


class Collection:
    """One collection of the API: its path, item path and key parameter, and the objects in it."""

    def __init__(self, path: str, item: str, key: str) -> None:
        self.path = path
        self.item = item
        self.key = key  # the item path's parameter
        self.objects: dict[str, dict[str, Any]] = {}
        self.contents: dict[str, tuple[bytes, str]] = {}  # files: key -> (bytes, media type)
        self.aliases: dict[str, str] = {}  # another key that finds an object (the examples' key of the seeded one)

    def field(self, obj: dict[str, Any]) -> str:
        """The object's field that holds its key: one named like the path parameter, else `id`."""
        return self.key if self.key in obj else "id"


class State:
    """The collections of one server (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counter = 0
        self.collections = self._find()
        for collection in self.collections:
            self._seed(collection)

    # ------------------------------------------------------------------ finding collections in the spec

    @staticmethod
    def _find() -> list[Collection]:
        by_path: dict[str, set[str]] = {}
        for route in routes():
            by_path.setdefault(route.path, set()).add(route.method)
        found = []
        for path, methods in sorted(by_path.items()):
            if "POST" not in methods:
                continue
            for other, its_methods in sorted(by_path.items()):
                rest = other[len(path) :]
                if (
                    other.startswith(path + "/{")
                    and rest.count("/") == 1
                    and rest.endswith("}")
                    and "GET" in its_methods
                ):
                    found.append(Collection(path, other, rest[2:-1]))
                    break
        return found

    def _seed(self, collection: Collection) -> None:
        """One object under the key the spec's examples use for the item path."""
        create = self._route(collection.path, "POST")
        get = self._route(collection.item, "GET")
        if create is None or get is None:
            return
        made = answer(create, None, "seed")
        obj = _slot(made.body)
        if obj is None:
            return
        from ._examples import Examples  # noqa: PLC0415

        param = next((p for p in get.params if p.get("in") == "path" and p.get("name") == collection.key), {})
        key = param.get("example") or Examples(spec()).value(param.get("schema") or {}, name=collection.key)
        obj = dict(obj)
        field = collection.field(obj)
        own = obj.get(field)
        if isinstance(own, str) and own and any(p.fullmatch(own) and not p.fullmatch(str(key)) for p in _SHAPES):
            collection.aliases[str(key)] = own  # the example key finds it; its own key keeps its shape (a uuid)
            key = own
        obj[field] = key
        collection.objects[str(key)] = obj
        collection.contents[str(key)] = (b"ModelGates local server: example file content\n", "application/octet-stream")

    @staticmethod
    def _route(path: str, method: str) -> Route | None:
        return next((r for r in routes() if r.path == path and r.method == method), None)

    # ------------------------------------------------------------------ handling

    def handle(
        self, route: Route, rel: str, body: Any, query: dict[str, str], raw: bytes, content_type: str
    ) -> Answer | None:
        """The answer of a request to a collection, or None when the route is not one (testing._spec answers)."""
        for collection in self.collections:
            if route.path == collection.path:
                if route.method == "POST":
                    return self._create(collection, route, body, raw, content_type)
                if route.method == "GET":
                    return self._list(collection, route, query)
            if route.path == collection.item or route.path.startswith(collection.item + "/"):
                match = route.pattern.match(rel)
                assert match is not None
                names = _path_names(route.path)
                key = match.group(f"p{names.index(collection.key)}")
                return self._item(collection, route, key, body)
        return None

    def _create(self, c: Collection, route: Route, body: Any, raw: bytes, content_type: str) -> Answer:
        with self._lock:
            self._counter += 1
            seed = f"created-{self._counter}"
        made = answer(route, body, seed)
        obj = _slot(made.body)
        if obj is None or made.status >= 300:
            return made
        if isinstance(body, dict):
            obj.update(_taken(obj, body))
        field = c.field(obj)
        key = str(obj.get(field) or seed)
        with self._lock:
            number = self._counter
            while key in c.objects:  # example ids repeat (a uuid example is one value): this object gets its own
                number += 1
                key = _unique(key, number)
        obj[field] = key
        for done_field in ("status",):  # a job (a video) starts pending, and completes when polled
            if isinstance(obj.get(done_field), str):
                obj[done_field] = "pending"
        upload = _uploaded_file(raw, content_type)
        with self._lock:
            c.objects[key] = dict(obj)
            if upload is not None:
                c.contents[key] = upload
        return made

    def _list(self, c: Collection, route: Route, query: dict[str, str]) -> Answer:
        made = answer(route, None, "list")
        if not isinstance(made.body, dict) or not isinstance(made.body.get("data"), list):
            return made
        example = made.body["data"][0] if made.body["data"] and isinstance(made.body["data"][0], dict) else {}
        with self._lock:
            objects = list(c.objects.values())
        mark = route.op.get("x-modelgates-pagination") or {}
        roles = {i.get("type"): i.get("name") for i in mark.get("inputs") or [] if isinstance(i, dict)}
        cursor_param = roles.get("cursor")
        if cursor_param is not None:  # our cursors are offsets written as text
            offset = _int(query.get(cursor_param), 0)
        else:
            offset = _int(query.get(roles.get("offset") or "offset"), 0)
        limit_param = roles.get("limit") or "limit"
        default = next((p.get("schema", {}).get("default") for p in route.params if p.get("name") == limit_param), None)
        limit = _int(query.get(limit_param), default if isinstance(default, int) else max(len(objects), 1))
        page = objects[offset : offset + limit]
        more = offset + len(page) < len(objects)
        made.body["data"] = [_overlay(example, obj) for obj in page]
        if "total_count" in made.body:
            made.body["total_count"] = len(objects)
        if "has_more" in made.body:
            made.body["has_more"] = more
        next_cursor = str((mark.get("outputs") or {}).get("nextCursor") or "")
        if next_cursor.startswith("$.") and next_cursor.count(".") == 1:
            made.body[next_cursor[2:]] = str(offset + len(page)) if more else None
        return made

    def _item(self, c: Collection, route: Route, key: str, body: Any) -> Answer:
        with self._lock:
            key = c.aliases.get(key, key)
            stored = c.objects.get(key)
        if stored is None:
            return Answer(404, "application/json", {"error": {"code": 404, "message": f"{key} not found"}})
        made = answer(route, body, f"item-{key}")
        if made.status >= 300:
            return made
        if route.method == "DELETE":
            with self._lock:
                c.objects.pop(key, None)
                c.contents.pop(key, None)
            return made
        if route.path != c.item:  # below the item: its content
            if isinstance(made.body, bytes) and key in c.contents:
                data, media_type = c.contents[key]
                made.body = data
                made.media_type = media_type if media_type != "application/octet-stream" else made.media_type
            return made
        if route.method in ("PATCH", "PUT") and isinstance(body, dict):
            stored = {**stored, **_taken(stored, body)}
        if route.method == "GET" and isinstance(stored.get("status"), str):
            stored = {**stored, "status": _done_status(route, stored["status"])}
        with self._lock:
            c.objects[key] = stored
        obj = _slot(made.body)
        if obj is not None:
            obj.update(_overlay(obj, stored))
        return made


def _unique(key: str, counter: int) -> str:
    """Another key like `key`: a uuid with the counter in its last group, else the key with `-<counter>`."""
    if re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", key):
        return f"{key[:24]}{counter:012d}"
    return f"{key}-{counter}"


def _path_names(path: str) -> list[str]:
    return re.findall(r"\{([^}]+)\}", path)


def _int(value: str | None, default: int) -> int:
    try:
        return max(0, int(value)) if value is not None else default
    except ValueError:
        return default


def _done_status(route: Route, current: str) -> str:
    """A job's status once polled: the schema's finished value when it has one."""
    from ._examples import Examples  # noqa: PLC0415

    ex = Examples(spec())
    for status, response in (route.op.get("responses") or {}).items():
        if str(status).startswith("2"):
            schema = ex.resolve(
                ((ex.resolve(response).get("content") or {}).get("application/json") or {}).get("schema") or {}
            )
            prop = ex.resolve((schema.get("properties") or {}).get("status") or {})
            values = prop.get("enum") or []
            return next((v for v in values if v in _DONE), current)
    return current


def _uploaded_file(raw: bytes, content_type: str) -> tuple[bytes, str] | None:
    """The first file part of a multipart body: its bytes and media type."""
    if not content_type.startswith("multipart/form-data") or not raw:
        return None
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw
    )
    for part in message.iter_parts():
        if part.get_filename() is not None:
            payload = part.get_payload(decode=True)
            return (payload if isinstance(payload, bytes) else b""), part.get_content_type()
    return None
