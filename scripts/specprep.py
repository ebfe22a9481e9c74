"""Spec preparation: rewrite an OpenAPI 3.0/3.1 document into the subset openapi-python-client parses.

Each pass is a small function that takes the document (a dict) and changes it in place; `prepare`
runs them in order. None of them names a schema of a particular document: they rewrite constructs.
The passes also collect what the generator needs later and the templates cannot see (stream
schemas, group and method names), into `Prepared.operations`.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
PROSE = ("description", "summary", "title", "example", "examples", "deprecated", "externalDocs")
JSON_TYPES = ("application/json",)


def is_json_media(media_type: str) -> bool:
    """Whether a media type (parameters allowed) carries JSON: application/json or any `+json` type."""
    simple = media_type.split(";")[0].strip().lower()
    return simple in JSON_TYPES or simple.endswith("+json")


EVENT_STREAM = "text/event-stream"

Json = dict[str, Any]


@dataclass
class OperationInfo:
    """What the generator knows of one operation beyond what openapi-python-client parses."""

    method: str  # upper case
    path: str
    operation_id: str
    group: str
    name: str
    stream_flag: str | None = None  # request field that switches the response to an event stream
    stream_schema: Any = None  # schema of one event's data, or None
    stream_envelope: str | None = None  # component whose `data` property is one event's data
    stream_only: bool = False  # the success response is only an event stream
    sentinel: str | None = None
    param_names: dict[tuple[str, str], str] = field(default_factory=dict)  # (in, name) -> python name
    param_styles: dict[tuple[str, str], str] = field(default_factory=dict)  # (in, name) -> how a value is written
    unsupported: list[str] = field(default_factory=list)  # parameters that cannot be sent as the spec says
    binary_statuses: list[str] = field(default_factory=list)
    paging: Paging | None = None  # how the operation's answers page, when the spec marks it

    @property
    def key(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def callable(self) -> str:
        return f"{self.group}.{self.name}"


@dataclass
class Paging:
    """How a list operation pages (from the spec's `x-modelgates-pagination`, or the published documents'
    `x-speakeasy-pagination`). Parameters are wire names; results, cursor and total are key paths in the page."""

    kind: str  # "offsetLimit" or "cursor"
    results: list[str]  # where the page's items are, e.g. ["data"]
    offset: str | None = None  # offsetLimit: the parameter that skips items
    limit: str | None = None  # offsetLimit: the parameter that caps a page (optional)
    cursor: str | None = None  # cursor: the parameter that takes the next cursor
    next_cursor: list[str] | None = None  # cursor: where the next page's cursor is
    total: list[str] | None = None  # offsetLimit: an integer the page reports as the number of items in all
    limit_default: int | None = None  # the server's page size when no limit is sent (the parameter's default)
    offset_max: int | None = None  # the largest offset the parameter accepts


@dataclass
class Prepared:
    spec: Json
    operations: list[OperationInfo]
    content_type_overrides: dict[str, str]
    json_object: str | None = None  # the placeholder component of free-form objects (rendered as dict[str, Any])
    # Declared discriminators, by the $refs of their union's members (openapi-python-client drops them).
    discriminators: dict[frozenset[str], Json] = field(default_factory=dict)


# ---------------------------------------------------------------- helpers


def snake_case(value: str) -> str:
    """`getGeneration` -> `get_generation`, `Chat Completions` -> `chat_completions`."""
    value = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", value)
    value = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", value)
    value = re.sub(r"[^0-9a-zA-Z]+", "_", value).strip("_").lower()
    if not value:
        return "default"
    if value[0].isdigit():
        value = "op_" + value
    return value


def walk_schemas(node: Any, visit: Any) -> None:
    """Call visit(schema) on every dict below node, children first (so rewrites see rewritten children)."""
    if isinstance(node, dict):
        for value in list(node.values()):
            walk_schemas(value, visit)
        visit(node)
    elif isinstance(node, list):
        for value in node:
            walk_schemas(value, visit)


def resolve(spec: Json, node: Any) -> Any:
    seen = 0
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        if not ref.startswith("#/"):
            raise ValueError(f"only local $refs are supported, got {ref!r}")
        target: Any = spec
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
        seen += 1
        if seen > 64:
            raise ValueError(f"$ref loop at {ref}")
    return node


def type_list(schema: Json) -> list[str]:
    t = schema.get("type")
    if t is None:
        return []
    return [t] if isinstance(t, str) else list(t)


def set_types(schema: Json, types: list[str]) -> None:
    if not types:
        schema.pop("type", None)
    elif len(types) == 1:
        schema["type"] = types[0]
    else:
        schema["type"] = types


def operations(spec: Json) -> list[tuple[str, str, Json, Json]]:
    out = []
    for path, item in (spec.get("paths") or {}).items():
        for method in METHODS:
            if isinstance(item, dict) and method in item:
                out.append((method, path, item[method], item))
    return out


# ---------------------------------------------------------------- passes


def nullable_to_type_list(spec: Json) -> None:
    """OpenAPI 3.0 `nullable: true` becomes the 3.1 form: "null" in the type list (or a null union member).

    `{nullable: true}` with no type is read by where it stands: as a member of a union it is how 3.0 documents
    write the null member (`anyOf: [{type: string}, {nullable: true}]`), so it becomes `{type: null}`; anywhere
    else it allows any value, null included, and becomes `{}`."""

    def null_members(s: Json) -> None:
        for key in ("anyOf", "oneOf"):
            for member in s.get(key) if isinstance(s.get(key), list) else ():
                if (
                    isinstance(member, dict)
                    and member.get("nullable") is True
                    and _prose_only(_without(member, "nullable"))
                ):
                    del member["nullable"]
                    member["type"] = "null"

    walk_schemas(spec, null_members)

    def visit(s: Json) -> None:
        if s.get("nullable") is True:
            del s["nullable"]
            types = type_list(s)
            if types:
                if "null" not in types:
                    set_types(s, [*types, "null"])
            elif "$ref" in s or "allOf" in s or "oneOf" in s or "anyOf" in s:
                inner = {k: s.pop(k) for k in list(s) if k not in PROSE}
                s["anyOf"] = [inner, {"type": "null"}]

        elif "nullable" in s and s.get("nullable") is False:
            del s["nullable"]

    walk_schemas(spec, visit)


def enum_null_to_type(spec: Json) -> None:
    """`enum: [a, b, null]` becomes `enum: [a, b]` with "null" in its type list."""

    def visit(s: Json) -> None:
        enum = s.get("enum")
        if isinstance(enum, list) and None in enum:
            values = [v for v in enum if v is not None]
            types = type_list(s) or sorted({json_type(v) for v in values})
            if values:
                s["enum"] = values
                if "null" not in types:
                    types.append("null")
                set_types(s, types)
            else:
                del s["enum"]
                set_types(s, ["null"])

    walk_schemas(spec, visit)


def json_type(value: Any) -> str:
    """The JSON type name of a value read from a YAML or JSON document (a YAML date is written as a string)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


