"""CPU workloads (small, large, stream): CPU time per operation in this process, rounds interleaved between the
implementations, N calibrated per round; openai's in a child process of its own."""

from __future__ import annotations

import contextlib
import gc
import json
import statistics
import subprocess
import sys
import time

from .config import CPU_PARTS, FLOOR, OPENAI, OURS, ROOT, Settings
from .impls import Floor, Impl, Op, OpenAI, Ours


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
