"""Benchmark modelgates_client against the floor: raw httpx + json.loads doing the same work.

    python -m scripts.bench                  # full run (a few minutes on 2 cores)
    python -m scripts.bench --quick          # few rounds, small streams: proves the benchmark still runs (CI)
    python -m scripts.bench --compare        # also the `openai` package, when it is importable
    python -m scripts.bench --json out.json  # also write every figure as JSON
    python -m scripts.bench --profile        # also cProfile both sides of each workload, and time cold-start phases
    python -m scripts.bench --only small,stream   # a subset of: small large stream cold import memory generate

Method
------
The server (scripts/bench_server.py) runs in a separate process on 127.0.0.1, a random free port.  It builds every
response once at startup and answers with a single socket write: JSON with Content-Length over HTTP/1.1
keep-alive, streams with chunked encoding, one HTTP chunk per SSE event (as a live API flushes them).  The
workload is chosen by the client's base URL (``/``, ``/large``, ``/stream-N``), so every implementation sends
the very same request as it normally would.

CPU workloads (small, large, stream) are timed with ``time.process_time()`` in this process, which runs only the
clients: the server's CPU is not counted.  Each implementation gets one persistent client per workload (connection
reuse), a warm-up (connection, lazy imports), then ``rounds`` rounds of N operations; N is calibrated so that a
round lasts about ``round_s`` seconds.  The rounds of the implementations are interleaved (floor, ours, floor,
ours, ...) so that drift on a shared machine hits both alike, ``gc.collect()`` runs before each round, and the
figure is the median over the rounds of the CPU time per operation.  Garbage collection is left on, as in real
use; its cost grows with the heap, so with --compare openai (whose imports alone grow the heap a lot) runs its
CPU workloads in a child process, interleaved with a floor of its own that its ratio is taken against.

- small:  a non-streaming chat completion, one choice, about 1 KB of JSON;
- large:  non-streaming, 8 choices x 4000 characters, each with 50 logprob tokens x 3 top alternatives;
- stream: a streamed completion of 2000 chunks read to the end (comment lines every 100 chunks, a final usage
  chunk, ``[DONE]``).

The floor posts the same JSON with ``httpx.Client.post`` and ``json.loads(response.content)``; for the stream it
uses ``client.stream("POST", ...)``, ``iter_lines()``, skips comments and ``json.loads`` each ``data:`` payload
until ``[DONE]``.  So the ratio is what the typed SDK (argument checks, request building, retries wrapper, SSE
decoding, typed models) costs over the least any Python client on httpx must do.

Cold and import are wall times of fresh processes (``sys.executable``, median over rounds, after one unmeasured
run to warm the bytecode and file caches).  Their bytecode is cached in a temporary PYTHONPYCACHEPREFIX even when
PYTHONDONTWRITEBYTECODE is set: an installed package has its .pyc files, while an editable checkout would
otherwise be compiled from source in every process, which is not what users see.

- cold:   the whole process, started to exited, that imports the client, constructs it and makes one small call;
- import: ``import modelgates_client`` alone, timed with ``perf_counter`` inside the process, against
  ``import httpx`` measured the same way (our import includes httpx's, so the ratio is at least 1).

Also reported: the wall time of ``python -m scripts.generate --out TMP`` on openapi/modelgates.yaml and, when it exists,
on ../shared/reference/modelgates.openapi.yaml; and the memory of reading a long stream with modelgates_client
(and the floor) in a fresh process, at two lengths (10,000 and 100,000 chunks; 1,000 and 10,000 with --quick):
the tracemalloc peak during the read (Python allocations) and, in a separate run without tracemalloc, how far
the peak RSS (VmHWM, reset through /proc/self/clear_refs just before the read) rises above the RSS before it.
Neither should grow with the stream's length.

--profile runs cProfile (with a CPU-time timer) over both sides of each workload and prints the time per op by
area (modelgates_client core / generated models, httpx, httpcore, h11, json, other; C built-ins charged to their
Python caller) side by side, then the top functions of modelgates_client; and times the phases of a cold start
(import, construct, first call, second call) inside fresh processes.

Figures depend on the machine and on whatever else runs on it; compare ratios, not absolute times.  CPU time of
a round includes httpx's and h11's work, which is identical for both sides.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import gc
import json
import os
import pstats
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import bench_server

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

MODEL = "openai/gpt-4"
MESSAGES: list[dict[str, str]] = [
    {"role": "system", "content": "You are a helpful assistant."},
    {"role": "user", "content": "Say something about foxes."},
]
PAYLOAD: dict[str, Any] = {"model": MODEL, "messages": MESSAGES}
HEADERS = {"Authorization": "Bearer k"}
OUR_SPEC = ROOT / "openapi" / "modelgates.yaml"
REFERENCE_SPEC = ROOT.parent / "shared" / "reference" / "modelgates.openapi.yaml"

FLOOR = "floor"
OURS = "modelgates_client"
OPENAI = "openai"

#: What --only can select: the five workloads of the table, then the extra reports.
PARTS = ("small", "large", "stream", "cold", "import", "memory", "generate")

#: workload -> (unit, target ratio)
TARGETS: dict[str, tuple[str, float]] = {
    "small": ("µs/op", 1.3),
    "large": ("µs/op", 2.0),
    "stream": ("µs/op", 2.5),
    "cold": ("ms", 1.5),
    "import": ("ms", 1.5),
}


@dataclass
class Settings:
    rounds: int  # rounds of CPU workloads (median taken)
    round_s: float  # target CPU seconds of one round (N is calibrated to it)
    min_ops: int  # at least this many ops per round
    proc_rounds: int  # rounds of the cold / import subprocess measurements
    stream_chunks: int  # length of the "stream" workload
    memory_sizes: tuple[int, int]  # stream lengths of the memory measurement
    gen_rounds: int  # runs of the generator per spec


FULL = Settings(
    rounds=11,
    round_s=0.25,
    min_ops=5,
    proc_rounds=9,
    stream_chunks=2000,
    memory_sizes=(10_000, 100_000),
    gen_rounds=3,
)
QUICK = Settings(
    rounds=5,
    round_s=0.04,
    min_ops=2,
    proc_rounds=5,
    stream_chunks=200,
    memory_sizes=(1_000, 10_000),
    gen_rounds=1,
)


@dataclass
class Results:
    cpu: dict[str, dict[str, float]] = field(default_factory=dict)  # workload -> impl -> µs/op
    proc: dict[str, dict[str, float]] = field(default_factory=dict)  # cold/import -> impl -> ms
    generate: dict[str, float | None] = field(default_factory=dict)  # spec -> seconds
    memory: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  # impl -> chunks -> figures
    openai_floor: dict[str, float] = field(default_factory=dict)  # workload -> the floor in openai's process
    notes: list[str] = field(default_factory=list)


# ------------------------------------------------------------------ the implementations


def openai_available() -> bool:
    import importlib.util

    return importlib.util.find_spec("openai") is not None


Op = Callable[[], object]


class Impl:
    """One implementation's operations against one server, each with its own persistent client."""

    name = ""

    def __init__(self, url: str) -> None:
        self.url = url
        self._closers: list[Callable[[], object]] = []

    def small(self) -> Op:
        raise NotImplementedError

    def large(self) -> Op:
        raise NotImplementedError

    def stream(self, n: int) -> Op:
        raise NotImplementedError

    def close(self) -> None:
        for close in self._closers:
            close()
        self._closers.clear()


