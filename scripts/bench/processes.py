"""Fresh processes: cold start and import (wall time), the memory of reading a long stream, and the time of a
generation. Each measured process runs code written here, with the environment CHILD_ENV."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from typing import Any

from ..common.text import tail
from .config import FLOOR, MESSAGES, MODEL, OPENAI, OUR_SPEC, OURS, PAYLOAD, REFERENCE_SPEC, ROOT, Settings

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


def code_of(template: str, url: str, **extra: Any) -> str:
    fields = {"url": url, "payload": PAYLOAD, "messages": MESSAGES, "model": MODEL, **extra}
    return textwrap.dedent(template.format(**fields))


#: Environment of the measured fresh processes, set by main(): bytecode is cached (in a temporary
#: PYTHONPYCACHEPREFIX, so the work tree is left alone) even when PYTHONDONTWRITEBYTECODE is set, because an
#: installed package has its bytecode compiled at install time and an editable one would otherwise be compiled
#: from source in every process, which is not what users see.
CHILD_ENV: dict[str, str] = dict(os.environ)


def run_python(code: str, *args: str, timeout: float = 300) -> str:
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=tempfile.gettempdir(),  # import the installed package, not whatever the current directory holds
        env=CHILD_ENV,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"benchmark subprocess failed ({proc.returncode}):\n{tail(proc.stderr)}")
    return proc.stdout


def wall_of_process(code: str) -> float:
    start = time.perf_counter()
    run_python(code)
    return time.perf_counter() - start


def run_cold(url: str, names: list[str], settings: Settings) -> dict[str, float]:
    """Median wall ms of a fresh process that imports, constructs and makes one small call."""
    codes = {name: code_of(COLD_CODE[name], url) for name in names}
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
    codes = {name: code_of(IMPORT_CODE, "", module=modules[name]) for name in names}
    samples: dict[str, list[float]] = {name: [] for name in names}
    for code in codes.values():
        run_python(code)
    for _ in range(settings.proc_rounds):
        for name, code in codes.items():
            samples[name].append(float(run_python(code)) * 1e3)
    return {name: statistics.median(v) for name, v in samples.items()}


def run_memory(url: str, settings: Settings) -> dict[str, dict[str, dict[str, float]]]:
    """tracemalloc peak and peak-RSS growth of reading a long stream, at the two lengths."""
    out: dict[str, dict[str, dict[str, float]]] = {}
    for name in (FLOOR, OURS):
        code = code_of(MEMORY_CODE[name], "", payload={**PAYLOAD, "stream": True}) + textwrap.dedent(
            MEMORY_MEASURE.format()
        )
        out[name] = {}
        for n in settings.memory_sizes:
            figures: dict[str, float] = {}
            for mode in ("rss", "tracemalloc"):
                got = json.loads(run_python(code, url, str(n), mode))
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
                raise RuntimeError(f"python -m scripts.generate failed on {spec}:\n{tail(proc.stderr)}")
        out[label] = statistics.median(times)
    return out
