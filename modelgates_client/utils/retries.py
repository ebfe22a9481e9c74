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
        backoff: the waits between attempts (BackoffStrategy defaults when None).
        retry_connection_errors: retry when the connection fails or times out (not only on retryable statuses).

    Retried: connection errors (when enabled) and statuses 408, 429, 500, 502, 503, 524 and 529, honouring the
    server's Retry-After / retry-after-ms headers. Never retried: other statuses, and a stream once it has
    delivered its first event.
    """

    strategy: Literal["backoff", "none"] = "backoff"
    backoff: BackoffStrategy | None = None
    retry_connection_errors: bool = True

    def __post_init__(self) -> None:
        if self.strategy not in ("backoff", "none"):
            raise ValueError(f"RetryConfig.strategy must be 'backoff' or 'none', got {self.strategy!r}")
        if self.backoff is not None and not isinstance(self.backoff, BackoffStrategy):
            raise TypeError(f"RetryConfig.backoff must be a BackoffStrategy, got {type(self.backoff).__name__}")
        if not isinstance(self.retry_connection_errors, bool):
            raise TypeError("RetryConfig.retry_connection_errors must be a bool")

    @property
    def enabled(self) -> bool:
        return self.strategy == "backoff"

    @property
    def strategy_or_default(self) -> BackoffStrategy:
        return self.backoff or _DEFAULT_BACKOFF


_DEFAULT_BACKOFF = BackoffStrategy()
DEFAULT_RETRY_CONFIG = RetryConfig("backoff", _DEFAULT_BACKOFF, True)


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
    """The retry budget of one call."""

    __slots__ = ("config", "start", "attempt")

    def __init__(self, config: RetryConfig) -> None:
        self.config = config
        self.start = time.monotonic()
        self.attempt = 0

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
        backoff = config.strategy_or_default
        delay = retry_after(headers) if headers is not None else None
        if delay is None:
            delay = backoff.delay(self.attempt)
        elapsed = time.monotonic() - self.start
        if elapsed + delay > backoff.max_elapsed_time / 1000.0:
            return None
        self.attempt += 1
        return delay
