"""Transport faults against a real loopback server: every misbehaviour ends in the right typed error (a
ModelGatesError subclass, never an httpx/json/attrs exception) or in a correct retry, within a hard bound.

Each case runs sync and async. The client has `timeout_ms=300` (the bound of each call, retries included) and,
unless the case says so, no retries.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from modelgates_client import ModelGates, errors
from modelgates_client.models import ChatResult, ChatStreamChunk

from ._support import (
    COMPLETION_BYTES,
    DONE,
    FAST_RETRIES,
    LAST_CHUNK,
    MESSAGES,
    NO_RETRIES,
    SSE_BYTES,
    Peer,
    RawServer,
    Script,
    chunk,
    chunk_frame,
    chunked_head,
    client_for,
    closed_port,
    event,
    http_response,
    within,
    within_async,
)

TIMEOUT_MS = 300
#: Hard bound on one call (the per-case `bound` is the tighter, asserted one).
HARD_DEADLINE = 8.0

HTML_502 = b"<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><p>upstream went away</p><hr>nginx</body></html>"
HTML_503 = b"<!DOCTYPE html><html><body><h1>Service Unavailable</h1><p>maintenance window, back soon</p></body></html>"


# ------------------------------------------------------------------------------------------------ scripts


def ok_json(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(200, COMPLETION_BYTES))


def ok_stream(peer: Peer) -> None:
    peer.read_request()
    peer.send(chunked_head() + chunk_frame(SSE_BYTES) + LAST_CHUNK)


def ok_either(peer: Peer) -> None:
    request = peer.read_request()
    if b'"stream":true' in request:
        peer.send(chunked_head() + chunk_frame(SSE_BYTES) + LAST_CHUNK)
    else:
        peer.send(http_response(200, COMPLETION_BYTES))


def reset_before_response(peer: Peer) -> None:
    peer.read_request()
    peer.reset()


def close_before_response(peer: Peer) -> None:
    peer.read_request()
    peer.sock.close()


def reset_mid_body(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(200, COMPLETION_BYTES[:10], length=1000))
    peer.pause(0.05)
    peer.reset()


def reset_mid_stream(peer: Peer) -> None:
    peer.read_request()
    peer.send(chunked_head() + chunk_frame(event(chunk("a"))) + chunk_frame(event(chunk("b"))))
    peer.pause(0.1)
    peer.reset()


def stall_before_headers(peer: Peer) -> None:
    peer.read_request()
    peer.stall()


def stall_in_body(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(200, COMPLETION_BYTES[:20], length=len(COMPLETION_BYTES)))
    peer.stall()


def stall_between_events(peer: Peer) -> None:
    peer.read_request()
    peer.send(chunked_head() + chunk_frame(event(chunk("a"))))
    peer.stall()


def truncated_json(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(200, COMPLETION_BYTES[: len(COMPLETION_BYTES) // 2]))


def invalid_json(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(200, b"{'id': 'gen-1', choices: [}"))


def empty_200(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(200, b""))


def html_200(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(200, b"<html><body><h1>Welcome to nginx!</h1></body></html>", content_type="text/html"))


def deeply_nested_json(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(200, b"[" * 100_000 + b"]" * 100_000))


def deeply_nested_error_body(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(500, b'{"error": ' * 50_000 + b"1" + b"}" * 50_000))


def deeply_nested_stream_event(peer: Peer) -> None:
    peer.read_request()
    nested = b"data: " + b"[" * 100_000 + b"]" * 100_000 + b"\n\n"
    peer.send(chunked_head() + chunk_frame(event(chunk("a")) + nested + DONE) + LAST_CHUNK)


def html_502(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(502, HTML_502, content_type="text/html"))


def html_503(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(503, HTML_503, content_type="text/html"))


def rate_limited_for_an_hour(peer: Peer) -> None:
    peer.read_request()
    body = b'{"error": {"code": 429, "message": "slow down"}}'
    peer.send(http_response(429, body, headers={"Retry-After": "3600"}))


def gzip_json(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(200, gzip.compress(COMPLETION_BYTES), headers={"Content-Encoding": "gzip"}))


def gzip_stream(peer: Peer) -> None:
    peer.read_request()
    packed = gzip.compress(SSE_BYTES)
    peer.send(chunked_head(headers={"Content-Encoding": "gzip"}) + chunk_frame(packed) + LAST_CHUNK)


def corrupt_gzip_json(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(200, COMPLETION_BYTES, headers={"Content-Encoding": "gzip"}))


def corrupt_gzip_stream(peer: Peer) -> None:
    peer.read_request()
    peer.send(chunked_head(headers={"Content-Encoding": "gzip"}) + chunk_frame(SSE_BYTES) + LAST_CHUNK)


def corrupt_gzip_error_page(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(502, HTML_502, content_type="text/html", headers={"Content-Encoding": "gzip"}))


def one_byte_chunks_json(peer: Peer) -> None:
    peer.read_request()
    peer.send(chunked_head(content_type="application/json"))
    for i in range(len(COMPLETION_BYTES)):
        peer.send(chunk_frame(COMPLETION_BYTES[i : i + 1]))
    peer.send(LAST_CHUNK)


def one_byte_chunks_stream(peer: Peer) -> None:
    peer.read_request()
    peer.send(chunked_head())
    for i in range(len(SSE_BYTES)):
        peer.send(chunk_frame(SSE_BYTES[i : i + 1]))
    peer.send(LAST_CHUNK)


def stream_without_done(peer: Peer) -> None:
    peer.read_request()
    peer.send(chunked_head() + chunk_frame(event(chunk("a")) + event(chunk("b"))) + LAST_CHUNK)


def stream_error_event(peer: Peer) -> None:
    peer.read_request()
    error = {**chunk(""), "error": {"code": 502, "message": "provider fell over"}}
    peer.send(chunked_head() + chunk_frame(event(chunk("a")) + event(error)) + LAST_CHUNK)


def stream_garbage_event(peer: Peer) -> None:
    peer.read_request()
    peer.send(chunked_head() + chunk_frame(event(chunk("a")) + b"data: {not json\n\n" + DONE) + LAST_CHUNK)


def stream_html_502(peer: Peer) -> None:
    peer.read_request()
    peer.send(chunked_head(502, "text/html") + chunk_frame(HTML_502) + LAST_CHUNK)


def error_object_in_200(peer: Peer) -> None:
    peer.read_request()
    peer.send(http_response(200, b'{"error": {"code": 503, "message": "no provider available"}}'))


def not_http(peer: Peer) -> None:
    peer.read_request()
    peer.send(b"SSH-2.0-OpenSSH_9.6\r\n\r\n")


def redirect_loop(peer: Peer) -> None:
    peer.read_request()
    location = f"http://127.0.0.1:{peer.server.port}/api/v1/chat/completions"
    peer.send(http_response(307, b"", headers={"Location": location}))


# ------------------------------------------------------------------------------------------------ the table


@dataclass(frozen=True)
class Fault:
    name: str
    scripts: tuple[Script, ...]
    stream: bool = False
    #: The error class the call must end in; None: the call must succeed.
    error: type[errors.ModelGatesError] | None = None
    #: Chunks a stream delivers (before its error, or in all).
    chunks: int | None = None
    #: Substrings of str(error).
    message: tuple[str, ...] = ()
    status: int | None = None
    retries: bool = False
    #: Connections the server must have seen (attempts).
    attempts: int | None = None
    #: Seconds the call may take at most.
    bound: float = 2.5
    #: No server: the port is closed.
    refused: bool = False


FAULTS = [
    Fault("connection refused", (ok_json,), refused=True, error=errors.NoResponseError, message=("ConnectError",)),
    Fault(
        "connection refused, retried until the budget",
        (ok_json,),
        refused=True,
        retries=True,
        error=errors.NoResponseError,
    ),
    Fault("reset before the response", (reset_before_response,), error=errors.NoResponseError, attempts=1),
    Fault("reset before the response, retried", (reset_before_response, ok_json), retries=True, attempts=2),
    Fault(
        "reset before the stream, retried",
        (reset_before_response, ok_stream),
        stream=True,
        retries=True,
        chunks=3,
        attempts=2,
    ),
    Fault("closed before the response", (close_before_response,), error=errors.NoResponseError, attempts=1),
    Fault("not HTTP at all", (not_http,), error=errors.NoResponseError, attempts=1),
    Fault("reset mid-body", (reset_mid_body,), error=errors.NoResponseError, attempts=1),
    Fault("reset mid-body, retried", (reset_mid_body, ok_json), retries=True, attempts=2),
    Fault("reset mid-stream", (reset_mid_stream,), stream=True, error=errors.StreamInterruptedError, chunks=2),
    Fault(
        "reset mid-stream is not retried",
        (reset_mid_stream, ok_stream),
        stream=True,
        retries=True,
        error=errors.StreamInterruptedError,
        chunks=2,
        attempts=1,
    ),
    Fault(
        "stall before the headers",
        (stall_before_headers,),
        error=errors.NoResponseError,
        message=("timeout",),
        bound=1.5,
    ),
    Fault(
        "stall before the stream's headers",
        (stall_before_headers,),
        stream=True,
        error=errors.NoResponseError,
        message=("timeout",),
        bound=1.5,
    ),
    Fault("stall inside the body", (stall_in_body,), error=errors.NoResponseError, message=("timeout",), bound=1.5),
    Fault(
        "stall between two stream events",
        (stall_between_events,),
        stream=True,
        error=errors.StreamInterruptedError,
        chunks=1,
        message=("stalled",),
        bound=1.5,
    ),
    Fault(
        "stall before the headers is not retried past timeout_ms",
        (stall_before_headers, ok_json),
        retries=True,
        error=errors.NoResponseError,
        attempts=1,
        message=("timeout", "1 attempt in 0.", "would pass the call's timeout"),
        bound=1.5,
    ),
    Fault("truncated JSON", (truncated_json,), error=errors.InvalidResponseError, status=200),
    Fault("invalid JSON", (invalid_json,), error=errors.InvalidResponseError, status=200),
    Fault("empty body with 200", (empty_200,), error=errors.InvalidResponseError, status=200, message=("empty body",)),
    Fault(
        "HTML page with 200 (wrong content type)",
        (html_200,),
        error=errors.InvalidResponseError,
        status=200,
        message=("Welcome to nginx",),
    ),
    Fault("deeply nested JSON", (deeply_nested_json,), error=errors.InvalidResponseError, status=200),
    Fault(
        "deeply nested JSON error body (500)",
        (deeply_nested_error_body,),
        error=errors.InternalServerResponseError,
        status=500,
    ),
    Fault(
        "deeply nested JSON stream event",
        (deeply_nested_stream_event,),
        stream=True,
        error=errors.InvalidResponseError,
        chunks=1,
    ),
    Fault(
        "HTML 502 page",
        (html_502,),
        error=errors.BadGatewayResponseError,
        status=502,
        message=("502", "upstream went away"),
    ),
    Fault(
        "HTML 503 page",
        (html_503,),
        error=errors.ServiceUnavailableResponseError,
        status=503,
        message=("503", "maintenance window"),
    ),
    Fault(
        "HTML 502 page to a stream request",
        (stream_html_502,),
        stream=True,
        error=errors.BadGatewayResponseError,
        status=502,
        message=("upstream went away",),
    ),
    Fault("HTML 503 page, retried", (html_503, ok_json), retries=True, attempts=2),
    Fault(
        "429 with Retry-After past the budget fails at once",
        (rate_limited_for_an_hour,),
        retries=True,
        error=errors.TooManyRequestsResponseError,
        status=429,
        attempts=1,
        bound=1.0,
    ),
    Fault(
        "error object inside a 200",
        (error_object_in_200,),
        error=errors.ServiceUnavailableResponseError,
        status=503,
        message=("no provider available",),
    ),
    Fault("gzip-encoded JSON", (gzip_json,)),
    Fault("gzip-encoded stream", (gzip_stream,), stream=True, chunks=3),
    Fault("corrupt gzip JSON", (corrupt_gzip_json,), error=errors.ModelGatesError),
    Fault("corrupt gzip stream", (corrupt_gzip_stream,), stream=True, error=errors.ModelGatesError, chunks=0),
    Fault("corrupt gzip error page", (corrupt_gzip_error_page,), error=errors.ModelGatesError),
    Fault(
        "corrupt gzip error page to a stream request",
        (corrupt_gzip_error_page,),
        stream=True,
        error=errors.ModelGatesError,
        chunks=0,
    ),
    Fault("chunked, 1-byte chunks, JSON", (one_byte_chunks_json,)),
    Fault("chunked, 1-byte chunks, stream", (one_byte_chunks_stream,), stream=True, chunks=3),
    Fault(
        "stream ends without [DONE]",
        (stream_without_done,),
        stream=True,
        error=errors.StreamInterruptedError,
        chunks=2,
        message=("[DONE]",),
    ),
    Fault(
        "error event mid-stream",
        (stream_error_event,),
        stream=True,
        error=errors.BadGatewayResponseError,
        chunks=1,
        status=502,
        message=("provider fell over",),
    ),
    Fault(
        "stream event that is not JSON",
        (stream_garbage_event,),
        stream=True,
        error=errors.InvalidResponseError,
        chunks=1,
    ),
    Fault("redirect loop", (redirect_loop,), error=errors.ModelGatesError, bound=4.0),
]


# ------------------------------------------------------------------------------------------------ running


def _make_client(url: str, fault: Fault) -> ModelGates:
    return client_for(url, timeout_ms=TIMEOUT_MS, retry_config=FAST_RETRIES if fault.retries else NO_RETRIES)


def _stream_arg(fault: Fault) -> dict[str, Any]:
    return {"stream": True} if fault.stream else {}


def _run_sync(url: str, fault: Fault) -> tuple[Any, list[Any], BaseException | None]:
    got: list[Any] = []
    with _make_client(url, fault) as client:
        try:
            result = client.chat.send(messages=MESSAGES, model="m", **_stream_arg(fault))
            if fault.stream:
                with result:
                    for item in result:
                        got.append(item)
            return result, got, None
        except BaseException as exc:
            return None, got, exc


async def _run_async(url: str, fault: Fault) -> tuple[Any, list[Any], BaseException | None]:
    got: list[Any] = []
    async with _make_client(url, fault) as client:
        try:
            result = await client.chat.send_async(messages=MESSAGES, model="m", **_stream_arg(fault))
            if fault.stream:
                async with result:
                    async for item in result:
                        got.append(item)
            return result, got, None
        except BaseException as exc:
            return None, got, exc


def _check(
    fault: Fault, outcome: tuple[Any, list[Any], BaseException | None], elapsed: float, attempts: int | None
) -> str:
    result, got, exc = outcome
    if fault.error is None:
        if exc is not None:
            raise AssertionError(f"expected success, got {type(exc).__module__}.{type(exc).__name__}: {exc}") from exc
        if fault.stream:
            assert all(isinstance(c, ChatStreamChunk) for c in got), got
            assert [c.choices[0].delta.content for c in got] == ["a", "b", "c"][: len(got)]
            what = f"{len(got)} chunks"
        else:
            assert isinstance(result, ChatResult), result
            assert result.choices[0].message.content == "Paris"
            what = "ChatResult"
    else:
        if exc is None:
            raise AssertionError(f"expected {fault.error.__name__}, the call succeeded ({len(got)} chunks)")
        kind = f"{type(exc).__module__}.{type(exc).__name__}"
        assert isinstance(exc, errors.ModelGatesError), f"untyped error escaped: {kind}: {exc}"
        assert isinstance(exc, fault.error), f"expected {fault.error.__name__}, got {kind}: {exc}"
        for text in fault.message:
            assert text in str(exc), f"{text!r} not in message {str(exc)!r}"
        if fault.status is not None:
            assert getattr(exc, "status_code", None) == fault.status, exc
        what = f"{type(exc).__name__}" + (f" after {len(got)} chunk(s)" if fault.stream else "")
        if fault.stream and fault.error is not None:
            assert all(isinstance(c, ChatStreamChunk) for c in got), got
    if fault.chunks is not None:
        assert len(got) == fault.chunks, f"expected {fault.chunks} chunks, got {len(got)}"
    if fault.attempts is not None:
        assert attempts == fault.attempts, f"expected {fault.attempts} attempts, the server saw {attempts}"
    assert elapsed <= fault.bound, f"took {elapsed:.2f}s, bound {fault.bound}s"
    return f"{what} in {elapsed:.2f}s" + (f", {attempts} attempt(s)" if attempts else "")


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("fault", FAULTS, ids=[f.name for f in FAULTS])
def test_fault(fault: Fault, mode: str, case: Any) -> None:
    runner: Callable[[str], Any]
    if mode == "sync":

        def runner(url: str) -> Any:
            return within(HARD_DEADLINE, lambda: _run_sync(url, fault))
    else:

        def runner(url: str) -> Any:
            return within_async(HARD_DEADLINE, lambda: _run_async(url, fault))

    if fault.refused:
        started = time.monotonic()
        outcome = runner(f"http://127.0.0.1:{closed_port()}/api/v1")
        elapsed = time.monotonic() - started
        attempts = None
    else:
        with RawServer(*fault.scripts) as server:
            started = time.monotonic()
            outcome = runner(server.url)
            elapsed = time.monotonic() - started
            attempts = server.connections
        assert not server.errors, server.errors
    case.note(_check(fault, outcome, elapsed, attempts))
