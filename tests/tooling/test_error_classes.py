"""Error classes are named after the schema most operations give their status, whatever a few operations say."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from scripts.generator import pipeline

from ..conftest import write_spec

ROOT = Path(__file__).resolve().parents[2]


def error(schema: str) -> dict[str, Any]:
    return {"description": "e", "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def op(name: str, **responses: dict[str, Any]) -> dict[str, Any]:
    return {"get": {"operationId": name, "tags": ["T"], "responses": {"200": {"description": "ok"}, **responses}}}


BODY = {"type": "object", "properties": {"message": {"type": "string"}}}
SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Errors", "version": "1"},
    "paths": {
        "/a": op("a", **{"400": error("BadRequestResponse"), "429": error("TooManyRequestsResponse")}),
        "/b": op("b", **{"400": error("BadRequestResponse"), "500": error("Shared")}),
        "/c": op("c", **{"400": error("VendorError"), "429": error("VendorError"), "503": error("Shared")}),
    },
    "components": {
        "schemas": {name: BODY for name in ("BadRequestResponse", "TooManyRequestsResponse", "VendorError", "Shared")}
    },
}


# The module fixture is made once: every test of this module runs on one xdist worker.
pytestmark = pytest.mark.xdist_group("test_error_classes")


@pytest.fixture(scope="module")
def errors_module(tmp_path_factory: pytest.TempPathFactory) -> str:
    directory = tmp_path_factory.mktemp("errors")
    pipeline.generate_into(write_spec(directory, SPEC), directory / "_generated")
    return (directory / "_generated" / "errors.py").read_text(encoding="utf-8")


def classes(text: str) -> dict[int, str]:
    return {int(status): name for status, name in re.findall(r"    (\d{3}): (\w+),", text)}


def test_status_class_is_named_after_the_schema_most_operations_give_it(errors_module: str) -> None:
    assert classes(errors_module)[400] == "BadRequestResponseError"  # two operations against one
    assert classes(errors_module)[429] == "TooManyRequestsResponseError"  # a tie: the first name wins


def test_status_whose_primary_schema_is_another_status_primary_too_gets_its_reason_phrase(errors_module: str) -> None:
    assert (classes(errors_module)[500], classes(errors_module)[503]) == (
        "InternalServerError",
        "ServiceUnavailableError",
    )


def test_status_class_data_covers_every_schema_an_operation_gives_it(errors_module: str) -> None:
    assert "    data: BadRequestResponse | VendorError | None" in errors_module
