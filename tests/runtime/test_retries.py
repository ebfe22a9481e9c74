"""The retry policy and the call's deadline, against a local server on loopback (the bundled ModelGatesServer,
which records when each request arrived), sync and async."""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import timedelta
from typing import Any

import httpx
import pytest

from modelgates_client import BackoffStrategy, ModelGates, RetryConfig, errors
from modelgates_client.testing import ModelGatesServer

from ..conftest import MESSAGES, call
from ..reliability._support import closed_port

#: Waits of 100 ms (50-100 ms with jitter) for as long as 30 s: a floor that is easy to see between requests.
STEADY = RetryConfig("backoff", BackoffStrategy(100, 100, 1.0, 30_000), True)
FAST = RetryConfig("backoff", BackoffStrategy(1, 5, 1.5, 30_000), True)


@pytest.fixture
def server() -> Any:
    with ModelGatesServer() as s:
        yield s


def gaps(server: ModelGatesServer) -> list[float]:
    times = [r.time for r in server.requests]
    return [b - a for a, b in zip(times, times[1:], strict=False)]


def failing(mode: str, server: ModelGatesServer, error: type[Exception], policy: RetryConfig, **options: Any) -> Any:
    """Call chat.send with per-call `options` on a client with retry policy `policy`, expecting `error`; return it."""
    with pytest.raises(error) as info:
        call(mode, lambda: server.client(retry_config=policy), "chat.send", messages=MESSAGES, **options)
    return info.value


# ---------------------------------------------------------------- the backoff floor


@pytest.mark.parametrize(
    "headers",
    [{"Retry-After": "0"}, {"retry-after-ms": "0"}, {"retry-after-ms": "1"}, {"Retry-After": "-3"}],
    ids=["Retry-After 0", "retry-after-ms 0", "retry-after-ms 1", "Retry-After negative"],
)
def test_server_asking_for_no_wait_still_gets_the_backoff(server: ModelGatesServer, headers: dict[str, str]) -> None:
    server.inject(status=503, headers=headers, times=4)
    res = call("sync", lambda: server.client(retry_config=STEADY), "chat.send", messages=MESSAGES)
    assert res.id == "gen-1"
    assert len(server.requests) == 5
    assert min(gaps(server)) >= 0.045  # jitter keeps each wait within 50-100 ms


def test_server_asking_for_a_longer_wait_than_the_backoff_gets_it(server: ModelGatesServer) -> None:
    server.inject(status=429, headers={"retry-after-ms": "400"})
    call("sync", lambda: server.client(retry_config=FAST), "chat.send", messages=MESSAGES)
    assert gaps(server)[0] >= 0.39


# ---------------------------------------------------------------- max_retries


def test_max_retries_of_the_policy_bounds_the_attempts(server: ModelGatesServer, mode: str) -> None:
    server.inject(status=503, times=100)
    policy = RetryConfig("backoff", BackoffStrategy(1, 5, 1.5, 30_000), True, max_retries=2)
    err = failing(mode, server, errors.ServiceUnavailableResponseError, policy)
    assert len(server.requests) == 3
    assert "3 attempts" in str(err) and "max_retries=2 reached" in str(err)


def test_max_retries_of_the_call_overrides_the_policy(server: ModelGatesServer, mode: str) -> None:
    server.inject(status=503, times=100)
    failing(mode, server, errors.ServiceUnavailableResponseError, FAST, max_retries=1)
    assert len(server.requests) == 2


def test_max_retries_zero_makes_one_attempt(server: ModelGatesServer) -> None:
    server.inject(status=503, times=100)
    with server.client(retry_config=FAST) as mg, pytest.raises(errors.ServiceUnavailableResponseError):
        mg.chat.send(messages=MESSAGES, max_retries=0)
    assert len(server.requests) == 1


def test_max_retries_of_the_client_bounds_its_calls(server: ModelGatesServer) -> None:
    server.inject(status=500, times=100)
    with server.client(retry_config=FAST, max_retries=4) as mg, pytest.raises(errors.InternalServerResponseError):
        mg.chat.send(messages=MESSAGES)
    assert len(server.requests) == 5


def test_max_retries_must_be_a_count() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        ModelGates(api_key="k", max_retries=-1)
    with pytest.raises(TypeError, match="max_retries"):
        ModelGates(api_key="k", max_retries=1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="max_retries"):
        RetryConfig("backoff", None, True, "3")  # type: ignore[arg-type]


