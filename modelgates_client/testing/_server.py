"""ModelGatesServer: a local, deterministic stand-in for the ModelGates API (standard library only).

Endpoints (under `base_path`, default `/api/v1`):

    POST /chat/completions       a ChatResult, or with `"stream": true` a `text/event-stream` of ChatStreamChunk
    GET  /generation?id=...      GenerationResponse of a generation this server served (404 otherwise)
    GET  /generation/content?id= GenerationContentResponse: the stored messages and completion

Control endpoints (outside `base_path`, no API key needed), for tests that run the server in another process:

    POST /_test/inject           body: the keyword arguments of ModelGatesServer.inject, as JSON
    GET  /_test/requests         the recorded requests, as JSON
    POST /_test/reset            forget requests, generations and pending injections
"""

from __future__ import annotations

import datetime as _dt
import http
import json
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import parse_qs, urlsplit

from ._answers import DEFAULT_MODEL, Answer, compute_answer

if TYPE_CHECKING:
    from types import TracebackType

    from .._client import ModelGates

__all__ = [
    "INJECT_HEADER",
    "PROCESSING_COMMENT",
    "GenerationRecord",
    "Injection",
    "ModelGatesServer",
    "RecordedRequest",
    "error_body",
    "validate_chat_request",
]

#: The comment line the real API sends while a request is being processed; clients must ignore it.
PROCESSING_COMMENT = b": MODELGATES PROCESSING\n\n"
INJECT_HEADER = "X-Test-Inject"

_ROLES = ("system", "user", "assistant", "tool", "developer")
_CONTENT_REQUIRED = ("system", "user", "developer", "tool")
_INJECT_KEYS = frozenset(
    (
        "status",
        "body",
        "headers",
        "error_in_200",
        "mid_stream_error",
        "after",
        "delay",
        "chunk_delay",
        "disconnect",
        "times",
        "path",
    )
)


@dataclass(frozen=True)
class RecordedRequest:
    """One request the server received (control requests under `/_test/` are not recorded).

    `path` is the full URL path without the query string (e.g. `/api/v1/chat/completions`), `query` the query
    parameters (the first value of each), `headers` the headers as sent, `json` the parsed JSON body (None when
    the body is empty or not JSON).
    """

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    json: Any
    time: float

    def header(self, name: str) -> str | None:
        """A header's value, whatever the case of its name."""
        lower = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lower), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "headers": self.headers,
            "json": self.json,
        }


