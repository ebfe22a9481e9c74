"""The command line of spec-diff (make spec-diff UPSTREAM=PATH): the differences, one per line, then a summary."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..common.document import Json, RefError, load
from .compare import Difference, compare
from .repeats import repeated_prose
from .sides import operations

DEFAULT_SPEC = Path(__file__).resolve().parents[2] / "openapi" / "modelgates.yaml"


def summary(found: list[Difference], ours: Json, published: Json) -> str:
    """The last line: how many operations were compared and how many differences of each category."""
    mine = {(m, p) for m, p, _, _ in operations(ours)}
    theirs = {(m, p) for m, p, _, _ in operations(published)}
    counts = {c: sum(1 for d in found if d.category == c) for c in ("operation", "fact", "sdk", "prose")}
    text = (
        f"spec-diff: {len(mine & theirs)} operations compared ({len(mine)} ours, {len(theirs)} published); "
        f"{counts['operation']} on one side only, {counts['fact']} fact differences, {counts['sdk']} SDK-name "
        "differences"
    )
    return text + (f", {counts['prose']} repeated prose" if counts["prose"] else "")


def main(argv: list[str] | None = None) -> int:
    """The command line; exit 1 when anything differs."""
    parser = argparse.ArgumentParser(
        description="Compare the facts of our OpenAPI document with a published one, operation by operation."
    )
    parser.add_argument("upstream", type=Path, help="the published OpenAPI document (YAML or JSON)")
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="our document (default: %(default)s)")
    parser.add_argument("--prose", action="store_true", help="also list our texts that repeat the published ones")
    parser.add_argument("--op", action="append", default=[], help="METHOD:PATH to compare (default: all)")
    args = parser.parse_args(argv)
    ours, published = load(args.spec), load(args.upstream)
    only = {(m.upper(), p) for m, p in (x.split(":", 1) for x in args.op)} if args.op else None
    try:
        found = compare(ours, published, only)
    except RefError as exc:  # a document whose facts cannot be read: nothing to compare
        print(f"spec-diff: {exc}", file=sys.stderr)
        return 2
    if args.prose:
        found += repeated_prose(ours, published)
    for difference in found:
        print(difference)
    print(summary(found, ours, published))
    return 1 if found else 0
