"""What the local server remembers: the objects created through the API's collections, found from the spec's
paths rather than written per resource.

A collection is a path `/X` that takes POST (create) and GET (list), with an item path `/X/{key}` that takes
GET, and PATCH, PUT or DELETE where the API has them: API keys, BYOK keys, guardrails, workspaces, observability
destinations, SCIM group mappings, files; and `/videos` (create, then poll a job that completes). Each collection
starts with one object under the key the spec's examples use, so that the reference pages' examples find it.

Answers keep the shape the spec gives them (made by testing._spec), with the remembered object's fields in it:
create -> get -> list -> update -> delete behave as one object, a deleted one is 404, and lists page over what
was created (`offset`/`limit`, `total_count`). Files keep their bytes: what was uploaded is downloaded.

Below an item: ids attached to it (Members: a guardrail's key and member assignments, a workspace's members;
added and removed in bulk, listed per item and across items) and values set under it by key (Upserts: a
workspace's budget per interval; PUT sets, GET reads, DELETE unsets).
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
        self.members = [m for c in self.collections for m in Members.find(c)]
        self.upserts = [u for c in self.collections for u in Upserts.find(c)]
        groups: list[Members | Upserts] = [*self.members, *self.upserts]
        for group in groups:  # the seeded items start with one of each, too
            for parent in list(group.c.objects):
                group.seed(parent)

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
        groups: list[Members | Upserts] = [*self.members, *self.upserts]
        for group in groups:
            made = group.handle(self, route, rel, body, query)
            if made is not None:
                return made
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

    def parent(self, c: Collection, route: Route, rel: str) -> str | None:
        """The key of the collection's item a request below it names (an alias resolved), or None if absent."""
        match = route.pattern.match(rel)
        if match is None:
            return None
        key = match.group(f"p{_path_names(route.path).index(c.key)}")
        with self._lock:
            key = c.aliases.get(key, key)
            return key if key in c.objects else None

    def next_number(self) -> int:
        with self._lock:
            self._counter += 1
            return self._counter

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
        values = _status_values(route)
        if isinstance(obj.get("status"), str) and "pending" in values and any(v in _DONE for v in values):
            obj["status"] = "pending"  # a job (a video) starts pending, and completes when polled
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


def _status_values(route: Route) -> list[Any]:
    """The values the `status` field of the operation's success answer may take (its enum), if it has one."""
    from ._examples import Examples  # noqa: PLC0415

    ex = Examples(spec())
    for status, response in (route.op.get("responses") or {}).items():
        if str(status).startswith("2"):
            media = (ex.resolve(response).get("content") or {}).get("application/json") or {}
            schema = ex.resolve(media.get("schema") or {})
            prop = ex.resolve((schema.get("properties") or {}).get("status") or {})
            return list(prop.get("enum") or [])
    return []


def _done_status(route: Route, current: str) -> str:
    """A job's status once polled: the schema's finished value when it has one."""
    return next((v for v in _status_values(route) if v in _DONE), current)


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


def _not_found(what: str) -> Answer:
    return Answer(404, "application/json", {"error": {"code": 404, "message": f"{what} not found"}})


def _page(objects: list[dict[str, Any]], made: Answer, query: dict[str, str]) -> Answer:
    """A list answer holding `objects` (over the example item's shape), paged by offset/limit."""
    if not isinstance(made.body, dict) or not isinstance(made.body.get("data"), list):
        return made
    example = made.body["data"][0] if made.body["data"] and isinstance(made.body["data"][0], dict) else {}
    offset = _int(query.get("offset"), 0)
    limit = _int(query.get("limit"), max(len(objects), 1))
    made.body["data"] = [_overlay(example, obj) for obj in objects[offset : offset + limit]]
    if "total_count" in made.body:
        made.body["total_count"] = len(objects)
    return made


