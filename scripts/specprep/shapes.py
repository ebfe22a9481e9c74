"""What a schema is, as the passes of spec preparation ask it (predicates and small copies they share)."""

from __future__ import annotations

import re
from typing import Any

from ..common.document import PROSE, Json, set_types, type_list


def prose_only(s: Any) -> bool:
    """A schema that constrains nothing: empty, or only prose (`{}`, `{description: ...}`)."""
    return isinstance(s, dict) and all(k in PROSE for k in s)


def adds_nothing(s: Any) -> bool:
    """An allOf part that adds nothing to an object schema beside it: prose, `type: object`, no properties."""
    return isinstance(s, dict) and all(
        k in PROSE or (k == "type" and v == "object") or (k in ("properties", "required") and not v)
        for k, v in s.items()
    )


def without(s: Json, key: str) -> Json:
    return {k: v for k, v in s.items() if k != key}


def string_enum_values(s: Any) -> list[Any] | None:
    """The values of a plain string enum or const (nothing else constrained), else None."""
    if not isinstance(s, dict) or set(s) - set(PROSE) - {"type", "enum", "const"} or "$ref" in s:
        return None
    if type_list(s) not in ([], ["string"]):
        return None
    values = [s["const"]] if "const" in s else s.get("enum")
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        return None
    return values


def is_model_schema(s: Any) -> bool:
    return (
        isinstance(s, dict)
        and "$ref" not in s
        and (bool(s.get("properties")) or isinstance(s.get("additionalProperties"), dict))
        and not any(k in s for k in ("oneOf", "anyOf", "allOf"))
    )


def is_plain_enum(s: Any) -> bool:
    """An inline enum of strings or integers (not nullable: nullable ones are hoisted as unions with null)."""
    return (
        isinstance(s, dict)
        and "$ref" not in s
        and isinstance(s.get("enum"), list)
        and bool(s["enum"])
        and type_list(s) in (["string"], ["integer"])
    )


def is_nullable_enum(s: Any) -> bool:
    return isinstance(s, dict) and isinstance(s.get("enum"), list) and "null" in type_list(s) and "$ref" not in s


def same_enum(a: Any, b: Json) -> bool:
    return isinstance(a, dict) and a.get("enum") == b.get("enum") and type_list(a) == type_list(b)


def without_null(s: Json) -> Json:
    out = dict(s)
    set_types(out, [t for t in type_list(s) if t != "null"])
    return out


def class_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())
