"""One side of the comparison: a document read the way spec-diff compares it (its `$ref`s followed, `allOf`
merged, a union's `null` members taken as nullability), and the facts of a schema (types, values, extra keys)."""

from __future__ import annotations

from typing import Any

from ..common.document import Json, json_type, resolve_chain
from ..common.document import operations as _operations

PROSE = frozenset({"description", "summary", "title", "example", "examples", "deprecated"})


class Side:
    """One document: resolves local `$ref`s and reads schemas the way the comparison needs them."""

    def __init__(self, spec: Json) -> None:
        self.spec = spec

    def resolve(self, node: Any) -> tuple[Any, str | None]:
        """The node a chain of `$ref`s leads to, and the last reference followed (None when there was none).
        Raises RefError naming a reference that does not resolve."""
        return resolve_chain(self.spec, node)

    def merged(self, schema: Json, depth: int = 0) -> Json:
        """`allOf` folded into one schema: properties and required lists united, other keys the first seen."""
        if not isinstance(schema.get("allOf"), list) or depth > 32:
            return schema
        out = {k: v for k, v in schema.items() if k != "allOf"}
        properties = dict(out.get("properties") or {})
        required = list(out.get("required") or [])
        for part in schema["allOf"]:
            resolved = self.merged(as_dict(self.resolve(part)[0]), depth + 1)
            properties.update(resolved.get("properties") or {})
            required += resolved.get("required") or []
            for key, value in resolved.items():
                if key not in ("properties", "required"):
                    out.setdefault(key, value)
        if properties:
            out["properties"] = properties
        if required:
            out["required"] = sorted(set(required))
        return out

    def union(self, schema: Json) -> tuple[list[Any] | None, bool]:
        """Members of a oneOf/anyOf without its `null` members, and whether there was one (None: no union)."""
        members = schema.get("oneOf") or schema.get("anyOf")
        if not isinstance(members, list) or not members:
            return None, False
        real: list[Any] = []
        nullable = False
        for member in members:
            resolved = as_dict(self.resolve(member)[0])
            if types_of(resolved) == {"null"} and not resolved.get("properties"):
                nullable = True
            else:
                real.append(member)
        return real, nullable


def as_dict(value: Any) -> Json:
    """The value if it is a mapping, else an empty one."""
    return value if isinstance(value, dict) else {}


def types_of(schema: Json) -> set[str]:
    """The schema's JSON types: the 3.1 type list, 3.0 `nullable`, and the type of a `const`."""
    declared = schema.get("type")
    types = {declared} if isinstance(declared, str) else set(declared or [])
    if schema.get("nullable") is True:
        types.add("null")
    if "const" in schema:
        types.add(json_type(schema["const"]))
    if types == {"integer", "number"}:
        types = {"number"}
    return types


def values_of(schema: Json) -> set[str] | None:
    """The values a schema allows by enum or const (as reprs), or None when it lists none."""
    if "const" in schema:
        return {repr(schema["const"])}
    if isinstance(schema.get("enum"), list):
        return {repr(v) for v in schema["enum"]}
    return None


def extra_of(schema: Json) -> Any:
    """additionalProperties: absent, true or a schema of prose only mean "any"; false means "none"."""
    extra = schema.get("additionalProperties")
    if extra is None or extra is True or (isinstance(extra, dict) and set(extra) <= PROSE | {"nullable"}):
        return "any"
    if extra is False:
        return "none"
    return extra


def operations(spec: Json) -> list[tuple[str, str, Json, Json]]:
    """(METHOD, path, operation, path item) of every operation."""
    return [(method.upper(), path, op, item) for method, path, op, item in _operations(spec)]
