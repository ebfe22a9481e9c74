"""Passes on null: the OpenAPI 3.0 ways of saying "or null" (`nullable: true`, a `nullable` allOf part, `null` in an
enum) become the 3.1 form (a "null" type, or a null union member), and nullable components become unions with
null at their uses."""

from __future__ import annotations

from ..common.document import PROSE, Json, json_type, set_types, type_list, walk_schemas
from .shapes import is_model_schema, is_nullable_enum, prose_only, without, without_null


def allof_nullable_parts(spec: Json) -> None:
    """An allOf part that only says `nullable: true` (the OpenAPI 3.0 way to make a $ref nullable) moves out:
    the part is removed and the allOf schema itself becomes nullable. Runs before nullable_to_type_list, which
    then turns it into `anyOf: [..., {type: null}]`; read part by part, the marker would say nothing."""

    def visit(s: Json) -> None:
        parts = s.get("allOf")
        if not isinstance(parts, list):
            return
        markers = [
            p for p in parts if isinstance(p, dict) and p.get("nullable") is True and prose_only(without(p, "nullable"))
        ]
        if markers and len(markers) < len(parts):
            s["allOf"] = [p for p in parts if not any(p is m for m in markers)]
            s["nullable"] = True

    walk_schemas(spec, visit)


def nullable_to_type_list(spec: Json) -> None:
    """OpenAPI 3.0 `nullable: true` becomes the 3.1 form: "null" in the type list (or a null union member).

    `{nullable: true}` with no type is read by where it stands: as a member of a union it is how 3.0 documents
    write the null member (`anyOf: [{type: string}, {nullable: true}]`), so it becomes `{type: null}`; anywhere
    else it allows any value, null included, and becomes `{}`."""

    def null_members(s: Json) -> None:
        for key in ("anyOf", "oneOf"):
            members = s.get(key)
            for member in members if isinstance(members, list) else ():
                if (
                    isinstance(member, dict)
                    and member.get("nullable") is True
                    and prose_only(without(member, "nullable"))
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


def nullable_components_as_unions(spec: Json) -> None:
    """A nullable enum or object component (`type: [string, null]` + enum, `type: [object, null]` + properties)
    becomes the plain enum or object, and every $ref to it becomes `anyOf: [$ref, null]`. openapi-python-client
    drops the null from an enum's type (the annotations would say a value is never None), and splits a nullable
    object into a class named `<Name>Type0` and None; this way the class keeps the schema's own name."""
    schemas: Json = (spec.get("components") or {}).get("schemas") or {}
    names = {
        name for name, s in schemas.items() if is_nullable_enum(s) or (is_model_schema(s) and "null" in type_list(s))
    }
    if not names:
        return
    for name in names:
        schemas[name] = without_null(schemas[name])
    refs = {f"#/components/schemas/{n}" for n in names}

    def visit(s: Json) -> None:
        if s.get("$ref") in refs:
            ref = s.pop("$ref")
            s["anyOf"] = [{"$ref": ref}, {"type": "null"}]

    walk_schemas(spec, visit)
