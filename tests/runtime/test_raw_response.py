"""`client.<group>.with_raw_response.<method>(...)`: the HTTP response (status, headers, timing, retries) with the
typed result on demand, over real HTTP on loopback (pytest-httpserver), sync and async."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from datetime import timedelta
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

from modelgates_client import APIResponse, AsyncStream, ModelGates, Stream, errors
from modelgates_client.models import ChatResult, ChatStreamChunk, GenerationResponse

from ..conftest import FAST_RETRIES, MESSAGES, NO_RETRIES, chunk, completion, sse


def client(server: HTTPServer, **kwargs: Any) -> ModelGates:
    kwargs.setdefault("retry_config", NO_RETRIES)
    return ModelGates(api_key="sk-test", server_url=server.url_for("/api/v1"), **kwargs)


def raw_call(mode: str, mg: ModelGates, group: str, method: str, **kwargs: Any) -> APIResponse[Any]:
    raw = getattr(mg, group).with_raw_response
    if mode == "sync":
        return getattr(raw, method)(**kwargs)  # type: ignore[no-any-return]

    async def run() -> APIResponse[Any]:
        return await getattr(raw, method + "_async")(**kwargs)  # type: ignore[no-any-return]

    return asyncio.run(run())


def test_raw_response_has_status_headers_timing_and_the_parsed_result(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(
        completion("Paris"), headers={"X-Request-Id": "req-42"}
    )
    with client(httpserver) as mg:
        raw = raw_call(mode, mg, "chat", "send", messages=MESSAGES)
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200 and raw.headers["x-request-id"] == "req-42"
    assert isinstance(raw.http_response, httpx.Response) and raw.http_response.status_code == 200
    assert isinstance(raw.elapsed, timedelta) and raw.elapsed > timedelta(0)
    assert raw.retries_taken == 0
    result = raw.parse()
    assert isinstance(result, ChatResult) and result.choices[0].message.content == "Paris"
    assert raw.parse() is result


def test_raw_response_of_an_operation_with_query_parameters(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/generation", query_string="id=gen-1").respond_with_json(
        {"data": {"id": "gen-1", "model": "m"}}
    )
    with client(httpserver) as mg:
        raw = raw_call(mode, mg, "generations", "get_generation", id="gen-1", http_referer="https://app.example")
    assert isinstance(raw.parse(), GenerationResponse) and raw.parse().data.id == "gen-1"
    assert httpserver.log[0][0].headers["HTTP-Referer"] == "https://app.example"


def test_raw_response_counts_the_retries_taken(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 503, "message": "busy"}}, status=503
    )
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(completion())
    with client(httpserver, retry_config=FAST_RETRIES) as mg:
        raw = raw_call(mode, mg, "chat", "send", messages=MESSAGES)
    assert raw.retries_taken == 1 and raw.parse().id == "gen-123"


def test_raw_stream_gives_headers_before_reading_and_the_stream_from_parse(httpserver: HTTPServer) -> None:
    body = sse(chunk("Hel"), chunk("lo"), chunk(usage=True))
    httpserver.expect_request("/api/v1/chat/completions").respond_with_data(
        body, content_type="text/event-stream", headers={"X-Request-Id": "req-7"}
    )
    with client(httpserver) as mg:
        raw = mg.chat.with_raw_response.send(messages=MESSAGES, stream=True)
        assert raw.headers["x-request-id"] == "req-7"
        assert not raw.http_response.is_stream_consumed  # nothing of the body was read yet
        with raw.parse() as stream:
            assert isinstance(stream, Stream)
            chunks = list(stream)
    assert all(isinstance(c, ChatStreamChunk) for c in chunks)
    assert [c.choices[0].delta.content for c in chunks if c.choices] == ["Hel", "lo"]
    assert raw.http_response.is_closed


def test_raw_async_stream_parses_to_an_async_stream(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_data(
        sse(chunk("a"), chunk("b")), content_type="text/event-stream"
    )

    async def run() -> list[Any]:
        async with client(httpserver) as mg:
            raw = await mg.chat.with_raw_response.send_async(messages=MESSAGES, stream=True)
            assert raw.headers["content-type"].startswith("text/event-stream")
            stream = raw.parse()
            assert isinstance(stream, AsyncStream)
            async with stream:
                return [c.choices[0].delta.content async for c in stream]

    assert asyncio.run(run()) == ["a", "b"]


def test_raw_stream_left_unread_can_be_closed(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_data(
        sse(chunk("a")), content_type="text/event-stream"
    )
    with client(httpserver) as mg:
        raw = mg.chat.with_raw_response.send(messages=MESSAGES, stream=True)
        raw.close()
    assert raw.http_response.is_closed


def test_raw_response_raises_the_typed_error_with_its_headers(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 429, "message": "slow down"}}, status=429, headers={"Retry-After": "7"}
    )
    with client(httpserver) as mg, pytest.raises(errors.TooManyRequestsResponseError) as info:
        raw_call(mode, mg, "chat", "send", messages=MESSAGES)
    assert info.value.headers["retry-after"] == "7" and info.value.attempts == 1


def test_raw_response_of_an_error_object_inside_a_200_raises(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 502, "message": "Provider returned error"}}
    )
    with client(httpserver) as mg, pytest.raises(errors.BadGatewayResponseError):
        raw_call(mode, mg, "chat", "send", messages=MESSAGES)


def test_raw_response_repr_names_status_method_and_url(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/generation").respond_with_json({"data": {"id": "g"}})
    with client(httpserver) as mg:
        raw = mg.generations.with_raw_response.get_generation(id="g")
    assert repr(raw) == f"<APIResponse [200] GET {httpserver.url_for('/api/v1/generation')}>"


def test_raw_view_of_a_group_imports_no_other_group() -> None:
    code = (
        "import sys\n"
        "from modelgates_client import ModelGates\n"
        "mg = ModelGates(api_key='k')\n"
        "mg.chat.with_raw_response.send\n"
        "print(sorted(m for m in sys.modules if '_generated.api.' in m))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['modelgates_client._generated.api.chat', 'modelgates_client._generated.api.chat.send']"
