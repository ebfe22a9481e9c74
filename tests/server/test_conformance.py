"""The local server conforms to our spec, checked by a tool made for it: schemathesis generates requests for every
operation of openapi/modelgates.yaml and checks the answers (not a server error, response schema, status code and
content type conformance). Bounded: a few positive examples per operation, derandomized, so CI stays fast."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from modelgates_client.testing import ModelGatesServer  # noqa: E402

SPEC = Path(__file__).resolve().parents[2] / "openapi" / "modelgates.yaml"
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]


def events_as_sse_text(spec: dict[str, Any]) -> dict[str, Any]:
    """Our spec, with its event streams written the way schemathesis reads SSE.

    Our spec (like the published one) describes an event stream by an envelope whose `data` is the parsed event;
    schemathesis validates the `data` line's text. So `data` becomes JSON text holding that schema (or the
    stream's terminator, `[DONE]` unless the stream names another)."""
    spec = copy.deepcopy(spec)
    schemas = spec["components"]["schemas"]
    for item in spec["paths"].values():
        for op in item.values():
            if not isinstance(op, dict):
                continue
            for response in (op.get("responses") or {}).values():
                for media_type, media in (response.get("content") or {}).items():
                    ref = (media.get("schema") or {}).get("$ref", "")
                    if "event-stream" not in media_type or not ref:
                        continue
                    envelope = schemas[ref.rsplit("/", 1)[-1]]
                    data = envelope["properties"]["data"]
                    sentinel = media.get("x-modelgates-sse-sentinel", "[DONE]")
                    envelope["properties"]["data"] = {
                        "anyOf": [
                            {"const": sentinel},
                            {"type": "string", "contentMediaType": "application/json", "contentSchema": data},
                        ]
                    }
    return spec


schema = schemathesis.openapi.from_dict(events_as_sse_text(yaml.safe_load(SPEC.read_text(encoding="utf-8"))))
schema.config.generation.update(modes=[GenerationMode.POSITIVE], max_examples=3)


# The module fixture is made once: every test of this module runs on one xdist worker.
pytestmark = pytest.mark.xdist_group("test_conformance")


@pytest.fixture(scope="module")
def server() -> Iterator[ModelGatesServer]:
    with ModelGatesServer() as s:
        yield s


@pytest.mark.slow
@schema.parametrize()
@settings(max_examples=3, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_local_server_conforms_to_the_spec(case: Any, server: ModelGatesServer) -> None:
    case.call_and_validate(base_url=server.url, headers={"Authorization": "Bearer sk-local"}, checks=CHECKS)
