"""The retry policy users configure: which failures are retried, and how long to wait between attempts.

The decisions of one call under a policy are made by `modelgates_client._retry.RetryState`."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from .._config import check_max_retries

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
