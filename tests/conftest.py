"""Shared helpers: build response bodies, and run a client call in sync or async mode."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import pytest

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
