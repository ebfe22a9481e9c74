"""spec-sync and spec-describe (scripts/spec_sync.py, scripts/spec_describe.py, scripts/prose/) on hand-made specs.

Every text of the published document below contains the word PUBLISHED, so that a test can tell that none of
it was carried over; our texts say "Our ...".
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts import prose, spec_describe, spec_diff, spec_sync

ROOT = Path(__file__).resolve().parents[2]


Json = dict[str, Any]

OURS = """
openapi: 3.1.0
info:
  title: Pets API
  version: '1'
  description: Our words about the pets API.
servers:
  - url: https://pets.example/v1
    description: Our server.
tags:
  - name: Pets
    description: Our words on pets.
paths:
  /pets:
    get:
      operationId: listPets
      tags: [Pets]
      summary: Our list of pets
      description: Our long words on listing pets.
      x-modelgates-group: animals
      parameters:
        - name: limit
          in: query
          description: Our limit words.
          example: 10
          schema: {type: integer}
          x-modelgates-python-name: max_items
      responses:
        '200':
          description: Our pets response.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
              example: [{id: our-id}]
    post:
      operationId: createPet
      tags: [Pets]
      summary: Our create
      description: Our words on creating a pet.
      x-modelgates-method: make
      x-modelgates-stream-flag: stream
      requestBody:
        required: true
        description: Our body words.
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewPet'}
            example: {kind: cat}
      responses:
        '200':
          description: Our created pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
            text/event-stream:
              schema: {$ref: '#/components/schemas/Pet'}
              x-modelgates-sse-sentinel: '[END]'
  /pets/{id}/legacy:
    get:
      operationId: getLegacy
      summary: Our legacy words
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}, description: Our legacy id.}
      responses:
        '200': {description: Our legacy response.}
components:
  schemas:
    Pet:
      description: Our pet words.
      type: object
      required: [id]
      properties:
        id: {type: string, description: Our id words.}
        kind: {$ref: '#/components/schemas/Kind'}
        owner:
          description: Our words on who owns the pet.
          $ref: '#/components/schemas/OldName'
        description: {type: string, description: Our words on the property called description.}
        x-trace: {type: string, description: Our trace words.}
        legacy_field: {type: string, description: Our legacy field words.}
    NewPet:
      description: Our new-pet words.
      type: object
      properties:
        kind: {$ref: '#/components/schemas/Kind'}
        stream: {type: boolean, description: Our stream words.}
    Kind:
      description: Our kind words.
      type: string
      enum: [cat, dog]
    OldName:
      description: Our owner words.
      type: object
      properties:
        email: {type: string, description: Our email words.}
"""

PUBLISHED = """
openapi: 3.1.0
info:
  title: PUBLISHED title
  version: '2'
  description: PUBLISHED info text.
  contact: {email: team@pets.example}
