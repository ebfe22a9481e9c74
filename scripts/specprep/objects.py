"""Passes on object schemas: free-form objects become one placeholder component (rendered `dict[str, Any]`), and
every inline object (and positional enum) moves to a component named after where it stood."""

from __future__ import annotations

import copy
import re
from typing import Any

from ..common.document import PROSE, Json, operations, type_list, walk_schemas
from ..common.names import pascal_case
from .shapes import (
    class_key,
    is_model_schema,
    is_nullable_enum,
    is_plain_enum,
    same_enum,
    string_enum_values,
    without_null,
)

JSON_OBJECT = "JsonObject"


def free_form_objects_to_dicts(spec: Json) -> str | None:
    """An object schema with no properties and no typed additionalProperties is free-form JSON: it becomes a $ref
    to one placeholder component (`JsonObject`, renamed if the document has one), which the templates render as
    `dict[str, Any]` and never as a class: a plain dict, typed as one. A nullable one becomes
    `anyOf: [$ref, null]`. Returns the placeholder's name, or None when the document has no free-form object."""
    schemas: Json = spec.setdefault("components", {}).setdefault("schemas", {})
    taken = {class_key(n) for n in schemas}
    name, n = JSON_OBJECT, 2
    while class_key(name) in taken:
        name, n = f"{JSON_OBJECT}{n}", n + 1
    target = {"$ref": f"#/components/schemas/{name}"}
    used = False

    def visit(s: Json) -> None:
        nonlocal used
        if not _is_free_form(s):
            return
        nullable = "null" in type_list(s)
        for key in [k for k in s if k not in PROSE]:
            del s[key]
        if nullable:
            s["anyOf"] = [dict(target), {"type": "null"}]
        else:
            s.update(target)
        used = True

    walk_schemas(spec, visit)
    if not used:
        return None
    _redirect_aliases(spec, schemas, target)
    schemas[name] = {"type": "object"}
    return name


def _is_free_form(s: Json) -> bool:
    """An object (or object-or-null) schema with no properties, no union and no typed additionalProperties."""
    types = type_list(s)
    if "object" not in types or s.get("properties") or any(k in s for k in ("oneOf", "anyOf", "allOf", "$ref")):
        return False
    extra = s.get("additionalProperties", True)
    if not (extra is True or (isinstance(extra, dict) and not (set(extra) - set(PROSE)))):
        return False
    return not set(types) - {"object", "null"}


def _redirect_aliases(spec: Json, schemas: Json, target: Json) -> None:
    """A component that was itself a free-form object is now an alias of the placeholder; openapi-python-client
    would make a class of an alias, so references to it take the placeholder (or its nullable union) instead."""
    aliases = {
        f"#/components/schemas/{c}": schema
        for c, schema in schemas.items()
        if schema.get("$ref") == target["$ref"] or (schema.get("anyOf") or [None])[0] == target
    }

    def redirect(s: Json) -> None:
        alias = aliases.get(s.get("$ref"))  # type: ignore[arg-type]
        if alias is not None:
            del s["$ref"]
            s.update({k: copy.deepcopy(v) for k, v in alias.items() if k not in PROSE})
            if "description" in alias:
                s.setdefault("description", alias["description"])

    walk_schemas(spec, redirect)
    for ref in aliases:
        del schemas[ref.rsplit("/", 1)[-1]]


def hoist_inline_objects(spec: Json) -> None:
    """Every inline object schema with properties moves to components/schemas under a name built from where it
    stood (Parent + property, + Item for array items, + Variant<n> for union members), and is replaced by a $ref.
    openapi-python-client then names each model once, and never twice for the same inline schema."""
    hoister = _Hoister(spec.setdefault("components", {}).setdefault("schemas", {}))
    for comp in list(hoister.schemas):
        hoister.walk(hoister.schemas[comp], _part(comp))
    for _m, _p, op, item in operations(spec):
        # Named after the group and the method (`ModelsListResponse`): method names repeat across groups.
        tags = op.get("tags") or []
        base = (_part(str(tags[0])) if tags else "") + _part(str(op.get("operationId") or "operation"))
        for p in (item.get("parameters") or []) + (op.get("parameters") or []):
            if "schema" in p:
                p["schema"] = hoister.hoist(p["schema"], base + _part(p.get("name", "param")))
        body = op.get("requestBody") or {}
        for media in (body.get("content") or {}).values():
            if "schema" in media:
                media["schema"] = hoister.hoist(media["schema"], base + "Body")
        responses = op.get("responses") or {}
        successes = [s for s in responses if str(s).startswith("2")]
        for status, response in responses.items():
            suffix = "" if successes == [status] else str(status).title()  # the one success: `...Response`
            for media in (response.get("content") or {}).values():
                if "schema" in media:
                    media["schema"] = hoister.hoist(media["schema"], base + "Response" + suffix)


