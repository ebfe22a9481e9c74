"""The rules every tool of scripts/ shares (scripts/common): naming, JSON types, `$ref`s, excerpts."""

from __future__ import annotations

import math
from typing import Any

import pytest

from modelgates_client._text import json_type as runtime_json_type
from scripts.common.document import RefError, json_type, resolve, resolve_chain, resolve_or_empty
from scripts.common.names import pascal_case, snake_case
from scripts.common.text import excerpt, tail


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("getGeneration", "get_generation"),
        ("HTTPReferer", "http_referer"),
        ("X-ModelGates-Metadata", "x_model_gates_metadata"),
        ("Chat Completions", "chat_completions"),
        ("api_keys", "api_keys"),
        ("2fa", "2fa"),
        ("--", ""),
    ],
)
def test_snake_case(value: str, expected: str) -> None:
    assert snake_case(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("chat_completions", "ChatCompletions"),
        ("chatCompletions", "ChatCompletions"),
        ("chat completions", "ChatCompletions"),
        ("o_auth", "OAuth"),
        ("HTTPReferer", "HTTPReferer"),
        ("Request-Uri Too Long", "RequestUriTooLong"),
        ("v2_models", "V2Models"),
        ("--", ""),
    ],
)
def test_pascal_case(value: str, expected: str) -> None:
    assert pascal_case(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, "null"),
        (True, "boolean"),
        (False, "boolean"),
        (0, "integer"),
        (1, "integer"),
        (1.0, "integer"),
        (-3.0, "integer"),
        (1.5, "number"),
        (math.inf, "number"),
        ("1", "string"),
        ([], "array"),
        ({}, "object"),
    ],
)
def test_json_type_agrees_with_the_client_argument_checks(value: Any, expected: str) -> None:
    assert json_type(value) == expected
    assert runtime_json_type(value) == expected


SPEC = {"components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"type": "string"}, "C~/D": {}}}}


def test_resolve_follows_a_chain_and_names_the_last_reference() -> None:
    assert resolve(SPEC, {"$ref": "#/components/schemas/A"}) == {"type": "string"}
    assert resolve_chain(SPEC, {"$ref": "#/components/schemas/A"}) == ({"type": "string"}, "#/components/schemas/B")
    assert resolve_chain(SPEC, {"type": "integer"}) == ({"type": "integer"}, None)
    assert resolve(SPEC, {"$ref": "#/components/schemas/C~0~1D"}) == {}  # JSON pointer escapes


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        (
            "#/components/schemas/Missing",
            "$ref '#/components/schemas/Missing' does not resolve: #/components/schemas has no 'Missing'",
        ),
        (
            "#/components/responses/X",
            "$ref '#/components/responses/X' does not resolve: #/components has no 'responses'",
        ),
        ("other.yaml#/X", "$ref 'other.yaml#/X': only local references (#/...) are supported"),
    ],
)
def test_a_reference_that_does_not_resolve_is_an_error_naming_it(ref: str, message: str) -> None:
    with pytest.raises(RefError) as caught:
        resolve(SPEC, {"$ref": ref})
    assert str(caught.value) == message
    assert resolve_or_empty(SPEC, {"$ref": ref}) == {}


def test_a_reference_loop_is_an_error_naming_it() -> None:
    loop = {
        "components": {"schemas": {"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}}}
    }
    with pytest.raises(RefError, match="loop"):
        resolve(loop, {"$ref": "#/components/schemas/A"})


def test_excerpt_and_tail() -> None:
    assert excerpt("x" * 100) == repr("x" * 80)
    assert excerpt("short") == "'short'"
    assert tail("a" * 3000 + "the error") == ("a" * 3000 + "the error")[-2000:]
