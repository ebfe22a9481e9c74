"""`default` responses mean what OpenAPI says: the answer for every status an operation does not list.

A small hand-made spec is generated into a scratch package; a client of that package (in a subprocess, so that it
does not clash with the installed package) calls a pytest-httpserver and reports which classes it got.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from ..conftest import call_generated, generate_package


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def json_response(schema: dict[str, Any], description: str = "d") -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Defaults", "version": "1"},
    "servers": [{"url": "http://example.invalid"}],
    "paths": {
        "/things/{id}": {
            "get": {
                "operationId": "getThing",
                "tags": ["Things"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {
                    "200": json_response(ref("Thing")),
                    "404": json_response(ref("Missing")),
                    "default": json_response(ref("Problem")),
                },
            }
        },
        "/only-default": {
            "get": {
                "operationId": "onlyDefault",
                "tags": ["Things"],
                "responses": {"default": json_response(ref("Thing"))},
            }
        },
        "/strict": {
            "post": {
                "operationId": "strict",
                "tags": ["Things"],
                "responses": {"200": json_response(ref("Thing")), "400": json_response(ref("Invalid"))},
            }
        },
    },
    "components": {
        "schemas": {
            "Thing": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
            "Missing": {"type": "object", "properties": {"what": {"type": "string"}}},
            "Problem": {"type": "object", "properties": {"message": {"type": "string"}}},
            "Invalid": {"type": "object", "properties": {"field": {"type": "string"}}},
        }
    },
}


# The module fixture is made once: every test of this module runs on one xdist worker.
pytestmark = pytest.mark.xdist_group("test_default_responses")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_package(tmp_path_factory.mktemp("defaults"), SPEC)


def call(package: Path, server: HTTPServer, callable_: str, **kwargs: Any) -> dict[str, Any]:
    return call_generated(package, server.url_for(""), callable_, **kwargs)


def test_default_error_response_gives_the_default_error_its_parsed_data(package: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/things/t1").respond_with_json({"message": "I'm a teapot"}, status=418)
    got = call(package, httpserver, "things.get_thing", id="t1")
    assert got == {
        "error": "ModelGatesDefaultError",
        "status": 418,
        "data": "Problem",
        "value": {"message": "I'm a teapot"},
    }


def test_listed_error_class_gets_its_data_from_the_default_of_an_operation_not_listing_it(
    package: Path, httpserver: HTTPServer
) -> None:
    # 400 has a class (POST /strict lists it, with the Invalid schema); GET /things/{id} describes 400 by `default`.
    httpserver.expect_request("/things/t2").respond_with_json({"message": "bad id"}, status=400)
    got = call(package, httpserver, "things.get_thing", id="t2")
    assert (got["error"], got["data"], got["value"]) == ("InvalidError", "Problem", {"message": "bad id"})


def test_listed_error_class_parses_its_own_schema_where_listed(package: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/strict", method="POST").respond_with_json({"field": "x"}, status=400)
    got = call(package, httpserver, "things.strict")
    assert (got["error"], got["data"], got["value"]) == ("InvalidError", "Invalid", {"field": "x"})


def test_error_status_listed_beside_a_default_keeps_its_own_schema(package: Path, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/things/t3").respond_with_json({"what": "thing"}, status=404)
    got = call(package, httpserver, "things.get_thing", id="t3")
    assert (got["error"], got["data"], got["value"]) == ("MissingError", "Missing", {"what": "thing"})


@pytest.mark.parametrize("status", [200, 201])
def test_operation_described_only_by_default_returns_its_model_on_success(
    package: Path, httpserver: HTTPServer, status: int
) -> None:
    httpserver.expect_request("/only-default").respond_with_json({"id": "x1"}, status=status)
    got = call(package, httpserver, "things.only_default")
    assert got == {"result": "Thing", "value": {"id": "x1"}}


def test_operation_described_only_by_default_still_raises_on_an_error_status(
    package: Path, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/only-default").respond_with_json({"id": "x1"}, status=500)
    got = call(package, httpserver, "things.only_default")
    assert (got["error"], got["status"]) == ("ModelGatesDefaultError", 500)


def test_default_response_appears_in_the_error_class_data_type(package: Path) -> None:
    errors = (package / "modelgates_client" / "_generated" / "errors.py").read_text(encoding="utf-8")
    # 400: POST /strict lists Invalid; GET /things/{id} and GET /only-default describe it by their `default`.
    assert "data: Invalid | Problem | Thing | None" in errors
    # 404: GET /things/{id} lists Missing; GET /only-default's `default` (Thing) describes every status.
    assert "data: Missing | Thing | None" in errors
