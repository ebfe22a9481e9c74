"""The client's documented behaviour, over real HTTP on loopback (pytest-httpserver), sync and async."""

from __future__ import annotations

import json
import logging
import threading
import time
from functools import partial
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from modelgates_client import ModelGates, Stream, errors
from modelgates_client.models import ChatResult, ChatStreamChunk, ChatUserMessage
from modelgates_client.utils import BackoffStrategy, RetryConfig

from ..conftest import FAST_RETRIES, MESSAGES, NO_RETRIES, call, chunk, completion, sse

STATUS_CLASSES = {
    400: errors.BadRequestResponseError,
    401: errors.UnauthorizedResponseError,
    402: errors.PaymentRequiredResponseError,
    403: errors.ForbiddenResponseError,
    404: errors.NotFoundResponseError,
    408: errors.RequestTimeoutResponseError,
    413: errors.PayloadTooLargeResponseError,
    422: errors.UnprocessableEntityResponseError,
    429: errors.TooManyRequestsResponseError,
    500: errors.InternalServerResponseError,
    502: errors.BadGatewayResponseError,
    503: errors.ServiceUnavailableResponseError,
    524: errors.EdgeNetworkTimeoutResponseError,
    529: errors.ProviderOverloadedResponseError,
    418: errors.ModelGatesDefaultError,
}


def client(server: HTTPServer, **kwargs: Any) -> ModelGates:
    kwargs.setdefault("api_key", "sk-test")
    kwargs.setdefault("retry_config", NO_RETRIES)
    return ModelGates(server_url=server.url_for("/api/v1"), **kwargs)


def maker(server: HTTPServer, **kwargs: Any) -> Any:
    return partial(client, server, **kwargs)


# ---------------------------------------------------------------- results and headers