class Floor(Impl):
    """Raw httpx + json.loads: the least a Python client on httpx must do."""

    name = FLOOR

    def _client(self) -> Any:
        import httpx

        client = httpx.Client(headers=HEADERS)
        self._closers.append(client.close)
        return client

    def small(self) -> Op:
        client, url, loads = self._client(), self.url + "/chat/completions", json.loads

        def op() -> object:
            return loads(client.post(url, json=PAYLOAD).content)

        return op

    def large(self) -> Op:
        client, url, loads = self._client(), self.url + "/large/chat/completions", json.loads

        def op() -> object:
            return loads(client.post(url, json=PAYLOAD).content)

        return op

    def stream(self, n: int) -> Op:
        client, url, loads = self._client(), f"{self.url}/stream-{n}/chat/completions", json.loads
        payload = {**PAYLOAD, "stream": True}

        def op() -> object:
            count = 0
            with client.stream("POST", url, json=payload) as response:
                for line in response.iter_lines():
                    if not line or line[0] == ":":
                        continue
                    if line.startswith("data:"):
                        data = line[6:] if line[5:6] == " " else line[5:]
                        if data == "[DONE]":
                            break
                        loads(data)
                        count += 1
            return count

        return op


class Ours(Impl):
    name = OURS

    def _client(self, prefix: str) -> Any:
        from modelgates_client import ModelGates

        client = ModelGates(api_key="k", server_url=self.url + prefix)
        self._closers.append(client.close)
        return client

    def small(self) -> Op:
        send = self._client("").chat.send

        def op() -> object:
            return send(messages=MESSAGES, model=MODEL)

        return op

    def large(self) -> Op:
        send = self._client("/large").chat.send

        def op() -> object:
            return send(messages=MESSAGES, model=MODEL)

        return op

    def stream(self, n: int) -> Op:
        send = self._client(f"/stream-{n}").chat.send

        def op() -> object:
            count = 0
            with send(messages=MESSAGES, model=MODEL, stream=True) as stream:
                for _chunk in stream:
                    count += 1
            return count

        return op


