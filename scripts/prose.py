"""Prose overlays: the words of an OpenAPI document, apart from its facts.

A prose overlay is a nested mapping (the shape of /work/desc/FORMAT.md, also described in the README) that
holds only prose, keyed by where it stands in the document:

    info: <text> | {title, description}
    servers: {<url>: <text>}
    tags: {<tag name>: <text>}
    paths:
      <path>:
        summary / description / parameters: ...       (path-item level, rare)
        <method>:
          summary: <text>
          description: <text>
          parameters: {"<in> <name>": <text> | {description, example, examples, schema: <schema prose>}}
          requestBody: <text> | {description, content: {<media type>: <media prose>}}
          responses: {'<status>': <text> | {description, headers: {<name>: ...}, content: {...}}}
    components:
      schemas: {<name>: <schema prose>}
      parameters / responses / requestBodies / headers: {<key>: ...}   (as in operations)
      securitySchemes: {<name>: <text>}

    <schema prose>: <text> | {description, title, example, examples,
                              properties: {<name>: <schema prose>}, patternProperties: {...},
                              items: <schema prose>, additionalProperties: <schema prose>, not: <schema prose>,
                              oneOf|anyOf|allOf|prefixItems: {<index>: <schema prose>}}
    <media prose>:  <schema prose> of the media type's schema, plus `example` / `examples` of the media type
                    object itself and `schemaExample` / `schemaExamples` for the schema's own examples.

A <text> alone stands for {description: <text>}. Prose is description, summary and title, and our
`example` / `examples` (kept at the same locations). Prose reaches into inline schemas only: a `$ref`
schema takes a description beside the `$ref` (what the value means at this place), never nested prose.

Functions: `elements(spec)` lists every location of a document that can carry prose; `extract(spec)` takes
the overlay out; `apply(overlay, spec)` puts it back where the location exists and returns what had no
home; `parse(overlay)` checks an overlay file's shape; `missing(spec)` lists locations without a description.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
PROSE_KEYS = ("description", "summary", "title", "example", "examples")

Json = dict[str, Any]
Location = tuple[Any, ...]  # str parts, and int indexes of union members / prefixItems
Flat = dict[Location, dict[str, Any]]  # location -> {overlay key: value}

# For each kind of element: overlay key -> key of the element's node in the document.
KIND_KEYS: dict[str, dict[str, str]] = {
    "document": {},
    "info": {"title": "title", "description": "description"},
    "server": {"description": "description"},
    "tag": {"description": "description"},
    "pathitem": {"summary": "summary", "description": "description"},
    "operation": {"summary": "summary", "description": "description"},
    "parameter": {"description": "description", "example": "example", "examples": "examples"},
    "body": {"description": "description"},
    "response": {"description": "description"},
    "header": {"description": "description", "example": "example", "examples": "examples"},
    "media": {"example": "example", "examples": "examples"},
    "mediaschema": {
        "description": "description",
        "title": "title",
        "schemaExample": "example",
        "schemaExamples": "examples",
    },
    "schema": {"description": "description", "title": "title", "example": "example", "examples": "examples"},
    "security": {"description": "description"},
}
TEXT_KEYS = ("description", "summary", "title")
SCHEMA_MAPS = ("properties", "patternProperties")  # name -> schema
SCHEMA_ONE = ("items", "additionalProperties", "not")  # one schema
SCHEMA_LISTS = ("prefixItems", "oneOf", "anyOf", "allOf")  # index -> schema
COMPONENT_KINDS = {
    "schemas": "schema",
    "parameters": "parameter",
    "responses": "response",
    "requestBodies": "body",
    "headers": "header",
    "securitySchemes": "security",
}


@dataclass(frozen=True)
class Element:
    """One place of a document that can carry prose: where it is, what kind of object, and the object."""

    loc: Location
    kind: str
    node: Json


# ---------------------------------------------------------------- walking a document


def resolve(spec: Json, node: Any) -> Any:
    """Follow local `$ref`s (with a bound on loops); other values come back as they are."""
    for _ in range(64):
        if not (isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/")):
            return node
        target: Any = spec
        for part in node["$ref"][2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or part not in target:
                return {}
            target = target[part]
        node = target
    raise ValueError(f"$ref loop at {node.get('$ref')}")


def parameter_key(spec: Json, node: Any) -> str | None:
    """'<in> <name>' of a parameter (or of the parameter a `$ref` points to)."""
    p = resolve(spec, node)
    if isinstance(p, dict) and isinstance(p.get("in"), str) and isinstance(p.get("name"), str):
        return f"{p['in']} {p['name']}"
    return None


def elements(spec: Json) -> list[Element]:
    """Every location of `spec` that can carry prose, parents before children, in document order."""
    return list(_document(spec))


def _document(spec: Json) -> Iterator[Element]:
    """Elements of the whole document: info, servers, tags, paths and operations, components."""
    yield Element((), "document", spec)
    if isinstance(spec.get("info"), dict):
        yield Element(("info",), "info", spec["info"])
    for server in spec.get("servers") or []:
        if isinstance(server, dict) and isinstance(server.get("url"), str):
            yield Element(("servers", server["url"]), "server", server)
    for tag in spec.get("tags") or []:
        if isinstance(tag, dict) and isinstance(tag.get("name"), str):
            yield Element(("tags", tag["name"]), "tag", tag)
    for path, item in (spec.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        yield Element(("paths", path), "pathitem", item)
        yield from _parameters(spec, ("paths", path), item)
        for method in METHODS:
            if isinstance(item.get(method), dict):
                yield from _operation(spec, ("paths", path, method), item[method])
    components = spec.get("components") or {}
    for section, kind in COMPONENT_KINDS.items():
        for name, node in (components.get(section) or {}).items():
            loc = ("components", section, name)
            if kind == "schema":
                yield from _schema(loc, node, "schema")
            elif kind == "parameter":
                yield from _parameter(loc, node)
            elif kind == "response":
                yield from _response(loc, node)
            elif kind == "body":
                yield from _body(loc, node)
            elif kind == "header":
                yield from _header(loc, node)
            elif isinstance(node, dict):
                yield Element(loc, kind, node)


def _parameters(spec: Json, loc: Location, owner: Json) -> Iterator[Element]:
    """The parameters of a path item or an operation, keyed '<in> <name>'."""
    for node in owner.get("parameters") or []:
        key = parameter_key(spec, node)
        if key is not None and isinstance(node, dict):
            yield from _parameter((*loc, "parameters", key), node)


def _operation(spec: Json, loc: Location, op: Json) -> Iterator[Element]:
    """An operation and its parameters, request body and responses."""
    yield Element(loc, "operation", op)
    yield from _parameters(spec, loc, op)
    if isinstance(op.get("requestBody"), dict):
        yield from _body((*loc, "requestBody"), op["requestBody"])
    for status, response in (op.get("responses") or {}).items():
        yield from _response((*loc, "responses", str(status)), response)


def _parameter(loc: Location, node: Any) -> Iterator[Element]:
    """A parameter, and its schema or content unless it is a `$ref`."""
    if not isinstance(node, dict):
        return
    yield Element(loc, "parameter", node)
    if "$ref" not in node:
        if isinstance(node.get("schema"), dict):
            yield from _schema((*loc, "schema"), node["schema"], "schema")
        yield from _content(loc, node)


def _body(loc: Location, node: Any) -> Iterator[Element]:
    """A request body and its media types unless it is a `$ref`."""
    if not isinstance(node, dict):
        return
    yield Element(loc, "body", node)
    if "$ref" not in node:
        yield from _content(loc, node)


def _response(loc: Location, node: Any) -> Iterator[Element]:
    """A response, its headers and its media types unless it is a `$ref`."""
    if not isinstance(node, dict):
        return
    yield Element(loc, "response", node)
    if "$ref" not in node:
        for name, header in (node.get("headers") or {}).items():
            yield from _header((*loc, "headers", name), header)
        yield from _content(loc, node)


def _header(loc: Location, node: Any) -> Iterator[Element]:
    """A header and its schema unless it is a `$ref`."""
    if not isinstance(node, dict):
        return
    yield Element(loc, "header", node)
    if "$ref" not in node and isinstance(node.get("schema"), dict):
        yield from _schema((*loc, "schema"), node["schema"], "schema")


def _content(loc: Location, owner: Json) -> Iterator[Element]:
    """Each media type (its examples) and its schema, which share the location."""
    for media_type, media in (owner.get("content") or {}).items():
        if not isinstance(media, dict):
            continue
        here = (*loc, "content", media_type)
        yield Element(here, "media", media)
        if isinstance(media.get("schema"), dict):
            yield from _schema(here, media["schema"], "mediaschema")


def _schema(loc: Location, node: Any, kind: str) -> Iterator[Element]:
    """A schema and its inline sub-schemas; a `$ref` is an element but is not followed."""
    if not isinstance(node, dict):
        return
    yield Element(loc, kind, node)
    if "$ref" in node:
        return  # a reference takes a description beside it; what it points to is described at its component
    for key in SCHEMA_MAPS:
        if isinstance(node.get(key), dict):
            for name, sub in node[key].items():
                yield from _schema((*loc, key, name), sub, "schema")
    for key in SCHEMA_ONE:
        if isinstance(node.get(key), dict):
            yield from _schema((*loc, key), node[key], "schema")
    for key in SCHEMA_LISTS:
        if isinstance(node.get(key), list):
            for index, sub in enumerate(node[key]):
                yield from _schema((*loc, key, index), sub, "schema")


def index(spec: Json) -> dict[Location, list[Element]]:
    """Elements of `spec` by location (a media type and its schema share one)."""
    out: dict[Location, list[Element]] = {}
    for element in elements(spec):
        out.setdefault(element.loc, []).append(element)
    return out


# ---------------------------------------------------------------- locations as text


def describe(loc: Location, key: str | None = None) -> str:
    """A location for people: `POST /chat: parameters.query limit`, `components.schemas.Foo.properties.id`,
    and with a key: `POST /chat: summary`, `components.schemas.Foo: description`."""
    if len(loc) >= 3 and loc[0] == "paths" and loc[2] in METHODS:
        head, rest = f"{str(loc[2]).upper()} {loc[1]}", loc[3:]
    elif len(loc) >= 2 and loc[0] == "paths":
        head, rest = f"path {loc[1]}", loc[2:]
    else:
        head, rest = ".".join(str(p) for p in loc) or "document", ()
    where = f"{head}: {'.'.join(str(p) for p in rest)}" if rest else head
    return f"{where}: {key}" if key is not None else where


# ---------------------------------------------------------------- extract and apply


def extract_flat(spec: Json, keys: tuple[str, ...] = PROSE_KEYS) -> Flat:
    """The prose of `spec` by location (overlay keys), in document order. Only keys in `keys` are taken."""
    flat: Flat = {}
    for element in elements(spec):
        for overlay_key, node_key in KIND_KEYS[element.kind].items():
            if node_key in keys and node_key in element.node:
                flat.setdefault(element.loc, {})[overlay_key] = copy.deepcopy(element.node[node_key])
    return flat


def extract(spec: Json) -> Json:
    """The prose overlay of `spec`: every description, summary, title, example and examples, by location."""
    return nest(extract_flat(spec))


def apply_flat(flat: Flat, spec: Json) -> list[str]:
    """Put prose into `spec` (in place) where its location exists. Returns the pieces that had no home."""
    by_loc = index(spec)
    homeless: list[str] = []
    for loc, pieces in flat.items():
        for overlay_key, value in pieces.items():
            target = next((e for e in by_loc.get(loc, []) if overlay_key in KIND_KEYS[e.kind]), None)
            if target is None:
                homeless.append(describe(loc, overlay_key))
            else:
                target.node[KIND_KEYS[target.kind][overlay_key]] = copy.deepcopy(value)
    return homeless


def apply(overlay: Json, spec: Json) -> list[str]:
    """Put a nested overlay into `spec` (in place). Raises ValueError when its shape is wrong."""
    flat, errors = parse(overlay)
    if errors:
        raise ValueError("not a prose overlay:\n" + "\n".join(errors))
    return apply_flat(flat, spec)


# ---------------------------------------------------------------- nested <-> flat


def nest(flat: Flat) -> Json:
    """A flat overlay as the nested mapping of the overlay format; {description: text} is written as text."""
    root: Json = {}
    for loc, pieces in flat.items():
        node = root
        for part in loc:
            node = node.setdefault(part, {})
        node.update(copy.deepcopy(pieces))
    for loc in reversed(list(flat)):
        if not loc or _is_operation_level(loc):
            continue
        parent = root
        for part in loc[:-1]:
            parent = parent[part]
        node = parent[loc[-1]]
        if isinstance(node, dict) and list(node) == ["description"] and isinstance(node["description"], str):
            parent[loc[-1]] = node["description"]
    return root


def _is_operation_level(loc: Location) -> bool:
    """Path items and operations always keep their mapping (summary and description are both theirs)."""
    return loc[0] == "paths" and len(loc) in (2, 3) and (len(loc) == 2 or loc[2] in METHODS)


def parse(overlay: Any) -> tuple[Flat, list[str]]:
    """Read a nested overlay into a flat one, checking its shape. Returns (flat, errors)."""
    parser = _Parser()
    parser.document(overlay)
    return parser.flat, parser.errors


class _Parser:
    """The overlay grammar, one method per kind of location."""

    def __init__(self) -> None:
        self.flat: Flat = {}
        self.errors: list[str] = []

    def error(self, loc: Location, message: str) -> None:
        """Record a problem at a location."""
        self.errors.append(f"{describe(loc)}: {message}")

    def put(self, loc: Location, key: str, value: Any) -> None:
        """Record one piece of prose; description, summary and title must be texts."""
        if key in TEXT_KEYS and not isinstance(value, str):
            self.error(loc, f"{key} must be a text, not {type(value).__name__}")
            return
        self.flat.setdefault(loc, {})[key] = value

    def mapping(self, loc: Location, value: Any) -> dict[Any, Any] | None:
        """The value if it is a mapping (else an error)."""
        if isinstance(value, dict):
            return value
        self.error(loc, f"expected a mapping, got {type(value).__name__}")
        return None

    def element(self, loc: Location, value: Any, own: tuple[str, ...], children: dict[str, Any]) -> None:
        """A text (its description) or a mapping of own keys and child locations."""
        if isinstance(value, str) and "description" in own:
            self.put(loc, "description", value)
            return
        body = self.mapping(loc, value)
        for key, sub in (body or {}).items():
            if key in own:
                self.put(loc, key, sub)
            elif key in children:
                children[key]((*loc, key), sub)
            else:
                self.error(loc, f"unknown key {key!r}")

    def named(self, loc: Location, value: Any, each: Any) -> None:
        """A mapping of names (paths, properties, media types...), each value read by `each`."""
        for name, sub in (self.mapping(loc, value) or {}).items():
            each((*loc, str(name)), sub)

    def document(self, value: Any) -> None:
        """The top level: info, servers, tags, paths, components."""
        children = {
            "info": lambda loc, v: self.element(loc, v, ("title", "description"), {}),
            "servers": functools.partial(self.named, each=self.text_only),
            "tags": functools.partial(self.named, each=self.text_only),
            "paths": functools.partial(self.named, each=self.path_item),
            "components": self.components,
        }
        self.element((), value, (), children)

    def text_only(self, loc: Location, value: Any) -> None:
        """A text or {description}: servers, tags, security schemes."""
        self.element(loc, value, ("description",), {})

    def components(self, loc: Location, value: Any) -> None:
        """components: schemas, parameters, responses, requestBodies, headers, securitySchemes."""
        kinds = {
            "schemas": self.schema,
            "parameters": self.parameter,
            "responses": self.response,
            "requestBodies": self.body,
            "headers": self.header,
            "securitySchemes": self.text_only,
        }
        children = {section: functools.partial(self.named, each=each) for section, each in kinds.items()}
        self.element(loc, value, (), children)

    def path_item(self, loc: Location, value: Any) -> None:
        """A path: its operations by method, and path-level summary, description and parameters."""
        children: dict[str, Any] = {m: self.operation for m in METHODS}
        children["parameters"] = functools.partial(self.named, each=self.parameter)
        self.element(loc, value, ("summary", "description"), children)

    def operation(self, loc: Location, value: Any) -> None:
        """summary, description, parameters by "<in> <name>", requestBody, responses by status."""
        children = {
            "parameters": functools.partial(self.named, each=self.parameter),
            "requestBody": self.body,
            "responses": functools.partial(self.named, each=self.response),
        }
        self.element(loc, value, ("summary", "description"), children)

    def parameter(self, loc: Location, value: Any) -> None:
        """A text, or description/example/examples and the prose of its schema or content."""
        children = {"schema": self.schema, "content": self.content}
        self.element(loc, value, ("description", "example", "examples"), children)

    def body(self, loc: Location, value: Any) -> None:
        """A text, or a description and content by media type."""
        self.element(loc, value, ("description",), {"content": self.content})

    def response(self, loc: Location, value: Any) -> None:
        """A text, or a description, headers and content by media type."""
        children = {"content": self.content, "headers": functools.partial(self.named, each=self.header)}
        self.element(loc, value, ("description",), children)

    def header(self, loc: Location, value: Any) -> None:
        """A text, or description/example/examples and the prose of its schema."""
        self.element(loc, value, ("description", "example", "examples"), {"schema": self.schema})

    def content(self, loc: Location, value: Any) -> None:
        """Media types: the schema's prose plus the media type's examples (and schemaExample/schemaExamples)."""
        own = ("description", "title", "example", "examples", "schemaExample", "schemaExamples")
        self.named(loc, value, lambda lc, v: self.element(lc, v, own, self.schema_children()))

    def schema(self, loc: Location, value: Any) -> None:
        """A text, or description/title/example/examples and the prose of inline sub-schemas."""
        self.element(loc, value, ("description", "title", "example", "examples"), self.schema_children())

    def schema_children(self) -> dict[str, Any]:
        """The inline sub-schemas a schema prose mapping may hold."""
        children: dict[str, Any] = {}
        for key in SCHEMA_MAPS:
            children[key] = functools.partial(self.named, each=self.schema)
        for key in SCHEMA_ONE:
            children[key] = self.schema
        for key in SCHEMA_LISTS:
            children[key] = self.members
        return children

    def members(self, loc: Location, value: Any) -> None:
        """Union members and prefixItems, keyed by their index."""
        for position, sub in (self.mapping(loc, value) or {}).items():
            if isinstance(position, int) or (isinstance(position, str) and position.isdigit()):
                self.schema((*loc, int(position)), sub)
            else:
                self.error(loc, f"member keys are indexes (0, 1, ...), got {position!r}")


# ---------------------------------------------------------------- what still needs words


def _has_text(node: Json, key: str) -> bool:
    """Whether `node[key]` is a text that is not blank."""
    value = node.get(key)
    return isinstance(value, str) and bool(value.strip())


def missing_locations(spec: Json, properties: bool = False) -> list[tuple[Location, str]]:
    """(location, overlay key) of every element without a description of its own.

    The rule: every operation needs a summary and a description; every parameter, request body, response,
    tag, component schema (and the document's info) a description. Properties are listed only with
    `properties=True`: many are self-evident from their name and the schema's description.
    """
    out: list[tuple[Location, str]] = []
    for element in elements(spec):
        loc, kind, node = element.loc, element.kind, element.node
        if kind == "operation":
            out += [(loc, key) for key in ("summary", "description") if not _has_text(node, key)]
        elif kind == "info":
            out += [(loc, key) for key in ("title", "description") if not _has_text(node, key)]
        elif kind in ("parameter", "body", "response", "tag", "security") or (
            kind == "schema" and len(loc) == 3 and loc[:2] == ("components", "schemas")
        ):
            if not _has_text(node, "description"):
                out.append((loc, "description"))
        elif properties and kind == "schema" and len(loc) >= 2 and loc[-2] in SCHEMA_MAPS:
            if not _has_text(node, "description"):
                out.append((loc, "description"))
    return out


def missing(spec: Json, properties: bool = False) -> list[str]:
    """Locations without a description, as text (see `missing_locations` for the rule)."""
    return [describe(loc, key) for loc, key in missing_locations(spec, properties)]


def todo_overlay(spec: Json, properties: bool = False) -> Json:
    """An overlay skeleton with an empty text at every missing location, for a maintainer to fill."""
    flat: Flat = {}
    for loc, key in missing_locations(spec, properties):
        flat.setdefault(loc, {})[key] = ""
    return nest(flat)
