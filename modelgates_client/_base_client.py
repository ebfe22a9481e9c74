"""The request core: one path from an operation and its arguments to a typed result or a typed error.

Generated endpoint functions call `_request` / `_arequest` with their Operation and the caller's arguments.
Both share every step but the I/O: check and build the request, send it with retries, map errors, parse.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
import platform
import threading
import time
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import httpx

from ._binary import AsyncBinaryResponse, BinaryResponse
from ._exceptions import APIStatusError, InvalidResponseError, ModelGatesDefaultError, ModelGatesError, NoResponseError
from ._json import to_json
from ._options import (
    APP_HEADERS,
    CallOptions,
    check_header_value,
    check_max_retries,
    check_options,
    check_server_url,
    check_timeout_ms,
)
from ._pagination import AsyncPage, Page
from ._params import cookie_header, path_segment, query_pairs, simple
from ._response import APIResponse
from ._streaming import AsyncStream, Stream
from ._types import UNSET, File
from ._uploads import file_part
from ._validation import check_argument
from ._version import __version__
from .utils.retries import DEFAULT_RETRY_CONFIG, RetryConfig, RetryState

if TYPE_CHECKING:
    from ._operation import Operation

__all__ = ["BaseClient"]

DEFAULT_TIMEOUT = httpx.Timeout(600.0, connect=10.0)
#: The package logger: each retry is logged here at INFO (method, URL, why, wait; never a header).
LOGGER = logging.getLogger("modelgates_client")
_USER_AGENT = f"modelgates-client/{__version__} python/{platform.python_version()} httpx/{httpx.__version__}"
_EXCERPT = 200
_REDACTED = "<redacted>"


class _ApiKey:
    """The API key, or the callable returning it, held so that no repr, vars(client), pickle or log shows it."""

    __slots__ = ("_value", "_header")

    def __init__(self, value: str | Callable[[], str]) -> None:
        self._value = value
        self._header = "Bearer " + value if isinstance(value, str) and value else None

    def header(self) -> str | None:
        """The Authorization header's value, or None without a key (a callable is called each time)."""
        value = self._value
        if value.__class__ is str:
            return self._header
        if not callable(value):
            return None
        key = value()
        if not isinstance(key, str):
            raise TypeError(f"api_key: the callable must return a string, got {type(key).__name__}")
        return "Bearer " + key if key else None

    def __repr__(self) -> str:
        return _REDACTED

    def __reduce__(self) -> Any:
        raise TypeError("the API key cannot be pickled")


