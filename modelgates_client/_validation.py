"""Checks a caller's arguments against the compact schemas generated from the spec (_generated/schemas.py, handed
to the core through `_tables`; its legend explains the notation).

Only JSON types, required keys and union shapes are checked, so that a wrong call fails before anything is
sent; values themselves (an enum value the spec does not list, a number out of range) are left to the API.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._text import json_type
from ._unions import fits

if TYPE_CHECKING:
    from ._tables import Tables

__all__ = ["check_argument", "union_member"]

_TYPE_NAMES = {
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "a boolean",
    "object": "an object (dict)",
    "array": "an array (list)",
    "null": "null (None)",
}
_NO_MARKS: dict[str, Any] = {}


def _type_ok(value_type: str, allowed: tuple[str, ...]) -> bool:
    if value_type in allowed:
        return True
    return value_type == "integer" and "number" in allowed


def _describe(allowed: tuple[str, ...]) -> str:
    return " or ".join(_TYPE_NAMES.get(t, t) for t in allowed)


def check_argument(tables: Tables, operation: str, name: str, value: Any, label: str) -> None:
    """Raise TypeError/ValueError naming `label` (e.g. `chat.send(messages)`) when `value` (JSON data) does not
    fit what the spec says argument `name` of `operation` takes (the generated check tables, through `tables`)."""
    schemas, arguments = tables.checks()
    node = arguments.get(operation, {}).get(name)
    if node is not None:
        _check(value, node, label, schemas, 0)


def _check(value: Any, node: Any, path: str, schemas: Mapping[str, Any], depth: int) -> None:
    if node is None or depth > 100:
        return
    ref = node.get("$")
    if ref is not None:
        node = schemas.get(ref)
        if node is None:
            return
    vtype = json_type(value)
    allowed = node.get("t")
    if allowed is not None and not _type_ok(vtype, allowed):
        raise TypeError(f"{path}: expected {_describe(allowed)}, got {_shown(value, vtype)}")
    members = node.get("u")
    if members is not None:
        _check_union(value, node, members, path, schemas, depth)
    if vtype == "object":
        _check_object(value, node, path, schemas, depth)
    elif vtype == "array":
        items = node.get("i")
        if items is not None:
            for i, item in enumerate(value):
                _check(item, items, f"{path}[{i}]", schemas, depth + 1)


def _check_object(value: dict[str, Any], node: Any, path: str, schemas: Mapping[str, Any], depth: int) -> None:
    for key in node.get("r", ()):
        if key not in value:
            raise ValueError(f"{path}: missing required key {key!r}")
    props = node.get("p")
    extra = node.get("a")
    if props is None and extra is None:
        return
    for key, item in value.items():
        sub = props.get(key) if props is not None else None
        if sub is None:
            sub = extra
        if sub is not None:
            _check(item, sub, f"{path}.{key}", schemas, depth + 1)


def _check_union(
    value: Any, node: Any, members: tuple[Any, ...], path: str, schemas: Mapping[str, Any], depth: int
) -> None:
    if value.__class__ is dict and "o" in node:
        index = union_member(value, node, schemas)
        if index is None:  # it fits no member: the closest one says what is wrong
            index, missing = _closest(value, node, members, schemas)
            if missing:
                raise ValueError(f"{path}: missing required key {missing[0]!r}")
            _check(value, members[index], path, schemas, depth + 1)
            raise ValueError(f"{path}: {_shown(value, 'object')} matches none of the allowed shapes")
        if index >= 0:
            _check(value, members[index], path, schemas, depth + 1)
        return  # -1: a variant the spec does not know yet, passed through
    _check_untagged(value, members, path, schemas, depth)


def _check_untagged(value: Any, members: tuple[Any, ...], path: str, schemas: Mapping[str, Any], depth: int) -> None:
    """A value passes a union without object members' rule when it passes one member; else the most telling
    complaint."""
    errors: list[Exception] = []
    for member in members:
        try:
            _check(value, member, path, schemas, depth + 1)
            return
        except (TypeError, ValueError) as exc:
            errors.append(exc)
    # A member whose JSON type fitted went deeper: its complaint is the one that helps.
    deeper = [e for e in errors if not str(e).startswith(path + ": expected")]
    if deeper:
        raise type(deeper[0])(str(deeper[0])) from None
    vtype = json_type(value)
    allowed = tuple(sorted({t for m in members for t in _member_types(m, schemas)}))
    if allowed:
        raise TypeError(f"{path}: expected {_describe(allowed)}, got {_shown(value, vtype)}")
    raise TypeError(f"{path}: {_shown(value, vtype)} matches none of the allowed shapes")


def union_member(value: dict[str, Any], node: Any, schemas: Mapping[str, Any]) -> int | None:
    """The member of a union that an object value is, by the union's rule (scripts/specprep.py UnionRule, which
    the generated model parsers follow too): its index; -1 for a variant the spec does not know yet (the key
    holds a value no member lists, and no untagged member fits); None when it fits no member."""
    members = node["u"]
    candidates: tuple[int, ...] | list[int] = node["o"]
    key = node.get("k")
    unknown_tag = False
    if key is not None and value.get(key).__class__ is str:  # a tag of another type fits no member's tag
        tags = node["g"]
        members_of_tag = tags.get(value[key])
        if members_of_tag.__class__ is int:
            return int(members_of_tag)
        if members_of_tag is not None:  # a value several members fix: their required keys decide
            candidates = members_of_tag
        else:
            tagged = {i for m in tags.values() for i in ((m,) if m.__class__ is int else m)}
            candidates = [i for i in candidates if i not in tagged]
            unknown_tag = True
    for i in candidates:
        if _fits(value, members[i], schemas):
            return i
    return -1 if unknown_tag else None


def _fits(value: dict[str, Any], node: Any, schemas: Mapping[str, Any]) -> bool:
    """Whether an object can be this union member: `_unions.fits`, the test the model parsers apply too."""
    if node is not None and "$" in node:
        node = schemas.get(node["$"])
    if node is None:
        return True
    return fits(value, node.get("r", ()), node.get("f", _NO_MARKS))


def _required(node: Any, schemas: Mapping[str, Any]) -> tuple[str, ...]:
    if node is not None and "$" in node:
        node = schemas.get(node["$"])
    return tuple(node.get("r", ())) if node is not None else ()


def _closest(
    value: dict[str, Any], node: Any, members: tuple[Any, ...], schemas: Mapping[str, Any]
) -> tuple[int, list[str]]:
    """The union member an object is closest to (the fewest required keys missing), and the keys it misses."""
    best: tuple[int, list[str]] | None = None
    for i in node["o"]:
        missing = [k for k in _required(members[i], schemas) if k not in value]
        if best is None or len(missing) < len(best[1]):
            best = (i, missing)
    assert best is not None  # "o" is never empty
    return best


def _member_types(node: Any, schemas: Mapping[str, Any]) -> tuple[str, ...]:
    if node is None:
        return ()
    if "$" in node:
        node = schemas.get(node["$"]) or {}
    if "t" in node:
        return tuple(node["t"])
    out: list[str] = []
    for m in node.get("u", ()):
        out.extend(_member_types(m, schemas))
    return tuple(out)


def _shown(value: Any, vtype: str) -> str:
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{vtype} {text}"
