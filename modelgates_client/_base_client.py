"""The request core: one path from an operation and its arguments to a typed result or a typed error.

Generated endpoint functions call `_request` / `_arequest` with their Operation and the caller's arguments.
Both share every step but the I/O: check and build the request, send it with retries, map errors, parse.
"""

from __future__ import annotations

import json
import logging
import math
import os
import platform
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import httpx

from ._exceptions import APIStatusError, InvalidResponseError, ModelGatesDefaultError, ModelGatesError, NoResponseError
from ._json import to_json
from ._params import cookie_header, path_segment, query_pairs, simple
from ._streaming import AsyncStream, Stream
from ._types import UNSET, File
from ._validation import check_argument
from ._version import __version__
from .utils.retries import DEFAULT_RETRY_CONFIG, RetryConfig, RetryState

if TYPE_CHECKING:
    from ._operation import Operation

__all__ = ["BaseClient"]

DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=10.0)
_USER_AGENT = f"modelgates-client/{__version__} python/{platform.python_version()} httpx/{httpx.__version__}"
_EXCERPT = 200
_REDACTED = "<redacted>"


class _Prepared:
    """A request ready to send (the arguments checked and converted once, whatever the number of attempts)."""

    __slots__ = ("method", "url", "params", "headers", "content", "data", "files", "stream")

    def __init__(self, method: str, url: str) -> None:
        self.method = method
        self.url = url
        self.params: list[tuple[str, str | int | float | bool | None]] | None = None
        self.headers: dict[str, str] = {}
        self.content: bytes | None = None
        self.data: dict[str, Any] | None = None
        self.files: list[tuple[str, Any]] | None = None
        self.stream = False


