"""Apply prose overlay files (descriptions in our words) to our OpenAPI document.

    python -m scripts.spec_describe FILE [FILE ...] [--spec openapi/modelgates.yaml] [--upstream PATH]
    make spec-describe FILE="a.yaml b.yaml"

Each FILE is a prose overlay (the format of scripts/prose/ and the README: prose only, keyed by location),
for example the skeleton `make spec-sync TODO=FILE` writes, filled in. Several files are merged in order
(a later file wins; a location given two different texts is reported). Nothing is written, and the exit
code is 1, when a file is not an overlay, a text is empty (unless --skip-empty), a location does not exist
in the document, or (with --upstream) a text repeats the published document's prose. Otherwise the texts
are put in place and the document is rewritten (the same deterministic YAML as spec-sync writes).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

import yaml

from . import prose, spec_diff, spec_sync
from .common.document import RefError

Json = dict[str, Any]


def read_overlays(paths: list[Path]) -> tuple[prose.Flat, list[str], list[str]]:
    """Merge overlay files in order. Returns (flat overlay, errors, notes on texts a later file replaced)."""
    merged: prose.Flat = {}
    errors: list[str] = []
    notes: list[str] = []
    for path in paths:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            errors.append(f"{path}: cannot read: {exc}")
            continue
        flat, problems = prose.parse(data or {})
        errors += [f"{path}: {p}" for p in problems]
        for loc, pieces in flat.items():
            for key, value in pieces.items():
                before = merged.get(loc, {}).get(key)
                if before is not None and before != value:
                    notes.append(f"{path}: {prose.describe(loc, key)} replaces the text of an earlier file")
                merged.setdefault(loc, {})[key] = value
    return merged, errors, notes


def empty_texts(flat: prose.Flat) -> list[tuple[prose.Location, str]]:
    """(location, key) of texts that are empty or only whitespace."""
    return [
        (loc, key)
        for loc, pieces in flat.items()
        for key, value in pieces.items()
        if key in prose.TEXT_KEYS and isinstance(value, str) and not value.strip()
    ]


def repeats(flat: prose.Flat, published: Json) -> list[str]:
    """Texts that repeat the published prose (whole, or the same first characters: spec_diff.Published)."""
    index = spec_diff.Published(published)
    return [
        f"{prose.describe(loc, key)}: {spec_diff.repeated(value)}"
        for loc, pieces in flat.items()
        for key, value in pieces.items()
        if key in prose.TEXT_KEYS and isinstance(value, str) and index.repeats(value)
    ]


def describe(spec: Json, flat: prose.Flat, skip_empty: bool, published: Json | None) -> list[str]:
    """Apply `flat` to `spec` in place; the errors that forbid writing it (the spec may be half changed then)."""
    errors: list[str] = []
    empty = empty_texts(flat)
    if skip_empty:
        for loc, key in empty:
            del flat[loc][key]
    else:
        errors += [f"{prose.describe(loc, key)}: empty text" for loc, key in empty]
    if published is not None:
        errors += repeats(flat, published)
    errors += [f"{where}: no such location in the document" for where in prose.apply_flat(flat, spec)]
    return errors


def main(argv: list[str] | None = None) -> int:
    """The command line; exit 1, writing nothing, on any error."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path, help="prose overlay files, applied in order")
    parser.add_argument("--spec", type=Path, default=spec_sync.DEFAULT_SPEC, help="our document (%(default)s)")
    parser.add_argument("--upstream", type=Path, help="refuse texts that repeat this published document's prose")
    parser.add_argument("--skip-empty", action="store_true", help="ignore empty texts instead of refusing them")
    args = parser.parse_args(argv)
    flat, errors, notes = read_overlays(args.files)
    for note in notes:
        print(f"note: {note}")
    spec = spec_diff.load(args.spec)
    published = spec_diff.load(args.upstream) if args.upstream else None
    if not errors:
        try:
            errors = describe(spec, flat, args.skip_empty, published)
        except RefError as exc:  # a document whose elements cannot be read
            errors = [str(exc)]
    if errors:
        for error in errors:
            print(f"error: {error}", file=sys.stderr)
        print(f"spec-describe: {len(errors)} errors; {args.spec} not changed", file=sys.stderr)
        return 1
    spec_sync.canonical_order(spec)
    spec_sync.write(spec, args.spec)
    applied = sum(len(p) for p in flat.values())
    left = len(prose.missing(spec))
    print(f"spec-describe: {applied} texts applied to {args.spec}; {left} descriptions still missing")
    return 0


if __name__ == "__main__":
    sys.exit(main())
