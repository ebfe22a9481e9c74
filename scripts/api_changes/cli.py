"""The command line of api-changes (make api-changes [BASE=REF]): the Markdown section for CHANGELOG.md, and the
short summary that ends `make generate`."""

from __future__ import annotations

import argparse
import datetime
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from .compare import Change, compare
from .surface import ROOT, SurfaceError, checkout, surface

CHANGELOG = ROOT / "CHANGELOG.md"


def markdown(changes: list[Change], title: str, base: str) -> str:
    """A CHANGELOG section: `## <title> — API changes`, then Breaking and Additive lists."""
    breaking = [c.text for c in changes if c.breaking]
    additive = [c.text for c in changes if not c.breaking]
    lines = [f"## {title} — API changes", ""]
    if not changes:
        lines += [f"No change to the public API since `{base}`.", ""]
        return "\n".join(lines)
    lines += [f"Compared with `{base}`: {len(breaking)} breaking, {len(additive)} additive.", ""]
    for heading, items in (("Breaking", breaking), ("Additive", additive)):
        if items:
            lines += [f"### {heading}", "", *[f"- {item}" for item in items], ""]
    return "\n".join(lines)


def prepend_changelog(section: str, path: Path = CHANGELOG) -> None:
    """Put `section` before the first `## ` entry of the changelog (after its introduction)."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Changelog\n\n"
    match = re.search(r"^## ", text, flags=re.MULTILINE)
    at = match.start() if match else len(text)
    path.write_text(text[:at] + section.rstrip("\n") + "\n\n" + text[at:], encoding="utf-8")


def changes_against(base: str, repo: Path = ROOT) -> list[Change]:
    """Changes from the ref `base` to the working tree of `repo`."""
    with tempfile.TemporaryDirectory() as tmp:
        old = surface(checkout(base, Path(tmp), repo))
    return compare(old, surface(repo))


def summary(base: str = "HEAD", repo: Path = ROOT, limit: int = 10) -> str:
    """A few lines for the end of `make generate`; never raises."""
    try:
        inside = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", base], capture_output=True, timeout=30
        )
    except OSError:
        return "api-changes: skipped (git is not available)"
    if inside.returncode != 0:
        return f"api-changes: skipped (not a git repository, or no {base})"
    try:
        changes = changes_against(base, repo)
    except (SurfaceError, subprocess.SubprocessError, OSError, ValueError) as exc:
        return f"api-changes: skipped ({str(exc).splitlines()[0]})"
    if not changes:
        return f"api-changes: no change to the public API since {base}"
    breaking = sum(c.breaking for c in changes)
    lines = [f"api-changes since {base}: {breaking} breaking, {len(changes) - breaking} additive"]
    lines += [f"  {'BREAKING' if c.breaking else 'added   '} {c.text}" for c in changes[:limit]]
    if len(changes) > limit:
        lines.append(f"  ... {len(changes) - limit} more: `make api-changes` lists them all")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """The command line: prints the Markdown section (and puts it in CHANGELOG.md with --changelog)."""
    parser = argparse.ArgumentParser(
        description="What changed for users: the public surface of the client in the working tree against a git ref."
    )
    parser.add_argument("--base", default="HEAD", help="git ref to compare the working tree with (%(default)s)")
    parser.add_argument("--old", type=Path, help="compare this tree (holding modelgates_client/) ...")
    parser.add_argument("--new", type=Path, help="... with this one, instead of --base and the working tree")
    parser.add_argument("--release", default="Unreleased", help='section title: a version or "today" (%(default)s)')
    parser.add_argument("--changelog", action="store_true", help="also put the section at the top of CHANGELOG.md")
    args = parser.parse_args(argv)
    title = datetime.date.today().isoformat() if args.release == "today" else args.release
    try:
        if args.old is not None or args.new is not None:
            if args.old is None or args.new is None:
                parser.error("--old and --new go together")
            changes, base = compare(surface(args.old), surface(args.new)), str(args.old)
        else:
            changes, base = changes_against(args.base), args.base
    except SurfaceError as exc:
        print(f"api-changes: {exc}", file=sys.stderr)
        return 1
    section = markdown(changes, title, base)
    print(section)
    if args.changelog:
        prepend_changelog(section)
        print(f"api-changes: added to {CHANGELOG}", file=sys.stderr)
    return 0
