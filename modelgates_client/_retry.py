"""The retry decisions of one call under its policy (`utils.retries.RetryConfig`): whether a failure is retried,
after how long, and why not when it is not."""

from __future__ import annotations

import email.utils
import time
from typing import TYPE_CHECKING

from .utils.retries import RETRY_STATUSES, RetryConfig

if TYPE_CHECKING:
    import httpx

__all__ = ["RetryState", "retry_after"]


def retry_after(headers: httpx.Headers) -> float | None:
    """The wait the server asks for, in seconds: `retry-after-ms`, or `Retry-After` as seconds or an HTTP date."""
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            ms = float(value)
            if ms >= 0:
                return ms / 1000.0
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    value = value.strip()
    try:
        seconds = float(value)
        return seconds if seconds >= 0 else None
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - time.time())


class RetryState:
    """The retry budget of one call: how many retries were made, and why the last failure was not retried."""

    __slots__ = ("config", "start", "attempt", "max_retries", "deadline", "stopped")

    def __init__(
        self,
        config: RetryConfig,
        start: float | None = None,
        *,
        max_retries: int | None = None,
        deadline: float | None = None,
    ) -> None:
        """`start`: time.monotonic() when the call began; `max_retries`: overrides the config's; `deadline`:
        time.monotonic() after which no attempt may end (the call's timeout)."""
        self.config = config
        self.start = time.monotonic() if start is None else start
        self.attempt = 0
        self.max_retries = config.max_retries if max_retries is None else max_retries
        self.deadline = deadline
        #: Why a retryable failure was not retried (max_retries, the time budget, the deadline), for messages.
        self.stopped: str | None = None

    def next_delay(self, *, status: int | None, connection_error: bool, headers: httpx.Headers | None) -> float | None:
        """Seconds to wait before the next attempt, or None when this failure is final."""
        config = self.config
        if not config.enabled:
            return None
        if connection_error:
            if not config.retry_connection_errors:
                return None
        elif status not in RETRY_STATUSES:
            return None
        if self.max_retries is not None and self.attempt >= self.max_retries:
            self.stopped = f"max_retries={self.max_retries} reached"
            return None
        backoff = config.strategy_or_default
        delay = backoff.delay(self.attempt)  # the floor: a server asking for less (Retry-After: 0) waits this
        asked = retry_after(headers) if headers is not None else None
        if asked is not None and asked > delay:
            delay = asked
        now = time.monotonic()
        budget = backoff.max_elapsed_time / 1000.0
        if now - self.start + delay > budget:
            self.stopped = f"a wait of {delay:.2f} s would pass the retry budget of {budget:g} s"
            return None
        if self.deadline is not None and now + delay >= self.deadline:
            self.stopped = f"a wait of {delay:.2f} s would pass the call's timeout"
            return None
        self.attempt += 1
        return delay