def test_send_returns_typed_result(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/chat/completions", method="POST").respond_with_json(completion("Paris"))
    res = call(mode, maker(httpserver), "chat.send", messages=MESSAGES, model="openai/gpt-4", max_tokens=150)
    assert isinstance(res, ChatResult)
    assert res.choices[0].message.content == "Paris"
    assert res.usage.total_tokens == 14


def test_default_headers_are_sent(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion())
    make = maker(
        httpserver,
        http_referer="https://myapp.example",
        x_open_router_title="My App",
        x_open_router_categories="cli-agent",
    )
    call(mode, make, "chat.send", messages=MESSAGES)
    headers = httpserver.log[0][0].headers
    assert headers["Authorization"] == "Bearer sk-test"
    assert headers["HTTP-Referer"] == "https://myapp.example"
    assert headers["X-ModelGates-Title"] == "My App"
    assert headers["X-ModelGates-Categories"] == "cli-agent"
    assert headers["User-Agent"].startswith("modelgates-client/")
    assert " python/" in headers["User-Agent"] and " httpx/" in headers["User-Agent"]


def test_optional_headers_are_left_out_when_not_given(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion())
    call("sync", maker(httpserver), "chat.send", messages=MESSAGES)
    headers = httpserver.log[0][0].headers
    assert "HTTP-Referer" not in headers and "X-ModelGates-Title" not in headers


def test_api_key_callable_is_called_per_request(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion())
    keys = iter(["key-1", "key-2"])
    with client(httpserver, api_key=lambda: next(keys)) as mg:
        mg.chat.send(messages=MESSAGES)
        mg.chat.send(messages=MESSAGES)
    assert [r.headers["Authorization"] for r, _ in httpserver.log] == ["Bearer key-1", "Bearer key-2"]


def test_api_key_and_base_url_default_from_environment(httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch) -> None:
    httpserver.expect_request("/env/chat/completions").respond_with_json(completion())
    monkeypatch.setenv("MODELGATES_API_KEY", "sk-from-env")
    monkeypatch.setenv("MODELGATES_BASE_URL", httpserver.url_for("/env"))
    with ModelGates() as mg:
        mg.chat.send(messages=MESSAGES)
    assert httpserver.log[0][0].headers["Authorization"] == "Bearer sk-from-env"


def test_default_server_url_is_the_documented_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MODELGATES_BASE_URL", raising=False)
    assert ModelGates(api_key="k").server_url == "https://modelgates.ai/api/v1"


def test_metadata_argument_is_sent_as_header(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion())
    call(mode, maker(httpserver), "chat.send", messages=MESSAGES, x_open_router_experimental_metadata="enabled")
    request = httpserver.log[0][0]
    assert request.headers["X-ModelGates-Metadata"] == "enabled"
    assert "x_open_router_experimental_metadata" not in request.get_json()


def test_only_passed_arguments_are_sent(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion())
    call(mode, maker(httpserver), "chat.send", messages=MESSAGES, temperature=None, model="m")
    assert httpserver.log[0][0].get_json() == {"messages": MESSAGES, "temperature": None, "model": "m"}


def test_model_objects_and_dicts_serialize_alike(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion())
    with client(httpserver) as mg:
        mg.chat.send(messages=[ChatUserMessage(content="Hi", role="user")])
        mg.chat.send(messages=[{"role": "user", "content": "Hi"}])
    first, second = (r.get_json() for r, _ in httpserver.log)
    assert first == second == {"messages": [{"content": "Hi", "role": "user"}]}


# ---------------------------------------------------------------- forward compatibility


def test_unknown_fields_are_kept(httpserver: HTTPServer) -> None:
    body = completion(brand_new={"x": 1})
    body["choices"][0]["message"]["annotations_v9"] = [1, 2]
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(body)
    res = call("sync", maker(httpserver), "chat.send", messages=MESSAGES)
    assert res.additional_properties == {"brand_new": {"x": 1}}
    assert res["brand_new"] == {"x": 1}
    assert res.choices[0].message["annotations_v9"] == [1, 2]
    assert res.to_dict()["brand_new"] == {"x": 1}


def test_unknown_enum_value_is_kept_as_string(httpserver: HTTPServer) -> None:
    body = completion()
    body["choices"][0]["finish_reason"] = "cosmic_ray"
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(body)
    res = call("sync", maker(httpserver), "chat.send", messages=MESSAGES)
    assert res.choices[0].finish_reason == "cosmic_ray"


def test_missing_required_field_leaves_the_rest_parsed(httpserver: HTTPServer) -> None:
    body = completion("still here")
    del body["created"], body["model"]
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(body)
    res = call("sync", maker(httpserver), "chat.send", messages=MESSAGES)
    assert res.choices[0].message.content == "still here"
    assert res.id == "gen-123"


def test_unknown_enum_value_from_caller_is_passed_through(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion())
    call("sync", maker(httpserver), "chat.send", messages=MESSAGES, service_tier="turbo-plus")
    assert httpserver.log[0][0].get_json()["service_tier"] == "turbo-plus"


# ---------------------------------------------------------------- streaming


def test_stream_yields_typed_chunks_and_skips_comments(httpserver: HTTPServer, mode: str) -> None:
    body = sse(": MODELGATES PROCESSING", chunk("Hel"), ": MODELGATES PROCESSING", chunk("lo"), chunk(usage=True))
    httpserver.expect_request("/api/v1/chat/completions").respond_with_data(body, content_type="text/event-stream")
    chunks = call(mode, maker(httpserver), "chat.send", messages=MESSAGES, stream=True)
    assert all(isinstance(c, ChatStreamChunk) for c in chunks)
    assert [c.choices[0].delta.content for c in chunks if c.choices] == ["Hel", "lo"]
    assert chunks[-1].usage.total_tokens == 14
    assert httpserver.log[0][0].headers["Accept"] == "text/event-stream"
    assert httpserver.log[0][0].get_json()["stream"] is True


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_stream_accepts_every_line_ending(httpserver: HTTPServer, newline: str) -> None:
    body = sse(chunk("a"), chunk("b"), newline=newline)
    httpserver.expect_request("/api/v1/chat/completions").respond_with_data(body, content_type="text/event-stream")
    chunks = call("sync", maker(httpserver), "chat.send", messages=MESSAGES, stream=True)
    assert [c.choices[0].delta.content for c in chunks] == ["a", "b"]


def test_stream_ends_at_done_marker(httpserver: HTTPServer) -> None:
    body = sse(chunk("a")) + "data: " + json.dumps(chunk("after done")) + "\n\n"
    httpserver.expect_request("/api/v1/chat/completions").respond_with_data(body, content_type="text/event-stream")
    chunks = call("sync", maker(httpserver), "chat.send", messages=MESSAGES, stream=True)
    assert [c.choices[0].delta.content for c in chunks] == ["a"]


def test_stream_error_event_raises_after_earlier_chunks(httpserver: HTTPServer, mode: str) -> None:
    failing = chunk(None, error={"code": 502, "message": "Provider disconnected"})
    body = sse(chunk("a"), chunk("b"), failing, done=False)
    httpserver.expect_request("/api/v1/chat/completions").respond_with_data(body, content_type="text/event-stream")
    seen: list[Any] = []

    if mode == "sync":
        with client(httpserver) as mg, pytest.raises(errors.BadGatewayResponseError) as info:
            with mg.chat.send(messages=MESSAGES, stream=True) as stream:
                for c in stream:
                    seen.append(c.choices[0].delta.content)
    else:
        import asyncio

        async def run() -> None:
            async with client(httpserver) as mg:
                async with await mg.chat.send_async(messages=MESSAGES, stream=True) as stream:
                    async for c in stream:
                        seen.append(c.choices[0].delta.content)

        with pytest.raises(errors.BadGatewayResponseError) as info:
            asyncio.run(run())
    assert seen == ["a", "b"]
    assert info.value.status_code == 502 and "Provider disconnected" in info.value.message
    assert len(httpserver.log) == 1  # a stream is never retried once it delivered events


def test_stream_without_done_marker_raises(httpserver: HTTPServer) -> None:
    body = sse(chunk("a"), done=False)
    httpserver.expect_request("/api/v1/chat/completions").respond_with_data(body, content_type="text/event-stream")
    with pytest.raises(errors.StreamInterruptedError):
        call("sync", maker(httpserver), "chat.send", messages=MESSAGES, stream=True)


def test_json_error_object_answering_a_stream_request_raises_its_class(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 429, "message": "Rate limited upstream"}}
    )
    with pytest.raises(errors.TooManyRequestsResponseError) as info:
        call(mode, maker(httpserver), "chat.send", messages=MESSAGES, stream=True)
    assert "Rate limited upstream" in str(info.value) and "[DONE]" not in str(info.value)


