"""Example values made from the spec (modelgates_client.testing._examples) are valid for their schema: every
component schema of our spec, every member of every union, with only the required properties and with all of
them. Checked with jsonschema (JSON Schema 2020-12, which OpenAPI 3.1 schemas are)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from modelgates_client.testing._examples import Examples

SPEC: dict[str, Any] = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi" / "modelgates.yaml").read_text())
EXAMPLES = Examples(SPEC)


def invalid(schema: dict[str, Any], value: Any) -> list[str]:
    validator = jsonschema.Draft202012Validator({**schema, "components": SPEC["components"]})
    return [f"{list(e.absolute_path)}: {e.message[:200]}" for e in validator.iter_errors(value)]


@pytest.mark.parametrize("full", [False, True], ids=["required-only", "full"])
def test_example_of_every_component_schema_is_valid(full: bool) -> None:
    wrong = {}
    for name in SPEC["components"]["schemas"]:
        ref = {"$ref": f"#/components/schemas/{name}"}
        values = [EXAMPLES.value(ref, name=name, full=full)]
        values += [EXAMPLES.value(ref, member=i, full=full) for i in range(len(EXAMPLES.members(ref)))]
        for value in values:
            problems = invalid(ref, value)
            if problems:
                wrong[name] = problems[0]
    assert len(SPEC["components"]["schemas"]) > 100
    assert wrong == {}


def test_example_of_every_operation_body_and_answer_is_valid() -> None:
    wrong = {}
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            body = ((op.get("requestBody") or {}).get("content") or {}).get("application/json")
            answer = (((op.get("responses") or {}).get("200") or {}).get("content") or {}).get("application/json")
            for what, media in (("body", body), ("200", answer)):
                if media and "schema" in media:
                    problems = invalid(media["schema"], EXAMPLES.value(media["schema"], full=True))
                    if problems:
                        wrong[f"{method.upper()} {path} {what}"] = problems[0]
    assert wrong == {}


def test_same_seed_same_value_other_seed_other_id() -> None:
    schema = {"type": "object", "properties": {"id": {"type": "string"}}, "required": ["id"]}
    assert EXAMPLES.value(schema, seed="a") == EXAMPLES.value(schema, seed="a")
    assert EXAMPLES.value(schema, seed="a") != EXAMPLES.value(schema, seed="b")


def test_union_member_example_carries_its_mark() -> None:
    ref = {"$ref": "#/components/schemas/ChatMessages"}
    roles = [EXAMPLES.value(ref, member=i)["role"] for i in range(len(EXAMPLES.members(ref)))]
    assert roles == ["system", "user", "developer", "assistant", "tool"]
