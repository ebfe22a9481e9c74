"""--profile: cProfile over both sides of each CPU workload (time per operation by area, the top functions of
modelgates_client), and the phases of a cold start timed inside fresh processes."""

from __future__ import annotations

import cProfile
import gc
import json
import os
import pstats
import statistics
import time
from pathlib import Path
from typing import Any

from .config import FLOOR, OURS, ROOT
from .impls import Op
from .processes import code_of, run_python


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
    codes = {name: code_of(code, url) for name, code in COLD_PHASES.items()}
    samples: dict[str, list[list[float]]] = {name: [] for name in codes}
    for code in codes.values():
        run_python(code)
    for _ in range(rounds):
        for name, code in codes.items():
            samples[name].append(json.loads(run_python(code)))
    out = {name: [statistics.median(s[i] for s in runs) * 1e3 for i in range(4)] for name, runs in samples.items()}
    print("\nCold start by phase (ms wall inside a fresh process, median; the floor's client is built eagerly,")
    print("ours on the first call, so compare construct + first call):")
    print(f"    {'':<18} {'import':>8} {'construct':>10} {'1st call':>9} {'2nd call':>9}")
    for name, phases in out.items():
        print(f"    {name:<18} " + " ".join(f"{v:>{w}.1f}" for v, w in zip(phases, (8, 10, 9, 9), strict=True)))
    return out
