"""Fail when modelgates_client/_generated is not what the committed spec and templates produce.

Regenerates into a temporary directory and compares file by file. Exit 0 when identical; otherwise exit 1,
listing the files that differ (with the head of a unified diff) and the command that fixes it.
"""

from __future__ import annotations

import argparse
import difflib
import sys
import tempfile
from pathlib import Path

from .generator import pipeline

DIFF_LINES = 20


def files(root: Path) -> dict[str, Path]:
    return {
        p.relative_to(root).as_posix(): p
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def compare(expected_dir: Path, actual_dir: Path) -> list[str]:
    """Problems found comparing the fresh generation (expected) with the committed tree (actual)."""
    expected, actual = files(expected_dir), files(actual_dir)
    problems: list[str] = []
    for name in sorted(set(expected) | set(actual)):
        if name not in actual:
            problems.append(f"missing: {name} (the spec/templates produce it; it is not committed)")
            continue
        if name not in expected:
            problems.append(f"extra: {name} (committed, but the spec/templates no longer produce it)")
            continue
        a, b = actual[name].read_text(encoding="utf-8"), expected[name].read_text(encoding="utf-8")
        if a != b:
            diff = list(
                difflib.unified_diff(
                    a.splitlines(), b.splitlines(), f"committed/{name}", f"generated/{name}", lineterm="", n=2
                )
            )
            head = "\n".join("    " + line for line in diff[:DIFF_LINES])
            more = f"\n    ... ({len(diff) - DIFF_LINES} more diff lines)" if len(diff) > DIFF_LINES else ""
            problems.append(f"differs: {name}\n{head}{more}")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--spec", type=Path, default=pipeline.DEFAULT_SPEC)
    parser.add_argument("--package", type=Path, default=pipeline.PACKAGE, help="package holding _generated/")
    parser.add_argument("--docs", type=Path, default=pipeline.DOCS, help="the reference pages (docs/)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / pipeline.GENERATED
        fresh_docs = Path(tmp) / "docs"
        try:
            pipeline.generate_into(args.spec, fresh, fresh_docs)
        except pipeline.GenerationFailed as exc:
            print(f"check-drift: the spec does not generate:\n{exc}", file=sys.stderr)
            return 1
        problems = compare(fresh, args.package / pipeline.GENERATED)
        problems += [f"docs/{p}" for p in compare(fresh_docs, args.docs)]
    if not problems:
        print("check-drift: generated code is up to date")
        return 0
    print(f"check-drift: {len(problems)} generated file(s) differ from what the spec and templates produce:")
    for problem in problems:
        print("  " + problem)
    print("Fix: run `make generate` (python -m scripts.generate), review the diff, and commit it.")
    return 1


if __name__ == "__main__":
    sys.exit(main())
