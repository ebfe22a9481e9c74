"""Passes on allOf and on union members: an allOf that stands for one schema becomes it, any other allOf is folded
into one schema, plain enums among a union's members become one, and `required` names an object does not have
are dropped."""

from __future__ import annotations

import copy
from typing import Any

from ..common.document import PROSE, Json, operations, resolve, walk_schemas
from .shapes import adds_nothing, prose_only, string_enum_values


def single_allof_to_ref(spec: Json) -> None:
    """`allOf: [X]` with nothing but prose beside it becomes X itself. Parts that constrain nothing (`{}`, prose
    only; beside a $ref also `{type: object, properties: {}}`) do not count: `allOf: [X, {description: ...}]` is
    X too, not a copy of it."""

    def visit(s: Json) -> None:
        parts = s.get("allOf")
        if not isinstance(parts, list) or not all(k in PROSE or k == "allOf" for k in s):
            return
        real = [p for p in parts if not prose_only(p)]
        if len(real) > 1 and any(isinstance(p, dict) and "$ref" in p for p in real):
            real = [p for p in real if not adds_nothing(p)]
        if len(real) == 1 and isinstance(real[0], dict):
            keep = {k: s[k] for k in s if k in ("description",)}
            s.clear()
            s.update(real[0])
            for k, v in keep.items():  # beside a $ref too (OpenAPI 3.1): the generator reads it as the site's doc
                s.setdefault(k, v)

    walk_schemas(spec, visit)


def merge_allof(spec: Json) -> None:
    """Any other allOf is folded into one schema: properties merged, required unioned.

    A property that a later part declares again overrides the earlier declaration (a subschema narrowing or
    replacing a property of its base), key by key: `{description: ...}` alone keeps the base's type, a new
    type or union replaces it. The parts' own keys (type, additionalProperties, enum, ...) are taken from the
    first part that has them. Referenced parts are folded with their own nested allOfs folded first, whatever
    order the document lists its schemas in.
    """
    walk_schemas(spec, lambda s: _fold_in_place(spec, s, 0))


def _fold_in_place(spec: Json, s: Json, depth: int) -> None:
    if isinstance(s.get("allOf"), list):
        merged = _fold(spec, s, depth)
        s.clear()
        s.update(merged)


def _fold(spec: Json, s: Json, depth: int) -> Json:
    """The allOf schema `s` as one schema (a copy); its parts' nested allOfs folded first."""
    if depth > 32:
        raise ValueError("allOf nested too deeply")
    parts = s.get("allOf")
    if not isinstance(parts, list):
        return s
    out: Json = {k: v for k, v in s.items() if k != "allOf"}
    props: Json = {}
    required: list[str] = []
    for part in parts:
        part = copy.deepcopy(resolve(spec, part))
        for child in part.values():  # nested allOfs first (the part itself is folded just below)
            walk_schemas(child, lambda sub: _fold_in_place(spec, sub, depth + 1))
        part = _fold(spec, part, depth + 1)
        _merge_part(part, props, required)
        for key, value in part.items():
            if key not in ("properties", "required") and key not in PROSE:
                out.setdefault(key, value)
    _merge_part(out, props, required)
    if props:
        out["properties"] = props
        if "type" not in out:
            out["type"] = "object"
    if required:
        out["required"] = required
    return out


def _merge_part(part: Json, props: Json, required: list[str]) -> None:
    """Add a part's properties (a later declaration overriding, see _override) and required names."""
    for name, prop in (part.get("properties") or {}).items():
        props[name] = _override(props.get(name), prop)
    for name in part.get("required") or []:
        if name not in required:
            required.append(name)


def _override(base: Any, new: Any) -> Any:
    """A property declared again by a later allOf part: the new declaration wins, except that one which only
    adds prose keeps the base's schema (with the new prose)."""
    if base is None or not isinstance(new, dict):
        return new
    if prose_only(new) and isinstance(base, dict):
        if "$ref" in base:
            return base
        return {**base, **new}
    return new


def drop_unsatisfiable_required(spec: Json) -> None:
    """A `required` name that is not among an object's properties (with no additionalProperties schema) is dropped.

    openapi-python-client would otherwise invent an untyped attribute; the validator still sees the original.
    """

    def visit(s: Json) -> None:
        req = s.get("required")
        props = s.get("properties")
        if isinstance(req, list) and isinstance(props, dict) and props:
            kept = [r for r in req if r in props]
            if len(kept) != len(req):
                if kept:
                    s["required"] = kept
                else:
                    del s["required"]

    walk_schemas(spec.get("components", {}), visit)
    for _m, _p, op, _i in operations(spec):
        walk_schemas(op, visit)


def merge_enum_members(spec: Json) -> None:
    """The plain string enums (or consts) among a union's members become one enum member: `anyOf: [{enum: [none]},
    {enum: [auto]}, $ref]` is `anyOf: [{enum: [none, auto]}, $ref]`, one enum type instead of one per value. A
    union left with one member is that member."""

    def visit(s: Json) -> None:
        for key in ("anyOf", "oneOf"):
            members = s.get(key)
            if not isinstance(members, list) or "discriminator" in s:
                continue
            enums = [m for m in members if string_enum_values(m) is not None]
            if len(enums) < 2:
                continue
            values: list[Any] = []
            for m in enums:
                values += [v for v in string_enum_values(m) or [] if v not in values]
            merged = {"type": "string", "enum": values}
            first = members.index(enums[0])
            rest = [m for m in members if not any(m is e for e in enums)]
            rest.insert(first, merged)
            if len(rest) == 1:
                del s[key]
                s.update(merged)
            else:
                s[key] = rest

    walk_schemas(spec, visit)
