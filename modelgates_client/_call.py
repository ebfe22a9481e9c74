"""One call in flight: the request built from its arguments (once, whatever the number of attempts), the settings
the call's options chose, its deadline and its retry state; and how its final error is told where it went."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx

from ._config import APP_HEADERS
from ._errors import transport_error
from ._logging import log_retry
from ._options import check_options
from ._retry import RetryState
from ._text import reason_phrase

if TYPE_CHECKING:
    import logging

    from ._exceptions import APIStatusError, ModelGatesError
    from ._operation import Operation
    from ._options import CallOptions
    from .utils.retries import RetryConfig

__all__ = ["Call", "ClientSettings"]


class ClientSettings:
    """What a client's constructor settled, the defaults of each call (immutable once the client is made)."""

    __slots__ = ("server_url", "headers", "policy", "timeout_s", "logger")

    def __init__(
        self,
        server_url: str,
        headers: dict[str, str],
        policy: RetryConfig,
        timeout_s: float | None,
        logger: logging.Logger | None,
    ) -> None:
        self.server_url = server_url
        self.headers = headers
        self.policy = policy
        self.timeout_s = timeout_s
        self.logger = logger


class Call:
    """One call of an operation: its request (filled by `_encoding.encode`) and its state across attempts."""

    __slots__ = (
        "op",
        "method",
        "url",
        "params",
        "headers",
        "content",
        "data",
        "files",
        "stream",
        "lazy",
        "policy",
        "max_retries",
        "timeout_s",
        "started",
        "deadline",
        "state",
        "opened",
        "extra_body",
        "extra_query",
        "header_options",
        "logger",
        "page",
    )

    def __init__(self, op: Operation, settings: ClientSettings, options: CallOptions) -> None:
        self.op = op
        self.method = op.method
        self.url = settings.server_url
        self.params: list[tuple[str, Any]] | None = None
        self.headers: dict[str, str] = {}
        self.content: bytes | None = None
        self.data: dict[str, Any] | None = None
        self.files: list[tuple[str, Any]] | None = None
        self.stream = False  # the answer is an event stream
        self.lazy = False  # the body is not read on arrival: an event stream, or a binary body
        self.policy = settings.policy
        self.max_retries: int | None = None
        self.timeout_s = settings.timeout_s
        self.state: RetryState | None = None
        self.opened: list[Any] | None = None  # files the client opened for an upload, closed after the call
        self.extra_body: Mapping[str, Any] | None = None
        self.extra_query: Mapping[str, Any] | None = None
        self.header_options: list[tuple[str, str]] | None = None
        self.logger = settings.logger
        # A paged list operation's result is a page: (the call's arguments, its options, the page class).
        self.page: tuple[dict[str, Any], CallOptions, type[Any]] | None = None
        if options:
            self._apply(op, options)
        self.started = time.monotonic()
        self.deadline = None if self.timeout_s is None else self.started + self.timeout_s

    def _apply(self, op: Operation, options: CallOptions) -> None:
        """The call's options, checked, in place of the client's settings (the one place they are applied)."""
        check_options(op, options)
        given: Mapping[str, Any] = options
        if "server_url" in given:
            self.url = given["server_url"].rstrip("/")
        self.policy = given.get("retries") or self.policy
        self.max_retries = given.get("max_retries")
        if given.get("timeout_ms") is not None:
            self.timeout_s = given["timeout_ms"] / 1000.0
        self.extra_body = given.get("extra_body")
        self.extra_query = given.get("extra_query")
        headers = [(header, given[option]) for option, header in APP_HEADERS if option in given]
        headers.extend(given.get("http_headers", {}).items())
        self.header_options = headers or None

    @property
    def attempt(self) -> int:
        """The number of retries made so far (0 during the first attempt)."""
        return self.state.attempt if self.state is not None else 0

    def timeout(self) -> httpx.Timeout | None:
        """The httpx timeout of the next attempt: the call's timeout, or on a retry the time left of it (None: the
        httpx client's own)."""
        if self.timeout_s is None:
            return None
        if self.state is not None and self.deadline is not None:
            return httpx.Timeout(max(self.deadline - time.monotonic(), 0.001))
        return httpx.Timeout(self.timeout_s)

    def close_files(self) -> None:
        for f in self.opened or ():
            f.close()

    def retry_state(self) -> RetryState:
        state = self.state
        if state is None:
            state = self.state = RetryState(
                self.policy, self.started, max_retries=self.max_retries, deadline=self.deadline
            )
        return state

    def wait_after_transport_error(self, exc: httpx.RequestError) -> float:
        """Seconds to wait before the next attempt after `exc`; raises the final NoResponseError instead when the
        call is over. DecodingError, TooManyRedirects and such are final: another attempt would not help."""
        if isinstance(exc, httpx.TransportError):
            delay = self.retry_state().next_delay(status=None, connection_error=True, headers=None)
            if delay is not None:
                log_retry(self.logger, self, type(exc).__name__, delay)
                return delay
        raise self.final(transport_error(self.op, exc)) from exc

    def wait_after_status_error(self, error: APIStatusError) -> float:
        """Seconds to wait before the next attempt after an error answer; raises `error` when the call is over."""
        state = self.retry_state()
        delay = state.next_delay(status=error.status_code, connection_error=False, headers=error.headers)
        if delay is None:
            raise self.final(error)
        reason = reason_phrase(error.status_code)
        log_retry(self.logger, self, f"{error.status_code} {reason}" if reason else str(error.status_code), delay)
        return delay

    def final(self, error: ModelGatesError) -> ModelGatesError:
        """`error`, the final error of the call, told where the call went, how many attempts it made in how long,
        and why a retryable failure was not retried."""
        state = self.state
        attempts = self.attempt + 1
        elapsed = time.monotonic() - self.started
        error.url = self.url
        error.attempts = attempts
        error.elapsed = timedelta(seconds=elapsed)
        where = f"{self.method} {self.url}; {attempts} attempt{'s' if attempts > 1 else ''} in {elapsed:.2f} s"
        if state is not None and state.stopped:
            where += "; " + state.stopped
        error.message = f"{error.message} ({where})"
        error.args = (error.message,)
        return error
