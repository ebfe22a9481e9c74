"""Plumbing shared by the examples: where their requests go.

By default an example starts a local ModelGates server in-process (modelgates_client.testing.ModelGatesServer:
deterministic answers, no network, no API key) and talks to it. With `--live`, and MODELGATES_API_KEY set, it talks
to the real API instead (model: $MODELGATES_MODEL, default openai/gpt-4o-mini).

The interesting code is in each example's `main`; this module only builds the client.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from modelgates_client import ModelGates
from modelgates_client.testing import ModelGatesServer

DEFAULT_MODEL = "openai/gpt-4o-mini"


@dataclass
class Target:
    """Where an example sends its requests."""

    live: bool
    model: str
    api_key: str
    server_url: str | None = None  # None: the real API ($MODELGATES_BASE_URL, else https://modelgates.ai/api/v1)
    server: ModelGatesServer | None = None  # the local server, when not live

    def client(self, **kwargs: Any) -> ModelGates:
        """A ModelGates client for this target (use it with `with` or `async with`)."""
        kwargs.setdefault("http_referer", "https://github.com/modelgates/modelgates-client")
        kwargs.setdefault("x_open_router_title", "modelgates-client examples")
        return ModelGates(api_key=self.api_key, server_url=self.server_url, **kwargs)


@contextmanager
def target(description: str, argv: list[str] | None = None) -> Iterator[Target]:
    """Parse the example's command line and yield where to send requests (starting a local server if needed)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--live",
        action="store_true",
        help="use the real ModelGates API (needs MODELGATES_API_KEY) instead of a local server",
    )
    args = parser.parse_args(argv)
    if args.live:
        api_key = os.environ.get("MODELGATES_API_KEY", "")
        if not api_key:
            parser.exit(2, "error: --live needs the MODELGATES_API_KEY environment variable\n")
        yield Target(live=True, model=os.environ.get("MODELGATES_MODEL", DEFAULT_MODEL), api_key=api_key)
        return
    with ModelGatesServer() as server:
        print(f"(local ModelGates server at {server.url}; pass --live to use the real API)\n", file=sys.stderr)
        yield Target(live=False, model=DEFAULT_MODEL, api_key="test-key", server_url=server.url, server=server)