class OpenAI(Impl):
    name = OPENAI

    def _client(self, prefix: str) -> Any:
        import openai

        client = openai.OpenAI(api_key="k", base_url=self.url + prefix)
        self._closers.append(client.close)
        return client

    def small(self) -> Op:
        create = self._client("").chat.completions.create

        def op() -> object:
            return create(messages=MESSAGES, model=MODEL)

        return op

    def large(self) -> Op:
        create = self._client("/large").chat.completions.create

        def op() -> object:
            return create(messages=MESSAGES, model=MODEL)

        return op

    def stream(self, n: int) -> Op:
        create = self._client(f"/stream-{n}").chat.completions.create

        def op() -> object:
            count = 0
            with create(messages=MESSAGES, model=MODEL, stream=True) as stream:
                for _chunk in stream:
                    count += 1
            return count

        return op


# ------------------------------------------------------------------ CPU workloads


def calibrate(op: Op, settings: Settings) -> int:
    """Warm `op` up and return N such that N ops take about `settings.round_s` of CPU."""
    for _ in range(3):
        op()
    per_op = float("inf")
    for _ in range(3):  # the fastest of three short batches: robust to a hiccup (or a GC pass) during calibration
        start = time.process_time()
        done = 0
        while done < 2 or time.process_time() - start < 0.02:
            op()
            done += 1
        per_op = min(per_op, (time.process_time() - start) / done)
    return max(settings.min_ops, round(settings.round_s / max(per_op, 1e-7)))


def run_cpu(workload: str, ops: dict[str, Op], settings: Settings) -> dict[str, float]:
    """Median CPU µs per op of each implementation, rounds interleaved."""
    counts = {name: calibrate(op, settings) for name, op in ops.items()}
    samples: dict[str, list[float]] = {name: [] for name in ops}
    for _ in range(settings.rounds):
        for name, op in ops.items():
            n = counts[name]
            gc.collect()
            start = time.process_time()
            for _ in range(n):
                op()
            samples[name].append((time.process_time() - start) / n * 1e6)
    medians = {name: statistics.median(values) for name, values in samples.items()}
    spread = ", ".join(
        f"{name} {min(v):.0f}-{max(v):.0f} (N={counts[name]})" for name, v in samples.items() if len(v) > 1
    )
    print(f"  {workload:<7} µs/op range over {settings.rounds} rounds: {spread}", flush=True)
    return medians


def check_results(impls: list[Impl], stream_chunks: int) -> None:
    """A sanity check that every implementation reads what the server sends (before timing anything)."""
    for impl in impls:
        small = impl.small()()
        large = impl.large()()
        count = impl.stream(stream_chunks)()
        if impl.name == FLOOR:
            assert isinstance(small, dict) and isinstance(large, dict) and len(large["choices"]) == 8
        else:
            assert len(large.choices) == 8, impl.name  # type: ignore[attr-defined]
            assert len(large.choices[0].logprobs.content) == 50, impl.name  # type: ignore[attr-defined]
            assert small.choices[0].message.content, impl.name  # type: ignore[attr-defined]
        assert count == stream_chunks + 1, (impl.name, count)  # content chunks + the usage chunk
        impl.close()


CPU_PARTS = {"small", "large", "stream"}


def run_cpu_workloads(url: str, names: list[str], parts: set[str], settings: Settings) -> dict[str, dict[str, float]]:
    """The CPU workloads selected in `parts`, for the implementations `names`: workload -> impl -> µs/op."""
    classes: dict[str, type[Impl]] = {FLOOR: Floor, OURS: Ours, OPENAI: OpenAI}
    impls = [classes[name](url) for name in names]
    out: dict[str, dict[str, float]] = {}
    try:
        if "small" in parts:
            out["small"] = run_cpu("small", {i.name: i.small() for i in impls}, settings)
        if "large" in parts:
            out["large"] = run_cpu("large", {i.name: i.large() for i in impls}, settings)
        if "stream" in parts:
            out["stream"] = run_cpu("stream", {i.name: i.stream(settings.stream_chunks) for i in impls}, settings)
    finally:
        for impl in impls:
            impl.close()
    return out