class BaseClient:
    """Transport, configuration, retries and error mapping shared by every operation."""

    def __init__(
        self,
        *,
        api_key: str | Callable[[], str] | None = None,
        http_referer: str | None = None,
        x_open_router_title: str | None = None,
        x_open_router_categories: str | None = None,
        server_url: str | None = None,
        retry_config: RetryConfig | None = None,
        timeout_ms: int | None = None,
        client: httpx.Client | None = None,
        async_client: httpx.AsyncClient | None = None,
        debug_logger: logging.Logger | None = None,
        default_server_url: str = "",
    ) -> None:
        if api_key is None:
            api_key = os.environ.get("MODELGATES_API_KEY", "")
        if not (isinstance(api_key, str) or callable(api_key)):
            raise TypeError(f"api_key must be a string or a callable returning one, got {type(api_key).__name__}")
        self._api_key = api_key
        if server_url is None:
            server_url = os.environ.get("MODELGATES_BASE_URL") or default_server_url
        if not isinstance(server_url, str) or not server_url.startswith(("http://", "https://")):
            raise ValueError(f"server_url must be an http(s) URL, got {server_url!r}")
        self._server_url = server_url.rstrip("/")
        headers = {"User-Agent": _USER_AGENT}
        for value, name, header in (
            (http_referer, "http_referer", "HTTP-Referer"),
            (x_open_router_title, "x_open_router_title", "X-ModelGates-Title"),
            (x_open_router_categories, "x_open_router_categories", "X-ModelGates-Categories"),
        ):
            if value is not None:
                if not isinstance(value, str):
                    raise TypeError(f"{name} must be a string, got {type(value).__name__}")
                headers[header] = value
        self._headers = headers
        if retry_config is not None and not isinstance(retry_config, RetryConfig):
            raise TypeError(f"retry_config must be a RetryConfig, got {type(retry_config).__name__}")
        self._retry_config = retry_config or DEFAULT_RETRY_CONFIG
        self._timeout = _timeout(timeout_ms, "timeout_ms") or DEFAULT_TIMEOUT
        if client is not None and not isinstance(client, httpx.Client):
            raise TypeError(f"client must be an httpx.Client, got {type(client).__name__}")
        if async_client is not None and not isinstance(async_client, httpx.AsyncClient):
            raise TypeError(f"async_client must be an httpx.AsyncClient, got {type(async_client).__name__}")
        if debug_logger is not None and not isinstance(debug_logger, logging.Logger):
            raise TypeError(f"debug_logger must be a logging.Logger, got {type(debug_logger).__name__}")
        self._client = client
        self._async_client = async_client
        self._owns_client = client is None
        self._owns_async_client = async_client is None
        self._logger = debug_logger
        self._lock = threading.Lock()
        self._async_loop: object = None

    # ------------------------------------------------------------------ lifecycle

    @property
    def server_url(self) -> str:
        return self._server_url

    def _sync_client(self) -> httpx.Client:
        client = self._client
        if client is None:
            with self._lock:
                client = self._client
                if client is None:
                    client = self._client = httpx.Client(timeout=self._timeout, follow_redirects=True)
        return client

    def _async_http(self) -> httpx.AsyncClient:
        import asyncio  # noqa: PLC0415  (asyncio costs ~9 ms to import; sync users never pay it)

        client = self._async_client
        loop = asyncio.get_running_loop()
        if client is None or (self._owns_async_client and self._async_loop is not loop):
            # An owned client's connections belong to the event loop that opened them: a client used from a new
            # loop (a second asyncio.run) gets a fresh pool instead of failing on the old loop's sockets.
            with self._lock:
                client = self._async_client
                if client is None or (self._owns_async_client and self._async_loop is not loop):
                    client = self._async_client = httpx.AsyncClient(timeout=self._timeout, follow_redirects=True)
                    self._async_loop = loop
        return client

    def close(self) -> None:
        """Release the connections of the sync client (caller-supplied clients are left to the caller)."""
        with self._lock:
            client, self._client = (self._client, None) if self._owns_client else (None, self._client)
        if client is not None:
            client.close()

    async def aclose(self) -> None:
        """Release the connections of both clients (caller-supplied clients are left to the caller)."""
        with self._lock:
            client, self._async_client = (
                (self._async_client, None) if self._owns_async_client else (None, self._async_client)
            )
        if client is not None:
            await client.aclose()
        self.close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    async def __aenter__(self) -> Any:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(server_url={self._server_url!r}, api_key={_REDACTED!r})"

    # ------------------------------------------------------------------ building

    def _prepare(self, op: Operation, args: dict[str, Any], timeout_ms: int | None) -> _Prepared:
        name = op.name
        path = op.path
        styles = op.param_styles
        for python, wire in op.path_params:
            value = to_json(args[python], f"{name}({python})")
            check_argument(name, python, value, f"{name}({python})")
            path = path.replace("{" + wire + "}", path_segment(value, styles.get(python)))
        prepared = _Prepared(op.method, self._server_url + path)
        if op.query_params:
            params: list[tuple[str, str | int | float | bool | None]] = []
            for python, wire in op.query_params:
                value = args[python]
                if value is UNSET:
                    continue
                value = to_json(value, f"{name}({python})")
                check_argument(name, python, value, f"{name}({python})")
                params.extend(query_pairs(wire, value, styles.get(python)))
            prepared.params = params
        headers = dict(self._headers)
        key = self._api_key() if callable(self._api_key) else self._api_key
        if key:
            headers["Authorization"] = "Bearer " + key
        for python, wire in op.header_params:
            value = args[python]
            if value is UNSET or value is None:
                continue
            value = to_json(value, f"{name}({python})")
            check_argument(name, python, value, f"{name}({python})")
            headers[wire] = simple(value, styles.get(python))
        if op.cookie_params:
            cookies: list[tuple[str, str]] = []
            for python, wire in op.cookie_params:
                value = args[python]
                if value is UNSET or value is None:
                    continue
                value = to_json(value, f"{name}({python})")
                check_argument(name, python, value, f"{name}({python})")
                cookies.append((wire, simple(value, styles.get(python))))
            if cookies:
                headers["Cookie"] = cookie_header(cookies)
        kind = op.body_kind
        if kind == "json_fields":
            body: dict[str, Any] = {}
            for python, wire in op.body_fields:
                value = args[python]
                if value is UNSET:
                    continue
                label = f"{name}({python})"
                value = to_json(value, label)
                check_argument(name, python, value, label)
                body[wire] = value
            try:
                prepared.content = json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
            except ValueError:
                raise ValueError(_non_finite({f"{name}({py})": body.get(w) for py, w in op.body_fields})) from None
            headers["Content-Type"] = "application/json"
        elif kind == "json":
            value = args.get("body", UNSET)
            if value is not UNSET:
                value = to_json(value, f"{name}(body)")
                check_argument(name, "body", value, f"{name}(body)")
                try:
                    prepared.content = json.dumps(
                        value, ensure_ascii=False, separators=(",", ":"), allow_nan=False
                    ).encode()
                except ValueError:
                    raise ValueError(_non_finite({f"{name}(body)": value})) from None
                headers["Content-Type"] = "application/json"
        elif kind == "content":
            value = args.get("body", UNSET)
            if value is not UNSET:
                if isinstance(value, File):
                    value = value.payload
                if isinstance(value, str):
                    value = value.encode()
                if not isinstance(value, bytes | bytearray):
                    raise TypeError(f"{name}(body): expected bytes or a File, got {type(value).__name__}")
                prepared.content = bytes(value)
                headers["Content-Type"] = "application/octet-stream"
        elif kind in ("data", "files"):
            value = args.get("body", UNSET)
            if value is not UNSET:
                fields = value.to_dict() if hasattr(value, "to_dict") else value
                if not isinstance(fields, dict):
                    raise TypeError(f"{name}(body): expected a mapping of form fields, got {type(value).__name__}")
                if kind == "data":
                    prepared.data = {k: v if isinstance(v, str) else json.dumps(to_json(v)) for k, v in fields.items()}
                else:
                    files: list[tuple[str, Any]] = []
                    for k, v in fields.items():
                        if isinstance(v, File):
                            files.append((k, v.to_tuple()))
                        elif isinstance(v, bytes):
                            files.append((k, (None, v, "application/octet-stream")))
                        else:
                            text = v if isinstance(v, str) else json.dumps(to_json(v, f"{name}(body).{k}"))
                            files.append((k, (None, text.encode(), "text/plain")))
                    prepared.files = files
        prepared.stream = op.streams(args)
        headers["Accept"] = "text/event-stream" if prepared.stream else "application/json"
        prepared.headers = headers
        return prepared

    def _build(
        self, http: httpx.Client | httpx.AsyncClient, p: _Prepared, timeout: httpx.Timeout | None
    ) -> httpx.Request:
        return http.build_request(
            p.method,
            p.url,
            params=p.params,
            headers=p.headers,
            content=p.content,
            data=p.data,
            files=p.files,
            timeout=timeout if timeout is not None else httpx.USE_CLIENT_DEFAULT,
        )

    # ------------------------------------------------------------------ answers

    def _status_error(
        self, response: httpx.Response, text: str, op: Operation, code: int | None = None, data: Any = None
    ) -> APIStatusError:
        """The typed error for an error status, or for an error object (`code`) inside a 2xx body or a stream."""
        from ._generated.errors import STATUS_ERRORS  # noqa: PLC0415

        status = code if code is not None else response.status_code
        cls = STATUS_ERRORS.get(status, ModelGatesDefaultError)
        parsed = data
        if parsed is None:
            try:
                parsed = json.loads(text) if text else None
            except (ValueError, RecursionError):
                parsed = None
        detail = None
        if parsed.__class__ is dict:
            err = parsed.get("error")
            if err.__class__ is dict and isinstance(err.get("message"), str):
                detail = err["message"]
            elif isinstance(err, str):
                detail = err
        if detail is None:
            detail = _excerpt(text) or "(empty body)"
        reason = _reason(status)
        message = f"{op.name}: {status}{' ' + reason if reason else ''}: {detail}"
        model = None
        if parsed.__class__ is dict:
            try:
                # The operation's own description of this status (or its `default` response), else the class's.
                if op.parse_error is not None:
                    model = op.parse_error(status, parsed)
                if model is None:
                    model = cls._parse_data(parsed)
            except Exception:  # a lenient parser should not fail; if it does, the error still carries the raw body
                model = None
        return cls(message, status_code=status, body=text, headers=response.headers, raw_response=response, data=model)

    def _in_band_error(self, obj: dict[str, Any], response: httpx.Response, op: Operation) -> APIStatusError:
        err = obj["error"]
        code = err.get("code")
        if code.__class__ is str and code.isdigit():
            code = int(code)
        if code.__class__ is not int or not 400 <= code <= 599:
            code = 500 if code is None else None
        status = code if code is not None else 500
        return self._status_error(response, json.dumps(obj), op, code=status, data=obj)

    def _parse_success(self, op: Operation, response: httpx.Response) -> Any:
        status = response.status_code
        kind = op.response_kind(status)
        if kind == "binary":
            return response.content
        if kind == "text":
            return response.text
        content = response.content
        if kind == "empty" and not content.strip():
            return None
        try:
            data = json.loads(content)
        except (ValueError, RecursionError):  # RecursionError: nested too deeply to decode
            text = content.decode("utf-8", "replace")
            what = "an empty body" if not text.strip() else f"a body that is not JSON: {_excerpt(text)!r}"
            raise InvalidResponseError(
                f"{op.name}: {status} with {what}", status_code=status, body=text, raw_response=response
            ) from None
        if data.__class__ is dict and data.get("error").__class__ is dict:
            raise self._in_band_error(data, response, op)
        try:
            return op.parse(status, data)
        except Exception as exc:  # the generated parsers are lenient; this is a last line of defence
            raise InvalidResponseError(
                f"{op.name}: the response could not be parsed: {type(exc).__name__}: {exc}",
                status_code=status,
                body=content.decode("utf-8", "replace"),
                raw_response=response,
            ) from exc

    def _log_request(self, p: _Prepared, attempt: int) -> None:
        logger = self._logger
        if logger is not None and logger.isEnabledFor(logging.DEBUG):
            shown = {k: (_REDACTED if k.lower() == "authorization" else v) for k, v in p.headers.items()}
            logger.debug("request %s %s attempt=%d headers=%s", p.method, p.url, attempt + 1, shown)

    def _log_response(self, p: _Prepared, response: httpx.Response, started: float) -> None:
        logger = self._logger
        if logger is not None and logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "response %s %s status=%d elapsed_ms=%.1f",
                p.method,
                p.url,
                response.status_code,
                (time.monotonic() - started) * 1000,
            )

    def _log_retry(self, p: _Prepared, why: str, delay: float) -> None:
        logger = self._logger
        if logger is not None and logger.isEnabledFor(logging.DEBUG):
            logger.debug("retry %s %s after %s in %.3fs", p.method, p.url, why, delay)

    # ------------------------------------------------------------------ sync

    def _request(self, op: Operation, args: dict[str, Any], retries: RetryConfig | None, timeout_ms: int | None) -> Any:
        timeout = _timeout(timeout_ms, f"{op.name}(timeout_ms)")
        policy = _policy(retries, self._retry_config, op.name)
        p = self._prepare(op, args, timeout_ms)
        http = self._sync_client()
        state: RetryState | None = None
        while True:
            attempt = state.attempt if state is not None else 0
            self._log_request(p, attempt)
            started = time.monotonic()
            try:
                response = http.send(self._build(http, p, timeout), stream=p.stream)
            except httpx.TransportError as exc:
                state = state or RetryState(policy)
                delay = state.next_delay(status=None, connection_error=True, headers=None)
                if delay is None:
                    raise _no_response(op, exc) from exc
                self._log_retry(p, type(exc).__name__, delay)
                time.sleep(delay)
                continue
            except httpx.RequestError as exc:  # DecodingError, TooManyRedirects: another attempt would not help
                raise _no_response(op, exc) from exc
            self._log_response(p, response, started)
            status = response.status_code
            if 200 <= status < 300:
                if p.stream:
                    return Stream(response, op.chunk_parser(), op.sentinel, self._stream_error(op), op.name)  # type: ignore[misc]
                try:
                    return self._parse_success(op, response)
                except APIStatusError as exc:
                    error: APIStatusError = exc
            else:
                try:
                    text = response.read().decode("utf-8", "replace") if p.stream else response.text
                except httpx.TransportError as exc:
                    response.close()
                    state = state or RetryState(policy)
                    delay = state.next_delay(status=None, connection_error=True, headers=None)
                    if delay is None:
                        raise _no_response(op, exc) from exc
                    time.sleep(delay)
                    continue
                except httpx.RequestError as exc:
                    raise _no_response(op, exc) from exc
                finally:
                    response.close()
                error = self._status_error(response, text, op)
            state = state or RetryState(policy)
            delay = state.next_delay(status=error.status_code, connection_error=False, headers=response.headers)
            if delay is None:
                raise error
            self._log_retry(p, f"status {error.status_code}", delay)
            time.sleep(delay)

    def _stream_error(self, op: Operation) -> Callable[[dict[str, Any], httpx.Response], ModelGatesError]:
        return lambda obj, response: self._in_band_error(obj, response, op)

    # ------------------------------------------------------------------ async

    async def _arequest(
        self, op: Operation, args: dict[str, Any], retries: RetryConfig | None, timeout_ms: int | None
    ) -> Any:
        import asyncio  # noqa: PLC0415

        timeout = _timeout(timeout_ms, f"{op.name}(timeout_ms)")
        policy = _policy(retries, self._retry_config, op.name)
        p = self._prepare(op, args, timeout_ms)
        http = self._async_http()
        state: RetryState | None = None
        while True:
            attempt = state.attempt if state is not None else 0
            self._log_request(p, attempt)
            started = time.monotonic()
            try:
                response = await http.send(self._build(http, p, timeout), stream=p.stream)
            except httpx.TransportError as exc:
                state = state or RetryState(policy)
                delay = state.next_delay(status=None, connection_error=True, headers=None)
                if delay is None:
                    raise _no_response(op, exc) from exc
                self._log_retry(p, type(exc).__name__, delay)
                await asyncio.sleep(delay)
                continue
            except httpx.RequestError as exc:  # DecodingError, TooManyRedirects: another attempt would not help
                raise _no_response(op, exc) from exc
            self._log_response(p, response, started)
            status = response.status_code
            if 200 <= status < 300:
                if p.stream:
                    return AsyncStream(response, op.chunk_parser(), op.sentinel, self._stream_error(op), op.name)  # type: ignore[misc]
                try:
                    return self._parse_success(op, response)
                except APIStatusError as exc:
                    error: APIStatusError = exc
            else:
                try:
                    text = (await response.aread()).decode("utf-8", "replace") if p.stream else response.text
                except httpx.TransportError as exc:
                    await response.aclose()
                    state = state or RetryState(policy)
                    delay = state.next_delay(status=None, connection_error=True, headers=None)
                    if delay is None:
                        raise _no_response(op, exc) from exc
                    await asyncio.sleep(delay)
                    continue
                except httpx.RequestError as exc:
                    raise _no_response(op, exc) from exc
                finally:
                    await response.aclose()
                error = self._status_error(response, text, op)
            state = state or RetryState(policy)
            delay = state.next_delay(status=error.status_code, connection_error=False, headers=response.headers)
            if delay is None:
                raise error
            self._log_retry(p, f"status {error.status_code}", delay)
            await asyncio.sleep(delay)