def _prose_only(s: Any) -> bool:
    """A schema that constrains nothing: empty, or only prose (`{}`, `{description: ...}`)."""
    return isinstance(s, dict) and all(k in PROSE for k in s)


def _adds_nothing(s: Any) -> bool:
    """An allOf part that adds nothing to an object schema beside it: prose, `type: object`, no properties."""
    return isinstance(s, dict) and all(
        k in PROSE or (k == "type" and v == "object") or (k in ("properties", "required") and not v)
        for k, v in s.items()
    )


def allof_nullable_parts(spec: Json) -> None:
    """An allOf part that only says `nullable: true` (the OpenAPI 3.0 way to make a $ref nullable) moves out:
    the part is removed and the allOf schema itself becomes nullable. Runs before nullable_to_type_list, which
    then turns it into `anyOf: [..., {type: null}]`; read part by part, the marker would say nothing."""

    def visit(s: Json) -> None:
        parts = s.get("allOf")
        if not isinstance(parts, list):
            return
        markers = [
            p
            for p in parts
            if isinstance(p, dict) and p.get("nullable") is True and _prose_only(_without(p, "nullable"))
        ]
        if markers and len(markers) < len(parts):
            s["allOf"] = [p for p in parts if not any(p is m for m in markers)]
            s["nullable"] = True

    walk_schemas(spec, visit)


def _without(s: Json, key: str) -> Json:
    return {k: v for k, v in s.items() if k != key}


def single_allof_to_ref(spec: Json) -> None:
    """`allOf: [X]` with nothing but prose beside it becomes X itself. Parts that constrain nothing (`{}`, prose
    only; beside a $ref also `{type: object, properties: {}}`) do not count: `allOf: [X, {description: ...}]` is
    X too, not a copy of it."""

    def visit(s: Json) -> None:
        parts = s.get("allOf")
        if not isinstance(parts, list) or not all(k in PROSE or k == "allOf" for k in s):
            return
        real = [p for p in parts if not _prose_only(p)]
        if len(real) > 1 and any(isinstance(p, dict) and "$ref" in p for p in real):
            real = [p for p in real if not _adds_nothing(p)]
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

    def fold(s: Json, depth: int = 0) -> Json:
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
                walk_schemas(child, lambda sub: _fold_in_place(sub, depth + 1))
            part = fold(part, depth + 1)
            for name, prop in (part.get("properties") or {}).items():
                props[name] = _override(props.get(name), prop)
            for name in part.get("required") or []:
                if name not in required:
                    required.append(name)
            for key, value in part.items():
                if key in ("properties", "required") or key in PROSE:
                    continue
                out.setdefault(key, value)
        for name, prop in (out.get("properties") or {}).items():
            props[name] = _override(props.get(name), prop)
        for name in out.get("required") or []:
            if name not in required:
                required.append(name)
        if props:
            out["properties"] = props
            if "type" not in out:
                out["type"] = "object"
        if required:
            out["required"] = required
        return out

    def _fold_in_place(s: Json, depth: int) -> None:
        if isinstance(s.get("allOf"), list):
            merged = fold(s, depth)
            s.clear()
            s.update(merged)

    walk_schemas(spec, lambda s: _fold_in_place(s, 0))


def _override(base: Any, new: Any) -> Any:
    """A property declared again by a later allOf part: the new declaration wins, except that one which only
    adds prose keeps the base's schema (with the new prose)."""
    if base is None or not isinstance(new, dict):
        return new
    if _prose_only(new) and isinstance(base, dict):
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


JSON_OBJECT = "JsonObject"


