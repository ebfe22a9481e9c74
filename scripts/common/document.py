"""An OpenAPI document as the tools read it: a dict loaded from YAML or JSON.

One `$ref` resolver (`resolve`, and `resolve_chain` for readers that need the last reference followed) with one
failure behaviour: a reference that does not resolve raises RefError naming it. A reader that must go on past a
broken reference (so that a report further on can name the operation it belongs to) catches RefError where it
reads, and says why there.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

__all__ = [
    "METHODS",
    "PROSE",
    "Json",
    "RefError",
    "is_json_media",
    "json_type",
    "load",
    "operations",
    "resolve",
    "resolve_chain",
    "resolve_or_empty",
    "set_types",
    "type_list",
    "walk_schemas",
]

Json = dict[str, Any]

#: The HTTP methods of a path item, in the order the tools list operations.
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
#: Keys of a schema that say something to people, not to a parser.
PROSE = ("description", "summary", "title", "example", "examples", "deprecated", "externalDocs")
#: How many `$ref`s a chain may follow before it counts as a loop.
MAX_REFS = 64


class RefError(ValueError):
    """A `$ref` that cannot be followed: not local, pointing nowhere, or part of a loop. The message names it."""


def load(path: Path) -> Json:
    """A YAML or JSON document (YAML with the C loader when PyYAML has it: the published document is large)."""
    with open(path, encoding="utf-8") as handle:
        try:
            if path.suffix == ".json":
                data = json.load(handle)
            else:
                data = yaml.load(handle, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - safe
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}: not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path}: not an OpenAPI document")
    return data


def resolve_chain(spec: Json, node: Any) -> tuple[Any, str | None]:
    """The node a chain of local `$ref`s leads to, and the last reference followed (None when there was none).
    Raises RefError naming a reference that is not local, points nowhere, or loops."""
    ref: str | None = None
    for _ in range(MAX_REFS):
        if not (isinstance(node, dict) and "$ref" in node):
            return node, ref
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/"):
            raise RefError(f"$ref {ref!r}: only local references (#/...) are supported")
        target: Any = spec
        walked = "#"
        for part in ref[2:].split("/"):
            key = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(target, dict) or key not in target:
                raise RefError(f"$ref {ref!r} does not resolve: {walked} has no {key!r}")
            target = target[key]
            walked += "/" + part
        node = target
    raise RefError(f"$ref loop at {ref!r}")


def resolve(spec: Json, node: Any) -> Any:
    """The node a chain of local `$ref`s leads to (any other value as it is). Raises RefError (see resolve_chain)."""
    return resolve_chain(spec, node)[0]


def type_list(schema: Json) -> list[str]:
    """The schema's `type` as a list (3.1 writes one type or several; none: empty)."""
    declared = schema.get("type")
    if declared is None:
        return []
    return [declared] if isinstance(declared, str) else list(declared)


def set_types(schema: Json, types: list[str]) -> None:
    """Write `types` as the schema's `type`: removed when empty, a string for one, else the list."""
    if not types:
        schema.pop("type", None)
    elif len(types) == 1:
        schema["type"] = types[0]
    else:
        schema["type"] = types


def json_type(value: Any) -> str:
    """The JSON type name of a value read from a document, as the client's argument checks name it
    (modelgates_client._validation.json_type): a number with an integral value (1, 1.0) is "integer", a boolean
    is never a number. A value JSON has no type for (a YAML date) is written as a string: "string"."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "integer" if value.is_integer() else "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


def is_json_media(media_type: str) -> bool:
    """Whether a media type (parameters allowed) carries JSON: application/json or any `+json` type."""
    simple = media_type.split(";")[0].strip().lower()
    return simple == "application/json" or simple.endswith("+json")


def operations(spec: Json) -> list[tuple[str, str, Json, Json]]:
    """(method, path, operation, path item) of every operation, the method in lower case, in document order."""
    out = []
    for path, item in (spec.get("paths") or {}).items():
        for method in METHODS:
            if isinstance(item, dict) and isinstance(item.get(method), dict):
                out.append((method, path, item[method], item))
    return out


def walk_schemas(node: Any, visit: Callable[[Json], None]) -> None:
    """Call visit(schema) on every dict below node, children first (so rewrites see rewritten children)."""
    if isinstance(node, dict):
        for value in list(node.values()):
            walk_schemas(value, visit)
        visit(node)
    elif isinstance(node, list):
        for value in node:
            walk_schemas(value, visit)


def resolve_or_empty(spec: Json, node: Any) -> Any:
    """resolve(), but `{}` for a reference that does not resolve. Only for the generator's readers that look around
    a schema (union members, fixed values, a page's total, form file parts): the operation a broken reference
    belongs to is not generated, and the generator's audit names it; these readers must not fail first."""
    try:
        return resolve(spec, node)
    except RefError:
        return {}