def _owner_field(c: Collection) -> str:
    """The field of an object below a collection's item that names the item (`/workspaces` -> `workspace_id`)."""
    return c.path.rstrip("/").rsplit("/", 1)[-1].removesuffix("s") + "_id"


def _singular_field(plural: str, example: dict[str, Any]) -> str | None:
    """The field of a listed object that holds one of a request's ids (`key_hashes` -> `key_hash`)."""
    for candidate in (plural[:-2], plural[:-1]) if plural.endswith("es") else (plural[:-1],):
        if candidate in example:
            return candidate
    return None


class Members:
    """Ids attached to an item of a collection (a guardrail's key or member assignments, a workspace's members):
    `POST L` or `POST L/add` adds the ids of the body's array field, `POST L/remove` removes them, `GET L` lists
    them, and `GET` of L without the item's segment lists them across items. Found from the spec's paths."""

    def __init__(self, c: Collection, path: str, add: Route, remove: Route | None, every: Route | None) -> None:
        self.c = c
        self.path = path
        self.add = add
        self.remove = remove
        self.every = every
        self.attached: dict[str, dict[str, dict[str, Any]]] = {}  # item key -> id -> listed object

    @staticmethod
    def find(c: Collection) -> list[Members]:
        found = []
        for route in routes():
            if route.method != "GET" or not route.path.startswith(c.item + "/") or "{" in route.path[len(c.item) :]:
                continue
            by = {(r.method, r.path): r for r in routes()}
            add = by.get(("POST", route.path)) or by.get(("POST", route.path + "/add"))
            if add is None:
                continue
            every = by.get(("GET", route.path.replace("/{" + c.key + "}", "", 1)))
            found.append(Members(c, route.path, add, by.get(("POST", route.path + "/remove")), every))
        return found

    def seed(self, parent: str) -> None:
        listed = answer(next(r for r in routes() if r.method == "GET" and r.path == self.path), None, "member")
        items = listed.body.get("data") if isinstance(listed.body, dict) else None
        if items and isinstance(items[0], dict):
            obj = dict(items[0])
            owner = _owner_field(self.c)
            if owner in obj:
                obj[owner] = parent
            self.attached.setdefault(parent, {})[str(obj.get("id", "seed"))] = obj

    def _ids(self, body: Any) -> tuple[str, list[str]] | None:
        if not isinstance(body, dict):
            return None
        for name, value in body.items():
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                return name, value
        return None

    def handle(self, state: State, route: Route, rel: str, body: Any, query: dict[str, str]) -> Answer | None:
        if self.every is not None and route is self.every:
            every = [obj for objs in self.attached.values() for obj in objs.values()]
            return _page(every, answer(route, None, "every"), query)
        if route.path not in (self.path, self.add.path, self.remove.path if self.remove else None):
            return None
        parent = state.parent(self.c, route, rel)
        if parent is None:
            return _not_found(rel)
        attached = self.attached.setdefault(parent, {})
        if route.method == "GET":
            return _page(list(attached.values()), answer(route, None, "members"), query)
        ids = self._ids(body)
        made = answer(route, body, f"members-{parent}")
        if ids is None or not isinstance(made.body, dict):
            return made
        listed = answer(next(r for r in routes() if r.method == "GET" and r.path == self.path), None, "member")
        example = listed.body["data"][0] if isinstance(listed.body, dict) and listed.body.get("data") else {}
        field = _singular_field(ids[0], example) if isinstance(example, dict) else None
        changed: list[dict[str, Any]] = []
        for one in ids[1]:
            if route is self.remove:
                gone = attached.pop(one, None)
                if gone is not None:
                    changed.append(gone)
            elif one not in attached:
                obj = dict(example)
                if field is not None:
                    obj[field] = one
                owner = _owner_field(self.c)
                if owner in obj:
                    obj[owner] = parent
                if isinstance(obj.get("id"), str):
                    obj["id"] = _unique(obj["id"], state.next_number()) if "-" in obj["id"] else f"{obj['id']}-{one}"
                attached[one] = obj
                changed.append(obj)
        for key, value in list(made.body.items()):
            if key.endswith("_count") and isinstance(value, int):
                made.body[key] = len(changed)
        if isinstance(made.body.get("data"), list):
            item = made.body["data"][0] if made.body["data"] and isinstance(made.body["data"][0], dict) else {}
            made.body["data"] = [_overlay(item, obj) for obj in changed]
        return made


