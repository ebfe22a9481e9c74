"""Retry policy: which failures are retried, and how long to wait between attempts."""

from __future__ import annotations

import email.utils
import random
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    import httpx

__all__ = ["BackoffStrategy", "RetryConfig", "DEFAULT_RETRY_CONFIG", "RETRY_STATUSES"]

#: Statuses worth another attempt: timeouts, rate limits, and server or provider failures.
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 524, 529})


@dataclass(frozen=True)
class BackoffStrategy:
    """Exponential backoff, all times in milliseconds.

    The n-th wait (n from 0) is `initial_interval * exponent**n`, capped at `max_interval`, with random jitter
    (between half and the whole of it). No attempt starts after `max_elapsed_time` since the first one.
    """

    initial_interval: int = 500
    max_interval: int = 8_000
    exponent: float = 1.5
    max_elapsed_time: int = 30_000

    def __post_init__(self) -> None:
        for name in ("initial_interval", "max_interval", "max_elapsed_time"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"BackoffStrategy.{name} must be a number of milliseconds >= 0, got {value!r}")
        if isinstance(self.exponent, bool) or not isinstance(self.exponent, int | float) or self.exponent < 1:
            raise ValueError(f"BackoffStrategy.exponent must be a number >= 1, got {self.exponent!r}")

    def delay(self, attempt: int) -> float:
        """Seconds to wait before retry number `attempt` (0 for the first retry), jitter included."""
        base = min(self.max_interval, self.initial_interval * self.exponent**attempt)
        return base * (0.5 + random.random() / 2) / 1000.0


@dataclass(frozen=True)
class RetryConfig:
    """Whether and how calls are retried.

    Args:
        strategy: "backoff" to retry, "none" to never retry.
        backoff: the waits between attempts and the time budget (BackoffStrategy defaults when None).
        retry_connection_errors: retry when the connection fails or times out (not only on retryable statuses).
        max_retries: at most this many retries (so max_retries + 1 attempts); None: as many as the time budget
            (`backoff.max_elapsed_time`) allows.

    Retried: connection errors (when enabled) and statuses 408, 429, 500, 502, 503, 524 and 529. The wait before
    a retry is the backoff's, or longer when the server asks for longer (`Retry-After` in seconds or as an HTTP
    date, `retry-after-ms`); a server asking for less (or 0) still gets the backoff's wait. No retry whose wait
    would end past the time budget, or past the call's `timeout_ms`. Never retried: other statuses, and a
    stream once it has delivered its first event.
    """

    strategy: Literal["backoff", "none"] = "backoff"
    backoff: BackoffStrategy | None = None
    retry_connection_errors: bool = True
    max_retries: int | None = None

    def __post_init__(self) -> None:
        if self.strategy not in ("backoff", "none"):
            raise ValueError(f"RetryConfig.strategy must be 'backoff' or 'none', got {self.strategy!r}")
        if self.backoff is not None and not isinstance(self.backoff, BackoffStrategy):
            raise TypeError(f"RetryConfig.backoff must be a BackoffStrategy, got {type(self.backoff).__name__}")
        if not isinstance(self.retry_connection_errors, bool):
            raise TypeError("RetryConfig.retry_connection_errors must be a bool")
        if self.max_retries is not None:
            from .._options import check_max_retries  # noqa: PLC0415  (_options imports this module)

            check_max_retries(self.max_retries, "RetryConfig.max_retries")

    @property
    def enabled(self) -> bool:
        return self.strategy == "backoff"

    @property
    def strategy_or_default(self) -> BackoffStrategy:
        return self.backoff or _DEFAULT_BACKOFF


_DEFAULT_BACKOFF = BackoffStrategy()
#: The client's policy unless told otherwise: backoff 500 ms -> 8 s within 30 s, and at most 2 retries. The count
#: makes a call fail fast where waiting cannot help (a refused connection to a wrong URL raises after ~1 s, not 30)
#: and caps what one call costs a struggling server at 3 requests; the time budget still lets a 429/503 wait as
#: long as its Retry-After asks, up to 30 s.
DEFAULT_RETRY_CONFIG = RetryConfig("backoff", _DEFAULT_BACKOFF, True, max_retries=2)


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