def _timeout(timeout_ms: int | None, label: str) -> httpx.Timeout | None:
    if timeout_ms is None:
        return None
    if isinstance(timeout_ms, bool) or not isinstance(timeout_ms, int | float) or timeout_ms <= 0:
        raise ValueError(f"{label} must be a positive number of milliseconds, got {timeout_ms!r}")
    return httpx.Timeout(timeout_ms / 1000.0)


def _policy(retries: RetryConfig | None, default: RetryConfig, name: str) -> RetryConfig:
    if retries is None:
        return default
    if not isinstance(retries, RetryConfig):
        raise TypeError(f"{name}(retries): expected a RetryConfig, got {type(retries).__name__}")
    return retries


def _no_response(op: Operation, exc: httpx.RequestError) -> NoResponseError:
    if isinstance(exc, httpx.TimeoutException):
        return NoResponseError(f"{op.name}: no answer within the timeout ({type(exc).__name__})")
    return NoResponseError(f"{op.name}: the request failed: {type(exc).__name__}: {exc}")


def _non_finite(values: dict[str, Any]) -> str:
    """The message for a NaN or infinity found in `values` (label -> JSON data), naming where it is."""
    todo = list(values.items())
    while todo:
        path, value = todo.pop(0)
        if value.__class__ is float and not math.isfinite(value):
            return f"{path}: {value!r} is not a JSON number (NaN and infinities cannot be sent)"
        if value.__class__ is dict:
            todo[:0] = [(f"{path}.{k}", v) for k, v in value.items()]
        elif value.__class__ is list:
            todo[:0] = [(f"{path}[{i}]", v) for i, v in enumerate(value)]
    return "NaN and infinities cannot be sent as JSON"


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _EXCERPT else text[: _EXCERPT - 3] + "..."


def _reason(status: int) -> str:
    try:
        import http  # noqa: PLC0415

        return http.HTTPStatus(status).phrase
    except ValueError:
        return {524: "Edge Network Timeout", 529: "Provider Overloaded"}.get(status, "")