@dataclass
class Injection:
    """A failure to inject into the next requests; see ModelGatesServer.inject."""

    status: int | None = None
    body: Any = None
    headers: dict[str, str] | None = None
    error_in_200: dict[str, Any] | None = None
    mid_stream_error: dict[str, Any] | None = None
    after: int = 0
    delay: float = 0.0
    chunk_delay: float = 0.0
    disconnect: bool = False
    times: int = 1
    path: str | None = None

    def __post_init__(self) -> None:
        if self.status is not None and (
            isinstance(self.status, bool) or not isinstance(self.status, int) or not 100 <= self.status <= 599
        ):
            raise ValueError(f"status must be an HTTP status code (100-599), got {self.status!r}")
        if self.headers is not None and not (
            isinstance(self.headers, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in self.headers.items())
        ):
            raise TypeError("headers must be a dict of strings")
        for name in ("error_in_200", "mid_stream_error"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, dict):
                raise TypeError(f"{name} must be an error object such as {{'code': 502, 'message': '...'}}")
        for name in ("after", "times"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < (1 if name == "times" else 0):
                raise ValueError(f"{name} must be an integer >= {1 if name == 'times' else 0}, got {value!r}")
        for name in ("delay", "chunk_delay"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                raise ValueError(f"{name} must be a number of seconds >= 0, got {value!r}")
        if not isinstance(self.disconnect, bool):
            raise TypeError("disconnect must be a bool")
        if self.path is not None and not isinstance(self.path, str):
            raise TypeError("path must be a string such as '/chat/completions'")

    @classmethod
    def from_json(cls, data: Any) -> Injection:
        """Build from a JSON object with the keyword arguments of ModelGatesServer.inject."""
        if not isinstance(data, dict):
            raise TypeError("an injection must be a JSON object")
        unknown = set(data) - _INJECT_KEYS
        if unknown:
            raise TypeError(f"unknown injection keys: {', '.join(sorted(unknown))}")
        return cls(**data)

    def matches(self, path: str) -> bool:
        return self.path is None or self.path.rstrip("/") == path.rstrip("/")


@dataclass
class GenerationRecord:
    """What the server remembers of a chat completion it served (for GET /generation and /generation/content)."""

    id: str
    model: str
    created: int
    streamed: bool
    prompt_tokens: int
    completion_tokens: int
    cost: float
    finish_reason: str
    messages: list[Any]
    completion: str | None
    latency_ms: float
    user_agent: str | None = None
    http_referer: str | None = None
    external_user: str | None = None
    session_id: str | None = None
    error: dict[str, Any] | None = None
    tool_calls: list[dict[str, Any]] = field(default_factory=list)

    def generation(self) -> dict[str, Any]:
        """The `data` object of GenerationResponse."""
        created_at = _dt.datetime.fromtimestamp(self.created, _dt.UTC).isoformat().replace("+00:00", "Z")
        return {
            "id": self.id,
            "upstream_id": f"upstream-{self.id}",
            "total_cost": self.cost,
            "cache_discount": None,
            "upstream_inference_cost": None,
            "created_at": created_at,
            "model": self.model,
            "app_id": None,
            "streamed": self.streamed,
            "cancelled": False,
            "provider_name": "ModelGates Test Server",
            "latency": round(self.latency_ms, 3),
            "moderation_latency": None,
            "generation_time": round(self.latency_ms, 3),
            "finish_reason": self.finish_reason,
            "native_finish_reason": self.finish_reason,
            "service_tier": None,
            "tokens_prompt": self.prompt_tokens,
            "tokens_completion": self.completion_tokens,
            "native_tokens_prompt": self.prompt_tokens,
            "native_tokens_completion": self.completion_tokens,
            "native_tokens_completion_images": 0,
            "native_tokens_reasoning": 0,
            "native_tokens_cached": 0,
            "num_media_prompt": None,
            "num_input_audio_prompt": None,
            "num_media_completion": None,
            "num_search_results": None,
            "num_fetches": None,
            "web_search_engine": None,
            "origin": "",
            "usage": self.cost,
            "is_byok": False,
            "external_user": self.external_user,
            "api_type": "completions",
            "preset_id": None,
            "router": None,
            "provider_responses": None,
            "user_agent": self.user_agent,
            "http_referer": self.http_referer,
            "data_region": "global",
            "workspace_id": None,
            "request_id": f"req-{self.id}",
            "response_cache_source_id": None,
            "session_id": self.session_id,
        }

    def content(self) -> dict[str, Any]:
        """The `data` object of GenerationContentResponse."""
        error: dict[str, Any] | None = None
        if self.error is not None:
            code = self.error.get("code")
            error = {
                "status": code if isinstance(code, int) else None,
                "message": self.error.get("message"),
                "provider_name": None,
                "raw": None,
                "previous_errors": [],
            }
        return {
            "input": {"messages": self.messages},
            "output": {"completion": self.completion, "reasoning": None},
            "error": error,
        }


def validate_chat_request(body: Any) -> str | None:
    """Why a chat completion request body is invalid (the spec's required fields and basic types), or None."""
    if not isinstance(body, dict):
        return "Request body must be a JSON object"
    messages = body.get("messages")
    if "messages" not in body:
        return "messages: Required"
    if not isinstance(messages, list):
        return "messages: Expected array, received " + _json_type(messages)
    if not messages:
        return "messages: Array must contain at least 1 element(s)"
    for i, message in enumerate(messages):
        if not isinstance(message, dict):
            return f"messages[{i}]: Expected object, received {_json_type(message)}"
        role = message.get("role")
        if not isinstance(role, str):
            return f"messages[{i}].role: Required" if role is None else f"messages[{i}].role: Expected string"
        if role not in _ROLES:
            return f"messages[{i}].role: Invalid discriminator value. Expected {' | '.join(repr(r) for r in _ROLES)}"
        content = message.get("content")
        if role in _CONTENT_REQUIRED and "content" not in message:
            return f"messages[{i}].content: Required"
        if content is not None and not isinstance(content, str | list):
            return f"messages[{i}].content: Expected string or array, received {_json_type(content)}"
        if content is None and role != "assistant" and "content" in message:
            return f"messages[{i}].content: Expected string or array, received null"
        if role == "tool" and not isinstance(message.get("tool_call_id"), str):
            return f"messages[{i}].tool_call_id: Required"
    checks: tuple[tuple[str, type | tuple[type, ...], str], ...] = (
        ("model", str, "string"),
        ("models", list, "array"),
        ("stream", bool, "boolean"),
        ("tools", list, "array"),
        ("response_format", dict, "object"),
        ("stream_options", (dict, type(None)), "object"),
        ("tool_choice", (str, dict), "string or object"),
        ("max_tokens", (int, type(None)), "integer"),
        ("max_completion_tokens", (int, type(None)), "integer"),
        ("temperature", (int, float, type(None)), "number"),
    )
    for name, kinds, label in checks:
        if name in body:
            value = body[name]
            if not isinstance(value, kinds) or (isinstance(value, bool) and kinds is not bool):
                return f"{name}: Expected {label}, received {_json_type(value)}"
    for i, tool in enumerate(body.get("tools") or []):
        if not isinstance(tool, dict) or not isinstance(tool.get("type"), str):
            return f"tools[{i}]: Expected an object with a string `type`"
        if tool["type"] == "function":
            function = tool.get("function")
            if not isinstance(function, dict) or not isinstance(function.get("name"), str):
                return f"tools[{i}].function.name: Required"
    fmt = body.get("response_format")
    if isinstance(fmt, dict):
        if not isinstance(fmt.get("type"), str):
            return "response_format.type: Required"
        if fmt["type"] == "json_schema":
            config = fmt.get("json_schema")
            if not isinstance(config, dict) or not isinstance(config.get("name"), str):
                return "response_format.json_schema.name: Required"
    return None


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return {524: "Edge Network Timeout", 529: "Provider Overloaded"}.get(status, "Error")


def error_body(status: int, message: str | None = None) -> dict[str, Any]:
    """An error body as the API sends it: `{"error": {"code": ..., "message": ...}}`."""
    return {"error": {"code": status, "message": message or _phrase(status)}}


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: ModelGatesServer

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can take seconds without working DNS.
        socketserver.TCPServer.server_bind(self)
        host, port = self.server_address[:2]
        self.server_name = str(host)
        self.server_port = int(port)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client closing a keep-alive connection (or one we dropped on purpose) is not worth a traceback.
        exc = sys.exc_info()[1]
        if isinstance(exc, ConnectionError | TimeoutError) or (isinstance(exc, OSError) and not self.owner.verbose):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ModelGatesTestServer/1.0"

    @property
    def owner(self) -> ModelGatesServer:
        server = self.server
        assert isinstance(server, _HTTPServer)
        return server.owner

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in separate writes: without TCP_NODELAY, Nagle's algorithm holds the body back
        # until the client's delayed ACK (~40 ms on Linux) -- every JSON answer would take 40 ms longer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.owner._track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.owner._track(self.connection, False)

    def log_message(self, format: str, *args: Any) -> None:
        if self.owner.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def do_PUT(self) -> None:
        self._handle()

    def do_PATCH(self) -> None:
        self._handle()

    def do_DELETE(self) -> None:
        self._handle()

    # ------------------------------------------------------------------ writing

    def _send(self, status: int, body: Any, headers: Mapping[str, str] | None = None) -> None:
        if isinstance(body, bytes | bytearray):
            data, kind = bytes(body), "application/octet-stream"
        elif isinstance(body, str):
            data, kind = body.encode(), "text/plain; charset=utf-8"
        else:
            data, kind = json.dumps(body, ensure_ascii=False).encode(), "application/json"
        self.send_response(status)
        extra = dict(headers or {})
        if not any(k.lower() == "content-type" for k in extra):
            self.send_header("Content-Type", kind)
        for name, value in extra.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def _event(self, obj: Any) -> None:
        self._chunk(b"data: " + json.dumps(obj, ensure_ascii=False).encode() + b"\n\n")

    def _drop(self) -> None:
        """Close the connection abruptly (no response, or a response cut short)."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    # ------------------------------------------------------------------ routing

    def _handle(self) -> None:
        owner = self.owner
        started = time.monotonic()
        split = urlsplit(self.path)
        path = split.path
        query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length > 0 else b""
        try:
            parsed: Any = json.loads(raw) if raw else None
            is_json = bool(raw)
        except ValueError:
            parsed, is_json = None, False
        try:
            if path.startswith("/_test/"):
                self._control(path[len("/_test/") :], parsed)
                return
            headers = {k: v for k, v in self.headers.items()}
            owner._record(RecordedRequest(self.command, path, query, headers, raw, parsed, time.time()))
            base = owner.base_path
            rel = path[len(base) :] if base and path.startswith(base + "/") else path if not base else None
            rel = rel.rstrip("/") if rel else rel

            header = self.headers.get(INJECT_HEADER)
            if header is not None:
                try:
                    inj: Injection | None = Injection.from_json(json.loads(header))
                except (ValueError, TypeError) as exc:
                    self._send(400, error_body(400, f"{INJECT_HEADER}: {exc}"))
                    return
            else:
                inj = owner._take_injection(rel or path)
            asks_stream = isinstance(parsed, dict) and parsed.get("stream") is True
            streamed = asks_stream and rel == "/chat/completions"
            if inj is not None:
                if inj.delay:
                    time.sleep(inj.delay)
                if inj.status is not None:
                    body = inj.body if inj.body is not None else error_body(inj.status)
                    self._send(inj.status, body, inj.headers)
                    return
                if inj.disconnect and not asks_stream:  # a stream breaks off after `after` events instead
                    self._drop()
                    return

            auth = self.headers.get("Authorization") or ""
            if not auth.startswith("Bearer ") or not auth[7:].strip():
                self._send(401, error_body(401, "No auth credentials found"))
                return
            if owner.api_key is not None and auth[7:].strip() != owner.api_key:
                self._send(401, error_body(401, "User not found."))
                return

            if rel == "/chat/completions":
                if self.command != "POST":
                    self._send(405, error_body(405), {"Allow": "POST"})
                    return
                if raw and not is_json:
                    self._send(400, error_body(400, "Invalid JSON in request body"))
                    return
                problem = validate_chat_request(parsed)
                if problem is not None:
                    self._send(400, error_body(400, problem))
                    return
                assert isinstance(parsed, dict)
                self._chat(parsed, streamed, inj, started)
            elif rel in ("/generation", "/generation/content"):
                if self.command != "GET":
                    self._send(405, error_body(405), {"Allow": "GET"})
                    return
                gen_id = query.get("id", "")
                if not gen_id:
                    self._send(400, error_body(400, "id: Required"))
                    return
                record = owner.generation(gen_id)
                if record is None:
                    self._send(404, error_body(404, f"Generation {gen_id} not found"))
                    return
                data = record.generation() if rel == "/generation" else record.content()
                self._send(200, {"data": data})
            else:
                self._from_spec(rel if rel is not None else path, parsed, query, split.query, raw, inj)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _from_spec(
        self, rel: str, body: Any, query: dict[str, str], raw_query: str, raw: bytes, inj: Injection | None
    ) -> None:
        """Any other operation of the spec: the collections' objects (testing._state), else an answer made from
        the operation's first success response (testing._spec)."""
        from ._spec import answer, missing_required, routes  # noqa: PLC0415 (only when such a request comes)

        matching = [r for r in routes() if r.match(rel)]
        if not matching:
            self._send(404, error_body(404, f"Not found: {self.command} {rel}"))
            return
        route = next((r for r in matching if r.method == self.command), None)
        if route is None:
            allowed = ", ".join(sorted({r.method for r in matching}))
            self._send(405, error_body(405), {"Allow": allowed})
            return
        problem = missing_required(route, body, query)
        if problem is not None:
            self._send(400, error_body(400, problem))
            return
        content_type = self.headers.get("Content-Type") or ""
        made = self.owner._state().handle(route, rel, body, query, raw, content_type)
        if made is None:
            made = answer(route, body, f"{self.command} {rel}?{raw_query}")
        if inj is not None and inj.disconnect and made.events is None:  # asked for a stream, but it is not one
            self._drop()
            return
        extra = dict(inj.headers) if inj and inj.headers else {}
        in_band = (inj.error_in_200 or inj.mid_stream_error) if inj else None
        if made.events is not None:
            self._start_stream(extra)
            events = list(made.events)
            cut = None
            if inj is not None and (inj.error_in_200 or inj.mid_stream_error or inj.disconnect):
                cut = 0 if inj.error_in_200 else inj.after
            for number, event in enumerate(events):
                if cut is not None and number >= cut:
                    break
                if number and inj is not None and inj.chunk_delay:
                    time.sleep(inj.chunk_delay)
                name = event.get("type") if isinstance(event, dict) else None
                line = f"event: {name}\n".encode() if isinstance(name, str) else b""
                self._chunk(line + b"data: " + json.dumps(event, ensure_ascii=False).encode() + b"\n\n")
            if inj is not None and inj.disconnect and not in_band:
                self._drop()
                return
            if in_band is not None:
                self._chunk(b"data: " + json.dumps({"error": in_band}, ensure_ascii=False).encode() + b"\n\n")
            elif made.sentinel is not None:
                self._chunk(b"data: " + made.sentinel.encode() + b"\n\n")
            self._end_stream()
        elif in_band is not None and 200 <= made.status < 300:
            self._send(200, {"error": in_band}, extra)
        elif made.body is None:
            self.send_response(made.status)
            for name, value in extra.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif isinstance(made.body, bytes):
            self._send(made.status, made.body, {"Content-Type": made.media_type, **extra})
        else:
            self._send(made.status, made.body, extra)

    def _control(self, what: str, body: Any) -> None:
        owner = self.owner
        if what == "inject" and self.command == "POST":
            try:
                owner._enqueue(Injection.from_json(body))
            except (TypeError, ValueError) as exc:
                self._send(400, error_body(400, str(exc)))
                return
            self._send(200, {"ok": True})
        elif what == "requests" and self.command == "GET":
            self._send(200, {"requests": [r.to_dict() for r in owner.requests]})
        elif what == "reset" and self.command == "POST":
            owner.reset()
            self._send(200, {"ok": True})
        else:
            self._send(404, error_body(404, f"Not found: {self.command} /_test/{what}"))

    # ------------------------------------------------------------------ chat

    def _chat(self, body: dict[str, Any], streamed: bool, inj: Injection | None, started: float) -> None:
        owner = self.owner
        if inj is not None and inj.error_in_200 is not None:
            if streamed:
                self._stream_error_only(inj.error_in_200, body)
            else:
                self._send(200, {"error": inj.error_in_200}, inj.headers)
            return
        gen_id, created = owner._next_id()
        answer = compute_answer(body, int(gen_id.split("-")[-1]), owner.model)
        mid_error = inj.mid_stream_error if inj is not None else None
        record = GenerationRecord(
            id=gen_id,
            model=answer.model,
            created=created,
            streamed=streamed,
            prompt_tokens=answer.prompt_tokens,
            completion_tokens=answer.completion_tokens,
            cost=answer.cost,
            finish_reason=answer.finish_reason,
            messages=body["messages"],
            completion=answer.content,
            latency_ms=(time.monotonic() - started) * 1000,
            user_agent=self.headers.get("User-Agent"),
            http_referer=self.headers.get("HTTP-Referer"),
            external_user=body.get("user") if isinstance(body.get("user"), str) else None,
            session_id=body.get("session_id") if isinstance(body.get("session_id"), str) else None,
            tool_calls=[
                {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments}}
                for c in answer.tool_calls
            ],
        )
        if streamed and mid_error is not None:
            after = inj.after if inj is not None else 0
            record.finish_reason = "error"
            record.completion = "".join(answer.pieces[:after]) if answer.content is not None else None
            record.error = mid_error
        owner._store(record)
        if streamed:
            self._stream(answer, gen_id, created, inj)
            return
        if mid_error is not None:  # an error meant for a stream, asked of a plain request: an error in a 200
            self._send(200, {"error": mid_error}, inj.headers if inj else None)
            return
        message: dict[str, Any] = {"role": "assistant", "content": answer.content}
        if answer.tool_calls:
            message["tool_calls"] = record.tool_calls
        result = {
            "id": gen_id,
            "object": "chat.completion",
            "created": created,
            "model": answer.model,
            "provider": "ModelGates Test Server",
            "system_fingerprint": None,
            "choices": [
                {
                    "index": 0,
                    "logprobs": None,
                    "finish_reason": answer.finish_reason,
                    "native_finish_reason": answer.finish_reason,
                    "message": message,
                }
            ],
            "usage": answer.usage(),
        }
        self._send(200, result, inj.headers if inj else None)

    def _start_stream(self, headers: Mapping[str, str] | None) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self._chunk(PROCESSING_COMMENT)

    def _end_stream(self) -> None:
        self.wfile.write(b"0\r\n\r\n")
        self.wfile.flush()

    def _stream_error_only(self, error: dict[str, Any], body: dict[str, Any]) -> None:
        self._start_stream(None)
        gen_id, created = self.owner._next_id()
        model = body.get("model") if isinstance(body.get("model"), str) else self.owner.model
        self._event(_error_chunk(gen_id, created, str(model), error))
        self._end_stream()

    def _stream(self, answer: Answer, gen_id: str, created: int, inj: Injection | None) -> None:
        self._start_stream(inj.headers if inj else None)
        base = {"id": gen_id, "object": "chat.completion.chunk", "created": created, "model": answer.model}
        events: list[dict[str, Any]] = []

        def piece(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            choice = {"index": 0, "delta": delta, "finish_reason": finish, "native_finish_reason": finish}
            return {**base, "choices": [choice]}

        if answer.tool_calls:
            for i, call in enumerate(answer.tool_calls):
                head = {"index": i, "id": call.id, "type": "function", "function": {"name": call.name, "arguments": ""}}
                events.append(piece({"role": "assistant", "content": None, "tool_calls": [head]}))
                events.append(piece({"tool_calls": [{"index": i, "function": {"arguments": call.arguments}}]}))
        else:
            for i, text in enumerate(answer.pieces):
                events.append(piece({"role": "assistant", "content": text} if i == 0 else {"content": text}))
        events.append(piece({"role": "assistant", "content": ""}, answer.finish_reason))
        events.append({**base, "choices": [], "usage": answer.usage()})

        after = inj.after if inj is not None else 0
        failing = inj is not None and (inj.mid_stream_error is not None or inj.disconnect)
        chunk_delay = inj.chunk_delay if inj is not None else 0.0
        for n, event in enumerate(events):
            if failing and n == after:
                assert inj is not None
                if inj.mid_stream_error is not None:
                    self._event(_error_chunk(gen_id, created, answer.model, inj.mid_stream_error))
                    self._end_stream()
                else:
                    self._drop()
                return
            if chunk_delay and n:
                time.sleep(chunk_delay)
            self._event(event)
        if failing:  # `after` is past the last event: fail just before [DONE]
            assert inj is not None
            if inj.mid_stream_error is not None:
                self._event(_error_chunk(gen_id, created, answer.model, inj.mid_stream_error))
                self._end_stream()
            else:
                self._drop()
            return
        self._chunk(b"data: [DONE]\n\n")
        self._end_stream()


def _error_chunk(gen_id: str, created: int, model: str, error: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": gen_id,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "provider": "ModelGates Test Server",
        "error": error,
        "choices": [{"index": 0, "delta": {"content": ""}, "finish_reason": "error", "native_finish_reason": "error"}],
    }


class ModelGatesServer:
    """A local ModelGates API for tests, examples and demos: deterministic answers, recorded requests, injected
    failures. Standard library only; runs in a background thread.

        with ModelGatesServer() as server:
            with server.client() as mg:
                res = mg.chat.send(messages=[{"role": "user", "content": "Hi there"}])
                assert res.choices[0].message.content == "You said: Hi there"
            assert server.requests[0].json["messages"][0]["content"] == "Hi there"

    Answers (see `modelgates_client.testing._answers` for the exact rules): an echo of the last user message
    ("You said: ..."); a call to the first function tool when `tools` are given (unless `tool_choice` is
    "none" or the last message is a tool result); a summary of the tool results after `tool` messages; a JSON
    document filling the schema when `response_format` asks for JSON. Ids are `gen-1`, `gen-2`, ...; token counts
    are word counts.

    Streams (`"stream": true`) start with the `: MODELGATES PROCESSING` comment, send one chunk per word, a chunk
    with the finish_reason, then always a last chunk with empty `choices` and `usage` (`stream_options` is not
    needed, as with the real API), then `data: [DONE]`.

    Every other operation of the spec is answered from the spec (testing._spec: schema-valid JSON, bytes of the
    response's media type, event streams), with the objects of the API's collections remembered (testing._state:
    create, get, list, update, delete; files keep their bytes; a video job completes when polled).

    Requests without an `Authorization: Bearer ...` header get 401 (with `api_key` set, any other key too);
    bodies that break the spec's required fields get 400; errors have the API's shape
    `{"error": {"code": ..., "message": ...}}`.

    Args:
        host: interface to listen on.
        port: port to listen on; 0 picks a free one.
        base_path: path prefix of the API endpoints.
        api_key: the only API key accepted; None accepts any non-empty key.
        model: model reported when a request names none.
        verbose: log each request to stderr.
    """

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        base_path: str = "/api/v1",
        api_key: str | None = None,
        model: str = DEFAULT_MODEL,
        verbose: bool = False,
    ) -> None:
        self.host = host
        self._port = port
        self.base_path = "/" + base_path.strip("/") if base_path.strip("/") else ""
        self.api_key = api_key
        self.model = model
        self.verbose = verbose
        self._lock = threading.Lock()
        self._requests: list[RecordedRequest] = []
        self._injections: list[Injection] = []
        self._generations: dict[str, GenerationRecord] = {}
        self._counter = 0
        self._connections: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._add_sample_generation()
        self._collections: Any = None  # testing._state.State, made at the first request that needs it

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> Self:
        """Start listening (in a background thread). Returns the server."""
        if self._httpd is not None:
            raise RuntimeError("the server is already running")
        httpd = _HTTPServer((self.host, self._port), _Handler)
        httpd.owner = self
        self._httpd = httpd
        self._port = httpd.server_address[1]
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="ModelGatesServer", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening and close open connections. Safe to call twice."""
        httpd, thread = self._httpd, self._thread
        if httpd is None:
            return
        self._httpd = self._thread = None
        httpd.shutdown()
        httpd.server_close()
        with self._lock:
            connections = list(self._connections)
            self._connections.clear()
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        if thread is not None:
            thread.join(timeout=5)

    @property
    def running(self) -> bool:
        return self._httpd is not None

    def __enter__(self) -> Self:
        if not self.running:
            self.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def __repr__(self) -> str:
        where = self.url if self.running else "stopped"
        return f"ModelGatesServer({where})"

    # ------------------------------------------------------------------ addresses

    @property
    def port(self) -> int:
        """The port listened on (the chosen free port once started)."""
        return self._port

    @property
    def root_url(self) -> str:
        """`http://host:port`, without the base path."""
        if self._httpd is None:
            raise RuntimeError("the server is not running; call start() or use it as a context manager")
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self._port}"

    @property
    def url(self) -> str:
        """The base URL to pass as `server_url`, e.g. `http://127.0.0.1:PORT/api/v1`."""
        return self.root_url + self.base_path

    def client(self, **kwargs: Any) -> ModelGates:
        """A ModelGates client for this server: api_key "test-key", server_url=self.url and no retries, unless
        given (any argument of ModelGates).

        It makes one attempt per call, so that an injected failure reaches the code under test instead of being
        retried away. Pass `retry_config=RetryConfig(...)` to test with retries (and inject with `times=` to
        outlast them).
        """
        from .._client import ModelGates  # noqa: PLC0415  (keep `import modelgates_client.testing` light)
        from ..utils.retries import RetryConfig  # noqa: PLC0415

        kwargs.setdefault("api_key", "test-key")
        kwargs.setdefault("server_url", self.url)
        kwargs.setdefault("retry_config", RetryConfig("none"))
        return ModelGates(**kwargs)

    # ------------------------------------------------------------------ state

    @property
    def requests(self) -> list[RecordedRequest]:
        """The requests received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._requests)

    @property
    def generations(self) -> dict[str, GenerationRecord]:
        """The generations served so far, by id (a copy)."""
        with self._lock:
            return dict(self._generations)

    def generation(self, gen_id: str) -> GenerationRecord | None:
        with self._lock:
            return self._generations.get(gen_id)

    def inject(
        self,
        *,
        status: int | None = None,
        body: Any = None,
        headers: dict[str, str] | None = None,
        error_in_200: dict[str, Any] | None = None,
        mid_stream_error: dict[str, Any] | None = None,
        after: int = 0,
        delay: float = 0.0,
        chunk_delay: float = 0.0,
        disconnect: bool = False,
        times: int = 1,
        path: str | None = None,
    ) -> Injection:
        """Make the next `times` requests (to `path`, relative to the base path, e.g. "/chat/completions", if
        given) fail. Injections queue up: each request takes one use of the first matching one.

        Args:
            status: answer with this status and `body` (default: the API's error body for the status), before
                the API key and the body are checked.
            body: the body for `status`: a dict/list (sent as JSON), a str or bytes (sent as is).
            headers: extra response headers (e.g. `{"Retry-After": "0"}`), for any kind of answer.
            error_in_200: answer a chat request with status 200 and `{"error": <this>}` (a stream: with this
                error as its first event).
            mid_stream_error: a stream sends `after` events, then a chunk carrying `"error": <this>` and ends
                (a plain request gets it as an error in a 200).
            after: how many stream events to send before `mid_stream_error` or `disconnect`.
            delay: seconds to wait before answering.
            chunk_delay: seconds to wait between stream events.
            disconnect: close the connection without answering (a stream: after `after` events).
            times: how many requests this applies to.
            path: only requests to this path (relative to the base path) take this injection.

        The same keys, as a JSON object, in a request's `X-Test-Inject` header apply to that request only (the
        header wins over the queue); POST them to `/_test/inject` to queue them from another process.
        """
        injection = Injection(
            status=status,
            body=body,
            headers=headers,
            error_in_200=error_in_200,
            mid_stream_error=mid_stream_error,
            after=after,
            delay=delay,
            chunk_delay=chunk_delay,
            disconnect=disconnect,
            times=times,
            path=path,
        )
        self._enqueue(injection)
        return injection

    def clear_injections(self) -> None:
        with self._lock:
            self._injections.clear()

    def reset(self) -> None:
        """Forget recorded requests, generations and pending injections (the id counter keeps going); the sample
        generation stays."""
        with self._lock:
            self._requests.clear()
            self._injections.clear()
            self._generations.clear()
            self._add_sample_generation()
            self._collections = None

    def _state(self) -> Any:
        """The objects created through the API's collections (testing._state)."""
        with self._lock:
            if self._collections is None:
                from ._state import State  # noqa: PLC0415

                self._collections = State()
            return self._collections

    def _add_sample_generation(self) -> None:
        """The generation the spec's examples look up (GET /generation `id`), there from the start so that the
        reference pages' examples run as written."""
        from ._spec import example_generation_id  # noqa: PLC0415

        gen_id = example_generation_id()
        if gen_id is None:
            return
        self._generations[gen_id] = GenerationRecord(
            id=gen_id,
            model=self.model,
            created=1767225600,
            streamed=False,
            prompt_tokens=2,
            completion_tokens=4,
            cost=0.0,
            finish_reason="stop",
            messages=[{"role": "user", "content": "Hi there"}],
            completion="You said: Hi there",
            latency_ms=12.0,
        )

    # ------------------------------------------------------------------ internals (called by the handler)

    def _enqueue(self, injection: Injection) -> None:
        with self._lock:
            self._injections.append(injection)

    def _take_injection(self, path: str) -> Injection | None:
        with self._lock:
            for i, injection in enumerate(self._injections):
                if injection.matches(path):
                    injection.times -= 1
                    if injection.times <= 0:
                        del self._injections[i]
                    return injection
        return None

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _next_id(self) -> tuple[str, int]:
        with self._lock:
            self._counter += 1
            return f"gen-{self._counter}", int(time.time())

    def _store(self, record: GenerationRecord) -> None:
        with self._lock:
            self._generations[record.id] = record

    def _track(self, conn: socket.socket, add: bool) -> None:
        with self._lock:
            if add:
                self._connections.add(conn)
            else:
                self._connections.discard(conn)
