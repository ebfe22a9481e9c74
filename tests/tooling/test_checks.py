"""The check tables (scripts/generator/checks.py): the compact schemas of what each operation accepts, node by node."""

from __future__ import annotations

import re

from scripts import specprep
from scripts.generator.checks import LEGEND, CheckTable

from .test_specprep import one_op, ref, with_schemas


def check_table() -> CheckTable:
    return CheckTable(
        with_schemas(
            Cat={
                "type": "object",
                "properties": {"kind": {"type": "string", "enum": ["cat"]}, "lives": {"type": "integer"}},
                "required": ["kind"],
            },
            Dog={"type": "object", "properties": {"kind": {"const": "dog"}}, "required": ["kind"]},
            Node={"type": "object", "properties": {"children": {"type": "array", "items": ref("Node")}}},
        )
    )


def test_check_node_types() -> None:
    table = check_table()
    assert table.node({"type": ["string", "null"]}) == {"t": ("null", "string")}
    assert table.node({"const": 3}) == {"t": ("integer",)}
    assert table.node({"enum": ["a", 1]}) == {"t": ("integer", "string")}
    assert table.node({"description": "anything"}) is None


def test_check_node_object_properties_required_items_additional() -> None:
    table = check_table()
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "free": {}, "list": {"type": "array", "items": {"type": "number"}}},
        "required": ["list", "a"],
        "additionalProperties": {"type": "boolean"},
    }
    assert table.node(schema) == {
        "t": ("object",),
        "p": {"a": {"t": ("string",)}, "list": {"t": ("array",), "i": {"t": ("number",)}}},
        "r": ("a", "list"),
        "a": {"t": ("boolean",)},
    }


def test_check_node_ref_is_shared_and_recursion_terminates() -> None:
    table = check_table()
    assert table.node(ref("Node")) == {"$": "Node"}
    # While Node is being built its reference counts as "anything": the recursive position is not checked.
    assert table.schemas["Node"] == {"t": ("object",), "p": {"children": {"t": ("array",)}}}
    assert table.node(ref("Node")) == {"$": "Node"}  # built once, then shared


def test_check_node_union() -> None:
    table = check_table()
    assert table.node({"anyOf": [{"type": "string"}, {"type": "integer"}]}) == {
        "u": ({"t": ("string",)}, {"t": ("integer",)})
    }


def test_check_node_union_with_an_any_member_accepts_anything() -> None:
    assert check_table().node({"oneOf": [{"type": "string"}, {}]}) is None


def test_check_node_discriminator() -> None:
    table = check_table()
    schema = {
        "oneOf": [ref("Cat"), ref("Dog")],
        "discriminator": {
            "propertyName": "kind",
            "mapping": {"dog": "#/components/schemas/Dog", "cat": "#/components/schemas/Cat"},
        },
    }
    assert table.node(schema) == {
        "u": ({"$": "Cat"}, {"$": "Dog"}),
        "o": (0, 1),
        "k": "kind",
        "g": {"cat": 0, "dog": 1},
    }
    assert table.schemas["Cat"] == {
        "t": ("object",),
        "p": {"kind": {"t": ("string",)}, "lives": {"t": ("integer",)}},
        "r": ("kind",),
        "f": {"kind": "cat"},
    }
    assert table.schemas["Dog"] == {
        "t": ("object",),
        "p": {"kind": {"t": ("string",)}},
        "r": ("kind",),
        "f": {"kind": "dog"},
    }


def test_check_table_operation_arguments() -> None:
    spec = one_op(
        path="/things/{thingId}",
        parameters=[
            {"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}},
            {"name": "X-Trace", "in": "header", "schema": {}},
        ],
        requestBody={
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {"count": {"type": "integer"}, "pet": ref("Cat")},
                        "required": ["count"],
                    }
                }
            }
        },
    )
    spec["components"]["schemas"]["Cat"] = {"type": "object", "properties": {"kind": {"type": "string"}}}
    infos = specprep.assign_names(spec)
    specprep.record_param_names(spec, infos)
    table = CheckTable(spec)
    op = spec["paths"]["/things/{thingId}"]["post"]
    table.add_operation(
        op, spec["paths"]["/things/{thingId}"], infos["POST /things/{thingId}"], {"n": "count", "pet": "pet"}
    )
    assert table.operations == {
        "things.make_thing": {"thing_id": {"t": ("string",)}, "n": {"t": ("integer",)}, "pet": {"$": "Cat"}}
    }


def _keys(node: object, found: set[str]) -> set[str]:
    """Every key of the notation used below a node of the check tables (not property names: those are in "p")."""
    if isinstance(node, dict):
        for key, value in node.items():
            found.add(key)
            if key in ("p", "g", "f"):  # maps of names to nodes, to member indices, to values
                for sub in value.values() if key == "p" else ():
                    _keys(sub, found)
            else:
                _keys(value, found)
    elif isinstance(node, tuple):
        for value in node:
            _keys(value, found)
    return found


def test_the_generated_check_tables_start_with_a_legend_of_every_key_they_use() -> None:
    from modelgates_client._generated import schemas

    assert schemas.__doc__ is not None and LEGEND in schemas.__doc__
    used: set[str] = set()
    for node in [*schemas.SCHEMAS.values(), *(n for args in schemas.ARGUMENTS.values() for n in args.values())]:
        _keys(node, used)
    assert used == {"t", "p", "r", "f", "i", "a", "u", "o", "k", "g", "$"}
    described = {m.group(1) for m in re.finditer(r'^ {4}"(.)" ', LEGEND, flags=re.MULTILINE)}
    assert described == used