class Upserts:
    """Objects set under an item of a collection by key (a workspace's budget per interval): `PUT L/{k}` sets,
    `GET L/{k}` reads (404 when unset), `DELETE L/{k}` unsets, `GET L` lists. Found from the spec's paths."""

    def __init__(self, c: Collection, path: str, item: str, key: str) -> None:
        self.c = c
        self.path = path
        self.item = item
        self.key = key
        self.values: dict[str, dict[str, dict[str, Any]]] = {}  # item key -> k -> object

    @staticmethod
    def find(c: Collection) -> list[Upserts]:
        found = []
        for route in routes():
            rest = route.path[len(c.item) :]
            if route.method == "PUT" and route.path.startswith(c.item + "/") and rest.count("{") == 1:
                path, _, last = route.path.rpartition("/")
                if last.startswith("{") and any(r.method == "GET" and r.path == path for r in routes()):
                    found.append(Upserts(c, path, route.path, last[1:-1]))
        return found

    def handle(self, state: State, route: Route, rel: str, body: Any, query: dict[str, str]) -> Answer | None:
        if route.path not in (self.path, self.item):
            return None
        parent = state.parent(self.c, route, rel)
        if parent is None:
            return _not_found(rel)
        values = self.values.setdefault(parent, {})
        if route.path == self.path:
            made = answer(route, None, "upserts")
            if isinstance(made.body, dict) and isinstance(made.body.get("data"), list):
                example = made.body["data"][0] if made.body["data"] and isinstance(made.body["data"][0], dict) else {}
                made.body["data"] = [_overlay(example, obj) for obj in values.values()]
            return made
        match = route.pattern.match(rel)
        assert match is not None
        k = match.group(f"p{_path_names(route.path).index(self.key)}")
        made = answer(route, body, f"upsert-{parent}-{k}")
        if route.method == "DELETE":
            return made if values.pop(k, None) is not None else _not_found(rel)
        if route.method == "GET" and k not in values:
            return _not_found(rel)
        if route.method == "PUT":
            listed = answer(self._list_route(), None, "upsert")
            example = listed.body["data"][0] if isinstance(listed.body, dict) and listed.body.get("data") else {}
            obj = dict(values.get(k) or example)
            if isinstance(body, dict):
                obj.update(_taken(obj, body))
            for field in obj:
                if field.endswith(self.key):
                    obj[field] = k
            owner = _owner_field(self.c)
            if owner in obj:
                obj[owner] = parent
            values[k] = obj
        shown = _slot(made.body)
        if shown is not None:
            shown.update(_overlay(shown, values[k]))
        return made

    def seed(self, parent: str) -> None:
        """One value under the key the spec's examples use."""
        from ._examples import Examples  # noqa: PLC0415

        route = next((r for r in routes() if r.method == "GET" and r.path == self.item), None)
        param = next((p for p in route.params if p.get("name") == self.key), {}) if route else {}
        k = param.get("example") or Examples(spec()).value(param.get("schema") or {}, name=self.key)
        listed = answer(self._list_route(), None, "upsert")
        items = listed.body.get("data") if isinstance(listed.body, dict) else None
        if k is not None and items and isinstance(items[0], dict):
            obj = dict(items[0])
            for field in obj:
                if field.endswith(self.key):
                    obj[field] = k
            owner = _owner_field(self.c)
            if owner in obj:
                obj[owner] = parent
            self.values.setdefault(parent, {})[str(k)] = obj

    def _list_route(self) -> Route:
        return next(r for r in routes() if r.method == "GET" and r.path == self.path)
