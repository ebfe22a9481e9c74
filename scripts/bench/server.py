"""A cheap ModelGates-compatible HTTP server for the benchmark (scripts/bench).

Serves precomputed responses on 127.0.0.1 so that the benchmark measures the client, not the server:

    POST /chat/completions             -> the "small" completion (one choice, ~1 KB of JSON)
    POST /large/chat/completions       -> 8 choices x 4000 chars, each with 50 logprob tokens x 3 alternatives
    POST /stream-N/chat/completions    -> an SSE stream of N content chunks, a comment line every 100 chunks, a
                                          final chunk with ``"choices": []`` and ``usage``, then ``data: [DONE]``

so a client picks the workload by its base URL (``http://127.0.0.1:PORT/large`` and so on); the request body is
read and ignored.  JSON answers carry Content-Length and keep the connection alive (HTTP/1.1).  Streams use
``Transfer-Encoding: chunked`` with one HTTP chunk per SSE event, as a real API flushes each event as it is
produced, and keep the connection alive too.  The whole response (status line, headers, body) is written with a
single ``write``, so the client receives it in large TCP reads and the server costs next to nothing; the client
still sees one ``iter_bytes()`` piece per event, as from a live stream.  Every response is built at startup
(stream lengths listed by the caller), or else on first use, and cached.

Run it standalone (``python -m scripts.bench.server [STREAM_LENGTH ...]``: it prints its base URL once ready), or
from the benchmark (scripts/bench/cli.py) through :func:`start_server`, which runs exactly that in a subprocess and returns the URL.
"""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = [
    "completion_body",
    "large_body",
    "small_body",
    "start_server",
    "stop_server",
    "stream_body",
    "stream_events",
    "stream_response",
]

MODEL = "openai/gpt-4"
CREATED = 1700000000
ROOT = Path(__file__).resolve().parents[2]  # where `python -m scripts.bench.server` runs
_STREAM_HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
    b"Transfer-Encoding: chunked\r\n\r\n"
)


def _dumps(obj: Any) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


def _words(n_chars: int, seed: int = 0) -> str:
    vocab = ["the", "quick", "brown", "fox", "jumps", "over", "lazy", "dog", "model", "gates", "token", "stream"]
    out: list[str] = []
    size = 0
    i = seed
    while size < n_chars:
        w = vocab[i % len(vocab)]
        out.append(w)
        size += len(w) + 1
        i += 7
    return " ".join(out)[:n_chars]


def completion_body(n_choices: int, n_chars: int, n_logprobs: int, n_top: int) -> bytes:
    """A chat.completion body with `n_choices` choices of `n_chars` characters, each with `n_logprobs` logprob
    tokens of `n_top` alternatives (no logprobs when 0)."""
    choices = []
    for c in range(n_choices):
        logprobs: dict[str, Any] | None = None
        if n_logprobs:
            content = []
            for t in range(n_logprobs):
                tok = f"tok{t}"
                content.append(
                    {
                        "token": tok,
                        "logprob": -0.1 * (t % 7),
                        "bytes": list(tok.encode()),
                        "top_logprobs": [
                            {"token": f"alt{t}_{k}", "logprob": -1.2 - k, "bytes": list(f"alt{t}_{k}".encode())}
                            for k in range(n_top)
                        ],
                    }
                )
            logprobs = {"content": content, "refusal": None}
        choices.append(
            {
                "index": c,
                "finish_reason": "stop",
                "native_finish_reason": "stop",
                "message": {"role": "assistant", "content": _words(n_chars, c)},
                "logprobs": logprobs,
            }
        )
    return _dumps(
        {
            "id": "gen-1700000000-abcdefghijklmnop",
            "object": "chat.completion",
            "created": CREATED,
            "model": MODEL,
            "provider": "OpenAI",
            "system_fingerprint": "fp_0123456789",
            "choices": choices,
            "usage": {"prompt_tokens": 12, "completion_tokens": 180 * n_choices, "total_tokens": 12 + 180 * n_choices},
        }
    )


def small_body() -> bytes:
    """One choice, about 1 KB of JSON."""
    return completion_body(1, 700, 0, 0)


def large_body() -> bytes:
    """8 choices x 4000 characters, 50 logprob tokens x 3 top alternatives each."""
    return completion_body(8, 4000, 50, 3)


