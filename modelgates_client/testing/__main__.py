"""`python -m modelgates_client.testing [--port N]`: run the local ModelGates server until interrupted."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from ._answers import DEFAULT_MODEL
from ._server import ModelGatesServer


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m modelgates_client.testing",
        description="Run a local, deterministic ModelGates API (chat completions, streaming, generation stats).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: a free port)")
    parser.add_argument("--base-path", default="/api/v1", help="path prefix of the API (default: /api/v1)")
    parser.add_argument("--api-key", default=None, help="accept only this API key (default: any non-empty key)")
    parser.add_argument("--model", default=DEFAULT_MODEL, help=f"model reported by default (default: {DEFAULT_MODEL})")
    parser.add_argument("--verbose", "-v", action="store_true", help="log each request to stderr")
    args = parser.parse_args(argv)

    server = ModelGatesServer(
        host=args.host,
        port=args.port,
        base_path=args.base_path,
        api_key=args.api_key,
        model=args.model,
        verbose=args.verbose,
    )
    try:
        server.start()
    except OSError as exc:
        print(f"error: cannot listen on {args.host}:{args.port}: {exc}", file=sys.stderr)
        return 1
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    print(server.url, flush=True)
    print(
        f"ModelGates test server listening; use server_url={server.url!r} (any API key). Ctrl-C to stop.",
        file=sys.stderr,
        flush=True,
    )
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
