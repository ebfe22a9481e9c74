"""The benchmark's report: the table of ratios against the floor, the extra figures (generation, memory), and the
figures as JSON (--json)."""

from __future__ import annotations

from .config import FLOOR, OPENAI, OURS, TARGETS, Results


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