def run_openai_worker(url: str, parts: set[str], quick: bool) -> dict[str, dict[str, float]]:
    """Run the CPU workloads of openai (interleaved with the floor) in a child process: importing openai and
    pydantic grows the heap, which makes every garbage collection, and so every workload, slower."""
    cmd = [sys.executable, "-m", "scripts.bench", "--openai-worker", url, "--only", ",".join(sorted(parts))]
    if quick:
        cmd.append("--quick")
    proc = subprocess.run(cmd, stdout=subprocess.PIPE, text=True, timeout=1800, cwd=ROOT)  # progress: stderr
    if proc.returncode != 0:
        raise RuntimeError(f"the openai worker failed (exit code {proc.returncode})")
    result: dict[str, dict[str, float]] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def openai_worker(url: str, parts: set[str], settings: Settings) -> int:
    """The child side of run_openai_worker: progress on stderr, the figures as one JSON line on stdout."""
    with contextlib.redirect_stdout(sys.stderr):
        check = OpenAI(url)
        try:
            large = check.large()()
            assert len(large.choices) == 8 and check.stream(100)() == 101  # type: ignore[attr-defined]
        finally:
            check.close()
        figures = run_cpu_workloads(url, [FLOOR, OPENAI], parts & CPU_PARTS, settings)
    print(json.dumps(figures))
    return 0


# ------------------------------------------------------------------ fresh processes

COLD_CODE = {
    FLOOR: """
        import json, httpx
        client = httpx.Client(headers={{"Authorization": "Bearer k"}})
        json.loads(client.post({url!r} + "/chat/completions", json={payload!r}).content)
        client.close()
    """,
    OURS: """
        from modelgates_client import ModelGates
        mg = ModelGates(api_key="k", server_url={url!r})
        mg.chat.send(messages={messages!r}, model={model!r})
        mg.close()
    """,
    OPENAI: """
        import openai
        client = openai.OpenAI(api_key="k", base_url={url!r})
        client.chat.completions.create(messages={messages!r}, model={model!r})
        client.close()
    """,
}

IMPORT_CODE = """
    import time
    start = time.perf_counter()
    import {module}
    print(time.perf_counter() - start)
"""

MEMORY_CODE = {
    FLOOR: """
        import httpx, json
        client = httpx.Client(headers={{"Authorization": "Bearer k"}})
        def read(url):
            count = 0
            with client.stream("POST", url + "/chat/completions", json={payload!r}) as response:
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        if line == "data: [DONE]":
                            break
                        json.loads(line[6:])
                        count += 1
            return count
    """,
    OURS: """
        from modelgates_client import ModelGates
        def read(url):
            count = 0
            with ModelGates(api_key="k", server_url=url) as mg:
                with mg.chat.send(messages={messages!r}, model={model!r}, stream=True) as stream:
                    for _chunk in stream:
                        count += 1
            return count
    """,
}

MEMORY_MEASURE = """
    import gc, json, sys, tracemalloc
    url, n, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    read(url + "/stream-100")  # warm up: lazy imports, first-use caches
    gc.collect()
    if mode == "tracemalloc":
        tracemalloc.start()
        base = tracemalloc.get_traced_memory()[0]
    def status(key):  # KiB, from /proc/self/status (Linux)
        with open("/proc/self/status") as f:
            return next(int(line.split()[1]) for line in f if line.startswith(key))
    try:  # reset the peak RSS (VmHWM) to the current RSS, so that the peak is that of the read alone
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        rss = status("VmRSS:")
    except OSError:
        rss = None
    count = read(url + f"/stream-{{n}}")
    out = {{"chunks": count}}
    if mode == "tracemalloc":
        out["tracemalloc_peak_kib"] = (tracemalloc.get_traced_memory()[1] - base) / 1024
    elif rss is not None:
        out["rss_peak_growth_kib"] = status("VmHWM:") - rss
    else:
        out["rss_peak_growth_kib"] = float("nan")
    print(json.dumps(out))
"""


def _code(template: str, url: str, **extra: Any) -> str:
    fields = {"url": url, "payload": PAYLOAD, "messages": MESSAGES, "model": MODEL, **extra}
    return textwrap.dedent(template.format(**fields))


#: Environment of the measured fresh processes, set by main(): bytecode is cached (in a temporary
#: PYTHONPYCACHEPREFIX, so the work tree is left alone) even when PYTHONDONTWRITEBYTECODE is set, because an
#: installed package has its bytecode compiled at install time and an editable one would otherwise be compiled
#: from source in every process, which is not what users see.
CHILD_ENV: dict[str, str] = dict(os.environ)