def test_json_error_status_answering_a_stream_request_raises_its_class(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 402, "message": "Insufficient credits"}}, status=402
    )
    with pytest.raises(errors.PaymentRequiredResponseError, match="Insufficient credits"):
        call(mode, maker(httpserver), "chat.send", messages=MESSAGES, stream=True)


def test_json_error_object_answering_a_stream_request_is_retried(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 502, "message": "Provider returned error"}}
    )
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_data(
        sse(chunk("ok")), content_type="text/event-stream"
    )
    chunks = call(mode, maker(httpserver, retry_config=FAST_RETRIES), "chat.send", messages=MESSAGES, stream=True)
    assert [c.choices[0].delta.content for c in chunks] == ["ok"]


def test_json_result_answering_a_stream_request_raises_invalid_response(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion("not streamed"))
    with pytest.raises(errors.InvalidResponseError) as info:
        call(mode, maker(httpserver), "chat.send", messages=MESSAGES, stream=True)
    message = str(info.value)
    assert "asked for an event stream" in message and "200 with application/json" in message
    assert info.value.status_code == 200 and "not streamed" in info.value.body


def test_leaving_a_stream_early_returns_the_connection(httpserver: HTTPServer) -> None:
    body = sse(*(chunk(str(i)) for i in range(50)))
    httpserver.expect_request("/api/v1/chat/completions").respond_with_data(body, content_type="text/event-stream")
    with client(httpserver, timeout_ms=2000) as mg:
        for _ in range(30):  # more than the pool's keep-alive size: a leak would exhaust or stall it
            stream = mg.chat.send(messages=MESSAGES, stream=True)
            for _c in stream:
                break
            assert stream.response.is_closed
        res = mg.chat.send(messages=MESSAGES, stream=True)
        assert isinstance(res, Stream)
        assert len(list(res)) == 50


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize("status", sorted(STATUS_CLASSES))
def test_error_status_raises_its_class(httpserver: HTTPServer, status: int) -> None:
    body = {"error": {"code": status, "message": f"failure {status}"}}
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(body, status=status)
    with pytest.raises(STATUS_CLASSES[status]) as info:
        call("sync", maker(httpserver), "chat.send", messages=MESSAGES)
    err = info.value
    assert isinstance(err, errors.APIStatusError) and isinstance(err, errors.ModelGatesError)
    assert err.status_code == status
    assert f"failure {status}" in err.message
    assert json.loads(err.body) == body
    assert err.raw_response.status_code == status
    assert err.headers["content-type"] == "application/json"
    data = err.data.to_dict() if hasattr(err.data, "to_dict") else err.data  # the default class keeps the dict
    assert data["error"]["message"] == f"failure {status}"