class _Prepared:
    """One call: the request ready to send (the arguments checked and converted once, whatever the number of
    attempts), its retry policy, timeout and deadline, and its retry state once an attempt has failed."""

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
        "timeout",
        "timeout_s",
        "started",
        "deadline",
        "state",
        "page",
        "opened",
    )

    def __init__(self, op: Operation, url: str, policy: RetryConfig, started: float) -> None:
        self.op = op
        self.method = op.method
        self.url = url
        self.params: list[tuple[str, str | int | float | bool | None]] | None = None
        self.headers: dict[str, str] = {}
        self.content: bytes | None = None
        self.data: dict[str, Any] | None = None
        self.files: list[tuple[str, Any]] | None = None
        self.stream = False  # the answer is an event stream
        self.lazy = False  # the body is not read on arrival: an event stream, or a binary body
        self.policy = policy
        self.max_retries: int | None = None
        self.timeout: httpx.Timeout | None = None  # None: the httpx client's own
        self.timeout_s: float | None = None
        self.started = started
        self.deadline: float | None = None
        self.state: RetryState | None = None
        self.page: tuple[dict[str, Any], CallOptions, type[Page[Any, Any]] | type[AsyncPage[Any, Any]]] | None = None
        self.opened: list[Any] | None = None  # files the client opened for an upload, closed after the call

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
        max_retries: int | None = None,
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
        self._api_key = _ApiKey(api_key)
        if server_url is None:
            server_url = os.environ.get("MODELGATES_BASE_URL") or default_server_url
        self._server_url = check_server_url(server_url, "server_url")
        headers = {"User-Agent": _USER_AGENT}
        app = (http_referer, x_open_router_title, x_open_router_categories)
        for (name, header), value in zip(APP_HEADERS, app, strict=True):
            if value is not None:
                headers[header] = check_header_value(value, name)
        self._headers = headers
        if retry_config is not None and not isinstance(retry_config, RetryConfig):
            raise TypeError(f"retry_config must be a RetryConfig, got {type(retry_config).__name__}")
        policy = retry_config or DEFAULT_RETRY_CONFIG
        if max_retries is not None:
            policy = dataclasses.replace(policy, max_retries=check_max_retries(max_retries, "max_retries"))
        self._retry_config = policy
        # timeout_ms is sent with each request (so that it applies to a supplied httpx client too).
        self._timeout_s = None if timeout_ms is None else check_timeout_ms(timeout_ms, "timeout_ms") / 1000.0
        self._call_timeout = None if self._timeout_s is None else httpx.Timeout(self._timeout_s)
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
                    client = self._client = httpx.Client(
                        timeout=DEFAULT_TIMEOUT, follow_redirects=True, verify=_ssl_context()
                    )
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
                    client = self._async_client = httpx.AsyncClient(
                        timeout=DEFAULT_TIMEOUT, follow_redirects=True, verify=_ssl_context()
                    )
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

    def __getstate__(self) -> Any:
        raise TypeError(
            f"{type(self).__name__} clients cannot be pickled (they hold connections and the API key); make one per"
            " process"
        )

    # ------------------------------------------------------------------ building

    def _prepare(self, op: Operation, args: dict[str, Any], options: CallOptions) -> _Prepared:
        name = op.name
        base = self._server_url
        policy = self._retry_config
        timeout_s = self._timeout_s
        timeout = self._call_timeout
        max_retries = None
        if options:
            check_options(op, options)
            base = options.get("server_url", base).rstrip("/")
            policy = options.get("retries") or policy
            max_retries = options.get("max_retries")
            timeout_ms = options.get("timeout_ms")
            if timeout_ms is not None:
                timeout_s = timeout_ms / 1000.0
                timeout = httpx.Timeout(timeout_s)
        path = op.path
        styles = op.param_styles
        for python, wire in op.path_params:
            value = to_json(args[python], f"{name}({python})")
            check_argument(name, python, value, f"{name}({python})")
            path = path.replace("{" + wire + "}", path_segment(value, styles.get(python)))
        prepared = _Prepared(op, base + path, policy, time.monotonic())
        if timeout_s is not None:
            prepared.timeout = timeout
            prepared.timeout_s = timeout_s
            prepared.deadline = prepared.started + timeout_s
        prepared.max_retries = max_retries
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
        if options and "extra_query" in options:
            prepared.params = _extra_query(prepared.params or [], options["extra_query"], name)
        headers = dict(self._headers)
        auth = self._api_key.header()
        if auth is not None:
            headers["Authorization"] = auth
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
        extra = options.get("extra_body") if options else None
        kind = op.body_kind
        fields = op.body_fields
        if op.bodies is not None:
            kind, fields = op.body_of(args)
        if kind == "multipart_fields":
            self._form(prepared, op, fields, args, extra)
        elif kind == "json_fields":
            body: dict[str, Any] = {}
            for python, wire in op.body_fields:
                value = args[python]
                if value is UNSET:
                    continue
                label = f"{name}({python})"
                value = to_json(value, label)
                check_argument(name, python, value, label)
                body[wire] = value
            if extra is not None:
                body.update(to_json(dict(extra), f"{name}(extra_body)"))
            prepared.content = _encode(
                body, lambda: {f"{name}({py})": body.get(w) for py, w in op.body_fields}, extra, name
            )
            headers["Content-Type"] = "application/json"
        elif kind == "json":
            value = args.get("body", UNSET)
            if value is not UNSET:
                value = to_json(value, f"{name}(body)")
                check_argument(name, "body", value, f"{name}(body)")
            if extra is not None:
                if value is UNSET:
                    value = {}
                if value.__class__ is not dict:
                    raise TypeError(f"{name}(extra_body): the body of this call is not a JSON object")
                value = {**value, **to_json(dict(extra), f"{name}(extra_body)")}
            if value is not UNSET:
                prepared.content = _encode(value, lambda: {f"{name}(body)": value}, extra, name)
                headers["Content-Type"] = "application/json"
        elif extra is not None:
            raise TypeError(f"{name}(extra_body): {name}() sends no JSON body")
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
                        if isinstance(v, File | bytes | os.PathLike):
                            files.append((k, self._file(prepared, v, f"{name}(body).{k}", k)))
                        else:
                            text = v if isinstance(v, str) else json.dumps(to_json(v, f"{name}(body).{k}"))
                            files.append((k, (None, text.encode(), "text/plain")))
                    prepared.files = files
        prepared.stream = op.streams(args)
        prepared.lazy = prepared.stream or op.binary
        headers["Accept"] = "text/event-stream" if prepared.stream else op.accept
        if options:
            given: Mapping[str, Any] = options
            for option, header in APP_HEADERS:
                if option in given:
                    _set_header(headers, header, given[option])
            for header, value in given.get("http_headers", {}).items():
                _set_header(headers, header, value)
        prepared.headers = headers
        return prepared

    def _form(
        self,
        p: _Prepared,
        op: Operation,
        fields: tuple[tuple[str, str], ...],
        args: dict[str, Any],
        extra: Mapping[str, Any] | None,
    ) -> None:
        """A multipart form from the call's arguments: files as file parts (streamed), other values as text."""
        name = op.name
        data: dict[str, Any] = {}
        files: list[tuple[str, Any]] = []
        try:
            for python, wire in fields:
                value = args.get(python, UNSET)
                if value is UNSET:
                    continue
                label = f"{name}({python})"
                if python in op.file_fields:
                    for item in value if isinstance(value, list | tuple) else (value,):
                        files.append((wire, self._file(p, item, label, wire)))
                    continue
                value = to_json(value, label)
                check_argument(name, python, value, label)
                data[wire] = _form_value(value)
            if extra is not None:
                for key, value in to_json(dict(extra), f"{name}(extra_body)").items():
                    data[key] = _form_value(value)
        except BaseException:
            p.close_files()
            raise
        p.data = data
        p.files = files

    def _file(self, p: _Prepared, value: Any, label: str, field_name: str) -> tuple[str, Any, str]:
        """A file part; files the client opens are closed after the call, and a file that cannot be sent again
        (a pipe) turns retries off for the call."""
        part = file_part(value, label, field_name)
        if part.opened:
            p.opened = [*(p.opened or ()), part.content]
        if not part.rewindable:
            p.max_retries = 0
        return part.to_httpx()

    def _build(self, http: httpx.Client | httpx.AsyncClient, p: _Prepared) -> httpx.Request:
        timeout = p.timeout
        if p.state is not None and p.deadline is not None:  # a retry: each wait is bounded by the time left
            timeout = httpx.Timeout(max(p.deadline - time.monotonic(), 0.001))
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

    def _decode(self, op: Operation, response: httpx.Response) -> Any:
        """The body of a success response as the operation reads it: JSON data, bytes, text, or None for an empty
        answer. An error object in the JSON raises its APIStatusError; a body that is not JSON, an
        InvalidResponseError."""
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
        if data.__class__ is dict and data.get("error").__class__ is dict and op.is_error_in_place(data):
            raise self._in_band_error(data, response, op)
        return data

    def _model(self, op: Operation, response: httpx.Response, data: Any) -> Any:
        """Decoded JSON `data` parsed into the operation's result type (other bodies are returned as they are)."""
        status = response.status_code
        if data is None or op.response_kind(status) in ("binary", "text"):
            return data
        try:
            return op.parse(status, data)
        except Exception as exc:  # the generated parsers are lenient; this is a last line of defence
            raise InvalidResponseError(
                f"{op.name}: the response could not be parsed: {type(exc).__name__}: {exc}",
                status_code=status,
                body=response.content.decode("utf-8", "replace"),
                raw_response=response,
            ) from exc

    def _answer(self, p: _Prepared, response: httpx.Response, raw: bool) -> Any:
        """The result of a response whose body has been read (with `raw`, an APIResponse that parses it on demand);
        raises the APIStatusError of an error status or of an error object inside a 2xx body."""
        if 200 <= response.status_code < 300:
            op = p.op
            try:
                data = self._decode(op, response)
                if p.stream:  # a JSON answer without an error object to a request for an event stream
                    raise InvalidResponseError(
                        f"{op.name}: asked for an event stream, got {response.status_code} with"
                        f" {response.headers.get('content-type')}: {_excerpt(response.text)!r}",
                        status_code=response.status_code,
                        body=response.text,
                        raw_response=response,
                    )
                if raw:
                    return self._raw(p, response, lambda: self._result(p, response, data))
                return self._result(p, response, data)
            except InvalidResponseError as exc:
                self._give_up(p, exc)
                raise
        raise self._status_error(response, response.text, p.op)

    def _result(self, p: _Prepared, response: httpx.Response, data: Any) -> Any:
        """The typed result of a success answer: its model, or for a paged list operation a page holding it."""
        result = self._model(p.op, response, data)
        if p.page is not None:
            args, options, page = p.page
            return page(self, p.op, args, options, result)
        return result

    def _raw(self, p: _Prepared, response: httpx.Response, parse: Callable[[], Any]) -> APIResponse[Any]:
        retries = p.state.attempt if p.state is not None else 0
        elapsed = timedelta(seconds=time.monotonic() - p.started)
        return APIResponse(response, parse, retries_taken=retries, elapsed=elapsed)

    def _stream(
        self, p: _Prepared, response: httpx.Response, cls: type[Stream[Any]] | type[AsyncStream[Any]], raw: bool
    ) -> Any:
        op = p.op
        assert op.chunk_parser is not None
        if p.state is not None and p.deadline is not None:
            # A retried stream was sent with the time left of the call as its timeout; between events, the wait is
            # bounded by the whole timeout again (httpx reads the timeouts of a body from the request's extensions
            # when the body is first read).
            timeouts = response.request.extensions.get("timeout")
            if isinstance(timeouts, dict):
                timeouts["read"] = p.timeout_s
        stream = cls(response, op.chunk_parser(), op.sentinel, self._stream_error(op), op.name)
        return self._raw(p, response, lambda: stream) if raw else stream

    def _lazy_answer(self, p: _Prepared, response: httpx.Response, raw: bool, asynchronous: bool) -> Any:
        """The result of a 2xx answer whose body is read later (an event stream, a binary body), or None when the
        body is to be read now and handled as usual (JSON, or an error object instead of the stream asked for)."""
        if not 200 <= response.status_code < 300:
            return None
        if p.stream:
            if _is_json(response):
                return None
            return self._stream(p, response, AsyncStream if asynchronous else Stream, raw)
        if p.op.response_kind(response.status_code) != "binary":
            return None
        binary = (AsyncBinaryResponse if asynchronous else BinaryResponse)(response, p.op.name)
        return self._raw(p, response, lambda: binary) if raw else binary

    def _stream_error(self, op: Operation) -> Callable[[dict[str, Any], httpx.Response], ModelGatesError]:
        return lambda obj, response: self._in_band_error(obj, response, op)

    # ------------------------------------------------------------------ retries

    def _after_transport_error(self, p: _Prepared, exc: httpx.RequestError) -> float:
        """Seconds to wait before the next attempt after `exc`; raises the final NoResponseError instead when the
        call is over. DecodingError, TooManyRedirects and such are final: another attempt would not help."""
        if isinstance(exc, httpx.TransportError):
            delay = p.retry_state().next_delay(status=None, connection_error=True, headers=None)
            if delay is not None:
                self._log_retry(p, type(exc).__name__, delay)
                return delay
        raise self._give_up(p, _no_response(p.op, exc)) from exc

    def _after_status_error(self, p: _Prepared, error: APIStatusError, response: httpx.Response) -> float:
        """Seconds to wait before the next attempt after an error answer; raises `error` when the call is over."""
        delay = p.retry_state().next_delay(status=error.status_code, connection_error=False, headers=response.headers)
        if delay is None:
            raise self._give_up(p, error)
        reason = _reason(error.status_code)
        self._log_retry(p, f"{error.status_code} {reason}" if reason else str(error.status_code), delay)
        return delay

    def _give_up(self, p: _Prepared, error: ModelGatesError) -> ModelGatesError:
        """`error`, the final error of the call, told where the call went, how many attempts it made in how long,
        and why a retryable failure was not retried."""
        state = p.state
        attempts = state.attempt + 1 if state is not None else 1
        elapsed = time.monotonic() - p.started
        error.url = p.url
        error.attempts = attempts
        error.elapsed = timedelta(seconds=elapsed)
        where = f"{p.method} {p.url}; {attempts} attempt{'s' if attempts > 1 else ''} in {elapsed:.2f} s"
        if state is not None and state.stopped:
            where += "; " + state.stopped
        error.message = f"{error.message} ({where})"
        error.args = (error.message,)
        return error

    # ------------------------------------------------------------------ logging

    def _log_request(self, p: _Prepared) -> None:
        logger = self._logger
        if logger is not None and logger.isEnabledFor(logging.DEBUG):
            attempt = p.state.attempt if p.state is not None else 0
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
        if LOGGER.isEnabledFor(logging.INFO):
            retry = p.state.attempt if p.state is not None else 0
            LOGGER.info("%s: %s; retry %d in %.2f s (%s %s)", p.op.name, why, retry, delay, p.method, p.url)
        logger = self._logger
        if logger is not None and logger.isEnabledFor(logging.DEBUG):
            logger.debug("retry %s %s after %s in %.3fs", p.method, p.url, why, delay)

    # ------------------------------------------------------------------ sync and async: the same steps, their own I/O

    def _request(self, op: Operation, args: dict[str, Any], options: CallOptions, raw: bool = False) -> Any:
        """Make the call `op(**args, **options)`: its result, or with `raw` an APIResponse; raises a typed error."""
        p = self._prepare(op, args, options)
        if op.paging is not None:
            p.page = (args, options, Page)
        if p.opened is None:
            return self._send(p, raw)
        try:
            return self._send(p, raw)
        finally:
            p.close_files()

    def _send(self, p: _Prepared, raw: bool) -> Any:
        """Send a prepared call, with retries, until it has its result or its error."""
        http = self._sync_client()
        while True:
            self._log_request(p)
            started = time.monotonic() if self._logger is not None else 0.0
            try:
                response = http.send(self._build(http, p), stream=p.lazy)
            except httpx.RequestError as exc:
                time.sleep(self._after_transport_error(p, exc))
                continue
            self._log_response(p, response, started)
            if p.lazy:
                result = self._lazy_answer(p, response, raw, asynchronous=False)
                if result is not None:
                    return result
                try:
                    response.read()
                except httpx.RequestError as exc:
                    response.close()
                    time.sleep(self._after_transport_error(p, exc))
                    continue
            try:
                return self._answer(p, response, raw)
            except APIStatusError as error:
                delay = self._after_status_error(p, error, response)
            time.sleep(delay)

    async def _arequest(self, op: Operation, args: dict[str, Any], options: CallOptions, raw: bool = False) -> Any:
        """The async twin of _request."""
        p = self._prepare(op, args, options)
        if op.paging is not None:
            p.page = (args, options, AsyncPage)
        if p.opened is None:
            return await self._asend(p, raw)
        try:
            return await self._asend(p, raw)
        finally:
            p.close_files()

    async def _asend(self, p: _Prepared, raw: bool) -> Any:
        """The async twin of _send."""
        import asyncio  # noqa: PLC0415

        http = self._async_http()
        while True:
            self._log_request(p)
            started = time.monotonic() if self._logger is not None else 0.0
            try:
                response = await http.send(self._build(http, p), stream=p.lazy)
            except httpx.RequestError as exc:
                await asyncio.sleep(self._after_transport_error(p, exc))
                continue
            self._log_response(p, response, started)
            if p.lazy:
                result = self._lazy_answer(p, response, raw, asynchronous=True)
                if result is not None:
                    return result
                try:
                    await response.aread()
                except httpx.RequestError as exc:
                    await response.aclose()
                    await asyncio.sleep(self._after_transport_error(p, exc))
                    continue
            try:
                return self._answer(p, response, raw)
            except APIStatusError as error:
                delay = self._after_status_error(p, error, response)
            await asyncio.sleep(delay)


