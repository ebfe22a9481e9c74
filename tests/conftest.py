"""Shared helpers: build response bodies, and run a client call in sync or async mode."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from modelgates_client import BackoffStrategy, ModelGates, RetryConfig

FAST_RETRIES = RetryConfig("backoff", BackoffStrategy(1, 5, 1.5, 3000), True)
NO_RETRIES = RetryConfig("none")


def completion(content: str = "Hello there!", **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "gen-123",
        "object": "chat.completion",
        "created": 1700000000,
        "model": "openai/gpt-4",
        "choices": [
            {
                "index": 0,
                "finish_reason": "stop",
                "native_finish_reason": "stop",
                "message": {"role": "assistant", "content": content},
                "logprobs": None,
            }
        ],
        "usage": {"prompt_tokens": 10, "completion_tokens": 4, "total_tokens": 14},
    }
    body.update(extra)
    return body


def chunk(content: str | None = None, *, usage: bool = False, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": "gen-123",
        "object": "chat.completion.chunk",
        "created": 1700000000,
        "model": "openai/gpt-4",
        "choices": []
        if usage
        else [{"index": 0, "delta": {"role": "assistant", "content": content}, "finish_reason": None}],
    }
    if usage:
        body["usage"] = {"prompt_tokens": 10, "completion_tokens": 4, "total_tokens": 14}
    body.update(extra)
    return body


def sse(*events: dict[str, Any] | str, done: bool = True, newline: str = "\n") -> str:
    """An SSE body: dicts become `data:` events, strings starting with ':' are comment lines."""
    out = []
    for event in events:
        if isinstance(event, str):
            out.append(event + newline + newline)
        else:
            out.append("data: " + json.dumps(event) + newline + newline)
    if done:
        out.append("data: [DONE]" + newline + newline)
    return "".join(out)


MESSAGES = [{"role": "user", "content": "Hi"}]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--reliability-matrix",
        action="store_true",
        help="print the reliability matrix (tests/reliability) even when every case passed (`make reliability`)",
    )


def call(mode: str, make: Callable[[], ModelGates], path: str, **kwargs: Any) -> Any:
    """Call `path` (e.g. "chat.send") on a fresh client, sync or async; streams are read into a list."""
    group, method = path.split(".")
    if mode == "sync":
        with make() as mg:
            result = getattr(getattr(mg, group), method)(**kwargs)
            if hasattr(result, "__iter__") and hasattr(result, "response"):
                with result:
                    return list(result)
            return result

    async def run() -> Any:
        async with make() as mg:
            result = await getattr(getattr(mg, group), method + "_async")(**kwargs)
            if hasattr(result, "__aiter__"):
                async with result:
                    return [item async for item in result]
            return result

    return asyncio.run(run())


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


# ---------------------------------------------------------------- packages generated from small hand-made specs

ROOT = Path(__file__).resolve().parent.parent

# Run with a generated package first on sys.path: calls <group>.<method>(**kwargs) against a server URL without
# retries and prints, as JSON, the result's class and data, or the error's class, status and data.
_CALL_GENERATED = """
import json, sys
from modelgates_client import ModelGates, RetryConfig
from modelgates_client.errors import APIStatusError
url, group, method, kwargs = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
with ModelGates(api_key="k", server_url=url, retry_config=RetryConfig("none")) as mg:
    try:
        result = getattr(getattr(mg, group), method)(**kwargs)
        value = result.to_dict() if hasattr(result, "to_dict") else result
        print(json.dumps({"result": type(result).__name__, "value": value}))
    except APIStatusError as exc:
        data = exc.data.to_dict() if hasattr(exc.data, "to_dict") else exc.data
        print(json.dumps({"error": type(exc).__name__, "status": exc.status_code, "data": type(exc.data).__name__,
                          "value": data}))
"""


def write_spec(directory: Path, spec: dict[str, Any], name: str = "spec.yaml") -> Path:
    """A hand-made spec written as YAML into `directory`."""
    path = directory / name
    path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    return path


#: The generator's command line (run from ROOT, where the `scripts` package is).
GENERATE = (sys.executable, "-m", "scripts.generate")


def run_generate(spec: Path, out: Path) -> subprocess.CompletedProcess[str]:
    """python -m scripts.generate --spec SPEC --out OUT, in a subprocess."""
    return subprocess.run(
        [*GENERATE, "--spec", str(spec), "--out", str(out)],
        capture_output=True,
        cwd=ROOT,
        text=True,
        timeout=600,
    )


def generate_package(directory: Path, spec: dict[str, Any]) -> Path:
    """Generate `spec` into `directory/out` (python -m scripts.generate --out); the folder to put on PYTHONPATH."""
    out = directory / "out"
    result = run_generate(write_spec(directory, spec), out)
    assert result.returncode == 0, result.stderr
    return out


def call_generated(package: Path, url: str, callable_: str, **kwargs: Any) -> dict[str, Any]:
    """Call `group.method` of a generated package in a subprocess; what it got, as _CALL_GENERATED prints it."""
    group, method = callable_.split(".")
    result = subprocess.run(
        [sys.executable, "-c", _CALL_GENERATED, url, group, method, json.dumps(kwargs)],
        capture_output=True,
        text=True,
        cwd=package,
        env={**os.environ, "PYTHONPATH": str(package)},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))