def test_error_status_raises_its_class_async(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/generation").respond_with_json(
        {"error": {"code": 404, "message": "no"}}, status=404
    )
    with pytest.raises(errors.NotFoundResponseError):
        call("async", maker(httpserver), "generations.get_generation", id="gen-x")


def test_html_error_page_gives_status_class_with_excerpt(httpserver: HTTPServer, mode: str) -> None:
    page = "<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1> nginx</body></html>"
    httpserver.expect_request("/api/v1/chat/completions").respond_with_data(page, status=502, content_type="text/html")
    with pytest.raises(errors.BadGatewayResponseError) as info:
        call(mode, maker(httpserver), "chat.send", messages=MESSAGES)
    assert "502" in info.value.message and "Bad Gateway" in info.value.message and "nginx" in info.value.message
    assert info.value.data is None and info.value.body == page


def test_error_object_in_200_raises_typed_error(httpserver: HTTPServer, mode: str) -> None:
    body = {"error": {"code": 502, "message": "Provider returned error", "metadata": {"provider_name": "X"}}}
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(body)
    with pytest.raises(errors.BadGatewayResponseError) as info:
        call(mode, maker(httpserver), "chat.send", messages=MESSAGES)
    assert "Provider returned error" in info.value.message
    assert info.value.raw_response.status_code == 200


def test_unparseable_200_raises_invalid_response(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_data('{"id": "gen-1", "choi', status=200)
    with pytest.raises(errors.InvalidResponseError) as info:
        call(mode, maker(httpserver), "chat.send", messages=MESSAGES)
    assert info.value.status_code == 200


def test_connection_refused_raises_no_response_error(mode: str) -> None:
    make = partial(ModelGates, api_key="k", server_url="http://127.0.0.1:9/api/v1", retry_config=NO_RETRIES)
    with pytest.raises(errors.NoResponseError) as info:
        call(mode, make, "chat.send", messages=MESSAGES)
    assert isinstance(info.value.__cause__, httpx.ConnectError)


def test_timeout_bounds_each_attempt(httpserver: HTTPServer, mode: str) -> None:
    answered = threading.Event()

    def slow(request: Request) -> Response:
        time.sleep(1.0)
        answered.set()
        return Response(json.dumps(completion()), content_type="application/json")

    httpserver.expect_request("/api/v1/chat/completions").respond_with_handler(slow)
    started = time.monotonic()
    with pytest.raises(errors.NoResponseError) as info:
        call(mode, maker(httpserver, timeout_ms=200), "chat.send", messages=MESSAGES)
    assert time.monotonic() - started < 0.9
    assert isinstance(info.value.__cause__, httpx.TimeoutException)
    # The late answer lands in this test's log, not in the next test's.
    assert answered.wait(5)
    time.sleep(0.05)


def test_per_call_timeout_overrides_the_clients(httpserver: HTTPServer) -> None:
    def slow(request: Request) -> Response:
        time.sleep(0.5)
        return Response(json.dumps(completion()), content_type="application/json")

    httpserver.expect_request("/api/v1/chat/completions").respond_with_handler(slow)
    with client(httpserver, timeout_ms=100) as mg:
        assert mg.chat.send(messages=MESSAGES, timeout_ms=3000).id == "gen-123"


# ---------------------------------------------------------------- retries


def test_retryable_status_is_retried_then_succeeds(httpserver: HTTPServer, mode: str) -> None:
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 503, "message": "busy"}}, status=503
    )
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 429, "message": "slow down"}}, status=429
    )
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(completion("third time"))
    res = call(mode, maker(httpserver, retry_config=FAST_RETRIES), "chat.send", messages=MESSAGES)
    assert res.choices[0].message.content == "third time"
    assert len(httpserver.log) == 3


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 413, 422])
def test_client_errors_are_never_retried(httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": status, "message": "x"}}, status=status
    )
    with pytest.raises(STATUS_CLASSES[status]):
        call("sync", maker(httpserver, retry_config=FAST_RETRIES), "chat.send", messages=MESSAGES)
    assert len(httpserver.log) == 1


def test_retry_after_ms_header_is_honoured(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 429, "message": "wait"}}, status=429, headers={"retry-after-ms": "300"}
    )
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(completion())
    started = time.monotonic()
    call("sync", maker(httpserver, retry_config=FAST_RETRIES), "chat.send", messages=MESSAGES)
    assert time.monotonic() - started >= 0.3


