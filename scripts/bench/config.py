"""What the benchmark runs, and how much: the workloads' request, the implementations' names, the parts --only
selects, the target ratios, and the two run sizes (full, --quick)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]

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


CPU_PARTS = {"small", "large", "stream"}
