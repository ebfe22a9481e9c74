"""Spec preparation (scripts/specprep/): each pass on a small hand-made document, what goes in and what comes out."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from scripts import specprep

Json = dict[str, Any]


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def with_schemas(**schemas: Any) -> Json:
    return {"openapi": "3.1.0", "paths": {}, "components": {"schemas": schemas}}


def json_response(schema: Json) -> Json:
    return {"description": "ok", "content": {"application/json": {"schema": schema}}}


def one_op(method: str = "post", path: str = "/things", **op: Any) -> Json:
    """A document with one operation (operationId `makeThing`, tag `Things` unless given)."""
    op.setdefault("operationId", "makeThing")
    op.setdefault("tags", ["Things"])
    op.setdefault("responses", {"200": {"description": "ok"}})
    return {"openapi": "3.1.0", "paths": {path: {method: op}}, "components": {"schemas": {}}}


# ---------------------------------------------------------------- nullable_to_type_list


def test_nullable_typed_schema_gets_null_in_its_type_list() -> None:
    spec = with_schemas(S={"type": "string", "nullable": True, "description": "d"})
    specprep.nullable_to_type_list(spec)
    assert spec["components"]["schemas"]["S"] == {"type": ["string", "null"], "description": "d"}


def test_nullable_ref_becomes_union_with_null_keeping_prose_outside() -> None:
    spec = with_schemas(S={"$ref": "#/components/schemas/T", "nullable": True, "description": "d"})
    specprep.nullable_to_type_list(spec)
    assert spec["components"]["schemas"]["S"] == {"description": "d", "anyOf": [ref("T"), {"type": "null"}]}


def test_nullable_alone_as_a_union_member_is_the_null_member() -> None:
    spec = with_schemas(S={"anyOf": [{"type": "string"}, {"nullable": True}, {"nullable": True, "description": "d"}]})
    specprep.nullable_to_type_list(spec)
    assert spec["components"]["schemas"]["S"]["anyOf"] == [
        {"type": "string"},
        {"type": "null"},
        {"type": "null", "description": "d"},
    ]


def test_nullable_alone_outside_a_union_allows_any_value() -> None:
    spec = with_schemas(S={"type": "object", "properties": {"input": {"nullable": True, "description": "d"}}})
    specprep.nullable_to_type_list(spec)
    assert spec["components"]["schemas"]["S"]["properties"]["input"] == {"description": "d"}


def test_nullable_false_is_removed_and_type_kept() -> None:
    spec = with_schemas(S={"type": "integer", "nullable": False})
    specprep.nullable_to_type_list(spec)
    assert spec["components"]["schemas"]["S"] == {"type": "integer"}


def test_nullable_on_type_list_already_holding_null_adds_nothing() -> None:
    spec = with_schemas(S={"type": ["string", "null"], "nullable": True})
    specprep.nullable_to_type_list(spec)
    assert spec["components"]["schemas"]["S"] == {"type": ["string", "null"]}


# ---------------------------------------------------------------- enum_null_to_type


def test_enum_with_null_moves_null_to_type_list() -> None:
    spec = with_schemas(S={"type": "string", "enum": ["a", "b", None]})
    specprep.enum_null_to_type(spec)
    assert spec["components"]["schemas"]["S"] == {"type": ["string", "null"], "enum": ["a", "b"]}


def test_untyped_enum_with_null_gets_type_from_its_values() -> None:
    spec = with_schemas(S={"enum": [1, 2, None]})
    specprep.enum_null_to_type(spec)
    assert spec["components"]["schemas"]["S"] == {"type": ["integer", "null"], "enum": [1, 2]}


def test_enum_of_only_null_becomes_null_type() -> None:
    spec = with_schemas(S={"enum": [None], "description": "d"})
    specprep.enum_null_to_type(spec)
    assert spec["components"]["schemas"]["S"] == {"type": "null", "description": "d"}


# ---------------------------------------------------------------- allOf


def test_single_allof_ref_becomes_the_ref_keeping_the_site_description() -> None:
    spec = with_schemas(S={"allOf": [ref("T")], "description": "d"})
    specprep.single_allof_to_ref(spec)
    assert spec["components"]["schemas"]["S"] == {**ref("T"), "description": "d"}


@pytest.mark.parametrize(
    "extra", [{}, {"description": "only prose"}, {"title": "t", "example": 1}, {"type": "object", "properties": {}}]
)
def test_allof_of_a_ref_and_a_part_constraining_nothing_is_the_ref_not_a_copy(extra: Json) -> None:
    spec = with_schemas(
        T={"type": "object", "properties": {"a": {"type": "string"}}},
        S={"type": "object", "properties": {"t": {"allOf": [ref("T"), extra], "description": "site"}}},
    )
    specprep.single_allof_to_ref(spec)
    specprep.merge_allof(spec)
    assert spec["components"]["schemas"]["S"]["properties"]["t"] == {**ref("T"), "description": "site"}


def test_allof_part_marking_nullable_makes_the_whole_schema_nullable() -> None:
    spec = with_schemas(S={"type": "object", "properties": {"s": {"allOf": [ref("Status"), {"nullable": True}]}}})
    specprep.allof_nullable_parts(spec)
    specprep.nullable_to_type_list(spec)
    specprep.single_allof_to_ref(spec)
    assert spec["components"]["schemas"]["S"]["properties"]["s"] == {"anyOf": [ref("Status"), {"type": "null"}]}


def test_allof_nullable_marker_alone_is_left_to_the_nullable_pass() -> None:
    spec = with_schemas(S={"allOf": [{"nullable": True}]})
    specprep.allof_nullable_parts(spec)
    assert spec["components"]["schemas"]["S"] == {"allOf": [{"nullable": True}]}


def test_single_allof_inline_becomes_the_schema_keeping_description() -> None:
    spec = with_schemas(S={"allOf": [{"type": "string"}], "description": "d"})
    specprep.single_allof_to_ref(spec)
    assert spec["components"]["schemas"]["S"] == {"type": "string", "description": "d"}


def test_single_allof_with_non_prose_sibling_is_left_alone() -> None:
    spec = with_schemas(S={"allOf": [ref("T")], "default": 1})
    specprep.single_allof_to_ref(spec)
    assert spec["components"]["schemas"]["S"] == {"allOf": [ref("T")], "default": 1}


def test_merge_allof_ref_and_inline_override() -> None:
    spec = with_schemas(
        Base={
            "type": "object",
            "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
            "required": ["a"],
            "additionalProperties": False,
        },
        S={
            "description": "merged",
            "allOf": [
                ref("Base"),
                {"properties": {"b": {"type": "integer"}, "c": {"type": "boolean"}}, "required": ["c"]},
            ],
        },
    )
    specprep.merge_allof(spec)
    merged = spec["components"]["schemas"]["S"]
    assert "allOf" not in merged
    assert merged["properties"] == {"a": {"type": "string"}, "b": {"type": "integer"}, "c": {"type": "boolean"}}
    assert merged["required"] == ["a", "c"]
    assert merged["type"] == "object"
    assert merged["additionalProperties"] is False  # taken from the first part that has it
    assert merged["description"] == "merged"
    assert spec["components"]["schemas"]["Base"]["properties"]["b"] == {"type": "string"}  # the part is untouched


def test_merge_allof_own_properties_win_over_parts() -> None:
    spec = with_schemas(
        S={
            "allOf": [{"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}],
            "properties": {"a": {"type": "integer"}},
            "required": ["a", "z"],
        }
    )
    specprep.merge_allof(spec)
    merged = spec["components"]["schemas"]["S"]
    assert merged["properties"] == {"a": {"type": "integer"}}
    assert merged["required"] == ["a", "z"]


def test_merge_allof_nested_allof_parts_are_folded() -> None:
    spec = with_schemas(
        A={"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]},
        B={"allOf": [ref("A"), {"properties": {"b": {"type": "string"}}, "required": ["b"]}]},
        S={"allOf": [ref("B"), {"properties": {"s": {"type": "string"}}}]},
    )
    specprep.merge_allof(spec)
    merged = spec["components"]["schemas"]["S"]
    assert set(merged["properties"]) == {"a", "b", "s"}
    assert merged["required"] == ["a", "b"]


def test_merge_allof_override_whose_base_is_listed_later_and_has_its_own_allof() -> None:
    """A child that overrides a property of its base with a union of allOf-wrapped members, where the base comes
    after the child in the document and itself holds an allOf property: nothing of allOf is left anywhere."""
    spec = with_schemas(
        Child={
            "allOf": [
                ref("ZBase"),
                {
                    "type": "object",
                    "properties": {
                        "output": {
                            "anyOf": [
                                {"type": "string"},
                                {
                                    "type": "array",
                                    "items": {
                                        "oneOf": [
                                            ref("Text"),
                                            {"allOf": [ref("Image"), {"type": "object", "properties": {}}]},
                                        ]
                                    },
                                },
                            ]
                        }
                    },
                },
            ]
        },
        ZBase={
            "type": "object",
            "properties": {
                "output": {"type": "string"},
                "status": {"allOf": [ref("Status"), {"nullable": True}]},
                "call_id": {"type": "string"},
            },
            "required": ["call_id", "output"],
        },
        Text={"type": "object", "properties": {"type": {"const": "text"}, "text": {"type": "string"}}},
        Image={"type": "object", "properties": {"type": {"const": "image"}, "url": {"type": "string"}}},
        Status={"type": "string", "enum": ["done", "pending"]},
    )
    prepared = specprep.prepare(spec).spec
    child = prepared["components"]["schemas"]["Child"]
    assert "allOf" not in str(prepared)
    assert child["properties"]["output"]["anyOf"][0] == {"type": "string"}  # the override's union, not the base's
    assert child["properties"]["output"]["anyOf"][1]["items"]["oneOf"] == [ref("Text"), ref("Image")]
    assert child["properties"]["status"] == {"anyOf": [ref("Status"), {"type": "null"}]}
    assert child["required"] == ["call_id", "output"]


def test_merge_allof_prose_only_override_keeps_the_base_type() -> None:
    spec = with_schemas(
        Base={"type": "object", "properties": {"a": {"type": "integer"}, "r": ref("T")}},
        S={"allOf": [ref("Base"), {"properties": {"a": {"description": "new"}, "r": {"description": "role"}}}]},
    )
    specprep.merge_allof(spec)
    props = spec["components"]["schemas"]["S"]["properties"]
    assert props["a"] == {"type": "integer", "description": "new"}
    assert props["r"] == ref("T")


def test_merge_allof_override_narrowing_a_ref_takes_the_narrower_schema() -> None:
    spec = with_schemas(
        Base={"type": "object", "properties": {"kind": ref("Kind")}},
        S={"allOf": [ref("Base"), {"properties": {"kind": {"type": "string", "enum": ["a"]}}}]},
    )
    specprep.merge_allof(spec)
    assert spec["components"]["schemas"]["S"]["properties"]["kind"] == {"type": "string", "enum": ["a"]}


# ---------------------------------------------------------------- required, free-form objects


def test_required_name_without_property_is_dropped() -> None:
    spec = with_schemas(S={"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a", "ghost"]})
    specprep.drop_unsatisfiable_required(spec)
    assert spec["components"]["schemas"]["S"]["required"] == ["a"]


def test_required_list_of_only_missing_names_is_removed() -> None:
    spec = with_schemas(S={"type": "object", "properties": {"a": {"type": "string"}}, "required": ["ghost"]})
    specprep.drop_unsatisfiable_required(spec)
    assert "required" not in spec["components"]["schemas"]["S"]


def test_required_without_properties_is_kept() -> None:
    spec = with_schemas(S={"type": "object", "additionalProperties": {"type": "string"}, "required": ["k"]})
    specprep.drop_unsatisfiable_required(spec)
    assert spec["components"]["schemas"]["S"]["required"] == ["k"]


def test_required_in_inline_request_body_is_checked_too() -> None:
    body = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a", "ghost"]}
    spec = one_op(requestBody={"content": {"application/json": {"schema": body}}})
    specprep.drop_unsatisfiable_required(spec)
    assert body["required"] == ["a"]


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "description": "d"},
        {"type": "object", "additionalProperties": True, "description": "d"},
        {"type": "object", "additionalProperties": {}, "description": "d"},
        {"type": ["object", "null"], "description": "d"},
    ],
    ids=["bare", "additional-true", "additional-empty", "nullable"],
)
def test_free_form_object_becomes_a_ref_to_the_json_object_placeholder(schema: Json) -> None:
    spec = with_schemas(S={"type": "object", "properties": {"p": copy.deepcopy(schema)}})
    assert specprep.free_form_objects_to_dicts(spec) == "JsonObject"
    schemas = spec["components"]["schemas"]
    if "null" in schema["type"]:
        assert schemas["S"]["properties"]["p"] == {"description": "d", "anyOf": [ref("JsonObject"), {"type": "null"}]}
    else:
        assert schemas["S"]["properties"]["p"] == {"description": "d", **ref("JsonObject")}
    assert schemas["JsonObject"] == {"type": "object"}


def test_references_to_a_free_form_component_take_the_placeholder_itself() -> None:
    spec = with_schemas(
        Config={"type": "object", "properties": {}, "description": "c"},
        Maybe={"type": ["object", "null"]},
        Tool={"type": "object", "properties": {"config": {**ref("Config"), "description": "site"}, "m": ref("Maybe")}},
    )
    specprep.free_form_objects_to_dicts(spec)
    schemas = spec["components"]["schemas"]
    assert set(schemas) == {"Tool", "JsonObject"}  # no alias component left to become a class
    assert schemas["Tool"]["properties"]["config"] == {**ref("JsonObject"), "description": "site"}
    assert schemas["Tool"]["properties"]["m"] == {"anyOf": [ref("JsonObject"), {"type": "null"}]}


def test_json_object_placeholder_does_not_take_a_name_the_document_uses() -> None:
    spec = with_schemas(JsonObject={"type": "string"}, S={"type": "object", "properties": {"o": {"type": "object"}}})
    assert specprep.free_form_objects_to_dicts(spec) == "JsonObject2"
    assert spec["components"]["schemas"]["S"]["properties"]["o"] == ref("JsonObject2")
    assert spec["components"]["schemas"]["JsonObject"] == {"type": "string"}


def test_no_json_object_placeholder_without_free_form_objects() -> None:
    spec = with_schemas(S={"type": "object", "properties": {"a": {"type": "string"}}})
    assert specprep.free_form_objects_to_dicts(spec) is None
    assert set(spec["components"]["schemas"]) == {"S"}


@pytest.mark.parametrize(
    "schema",
    [
        {"type": "object", "properties": {"a": {"type": "string"}}},
        {"type": "object", "additionalProperties": {"type": "string"}},
        {"type": "object", "additionalProperties": False},
        {"type": ["object", "string"]},
        {"type": "object", "oneOf": [ref("A"), ref("B")]},
    ],
    ids=["properties", "typed-additional", "closed", "object-or-string", "union"],
)
def test_object_with_shape_is_not_free_form(schema: Json) -> None:
    spec = with_schemas(S=copy.deepcopy(schema))
    specprep.free_form_objects_to_dicts(spec)
    assert spec["components"]["schemas"]["S"] == schema


# ---------------------------------------------------------------- hoisting inline objects


def obj(**props: Any) -> Json:
    return {"type": "object", "properties": {k: {"type": v} for k, v in props.items()}}


def test_inline_object_property_is_hoisted_to_a_component() -> None:
    spec = with_schemas(Parent={"type": "object", "properties": {"child": obj(x="string")}})
    specprep.hoist_inline_objects(spec)
    schemas = spec["components"]["schemas"]
    assert schemas["Parent"]["properties"]["child"] == ref("ParentChild")
    assert schemas["ParentChild"] == obj(x="string")


@pytest.mark.parametrize(
    ("prop", "item"),
    [
        ("tags", "ParentTag"),
        ("modalities", "ParentModality"),
        ("matches", "ParentMatch"),
        ("topLogprobs", "ParentTopLogprob"),
        ("status", "ParentStatusItem"),
        ("data", "ParentDataItem"),
    ],
)
def test_inline_object_in_array_items_is_named_as_one_of_the_array(prop: str, item: str) -> None:
    spec = with_schemas(Parent={"type": "object", "properties": {prop: {"type": "array", "items": obj(x="string")}}})
    specprep.hoist_inline_objects(spec)
    schemas = spec["components"]["schemas"]
    assert schemas["Parent"]["properties"][prop] == {"type": "array", "items": ref(item)}
    assert schemas[item] == obj(x="string")


def test_inline_enum_in_array_items_is_hoisted_under_the_items_name() -> None:
    items = {"type": "string", "enum": ["text", "image"]}
    spec = with_schemas(Req={"type": "object", "properties": {"modalities": {"type": "array", "items": items}}})
    specprep.hoist_inline_objects(spec)
    schemas = spec["components"]["schemas"]
    assert schemas["Req"]["properties"]["modalities"]["items"] == ref("ReqModality")
    assert schemas["ReqModality"] == items


def test_inline_union_members_are_named_by_their_fixed_value_or_single_required_key() -> None:
    tool = {"type": "object", "properties": {"type": {"type": "string", "enum": ["function"]}}}
    prompt = {"type": "object", "properties": {"prompt": {"type": "string"}}, "required": ["prompt"]}
    value = {"anyOf": [tool, prompt, ref("Other")]}
    spec = with_schemas(Parent={"type": "object", "properties": {"value": value}})
    specprep.hoist_inline_objects(spec)
    schemas = spec["components"]["schemas"]
    assert schemas["Parent"]["properties"]["value"]["anyOf"] == [
        ref("ParentValueFunction"),
        ref("ParentValuePrompt"),
        ref("Other"),
    ]


def test_string_enum_members_of_a_union_become_one_enum() -> None:
    spec = with_schemas(
        Choice={
            "anyOf": [
                {"type": "string", "enum": ["none"]},
                {"type": "string", "enum": ["auto"]},
                ref("Named"),
                {"const": "required"},
            ]
        },
        Engine={
            "anyOf": [{"type": "string", "enum": ["a", "b"]}, {"type": "string", "enum": ["c"]}],
            "description": "d",
        },
    )
    specprep.merge_enum_members(spec)
    schemas = spec["components"]["schemas"]
    assert schemas["Choice"] == {"anyOf": [{"type": "string", "enum": ["none", "auto", "required"]}, ref("Named")]}
    assert schemas["Engine"] == {"type": "string", "enum": ["a", "b", "c"], "description": "d"}


def test_inline_union_members_are_hoisted_as_variants() -> None:
    value = {"oneOf": [obj(a="string"), {"type": "string"}, obj(b="integer")]}
    spec = with_schemas(Parent={"type": "object", "properties": {"value": value}})
    specprep.hoist_inline_objects(spec)
    schemas = spec["components"]["schemas"]
    assert schemas["Parent"]["properties"]["value"] == {
        "oneOf": [ref("ParentValueVariant0"), {"type": "string"}, ref("ParentValueVariant2")]
    }
    assert schemas["ParentValueVariant0"] == obj(a="string")
    assert schemas["ParentValueVariant2"] == obj(b="integer")


def test_nested_inline_objects_are_named_after_their_hoisted_parent() -> None:
    inner = {"type": "object", "properties": {"deep": obj(x="string")}}
    spec = with_schemas(Parent={"type": "object", "properties": {"child": inner}})
    specprep.hoist_inline_objects(spec)
    schemas = spec["components"]["schemas"]
    assert schemas["ParentChild"]["properties"]["deep"] == ref("ParentChildDeep")
    assert schemas["ParentChildDeep"] == obj(x="string")


def test_hoisted_names_stay_unique() -> None:
    # "Parent_Child" and "ParentChild" would make the same class name; the hoisted schema gets a suffix.
    spec = with_schemas(
        Parent={"type": "object", "properties": {"child": obj(x="string")}},
        Parent_Child={"type": "string"},
    )
    specprep.hoist_inline_objects(spec)
    schemas = spec["components"]["schemas"]
    assert schemas["Parent"]["properties"]["child"] == ref("ParentChild2")
    assert schemas["Parent_Child"] == {"type": "string"}
    assert "ParentChild" not in schemas


def test_inline_body_and_response_objects_are_named_after_the_operation() -> None:
    spec = one_op(
        requestBody={"content": {"application/json": {"schema": obj(a="string")}}},
        responses={"200": json_response(obj(b="string"))},
    )
    specprep.hoist_inline_objects(spec)
    op = spec["paths"]["/things"]["post"]
    assert op["requestBody"]["content"]["application/json"]["schema"] == ref("ThingsMakeThingBody")
    assert op["responses"]["200"]["content"]["application/json"]["schema"] == ref("ThingsMakeThingResponse")
    assert spec["components"]["schemas"]["ThingsMakeThingBody"] == obj(a="string")


def test_inline_responses_of_an_operation_with_several_successes_carry_their_status() -> None:
    spec = one_op(responses={"200": json_response(obj(a="string")), "201": json_response(obj(b="string"))})
    specprep.hoist_inline_objects(spec)
    responses = spec["paths"]["/things"]["post"]["responses"]
    assert responses["200"]["content"]["application/json"]["schema"] == ref("ThingsMakeThingResponse200")
    assert responses["201"]["content"]["application/json"]["schema"] == ref("ThingsMakeThingResponse201")


def test_items_of_an_array_member_of_a_union_are_named_after_the_union() -> None:
    inputs = {"anyOf": [{"type": "string"}, {"type": "array", "items": obj(role="string")}]}
    spec = with_schemas(Inputs=inputs)
    specprep.hoist_inline_objects(spec)
    assert spec["components"]["schemas"]["Inputs"]["anyOf"][1]["items"] == ref("Input")


def test_refs_and_primitives_are_not_hoisted() -> None:
    spec = with_schemas(Parent={"type": "object", "properties": {"r": ref("T"), "s": {"type": "string"}}})
    before = copy.deepcopy(spec)
    specprep.hoist_inline_objects(spec)
    assert spec == before


# ---------------------------------------------------------------- event streams


def stream_spec(sse_schema: Json, *, json_too: bool = True, body: Json | None = None, **op: Any) -> Json:
    content: Json = {}
    if json_too:
        content["application/json"] = {"schema": ref("Result")}
    content["text/event-stream"] = {"schema": sse_schema}
    spec = one_op(responses={"200": {"description": "ok", "content": content}}, **op)
    if body is not None:
        spec["paths"]["/things"]["post"]["requestBody"] = {"content": {"application/json": {"schema": body}}}
    spec["components"]["schemas"].update(
        Result=obj(id="string"),
        Chunk=obj(delta="string"),
        Envelope={"type": "object", "properties": {"data": ref("Chunk"), "event": {"type": "string"}}},
    )
    return spec


def strip(spec: Json) -> specprep.OperationInfo:
    infos = specprep.assign_names(spec)
    specprep.strip_event_streams(spec, infos)
    (info,) = infos.values()
    return info


def test_event_stream_envelope_is_recorded() -> None:
    spec = stream_spec(ref("Envelope"), **{"x-modelgates-stream-flag": "stream"})
    info = strip(spec)
    assert info.stream_envelope == "Envelope"
    assert info.stream_schema == ref("Chunk")
    assert info.stream_flag == "stream"
    assert info.stream_only is False
    assert info.sentinel == "[DONE]"
    assert list(spec["paths"]["/things"]["post"]["responses"]["200"]["content"]) == ["application/json"]


def test_event_stream_bare_schema_gets_a_synthesized_envelope() -> None:
    spec = stream_spec(ref("Chunk"), json_too=False)
    info = strip(spec)
    assert info.stream_envelope == "MakeThingStreamEvent"
    assert info.stream_schema == ref("Chunk")
    assert spec["components"]["schemas"]["MakeThingStreamEvent"] == {
        "type": "object",
        "properties": {"data": ref("Chunk")},
        "required": ["data"],
    }


def test_event_stream_inline_schema_gets_a_synthesized_envelope() -> None:
    inline = obj(token="string")
    spec = stream_spec(inline, json_too=False)
    info = strip(spec)
    assert info.stream_schema == inline
    assert spec["components"]["schemas"][info.stream_envelope]["properties"]["data"] == inline


def test_synthesized_envelope_name_does_not_clobber_a_component() -> None:
    spec = stream_spec(ref("Chunk"), json_too=False)
    spec["components"]["schemas"]["MakeThingStreamEvent"] = {"type": "string"}
    info = strip(spec)
    assert info.stream_envelope == "MakeThingStreamEvent2"
    assert spec["components"]["schemas"]["MakeThingStreamEvent"] == {"type": "string"}


def test_event_stream_sentinel_from_extension() -> None:
    spec = stream_spec(ref("Envelope"), json_too=False)
    spec["paths"]["/things"]["post"]["responses"]["200"]["content"]["text/event-stream"][
        "x-modelgates-sse-sentinel"
    ] = "[END]"
    assert strip(spec).sentinel == "[END]"


def test_event_stream_flag_from_boolean_stream_body_property() -> None:
    body = {"type": "object", "properties": {"stream": {"type": "boolean"}, "q": {"type": "string"}}}
    assert strip(stream_spec(ref("Envelope"), body=body)).stream_flag == "stream"


def test_event_stream_flag_not_taken_from_non_boolean_stream_property() -> None:
    body = {"type": "object", "properties": {"stream": {"type": "string"}}}
    assert strip(stream_spec(ref("Envelope"), body=body)).stream_flag is None


def test_event_stream_beside_json_that_no_request_field_asks_for_is_not_a_stream() -> None:
    spec = one_op(
        requestBody={"content": {"application/json": {"schema": obj(input="string")}}},
        responses={
            "200": {
                "description": "ok",
                "content": {
                    "application/json": {"schema": obj(data="string")},
                    "text/event-stream": {"schema": {"type": "string"}},
                },
            }
        },
    )
    infos = specprep.assign_names(spec)
    specprep.strip_event_streams(spec, infos)
    info = infos["POST /things"]
    assert (info.stream_schema, info.stream_flag, info.stream_envelope, info.stream_only) == (None, None, None, False)
    assert list(spec["paths"]["/things"]["post"]["responses"]["200"]["content"]) == ["application/json"]
    assert not any("StreamEvent" in name for name in spec["components"]["schemas"])


def test_event_stream_only_media_type_makes_stream_only_without_flag() -> None:
    body = {"type": "object", "properties": {"stream": {"type": "boolean"}}}
    spec = stream_spec(ref("Envelope"), json_too=False, body=body)
    info = strip(spec)
    assert info.stream_only is True
    assert info.stream_flag is None
    assert spec["paths"]["/things"]["post"]["responses"]["200"]["content"] == {}


def test_event_stream_on_error_response_is_dropped_unrecorded() -> None:
    spec = one_op(
        responses={
            "200": json_response(obj(a="string")),
            "400": {"description": "bad", "content": {"text/event-stream": {"schema": {"type": "string"}}}},
        }
    )
    info = strip(spec)
    assert info.stream_schema is None and info.stream_envelope is None
    assert spec["paths"]["/things"]["post"]["responses"]["400"]["content"] == {}


# ---------------------------------------------------------------- binary media types


def test_binary_media_types_are_read_as_octet_stream() -> None:
    spec = one_op(
        method="get",
        responses={
            "200": {
                "description": "media",
                "content": {
                    "audio/mpeg": {"schema": {"type": "string", "format": "binary"}},
                    "audio/wav": {"schema": {"type": "string", "format": "binary"}},
                    "video/mp4": {"schema": {"type": "string", "format": "binary"}},
                },
            },
            "400": json_response({"type": "object"}),
        },
    )
    assert specprep.binary_content_types(spec) == {
        "audio/mpeg": "application/octet-stream",
        "audio/wav": "application/octet-stream",
        "video/mp4": "application/octet-stream",
    }


def test_json_form_multipart_and_octet_stream_are_not_overridden() -> None:
    spec = one_op(
        requestBody={
            "content": {
                "application/json": {"schema": {}},
                "application/x-www-form-urlencoded": {"schema": {}},
                "multipart/form-data": {"schema": {}},
            }
        },
        responses={
            "200": {
                "description": "ok",
                "content": {"application/problem+json": {"schema": {}}, "application/octet-stream": {"schema": {}}},
            }
        },
    )
    assert specprep.binary_content_types(spec) == {}


# ---------------------------------------------------------------- names


def test_names_from_modelgates_extensions() -> None:
    spec = one_op(**{"x-modelgates-group": "chat", "x-modelgates-method": "send"})
    infos = specprep.assign_names(spec)
    info = infos["POST /things"]
    assert (info.group, info.name, info.callable) == ("chat", "send", "chat.send")
    assert info.operation_id == "makeThing"
    op = spec["paths"]["/things"]["post"]
    assert op["tags"] == ["chat"]
    assert op["operationId"] == "send"


def test_names_fall_back_to_first_tag_and_snake_case_operation_id() -> None:
    spec = one_op(operationId="getGenerationContent", tags=["Generation Stats", "Other"])
    info = specprep.assign_names(spec)["POST /things"]
    assert (info.group, info.name) == ("generation_stats", "get_generation_content")


def test_names_without_tag_or_operation_id() -> None:
    spec = one_op(method="get", path="/items/{id}", tags=[])
    del spec["paths"]["/items/{id}"]["get"]["operationId"]
    info = specprep.assign_names(spec)["GET /items/{id}"]
    assert (info.group, info.name) == ("default", "get_items_id")


def test_duplicate_names_in_a_group_get_suffixes() -> None:
    spec = one_op(operationId="listThings")
    spec["paths"]["/other"] = {
        "get": {"operationId": "list_things", "tags": ["Things"], "responses": {}},
        "post": {"operationId": "ListThings", "tags": ["Things"], "responses": {}},
    }
    infos = specprep.assign_names(spec)
    assert sorted(i.name for i in infos.values()) == ["list_things", "list_things_2", "list_things_3"]
    assert len({i.callable for i in infos.values()}) == 3


def test_same_name_in_different_groups_is_not_suffixed() -> None:
    spec = one_op(operationId="list")
    spec["paths"]["/other"] = {"get": {"operationId": "list", "tags": ["Others"], "responses": {}}}
    infos = specprep.assign_names(spec)
    assert sorted(i.callable for i in infos.values()) == ["others.list", "things.list"]


def test_sdk_names_are_snake_case_with_a_fallback_and_no_leading_digit() -> None:
    assert specprep.sdk_name("getGeneration") == "get_generation"
    assert specprep.sdk_name("HTTPReferer") == "http_referer"
    assert specprep.sdk_name("X-ModelGates-Metadata") == "x_model_gates_metadata"
    assert specprep.sdk_name("2fa") == "op_2fa"
    assert specprep.sdk_name("--") == "default"


def test_param_python_names_from_extension_else_snake_case() -> None:
    spec = one_op(
        method="get",
        path="/things/{thingId}",
        parameters=[
            {"name": "X-ModelGates-Metadata", "in": "header", "x-modelgates-python-name": "metadata_level"},
            {"name": "pageSize", "in": "query"},
            {"$ref": "#/components/parameters/Cursor"},
        ],
    )
    spec["paths"]["/things/{thingId}"]["parameters"] = [{"name": "thingId", "in": "path", "required": True}]
    spec["components"]["parameters"] = {
        "Cursor": {"name": "cursor", "in": "query", "x-modelgates-python-name": "after"}
    }
    infos = specprep.assign_names(spec)
    specprep.record_param_names(spec, infos)
    assert infos["GET /things/{thingId}"].param_names == {
        ("path", "thingId"): "thing_id",
        ("header", "X-ModelGates-Metadata"): "metadata_level",
        ("query", "pageSize"): "page_size",
        ("query", "cursor"): "after",
    }


# ---------------------------------------------------------------- vendor extensions


def test_vendor_extensions_are_dropped_everywhere() -> None:
    spec = one_op(**{"x-speakeasy-group": "g", "x-modelgates-method": "m"})
    spec["x-top"] = 1
    spec["components"]["schemas"]["S"] = {
        "type": "object",
        "x-speakeasy-name-override": "T",
        "properties": {"a": {"type": "string", "x-hidden": True}},
    }
    specprep.drop_vendor_extensions(spec)
    assert "x-top" not in spec
    assert spec["paths"]["/things"]["post"].keys() == {"operationId", "tags", "responses"}
    assert spec["components"]["schemas"]["S"] == {"type": "object", "properties": {"a": {"type": "string"}}}


def test_property_named_like_an_extension_is_kept() -> None:
    props = {"x-request-id": {"type": "string", "x-hidden": True}, "a": {"type": "string"}}
    spec = with_schemas(S={"type": "object", "properties": props, "required": ["x-request-id"]})
    specprep.drop_vendor_extensions(spec)
    assert spec["components"]["schemas"]["S"]["properties"] == {
        "x-request-id": {"type": "string"},
        "a": {"type": "string"},
    }


# ---------------------------------------------------------------- the whole preparation


def test_prepare_openapi_30_document() -> None:
    document = {
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {
            "/things/{id}": {
                "get": {
                    "operationId": "getThing",
                    "tags": ["Things"],
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": json_response(ref("Thing"))},
                }
            }
        },
        "components": {
            "schemas": {
                "Owner": obj(name="string"),
                "Thing": {
                    "type": "object",
                    "required": ["id"],
                    "properties": {
                        "id": {"type": "string"},
                        "note": {"type": "string", "nullable": True},
                        "owner": {"$ref": "#/components/schemas/Owner", "nullable": True},
                        "wrapped": {"allOf": [ref("Owner")], "nullable": True},
                        "kind": {"type": "string", "enum": ["a", "b", None], "nullable": True},
                        "meta": {"type": "object", "nullable": True},
                    },
                },
            }
        },
    }
    original = copy.deepcopy(document)
    prepared = specprep.prepare(document)
    assert document == original  # prepare works on a copy
    props = prepared.spec["components"]["schemas"]["Thing"]["properties"]
    assert props["note"] == {"type": ["string", "null"]}
    assert props["owner"] == {"anyOf": [ref("Owner"), {"type": "null"}]}
    assert props["wrapped"] == {"anyOf": [ref("Owner"), {"type": "null"}]}
    assert props["kind"] == {"anyOf": [ref("ThingKind"), {"type": "null"}]}
    assert prepared.spec["components"]["schemas"]["ThingKind"] == {"type": "string", "enum": ["a", "b"]}
    assert props["meta"] == {"anyOf": [ref("JsonObject"), {"type": "null"}]}  # free-form: a dict or None
    assert "nullable" not in repr(prepared.spec)
    (info,) = prepared.operations
    assert (info.method, info.path, info.callable, info.operation_id) == (
        "GET",
        "/things/{id}",
        "things.get_thing",
        "getThing",
    )
    assert prepared.content_type_overrides == {}


def test_nullable_enum_component_becomes_plain_enum_referenced_as_nullable() -> None:
    spec = {
        "paths": {},
        "components": {
            "schemas": {
                "Reason": {"type": ["string", "null"], "enum": ["stop", "length"]},
                "Choice": {"type": "object", "properties": {"reason": {"$ref": "#/components/schemas/Reason"}}},
            }
        },
    }
    specprep.nullable_components_as_unions(spec)
    schemas = spec["components"]["schemas"]
    assert schemas["Reason"] == {"type": "string", "enum": ["stop", "length"]}
    assert schemas["Choice"]["properties"]["reason"] == {
        "anyOf": [{"$ref": "#/components/schemas/Reason"}, {"type": "null"}]
    }


def test_inline_nullable_enum_is_hoisted_and_wrapped_as_nullable() -> None:
    spec = {
        "paths": {},
        "components": {
            "schemas": {
                "Req": {
                    "type": "object",
                    "properties": {"tier": {"type": ["string", "null"], "enum": ["auto"], "description": "Tier."}},
                }
            }
        },
    }
    specprep.hoist_inline_objects(spec)
    schemas = spec["components"]["schemas"]
    assert schemas["ReqTier"] == {"type": "string", "enum": ["auto"], "description": "Tier."}
    assert schemas["Req"]["properties"]["tier"] == {
        "anyOf": [{"$ref": "#/components/schemas/ReqTier"}, {"type": "null"}],
        "description": "Tier.",
    }


def test_nullable_object_component_keeps_its_name_and_uses_become_nullable_unions() -> None:
    spec = with_schemas(
        Prefs={"type": ["object", "null"], "properties": {"a": {"type": "string"}}},
        Req={"type": "object", "properties": {"prefs": {**ref("Prefs"), "description": "site"}}},
    )
    specprep.nullable_components_as_unions(spec)
    schemas = spec["components"]["schemas"]
    assert schemas["Prefs"] == {"type": "object", "properties": {"a": {"type": "string"}}}
    assert schemas["Req"]["properties"]["prefs"] == {"description": "site", "anyOf": [ref("Prefs"), {"type": "null"}]}


def test_inline_nullable_object_is_hoisted_under_its_own_name_and_wrapped_as_nullable() -> None:
    limits = {"type": ["object", "null"], "description": "d", "properties": {"n": {"type": "integer"}}}
    spec = with_schemas(Model={"type": "object", "properties": {"limits": limits}})
    specprep.hoist_inline_objects(spec)
    schemas = spec["components"]["schemas"]
    assert schemas["ModelLimits"] == {"type": "object", "description": "d", "properties": {"n": {"type": "integer"}}}
    assert schemas["Model"]["properties"]["limits"] == {
        "anyOf": [ref("ModelLimits"), {"type": "null"}],
        "description": "d",
    }


# ---------------------------------------------------------------- parameter encodings


def params_op(*params: Json) -> Json:
    return one_op("get", "/things", parameters=list(params))


def prepared_info(spec: Json) -> specprep.OperationInfo:
    infos = specprep.assign_names(spec)
    specprep.parameter_encodings(spec, infos)
    return infos["GET /things"]


def test_content_parameter_gets_its_media_schema_and_the_json_style() -> None:
    spec = params_op({"name": "filter", "in": "query", "content": {"application/json": {"schema": ref("Filter")}}})
    info = prepared_info(spec)
    param = spec["paths"]["/things"]["get"]["parameters"][0]
    assert param == {"name": "filter", "in": "query", "schema": ref("Filter")}
    assert info.param_styles == {("query", "filter"): "json"}
    assert info.unsupported == []


@pytest.mark.parametrize(
    ("param", "style"),
    [
        ({"name": "f", "in": "query", "style": "deepObject", "schema": ref("F")}, "deepObject"),
        ({"name": "ids", "in": "query", "explode": False, "schema": {"type": "array"}}, "form-flat"),
    ],
    ids=["deep-object", "form-not-exploded"],
)
def test_query_styles_the_client_writes_are_recorded(param: Json, style: str) -> None:
    info = prepared_info(params_op(param))
    assert info.param_styles == {("query", param["name"]): style}
    assert info.unsupported == []


@pytest.mark.parametrize(
    "param",
    [
        {"name": "ids", "in": "query", "style": "pipeDelimited", "schema": {"type": "array"}},
        {"name": "id", "in": "path", "required": True, "style": "matrix", "schema": {"type": "string"}},
        {"name": "X-Ids", "in": "header", "explode": True, "schema": {"type": "array"}},
        {"name": "prefs", "in": "cookie", "schema": {"type": "object"}},
        {"name": "q", "in": "query", "content": {"text/csv": {"schema": {"type": "string"}}}},
    ],
    ids=["pipe-delimited", "matrix", "exploded-header", "object-cookie", "non-json-content"],
)
def test_parameters_the_client_cannot_write_are_recorded_as_unsupported(param: Json) -> None:
    info = prepared_info(params_op(param))
    assert len(info.unsupported) == 1
    assert f"parameter {param['name']!r}" in info.unsupported[0]


def test_default_styles_need_no_record() -> None:
    info = prepared_info(
        params_op(
            {"name": "ids", "in": "query", "schema": {"type": "array"}},
            {"name": "session", "in": "cookie", "schema": {"type": "string"}},
            {"name": "X-Trace", "in": "header", "schema": {"type": "string"}},
        )
    )
    assert (info.param_styles, info.unsupported) == ({}, [])


# ---------------------------------------------------------------- pagination


def paged_op(mark: Json, page: Json, *params: Json) -> Json:
    return one_op(
        "get",
        parameters=list(params),
        responses={"200": json_response(page)},
        **{"x-speakeasy-pagination": mark},
    )


OFFSET = {"name": "offset", "in": "query", "schema": {"type": "integer", "maximum": 900}}
LIMIT = {"name": "limit", "in": "query", "schema": {"type": "integer", "default": 25}}
OFFSET_MARK = {
    "type": "offsetLimit",
    "inputs": [
        {"in": "parameters", "name": "offset", "type": "offset"},
        {"in": "parameters", "name": "limit", "type": "limit"},
    ],
    "outputs": {"results": "$.data"},
}


def paging_of(spec: Json) -> specprep.OperationInfo:
    infos = specprep.assign_names(spec)
    specprep.record_pagination(spec, infos)
    return infos["GET /things"]


def test_offset_pagination_records_its_parameters_default_limit_largest_offset_and_total() -> None:
    page = {
        "type": "object",
        "required": ["data", "total_count"],
        "properties": {"data": {"type": "array", "items": {"type": "string"}}, "total_count": {"type": "integer"}},
    }
    info = paging_of(paged_op(OFFSET_MARK, page, OFFSET, LIMIT))
    assert info.paging == specprep.Paging(
        "offsetLimit", ["data"], offset="offset", limit="limit", total=["total_count"], limit_default=25, offset_max=900
    )
    assert info.unsupported == []


def test_offset_pagination_without_a_required_integer_total_has_none() -> None:
    page = {"type": "object", "properties": {"data": {"type": "array"}, "total_count": {"type": "integer"}}}
    assert paging_of(paged_op(OFFSET_MARK, page, OFFSET, LIMIT)).paging.total is None  # type: ignore[union-attr]


def test_cursor_pagination_records_the_cursor_parameter_and_the_next_cursor_path() -> None:
    mark = {
        "type": "cursor",
        "inputs": [{"in": "parameters", "name": "after", "type": "cursor"}],
        "outputs": {"results": "$.items", "nextCursor": "$.meta.next"},
    }
    after = {"name": "after", "in": "query", "schema": {"type": "string"}}
    info = paging_of(paged_op(mark, {"type": "object"}, after))
    assert info.paging == specprep.Paging("cursor", ["items"], cursor="after", next_cursor=["meta", "next"])


@pytest.mark.parametrize(
    "mark",
    [
        {**OFFSET_MARK, "type": "url"},
        {**OFFSET_MARK, "outputs": {"results": "$.data[*]"}},
        {**OFFSET_MARK, "inputs": [{"in": "parameters", "name": "skip", "type": "offset"}]},
        {"type": "cursor", "inputs": [], "outputs": {"results": "$.data"}},
    ],
    ids=["unknown-kind", "not-a-key-path", "parameter-missing", "cursor-without-next"],
)
def test_pagination_the_client_cannot_follow_is_recorded_as_unsupported(mark: Json) -> None:
    info = paging_of(paged_op(mark, {"type": "object"}, OFFSET, LIMIT))
    assert info.paging is None
    assert info.unsupported and all("pagination" in u for u in info.unsupported)
