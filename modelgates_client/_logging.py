"""What the client logs: each retry at INFO on the package logger, and with a `debug_logger` every request,
response and retry at DEBUG. No header value of a secret (Authorization) is ever logged."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from ._auth import REDACTED

if TYPE_CHECKING:
    import httpx

    from ._call import Call

__all__ = ["LOGGER", "log_request", "log_response", "log_retry"]

#: The package logger: each retry is logged here at INFO (operation, why, wait, method and URL; never a header).
LOGGER = logging.getLogger("modelgates_client")


def log_request(logger: logging.Logger | None, call: Call) -> float:
    """Log the attempt about to be sent (with `logger` at DEBUG); the time it starts, for `log_response`."""
    if logger is None or not logger.isEnabledFor(logging.DEBUG):
        return 0.0
    shown = {k: (REDACTED if k.lower() == "authorization" else v) for k, v in call.headers.items()}
    logger.debug("request %s %s attempt=%d headers=%s", call.method, call.url, call.attempt + 1, shown)
    return time.monotonic()


def log_response(logger: logging.Logger | None, call: Call, response: httpx.Response, started: float) -> None:
    if logger is not None and started and logger.isEnabledFor(logging.DEBUG):
        elapsed_ms = (time.monotonic() - started) * 1000
        logger.debug(
            "response %s %s status=%d elapsed_ms=%.1f", call.method, call.url, response.status_code, elapsed_ms
        )


def log_retry(logger: logging.Logger | None, call: Call, why: str, delay: float) -> None:
    if LOGGER.isEnabledFor(logging.INFO):
        LOGGER.info("%s: %s; retry %d in %.2f s (%s %s)", call.op.name, why, call.attempt, delay, call.method, call.url)
    if logger is not None and logger.isEnabledFor(logging.DEBUG):
        logger.debug("retry %s %s after %s in %.3fs", call.method, call.url, why, delay)
