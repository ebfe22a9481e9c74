"""Every parameter of a spec reaches the server as the spec says: path segments escaped whole, query arrays and
objects in their style, JSON-encoded (`content:`) parameters, headers and cookies. Generated from a small
hand-made spec; the calls run in a subprocess against pytest-httpserver, which records what it received."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request

from ..conftest import call_generated, generate_package, write_spec
from . import test_generate


def param(name: str, where: str, schema: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    out: dict[str, Any] = {"name": name, "in": where, **extra}
    if schema is not None:
        out["schema"] = schema
    if where == "path":
        out["required"] = True
    return out


OK = {"200": {"description": "ok", "content": {"application/json": {"schema": {"type": "object"}}}}}
FILTER = {"type": "object", "properties": {"model": {"type": "string"}, "max": {"type": "integer"}}}

SPEC: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Parameters", "version": "1"},
    "paths": {
        "/items/{slug}": {
            "get": {
                "operationId": "getItem",
                "tags": ["Items"],
                "parameters": [
                    param("slug", "path", {"type": "string"}),
                    param("tags", "query", {"type": "array", "items": {"type": "string"}}),
                    param("flat", "query", {"type": "array", "items": {"type": "integer"}}, explode=False),
                    param("verbose", "query", {"type": "boolean"}),
                    param("where", "query", None, content={"application/json": {"schema": FILTER}}),
                    param("deep", "query", FILTER, style="deepObject"),
                    param("X-Trace", "header", {"type": "string"}),
                    param("session", "cookie", {"type": "string"}),
                ],
                "responses": OK,
            }
        }
    },
}


# The module fixture is made once: every test of this module runs on one xdist worker.
pytestmark = pytest.mark.xdist_group("test_parameters")


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_package(tmp_path_factory.mktemp("parameters"), SPEC)


def received(package: Path, server: HTTPServer, **kwargs: Any) -> Request:
    server.expect_request(re.compile("/items/.*"), method="GET").respond_with_json({})
    got = call_generated(package, server.url_for(""), "items.get_item", **kwargs)
    assert got["result"] == "dict", got
    request, _ = server.log[-1]
    return request


def test_path_parameter_with_a_slash_and_unicode_stays_one_escaped_segment(
    package: Path, httpserver: HTTPServer
) -> None:
    request = received(package, httpserver, slug="openai/gpt-4ö")
    assert request.environ["RAW_URI"].split("?")[0] == "/items/openai%2Fgpt-4%C3%B6"


def test_query_array_repeats_its_name(package: Path, httpserver: HTTPServer) -> None:
    request = received(package, httpserver, slug="s", tags=["a", "b"])
    assert request.args.getlist("tags") == ["a", "b"]


def test_query_array_not_exploded_is_comma_joined(package: Path, httpserver: HTTPServer) -> None:
    request = received(package, httpserver, slug="s", flat=[1, 2, 3])
    assert request.args.getlist("flat") == ["1,2,3"]


@pytest.mark.parametrize(("value", "sent"), [(True, "true"), (False, "false")])
def test_query_boolean_is_lower_case(package: Path, httpserver: HTTPServer, value: bool, sent: str) -> None:
    request = received(package, httpserver, slug="s", verbose=value)
    assert request.args.getlist("verbose") == [sent]


def test_content_parameter_is_sent_as_json_text(package: Path, httpserver: HTTPServer) -> None:
    request = received(package, httpserver, slug="s", where={"model": "a/b", "max": 3})
    assert json.loads(request.args["where"]) == {"model": "a/b", "max": 3}


def test_deep_object_parameter_is_sent_key_by_key(package: Path, httpserver: HTTPServer) -> None:
    request = received(package, httpserver, slug="s", deep={"model": "m", "max": 2})
    assert (request.args["deep[model]"], request.args["deep[max]"]) == ("m", "2")


def test_header_and_cookie_parameters_are_sent(package: Path, httpserver: HTTPServer) -> None:
    request = received(package, httpserver, slug="s", x_trace="t-1", session="a b;c")
    assert request.headers["X-Trace"] == "t-1"
    assert request.cookies["session"] == "a%20b%3Bc"  # percent-encoded: a `;` cannot end the cookie early


def test_parameter_the_client_cannot_write_fails_generation_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = json.loads(json.dumps(SPEC))
    spec["paths"]["/items/{slug}"]["get"]["parameters"].append(
        param("ids", "query", {"type": "array", "items": {"type": "string"}}, style="pipeDelimited")
    )
    out = tmp_path / "out"
    assert test_generate.generate.main(["--spec", str(write_spec(tmp_path, spec)), "--out", str(out)])
    err = capsys.readouterr().err
    assert "GET /items/{slug}: query parameter 'ids': style 'pipeDelimited'" in err
