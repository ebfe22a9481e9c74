"""Load and leaks: many concurrent streams, threads sharing a client, and streams abandoned early.

After each scenario a new call must be served at once, and the process's open file descriptors must be back
near where they started (the local server's own sockets count too, so a short settling wait is allowed).
"""

from __future__ import annotations

import asyncio
import gc
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from modelgates_client import ModelGates
from modelgates_client.errors import NoResponseError

from ._support import MESSAGES, LoadServer, client_for, open_fds, within, within_async

pytestmark = pytest.mark.slow  # hundreds of streams and threads

FD_SLACK = 6
ABANDONED = 1000
SMALL_POOL = httpx.Limits(max_connections=4, max_keepalive_connections=4)
#: The supplied clients' timeout: a connection leaked from the small pool shows as a PoolTimeout after this.
POOL_WAIT = 2.0


def settle_fds(start: int, seconds: float = 3.0) -> int:
    """Open descriptors once the server threads have closed their ends (waits up to `seconds`)."""
    deadline = time.monotonic() + seconds
    while True:
        gc.collect()
        now = open_fds()
        if now <= start + FD_SLACK or time.monotonic() > deadline:
            return now
        time.sleep(0.05)


def contents(chunks: list[Any]) -> str:
    return "".join(c.choices[0].delta.content or "" for c in chunks)


# ------------------------------------------------------------------------------------------------ concurrency


async def _streams(client: ModelGates, n: int, counter: dict[str, int]) -> list[str]:
    async def one() -> str:
        stream = await client.chat.send_async(messages=MESSAGES, model="m", stream=True)
        counter["open"] += 1
        counter["peak"] = max(counter["peak"], counter["open"])
        try:
            async with stream:
                return contents([c async for c in stream])
        finally:
            counter["open"] -= 1

    return await asyncio.gather(*(one() for _ in range(n)))


def test_200_concurrent_async_streams_one_client(case: Any) -> None:
    """200 streams at once through one client (a supplied pool big enough for all of them)."""
    start = open_fds()
    with LoadServer(gate=200) as server:

        async def main() -> tuple[list[str], int]:
            counter = {"open": 0, "peak": 0}
            limits = httpx.Limits(max_connections=250, max_keepalive_connections=250)
            async with httpx.AsyncClient(limits=limits, timeout=20.0) as http:
                async with client_for(server.url, async_client=http) as client:
                    return await _streams(client, 200, counter), counter["peak"]

        began = time.monotonic()
        results, client_peak = within_async(40, main)
        elapsed = time.monotonic() - began
        peak = server.peak
    assert results == ["ab"] * 200
    assert peak == 200, f"only {peak} streams were in flight at once"
    fds = settle_fds(start)
    case.count("concurrency", peak, peak=True)
    case.note(f"200 streams read to the end in {elapsed:.2f}s; {peak} in flight at once; fds {start}->{fds}")
    assert fds <= start + FD_SLACK, f"open descriptors went from {start} to {fds}"


def test_200_async_streams_through_the_default_pool(case: Any) -> None:
    """The same load on a client that owns its pool (httpx's default of 100 connections): all complete."""
    start = open_fds()
    with LoadServer(event_gap=0.02) as server:

        async def main() -> tuple[list[str], int]:
            counter = {"open": 0, "peak": 0}
            async with client_for(server.url) as client:
                return await _streams(client, 200, counter), counter["peak"]

        began = time.monotonic()
        results, client_peak = within_async(40, main)
        elapsed = time.monotonic() - began
        peak = server.peak
    assert results == ["ab"] * 200
    fds = settle_fds(start)
    case.count("concurrency", peak, peak=True)
    case.note(f"200 streams in {elapsed:.2f}s; {peak} in flight at the server (pool limit 100); fds {start}->{fds}")
    assert fds <= start + FD_SLACK, f"open descriptors went from {start} to {fds}"


def test_16_threads_share_one_sync_client(case: Any) -> None:
    threads, calls = 16, 30
    start = open_fds()
    errors: list[BaseException] = []
    results: list[str] = []
    lock = threading.Lock()
    with LoadServer(event_gap=0.002) as server, client_for(server.url) as client:
        barrier = threading.Barrier(threads)

        def worker() -> None:
            try:
                barrier.wait(10)  # all threads race on the client's first (lazy) connection pool
                for i in range(calls):
                    if i % 2:
                        with client.chat.send(messages=MESSAGES, model="m", stream=True) as stream:
                            got = contents(list(stream))
                    else:
                        got = client.chat.send(messages=MESSAGES, model="m").choices[0].message.content
                    with lock:
                        results.append(got)
            except BaseException as exc:
                with lock:
                    errors.append(exc)

        def run_all() -> None:
            pool = [threading.Thread(target=worker, daemon=True) for _ in range(threads)]
            for t in pool:
                t.start()
            for t in pool:
                t.join(40)

        began = time.monotonic()
        within(45, run_all)
        elapsed = time.monotonic() - began
        peak = server.peak
    assert not errors, f"{len(errors)} calls failed, first: {type(errors[0]).__name__}: {errors[0]}"
    assert len(results) == threads * calls
    assert results.count("Paris") == threads * calls // 2 and results.count("ab") == threads * calls // 2
    fds = settle_fds(start)
    case.count("concurrency", peak, peak=True)
    case.note(f"{threads}x{calls} calls in {elapsed:.2f}s; {peak} in flight at once; fds {start}->{fds}")
    assert fds <= start + FD_SLACK, f"open descriptors went from {start} to {fds}"