def test_retry_config_positional_construction_keeps_working() -> None:
    policy = RetryConfig("backoff", BackoffStrategy(500, 8000, 1.5, 30000), True)
    assert policy.max_retries is None and policy.backoff == BackoffStrategy(500, 8000, 1.5, 30000)


# ---------------------------------------------------------------- the call's deadline: timeout_ms


def test_timeout_ms_of_a_call_bounds_its_retries(server: ModelGatesServer, mode: str) -> None:
    server.inject(status=503, headers={"Retry-After": "0"}, times=1000)
    started = time.monotonic()
    err = failing(mode, server, errors.ServiceUnavailableResponseError, STEADY, timeout_ms=500)
    assert time.monotonic() - started < 2.0  # the issue: it used to take the whole 30 s budget
    assert 2 <= len(server.requests) <= 11
    assert "would pass the call's timeout" in str(err)


def test_timeout_ms_bounds_a_retried_attempt_by_the_time_left(server: ModelGatesServer, mode: str) -> None:
    server.inject(status=503, delay=0.3)
    server.inject(delay=5.0)  # the retry stalls
    started = time.monotonic()
    err = failing(mode, server, errors.NoResponseError, FAST, timeout_ms=700)
    assert time.monotonic() - started < 1.5
    assert isinstance(err.__cause__, httpx.TimeoutException)
    assert err.attempts == 2


def test_timeout_ms_of_the_client_bounds_each_call(server: ModelGatesServer) -> None:
    server.inject(status=503, headers={"Retry-After": "0"}, times=1000)
    started = time.monotonic()
    with server.client(retry_config=STEADY, timeout_ms=400) as mg, pytest.raises(errors.APIStatusError):
        mg.chat.send(messages=MESSAGES)
    assert time.monotonic() - started < 2.0


def test_timeout_ms_of_the_client_applies_to_a_supplied_http_client(server: ModelGatesServer) -> None:
    server.inject(delay=3.0)
    started = time.monotonic()
    with httpx.Client() as http, server.client(client=http, timeout_ms=300) as mg:
        with pytest.raises(errors.NoResponseError):
            mg.chat.send(messages=MESSAGES)
    assert time.monotonic() - started < 2.0


@pytest.mark.slow  # events 0.5 s apart
def test_a_retried_stream_waits_the_whole_timeout_between_events(server: ModelGatesServer, mode: str) -> None:
    # The retry starts with ~0.35 s of the call's 0.8 s left; each event then takes 0.5 s, longer than what was
    # left but within timeout_ms: the stream is read to its end.
    server.inject(status=503, delay=0.4)
    server.inject(chunk_delay=0.5)
    make = lambda: server.client(retry_config=FAST, timeout_ms=800)  # noqa: E731
    chunks = call(mode, make, "chat.send", messages=MESSAGES, stream=True, max_tokens=1)
    assert chunks[-1].usage is not None and len(server.requests) == 2


def test_an_attempt_timed_out_by_the_http_clients_own_timeout_is_retried(server: ModelGatesServer) -> None:
    server.inject(delay=2.0)
    with httpx.Client(timeout=0.2) as http, server.client(client=http, retry_config=FAST) as mg:
        assert mg.chat.send(messages=MESSAGES).id == "gen-1"
    assert len(server.requests) == 2


# ---------------------------------------------------------------- what the final error says


def test_final_status_error_tells_url_attempts_and_time(server: ModelGatesServer, mode: str) -> None:
    server.inject(status=502, times=3)
    policy = RetryConfig("backoff", BackoffStrategy(1, 5, 1.5, 30_000), True, max_retries=2)
    err = failing(mode, server, errors.BadGatewayResponseError, policy)
    url = server.url + "/chat/completions"
    assert err.url == url and err.attempts == 3
    assert isinstance(err.elapsed, timedelta) and err.elapsed > timedelta(0)
    assert f"(POST {url}; 3 attempts in " in err.message and str(err) == err.message


def test_no_response_error_tells_url_attempts_and_time(mode: str) -> None:
    url = f"http://127.0.0.1:{closed_port()}/api/v1"
    policy = RetryConfig("backoff", BackoffStrategy(1, 5, 1.5, 30_000), True, max_retries=2)
    make = lambda: ModelGates(api_key="k", server_url=url, retry_config=policy)  # noqa: E731
    with pytest.raises(errors.NoResponseError) as info:
        call(mode, make, "chat.send", messages=MESSAGES)
    err = info.value
    assert err.url == url + "/chat/completions" and err.attempts == 3
    assert "ConnectError" in str(err) and f"POST {url}/chat/completions; 3 attempts in " in str(err)


