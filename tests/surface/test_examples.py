"""The examples run (against the local server) and succeed: examples/run_all.py runs each as a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.slow
def test_run_all_examples() -> None:
    env = {k: v for k, v in os.environ.items() if k != "MODELGATES_BASE_URL"}
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "run_all.py")],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "all examples passed" in proc.stdout
    expected = {p.name for p in EXAMPLES.glob("*.py") if not p.name.startswith("_") and p.name != "run_all.py"}
    assert {"quickstart.py", "streaming.py", "async_streaming.py", "tools.py", "structured_output.py"} <= expected
    assert {"generation_stats.py", "demo.py"} <= expected
    ran = {line.split()[0] for line in proc.stdout.splitlines() if line.endswith("s)") and " ok (" in line}
    assert ran == expected


def test_live_mode_needs_an_api_key() -> None:
    env = {k: v for k, v in os.environ.items() if k != "MODELGATES_API_KEY"}
    proc = subprocess.run(
        [sys.executable, str(EXAMPLES / "quickstart.py"), "--live"],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert proc.returncode == 2
    assert "MODELGATES_API_KEY" in proc.stderr
