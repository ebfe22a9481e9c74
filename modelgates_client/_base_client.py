"""The request core: one path from an operation and its arguments to a typed result or a typed error.

Generated endpoint functions call `_request` / `_arequest` with their Operation and the caller's arguments. Both
share every step but the I/O: the call is built once (`_call`, `_encoding`), sent with retries (`_retry`), and its
answer becomes a result (`_decoding`), a stream (`_streaming`), a download (`_binary`), a page (`_pagination`) or
an error (`_errors`). The generated tables reach the core through `Tables` (`_tables`), given by the client façade.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Self

import httpx

from ._auth import REDACTED, ApiKey
from ._binary import AsyncBinaryResponse, BinaryResponse
from ._call import Call, ClientSettings
from ._config import APP_HEADERS, USER_AGENT, check_header_value, check_max_retries, check_server_url, check_timeout_ms
from ._decoding import decode, is_json, parse_result, stream_refused
from ._encoding import encode
from ._errors import in_band_error, status_error
from ._events import EventReader
from ._exceptions import APIStatusError, InvalidResponseError
from ._logging import log_request, log_response
from ._pagination import AsyncPage, Page
from ._response import APIResponse
from ._streaming import AsyncStream, Stream
from ._tables import NO_TABLES, Tables
from ._transport import Transport
from .utils.retries import DEFAULT_RETRY_CONFIG, RetryConfig

if TYPE_CHECKING:
    from collections.abc import Callable

    from ._operation import Operation
    from ._options import CallOptions

__all__ = ["BaseClient"]


class BaseClient:
    """Transport, configuration, retries and error mapping shared by every operation (`ModelGates` is this core
    with the generated resource groups mixed in).

    Args:
        api_key: API key, or a callable returning one (called for each request). Default: $MODELGATES_API_KEY.
        http_referer: Your app's URL, sent as `HTTP-Referer` (the primary identifier for rankings).
        x_open_router_title: Your app's display name, sent as `X-ModelGates-Title`.
        x_open_router_categories: Comma-separated app categories, sent as `X-ModelGates-Categories`.
        server_url: API base URL. Default: $MODELGATES_BASE_URL, else the spec's server.
        retry_config: Retry policy (default: backoff on connection errors and 408/429/500/502/503/524/529).
        max_retries: At most this many retries per call, instead of the retry policy's own bound.
        timeout_ms: How long a call may take, retries included: no retry starts that could not end in time, and
            each attempt waits at most what is left. For a stream: until it starts, then the longest wait
            between two events. Default: no bound but the retry policy's (each attempt: connect 10 s, read 600 s).
        client: An httpx.Client to send sync requests with (left open by close()).
        async_client: An httpx.AsyncClient to send async requests with (left open by aclose()).
        debug_logger: A logging.Logger that receives requests, responses and retries at DEBUG (the API key is
            never logged).

    One instance is safe to share across threads and asyncio tasks. Use it as a context manager (`with` or
    `async with`), or call close() / aclose(), to release connections.
    """

    #: The generated tables (status error classes, argument checks); the client façade sets the generated ones.
    _tables: Tables = NO_TABLES
    #: The base URL when neither `server_url` nor $MODELGATES_BASE_URL is given (the façade sets the spec's).
    _default_server_url: str = ""

    def __init__(
        self,
        *,
        api_key: str | Callable[[], str] | None = None,
        http_referer: str | None = None,
        x_open_router_title: str | None = None,
        x_open_router_categories: str | None = None,
        server_url: str | None = None,
        retry_config: RetryConfig | None = None,
        max_retries: int | None = None,
        timeout_ms: int | None = None,
        client: httpx.Client | None = None,
        async_client: httpx.AsyncClient | None = None,
        debug_logger: logging.Logger | None = None,
    ) -> None:
        self._api_key = ApiKey(os.environ.get("MODELGATES_API_KEY", "") if api_key is None else api_key)
        app = (http_referer, x_open_router_title, x_open_router_categories)
        self._settings = ClientSettings(
            server_url=check_server_url(
                server_url or os.environ.get("MODELGATES_BASE_URL") or self._default_server_url, "server_url"
            ),
            headers=_default_headers(app),
            policy=_policy(retry_config, max_retries),
            # timeout_ms is sent with each request (so that it applies to a supplied httpx client too).
            timeout_s=None if timeout_ms is None else check_timeout_ms(timeout_ms, "timeout_ms") / 1000.0,
            logger=_logger(debug_logger),
        )
        self._transport = Transport(client, async_client)

    # ------------------------------------------------------------------ lifecycle

    @property
    def server_url(self) -> str:
        return self._settings.server_url

    def close(self) -> None:
        """Release the connections of the sync client (caller-supplied clients are left to the caller)."""
        self._transport.close()

    async def aclose(self) -> None:
        """Release the connections of both clients (caller-supplied clients are left to the caller)."""
        await self._transport.aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(server_url={self.server_url!r}, api_key={REDACTED!r})"

    def __getstate__(self) -> Any:
        raise TypeError(
            f"{type(self).__name__} clients cannot be pickled (they hold connections and the API key); make one per"
            " process"
        )

    # ------------------------------------------------------------------ one call

    def _start(self, op: Operation, args: dict[str, Any], options: CallOptions) -> Call:
        """The call `op(**args, **options)` built: options applied, arguments checked and encoded."""
        call = Call(op, self._settings, options)
        headers = dict(self._settings.headers)
        auth = self._api_key.header()
        if auth is not None:
            headers["Authorization"] = auth
        try:
            encode(call, args, headers, self._tables)
        except BaseException:
            call.close_files()
            raise
        return call

    def _build(self, http: httpx.Client | httpx.AsyncClient, call: Call) -> httpx.Request:
        timeout = call.timeout()
        return http.build_request(
            call.method,
            call.url,
            params=call.params,
            headers=call.headers,
            content=call.content,
            data=call.data,
            files=call.files,
            timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
        )

    def _answer(self, call: Call, response: httpx.Response, raw: bool) -> Any:
        """The result of a response whose body has been read (with `raw`, an APIResponse that parses it on demand);
        raises the APIStatusError of an error status or of an error object inside a 2xx body."""
        op = call.op
        if not 200 <= response.status_code < 300:
            raise status_error(self._tables, op, response, response.text)
        try:
            data = decode(self._tables, op, response)
            if call.stream:  # a JSON answer without an error object to a request for an event stream
                raise stream_refused(op, response)
            if raw:
                return self._raw(call, response, lambda: self._result(call, response, data))
            return self._result(call, response, data)
        except InvalidResponseError as exc:
            call.final(exc)
            raise

    def _result(self, call: Call, response: httpx.Response, data: Any) -> Any:
        """The typed result of a success answer: its model, or for a paged list operation a page holding it."""
        result = parse_result(call.op, response, data)
        if call.page is None:
            return result
        args, options, page = call.page
        return page(self, call.op, args, options, result)

    def _raw(self, call: Call, response: httpx.Response, parse: Callable[[], Any]) -> APIResponse[Any]:
        elapsed = timedelta(seconds=time.monotonic() - call.started)
        return APIResponse(response, parse, retries_taken=call.attempt, elapsed=elapsed)

    def _lazy_answer(self, call: Call, response: httpx.Response, raw: bool, asynchronous: bool) -> Any:
        """The result of a 2xx answer whose body is read later (an event stream, a binary body), or None when the
        body is to be read now and handled as usual (JSON, or an error object instead of the stream asked for)."""
        if not 200 <= response.status_code < 300:
            return None
        if call.stream:
            if is_json(response):
                return None
            result: Any = self._stream(call, response, AsyncStream if asynchronous else Stream)
        elif call.op.response_kind(response.status_code) == "binary":
            result = (AsyncBinaryResponse if asynchronous else BinaryResponse)(response, call.op.name)
        else:
            return None
        return self._raw(call, response, lambda: result) if raw else result

    def _stream(
        self, call: Call, response: httpx.Response, cls: type[Stream[Any]] | type[AsyncStream[Any]]
    ) -> Stream[Any] | AsyncStream[Any]:
        op = call.op
        assert op.chunk_parser is not None
        if call.state is not None and call.deadline is not None:
            # A retried stream was sent with the time left of the call as its timeout; between events, the wait is
            # bounded by the whole timeout again (httpx reads the timeouts of a body from the request's extensions
            # when the body is first read).
            timeouts = response.request.extensions.get("timeout")
            if isinstance(timeouts, dict):
                timeouts["read"] = call.timeout_s
        tables = self._tables

        def on_error(obj: dict[str, Any], response: httpx.Response) -> APIStatusError:
            return in_band_error(tables, op, obj, response)

        return cls(response, EventReader(response, op.chunk_parser(), op.sentinel, on_error, op.name), op.name)

    # ------------------------------------------------------------------ sync and async: the same steps, their own I/O

    def _request(self, op: Operation, args: dict[str, Any], options: CallOptions, raw: bool = False) -> Any:
        """Make the call `op(**args, **options)`: its result, or with `raw` an APIResponse; raises a typed error."""
        call = self._start(op, args, options)
        if op.paging is not None:
            call.page = (args, options, Page)
        try:
            return self._send(call, raw)
        finally:
            call.close_files()

    def _send(self, call: Call, raw: bool) -> Any:
        """Send a built call, with retries, until it has its result or its error."""
        http = self._transport.sync_client()
        logger = self._settings.logger
        while True:
            started = log_request(logger, call)
            try:
                response = http.send(self._build(http, call), stream=call.lazy)
                log_response(logger, call, response, started)
                if call.lazy:
                    result = self._lazy_answer(call, response, raw, asynchronous=False)
                    if result is not None:
                        return result
                    _read(response)
                return self._answer(call, response, raw)
            except httpx.RequestError as exc:
                delay = call.wait_after_transport_error(exc)
            except APIStatusError as error:
                delay = call.wait_after_status_error(error)
            time.sleep(delay)

    async def _arequest(self, op: Operation, args: dict[str, Any], options: CallOptions, raw: bool = False) -> Any:
        """The async twin of _request."""
        call = self._start(op, args, options)
        if op.paging is not None:
            call.page = (args, options, AsyncPage)
        try:
            return await self._asend(call, raw)
        finally:
            call.close_files()

    async def _asend(self, call: Call, raw: bool) -> Any:
        """The async twin of _send."""
        import asyncio  # noqa: PLC0415

        http = self._transport.async_client()
        logger = self._settings.logger
        while True:
            started = log_request(logger, call)
            try:
                response = await http.send(self._build(http, call), stream=call.lazy)
                log_response(logger, call, response, started)
                if call.lazy:
                    result = self._lazy_answer(call, response, raw, asynchronous=True)
                    if result is not None:
                        return result
                    await _aread(response)
                return self._answer(call, response, raw)
            except httpx.RequestError as exc:
                delay = call.wait_after_transport_error(exc)
            except APIStatusError as error:
                delay = call.wait_after_status_error(error)
            await asyncio.sleep(delay)


def _read(response: httpx.Response) -> None:
    """Read a body that was not read on arrival; close the response if that fails."""
    try:
        response.read()
    except httpx.RequestError:
        response.close()
        raise


async def _aread(response: httpx.Response) -> None:
    try:
        await response.aread()
    except httpx.RequestError:
        await response.aclose()
        raise


def _default_headers(app: tuple[str | None, ...]) -> dict[str, str]:
    """The headers of every request of a client: User-Agent and the app headers it was given."""
    headers = {"User-Agent": USER_AGENT}
    for (name, header), value in zip(APP_HEADERS, app, strict=True):
        if value is not None:
            headers[header] = check_header_value(value, name)
    return headers


def _policy(retry_config: RetryConfig | None, max_retries: int | None) -> RetryConfig:
    if retry_config is not None and not isinstance(retry_config, RetryConfig):
        raise TypeError(f"retry_config must be a RetryConfig, got {type(retry_config).__name__}")
    policy = retry_config or DEFAULT_RETRY_CONFIG
    if max_retries is not None:
        policy = dataclasses.replace(policy, max_retries=check_max_retries(max_retries, "max_retries"))
    return policy


def _logger(logger: logging.Logger | None) -> logging.Logger | None:
    if logger is not None and not isinstance(logger, logging.Logger):
        raise TypeError(f"debug_logger must be a logging.Logger, got {type(logger).__name__}")
    return logger
