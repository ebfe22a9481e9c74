"""Run every example as a subprocess; exit 1 if any fails (`make examples`).

    python examples/run_all.py [--live] [--quiet]

Examples run against a local server unless --live is given (then MODELGATES_API_KEY must be set).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
#: Run first, in this order; any other example found in the directory runs after them.
ORDER = [
    "quickstart.py",
    "streaming.py",
    "async_streaming.py",
    "tools.py",
    "structured_output.py",
    "generation_stats.py",
    "demo.py",
]
TIMEOUT = 120


def examples() -> list[Path]:
    found = {p.name for p in HERE.glob("*.py") if not p.name.startswith("_") and p.name != Path(__file__).name}
    names = [n for n in ORDER if n in found] + sorted(found - set(ORDER))
    return [HERE / n for n in names]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--live", action="store_true", help="run against the real API (needs MODELGATES_API_KEY)")
    parser.add_argument("--quiet", "-q", action="store_true", help="show the output of failed examples only")
    args = parser.parse_args()
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.setdefault("PYTHONIOENCODING", "utf-8")
    extra = ["--live"] if args.live else []

    failed: list[str] = []
    for path in examples():
        started = time.monotonic()
        try:
            proc = subprocess.run(
                [sys.executable, str(path), *extra],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=TIMEOUT,
            )
            ok, output = proc.returncode == 0, proc.stdout + proc.stderr
            status = "ok" if ok else f"FAILED (exit {proc.returncode})"
        except subprocess.TimeoutExpired as exc:
            ok, status = False, f"FAILED (timed out after {TIMEOUT}s)"
            output = "".join(
                part.decode(errors="replace") if isinstance(part, bytes) else part or ""
                for part in (exc.stdout, exc.stderr)
            )
        print(f"{path.name:<24} {status} ({time.monotonic() - started:.1f}s)", flush=True)
        if not ok:
            failed.append(path.name)
        if not ok or not args.quiet:
            for line in output.rstrip().splitlines():
                print(f"    {line}")
            print(flush=True)
    if failed:
        print(f"{len(failed)} example(s) failed: {', '.join(failed)}")
        return 1
    print("all examples passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