def stream_events(n_chunks: int) -> list[bytes]:
    """The SSE events (each with its blank line) of a streamed completion of `n_chunks` content chunks."""
    parts: list[bytes] = [b": MODELGATES PROCESSING\n\n"]
    words = _words(8 * n_chunks).split(" ")
    for i in range(n_chunks):
        delta: dict[str, Any] = {"content": words[i % len(words)] + " "}
        if i == 0:
            delta = {"role": "assistant", **delta}
        chunk = {
            "id": "gen-1",
            "object": "chat.completion.chunk",
            "created": CREATED,
            "model": MODEL,
            "choices": [
                {
                    "index": 0,
                    "delta": delta,
                    "finish_reason": "stop" if i == n_chunks - 1 else None,
                    "native_finish_reason": "stop" if i == n_chunks - 1 else None,
                    "logprobs": None,
                }
            ],
        }
        parts.append(b"data: " + _dumps(chunk) + b"\n\n")
        if i % 100 == 99:
            parts.append(b": MODELGATES PROCESSING\n\n")
    final = {
        "id": "gen-1",
        "object": "chat.completion.chunk",
        "created": CREATED,
        "model": MODEL,
        "choices": [],
        "usage": {"prompt_tokens": 12, "completion_tokens": n_chunks, "total_tokens": 12 + n_chunks},
    }
    parts.append(b"data: " + _dumps(final) + b"\n\n")
    parts.append(b"data: [DONE]\n\n")
    return parts


def stream_body(n_chunks: int) -> bytes:
    """The SSE body of a streamed completion of `n_chunks` content chunks."""
    return b"".join(stream_events(n_chunks))


def stream_response(n_chunks: int) -> bytes:
    """The full HTTP response of a stream: headers, then one chunk of the chunked encoding per SSE event."""
    out = [_STREAM_HEAD]
    out.extend(b"%x\r\n%s\r\n" % (len(event), event) for event in stream_events(n_chunks))
    out.append(b"0\r\n\r\n")
    return b"".join(out)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "bench"
    sys_version = ""

    # Precomputed full responses (status line + headers + body), filled in by _make_server.
    small: bytes = b""
    large: bytes = b""
    streams: dict[int, bytes] = {}
    lock = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        path = self.path
        if path == "/chat/completions":
            self.wfile.write(self.small)
        elif path == "/large/chat/completions":
            self.wfile.write(self.large)
        elif path.startswith("/stream-") and path.endswith("/chat/completions"):
            self.wfile.write(self._stream(int(path[8 : -len("/chat/completions")])))
        else:
            self.send_error(404)

    def _stream(self, n: int) -> bytes:
        data = self.streams.get(n)
        if data is None:
            with self.lock:
                data = self.streams.get(n)
                if data is None:
                    data = self.streams[n] = stream_response(n)
        return data


def _json_response(body: bytes) -> bytes:
    head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body)
    return head + body


def _make_server(prebuild_streams: tuple[int, ...]) -> ThreadingHTTPServer:
    _Handler.small = _json_response(small_body())
    _Handler.large = _json_response(large_body())
    _Handler.streams = {n: stream_response(n) for n in prebuild_streams}

    class Server(ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 128

        def server_bind(self) -> None:
            self.socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            super().server_bind()

    return Server(("127.0.0.1", 0), _Handler)


def start_server(prebuild_streams: tuple[int, ...] = ()) -> tuple[subprocess.Popen[bytes], str]:
    """Start the server in a separate process; returns (process, base URL). Stop it with stop_server()."""
    cmd = [sys.executable, "-m", "scripts.bench.server", *(str(n) for n in prebuild_streams)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, cwd=ROOT)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline().decode().strip()  # printed once every response is built
        if not line.startswith("http://"):
            raise RuntimeError(f"the benchmark server did not start (exit code {proc.poll()})")
    except BaseException:
        stop_server(proc)
        raise
    return proc, line


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server process (terminate, then kill if it does not exit)."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
    if proc.stdout is not None:
        proc.stdout.close()


def main() -> None:
    """Build every response (stream lengths from the command line), print the base URL, serve until killed."""
    server = _make_server(tuple(int(arg) for arg in sys.argv[1:]))
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print(f"http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