def free_form_objects_to_dicts(spec: Json) -> str | None:
    """An object schema with no properties and no typed additionalProperties is free-form JSON: it becomes a $ref
    to one placeholder component (`JsonObject`, renamed if the document has one), which the templates render as
    `dict[str, Any]` and never as a class: a plain dict, typed as one. A nullable one becomes
    `anyOf: [$ref, null]`. Returns the placeholder's name, or None when the document has no free-form object."""
    schemas: Json = spec.setdefault("components", {}).setdefault("schemas", {})
    taken = {_class_key(n) for n in schemas}
    name, n = JSON_OBJECT, 2
    while _class_key(name) in taken:
        name, n = f"{JSON_OBJECT}{n}", n + 1
    target = {"$ref": f"#/components/schemas/{name}"}
    used = False

    def visit(s: Json) -> None:
        nonlocal used
        types = type_list(s)
        if "object" not in types or s.get("properties") or any(k in s for k in ("oneOf", "anyOf", "allOf", "$ref")):
            return
        extra = s.get("additionalProperties", True)
        if not (extra is True or (isinstance(extra, dict) and not (set(extra) - set(PROSE)))):
            return
        if set(types) - {"object", "null"}:
            return
        for key in [k for k in s if k not in PROSE]:
            del s[key]
        if "null" in types:
            s["anyOf"] = [dict(target), {"type": "null"}]
        else:
            s.update(target)
        used = True

    walk_schemas(spec, visit)
    if not used:
        return None
    # A component that was itself a free-form object is now an alias of the placeholder; openapi-python-client
    # would make a class of an alias, so references to it take the placeholder (or its nullable union) instead.
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
    schemas[name] = {"type": "object"}
    return name


def _string_enum_values(s: Any) -> list[Any] | None:
    """The values of a plain string enum or const (nothing else constrained), else None."""
    if not isinstance(s, dict) or set(s) - set(PROSE) - {"type", "enum", "const"} or "$ref" in s:
        return None
    if type_list(s) not in ([], ["string"]):
        return None
    values = [s["const"]] if "const" in s else s.get("enum")
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        return None
    return values


def merge_enum_members(spec: Json) -> None:
    """The plain string enums (or consts) among a union's members become one enum member: `anyOf: [{enum: [none]},
    {enum: [auto]}, $ref]` is `anyOf: [{enum: [none, auto]}, $ref]`, one enum type instead of one per value. A
    union left with one member is that member."""

    def visit(s: Json) -> None:
        for key in ("anyOf", "oneOf"):
            members = s.get(key)
            if not isinstance(members, list) or "discriminator" in s:
                continue
            enums = [m for m in members if _string_enum_values(m) is not None]
            if len(enums) < 2:
                continue
            values: list[Any] = []
            for m in enums:
                values += [v for v in _string_enum_values(m) or [] if v not in values]
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


def _is_model_schema(s: Any) -> bool:
    return (
        isinstance(s, dict)
        and "$ref" not in s
        and (bool(s.get("properties")) or isinstance(s.get("additionalProperties"), dict))
        and not any(k in s for k in ("oneOf", "anyOf", "allOf"))
    )


def hoist_inline_objects(spec: Json) -> None:
    """Every inline object schema with properties moves to components/schemas under a name built from where it
    stood (Parent + property, + Item for array items, + Variant<n> for union members), and is replaced by a $ref.
    openapi-python-client then names each model once, and never twice for the same inline schema."""
    schemas: Json = spec.setdefault("components", {}).setdefault("schemas", {})
    taken = {_class_key(n) for n in schemas}

    def new_name(base: str) -> str:
        name, n = base, 2
        while _class_key(name) in taken:
            name = f"{base}{n}"
            n += 1
        taken.add(_class_key(name))
        return name

    def hoist(node: Any, name: str) -> Any:
        if _is_nullable_enum(node):
            plain = _without_null(node)
            same = next(
                (n for n in schemas if _class_key(n) == _class_key(name) and _same_enum(schemas[n], plain)), None
            )
            target = same or new_name(name)
            schemas[target] = plain
            wrapper: Json = {"anyOf": [{"$ref": f"#/components/schemas/{target}"}, {"type": "null"}]}
            if "description" in node:
                wrapper["description"] = node["description"]
            return wrapper
        if not _is_model_schema(node):
            walk(node, name)
            return node
        if "null" in type_list(node):  # a nullable object: the object is the component, the use says "or null"
            plain = _without_null(node)
            target = new_name(name)
            schemas[target] = plain
            walk(plain, target)
            nullable: Json = {"anyOf": [{"$ref": f"#/components/schemas/{target}"}, {"type": "null"}]}
            if "description" in node:
                nullable["description"] = node["description"]
            return nullable
        target = new_name(name)
        schemas[target] = node
        walk(node, target)
        return {"$ref": f"#/components/schemas/{target}"}

    def walk(s: Any, name: str, positional: bool = False) -> None:
        if not isinstance(s, dict):
            return
        for prop, sub in list((s.get("properties") or {}).items()):
            s["properties"][prop] = hoist(sub, name + _pascal(prop))
        if isinstance(s.get("items"), dict):
            s["items"] = hoist_positional(s["items"], _singular(name))
        if isinstance(s.get("additionalProperties"), dict):
            s["additionalProperties"] = hoist_positional(s["additionalProperties"], name + "Value")
        for key in ("oneOf", "anyOf"):
            if isinstance(s.get(key), list):
                members = s[key]
                s[key] = [hoist_positional(m, name + _member_name(m, i, members)) for i, m in enumerate(members)]

    def hoist_positional(node: Any, name: str) -> Any:
        """Array items, map values and union members: their enums are hoisted too (a property's enum is named
        by openapi-python-client after the property already)."""
        if _is_plain_enum(node):
            target = new_name(name)
            schemas[target] = node
            return {"$ref": f"#/components/schemas/{target}"}
        return hoist(node, name)

    for comp in list(schemas):
        walk(schemas[comp], _pascal(comp))
    for _m, _p, op, item in operations(spec):
        # Named after the group and the method (`ModelsListResponse`): method names repeat across groups.
        tags = op.get("tags") or []
        base = (_pascal(str(tags[0])) if tags else "") + _pascal(str(op.get("operationId") or "operation"))
        for p in (item.get("parameters") or []) + (op.get("parameters") or []):
            if "schema" in p:
                p["schema"] = hoist(p["schema"], base + _pascal(p.get("name", "param")))
        body = op.get("requestBody") or {}
        for media in (body.get("content") or {}).values():
            if "schema" in media:
                media["schema"] = hoist(media["schema"], base + "Body")
        responses = op.get("responses") or {}
        successes = [s for s in responses if str(s).startswith("2")]
        for status, response in responses.items():
            suffix = "" if successes == [status] else str(status).title()  # the one success: `...Response`
            for media in (response.get("content") or {}).values():
                if "schema" in media:
                    media["schema"] = hoist(media["schema"], base + "Response" + suffix)


