"""The elements of a document that can carry prose: every location (`Element`: where, what kind, the node), parents
before children, in document order; and how a location is written for people (`describe`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from ..common.document import METHODS, Json, resolve

Location = tuple[Any, ...]  # str parts, and int indexes of union members / prefixItems

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
    yield from _components(spec.get("components") or {})


def _components(components: Json) -> Iterator[Element]:
    """Elements of the components: each section's entries, by their kind."""
    walkers = {
        "schema": lambda loc, node: _schema(loc, node, "schema"),
        "parameter": _parameter,
        "response": _response,
        "body": _body,
        "header": _header,
    }
    for section, kind in COMPONENT_KINDS.items():
        for name, node in (components.get(section) or {}).items():
            loc = ("components", section, name)
            if kind in walkers:
                yield from walkers[kind](loc, node)
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