def _part(value: str) -> str:
    """A part of a component name: the value in PascalCase (`Schema` when it has no letter or digit)."""
    return pascal_case(value) or "Schema"


def _ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


class _Hoister:
    """Moves inline schemas to components (`schemas`), each under a name no component has yet (case and
    punctuation ignored)."""

    def __init__(self, schemas: Json) -> None:
        self.schemas = schemas
        self.taken = {class_key(n) for n in schemas}

    def new_name(self, base: str) -> str:
        name, n = base, 2
        while class_key(name) in self.taken:
            name = f"{base}{n}"
            n += 1
        self.taken.add(class_key(name))
        return name

    def hoist(self, node: Any, name: str) -> Any:
        """The schema to put where `node` stood: a $ref to its new component (a nullable one: `anyOf: [$ref,
        null]`), or the node itself when it is no object or enum (its inline sub-schemas hoisted)."""
        if is_nullable_enum(node):
            plain = without_null(node)
            same = next(
                (n for n in self.schemas if class_key(n) == class_key(name) and same_enum(self.schemas[n], plain)),
                None,
            )
            target = same or self.new_name(name)
            self.schemas[target] = plain
            return _or_null(target, node)
        if not is_model_schema(node):
            self.walk(node, name)
            return node
        if "null" in type_list(node):  # a nullable object: the object is the component, the use says "or null"
            plain = without_null(node)
            target = self.new_name(name)
            self.schemas[target] = plain
            self.walk(plain, target)
            return _or_null(target, node)
        target = self.new_name(name)
        self.schemas[target] = node
        self.walk(node, target)
        return _ref(target)

    def walk(self, s: Any, name: str) -> None:
        """Hoist the inline schemas below `s` (properties, items, additionalProperties, union members)."""
        if not isinstance(s, dict):
            return
        for prop, sub in list((s.get("properties") or {}).items()):
            s["properties"][prop] = self.hoist(sub, name + _part(prop))
        if isinstance(s.get("items"), dict):
            s["items"] = self.hoist_positional(s["items"], _singular(name))
        if isinstance(s.get("additionalProperties"), dict):
            s["additionalProperties"] = self.hoist_positional(s["additionalProperties"], name + "Value")
        for key in ("oneOf", "anyOf"):
            if isinstance(s.get(key), list):
                members = s[key]
                s[key] = [self.hoist_positional(m, name + _member_name(m, i, members)) for i, m in enumerate(members)]

    def hoist_positional(self, node: Any, name: str) -> Any:
        """Array items, map values and union members: their enums are hoisted too (a property's enum is named
        by openapi-python-client after the property already)."""
        if is_plain_enum(node):
            target = self.new_name(name)
            self.schemas[target] = node
            return _ref(target)
        return self.hoist(node, name)


def _or_null(target: str, node: Json) -> Json:
    """`anyOf: [$ref to target, null]`, with the description `node` had."""
    wrapper: Json = {"anyOf": [_ref(target), {"type": "null"}]}
    if "description" in node:
        wrapper["description"] = node["description"]
    return wrapper


def _singular(name: str) -> str:
    """The name of one item of an array named `name`: `ChatRequestModalities` -> `ChatRequestModality`, `Tools` ->
    `Tool`; a name that does not look plural gets `Item`."""
    head, word = re.match(r"(.*?)([A-Z]?[a-z0-9]*)$", name).groups()  # type: ignore[union-attr]
    lower = word.lower()
    if lower.endswith("ies") and len(word) > 4:
        return head + word[:-3] + "y"
    if lower.endswith(("sses", "shes", "ches", "xes")):
        return head + word[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us", "is")) and len(word) > 2:
        return head + word[:-1]
    return name + "Item"


def _member_name(member: Any, index: int, members: list[Any]) -> str:
    """How an inline union member is named after its union: an enum `Enum`; an object by the value it fixes a
    property to (`type: function` -> `Function`), else by its one required property, else `Object` when it is
    the union's only inline object; else by its position (`Variant<n>`)."""
    if not isinstance(member, dict) or "$ref" in member:
        return f"Variant{index}"
    if type_list(member) == ["array"] and not (member.get("properties") or member.get("oneOf") or member.get("anyOf")):
        return ""  # an array member is not a class: its items are named after the union (`Inputs` -> `Input`)
    if is_plain_enum(member):
        return "Enum" if sum(1 for m in members if is_plain_enum(m)) == 1 else f"Enum{index}"
    for prop in (member.get("properties") or {}).values():
        values = string_enum_values(prop)
        if values is not None and len(values) == 1:
            return _part(values[0])
    required = member.get("required")
    if isinstance(required, list) and len(required) == 1 and isinstance(required[0], str):
        return _part(required[0])
    objects = [m for m in members if isinstance(m, dict) and "$ref" not in m and "object" in type_list(m)]
    if len(objects) == 1 and objects[0] is member:
        return "Object"
    return f"Variant{index}"