externalDocs: {description: PUBLISHED docs, url: https://pets.example/docs}
servers:
  - url: https://pets.example/v1
    description: PUBLISHED server.
    x-speakeasy-server-id: production
tags:
  - name: Pets
    description: PUBLISHED tag text.
    externalDocs: {description: PUBLISHED tag docs, url: https://pets.example/tags}
  - name: Toys
    description: PUBLISHED toys tag.
x-speakeasy-retries: {strategy: backoff}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [Pets]
      summary: PUBLISHED summary
      description: PUBLISHED description of listing.
      x-speakeasy-ignore: true
      x-speakeasy-pagination: {type: offsetLimit, outputs: {results: $}}
      parameters:
        - {name: limit, in: query, description: PUBLISHED limit, example: 99, schema: {type: integer}}
        - {name: offset, in: query, description: PUBLISHED offset, schema: {type: integer}}
      responses:
        '200':
          description: PUBLISHED list response.
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
              example: [{id: PUBLISHED-example}]
    post:
      operationId: createPet
      tags: [Pets]
      summary: PUBLISHED create
      x-speakeasy-name-override: create
      x-speakeasy-stream-request-field: stream
      x-speakeasy-group: pets
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/NewPet'}
            examples:
              cat: {summary: PUBLISHED example summary, value: {kind: cat}}
      responses:
        '200':
          description: PUBLISHED created.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
            text/event-stream:
              schema: {$ref: '#/components/schemas/Pet'}
              x-speakeasy-sse-sentinel: '[DONE]'
        '404':
          description: PUBLISHED not found.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Error'}
  /pets/{id}:
    get:
      operationId: getPet
      tags: [Pets]
      summary: PUBLISHED get one
      description: PUBLISHED get one pet, a long description.
      x-speakeasy-name-override: getPetById
      parameters:
        - {name: id, in: path, required: true, description: PUBLISHED id, schema: {type: string}}
      responses:
        '200':
          description: PUBLISHED one pet.
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Pet'}
components:
  schemas:
    Pet:
      title: PUBLISHED Pet title
      description: PUBLISHED pet.
      example: {id: PUBLISHED-pet}
      type: object
      required: [id, kind]
      x-speakeasy-entity: Pet
      properties:
        id: {type: string, format: uuid, description: PUBLISHED id property, examples: [PUBLISHED-1]}
        kind: {$ref: '#/components/schemas/Kind'}
        owner: {$ref: '#/components/schemas/Owner'}
        description: {type: string, description: PUBLISHED description property.}
        x-trace: {type: string}
        age: {type: integer, description: PUBLISHED age.}
        toys:
          type: array
          items: {$ref: '#/components/schemas/Toy'}
        extra:
          type: object
          default: {description: 'data, not prose'}
          additionalProperties: {type: string}
    NewPet:
      type: object
      properties:
        kind: {$ref: '#/components/schemas/Kind'}
        stream: {type: boolean, description: PUBLISHED stream flag.}
    Kind:
      description: PUBLISHED kind.
      type: string
      enum: [cat, dog, bird]
    Owner:
      description: PUBLISHED owner.
      type: object
      properties:
        email: {type: string}
    Toy:
      description: PUBLISHED toy.
      type: object
      properties:
        name: {type: string, x-fern-ignore: true}
    Error:
      type: object
      properties:
        message: {type: string}
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    ours, published = tmp_path / "ours.yaml", tmp_path / "published.yaml"
    ours.write_text(OURS, encoding="utf-8")
    published.write_text(PUBLISHED, encoding="utf-8")
    return ours, published


@pytest.fixture
def synced(files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[Json, str, Path]:
    """(synced document, what spec-sync printed, the synced file); the to-do overlay is tmp_path/todo.yaml."""
    ours, published = files
    out = tmp_path / "synced.yaml"
    assert (
        spec_sync.main([str(published), "--spec", str(ours), "--out", str(out), "--todo", str(tmp_path / "todo.yaml")])
        == 0
    )
    printed = capsys.readouterr().out
    return yaml.safe_load(out.read_text(encoding="utf-8")), printed, out


def schema(spec: Json, name: str) -> Json:
    result: Json = spec["components"]["schemas"][name]
    return result


# ---------------------------------------------------------------- spec-sync


def test_facts_equal_the_published_document(synced: tuple[Json, str, Path], files: tuple[Path, Path]) -> None:
    spec, _, _ = synced
    assert spec_diff.compare(spec, spec_diff.load(files[1])) == []
    assert spec_diff.repeated_prose(spec, spec_diff.load(files[1])) == []
    assert list(spec["paths"]) == ["/pets", "/pets/{id}"]  # the published order
    assert schema(spec, "Kind")["enum"] == ["cat", "dog", "bird"]
    assert schema(spec, "Pet")["properties"]["id"]["format"] == "uuid"
    assert spec["info"]["version"] == "2"


def test_our_prose_is_kept_where_its_element_remains(synced: tuple[Json, str, Path]) -> None:
    spec, _, _ = synced
    get = spec["paths"]["/pets"]["get"]
    assert (get["summary"], get["description"]) == ("Our list of pets", "Our long words on listing pets.")
    assert get["parameters"][0]["description"] == "Our limit words."
    assert get["parameters"][0]["example"] == 10
    assert get["responses"]["200"]["description"] == "Our pets response."
    assert get["responses"]["200"]["content"]["application/json"]["example"] == [{"id": "our-id"}]
    post = spec["paths"]["/pets"]["post"]
    assert post["requestBody"]["description"] == "Our body words."
    assert post["requestBody"]["content"]["application/json"]["example"] == {"kind": "cat"}
    pet = schema(spec, "Pet")
    assert pet["description"] == "Our pet words."
    assert pet["properties"]["id"]["description"] == "Our id words."
    assert pet["properties"]["description"]["description"] == "Our words on the property called description."
    assert pet["properties"]["x-trace"]["description"] == "Our trace words."  # a property name, not an extension
    assert pet["properties"]["owner"] == {
        "description": "Our words on who owns the pet.",
        "$ref": "#/components/schemas/Owner",
    }
    assert spec["info"] == {"title": "Pets API", "version": "2", "description": "Our words about the pets API.",
                            "contact": {"email": "team@pets.example"}}  # fmt: skip
    assert spec["servers"] == [{"url": "https://pets.example/v1", "description": "Our server."}]
    assert spec["tags"][0] == {
        "name": "Pets",
        "description": "Our words on pets.",
        "externalDocs": {"url": "https://pets.example/tags"},
    }


def test_prose_of_a_renamed_schema_follows_it(synced: tuple[Json, str, Path]) -> None:
    spec, printed, _ = synced
    assert "OldName" not in spec["components"]["schemas"]
    owner = schema(spec, "Owner")
    assert owner["description"] == "Our owner words."
    assert owner["properties"]["email"]["description"] == "Our email words."
    assert "renamed schema: OldName -> Owner" in printed


def test_no_published_prose_example_or_extension_is_carried(synced: tuple[Json, str, Path]) -> None:
    spec, _, out = synced
    text = out.read_text(encoding="utf-8")
    assert "PUBLISHED" not in text
    assert "x-speakeasy" not in text and "x-fern" not in text
    assert "examples" not in spec["paths"]["/pets"]["post"]["requestBody"]["content"]["application/json"]
    assert "title" not in schema(spec, "Pet") and "example" not in schema(spec, "Pet")
    assert "examples" not in schema(spec, "Pet")["properties"]["id"]
    # data is not prose: a default value keeps its keys
    assert schema(spec, "Pet")["properties"]["extra"]["default"] == {"description": "data, not prose"}


def test_new_elements_without_a_description_are_listed(synced: tuple[Json, str, Path], tmp_path: Path) -> None:
    spec, printed, _ = synced
    expected = [
        "tags.Toys: description",
        "GET /pets: parameters.query offset: description",
        "POST /pets: responses.404: description",
        "GET /pets/{id}: summary",
        "GET /pets/{id}: description",
        "GET /pets/{id}: parameters.path id: description",
        "GET /pets/{id}: responses.200: description",
        "components.schemas.Toy: description",
        "components.schemas.Error: description",
    ]
    assert prose.missing(spec) == expected
    for line in expected:
        assert f"  {line}\n" in printed
    assert f"{len(expected)} elements have no description yet" in printed
    todo = yaml.safe_load((tmp_path / "todo.yaml").read_text(encoding="utf-8"))
    assert todo["paths"]["/pets/{id}"]["get"] == {
        "summary": "",
        "description": "",
        "parameters": {"path id": ""},
        "responses": {"200": ""},
    }
    assert todo["components"]["schemas"] == {"Toy": "", "Error": ""}
    # a new response still has the description OpenAPI requires: empty, to be written
    assert spec["paths"]["/pets"]["post"]["responses"]["404"]["description"] == ""
    assert "components.schemas.Pet.properties.age: description" in prose.missing(spec, properties=True)


def test_removed_elements_are_gone_and_their_prose_reported(synced: tuple[Json, str, Path]) -> None:
    spec, printed, _ = synced
    assert "/pets/{id}/legacy" not in spec["paths"]
    assert "legacy_field" not in schema(spec, "Pet")["properties"]
    assert "prose dropped (its element is gone): GET /pets/{id}/legacy: summary" in printed
    assert "prose dropped (its element is gone): components.schemas.Pet.properties.legacy_field: description" in printed
    assert "Our legacy" not in yaml.safe_dump(spec)


def test_our_extensions_are_kept_and_sdk_facts_come_in_as_ours(synced: tuple[Json, str, Path]) -> None:
    spec, printed, _ = synced
    get = spec["paths"]["/pets"]["get"]
    assert get["x-modelgates-group"] == "animals"  # hand-set, the published document says nothing
    assert get["x-modelgates-pagination"] == {"type": "offsetLimit", "outputs": {"results": "$"}}
    assert get["parameters"][0]["x-modelgates-python-name"] == "max_items"
    post = spec["paths"]["/pets"]["post"]
    assert post["x-modelgates-method"] == "create"  # name-override wins over our stale "make"
    assert post["x-modelgates-group"] == "pets"
    assert post["x-modelgates-stream-flag"] == "stream"
    assert post["responses"]["200"]["content"]["text/event-stream"]["x-modelgates-sse-sentinel"] == "[DONE]"
    assert spec["paths"]["/pets/{id}"]["get"]["x-modelgates-method"] == "getPetById"  # upstream spelling kept
    assert (
        "extension replaced by the published fact: POST /pets: x-modelgates-method: ours 'make' -> published 'create'"
        in printed
    )
    assert "x-modelgates-sse-sentinel: ours '[END]' -> published '[DONE]'" in printed


def test_key_order_is_canonical(synced: tuple[Json, str, Path]) -> None:
    spec, _, _ = synced
    assert list(spec) == ["openapi", "info", "externalDocs", "servers", "tags", "paths", "components"]
    assert list(spec["paths"]["/pets"]["post"]) == [
        "operationId", "tags", "summary", "description", "x-modelgates-group", "x-modelgates-method",
        "x-modelgates-stream-flag", "requestBody", "responses",
    ]  # fmt: skip
    assert list(spec["paths"]["/pets"]["get"]["parameters"][0]) == [
        "name", "in", "description", "schema", "example", "x-modelgates-python-name",
    ]  # fmt: skip
    assert list(schema(spec, "Pet"))[:2] == ["description", "type"]
    assert list(schema(spec, "Pet")["properties"]) == [
        "id",
        "kind",
        "owner",
        "description",
        "x-trace",
        "age",
        "toys",
        "extra",
    ]


def test_output_is_deterministic_idempotent_and_loads(
    synced: tuple[Json, str, Path], files: tuple[Path, Path], tmp_path: Path
) -> None:
    _, _, out = synced
    again, twice = tmp_path / "again.yaml", tmp_path / "twice.yaml"
    assert spec_sync.main([str(files[1]), "--spec", str(files[0]), "--out", str(again)]) == 0
    assert again.read_bytes() == out.read_bytes()
    assert spec_sync.main([str(files[1]), "--spec", str(out), "--out", str(twice)]) == 0
    assert twice.read_bytes() == out.read_bytes()
    text = out.read_text(encoding="utf-8")
    assert text.startswith(spec_sync.HEADER)
    assert isinstance(yaml.safe_load(text), dict)
    assert max(len(line) for line in text.splitlines()) <= 110


def test_long_prose_is_written_as_a_block_scalar() -> None:
    long = "Our words " * 20
    text = spec_sync.dump({"info": {"description": long.strip(), "summary": "line one\nline two\n"}})
    assert "description: >-\n" in text
    assert "summary: |\n    line one\n    line two\n" in text


# ---------------------------------------------------------------- spec-describe


def write_yaml(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_describe_applies_a_filled_todo_overlay(
    synced: tuple[Json, str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, out = synced
    todo = yaml.safe_load((tmp_path / "todo.yaml").read_text(encoding="utf-8"))
    flat, errors = prose.parse(todo)
    assert errors == []
    filled = {loc: {key: f"Our text {n}." for key in pieces} for n, (loc, pieces) in enumerate(flat.items())}
    overlay = write_yaml(tmp_path / "filled.yaml", prose.nest(filled))
    assert spec_describe.main([str(overlay), "--spec", str(out)]) == 0
    assert "0 descriptions still missing" in capsys.readouterr().out
    spec = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert prose.missing(spec) == []
    assert spec["paths"]["/pets/{id}"]["get"]["summary"].startswith("Our text ")
    assert spec_diff.compare(spec, spec_diff.load(tmp_path / "published.yaml")) == []


def test_describe_accepts_the_overlay_format_and_merges_files(
    synced: tuple[Json, str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, out = synced
    first = """
tags:
  Toys: Our toys.
paths:
  /pets:
    get:
      parameters:
        query offset: Our offset words.
      responses:
        '200':
          description: Our better pets response.
          content:
            application/json:
              items: Our words on one listed pet.
components:
  schemas:
    Toy:
      description: Our toy.
      properties:
        name: Our toy name.
"""
    second = {"tags": {"Toys": "Our toys, second file."}, "components": {"schemas": {"Error": "Our error."}}}
    a = tmp_path / "a.yaml"
    a.write_text(first, encoding="utf-8")
    b = write_yaml(tmp_path / "b.yaml", second)
    assert spec_describe.main([str(a), str(b), "--spec", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "b.yaml: tags.Toys: description replaces the text of an earlier file" in printed
    spec = yaml.safe_load(out.read_text(encoding="utf-8"))
    assert spec["tags"][1] == {"name": "Toys", "description": "Our toys, second file."}
    get = spec["paths"]["/pets"]["get"]
    assert get["parameters"][1]["description"] == "Our offset words."
    assert get["responses"]["200"]["description"] == "Our better pets response."
    assert get["responses"]["200"]["content"]["application/json"]["schema"]["items"]["description"] == (
        "Our words on one listed pet."
    )
    assert schema(spec, "Toy")["properties"]["name"]["description"] == "Our toy name."
    assert schema(spec, "Error")["description"] == "Our error."


def test_describe_reads_union_members_by_index(tmp_path: Path) -> None:
    spec_path = write_yaml(
        tmp_path / "spec.yaml",
        {
            "openapi": "3.1.0",
            "info": {"title": "T", "version": "1"},
            "paths": {},
            "components": {
                "schemas": {
                    "Filter": {
                        "anyOf": [{"type": "object", "properties": {"key": {"type": "string"}}}, {"type": "null"}]
                    }
                }
            },
        },
    )
    overlay = tmp_path / "o.yaml"
    overlay.write_text(
        "components:\n  schemas:\n    Filter:\n      description: Our filter.\n      anyOf:\n"
        "        0:\n          description: Our comparison.\n          properties:\n            key: Our key.\n",
        encoding="utf-8",
    )
    assert spec_describe.main([str(overlay), "--spec", str(spec_path)]) == 0
    member = yaml.safe_load(spec_path.read_text(encoding="utf-8"))["components"]["schemas"]["Filter"]["anyOf"][0]
    assert member["description"] == "Our comparison."
    assert member["properties"]["key"]["description"] == "Our key."


@pytest.mark.parametrize(
    ("overlay", "error"),
    [
        ({"paths": {"/nope": {"get": {"summary": "Our words."}}}}, "GET /nope: summary: no such location"),
        ({"components": {"schemas": {"Nope": "Our words."}}}, "components.schemas.Nope: description: no such location"),
        (
            {"components": {"schemas": {"Pet": {"properties": {"kind": {"properties": {"x": "Our words."}}}}}}},
            "components.schemas.Pet.properties.kind.properties.x: description: no such location",  # kind is a $ref
        ),
        ({"paths": {"/pets": {"get": {"parameters": {"limit": "Our words."}}}}}, "no such location"),
        ({"tags": {"Toys": "   "}}, "tags.Toys: description: empty text"),
        ({"components": {"schemas": {"Pet": {"type": "string"}}}}, "unknown key 'type'"),
    ],
    ids=["path", "schema", "inside-a-ref", "parameter-key", "empty", "a-fact"],
)
def test_describe_refuses_bad_overlays_and_changes_nothing(
    synced: tuple[Json, str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str], overlay: Json, error: str
) -> None:
    _, _, out = synced
    before = out.read_bytes()
    path = write_yaml(tmp_path / "bad.yaml", overlay)
    assert spec_describe.main([str(path), "--spec", str(out)]) == 1
    assert error in capsys.readouterr().err
    assert out.read_bytes() == before


def test_describe_skip_empty_and_upstream_repeats(
    synced: tuple[Json, str, Path], files: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _, _, out = synced
    path = write_yaml(tmp_path / "o.yaml", {"tags": {"Toys": ""}, "components": {"schemas": {"Toy": "Our toy."}}})
    assert spec_describe.main([str(path), "--spec", str(out), "--skip-empty"]) == 0
    assert schema(yaml.safe_load(out.read_text(encoding="utf-8")), "Toy")["description"] == "Our toy."
    copied = "PUBLISHED get one pet, a long description. Copied from them."
    path = write_yaml(tmp_path / "c.yaml", {"paths": {"/pets/{id}": {"get": {"description": copied}}}})
    assert spec_describe.main([str(path), "--spec", str(out), "--upstream", str(files[1])]) == 1
    assert "repeats the published text" in capsys.readouterr().err


# ---------------------------------------------------------------- the overlay itself


def test_extract_then_apply_gives_the_document_back(files: tuple[Path, Path]) -> None:
    spec = spec_diff.load(files[0])
    overlay = prose.extract(spec)
    bare = spec_diff.load(files[0])
    spec_sync.strip(bare)
    assert prose.apply(overlay, bare) == []
    spec_sync.apply_extensions(bare, spec_sync.our_extensions(spec), {})
    assert bare == spec
    assert overlay["paths"]["/pets"]["get"]["parameters"] == {
        "query limit": {"description": "Our limit words.", "example": 10}
    }
    assert overlay["components"]["schemas"]["Kind"] == "Our kind words."


def test_our_pagination_mark_is_dropped_when_its_parameters_are_gone() -> None:
    """An older published version without the paging parameters (and without pagination marks): our mark would
    name parameters the operation no longer has, so it goes (and is reported), instead of failing generation."""
    spec: Json = {
        "openapi": "3.1.0",
        "paths": {"/things": {"get": {"operationId": "listThings", "parameters": [{"name": "q", "in": "query"}]}}},
    }
    element = next(e for e in prose.elements(spec) if e.kind == "operation")
    mark = {
        "type": "offsetLimit",
        "inputs": [{"in": "parameters", "name": "offset", "type": "offset"}],
        "outputs": {"results": "$.data"},
    }
    ours = {(element.kind, element.loc): {"x-modelgates-pagination": mark, "x-modelgates-method": "list"}}
    _, dropped = spec_sync.apply_extensions(spec, ours, {})
    op = spec["paths"]["/things"]["get"]
    assert "x-modelgates-pagination" not in op and op["x-modelgates-method"] == "list"
    assert len(dropped) == 1 and "parameters are gone" in dropped[0]
    spec["paths"]["/things"]["get"]["parameters"].append({"name": "offset", "in": "query"})
    spec_sync.apply_extensions(spec, ours, {})
    assert op["x-modelgates-pagination"] == mark