_SSL_LOCK = threading.Lock()
_SSL_CONTEXT: Any = None


def _ssl_context() -> Any:
    """The SSL context of every httpx client the SDK creates, made once per process: loading the CA bundle costs
    ~20 ms, which each new client (and each event loop's async client) would pay again. Built as httpx builds its
    default one (certifi, or SSL_CERT_FILE / SSL_CERT_DIR); `True` (httpx's own default) where httpx cannot."""
    global _SSL_CONTEXT
    if _SSL_CONTEXT is None:
        create = getattr(httpx, "create_ssl_context", None)
        if create is None:  # httpx < 0.28
            return True
        with _SSL_LOCK:
            if _SSL_CONTEXT is None:
                _SSL_CONTEXT = create()
    return _SSL_CONTEXT


def _is_json(response: httpx.Response) -> bool:
    """Whether the response says its body is JSON (`application/json`, `application/problem+json`, ...)."""
    kind: str = response.headers.get("content-type", "").partition(";")[0].strip().lower()
    return kind == "application/json" or kind.endswith("+json")


def _no_response(op: Operation, exc: httpx.RequestError) -> NoResponseError:
    if isinstance(exc, httpx.TimeoutException):
        return NoResponseError(f"{op.name}: no answer within the timeout ({type(exc).__name__})")
    return NoResponseError(f"{op.name}: the request failed: {type(exc).__name__}: {exc}")


