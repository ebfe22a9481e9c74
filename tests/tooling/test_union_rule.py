"""The union rule (scripts/generator/unions.py, UnionRule): how a union's members are told apart."""

from __future__ import annotations

from typing import Any

from scripts.generator.unions import UnionRule, union_rule

from .test_specprep import Json, ref, with_schemas


def rule_of(*members: Json, **schemas: Json) -> UnionRule:
    return union_rule(with_schemas(**schemas), list(members))


def tool(kind: Any, *required: str, **props: Json) -> Json:
    fixed = {"type": "string", "enum": kind} if isinstance(kind, list) else {"const": kind}
    return {"type": "object", "properties": {"type": fixed, **props}, "required": ["type", *required]}


def test_union_rule_key_from_values_members_fix_even_several_each() -> None:
    rule = rule_of(tool("function", "function"), tool(["web_search", "web_search_preview"]), tool("bash"))
    assert rule.key == "type"
    assert rule.tags == {"bash": [2], "function": [0], "web_search": [1], "web_search_preview": [1]}


def test_union_rule_members_fixing_no_value_are_untagged() -> None:
    shorthand = {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]}
    rule = rule_of(tool("a"), tool("b"), shorthand)
    assert (rule.key, rule.untagged) == ("type", [2])


def test_union_rule_value_shared_by_two_members_narrows_to_them() -> None:
    rule = rule_of(tool(["a", "b"], "x"), tool(["b", "c"]), tool("d"))
    assert rule.key == "type"
    assert rule.tags == {"a": [0], "b": [0, 1], "c": [1], "d": [2]}  # "b": then required keys and marks decide
    assert rule.order == [0, 2, 1]  # by required keys, then marks: ["type", "x"]; ["type"] + mark; ["type"]


def test_union_rule_marks_are_properties_fixed_to_one_value() -> None:
    rule = rule_of(
        {"type": "object", "properties": {"role": {"const": "assistant"}, "status": {"enum": ["a", "b"]}}},
        {"type": "object", "properties": {"role": {"enum": ["user", "system"]}}},
    )
    assert rule.marks == {0: {"role": "assistant"}, 1: {}}


def test_union_rule_declared_discriminator_mapping_wins() -> None:
    cat = {"type": "object", "properties": {"kind": {"type": "string"}}, "required": ["kind"]}
    rule = union_rule(
        with_schemas(Cat=cat, Dog=cat),
        [ref("Cat"), ref("Dog")],
        {"propertyName": "kind", "mapping": {"c": "#/components/schemas/Cat", "d": "#/components/schemas/Dog"}},
    )
    assert (rule.key, rule.tags) == ("kind", {"c": [0], "d": [1]})


def test_union_rule_orders_objects_by_required_keys_and_ignores_other_members() -> None:
    a = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    ab = {"type": "object", "properties": {"a": {}, "b": {}}, "required": ["a", "b"]}
    rule = rule_of({"type": "string"}, a, ab, {"type": "object"})
    assert (rule.key, rule.order, rule.required[2]) == (None, [2, 1, 3], ["a", "b"])