def _is_plain_enum(s: Any) -> bool:
    """An inline enum of strings or integers (not nullable: nullable ones are hoisted as unions with null)."""
    return (
        isinstance(s, dict)
        and "$ref" not in s
        and isinstance(s.get("enum"), list)
        and bool(s["enum"])
        and type_list(s) in (["string"], ["integer"])
    )


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
    if _is_plain_enum(member):
        return "Enum" if sum(1 for m in members if _is_plain_enum(m)) == 1 else f"Enum{index}"
    for prop in (member.get("properties") or {}).values():
        values = _string_enum_values(prop)
        if values is not None and len(values) == 1:
            return _pascal(values[0])
    required = member.get("required")
    if isinstance(required, list) and len(required) == 1 and isinstance(required[0], str):
        return _pascal(required[0])
    objects = [m for m in members if isinstance(m, dict) and "$ref" not in m and "object" in type_list(m)]
    if len(objects) == 1 and objects[0] is member:
        return "Object"
    return f"Variant{index}"


def _is_nullable_enum(s: Any) -> bool:
    return isinstance(s, dict) and isinstance(s.get("enum"), list) and "null" in type_list(s) and "$ref" not in s


def _same_enum(a: Any, b: Json) -> bool:
    return isinstance(a, dict) and a.get("enum") == b.get("enum") and type_list(a) == type_list(b)


def _without_null(s: Json) -> Json:
    out = dict(s)
    set_types(out, [t for t in type_list(s) if t != "null"])
    return out


def nullable_components_as_unions(spec: Json) -> None:
    """A nullable enum or object component (`type: [string, null]` + enum, `type: [object, null]` + properties)
    becomes the plain enum or object, and every $ref to it becomes `anyOf: [$ref, null]`. openapi-python-client
    drops the null from an enum's type (the annotations would say a value is never None), and splits a nullable
    object into a class named `<Name>Type0` and None; this way the class keeps the schema's own name."""
    schemas: Json = (spec.get("components") or {}).get("schemas") or {}
    names = {
        name for name, s in schemas.items() if _is_nullable_enum(s) or (_is_model_schema(s) and "null" in type_list(s))
    }
    if not names:
        return
    for name in names:
        schemas[name] = _without_null(schemas[name])
    refs = {f"#/components/schemas/{n}" for n in names}

    def visit(s: Json) -> None:
        if s.get("$ref") in refs:
            ref = s.pop("$ref")
            s["anyOf"] = [{"$ref": ref}, {"type": "null"}]

    walk_schemas(spec, visit)