@pytest.mark.slow  # Retry-After: 1
def test_retry_after_seconds_header_is_honoured(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 503, "message": "wait"}}, status=503, headers={"Retry-After": "1"}
    )
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(completion())
    started = time.monotonic()
    call("sync", maker(httpserver, retry_config=FAST_RETRIES), "chat.send", messages=MESSAGES)
    assert time.monotonic() - started >= 1.0


def test_retries_stop_at_max_elapsed_time(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 503, "message": "down"}}, status=503
    )
    policy = RetryConfig("backoff", BackoffStrategy(50, 50, 1.0, 400), True)
    started = time.monotonic()
    with pytest.raises(errors.ServiceUnavailableResponseError):
        call("sync", maker(httpserver, retry_config=policy), "chat.send", messages=MESSAGES)
    assert time.monotonic() - started < 2.0
    assert 3 <= len(httpserver.log) <= 12


def test_strategy_none_turns_retries_off(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 503, "message": "x"}}, status=503
    )
    with pytest.raises(errors.ServiceUnavailableResponseError):
        call("sync", maker(httpserver, retry_config=RetryConfig("none")), "chat.send", messages=MESSAGES)
    assert len(httpserver.log) == 1


def test_per_call_retries_override_the_clients(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 500, "message": "x"}}, status=500
    )
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(completion())
    res = call("sync", maker(httpserver, retry_config=NO_RETRIES), "chat.send", messages=MESSAGES, retries=FAST_RETRIES)
    assert res.id == "gen-123" and len(httpserver.log) == 2


def test_connection_errors_are_retried(mode: str) -> None:
    policy = RetryConfig("backoff", BackoffStrategy(20, 20, 1.0, 300), True)
    make = partial(ModelGates, api_key="k", server_url="http://127.0.0.1:9/api/v1", retry_config=policy)
    started = time.monotonic()
    with pytest.raises(errors.NoResponseError):
        call(mode, make, "chat.send", messages=MESSAGES)
    assert time.monotonic() - started >= 0.2  # it kept trying until the budget ran out


# ---------------------------------------------------------------- bad input, lifecycle, secrets


@pytest.mark.parametrize(
    ("kwargs", "exc", "names"),
    [
        ({"messages": "hi"}, TypeError, "messages"),
        ({"messages": MESSAGES, "temperature": "hot"}, TypeError, "temperature"),
        ({"messages": MESSAGES, "bogus": 1}, TypeError, "bogus"),
        ({"messages": [{"role": "user"}]}, ValueError, "messages"),
        ({}, TypeError, "messages"),
    ],
)
def test_bad_arguments_raise_before_sending(
    httpserver: HTTPServer, kwargs: dict[str, Any], exc: type, names: str
) -> None:
    with pytest.raises(exc, match=names), client(httpserver) as mg:
        mg.chat.send(**kwargs)
    assert httpserver.log == []


def test_context_manager_closes_owned_client_but_not_a_supplied_one(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion())
    supplied = httpx.Client()
    with client(httpserver, client=supplied) as mg:
        mg.chat.send(messages=MESSAGES)
    assert not supplied.is_closed
    supplied.close()
    with client(httpserver) as mg:
        mg.chat.send(messages=MESSAGES)
        owned = mg._transport.open_sync_client()
    assert owned is not None and owned.is_closed


def test_api_key_is_not_in_repr_errors_or_logs(httpserver: HTTPServer, caplog: pytest.LogCaptureFixture) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 401, "message": "bad key"}}, status=401
    )
    logger = logging.getLogger("test.modelgates")
    logger.setLevel(logging.DEBUG)
    with caplog.at_level(logging.DEBUG, logger="test.modelgates"):
        mg = client(httpserver, api_key="sk-SECRET-42", debug_logger=logger)
        with pytest.raises(errors.UnauthorizedResponseError) as info:
            mg.chat.send(messages=MESSAGES)
        mg.close()
    assert caplog.records, "the debug logger received nothing"
    assert "<redacted>" in caplog.text
    for text in (repr(mg), str(mg), caplog.text, str(info.value), repr(info.value)):
        assert "sk-SECRET-42" not in text


