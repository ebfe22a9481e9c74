"""How the generated client builds requests for its three operations, checked on the wire (pytest-httpserver on
loopback), sync and async."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request

from modelgates_client import ModelGates, RetryConfig
from modelgates_client.models import ChatRequestReasoning, ChatResult, ChatUserMessage, GenerationResponse

CHAT_RESULT = {"id": "gen-1", "choices": [], "created": 1700000000, "model": "m", "object": "chat.completion"}
CHUNK = {"id": "gen-1", "choices": [], "created": 1700000000, "model": "m", "object": "chat.completion.chunk"}
GENERATION = {"data": {"id": "gen-1", "model": "m"}}
HI = {"role": "user", "content": "Hi"}


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def invoke(mode: str, server: HTTPServer, callable_name: str, **kwargs: Any) -> Any:
    """Call `group.method` (or its `_async` twin) on a fresh client; an event stream is read to its end."""
    group, method = callable_name.split(".")

    def make() -> ModelGates:
        return ModelGates(api_key="k", server_url=server.url_for(""), retry_config=RetryConfig("none"))

    if mode == "sync":
        with make() as client:
            result = getattr(getattr(client, group), method)(**kwargs)
            if hasattr(result, "response"):
                with result:
                    return list(result)
            return result

    async def run() -> Any:
        async with make() as client:
            result = await getattr(getattr(client, group), method + "_async")(**kwargs)
            if hasattr(result, "__aiter__"):
                async with result:
                    return [item async for item in result]
            return result

    return asyncio.run(run())


def only_request(server: HTTPServer) -> Request:
    assert len(server.log) == 1, [r.url for r, _ in server.log]
    return server.log[0][0]


def sent_json(request: Request) -> Any:
    assert request.headers["Content-Type"] == "application/json"
    return json.loads(request.get_data())


def expect_chat(server: HTTPServer) -> None:
    server.expect_request("/chat/completions", method="POST").respond_with_json(CHAT_RESULT)


# ---------------------------------------------------------------- chat.send


def test_send_posts_exactly_the_fields_passed(httpserver: HTTPServer, mode: str) -> None:
    expect_chat(httpserver)
    result = invoke(mode, httpserver, "chat.send", messages=[HI], model="openai/gpt-4o", temperature=0.5, max_tokens=9)
    assert isinstance(result, ChatResult)
    request = only_request(httpserver)
    assert (request.method, request.path, request.query_string) == ("POST", "/chat/completions", b"")
    assert sent_json(request) == {"messages": [HI], "model": "openai/gpt-4o", "temperature": 0.5, "max_tokens": 9}
    assert request.headers["Authorization"] == "Bearer k"
    assert request.headers["Accept"] == "application/json"
    assert "X-ModelGates-Metadata" not in request.headers


def test_send_sends_none_as_null(httpserver: HTTPServer, mode: str) -> None:
    expect_chat(httpserver)
    invoke(mode, httpserver, "chat.send", messages=[HI], temperature=None)
    assert sent_json(only_request(httpserver)) == {"messages": [HI], "temperature": None}


def test_send_accepts_model_objects_and_dicts_alike(httpserver: HTTPServer, mode: str) -> None:
    expect_chat(httpserver)
    invoke(
        mode,
        httpserver,
        "chat.send",
        messages=[ChatUserMessage(content="Hi", role="user")],
        reasoning=ChatRequestReasoning(effort="low"),
    )
    invoke(mode, httpserver, "chat.send", messages=[HI], reasoning={"effort": "low"})
    (from_models, _), (from_dicts, _) = httpserver.log
    assert sent_json(from_models) == sent_json(from_dicts) == {"messages": [HI], "reasoning": {"effort": "low"}}


def test_send_metadata_argument_is_the_metadata_header(httpserver: HTTPServer, mode: str) -> None:
    expect_chat(httpserver)
    invoke(mode, httpserver, "chat.send", messages=[HI], x_open_router_experimental_metadata="enabled")
    request = only_request(httpserver)
    assert request.headers["X-ModelGates-Metadata"] == "enabled"
    assert sent_json(request) == {"messages": [HI]}


def test_send_stream_true_asks_for_an_event_stream(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/chat/completions", method="POST").respond_with_data(
        f"data: {json.dumps(CHUNK)}\n\ndata: [DONE]\n\n", content_type="text/event-stream"
    )
    chunks = invoke(mode, httpserver, "chat.send", messages=[HI], stream=True)
    assert [c.object for c in chunks] == ["chat.completion.chunk"]
    request = only_request(httpserver)
    assert request.headers["Accept"] == "text/event-stream"
    assert sent_json(request) == {"messages": [HI], "stream": True}


# ---------------------------------------------------------------- generations


def test_get_generation_sends_id_as_query(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/generation", method="GET").respond_with_json(GENERATION)
    result = invoke(mode, httpserver, "generations.get_generation", id="gen-1")
    assert isinstance(result, GenerationResponse)
    request = only_request(httpserver)
    assert (request.method, request.path, request.query_string) == ("GET", "/generation", b"id=gen-1")
    assert request.get_data() == b""
    assert request.headers["Accept"] == "application/json"
    assert "Content-Type" not in request.headers


def test_list_generation_content_sends_id_as_query(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/generation/content", method="GET").respond_with_json({"data": {}})
    invoke(mode, httpserver, "generations.list_generation_content", id="gen-2")
    request = only_request(httpserver)
    assert (request.method, request.path, request.query_string) == ("GET", "/generation/content", b"id=gen-2")
    assert request.get_data() == b""


def test_query_value_is_url_encoded(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/generation", method="GET").respond_with_json(GENERATION)
    invoke(mode, httpserver, "generations.get_generation", id="gen 1/&=é")
    assert only_request(httpserver).args.to_dict(flat=False) == {"id": ["gen 1/&=é"]}
