"""spec-diff (scripts/spec_diff/): one hand-made published document per kind of difference."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts import spec_diff

ROOT = Path(__file__).resolve().parents[2]


Json = dict[str, Any]


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: Json) -> Json:
    return {"application/json": {"schema": schema}}


BASE: Json = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "summary": "List pets",
                "parameters": [{"name": "limit", "in": "query", "required": False, "schema": {"type": "integer"}}],
                "responses": {
                    "200": {"description": "The pets.", "content": json_body({"type": "array", "items": ref("Pet")})}
                },
            },
            "post": {
                "operationId": "createPet",
                "x-modelgates-method": "create",
                "requestBody": {"required": True, "content": json_body(ref("NewPet"))},
                "responses": {
                    "201": {"description": "Created.", "content": json_body(ref("Pet"))},
                    "400": {"description": "Bad request.", "content": json_body(ref("Error"))},
                },
            },
        },
        "/pets/{id}": {
            "get": {
                "operationId": "getPet",
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "One pet.", "content": json_body(ref("Pet"))}},
            }
        },
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "description": "A pet.",
                "required": ["id", "kind"],
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "kind": {"type": "string", "enum": ["cat", "dog"]},
                    "name": {"type": ["string", "null"]},
                    "owner": {"anyOf": [ref("Owner"), {"type": "null"}]},
                    "tags": {"type": "array", "items": {"type": "string"}},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}},
                    "food": {"oneOf": [ref("Kibble"), ref("Meat")]},
                    "version": {"const": 1},
                },
            },
            "NewPet": {
                "allOf": [
                    {"type": "object", "required": ["kind"], "properties": {"kind": {"type": "string"}}},
                    {"type": "object", "properties": {"name": {"type": "string"}}},
                ]
            },
            "Owner": {"type": ["object", "null"], "properties": {"email": {"type": "string", "format": "email"}}},
            "Kibble": {"type": "object", "properties": {"brand": {"type": "string"}}},
            "Meat": {"type": "object", "properties": {"grams": {"type": "integer"}}},
            "Error": {"type": "object", "properties": {"message": {"type": "string"}}},
        }
    },
}


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], published: Json, *flags: str) -> tuple[int, list[str]]:
    """spec_diff's command line on BASE (ours) and `published`, both written to files: (exit code, lines)."""
    ours_path, published_path = tmp_path / "ours.yaml", tmp_path / "published.yaml"
    ours_path.write_text(yaml.safe_dump(BASE, sort_keys=False), encoding="utf-8")
    published_path.write_text(yaml.safe_dump(published, sort_keys=False), encoding="utf-8")
    code = spec_diff.main([str(published_path), "--spec", str(ours_path), *flags])
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1].startswith("spec-diff: ")
    return code, lines[:-1]


def variant(change: Callable[[Json], Any]) -> Json:
    published = copy.deepcopy(BASE)
    change(published)
    return published


def schema(spec: Json, name: str) -> Json:
    result: Json = spec["components"]["schemas"][name]
    return result


def pet(spec: Json) -> Json:
    props: Json = schema(spec, "Pet")["properties"]
    return props