# ------------------------------------------------------------------------------------------------ abandoned


def _abandon_sync(client: ModelGates, with_block: bool) -> None:
    for _ in range(ABANDONED):
        stream = client.chat.send(messages=MESSAGES, model="m", stream=True)
        if with_block:
            with stream:
                for _chunk in stream:
                    break
        else:
            for _chunk in stream:
                break


async def _abandon_async(client: ModelGates, with_block: bool) -> None:
    for _ in range(ABANDONED):
        stream = await client.chat.send_async(messages=MESSAGES, model="m", stream=True)
        if with_block:
            async with stream:
                async for _chunk in stream:
                    break
        else:
            async for _chunk in stream:
                break


def _dropped_sync(client: ModelGates, with_block: bool) -> None:
    for _ in range(ABANDONED // 10):
        client.chat.send(messages=MESSAGES, model="m", stream=True)


async def _dropped_async(client: ModelGates, with_block: bool) -> None:
    for _ in range(ABANDONED // 10):
        await client.chat.send_async(messages=MESSAGES, model="m", stream=True)


#: A stream that is never iterated nor closed keeps its connection checked out: with the default pool (100) and
#: timeout (600 s), the 101st call then waits ten minutes. The Stream docs ask callers to iterate or close it.
_DROPPED = pytest.mark.xfail(
    strict=True,
    raises=NoResponseError,
    reason="a stream dropped without being iterated or closed keeps its pooled connection (no finalizer)",
)

SCENARIOS = [
    pytest.param("sync", _abandon_sync, False, id="sync, loop left with break, no with"),
    pytest.param("sync", _abandon_sync, True, id="sync, loop left with break, inside with"),
    pytest.param("async", _abandon_async, False, id="async, loop left with break, no async with"),
    pytest.param("async", _abandon_async, True, id="async, loop left with break, inside async with"),
    pytest.param("sync", _dropped_sync, False, id="sync, stream dropped without iterating", marks=_DROPPED),
    pytest.param("async", _dropped_async, False, id="async, stream dropped without iterating", marks=_DROPPED),
]


@pytest.mark.parametrize(("mode", "abandon", "with_block"), SCENARIOS)
def test_abandoned_streams_give_their_connections_back(
    mode: str, abandon: Callable[..., Any], with_block: bool, case: Any
) -> None:
    """Streams left after their first event (small pool of 4): the loop never runs dry of connections, a new
    call afterwards is served at once, and no descriptors are left open."""
    start = open_fds()
    count = ABANDONED // 10 if abandon in (_dropped_sync, _dropped_async) else ABANDONED
    with LoadServer() as server:
        if mode == "sync":
            with (
                httpx.Client(limits=SMALL_POOL, timeout=POOL_WAIT) as http,
                client_for(server.url, client=http) as client,
            ):
                began = time.monotonic()
                within(40, lambda: abandon(client, with_block))
                elapsed = time.monotonic() - began
                t0 = time.monotonic()
                answer = within(2.0, lambda: client.chat.send(messages=MESSAGES, model="m"))
                after = time.monotonic() - t0
        else:

            async def main() -> tuple[Any, float, float]:
                async with httpx.AsyncClient(limits=SMALL_POOL, timeout=POOL_WAIT) as http:
                    async with client_for(server.url, async_client=http) as client:
                        began = time.monotonic()
                        await abandon(client, with_block)
                        elapsed = time.monotonic() - began
                        t0 = time.monotonic()
                        answer = await asyncio.wait_for(client.chat.send_async(messages=MESSAGES, model="m"), 2.0)
                        return answer, elapsed, time.monotonic() - t0

            answer, elapsed, after = within_async(45, main)
        handled = server.handled
    assert answer.choices[0].message.content == "Paris"
    assert handled == count + 1
    fds = settle_fds(start)
    case.note(f"{count} streams abandoned in {elapsed:.2f}s; next call in {after * 1000:.0f} ms; fds {start}->{fds}")
    assert fds <= start + FD_SLACK, f"open descriptors went from {start} to {fds}"