def _run(code: str, *args: str, timeout: float = 300) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=tempfile.gettempdir(),  # import the installed package, not whatever the current directory holds
        env=CHILD_ENV,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed ({proc.returncode}):\n{proc.stderr[-2000:]}")
    return proc.stdout


def wall_of_process(code: str) -> float:
    start = time.perf_counter()
    _run(code)
    return time.perf_counter() - start


def run_cold(url: str, names: list[str], settings: Settings) -> dict[str, float]:
    """Median wall ms of a fresh process that imports, constructs and makes one small call."""
    codes = {name: _code(COLD_CODE[name], url) for name in names}
    samples: dict[str, list[float]] = {name: [] for name in names}
    for code in codes.values():
        wall_of_process(code)  # unmeasured: warm the bytecode and file caches
    for _ in range(settings.proc_rounds):
        for name, code in codes.items():
            samples[name].append(wall_of_process(code) * 1e3)
    return {name: statistics.median(v) for name, v in samples.items()}


def run_import(names: list[str], settings: Settings) -> dict[str, float]:
    """Median ms of the import alone, measured inside fresh processes."""
    modules = {FLOOR: "httpx", OURS: "modelgates_client", OPENAI: "openai"}
    codes = {name: _code(IMPORT_CODE, "", module=modules[name]) for name in names}
    samples: dict[str, list[float]] = {name: [] for name in names}
    for code in codes.values():
        _run(code)
    for _ in range(settings.proc_rounds):
        for name, code in codes.items():
            samples[name].append(float(_run(code)) * 1e3)
    return {name: statistics.median(v) for name, v in samples.items()}


