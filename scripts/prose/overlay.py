"""Prose overlays, extracted and applied: the prose of a document by location (flat), as the nested mapping of the
overlay format (`nest`), read back with its shape checked (`parse`, one method per kind of location)."""

from __future__ import annotations

import copy
import functools
from typing import Any

from ..common.document import METHODS, Json
from .elements import SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_ONE, Location, describe, elements, index

PROSE_KEYS = ("description", "summary", "title", "example", "examples")


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
