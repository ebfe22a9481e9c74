"""The exception tree. Every failed call raises a ModelGatesError.

ModelGatesError
├── NoResponseError            connection refused/reset, timeouts (the httpx error is chained)
│   └── StreamInterruptedError a stream that broke off or stalled before its end
├── InvalidResponseError       a success response whose body could not be read as the spec says
└── APIStatusError             an error status (or an error object inside a 200 or a stream)
    ├── <one class per error status of the spec, generated: BadRequestResponseError, ...>
    └── ModelGatesDefaultError any other 4XX/5XX
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from datetime import timedelta

    import httpx

__all__ = [
    "APIStatusError",
    "InvalidResponseError",
    "ModelGatesDefaultError",
    "ModelGatesError",
    "NoResponseError",
    "StreamInterruptedError",
]


class ModelGatesError(Exception):
    """Base of every error the client raises for the server or the network.

    Attributes:
        message: what went wrong; for the final error of a call, followed by its method and URL, the number of
            attempts, the time they took and, when a retryable failure was not retried, why.
        url: the URL of the request (None for an error raised while a stream was being read).
        attempts: how many attempts the call made (None as for `url`).
        elapsed: the time from the call's start to this error (None as for `url`).
    """

    message: str
    url: str | None = None
    attempts: int | None = None
    elapsed: timedelta | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NoResponseError(ModelGatesError):
    """The server could not be reached or did not answer in time; the httpx exception is the __cause__."""


class StreamInterruptedError(NoResponseError):
    """An event stream ended before its end marker: the connection dropped or stalled past the timeout."""


class InvalidResponseError(ModelGatesError):
    """A success status whose body is not what the spec describes (not JSON, truncated, empty)."""

    def __init__(self, message: str, *, status_code: int, body: str, raw_response: httpx.Response | None) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
        self.raw_response = raw_response


class APIStatusError(ModelGatesError):
    """The API answered with an error.

    Attributes:
        status_code: the HTTP status, or the `code` of an error object sent inside a 200 response or a stream.
        body: the response body as text.
        headers: the response headers.
        raw_response: the httpx.Response.
        data: the error body parsed into the spec's error model, or None when it did not parse.
    """

    status_code: int
    body: str
    headers: httpx.Headers
    raw_response: httpx.Response
    data: Any

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: str,
        headers: httpx.Headers,
        raw_response: httpx.Response,
        data: Any = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
        self.headers = headers
        self.raw_response = raw_response
        self.data = data

    @staticmethod
    def _parse_data(data: Any) -> Any:
        return data

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status_code={self.status_code}, message={self.message!r})"


class ModelGatesDefaultError(APIStatusError):
    """An error status the spec gives no class of its own."""
