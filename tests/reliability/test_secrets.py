"""Secrets: the API key appears in no log record (debug logger, package logger), no exception (message, str, repr,
formatted traceback, chained causes), not in repr(client) nor vars(client), and is never pickled, whatever the call
ends in."""

from __future__ import annotations

import asyncio
import logging
import pickle
import traceback
from collections.abc import Iterator
from contextlib import nullcontext
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from modelgates_client import ModelGates, errors

from ._support import (
    API_KEY,
    COMPLETION,
    FAST_RETRIES,
    MESSAGES,
    NO_RETRIES,
    SSE_BYTES,
    RawServer,
    chunk,
    chunk_frame,
    chunked_head,
    closed_port,
    event,
    within,
)
from .test_faults import reset_mid_stream, stall_before_headers

STATUSES = [400, 401, 402, 403, 404, 408, 413, 418, 422, 429, 500, 502, 503, 524, 529]


class Capture(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def capture() -> Iterator[tuple[logging.Logger, Capture]]:
    logger = logging.getLogger("tests.reliability.secrets")
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    handler = Capture()
    logger.addHandler(handler)
    try:
        yield logger, handler
    finally:
        logger.removeHandler(handler)


def _texts_of_exception(exc: BaseException) -> list[str]:
    out: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        out += [str(current), repr(current), str(getattr(current, "message", ""))]
        current = current.__cause__ or current.__context__
    out.append("".join(traceback.format_exception(exc)))
    return out


def _texts_of_records(handler: Capture) -> list[str]:
    out: list[str] = []
    for record in handler.records:
        out += [handler.format(record), record.getMessage(), str(record.msg), repr(record.args)]
        if record.exc_info:
            out.append("".join(traceback.format_exception(*record.exc_info)))
    return out


def _run(client: ModelGates, mode: str, stream: bool) -> tuple[Any, BaseException | None]:
    kwargs: dict[str, Any] = {"messages": MESSAGES, "model": "m"}
    if stream:
        kwargs["stream"] = True
    try:
        if mode == "sync":
            result = client.chat.send(**kwargs)
            if stream:
                with result:
                    result = list(result)
            return result, None

        async def run() -> Any:
            result = await client.chat.send_async(**kwargs)
            if stream:
                async with result:
                    result = [c async for c in result]
            return result

        return asyncio.run(run()), None
    except errors.ModelGatesError as exc:
        return None, exc


def _scenario(name: str, httpserver: HTTPServer) -> tuple[str, bool, dict[str, Any], Any]:
    """(url, stream, client options, raw server or None) for scenario `name`."""
    if name.startswith("status "):
        status = int(name.split()[1])
        body = {"error": {"code": status, "message": f"failure {status}"}}
        httpserver.expect_request("/api/v1/chat/completions").respond_with_json(body, status=status)
        return httpserver.url_for("/api/v1"), False, {}, None
    if name == "success":
        httpserver.expect_request("/api/v1/chat/completions").respond_with_json(COMPLETION)
        return httpserver.url_for("/api/v1"), False, {}, None
    if name == "success, stream":
        httpserver.expect_request("/api/v1/chat/completions").respond_with_data(
            SSE_BYTES, content_type="text/event-stream"
        )
        return httpserver.url_for("/api/v1"), True, {}, None
    if name == "success after a retried 503":
        httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(
            {"error": {"code": 503, "message": "x"}}, status=503
        )
        httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(COMPLETION)
        return httpserver.url_for("/api/v1"), False, {"retry_config": FAST_RETRIES}, None
    if name == "api key from a callable, 401":
        httpserver.expect_request("/api/v1/chat/completions").respond_with_json(
            {"error": {"code": 401, "message": "no"}}, status=401
        )
        return httpserver.url_for("/api/v1"), False, {"api_key": lambda: API_KEY}, None
    if name == "connection refused":
        return f"http://127.0.0.1:{closed_port()}/api/v1", False, {}, None
    if name == "connection refused, retried":
        return f"http://127.0.0.1:{closed_port()}/api/v1", False, {"retry_config": FAST_RETRIES}, None
    if name == "timeout":
        return "", False, {"timeout_ms": 300}, RawServer(stall_before_headers)
    if name == "reset mid-stream":
        return "", True, {}, RawServer(reset_mid_stream)
    if name == "error event mid-stream":

        def error_event(peer: Any) -> None:
            peer.read_request()
            bad = {**chunk(""), "error": {"code": 500, "message": "boom"}}
            peer.send(chunked_head() + chunk_frame(event(chunk("a")) + event(bad)))

        return "", True, {}, RawServer(error_event)
    raise AssertionError(name)


SCENARIOS = [
    "success",
    "success, stream",
    "success after a retried 503",
    *[f"status {s}" for s in STATUSES],
    "api key from a callable, 401",
    "connection refused",
    pytest.param("connection refused, retried", marks=pytest.mark.slow),  # retries for the whole 1.5 s budget
    "timeout",
    "reset mid-stream",
    "error event mid-stream",
]


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("name", SCENARIOS)
def test_api_key_never_leaks(
    name: str, mode: str, httpserver: HTTPServer, capture: tuple[logging.Logger, Capture], case: Any
) -> None:
    logger, handler = capture
    url, stream, options, raw = _scenario(name, httpserver)
    options.setdefault("api_key", API_KEY)
    options.setdefault("retry_config", NO_RETRIES)
    with raw if raw is not None else nullcontext():
        client = ModelGates(server_url=raw.url if raw is not None else url, debug_logger=logger, **options)
        with client:
            result, exc = within(10, lambda: _run(client, mode, stream))
            texts = [repr(client), str(client)]
    if name.startswith("status "):
        status = int(name.split()[1])
        assert isinstance(exc, errors.APIStatusError) and exc.status_code == status, exc
        expected = errors.STATUS_ERRORS.get(status, errors.ModelGatesDefaultError)
        assert type(exc) is expected, type(exc)
    elif name.startswith("success"):
        assert exc is None, exc
    else:
        assert isinstance(exc, errors.ModelGatesError), exc
    if exc is not None:
        texts += _texts_of_exception(exc)
    texts += _texts_of_records(handler)
    assert handler.records, "the debug logger received nothing"
    requests = [r for r in handler.records if r.getMessage().startswith("request ")]
    assert requests and all("<redacted>" in r.getMessage() for r in requests), "request records show no redaction"
    leaks = [t for t in texts if API_KEY in t or "SECRET" in t]
    assert not leaks, f"the API key leaked: {leaks[0][:300]}"
    case.note(
        f"{type(exc).__name__ if exc else 'success'}; {len(handler.records)} log records, {len(texts)} texts checked"
    )


# ------------------------------------------------------------------------------------------------ the client object


def _client_with_key(**kwargs: Any) -> ModelGates:
    return ModelGates(api_key=API_KEY, server_url="http://127.0.0.1:9/api/v1", **kwargs)


@pytest.mark.parametrize("key", ["string", "callable"])
def test_api_key_is_not_in_vars_of_the_client(key: str, case: Any) -> None:
    client = ModelGates(api_key=API_KEY if key == "string" else lambda: API_KEY, server_url="http://127.0.0.1:9")
    client.chat  # noqa: B018  (a resource group in the instance dict too)
    texts = [repr(vars(client)), str(vars(client)), repr(client), str(client)]
    texts += [repr(v) for v in vars(client).values()]
    assert not [t for t in texts if API_KEY in t or "SECRET" in t]
    case.note(f"{len(texts)} texts checked")


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_client_cannot_be_pickled_and_says_why_without_the_key(protocol: int, case: Any) -> None:
    client = _client_with_key()
    with pytest.raises(TypeError) as info:
        pickle.dumps(client, protocol=protocol)
    assert "cannot be pickled" in str(info.value)
    assert not [t for t in _texts_of_exception(info.value) if API_KEY in t]
    with pytest.raises(TypeError, match="API key cannot be pickled"):
        pickle.dumps(vars(client)["_api_key"], protocol=protocol)
    case.note("TypeError; the key holder refuses pickling too")


def test_retries_logged_at_info_do_not_show_the_key(httpserver: HTTPServer, case: Any) -> None:
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(
        {"error": {"code": 503, "message": "x"}}, status=503
    )
    httpserver.expect_ordered_request("/api/v1/chat/completions").respond_with_json(COMPLETION)
    handler = Capture()
    package = logging.getLogger("modelgates_client")
    previous = package.level
    package.setLevel(logging.DEBUG)
    package.addHandler(handler)
    try:
        with ModelGates(api_key=API_KEY, server_url=httpserver.url_for("/api/v1"), retry_config=FAST_RETRIES) as c:
            c.chat.send(messages=MESSAGES, http_headers={"X-Extra": "1"})
    finally:
        package.removeHandler(handler)
        package.setLevel(previous)
    assert [r.levelno for r in handler.records] == [logging.INFO]
    assert not [t for t in _texts_of_records(handler) if API_KEY in t or "SECRET" in t]
    case.note(f"{len(handler.records)} INFO record(s) checked")


def test_api_key_callable_returning_a_non_string_is_refused(httpserver: HTTPServer) -> None:
    with ModelGates(api_key=lambda: 42, server_url=httpserver.url_for("/api/v1")) as client:  # type: ignore[arg-type,return-value]
        with pytest.raises(TypeError, match="api_key"):
            client.chat.send(messages=MESSAGES)
    assert httpserver.log == []