def test_constructor_rejects_wrong_types() -> None:
    with pytest.raises(TypeError, match="api_key"):
        ModelGates(api_key=123)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="timeout_ms"):
        ModelGates(api_key="k", timeout_ms=-1)
    with pytest.raises(ValueError, match="server_url"):
        ModelGates(api_key="k", server_url="ftp://x")
    with pytest.raises(TypeError, match="retry_config"):
        ModelGates(api_key="k", retry_config={"strategy": "none"})  # type: ignore[arg-type]


# ---------------------------------------------------------------- the product docs' examples


def test_docs_chat_example_runs_with_stream(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/chat/completions").respond_with_data(
        sse(chunk("Paris"), chunk(usage=True)), content_type="text/event-stream"
    )
    printed = []
    with ModelGates(
        http_referer="<value>",
        x_open_router_title="<value>",
        x_open_router_categories="<value>",
        api_key="sk-test",
        server_url=httpserver.url_for("/api/v1"),
    ) as open_router:
        res = open_router.chat.send(
            messages=[
                {"content": "You are a helpful assistant.", "role": "system"},
                {"content": "What is the capital of France?", "role": "user"},
            ],
            x_open_router_experimental_metadata="enabled",
            max_tokens=150,
            model="openai/gpt-4",
            stream=True,
            temperature=0.7,
        )
        with res as event_stream:
            for event in event_stream:
                printed.append(event)
    assert len(printed) == 2 and printed[0].choices[0].delta.content == "Paris"


def test_docs_generation_examples_run(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api/v1/generation", query_string="id=gen-1234567890").respond_with_json(
        {"data": {"id": "gen-1234567890", "model": "openai/gpt-4", "total_cost": 0.0015}}
    )
    httpserver.expect_request("/api/v1/generation/content", query_string="id=gen-1234567890").respond_with_json(
        {"data": {"input": {"messages": []}, "output": {"completion": "Paris", "reasoning": None}, "error": None}}
    )
    with ModelGates(api_key="sk-test", server_url=httpserver.url_for("/api/v1")) as open_router:
        res = open_router.generations.get_generation(id="gen-1234567890")
        content = open_router.generations.list_generation_content(id="gen-1234567890")
    assert res.data.total_cost == 0.0015
    assert content.data.output.completion == "Paris"


APP_HEADERS = {"http_referer": "<value>", "x_open_router_title": "<value>", "x_open_router_categories": "<value>"}


def test_docs_examples_run_with_the_app_headers_per_call(httpserver: HTTPServer) -> None:
    """The product docs list the app headers among every method's parameters: passed there, each call sends them."""
    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion("Paris"))
    httpserver.expect_request("/api/v1/generation", query_string="id=gen-1234567890").respond_with_json(
        {"data": {"id": "gen-1234567890", "model": "openai/gpt-4", "total_cost": 0.0015}}
    )
    httpserver.expect_request("/api/v1/generation/content", query_string="id=gen-1234567890").respond_with_json(
        {"data": {"input": {"messages": []}, "output": {"completion": "Paris", "reasoning": None}, "error": None}}
    )
    with ModelGates(api_key="sk-test", server_url=httpserver.url_for("/api/v1")) as open_router:
        res = open_router.chat.send(
            messages=[
                {"content": "You are a helpful assistant.", "role": "system"},
                {"content": "What is the capital of France?", "role": "user"},
            ],
            x_open_router_experimental_metadata="enabled",
            max_tokens=150,
            model="openai/gpt-4",
            stream=False,
            temperature=0.7,
            **APP_HEADERS,
        )
        generation = open_router.generations.get_generation(id="gen-1234567890", **APP_HEADERS)
        content = open_router.generations.list_generation_content(id="gen-1234567890", **APP_HEADERS)
    assert (res.choices[0].message.content, generation.data.id, content.data.output.completion) == (
        "Paris",
        "gen-1234567890",
        "Paris",
    )
    for request, _ in httpserver.log:
        assert request.headers["HTTP-Referer"] == "<value>"
        assert request.headers["X-ModelGates-Title"] == "<value>"
        assert request.headers["X-ModelGates-Categories"] == "<value>"


def test_one_client_serves_two_event_loops(httpserver: HTTPServer) -> None:
    import asyncio

    httpserver.expect_request("/api/v1/chat/completions").respond_with_json(completion())
    mg = client(httpserver)

    async def one() -> str:
        return (await mg.chat.send_async(messages=MESSAGES)).id

    assert asyncio.run(one()) == asyncio.run(one()) == "gen-123"
    assert len(httpserver.log) == 2