@pytest.fixture
def diff(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Callable[..., list[str]]:
    """Differences found between BASE and BASE changed by the given function; checks the exit code agrees."""

    def run_change(change: Callable[[Json], Any], *flags: str) -> list[str]:
        code, lines = run(tmp_path, capsys, variant(change), *flags)
        assert code == (1 if lines else 0), lines
        return lines

    return run_change


def test_identical_documents_agree(diff: Callable[..., list[str]]) -> None:
    assert diff(lambda s: None) == []


def test_operation_only_in_published(diff: Callable[..., list[str]]) -> None:
    def add(s: Json) -> None:
        s["paths"]["/pets/{id}"]["delete"] = {"operationId": "deletePet", "responses": {"204": {"description": "x"}}}

    assert diff(add) == ["DELETE /pets/{id}: operation only in published"]


def test_operation_only_in_ours(diff: Callable[..., list[str]]) -> None:
    assert diff(lambda s: s["paths"].pop("/pets/{id}")) == ["GET /pets/{id}: operation only in ours"]


def test_parameter_added_and_removed(diff: Callable[..., list[str]]) -> None:
    def add(s: Json) -> None:
        s["paths"]["/pets"]["get"]["parameters"].append(
            {"name": "offset", "in": "query", "schema": {"type": "integer"}}
        )

    assert diff(add) == ["GET /pets: parameter query offset only in published"]
    assert diff(lambda s: s["paths"]["/pets"]["get"].pop("parameters")) == [
        "GET /pets: parameter query limit only in ours"
    ]


def test_parameter_required_changed(diff: Callable[..., list[str]]) -> None:
    def require(s: Json) -> None:
        s["paths"]["/pets"]["get"]["parameters"][0]["required"] = True

    assert diff(require) == ["GET /pets: parameter query limit is required in published only"]


def test_parameter_type_changed(diff: Callable[..., list[str]]) -> None:
    def retype(s: Json) -> None:
        s["paths"]["/pets"]["get"]["parameters"][0]["schema"] = {"type": "string"}

    assert diff(retype) == ["GET /pets param limit: type ours ['integer'], published ['string']"]


def test_request_body_presence_and_required(diff: Callable[..., list[str]]) -> None:
    assert diff(lambda s: s["paths"]["/pets"]["post"].pop("requestBody")) == ["POST /pets: request body in ours only"]

    def optional(s: Json) -> None:
        s["paths"]["/pets"]["post"]["requestBody"]["required"] = False

    assert diff(optional) == ["POST /pets: request body is optional in published only"]


def test_response_status_code(diff: Callable[..., list[str]]) -> None:
    def add(s: Json) -> None:
        s["paths"]["/pets/{id}"]["get"]["responses"]["404"] = {"description": "x", "content": json_body(ref("Error"))}

    assert diff(add) == ["GET /pets/{id}: response 404 only in published"]
    assert diff(lambda s: s["paths"]["/pets"]["post"]["responses"].pop("400")) == [
        "POST /pets: response 400 only in ours"
    ]


def test_media_type(diff: Callable[..., list[str]]) -> None:
    def add(s: Json) -> None:
        s["paths"]["/pets"]["get"]["responses"]["200"]["content"]["text/event-stream"] = {"schema": ref("Pet")}

    assert diff(add) == ["GET /pets 200: media type text/event-stream only in published"]


def test_property_added_and_removed(diff: Callable[..., list[str]]) -> None:
    expected_added = [
        "GET /pets 200<application/json>[].age: property only in published",
        "POST /pets 201<application/json>.age: property only in published",
        "GET /pets/{id} 200<application/json>.age: property only in published",
    ]
    assert diff(lambda s: pet(s).update(age={"type": "integer"})) == expected_added
    removed = diff(lambda s: pet(s).pop("tags"))
    assert removed[0] == "GET /pets 200<application/json>[].tags: property only in ours"
    assert len(removed) == 3  # one per operation that returns a Pet


def test_required_list(diff: Callable[..., list[str]]) -> None:
    lines = diff(lambda s: schema(s, "Pet")["required"].append("name"), "--op", "GET:/pets/{id}")
    assert lines == ["GET /pets/{id} 200<application/json>: required differs: +name (published)"]


def test_type_change(diff: Callable[..., list[str]]) -> None:
    lines = diff(lambda s: pet(s).update(tags={"type": "string"}), "--op", "GET:/pets/{id}")
    assert lines == [
        "GET /pets/{id} 200<application/json>.tags: type ours ['array'], published ['string']",
        "GET /pets/{id} 200<application/json>.tags: array items declared in ours only",
    ]


def test_nullable_30_and_31_are_the_same_fact(diff: Callable[..., list[str]]) -> None:
    def as_30(s: Json) -> None:
        pet(s)["name"] = {"type": "string", "nullable": True}
        schema(s, "Owner")["type"] = "object"
        schema(s, "Owner")["nullable"] = True

    assert diff(as_30) == []

    def null_member_folded(s: Json) -> None:  # anyOf [Owner, null] and Owner with type [object, null]
        pet(s)["owner"] = ref("Owner")

    assert diff(null_member_folded) == []

    def not_nullable(s: Json) -> None:
        pet(s)["name"] = {"type": "string"}

    assert diff(not_nullable, "--op", "GET:/pets/{id}") == [
        "GET /pets/{id} 200<application/json>.name: nullable: ours True, published False"
    ]


def test_enum_value(diff: Callable[..., list[str]]) -> None:
    lines = diff(lambda s: pet(s)["kind"]["enum"].append("bird"), "--op", "GET:/pets/{id}")
    assert lines == ["GET /pets/{id} 200<application/json>.kind: enum/const values only in published: 'bird'"]
    lines = diff(lambda s: pet(s)["kind"]["enum"].remove("dog"), "--op", "GET:/pets/{id}")
    assert lines == ["GET /pets/{id} 200<application/json>.kind: enum/const values only in ours: 'dog'"]


def test_const_value(diff: Callable[..., list[str]]) -> None:
    lines = diff(lambda s: pet(s).update(version={"const": 2}), "--op", "GET:/pets/{id}")
    assert lines == [
        "GET /pets/{id} 200<application/json>.version: enum/const values only in published: 2",
        "GET /pets/{id} 200<application/json>.version: enum/const values only in ours: 1",
    ]


def test_format(diff: Callable[..., list[str]]) -> None:
    lines = diff(lambda s: pet(s)["id"].pop("format"), "--op", "GET:/pets/{id}")
    assert lines == ["GET /pets/{id} 200<application/json>.id: format ours 'uuid', published None"]


def test_array_items(diff: Callable[..., list[str]]) -> None:
    lines = diff(lambda s: pet(s)["tags"].update(items={"type": "integer"}), "--op", "GET:/pets/{id}")
    assert lines == ["GET /pets/{id} 200<application/json>.tags[]: type ours ['string'], published ['integer']"]


def test_additional_properties(diff: Callable[..., list[str]]) -> None:
    lines = diff(lambda s: pet(s)["labels"].update(additionalProperties=False), "--op", "GET:/pets/{id}")
    assert lines == ["GET /pets/{id} 200<application/json>.labels: additionalProperties ours a schema, published none"]
    lines = diff(lambda s: pet(s)["labels"].update(additionalProperties={"type": "integer"}), "--op", "GET:/pets/{id}")
    assert lines == ["GET /pets/{id} 200<application/json>.labels{}: type ours ['string'], published ['integer']"]


def test_union_member_added_and_removed(diff: Callable[..., list[str]]) -> None:
    def add(s: Json) -> None:
        schema(s, "Pet")["properties"]["food"]["oneOf"].append({"type": "string"})

    assert diff(add, "--op", "GET:/pets/{id}") == [
        "GET /pets/{id} 200<application/json>.food: union member #2 (string) only in published"
    ]
    assert diff(lambda s: pet(s)["food"]["oneOf"].pop(0), "--op", "GET:/pets/{id}") == [
        "GET /pets/{id} 200<application/json>.food: union member Kibble only in ours"
    ]
    assert diff(lambda s: pet(s).update(food=ref("Meat")), "--op", "GET:/pets/{id}") == [
        "GET /pets/{id} 200<application/json>.food: a union (oneOf/anyOf) in ours only"
    ]

    def replace(s: Json) -> None:
        pet(s)["food"]["oneOf"][1] = {"type": "object", "properties": {"kilos": {"type": "number"}}}

    assert diff(replace, "--op", "GET:/pets/{id}") == [
        "GET /pets/{id} 200<application/json>.food: union member Meat only in ours",
        "GET /pets/{id} 200<application/json>.food: union member #1 (object) only in published",
    ]


def test_all_of_is_merged(diff: Callable[..., list[str]]) -> None:
    def flatten(s: Json) -> None:
        s["components"]["schemas"]["NewPet"] = {
            "type": "object",
            "required": ["kind"],
            "properties": {"kind": {"type": "string"}, "name": {"type": "string"}},
        }

    assert diff(flatten) == []


def test_renamed_schema_with_the_same_json_is_no_difference(diff: Callable[..., list[str]]) -> None:
    def rename(s: Json) -> None:
        schemas = s["components"]["schemas"]
        schemas["Animal"] = schemas.pop("Pet")
        text = yaml.safe_dump(s).replace("#/components/schemas/Pet'", "#/components/schemas/Animal'")
        s.clear()
        s.update(yaml.safe_load(text))

    assert diff(rename) == []


def test_prose_only_change_is_no_difference(diff: Callable[..., list[str]]) -> None:
    def reword(s: Json) -> None:
        s["paths"]["/pets"]["get"]["summary"] = "Every pet there is"
        s["paths"]["/pets"]["get"]["description"] = "Long words about pets."
        schema(s, "Pet")["description"] = "Another text."
        schema(s, "Pet")["title"] = "A title"
        pet(s)["id"]["example"] = "3f2a"
        s["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]["example"] = {"kind": "cat"}

    assert diff(reword) == []


def test_sdk_name_of_an_operation(diff: Callable[..., list[str]]) -> None:
    def rename(s: Json) -> None:
        s["paths"]["/pets"]["post"]["x-speakeasy-name-override"] = "add"

    assert diff(rename) == ["POST /pets: x-modelgates-method ours 'create', published x-speakeasy-name-override 'add'"]
    same = diff(lambda s: s["paths"]["/pets"]["post"].update({"x-speakeasy-name-override": "create"}))
    assert same == []


def test_repeated_prose_is_its_own_category(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = "A pet is an animal that lives with people and is looked after by them."
    ours_path, published_path = tmp_path / "ours.yaml", tmp_path / "published.yaml"
    ours = copy.deepcopy(BASE)
    schema(ours, "Pet")["description"] = text
    published = copy.deepcopy(BASE)
    schema(published, "Pet")["description"] = text.upper() + " (And more.)"  # the same first 40 characters
    ours_path.write_text(yaml.safe_dump(ours), encoding="utf-8")
    published_path.write_text(yaml.safe_dump(published), encoding="utf-8")

    assert spec_diff.main([str(published_path), "--spec", str(ours_path)]) == 0  # facts only by default
    assert "repeated prose" not in capsys.readouterr().out
    assert spec_diff.main([str(published_path), "--spec", str(ours_path), "--prose"]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("#/components/schemas/Pet/description: repeats the published text")
    assert out[-1].endswith("0 fact differences, 0 SDK-name differences, 1 repeated prose")


def test_summary_line_counts_each_category(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    def change(s: Json) -> None:
        s["paths"].pop("/pets/{id}")
        s["paths"]["/pets"]["get"]["parameters"][0]["required"] = True

    code, _ = run(tmp_path, capsys, variant(change))
    assert code == 1
    spec_diff.main([str(tmp_path / "published.yaml"), "--spec", str(tmp_path / "ours.yaml")])
    last = capsys.readouterr().out.splitlines()[-1]
    assert last == (
        "spec-diff: 2 operations compared (3 ours, 2 published); 1 on one side only, 1 fact differences, "
        "0 SDK-name differences"
    )


def test_a_reference_that_does_not_resolve_is_an_error_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    published = copy.deepcopy(BASE)
    published["components"]["schemas"]["Gone"] = {"$ref": "#/components/schemas/Nowhere"}
    for item in published["paths"].values():
        for op in item.values():
            for response in (op.get("responses") or {}).values():
                for media in (response.get("content") or {}).values():
                    media["schema"] = {"$ref": "#/components/schemas/Gone"}
    ours_path, published_path = tmp_path / "ours.yaml", tmp_path / "published.yaml"
    ours_path.write_text(yaml.safe_dump(BASE, sort_keys=False), encoding="utf-8")
    published_path.write_text(yaml.safe_dump(published, sort_keys=False), encoding="utf-8")
    assert spec_diff.main([str(published_path), "--spec", str(ours_path)]) == 2
    err = capsys.readouterr().err
    assert "$ref '#/components/schemas/Nowhere' does not resolve: #/components/schemas has no 'Nowhere'" in err
