"""Generate modelgates_client/_generated (and the reference pages in docs/) from an OpenAPI document.

    python -m scripts.generate                          # openapi/modelgates.yaml -> modelgates_client/_generated
    python -m scripts.generate --spec PATH --out DIR    # a complete package in DIR/modelgates_client + DIR/manifest.json

The work is scripts/generator/pipeline.py's (prepare the spec, run openapi-python-client with our templates,
audit, format); this command installs the result and reports. Exits 1, naming what, when anything of the spec
could not be generated.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

from .generator.pipeline import DEFAULT_SPEC, DOCS, GENERATED, PACKAGE, GenerationFailed, generate_into

__all__ = ["main"]


def install(source: Path, target: Path) -> None:
    """Replace `target` (a generated tree: _generated/ or docs/, which hold nothing else) with `source`."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)


def copy_overlay(out_package: Path) -> None:
    """The hand-written part of the package, for --out: everything in modelgates_client/ but _generated."""
    if out_package.exists():
        shutil.rmtree(out_package)
    shutil.copytree(PACKAGE, out_package, ignore=shutil.ignore_patterns(GENERATED, "__pycache__"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="OpenAPI document (YAML or JSON)")
    parser.add_argument("--out", type=Path, help="write DIR/modelgates_client and DIR/manifest.json instead")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        gen_dir = Path(tmp) / GENERATED
        docs_dir = Path(tmp) / "docs"
        try:
            manifest = generate_into(args.spec, gen_dir, docs_dir)
        except GenerationFailed as exc:
            print(f"generate: {args.spec}: not generated completely:\n{exc}", file=sys.stderr)
            return 1
        if args.out is None:
            install(gen_dir, PACKAGE / GENERATED)
            install(docs_dir, DOCS)
            target = PACKAGE / GENERATED
        else:
            args.out.mkdir(parents=True, exist_ok=True)
            out_package = args.out / "modelgates_client"
            copy_overlay(out_package)
            install(gen_dir, out_package / GENERATED)
            install(docs_dir, args.out / "docs")
            (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
            target = out_package / GENERATED
    report(manifest, target)
    if args.out is None:  # what the regenerated client changes for users (never fails the generation)
        try:
            from . import api_changes

            print(api_changes.summary())
        except Exception as exc:  # noqa: BLE001
            print(f"api-changes: skipped ({exc})")
    return 0


def report(manifest: dict[str, Any], target: Path) -> None:
    """What was generated where, and the values typed `Any` (each degraded one by name)."""
    untyped = manifest["untyped"]
    print(f"generate: {len(manifest['operations'])} operations -> {target}")
    print(
        f"generate: typed Any: {len(untyped['any value'])} where the spec allows any value, "
        f"{len(untyped['degraded'])} degraded"
    )
    for where in untyped["degraded"]:
        print(f"  degraded to Any: {where}")


if __name__ == "__main__":
    sys.exit(main())