def run_memory(url: str, settings: Settings) -> dict[str, dict[str, dict[str, float]]]:
    """tracemalloc peak and peak-RSS growth of reading a long stream, at the two lengths."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name in (FLOOR, OURS):
        code = _code(MEMORY_CODE[name], "", payload={**PAYLOAD, "stream": True}) + textwrap.dedent(
            MEMORY_MEASURE.format()
        )
        out[name] = {}
        for n in settings.memory_sizes:
            figures: dict[str, float] = {}
            for mode in ("rss", "tracemalloc"):
                got = json.loads(_run(code, url, str(n), mode))
                if got.pop("chunks") != n + 1:
                    raise RuntimeError(f"{name}: the {n}-chunk stream was not read to the end")
                figures.update(got)
            out[name][str(n)] = figures
    return out


def run_generate(settings: Settings) -> dict[str, float | None]:
    """Median wall seconds of python -m scripts.generate --spec SPEC --out TMP (None: the spec does not exist)."""
    out: dict[str, float | None] = {}
    for label, spec in (
        ("openapi/modelgates.yaml", OUR_SPEC),
        ("shared/reference/modelgates.openapi.yaml", REFERENCE_SPEC),
    ):
        if not spec.exists():
            out[label] = None
            continue
        times = []
        for _ in range(settings.gen_rounds):
            tmp = tempfile.mkdtemp(prefix="bench-generate-")
            try:
                start = time.perf_counter()
                proc = subprocess.run(
                    [sys.executable, "-m", "scripts.generate", "--spec", str(spec), "--out", tmp],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    timeout=600,
                )
                times.append(time.perf_counter() - start)
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
            if proc.returncode != 0:
                raise RuntimeError(f"generate.py failed on {spec}:\n{proc.stderr[-2000:]}")
        out[label] = statistics.median(times)
    return out


# ------------------------------------------------------------------ profiling


def _area(filename: str) -> str:
    path = filename.replace(os.sep, "/")
    if path.startswith("<attrs generated") and "modelgates_client." in path:  # __init__ & co. of the models
        return "modelgates_client/_generated"
    if "/modelgates_client/_generated/" in path:
        return "modelgates_client/_generated"
    if "/modelgates_client/" in path:
        return "modelgates_client (core)"
    for lib in ("httpx", "httpcore", "h11", "anyio", "json"):
        if f"/{lib}/" in path:
            return lib
    if filename.startswith("~") or filename == "<built-in>":
        return "builtins (C)"
    return "other (stdlib)"


def _profile_areas(op: Op, count: int) -> tuple[float, dict[str, float], dict[tuple[str, int, str], Any]]:
    """cProfile `count` calls of `op` (after two warm-up calls): (total seconds, seconds by area, raw stats)."""
    op()
    op()
    gc.collect()
    prof = cProfile.Profile(time.process_time)  # CPU time, like the benchmark (waits for the server don't count)
    prof.enable()
    for _ in range(count):
        op()
    prof.disable()
    raw: dict[tuple[str, int, str], Any] = pstats.Stats(prof).stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values()) or 1e-9
    areas: dict[str, float] = {}
    for (filename, _line, _func), (_cc, _nc, tt, _ct, callers) in raw.items():
        area = _area(filename)
        if area == "builtins (C)" and callers:
            # Charge a C function (json's scanner, socket I/O, str methods...) to the Python code calling it,
            # in proportion to the time spent in it from each caller.
            edges = {caller: edge[2] for caller, edge in callers.items()}
            spent = sum(edges.values()) or 1.0
            for (caller_file, _l, _f), edge_tt in edges.items():
                caller_area = _area(caller_file)
                if caller_area == "builtins (C)":
                    caller_area = "other (stdlib)"
                areas[caller_area] = areas.get(caller_area, 0.0) + tt * edge_tt / spent
            continue
        areas[area] = areas.get(area, 0.0) + tt
    return total, areas, raw


def profile(name: str, ours_op: Op, floor_op: Op, count: int, top: int = 12) -> dict[str, Any]:
    """cProfile modelgates_client and the floor on one workload; print the time per op by area, side by side,
    and the top functions of modelgates_client by self time."""
    floor_total, floor_areas, _ = _profile_areas(floor_op, count)
    total, areas, raw = _profile_areas(ours_op, count)
    us = 1e6 / count
    print(f"\ncProfile, {name}: {count} ops each; CPU µs/op under the profiler (which inflates Python-heavy code)")
    print("  self time by area, C built-ins charged to their Python caller:")
    print(f"    {'area':<30} {'floor':>9} {OURS:>18} {'delta':>9}")
    for area in sorted(set(areas) | set(floor_areas), key=lambda a: -areas.get(a, 0.0)):
        mine, theirs = areas.get(area, 0.0) * us, floor_areas.get(area, 0.0) * us
        if mine or theirs:
            print(f"    {area:<30} {theirs:>9.1f} {mine:>18.1f} {mine - theirs:>+9.1f}")
    print(f"    {'total':<30} {floor_total * us:>9.1f} {total * us:>18.1f} {(total - floor_total) * us:>+9.1f}")
    ours = sorted(
        (
            (tt, ct, nc, f"{Path(fn).relative_to(ROOT) if fn.startswith(str(ROOT)) else fn}:{line}({func})")
            for (fn, line, func), (_cc, nc, tt, ct, _callers) in raw.items()
            if "/modelgates_client/" in fn.replace(os.sep, "/") or fn.startswith("<attrs generated methods modelgates_")
        ),
        reverse=True,
    )
    print(f"  top {top} functions of modelgates_client by self time (share of all self time; cumulative; calls/op):")
    for tt, ct, nc, where in ours[:top]:
        print(f"    {tt / total:6.1%} {tt * us:8.1f} µs  cum {ct / total:6.1%}  {nc / count:7.1f}/op  {where}")
    return {
        "us_per_op_profiled": {FLOOR: floor_total * us, OURS: total * us},
        "areas_us_per_op": {
            FLOOR: {a: t * us for a, t in floor_areas.items()},
            OURS: {a: t * us for a, t in areas.items()},
        },
        "top": [
            {"function": where, "self_share": tt / total, "self_us_per_op": tt * us, "cum_share": ct / total}
            for tt, ct, _nc, where in ours[:top]
        ],
    }


COLD_PHASES = {
    FLOOR: """
        import json, time
        t0 = time.perf_counter()
        import httpx
        t1 = time.perf_counter()
        client = httpx.Client(headers={{"Authorization": "Bearer k"}})
        t2 = time.perf_counter()
        json.loads(client.post({url!r} + "/chat/completions", json={payload!r}).content)
        t3 = time.perf_counter()
        json.loads(client.post({url!r} + "/chat/completions", json={payload!r}).content)
        t4 = time.perf_counter()
        print(json.dumps([t1 - t0, t2 - t1, t3 - t2, t4 - t3]))
    """,
    OURS: """
        import json, time
        t0 = time.perf_counter()
        from modelgates_client import ModelGates
        t1 = time.perf_counter()
        mg = ModelGates(api_key="k", server_url={url!r})
        t2 = time.perf_counter()
        mg.chat.send(messages={messages!r}, model={model!r})
        t3 = time.perf_counter()
        mg.chat.send(messages={messages!r}, model={model!r})
        t4 = time.perf_counter()
        print(json.dumps([t1 - t0, t2 - t1, t3 - t2, t4 - t3]))
    """,
}


def cold_phases(url: str, rounds: int) -> dict[str, list[float]]:
    """Median ms of each phase of a cold start (import, construct, first call, second call), in fresh processes."""
    codes = {name: _code(code, url) for name, code in COLD_PHASES.items()}
    samples: dict[str, list[list[float]]] = {name: [] for name in codes}
    for code in codes.values():
        _run(code)
    for _ in range(rounds):
        for name, code in codes.items():
            samples[name].append(json.loads(_run(code)))
    out = {name: [statistics.median(s[i] for s in runs) * 1e3 for i in range(4)] for name, runs in samples.items()}
    print("\nCold start by phase (ms wall inside a fresh process, median; the floor's client is built eagerly,")
    print("ours on the first call, so compare construct + first call):")
    print(f"    {'':<18} {'import':>8} {'construct':>10} {'1st call':>9} {'2nd call':>9}")
    for name, phases in out.items():
        print(f"    {name:<18} " + " ".join(f"{v:>{w}.1f}" for v, w in zip(phases, (8, 10, 9, 9), strict=True)))
    return out


# ------------------------------------------------------------------ report


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "-"
    if unit == "ms":
        return f"{value:.1f} ms"
    return f"{value:,.0f} µs" if value >= 100 else f"{value:.1f} µs"


def print_table(results: Results, names: list[str], stream_chunks: int) -> None:
    label = {
        "small": "small (1 choice, ~1 KB)",
        "large": "large (8x4000 chars, logprobs)",
        "stream": f"stream ({stream_chunks:,} chunks)",
        "cold": "cold (process: import+call)",
        "import": "import (vs import httpx)",
    }
    header = ["workload", "floor", OURS, "ratio", "target", "status"]
    if OPENAI in names:
        header += ["openai", "ratio"]
    rows = [header]
    for workload, (unit, target) in TARGETS.items():
        figures = results.cpu.get(workload) or results.proc.get(workload)
        if not figures:
            continue
        floor, ours = figures.get(FLOOR), figures.get(OURS)
        ratio = ours / floor if floor and ours else None
        status = "" if ratio is None else ("ok" if ratio <= target else "OVER")
        unit_label = "µs/op" if unit == "µs/op" else "ms"
        row = [
            f"{label[workload]} [{unit_label}]",
            _fmt(floor, unit),
            _fmt(ours, unit),
            f"{ratio:.2f}x" if ratio else "-",
            f"≤{target}x",
            status,
        ]
        if OPENAI in names:
            theirs = figures.get(OPENAI)
            base = results.openai_floor.get(workload, floor)  # CPU workloads: the floor of openai's own process
            row += [_fmt(theirs, unit), f"{theirs / base:.2f}x" if theirs and base else "-"]
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    right = {1, 2, 3, 6, 7}
    for i, row in enumerate(rows):
        cells = [c.rjust(w) if j in right else c.ljust(w) for j, (c, w) in enumerate(zip(row, widths, strict=True))]
        print(" | ".join(cells).rstrip())
        if i == 0:
            print("-+-".join("-" * w for w in widths))


def print_extras(results: Results) -> None:
    if results.generate:
        print("\nGenerating the client (python -m scripts.generate --out TMP, wall, median):")
    for spec, seconds in results.generate.items():
        print(f"  {spec:<42} {'(not found)' if seconds is None else f'{seconds:.2f} s'}")
    if results.memory:
        print("\nMemory of reading one stream to the end (fresh process; chunks are not kept):")
        print(f"  {'':<18} {'chunks':>8} {'tracemalloc peak':>17} {'peak RSS growth':>17}")
        for name, by_size in results.memory.items():
            for n, figures in by_size.items():
                print(
                    f"  {name:<18} {int(n):>8,} {figures['tracemalloc_peak_kib']:>13,.0f} KiB"
                    f" {figures['rss_peak_growth_kib']:>13,.0f} KiB"
                )
        ours = results.memory.get(OURS, {})
        if len(ours) == 2:
            small, large = (ours[k]["tracemalloc_peak_kib"] for k in ours)
            growth = large / small if small else float("inf")
            verdict = "flat" if growth < 1.5 else "GROWS with the stream"
            print(f"  modelgates_client peak at 10x the chunks: {growth:.2f}x ({verdict})")
    for note in results.notes:
        print(f"\nNote: {note}")


# ------------------------------------------------------------------ main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="few rounds and small streams (CI smoke run)")
    parser.add_argument("--compare", action="store_true", help="also run the openai package, if importable")
    parser.add_argument("--json", type=Path, metavar="PATH", help="write the figures as JSON to PATH")
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile both sides of small, large, stream; cold start by phase"
    )
    parser.add_argument(
        "--only",
        metavar="PARTS",
        help=f"comma-separated subset of {','.join(PARTS)} (default: all)",
    )
    parser.add_argument("--openai-worker", metavar="URL", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    settings = QUICK if args.quick else FULL
    parts = set(PARTS) if not args.only else {p.strip() for p in args.only.split(",") if p.strip()}
    if parts - set(PARTS):
        parser.error(f"--only: unknown part(s) {', '.join(sorted(parts - set(PARTS)))}; choose from {', '.join(PARTS)}")
    if args.openai_worker:
        return openai_worker(args.openai_worker, parts, settings)

    results = Results()
    names = [FLOOR, OURS]
    if args.compare:
        if openai_available():
            names.append(OPENAI)
        else:
            results.notes.append("--compare: the openai package is not installed; its column is left out.")
    began = time.perf_counter()
    pycache = tempfile.mkdtemp(prefix="bench-pycache-")
    CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    CHILD_ENV["PYTHONPYCACHEPREFIX"] = pycache
    prebuild = (100, settings.stream_chunks, *(settings.memory_sizes if "memory" in parts else ()))
    print(f"Starting the server (building {len(prebuild)} streams)...", flush=True)
    server, url = bench_server.start_server(tuple(sorted(set(prebuild))))
    profiles: dict[str, Any] = {}
    try:
        print(f"Server at {url}; {'quick' if args.quick else 'full'} run, implementations: {', '.join(names)}")
        check_results([Floor(url), Ours(url)], 100)

        print("CPU time per operation (time.process_time, this process only):", flush=True)
        results.cpu = run_cpu_workloads(url, [FLOOR, OURS], parts, settings)
        if OPENAI in names and CPU_PARTS & parts:
            print("  openai: in a separate process (its imports would slow down everything in this one)", flush=True)
            for workload, figures in run_openai_worker(url, parts, args.quick).items():
                results.cpu[workload][OPENAI] = figures[OPENAI]
                results.openai_floor[workload] = figures[FLOOR]

        if "cold" in parts or "import" in parts:
            print("Fresh processes (wall time)...", flush=True)
        if "cold" in parts:
            results.proc["cold"] = run_cold(url, names, settings)
        if "import" in parts:
            results.proc["import"] = run_import(names, settings)

        if "memory" in parts:
            print("Stream memory...", flush=True)
            results.memory = run_memory(url, settings)

        if args.profile:
            mine, floor = Ours(url), Floor(url)
            try:
                n = settings.stream_chunks
                scale = 10 if args.quick else 1
                for name, label, count, ours_op, floor_op in (
                    ("small", "small", 3000, mine.small(), floor.small()),
                    ("large", "large", 200, mine.large(), floor.large()),
                    (f"stream-{n}", f"stream ({n:,} chunks)", 30, mine.stream(n), floor.stream(n)),
                ):
                    profiles[name] = profile(label, ours_op, floor_op, max(3, count // scale))
            finally:
                mine.close()
                floor.close()
            profiles["cold_phases_ms"] = cold_phases(url, settings.proc_rounds)
    finally:
        bench_server.stop_server(server)
        shutil.rmtree(pycache, ignore_errors=True)

    if "generate" in parts:
        print("Timing the generator...", flush=True)
        results.generate = run_generate(settings)

    print(f"\nmodelgates_client vs the floor (raw httpx + json.loads); Python {sys.version.split()[0]}, ", end="")
    print(f"{os.cpu_count()} CPUs; medians; ratio = modelgates_client / floor\n")
    print_table(results, names, settings.stream_chunks)
    print_extras(results)
    print(f"\nTotal benchmark time: {time.perf_counter() - began:.0f} s")

    if args.json:
        doc = {
            "python": sys.version.split()[0],
            "quick": args.quick,
            "settings": settings.__dict__,
            "units": {"cpu": "µs CPU per op", "proc": "ms wall", "generate": "s wall", "memory": "KiB"},
            "targets": {k: v[1] for k, v in TARGETS.items()},
            "cpu": results.cpu,
            "openai_floor": results.openai_floor,
            "proc": results.proc,
            "ratios": {
                workload: figures[OURS] / figures[FLOOR]
                for workload, figures in {**results.cpu, **results.proc}.items()
                if figures.get(FLOOR)
            },
            "generate_s": results.generate,
            "memory": results.memory,
            "profiles": profiles,
            "notes": results.notes,
        }
        args.json.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        print(f"Figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
