"""Tests of modelgates_client.testing: the local ModelGates server, driven through the SDK's own client."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from modelgates_client import BackoffStrategy, ModelGates, RetryConfig, Unset, errors
from modelgates_client.testing import PROCESSING_COMMENT, ModelGatesServer, sample_json, validate_chat_request

NO_RETRIES = RetryConfig("none")
FAST_RETRIES = RetryConfig("backoff", BackoffStrategy(1, 5, 1.5, 3000), True)
HI = [{"role": "user", "content": "Hello there, world"}]
WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Current weather in a city",
        "parameters": {
            "type": "object",
            "properties": {
                "location": {"type": "string"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
            },
            "required": ["location"],
        },
    },
}
TIME_TOOL = {"type": "function", "function": {"name": "get_time", "parameters": {"type": "object", "properties": {}}}}


@pytest.fixture
def server() -> Any:
    with ModelGatesServer() as s:
        yield s


@pytest.fixture
def mg(server: ModelGatesServer) -> Any:
    with server.client(retry_config=NO_RETRIES) as client:
        yield client


def text_of(content: Any) -> str:
    assert isinstance(content, str), content
    return content


# ---------------------------------------------------------------------------------------------- lifecycle


def test_url_port_and_context_manager() -> None:
    server = ModelGatesServer()
    assert not server.running
    with pytest.raises(RuntimeError):
        _ = server.url
    with server:
        assert server.running
        assert server.url == f"http://127.0.0.1:{server.port}/api/v1"
        assert server.root_url == f"http://127.0.0.1:{server.port}"
        with pytest.raises(RuntimeError):
            server.start()
    assert not server.running
    server.stop()  # twice is fine


def test_stop_closes_keep_alive_connections(server: ModelGatesServer) -> None:
    mg = server.client(retry_config=NO_RETRIES)
    mg.chat.send(messages=HI)  # leaves a pooled keep-alive connection
    server.stop()
    with pytest.raises(errors.NoResponseError):
        mg.chat.send(messages=HI)
    mg.close()


def test_given_port(server: ModelGatesServer) -> None:
    # bind a second server to a port known to be free (the first server's port is taken, so pick another)
    with ModelGatesServer() as probe:
        port = probe.port
    with ModelGatesServer(port=port, base_path="/v2/") as other, other.client(retry_config=NO_RETRIES) as mg:
        assert other.url == f"http://127.0.0.1:{port}/v2"
        assert text_of(mg.chat.send(messages=HI).choices[0].message.content) == "You said: Hello there, world"


# ---------------------------------------------------------------------------------------------- chat answers


def test_json_answer(server: ModelGatesServer, mg: ModelGates) -> None:
    res = mg.chat.send(messages=HI, model="openai/gpt-4", temperature=0.2)
    assert res.id == "gen-1"
    assert res.object == "chat.completion"
    assert res.model == "openai/gpt-4"
    assert isinstance(res.created, int)
    choice = res.choices[0]
    assert choice.finish_reason == "stop"
    assert choice.message.role == "assistant"
    assert choice.message.content == "You said: Hello there, world"
    assert not isinstance(res.usage, Unset)
    assert (res.usage.prompt_tokens, res.usage.completion_tokens, res.usage.total_tokens) == (3, 5, 8)
    assert isinstance(res.usage.cost, float) and res.usage.cost > 0
    assert mg.chat.send(messages=HI).id == "gen-2"

    (first, second) = server.requests
    assert first.method == "POST" and first.path == "/api/v1/chat/completions"
    assert first.header("authorization") == "Bearer test-key"
    assert first.json == {"messages": HI, "model": "openai/gpt-4", "temperature": 0.2}
    assert second.json == {"messages": HI}


def test_default_model_and_models_list(mg: ModelGates) -> None:
    assert mg.chat.send(messages=HI).model == "modelgates/echo"
    assert mg.chat.send(messages=HI, models=["a/b", "c/d"]).model == "a/b"


def test_echo_uses_last_user_message_and_text_parts(mg: ModelGates) -> None:
    messages = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "first"},
        {"role": "assistant", "content": "ok"},
        {"role": "user", "content": [{"type": "text", "text": "second"}, {"type": "text", "text": "question"}]},
    ]
    res = mg.chat.send(messages=messages)
    assert res.choices[0].message.content == "You said: second question"


def test_max_tokens_cuts_the_answer(mg: ModelGates) -> None:
    res = mg.chat.send(messages=HI, max_tokens=2)
    assert res.choices[0].message.content == "You said:"
    assert res.choices[0].finish_reason == "length"


def test_async_json_answer(server: ModelGatesServer) -> None:
    async def run() -> str:
        async with server.client() as mg:
            res = await mg.chat.send_async(messages=HI)
            return text_of(res.choices[0].message.content)

    assert asyncio.run(run()) == "You said: Hello there, world"


# ---------------------------------------------------------------------------------------------- streaming


def test_stream_answer(server: ModelGatesServer, mg: ModelGates) -> None:
    with mg.chat.send(messages=HI, stream=True) as stream:
        chunks = list(stream)
    pieces = [c.choices[0].delta.content for c in chunks if c.choices]
    assert pieces[:5] == ["You", " said:", " Hello", " there,", " world"]
    assert "".join(p for p in pieces if isinstance(p, str)) == "You said: Hello there, world"
    assert chunks[0].choices[0].delta.role == "assistant"
    assert {c.id for c in chunks} == {"gen-1"}
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    finish = [c.choices[0].finish_reason for c in chunks if c.choices]
    assert finish == [None] * 5 + ["stop"]
    last = chunks[-1]
    assert last.choices == [] and not isinstance(last.usage, Unset)
    assert last.usage.completion_tokens == 5
    assert server.requests[0].header("accept") == "text/event-stream"


def test_stream_wire_format(server: ModelGatesServer) -> None:
    response = httpx.post(
        server.url + "/chat/completions",
        json={"messages": HI, "stream": True},
        headers={"Authorization": "Bearer k"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/event-stream"
    body = response.content
    assert body.startswith(PROCESSING_COMMENT)
    assert body.endswith(b"data: [DONE]\n\n")
    events = [block for block in body.split(b"\n\n") if block.startswith(b"data: {")]
    usage = json.loads(events[-1][6:])
    assert usage["choices"] == [] and usage["usage"]["total_tokens"] == 8


def test_async_stream(server: ModelGatesServer) -> None:
    async def run() -> str:
        async with server.client() as mg:
            stream = await mg.chat.send_async(messages=HI, stream=True)
            out = []
            async with stream:
                async for chunk in stream:
                    if chunk.choices and isinstance(chunk.choices[0].delta.content, str):
                        out.append(chunk.choices[0].delta.content)
            return "".join(out)

    assert asyncio.run(run()) == "You said: Hello there, world"


# ---------------------------------------------------------------------------------------------- tools


def test_tool_call_then_tool_result(mg: ModelGates) -> None:
    messages: list[dict[str, Any]] = [{"role": "user", "content": "What's the weather in New York today?"}]
    res = mg.chat.send(messages=messages, tools=[WEATHER_TOOL, TIME_TOOL])
    choice = res.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    assert not isinstance(choice.message.tool_calls, Unset)
    (call,) = choice.message.tool_calls
    assert call.type == "function" and call.function.name == "get_weather"
    assert json.loads(call.function.arguments) == {"location": "New York", "unit": "celsius"}
    assert call.id == "call_1_0"

    messages.append(choice.message.to_dict())
    messages.append({"role": "tool", "tool_call_id": call.id, "content": '{"temp_c": 21}'})
    final = mg.chat.send(messages=messages, tools=[WEATHER_TOOL, TIME_TOOL])
    assert final.choices[0].finish_reason == "stop"
    assert final.choices[0].message.content == 'get_weather returned: {"temp_c": 21}'


def test_tool_choice(mg: ModelGates) -> None:
    q = [{"role": "user", "content": "What time is it?"}]
    res = mg.chat.send(messages=q, tools=[WEATHER_TOOL, TIME_TOOL], tool_choice="none")
    assert res.choices[0].message.content == "You said: What time is it?"
    res = mg.chat.send(
        messages=q, tools=[WEATHER_TOOL, TIME_TOOL], tool_choice={"type": "function", "function": {"name": "get_time"}}
    )
    calls = res.choices[0].message.tool_calls
    assert not isinstance(calls, Unset)
    assert calls[0].function.name == "get_time" and calls[0].function.arguments == "{}"


def test_streamed_tool_call(mg: ModelGates) -> None:
    name, args, ids = "", "", []
    finish = None
    with mg.chat.send(
        messages=[{"role": "user", "content": "Weather in Paris?"}], tools=[WEATHER_TOOL], stream=True
    ) as s:
        for chunk in s:
            for choice in chunk.choices:
                finish = choice.finish_reason or finish
                if not isinstance(choice.delta.tool_calls, Unset):
                    for part in choice.delta.tool_calls:
                        if not isinstance(part.id, Unset):
                            ids.append(part.id)
                        if not isinstance(part.function, Unset):
                            if not isinstance(part.function.name, Unset):
                                name += part.function.name
                            if not isinstance(part.function.arguments, Unset):
                                args += part.function.arguments
    assert (name, json.loads(args), ids, finish) == (
        "get_weather",
        {"location": "Paris", "unit": "celsius"},
        ["call_1_0"],
        "tool_calls",
    )


# ---------------------------------------------------------------------------------------------- structured output


def test_structured_output_json_schema(mg: ModelGates) -> None:
    schema = {
        "type": "object",
        "properties": {
            "city": {"type": "string"},
            "population": {"type": "integer", "minimum": 1},
            "tags": {"type": "array", "items": {"type": "string"}},
            "coastal": {"type": "boolean"},
            "kind": {"$ref": "#/$defs/kind"},
        },
        "required": ["city", "population"],
        "additionalProperties": False,
        "$defs": {"kind": {"type": "string", "enum": ["capital", "town"]}},
    }
    res = mg.chat.send(
        messages=[{"role": "user", "content": "Tell me about Paris"}],
        response_format={"type": "json_schema", "json_schema": {"name": "city", "strict": True, "schema": schema}},
    )
    data = json.loads(text_of(res.choices[0].message.content))
    assert data == {"city": "sample city", "population": 1, "tags": ["sample tags"], "coastal": True, "kind": "capital"}


def test_structured_output_json_object(mg: ModelGates) -> None:
    res = mg.chat.send(messages=HI, response_format={"type": "json_object"})
    assert json.loads(text_of(res.choices[0].message.content)) == {"message": "You said: Hello there, world"}


def test_sample_json() -> None:
    assert sample_json({"type": ["null", "number"], "exclusiveMinimum": 0}) == 1.0
    assert sample_json({"anyOf": [{"type": "null"}, {"type": "string", "format": "date"}]}) == "2025-01-01"
    assert sample_json({"type": "array", "items": {"const": 3}, "minItems": 2}) == [3, 3]
    assert sample_json({"allOf": [{"properties": {"a": {"type": "integer"}}}, {"properties": {"b": {}}}]}) == {
        "a": 0,
        "b": "sample b",
    }


# ---------------------------------------------------------------------------------------------- generations


def test_generation_lookup_after_chat(server: ModelGatesServer, mg: ModelGates) -> None:
    res = mg.chat.send(messages=HI, model="openai/gpt-4", user="user-1", session_id="s-1")
    with mg.chat.send(messages=HI, stream=True) as stream:
        streamed_id = [c.id for c in stream][0]

    gen = mg.generations.get_generation(id=res.id).data
    assert gen.id == res.id and gen.model == "openai/gpt-4"
    assert (gen.tokens_prompt, gen.tokens_completion) == (3, 5)
    assert not isinstance(res.usage, Unset) and gen.total_cost == res.usage.cost
    assert gen.streamed is False and gen.finish_reason == "stop"
    assert gen.external_user == "user-1" and gen.session_id == "s-1"
    assert gen.created_at.endswith("Z") and gen.api_type == "completions"
    assert gen.user_agent is not None and gen.user_agent.startswith("modelgates-client/")
    assert mg.generations.get_generation(id=streamed_id).data.streamed is True

    content = mg.generations.list_generation_content(id=res.id).data
    assert content.input.to_dict() == {"messages": HI}
    assert content.output.completion == "You said: Hello there, world"
    assert content.output.reasoning is None and content.error is None
    assert server.requests[-1].query == {"id": res.id}


def test_unknown_generation_is_404(mg: ModelGates) -> None:
    with pytest.raises(errors.NotFoundResponseError) as info:
        mg.generations.get_generation(id="gen-404")
    assert info.value.status_code == 404
    with pytest.raises(errors.NotFoundResponseError):
        mg.generations.list_generation_content(id="gen-404")


def test_generation_of_a_failed_stream_has_its_error(server: ModelGatesServer, mg: ModelGates) -> None:
    server.inject(mid_stream_error={"code": 502, "message": "Provider returned error"}, after=2)
    with pytest.raises(errors.BadGatewayResponseError):
        with mg.chat.send(messages=HI, stream=True) as stream:
            list(stream)
    content = mg.generations.list_generation_content(id="gen-1").data
    assert content.output.completion == "You said:"
    assert content.error is not None and content.error.status == 502


# ---------------------------------------------------------------------------------------------- request checks


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"{not json", "Invalid JSON"),
        (b"[]", "Request body must be a JSON object"),
        (b"", "Request body must be a JSON object"),
        (b"{}", "messages: Required"),
        (b'{"messages": "hi"}', "messages: Expected array, received string"),
        (b'{"messages": []}', "at least 1"),
        (b'{"messages": [1]}', "messages[0]: Expected object, received number"),
        (b'{"messages": [{"content": "x"}]}', "messages[0].role: Required"),
        (b'{"messages": [{"role": 3, "content": "x"}]}', "messages[0].role: Expected string"),
        (b'{"messages": [{"role": "robot", "content": "x"}]}', "messages[0].role: Invalid"),
        (b'{"messages": [{"role": "user"}]}', "messages[0].content: Required"),
        (b'{"messages": [{"role": "tool", "content": "x"}]}', "messages[0].tool_call_id: Required"),
        (b'{"messages": [{"role": "user", "content": "x"}], "stream": "yes"}', "stream: Expected boolean"),
        (b'{"messages": [{"role": "user", "content": "x"}], "tools": [{"type": "function"}]}', "function.name"),
        (b'{"messages": [{"role": "user", "content": "x"}], "response_format": {}}', "response_format.type"),
    ],
)
def test_bad_body_is_400(server: ModelGatesServer, body: bytes, message: str) -> None:
    response = httpx.post(
        server.url + "/chat/completions",
        content=body,
        headers={"Authorization": "Bearer k", "Content-Type": "application/json"},
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == 400 and message in error["message"]


def test_bad_body_through_the_client(mg: ModelGates) -> None:
    with pytest.raises(errors.BadRequestResponseError) as info:
        mg.chat.send(messages=[])
    assert info.value.status_code == 400
    assert "at least 1" in info.value.message
    assert info.value.data is not None and info.value.data.error.code == 400


def test_valid_bodies_pass_validation() -> None:
    assert validate_chat_request({"messages": [{"role": "assistant", "content": None, "tool_calls": []}]}) is None
    assert validate_chat_request({"messages": HI, "stream_options": None, "max_tokens": None}) is None


def test_missing_key_is_401(server: ModelGatesServer) -> None:
    with server.client(api_key="", retry_config=NO_RETRIES) as mg:
        with pytest.raises(errors.UnauthorizedResponseError) as info:
            mg.chat.send(messages=HI)
        assert info.value.status_code == 401
        with pytest.raises(errors.UnauthorizedResponseError):
            mg.generations.get_generation(id="gen-1")
    assert "Authorization" not in server.requests[0].headers


def test_only_the_configured_key_is_accepted() -> None:
    with ModelGatesServer(api_key="sk-right") as server:
        with server.client(api_key="sk-wrong", retry_config=NO_RETRIES) as mg:
            with pytest.raises(errors.UnauthorizedResponseError):
                mg.chat.send(messages=HI)
        with server.client(api_key="sk-right") as mg:
            assert mg.chat.send(messages=HI).id == "gen-1"


def test_unknown_path_and_wrong_method(server: ModelGatesServer) -> None:
    auth = {"Authorization": "Bearer k"}
    response = httpx.get(server.url + "/no/such/path", headers=auth)
    assert response.status_code == 404 and response.json()["error"]["code"] == 404
    response = httpx.get(server.url + "/chat/completions", headers=auth)
    assert response.status_code == 405
    response = httpx.get(server.url + "/generation", headers=auth)
    assert response.status_code == 400 and "id" in response.json()["error"]["message"]


# ---------------------------------------------------------------------------------------------- injections


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, errors.BadRequestResponseError),
        (402, errors.PaymentRequiredResponseError),
        (429, errors.TooManyRequestsResponseError),
        (500, errors.InternalServerResponseError),
        (503, errors.ServiceUnavailableResponseError),
        (529, errors.ProviderOverloadedResponseError),
        (418, errors.ModelGatesDefaultError),
    ],
)
def test_injected_status(server: ModelGatesServer, mg: ModelGates, status: int, error_class: type) -> None:
    server.inject(status=status)
    with pytest.raises(error_class) as info:
        mg.chat.send(messages=HI)
    assert info.value.status_code == status
    assert mg.chat.send(messages=HI).id == "gen-1"  # used up: the next request succeeds


def test_injected_status_with_body_and_headers(server: ModelGatesServer, mg: ModelGates) -> None:
    body = {"error": {"code": 503, "message": "Down for maintenance", "metadata": {"eta": "soon"}}}
    server.inject(status=503, body=body, headers={"Retry-After": "7"})
    with pytest.raises(errors.ServiceUnavailableResponseError) as info:
        mg.chat.send(messages=HI)
    assert "Down for maintenance" in info.value.message
    assert info.value.headers["retry-after"] == "7"
    assert json.loads(info.value.body) == body


def test_injected_status_is_retried(server: ModelGatesServer) -> None:
    server.inject(status=503, times=2, headers={"Retry-After": "0"})
    with server.client(retry_config=FAST_RETRIES) as mg:
        assert mg.chat.send(messages=HI).id == "gen-1"
    assert len(server.requests) == 3


def test_injections_queue_and_path_filter(server: ModelGatesServer, mg: ModelGates) -> None:
    server.inject(status=404, path="/generation")
    server.inject(status=500)
    with pytest.raises(errors.InternalServerResponseError):
        mg.chat.send(messages=HI)  # the first injection is for /generation only
    res = mg.chat.send(messages=HI)
    with pytest.raises(errors.NotFoundResponseError):
        mg.generations.get_generation(id=res.id)
    assert mg.generations.get_generation(id=res.id).data.id == res.id


def test_injected_error_in_200(server: ModelGatesServer, mg: ModelGates) -> None:
    server.inject(error_in_200={"code": 502, "message": "Provider returned error"})
    with pytest.raises(errors.BadGatewayResponseError) as info:
        mg.chat.send(messages=HI)
    assert info.value.status_code == 502 and "Provider returned error" in info.value.message
    assert info.value.raw_response.status_code == 200


def test_injected_error_in_200_is_retried(server: ModelGatesServer) -> None:
    server.inject(error_in_200={"code": 502, "message": "Provider returned error"})
    with server.client(retry_config=FAST_RETRIES) as mg:
        assert mg.chat.send(messages=HI).choices[0].message.content == "You said: Hello there, world"
    assert len(server.requests) == 2


def test_injected_error_in_200_of_a_stream(server: ModelGatesServer, mg: ModelGates) -> None:
    server.inject(error_in_200={"code": 429, "message": "Rate limited upstream"})
    with pytest.raises(errors.TooManyRequestsResponseError):
        with mg.chat.send(messages=HI, stream=True) as stream:
            list(stream)


def test_injected_mid_stream_error(server: ModelGatesServer, mg: ModelGates) -> None:
    server.inject(mid_stream_error={"code": 502, "message": "Provider returned error"}, after=2)
    received = []
    with pytest.raises(errors.BadGatewayResponseError) as info:
        with mg.chat.send(messages=HI, stream=True) as stream:
            for chunk in stream:
                received.append(chunk.choices[0].delta.content)
    assert received == ["You", " said:"]
    assert "Provider returned error" in info.value.message


def test_injected_mid_stream_error_async(server: ModelGatesServer) -> None:
    server.inject(mid_stream_error={"code": 524, "message": "Timed out"}, after=1)

    async def run() -> list[Any]:
        received = []
        async with server.client(retry_config=NO_RETRIES) as mg:
            stream = await mg.chat.send_async(messages=HI, stream=True)
            async with stream:
                async for chunk in stream:
                    received.append(chunk.choices[0].delta.content)
        return received

    with pytest.raises(errors.EdgeNetworkTimeoutResponseError):
        asyncio.run(run())


def test_injected_mid_stream_error_on_a_plain_request(server: ModelGatesServer, mg: ModelGates) -> None:
    server.inject(mid_stream_error={"code": 502, "message": "Provider returned error"})
    with pytest.raises(errors.BadGatewayResponseError):
        mg.chat.send(messages=HI)


def test_injected_delay(server: ModelGatesServer, mg: ModelGates) -> None:
    server.inject(delay=0.3)
    started = time.monotonic()
    mg.chat.send(messages=HI)
    assert time.monotonic() - started >= 0.3
    server.inject(delay=1.0)
    with pytest.raises(errors.NoResponseError):
        mg.chat.send(messages=HI, timeout_ms=200)


def test_injected_disconnect(server: ModelGatesServer, mg: ModelGates) -> None:
    server.inject(disconnect=True)
    with pytest.raises(errors.NoResponseError) as info:
        mg.chat.send(messages=HI)
    assert not isinstance(info.value, errors.StreamInterruptedError)
    server.inject(disconnect=True, after=3)
    received = []
    with pytest.raises(errors.StreamInterruptedError):
        with mg.chat.send(messages=HI, stream=True) as stream:
            for chunk in stream:
                received.append(chunk)
    assert len(received) == 3


def test_injected_stall_between_chunks(server: ModelGatesServer, mg: ModelGates) -> None:
    server.inject(chunk_delay=0.5)
    with pytest.raises(errors.StreamInterruptedError):
        with mg.chat.send(messages=HI, stream=True, timeout_ms=150) as stream:
            list(stream)


def test_inject_argument_checks(server: ModelGatesServer) -> None:
    with pytest.raises(ValueError):
        server.inject(status=99)
    with pytest.raises(ValueError):
        server.inject(times=0)
    with pytest.raises(ValueError):
        server.inject(delay=-1)
    with pytest.raises(TypeError):
        server.inject(mid_stream_error="boom")  # type: ignore[arg-type]


def test_inject_header(server: ModelGatesServer) -> None:
    inject = json.dumps({"status": 429, "headers": {"Retry-After": "0"}})
    with httpx.Client(headers={"X-Test-Inject": inject}) as http:
        with server.client(client=http, retry_config=NO_RETRIES) as mg:
            with pytest.raises(errors.TooManyRequestsResponseError):
                mg.chat.send(messages=HI)
    response = httpx.post(
        server.url + "/chat/completions",
        json={"messages": HI},
        headers={"X-Test-Inject": "{bad", "Authorization": "Bearer k"},
    )
    assert response.status_code == 400 and "X-Test-Inject" in response.json()["error"]["message"]


def test_control_endpoints(server: ModelGatesServer, mg: ModelGates) -> None:
    response = httpx.post(server.root_url + "/_test/inject", json={"status": 500, "times": 2})
    assert response.json() == {"ok": True}
    assert httpx.post(server.root_url + "/_test/inject", json={"nope": 1}).status_code == 400
    for _ in range(2):
        with pytest.raises(errors.InternalServerResponseError):
            mg.chat.send(messages=HI)
    mg.chat.send(messages=HI)
    recorded = httpx.get(server.root_url + "/_test/requests").json()["requests"]
    assert [r["path"] for r in recorded] == ["/api/v1/chat/completions"] * 3
    assert recorded[0]["json"] == {"messages": HI}
    assert httpx.post(server.root_url + "/_test/reset").json() == {"ok": True}
    assert server.requests == [] and list(server.generations) == ["gen-1a2b3c4d5e"]  # the sample one stays


# ---------------------------------------------------------------------------------------------- plugin, CLI


def test_pytest_fixtures(modelgates_server: ModelGatesServer, modelgates_client: ModelGates) -> None:
    assert modelgates_client.server_url == modelgates_server.url
    res = modelgates_client.chat.send(messages=HI)
    assert res.choices[0].message.content == "You said: Hello there, world"
    assert modelgates_server.requests[0].json == {"messages": HI}


def test_fixture_client_lets_an_injected_failure_through(
    modelgates_server: ModelGatesServer, modelgates_client: ModelGates
) -> None:
    modelgates_server.inject(status=429, headers={"Retry-After": "7"})
    started = time.monotonic()
    with pytest.raises(errors.TooManyRequestsResponseError):
        modelgates_client.chat.send(messages=HI)
    assert time.monotonic() - started < 3.0  # the issue: it slept 7 s, retried, and succeeded
    assert len(modelgates_server.requests) == 1


def test_server_client_lets_an_injected_failure_through(server: ModelGatesServer) -> None:
    server.inject(status=503)
    with server.client() as mg, pytest.raises(errors.ServiceUnavailableResponseError):
        mg.chat.send(messages=HI)
    assert len(server.requests) == 1


def test_readme_offline_example_runs(capsys: pytest.CaptureFixture[str]) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Testing your app offline", 1)[1]
    code = section.split("```python\n", 1)[1].split("```", 1)[0]
    assert "server.inject(status=503)" in code
    exec(compile(code, "README.md", "exec"), {})
    assert capsys.readouterr().out == "the app saw 503\n"


def test_standalone_cli() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "modelgates_client.testing", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:") and url.endswith("/api/v1")
        with ModelGates(api_key="k", server_url=url, retry_config=NO_RETRIES) as mg:
            assert mg.chat.send(messages=HI).choices[0].message.content == "You said: Hello there, world"
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) == 0