def _encode(body: Any, labels: Callable[[], dict[str, Any]], extra: Mapping[str, Any] | None, name: str) -> bytes:
    """`body` as compact JSON bytes; a NaN or an infinity raises ValueError naming where it is (`labels()`: label ->
    the JSON data of each argument)."""
    try:
        return json.dumps(body, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
    except ValueError:
        found = labels()
        if extra is not None:
            found[f"{name}(extra_body)"] = dict(extra)
        raise ValueError(_non_finite(found)) from None


def _form_value(value: Any) -> str | list[str]:
    """A JSON value as multipart text: strings as they are, true/false, numbers; a list of scalars as repeated
    fields; objects (and lists holding them) as JSON text."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, list) and all(not isinstance(v, dict | list) for v in value):
        return [_form_value(v) for v in value]  # type: ignore[misc]
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    return str(value)


def _extra_query(
    params: list[tuple[str, str | int | float | bool | None]], extra: Mapping[str, Any], name: str
) -> list[tuple[str, str | int | float | bool | None]]:
    """`params` with the `extra_query` option merged in: each of its keys replaces the parameter of that name."""
    params = [p for p in params if p[0] not in extra]
    for key, value in extra.items():
        value = to_json(value, f"{name}(extra_query).{key}")
        if value.__class__ is dict or (value.__class__ is list and any(v.__class__ in (dict, list) for v in value)):
            raise TypeError(f"{name}(extra_query).{key}: a query parameter is a value or a list of values")
        params.extend(query_pairs(key, value))
    return params


def _set_header(headers: dict[str, str], name: str, value: str) -> None:
    """Set a header, replacing any header of the same name whatever its case."""
    lower = name.lower()
    for existing in [k for k in headers if k.lower() == lower]:
        del headers[existing]
    headers[name] = value


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
