"""The command line of the benchmark (make bench, make bench-quick): what to run, in what order, and the report."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from . import server
from .config import CPU_PARTS, FLOOR, FULL, OPENAI, OURS, PARTS, QUICK, TARGETS, Results, Settings
from .cpu import check_results, openai_worker, run_cpu_workloads, run_openai_worker
from .impls import Floor, Ours, openai_available
from .processes import CHILD_ENV, run_cold, run_generate, run_import, run_memory
from .profiling import cold_phases, profile
from .report import print_extras, print_table

__all__ = ["main"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description="Benchmark modelgates_client against the floor: raw httpx + json.loads doing the same work."
    )
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
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
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
    profiles = _with_server(args, settings, parts, names, results)
    if "generate" in parts:
        print("Timing the generator...", flush=True)
        results.generate = run_generate(settings)

    print(f"\nmodelgates_client vs the floor (raw httpx + json.loads); Python {sys.version.split()[0]}, ", end="")
    print(f"{os.cpu_count()} CPUs; medians; ratio = modelgates_client / floor\n")
    print_table(results, names, settings.stream_chunks)
    print_extras(results)
    print(f"\nTotal benchmark time: {time.perf_counter() - began:.0f} s")
    if args.json:
        args.json.write_text(
            json.dumps(_figures(args, settings, results, profiles), indent=2, ensure_ascii=False) + "\n"
        )
        print(f"Figures written to {args.json}")
    return 0


def _with_server(
    args: argparse.Namespace, settings: Settings, parts: set[str], names: list[str], results: Results
) -> dict[str, Any]:
    """Everything measured against the benchmark server (started here, stopped at the end); the profiles."""
    pycache = tempfile.mkdtemp(prefix="bench-pycache-")
    CHILD_ENV.pop("PYTHONDONTWRITEBYTECODE", None)
    CHILD_ENV["PYTHONPYCACHEPREFIX"] = pycache
    prebuild = (100, settings.stream_chunks, *(settings.memory_sizes if "memory" in parts else ()))
    print(f"Starting the server (building {len(prebuild)} streams)...", flush=True)
    process, url = server.start_server(tuple(sorted(set(prebuild))))
    try:
        print(f"Server at {url}; {'quick' if args.quick else 'full'} run, implementations: {', '.join(names)}")
        check_results([Floor(url), Ours(url)], 100)
        _measure(url, args.quick, settings, parts, names, results)
        return _profiles(url, settings, args.quick) if args.profile else {}
    finally:
        server.stop_server(process)
        shutil.rmtree(pycache, ignore_errors=True)


def _measure(url: str, quick: bool, settings: Settings, parts: set[str], names: list[str], results: Results) -> None:
    """The CPU workloads, the fresh processes and the stream memory, as `parts` selects them."""
    print("CPU time per operation (time.process_time, this process only):", flush=True)
    results.cpu = run_cpu_workloads(url, [FLOOR, OURS], parts, settings)
    if OPENAI in names and CPU_PARTS & parts:
        print("  openai: in a separate process (its imports would slow down everything in this one)", flush=True)
        for workload, figures in run_openai_worker(url, parts, quick).items():
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


def _profiles(url: str, settings: Settings, quick: bool) -> dict[str, Any]:
    """--profile: cProfile of both sides of each CPU workload, and the phases of a cold start."""
    profiles: dict[str, Any] = {}
    mine, floor = Ours(url), Floor(url)
    try:
        n = settings.stream_chunks
        scale = 10 if quick else 1
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
    return profiles


def _figures(
    args: argparse.Namespace, settings: Settings, results: Results, profiles: dict[str, Any]
) -> dict[str, Any]:
    """Every figure, as --json writes it."""
    return {
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