def test_error_not_worth_a_retry_says_one_attempt(server: ModelGatesServer) -> None:
    server.inject(status=400)
    err = failing("sync", server, errors.BadRequestResponseError, FAST)
    assert err.attempts == 1 and "; 1 attempt in " in str(err) and "max_retries" not in str(err)


# ---------------------------------------------------------------- logging


def test_each_retry_is_logged_at_info_without_secrets(
    server: ModelGatesServer, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    server.inject(status=503, times=2)
    make = lambda: server.client(api_key="sk-SECRET-77", retry_config=FAST)  # noqa: E731
    with caplog.at_level(logging.INFO, logger="modelgates_client"):
        call(mode, make, "chat.send", messages=MESSAGES)
    records = [r for r in caplog.records if r.name == "modelgates_client"]
    assert [r.levelno for r in records] == [logging.INFO, logging.INFO]
    url = server.url + "/chat/completions"
    assert records[0].getMessage().startswith("chat.send: 503 Service Unavailable; retry 1 in ")
    assert records[1].getMessage().startswith("chat.send: 503 Service Unavailable; retry 2 in ")
    assert all(r.getMessage().endswith(f"(POST {url})") for r in records)
    assert "SECRET" not in caplog.text


def test_no_retry_logs_nothing(server: ModelGatesServer, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG, logger="modelgates_client"), server.client() as mg:
        mg.chat.send(messages=MESSAGES)
    assert [r for r in caplog.records if r.name == "modelgates_client"] == []


def test_async_and_sync_share_one_policy(server: ModelGatesServer) -> None:
    server.inject(status=503, times=100)
    policy = RetryConfig("backoff", BackoffStrategy(1, 5, 1.5, 30_000), True, max_retries=3)

    async def run() -> None:
        async with server.client(retry_config=policy) as mg:
            await mg.chat.send_async(messages=MESSAGES)

    with pytest.raises(errors.ServiceUnavailableResponseError):
        asyncio.run(run())
    assert len(server.requests) == 4


# ---------------------------------------------------------------- the default policy fails fast where waiting cannot help


@pytest.mark.slow  # waits as the policy says: about a second
def test_default_policy_gives_up_on_a_refused_connection_within_seconds(mode: str) -> None:
    url = f"http://127.0.0.1:{closed_port()}/api/v1"
    started = time.monotonic()
    with pytest.raises(errors.NoResponseError) as info:
        call(mode, lambda: ModelGates(api_key="k", server_url=url), "chat.send", messages=MESSAGES)
    assert time.monotonic() - started < 3.0  # the issue: 25 s, retrying for the whole budget
    assert info.value.attempts == 3 and "max_retries=2 reached" in str(info.value)


@pytest.mark.slow  # waits as the policy says: about a second
def test_default_policy_sends_three_requests_to_a_server_asking_for_no_wait(server: ModelGatesServer) -> None:
    server.inject(status=503, headers={"Retry-After": "0"}, times=1000)
    with ModelGates(api_key="k", server_url=server.url) as mg, pytest.raises(errors.ServiceUnavailableResponseError):
        mg.chat.send(messages=MESSAGES)
    assert len(server.requests) == 3  # the issue: 685 requests in 30 s


@pytest.mark.slow  # waits as the policy says: about a second
def test_default_policy_waits_as_long_as_retry_after_asks(server: ModelGatesServer) -> None:
    server.inject(status=429, headers={"Retry-After": "1"})
    with ModelGates(api_key="k", server_url=server.url) as mg:
        assert mg.chat.send(messages=MESSAGES).id == "gen-1"
    assert gaps(server)[0] >= 0.99


def test_default_policy_fails_at_once_when_retry_after_is_past_its_budget(server: ModelGatesServer) -> None:
    server.inject(status=503, headers={"Retry-After": "60"})
    started = time.monotonic()
    with (
        ModelGates(api_key="k", server_url=server.url) as mg,
        pytest.raises(errors.ServiceUnavailableResponseError) as info,
    ):
        mg.chat.send(messages=MESSAGES)
    assert time.monotonic() - started < 3.0
    assert len(server.requests) == 1 and "would pass the retry budget of 30 s" in str(info.value)