def _pascal(value: str) -> str:
    parts = re.split(r"[^0-9a-zA-Z]+", re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", value))
    out = "".join(p[:1].upper() + p[1:] for p in parts if p)
    return out or "Schema"


def _class_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


def strip_event_streams(spec: Json, infos: dict[str, OperationInfo]) -> None:
    """`text/event-stream` media types are taken out of responses and recorded on the operation.

    The event's data schema is the media type's schema, or the schema of its `data` property when the schema is
    an event envelope (an object with a `data` property).
    """
    for method, path, op, _item in operations(spec):
        info = infos[f"{method.upper()} {path}"]
        for status, response in (op.get("responses") or {}).items():
            response = resolve(spec, response)
            content = response.get("content") or {}
            if EVENT_STREAM not in content:
                continue
            media = content.pop(EVENT_STREAM)
            if not str(status).startswith("2"):
                continue
            stream_only = not content
            flag = op.get("x-modelgates-stream-flag") or op.get("x-speakeasy-stream-request-field")
            if flag is None and not stream_only:
                flag = _boolean_body_field(spec, op, "stream")
            if flag is None and not stream_only:
                # An event stream beside JSON that no request field asks for cannot be requested: the call is
                # plain JSON (not a stream that every call would expect).
                continue
            schema = media.get("schema") or {}
            target = resolve(spec, schema)
            schemas = spec.setdefault("components", {}).setdefault("schemas", {})
            if "$ref" in schema and isinstance(target, dict) and "data" in (target.get("properties") or {}):
                info.stream_envelope = schema["$ref"].rsplit("/", 1)[-1]
                schema = target["properties"]["data"]
            else:
                name, n = _pascal(op["operationId"]) + "StreamEvent", 2
                while name in schemas:
                    name, n = f"{_pascal(op['operationId'])}StreamEvent{n}", n + 1
                schemas[name] = {"type": "object", "properties": {"data": schema}, "required": ["data"]}
                info.stream_envelope = name
            info.stream_schema = schema
            info.sentinel = media.get("x-modelgates-sse-sentinel") or media.get("x-speakeasy-sse-sentinel") or "[DONE]"
            info.stream_only = stream_only
            info.stream_flag = None if stream_only else flag


def _boolean_body_field(spec: Json, op: Json, name: str) -> str | None:
    body = resolve(spec, op.get("requestBody") or {})
    schema = resolve(spec, ((body.get("content") or {}).get("application/json") or {}).get("schema") or {})
    prop = resolve(spec, (schema.get("properties") or {}).get(name) or {})
    return name if "boolean" in type_list(prop) else None


def binary_content_types(spec: Json) -> dict[str, str]:
    """Every response or body media type that is neither JSON nor form nor multipart is read as bytes."""
    overrides: dict[str, str] = {}
    for _m, _p, op, _i in operations(spec):
        contents = [resolve(spec, op.get("requestBody") or {}).get("content") or {}]
        for response in (op.get("responses") or {}).values():
            contents.append(resolve(spec, response).get("content") or {})
        for content in contents:
            for media_type in content:
                simple = media_type.split(";")[0].strip().lower()
                if is_json_media(simple) or simple in (
                    "application/x-www-form-urlencoded",
                    "multipart/form-data",
                    "application/octet-stream",
                ):
                    continue
                overrides[media_type] = "application/octet-stream"
    return dict(sorted(overrides.items()))


def assign_names(spec: Json) -> dict[str, OperationInfo]:
    """Each operation gets a group (x-modelgates-group, else its first tag) and a method name (x-modelgates-method,
    else its operationId in snake_case, else method + path). The prepared document carries them as the
    operation's only tag and its operationId, which is how openapi-python-client names modules."""
    infos: dict[str, OperationInfo] = {}
    used: dict[str, set[str]] = {}
    for method, path, op, _item in operations(spec):
        tags = op.get("tags") or []
        group = snake_case(op.get("x-modelgates-group") or (tags[0] if tags else "default"))
        name = op.get("x-modelgates-method") or snake_case(op.get("operationId") or f"{method}_{path}")
        name = snake_case(name)
        taken = used.setdefault(group, set())
        base, n = name, 2
        while name in taken:
            name = f"{base}_{n}"
            n += 1
        taken.add(name)
        info = OperationInfo(method.upper(), path, op.get("operationId") or name, group, name)
        infos[info.key] = info
        op["tags"] = [group]
        op["operationId"] = name
    return infos


def record_param_names(spec: Json, infos: dict[str, OperationInfo]) -> None:
    """Parameters keep their wire names; `x-modelgates-python-name` chooses the argument name, else snake case."""
    for method, path, op, item in operations(spec):
        info = infos[f"{method.upper()} {path}"]
        params = [resolve(spec, p) for p in (item.get("parameters") or []) + (op.get("parameters") or [])]
        for p in params:
            python = p.get("x-modelgates-python-name") or snake_case(p["name"])
            info.param_names[(p["in"], p["name"])] = python


#: How the client writes a parameter value other than the default way of its location (see _params.py):
#: "json" (a `content:` parameter: the value as JSON text), "deepObject" (query `name[key]=value`),
#: "form-flat" (query, explode: false: `name=a,b` / `name=k,v`).
PARAM_STYLES = ("json", "deepObject", "form-flat")
DEFAULT_STYLE = {"query": "form", "path": "simple", "header": "simple", "cookie": "form"}


def parameter_encodings(spec: Json, infos: dict[str, OperationInfo]) -> None:
    """Parameters the generator would drop or the client would write wrongly are made explicit.

    A `content:` parameter (its value serialized as a media type, usually JSON) gets that media type's schema as
    its `schema` and is recorded as style "json"; a query parameter with `style: deepObject` or `explode: false`
    is recorded with that style. Any other style the client cannot write (matrix, label, space- or
    pipe-delimited, an exploded header, an object or array in a cookie) is recorded as unsupported, and
    generation fails naming it instead of sending something else.
    """
    for method, path, op, item in operations(spec):
        info = infos[f"{method.upper()} {path}"]
        for p in [resolve(spec, x) for x in (item.get("parameters") or []) + (op.get("parameters") or [])]:
            where, key = p.get("in"), (p.get("in"), p.get("name"))
            label = f"{info.key}: {where} parameter {p.get('name')!r}"
            if "schema" not in p and isinstance(p.get("content"), dict) and p["content"]:
                media_type, media = next(iter(p["content"].items()))
                p["schema"] = (media or {}).get("schema") or {}
                del p["content"]
                info.param_styles[key] = "json"
                if not is_json_media(media_type):
                    info.unsupported.append(f"{label}: content type {media_type} (only JSON can be written)")
                continue
            style = p.get("style", DEFAULT_STYLE.get(where))
            explode = p.get("explode", style == "form")
            try:
                types = set(type_list(resolve(spec, p.get("schema") or {})))
            except (KeyError, ValueError):  # a broken $ref: the generator reports it, naming the operation
                types = set()
            if where == "query" and style == "deepObject":
                info.param_styles[key] = "deepObject"
            elif where == "query" and style == "form" and not explode:
                info.param_styles[key] = "form-flat"
            elif style != DEFAULT_STYLE.get(where) or (where in ("path", "header") and explode):
                info.unsupported.append(f"{label}: style {style!r} with explode {explode} cannot be written")
            elif where == "cookie" and types & {"object", "array"}:
                info.unsupported.append(f"{label}: an object or array in a cookie cannot be written")


#: Integer properties of a page that hold the number of items in all pages (a page reporting one ends exactly there).
TOTAL_KEYS = ("total_count", "total")


def _key_path(value: Any) -> list[str] | None:
    """`$.data` or `$.meta.next` -> ["data"] / ["meta", "next"]; None for anything else."""
    if not isinstance(value, str) or not re.fullmatch(r"\$(\.[A-Za-z_][A-Za-z0-9_-]*)+", value):
        return None
    return value.split(".")[1:]


def record_pagination(spec: Json, infos: dict[str, OperationInfo]) -> None:
    """List operations the spec marks as paged get a Paging (the client then returns a page that fetches the next
    ones). A mark the client cannot follow (another kind, inputs not in the query, an output that is not a plain
    key path, a parameter the operation does not have) is recorded as unsupported: generation fails naming it."""
    for method, path, op, item in operations(spec):
        mark = op.get("x-modelgates-pagination") or op.get("x-speakeasy-pagination")
        if not isinstance(mark, dict):
            continue
        info = infos[f"{method.upper()} {path}"]
        label = f"{info.key}: pagination"
        kind = mark.get("type")
        outputs = mark.get("outputs") or {}
        results = _key_path(outputs.get("results"))
        params = {
            p.get("name"): p
            for p in [resolve(spec, x) for x in (item.get("parameters") or []) + (op.get("parameters") or [])]
            if p.get("in") == "query"
        }
        roles: dict[str, str] = {}
        for entry in mark.get("inputs") or []:
            name = entry.get("name") if isinstance(entry, dict) else None
            if entry.get("in") != "parameters" or name not in params:
                info.unsupported.append(f"{label}: input {entry!r} is not a query parameter of the operation")
                continue
            roles[str(entry.get("type"))] = name
        if kind not in ("offsetLimit", "cursor") or results is None:
            info.unsupported.append(
                f"{label}: type {kind!r} with results {outputs.get('results')!r} cannot be followed"
            )
            continue
        paging = Paging(kind=kind, results=results)
        if kind == "offsetLimit":
            if "offset" not in roles:
                info.unsupported.append(f"{label}: offsetLimit without an offset parameter")
                continue
            paging.offset, paging.limit = roles["offset"], roles.get("limit")
            offset_schema = resolve(spec, params[paging.offset].get("schema") or {})
            paging.offset_max = _int_or_none(offset_schema.get("maximum"))
            if paging.limit is not None:
                paging.limit_default = _int_or_none(
                    resolve(spec, params[paging.limit].get("schema") or {}).get("default")
                )
            paging.total = _total_key(spec, op)
        else:
            paging.cursor, paging.next_cursor = roles.get("cursor"), _key_path(outputs.get("nextCursor"))
            if paging.cursor is None or paging.next_cursor is None:
                info.unsupported.append(f"{label}: cursor paging needs a cursor parameter and a nextCursor key path")
                continue
        info.paging = paging


def _int_or_none(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _total_key(spec: Json, op: Json) -> list[str] | None:
    """The integer property every shape of the 200 answer requires that counts all items (TOTAL_KEYS), if any."""
    response = resolve(spec, (op.get("responses") or {}).get("200") or {})
    shapes: list[Any] = []
    for media_type, media in (response.get("content") or {}).items():
        if is_json_media(media_type):
            schema = _resolve_quiet(spec, (media or {}).get("schema") or {})
            members = schema.get("oneOf") or schema.get("anyOf")
            shapes.extend(_resolve_quiet(spec, m) for m in members) if members else shapes.append(schema)
    for key in TOTAL_KEYS:
        if shapes and all(
            key in (s.get("required") or [])
            and "integer" in type_list(_resolve_quiet(spec, (s.get("properties") or {}).get(key) or {}))
            for s in shapes
        ):
            return [key]
    return None


def drop_vendor_extensions(spec: Json) -> None:
    """x-speakeasy-* and other vendor keys are removed (after the passes that read ours).

    The keys of name maps (a schema's properties, component names, discriminator values, headers) are names,
    not extensions: a property called `x-request-id` stays."""

    def walk(node: Any, names: bool = False) -> None:
        if isinstance(node, dict):
            if not names:
                for key in [k for k in node if isinstance(k, str) and k.startswith("x-")]:
                    del node[key]
            for key, value in node.items():
                walk(value, not names and key in NAME_MAPS)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)


NAME_MAPS = ("properties", "patternProperties", "schemas", "mapping", "headers")


def prepare(document: Json) -> Prepared:
    spec = copy.deepcopy(document)
    infos = assign_names(spec)
    record_param_names(spec, infos)
    parameter_encodings(spec, infos)
    record_pagination(spec, infos)
    allof_nullable_parts(spec)
    nullable_to_type_list(spec)
    enum_null_to_type(spec)
    single_allof_to_ref(spec)
    merge_allof(spec)
    merge_enum_members(spec)
    drop_unsatisfiable_required(spec)
    strip_event_streams(spec, infos)
    json_object = free_form_objects_to_dicts(spec)
    nullable_components_as_unions(spec)
    hoist_inline_objects(spec)
    overrides = binary_content_types(spec)
    discriminators = declared_discriminators(spec)
    drop_vendor_extensions(spec)
    return Prepared(spec, list(infos.values()), overrides, json_object, discriminators)


# ---------------------------------------------------------------- unions


@dataclass
class UnionRule:
    """How a JSON object is told apart among a union's members: the one rule that both the generated model
    parsers (templating.UnionPlan) and the argument checks (CheckTable, client _validation) follow.

    1. `key`: a property that members fix to string values (a declared discriminator, else the property that
       tells the most object members apart by its const/enum values). An object whose `key` value is in `tags`
       is that value's member; a value that several members fix narrows the choice to them (then rule 2).
    2. Otherwise (no key, the key absent or not a string, or a string no member lists): the first member of
       `order` that the object fits: it has the member's required keys and contradicts none of the member's
       `marks` (the properties it fixes to one value, such as `role: assistant`; an enum of several values is
       not a mark: it may gain values). `order` holds the object members, most required keys first, then most
       marks, then as listed. With a string key value no member lists, only members that do not fix the key
       (`untagged`) are candidates: a variant the spec does not know yet is kept as it came (parsers) and passed
       through (checks).
    Values that are not objects are told apart by their JSON type.
    """

    key: str | None = None
    tags: dict[str, list[int]] = field(default_factory=dict)  # tag value -> the members fixing it, in `order`
    order: list[int] = field(default_factory=list)  # object members, most required keys first
    required: dict[int, list[str]] = field(default_factory=dict)
    marks: dict[int, dict[str, str]] = field(default_factory=dict)  # properties a member fixes to one value

    @property
    def untagged(self) -> list[int]:
        tagged = {i for members in self.tags.values() for i in members}
        return [i for i in self.order if i not in tagged]


def union_rule(spec: Json, members: list[Any], discriminator: Any = None) -> UnionRule:
    """The UnionRule of a union with these members (schemas or $refs) and optional declared discriminator."""
    resolved = [_resolve_quiet(spec, m) for m in members]
    objects = [i for i, s in enumerate(resolved) if _is_object_like(s)]
    rule = UnionRule()
    rule.required = {i: sorted(r for r in resolved[i].get("required") or [] if isinstance(r, str)) for i in objects}
    fixed = {i: _fixed_values(spec, resolved[i]) for i in objects}
    rule.marks = {i: marks_of(spec, resolved[i]) for i in objects}
    rule.order = sorted(objects, key=lambda i: (-len(rule.required[i]), -len(rule.marks[i]), i))
    if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
        rule.key = discriminator["propertyName"]
        refs = [m.get("$ref") if isinstance(m, dict) else None for m in members]
        mapping = discriminator.get("mapping") or {}
        tags: dict[str, list[int]] = {}
        for value, ref in mapping.items():
            if ref in refs and refs.index(ref) in objects:
                tags[str(value)] = [refs.index(ref)]
        for i in rule.order:  # the members' own fixed values complete the mapping
            for value in sorted(fixed[i].get(rule.key, ())):
                if value not in mapping and i not in tags.setdefault(value, []):
                    tags[value].append(i)
        rule.tags = dict(sorted(tags.items()))
        return rule
    best: tuple[tuple[int, int], str, dict[str, list[int]]] | None = None
    for key in sorted({k for i in objects for k in fixed[i]}):
        tags = {}
        for i in rule.order:
            for value in sorted(fixed[i].get(key, ())):
                tags.setdefault(value, []).append(i)
        told_apart = len({members[0] for members in tags.values() if len(members) == 1})
        holders = len({i for members in tags.values() for i in members})
        score = (told_apart, holders)
        if told_apart >= 2 and (best is None or score > best[0]):
            best = (score, key, tags)
    if best is not None:
        rule.key, rule.tags = best[1], dict(sorted(best[2].items()))
    return rule


def declared_discriminators(spec: Json) -> dict[frozenset[str], Json]:
    """Every declared discriminator, by the set of its union's member $refs (after hoisting, all are $refs)."""
    found: dict[frozenset[str], Json] = {}

    def visit(s: Json) -> None:
        disc = s.get("discriminator")
        members = s.get("oneOf") or s.get("anyOf")
        if isinstance(disc, dict) and isinstance(members, list):
            refs = frozenset(str(m["$ref"]) for m in members if isinstance(m, dict) and "$ref" in m)
            found.setdefault(refs, disc)

    walk_schemas(spec, visit)
    return found


def flat_union_members(spec: Json, members: list[Any]) -> list[Any]:
    """A union's members with members that are themselves unions (directly or through a $ref) spread out."""
    out: list[Any] = []
    for m in members:
        target = _resolve_quiet(spec, m)
        inner = target.get("anyOf") or target.get("oneOf") if isinstance(target, dict) else None
        if isinstance(inner, list) and not target.get("properties"):
            out.extend(flat_union_members(spec, inner))
        else:
            out.append(m)
    return out


def _resolve_quiet(spec: Json, node: Any) -> Any:
    try:
        return resolve(spec, node)
    except (KeyError, ValueError):
        return {}


def _is_object_like(s: Any) -> bool:
    if not isinstance(s, dict) or "anyOf" in s or "oneOf" in s:
        return False
    types = type_list(s)
    return "object" in types or (not types and ("properties" in s or "required" in s))


def marks_of(spec: Json, s: Any) -> dict[str, str]:
    """The properties an object schema fixes to exactly one string value (const, or an enum of one value)."""
    if not isinstance(s, dict):
        return {}
    return {name: next(iter(values)) for name, values in sorted(_fixed_values(spec, s).items()) if len(values) == 1}


def _fixed_values(spec: Json, s: Json) -> dict[str, set[str]]:
    """The properties an object schema fixes to string values (const, or an enum of strings)."""
    out: dict[str, set[str]] = {}
    for name, prop in (s.get("properties") or {}).items():
        prop = _resolve_quiet(spec, prop)
        if not isinstance(prop, dict) or type_list(prop) not in ([], ["string"]):
            continue
        values = [prop["const"]] if "const" in prop else prop.get("enum")
        if isinstance(values, list) and values and all(isinstance(v, str) for v in values):
            out[name] = set(values)
    return out


# ---------------------------------------------------------------- argument checks


def _node_types(s: Json) -> list[str]:
    types = type_list(s)
    if not types and "const" in s:
        types = [json_type(s["const"])]
    if not types and isinstance(s.get("enum"), list) and s["enum"]:
        types = sorted({json_type(v) for v in s["enum"]})
    return sorted(set(types))


class CheckTable:
    """Compact schemas of what each operation accepts, for the client's argument checks.

    A node is None (anything) or a dict with some of: "t" allowed JSON types, "p" properties, "r" required
    keys, "f" the properties an object fixes to one value (marks_of), "i" array items, "a" additionalProperties node, "u" union members, and the union's rule
    (UnionRule): "k" its key, "g" {tag value: member index, or a tuple of the indices of the members sharing
    it}, "o" object member indices in required-keys order;
    "$" the name of a shared node in `schemas`. Values are only checked for their JSON type (an unknown enum
    value passes: the API may know it).
    """

    def __init__(self, spec: Json) -> None:
        self.spec = spec
        self.schemas: dict[str, Any] = {}
        self.operations: dict[str, dict[str, Any]] = {}

    def node(self, s: Any, depth: int = 0) -> Any:
        if depth > 200 or not isinstance(s, dict):
            return None
        if "$ref" in s:
            name = s["$ref"].rsplit("/", 1)[-1]
            if name not in self.schemas:
                self.schemas[name] = None
                self.schemas[name] = self.node(resolve(self.spec, s), depth + 1)
            return {"$": name} if self.schemas[name] is not None else None
        out: dict[str, Any] = {}
        types = _node_types(s)
        if types:
            out["t"] = tuple(types)
        props = s.get("properties")
        if isinstance(props, dict) and props:
            out["p"] = {k: self.node(v, depth + 1) for k, v in sorted(props.items())}
            out["p"] = {k: v for k, v in out["p"].items() if v is not None}
            if not out["p"]:
                del out["p"]
        req = s.get("required")
        if isinstance(req, list) and req:
            out["r"] = tuple(sorted(req))
        marks = marks_of(self.spec, s) if _is_object_like(s) else {}
        if marks:
            out["f"] = marks
        if isinstance(s.get("items"), dict):
            item = self.node(s["items"], depth + 1)
            if item is not None:
                out["i"] = item
        extra = s.get("additionalProperties")
        if isinstance(extra, dict) and set(extra) - set(PROSE):
            node = self.node(extra, depth + 1)
            if node is not None:
                out["a"] = node
        members = s.get("oneOf") or s.get("anyOf")
        if isinstance(members, list) and members:
            members = flat_union_members(self.spec, members)
            nodes = [self.node(m, depth + 1) for m in members]
            if all(n is not None for n in nodes):  # a member accepting anything makes the union accept anything
                out["u"] = tuple(nodes)
                rule = union_rule(self.spec, members, s.get("discriminator"))
                if rule.order:
                    out["o"] = tuple(rule.order)
                if rule.key is not None:
                    out["k"] = rule.key
                    out["g"] = {v: m[0] if len(m) == 1 else tuple(m) for v, m in rule.tags.items()}
        return out or None

    def add_operation(self, spec_op: Json, item: Json, info: OperationInfo, body_args: dict[str, str]) -> None:
        args: dict[str, Any] = {}
        params = [resolve(self.spec, p) for p in (item.get("parameters") or []) + (spec_op.get("parameters") or [])]
        for p in params:
            schema = p.get("schema") or next(iter((p.get("content") or {}).values()), {}).get("schema") or {}
            node = self.node(schema)
            if node is not None:
                args[info.param_names[(p["in"], p["name"])]] = node
        content = resolve(self.spec, spec_op.get("requestBody") or {}).get("content") or {}
        media = content.get("application/json")
        if media is not None and "body" in body_args and len(body_args) == 1:
            node = self.node(media.get("schema") or {})
            if node is not None:
                args["body"] = node
        elif body_args:
            # Body fields: the JSON body's schema of each, else a form's (files are checked as files, not here).
            bodies = [content[m] for m in ("application/json", "multipart/form-data") if m in content]
            for media in bodies:
                schema = resolve(self.spec, (media or {}).get("schema") or {})
                props = schema.get("properties") if isinstance(schema, dict) else None
                if not isinstance(props, dict):
                    continue
                for python, wire_name in body_args.items():
                    prop = props.get(wire_name) or props.get(wire_name + "[]")
                    if python in args or prop is None or _is_binary(self.spec, prop):
                        continue
                    node = self.node(prop)
                    if node is not None:
                        args[python] = node
        self.operations[info.callable] = args


def _is_binary(spec: Json, schema: Any) -> bool:
    """Whether a form property is a file (a binary string, or an array of them)."""
    schema = _resolve_quiet(spec, schema)
    if schema.get("type") == "array":
        schema = _resolve_quiet(spec, schema.get("items") or {})
    return schema.get("format") == "binary" or "contentMediaType" in schema


def check_spec(document: Json) -> Json:
    """The document as the argument checks read it: normalized like the generator's input, before the
    passes that only serve openapi-python-client (free-form objects, hoisting)."""
    spec = copy.deepcopy(document)
    allof_nullable_parts(spec)
    nullable_to_type_list(spec)
    enum_null_to_type(spec)
    single_allof_to_ref(spec)
    merge_allof(spec)
    return spec
