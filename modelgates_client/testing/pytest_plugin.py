"""pytest fixtures for code that uses the ModelGates SDK: a local server and a client connected to it.

Enable it with `pytest_plugins = ["modelgates_client.testing.pytest_plugin"]` in your root conftest.py (or through
the package's `pytest11` entry point, when installed), then:

    def test_hello(modelgates_client, modelgates_server):
        res = modelgates_client.chat.send(messages=[{"role": "user", "content": "Hi"}])
        assert res.choices[0].message.content == "You said: Hi"
        assert modelgates_server.requests[-1].json["messages"][0]["content"] == "Hi"
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .._client import ModelGates
from ._server import ModelGatesServer

__all__ = ["modelgates_client", "modelgates_server"]


@pytest.fixture
def modelgates_server() -> Iterator[ModelGatesServer]:
    """A ModelGatesServer on a free port, started for the test and stopped after it."""
    with ModelGatesServer() as server:
        yield server


@pytest.fixture
def modelgates_client(modelgates_server: ModelGatesServer) -> Iterator[ModelGates]:
    """A ModelGates client of `modelgates_server` (API key "test-key", no retries: an injected failure reaches the
    code under test at once), closed after the test. For a client with retries, use
    `modelgates_server.client(retry_config=RetryConfig(...))`.

    Only its sync connections are closed here: a test that uses the `_async` methods should `await
    modelgates_client.aclose()` (or build its own client with `async with modelgates_server.client() as mg`).
    """
    client = modelgates_server.client()
    try:
        yield client
    finally:
        client.close()
