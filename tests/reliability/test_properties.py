"""Property tests: the models round-trip JSON generated from the spec's own schemas.

For each of the three operations' response schemas and the request schema, instances are drawn with
hypothesis-jsonschema from a JSON Schema built out of openapi/modelgates.yaml (every `$ref` pointed into one
`definitions` map), and `Model.from_dict(instance).to_dict()` must give the instance back exactly (compared as
canonical JSON text, so that `true` vs `1` or `1` vs `1.0` would count as a difference).

Bounds: 50 examples per schema; objects get at most a few extra (unlisted) keys, of scalar values, so that the
instances stay small (unlisted keys still exercise `additional_properties`). The spec has no recursive schema;
hypothesis-jsonschema cannot expand one, and `_definitions` refuses a cycle with a clear message.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis_jsonschema import from_schema

from modelgates_client import ModelGates, models
from modelgates_client._generated.api.chat.send import OPERATION as SEND

from ._support import COMPLETION_BYTES, SSE_BYTES

pytestmark = pytest.mark.slow  # hypothesis: hundreds of generated instances

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "modelgates.yaml"
MAX_EXAMPLES = 50
#: OpenAPI keywords that are not JSON Schema validation (or that hypothesis-jsonschema must not see).
_DROP = {"discriminator", "example", "examples", "deprecated", "xml", "externalDocs", "readOnly", "writeOnly"}
#: Extra keys of objects whose schema says nothing about them: small scalar values only.
_EXTRA = {"type": ["string", "integer", "boolean", "null"], "maxLength": 8}

ROOTS = ["ChatResult", "ChatStreamChunk", "GenerationResponse", "GenerationContentResponse", "ChatRequest"]


def _convert(node: Any) -> Any:
    if isinstance(node, list):
        return [_convert(x) for x in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key in _DROP or key.startswith("x-"):
            continue
        if key == "$ref":
            out[key] = "#/definitions/" + value.rsplit("/", 1)[-1]
        elif key == "format":
            continue  # only numeric formats (double, int32) in this spec: no constraint for a generator
        elif key == "properties":
            out[key] = {name: _convert(sub) for name, sub in value.items()}
        else:
            out[key] = _convert(value)
    if (out.get("type") == "object" or "properties" in out) and "additionalProperties" not in out:
        out["additionalProperties"] = _EXTRA
    return out


def _refs(node: Any, found: set[str]) -> set[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                found.add(value.rsplit("/", 1)[-1])
            else:
                _refs(value, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, found)
    return found


def _definitions() -> dict[str, Any]:
    spec = yaml.safe_load(SPEC.read_text())
    schemas = spec["components"]["schemas"]
    graph = {name: _refs(schema, set()) for name, schema in schemas.items()}
    for root in graph:
        stack, seen = list(graph[root]), set()
        while stack:
            name = stack.pop()
            assert name != root, f"schema {root} is recursive: bound its depth before generating from it"
            if name not in seen:
                seen.add(name)
                stack.extend(graph[name])
    return {name: _convert(schema) for name, schema in schemas.items()}


_DEFS: dict[str, Any] | None = None


def schema_for(name: str, *, closed: bool = False) -> dict[str, Any]:
    """The JSON Schema of component `name`; closed=True forbids unlisted keys at its top level."""
    global _DEFS
    if _DEFS is None:
        _DEFS = _definitions()
    if not closed:
        return {"$ref": f"#/definitions/{name}", "definitions": _DEFS}
    root = {**_DEFS[name], "additionalProperties": False}
    return {"$ref": "#/definitions/__root", "definitions": {**_DEFS, "__root": root}}


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, allow_nan=False)


# ------------------------------------------------------------------------ hypothesis-jsonschema compatibility


@contextmanager
def _hypothesis_jsonschema_compat() -> Iterator[None]:
    """Two patches of hypothesis-jsonschema 0.23.1, active only while these tests run.

    1. It drives Hypothesis's private `cu.many` with `.more()`, which newer Hypothesis releases replaced with a
       context manager + iterator; without the shim every object schema fails with
       AttributeError: 'many' object has no attribute 'more'. The shim gives the old interface on the new one.
    2. It re-canonicalises the same sub-schemas on every draw; memoising its schema->strategy step (strategies
       are immutable) makes these tests several times faster.
    """
    import hypothesis.internal.conjecture.utils as cu
    import hypothesis_jsonschema._from_schema as hjs

    saved_cu = hjs.cu
    saved_from_schema = getattr(hjs, "__from_schema")

    if not hasattr(cu.many, "more"):

        class _Many:
            def __init__(self, data: Any, **kwargs: Any) -> None:
                self._many = cu.many(data, **kwargs)
                self._many.__enter__()
                self._iter = iter(self._many)

            def more(self) -> bool:
                try:
                    next(self._iter)
                    return True
                except StopIteration:
                    self._many.__exit__(None, None, None)
                    return False

            def reject(self, why: str | None = None) -> None:
                self._many.reject(why)

        shim = types.SimpleNamespace(**{k: getattr(cu, k) for k in dir(cu) if not k.startswith("__")})
        shim.many = _Many
        hjs.cu = shim

    memo: dict[tuple[str, int, int], Any] = {}

    def cached(schema: Any, *, alphabet: Any, custom_formats: Any) -> Any:
        try:
            key = (json.dumps(schema, sort_keys=True), id(alphabet), id(custom_formats))
        except TypeError:
            return saved_from_schema(schema, alphabet=alphabet, custom_formats=custom_formats)
        strategy = memo.get(key)
        if strategy is None:
            strategy = memo[key] = saved_from_schema(schema, alphabet=alphabet, custom_formats=custom_formats)
        return strategy

    setattr(hjs, "__from_schema", cached)
    try:
        yield
    finally:
        hjs.cu = saved_cu
        setattr(hjs, "__from_schema", saved_from_schema)


BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


# ------------------------------------------------------------------------------------------------ properties


@pytest.mark.parametrize("name", ROOTS)
def test_model_round_trips_spec_instances(name: str, case: Any) -> None:
    case.rename(f"{name}.from_dict(x).to_dict() == x")
    model = getattr(models, name)
    seen = {"n": 0, "extra": 0}

    @BOUNDED
    @given(from_schema(schema_for(name)))
    def round_trip(instance: dict[str, Any]) -> None:
        seen["n"] += 1
        parsed = model.from_dict(instance)
        seen["extra"] += bool(parsed.additional_properties)
        back = parsed.to_dict()
        assert canonical(back) == canonical(instance), f"{name} changed in a round trip:\n{instance}\n{back}"

    with _hypothesis_jsonschema_compat():
        round_trip()
    case.note(f"{seen['n']} instances round-tripped ({seen['extra']} with unlisted keys at the top)")


def test_any_valid_request_is_accepted_and_sent_verbatim(case: Any) -> None:
    """Every ChatRequest the spec allows passes the client's argument checks and goes out as given."""
    wire_to_python = {wire: python for python, wire in SEND.body_fields}
    sent: list[bytes] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(request.content)
        if b'"stream":true' in request.content:
            return httpx.Response(200, content=SSE_BYTES, headers={"Content-Type": "text/event-stream"})
        return httpx.Response(200, content=COMPLETION_BYTES, headers={"Content-Type": "application/json"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    client = ModelGates(api_key="k", server_url="http://modelgates.test/api/v1", client=http)
    count = {"n": 0}

    @BOUNDED
    @given(from_schema(schema_for("ChatRequest", closed=True)))
    def accepted(instance: dict[str, Any]) -> None:
        kwargs = {wire_to_python[k]: v for k, v in instance.items()}
        sent.clear()
        result = client.chat.send(**kwargs)
        if instance.get("stream") is True:
            with result:
                list(result)
        assert len(sent) == 1
        assert canonical(json.loads(sent[0])) == canonical(instance)
        count["n"] += 1

    try:
        with _hypothesis_jsonschema_compat():
            accepted()
    finally:
        http.close()
    case.note(f"{count['n']} generated requests accepted and sent verbatim")
