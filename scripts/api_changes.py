"""What changed for users: the public surface of the client in the working tree against a git ref.

    python -m scripts.api_changes [--base REF] [--changelog] [--release TITLE]
    python -m scripts.api_changes --old DIR --new DIR        # two trees that each hold modelgates_client/
    make api-changes [BASE=REF]

The surface is read by importing the package in a fresh interpreter per tree (the working tree, and the
ref's `modelgates_client/` taken out with `git archive`), never from the file layout: the client's groups
(its cached properties) and their methods with each parameter (name, kind, annotation, required) and return
annotation; the models of `modelgates_client.models` (attrs fields, TypedDict keys, or Literal enum values);
the error classes (`modelgates_client.errors.__all__` and the statuses STATUS_ERRORS maps to them); and the
names the package exports.

Each change is classed breaking or additive. Breaking: anything removed (group, method, parameter, field,
enum value, error class, export), a parameter or field that became required (or a new required one), and any
other change of an annotation, except a union that only gained members (a parameter that accepts more, a
field that may hold more), which is additive; for return types, a union that only lost members is additive.
Annotations are compared as strings with whitespace normalised. Prints a Markdown section for CHANGELOG.md;
--changelog also puts it at the top of CHANGELOG.md's entries.
"""

from __future__ import annotations

import argparse
import datetime
import io
import json
import os
import re
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "modelgates_client"
CHANGELOG = ROOT / "CHANGELOG.md"

Json = dict[str, Any]

# Run inside a tree (cwd), with that tree first on sys.path; prints the surface as JSON.
DUMP = r"""
import functools, inspect, json, pathlib, re, sys, typing
root = pathlib.Path.cwd().resolve()  # first on sys.path (python -c), before the editable install
import modelgates_client
here = pathlib.Path(modelgates_client.__file__).resolve()
assert here.is_relative_to(root), f"imported {here}, not the package of {root}"


def text(annotation):
    if annotation is inspect.Parameter.empty or annotation is inspect.Signature.empty:
        return ""
    if isinstance(annotation, str):
        return annotation
    if isinstance(annotation, typing.ForwardRef):
        return annotation.__forward_arg__
    return inspect.formatannotation(annotation)


def find(name, namespace):
    if name in namespace:
        return namespace[name]
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").startswith("modelgates_client") and hasattr(module, name):
            return getattr(module, name)
    return None


def typeddict_fields(obj):
    required = getattr(obj, "__required_keys__", frozenset())
    return {k: {"annotation": text(v), "required": k in required} for k, v in obj.__annotations__.items()}


def parameters(function):
    out = {}
    signature = inspect.signature(function)
    namespace = getattr(getattr(function, "__func__", function), "__globals__", {})
    for p in signature.parameters.values():
        annotation = text(p.annotation)
        if p.kind is p.VAR_KEYWORD:
            match = re.fullmatch(r"\s*(?:typing\.|typing_extensions\.)?Unpack\[\s*([\w.]+)\s*\]\s*", annotation)
            options = find(match.group(1).rsplit(".", 1)[-1], namespace) if match else None
            if options is not None and typing.is_typeddict(options):
                for name, info in typeddict_fields(options).items():
                    out[name] = {"kind": "keyword", **info}
                continue
            out["**" + p.name] = {"kind": "var", "annotation": annotation, "required": False}
        elif p.kind is p.VAR_POSITIONAL:
            out["*" + p.name] = {"kind": "var", "annotation": annotation, "required": False}
        else:
            kind = "keyword" if p.kind is p.KEYWORD_ONLY else "positional"
            out[p.name] = {"kind": kind, "annotation": annotation, "required": p.default is p.empty}
    return {"parameters": out, "returns": text(signature.return_annotation)}


def methods(resource):
    # A group's methods. Its views (with_raw_response) mirror them one for one and are not listed again.
    out = {}
    cls = type(resource)
    for name in sorted(dir(cls)):
        if name.startswith("_"):
            continue
        static = inspect.getattr_static(cls, name)
        if inspect.isfunction(static) or isinstance(static, (staticmethod, classmethod)):
            out[name] = parameters(getattr(resource, name))
    return out


def groups():
    from modelgates_client import ModelGates
    client = ModelGates(api_key="k", server_url="http://127.0.0.1:1")
    out = {}
    for cls in type(client).__mro__:
        for name, attr in vars(cls).items():
            if name.startswith("_") or name in out or not isinstance(attr, functools.cached_property):
                continue
            value = getattr(client, name)
            if type(value).__module__.startswith("modelgates_client"):
                out[name] = methods(value)
    return dict(sorted(out.items()))


def models():
    import attrs
    import modelgates_client.models as m
    out = {}
    for name in sorted(m.__all__):
        obj = getattr(m, name)
        if typing.get_origin(obj) is typing.Literal:
            out[name] = {"kind": "enum", "values": [repr(v) for v in typing.get_args(obj)]}
        elif inspect.isclass(obj) and attrs.has(obj):
            fields = {}
            for f in attrs.fields(obj):
                fields[f.name] = {"annotation": text(f.type), "required": f.init and f.default is attrs.NOTHING}
            out[name] = {"kind": "model", "fields": fields}
        elif inspect.isclass(obj) and typing.is_typeddict(obj):
            out[name] = {"kind": "model", "fields": typeddict_fields(obj)}
        elif inspect.isclass(obj) and hasattr(obj, "__members__"):
            out[name] = {"kind": "enum", "values": [repr(v.value) for v in obj.__members__.values()]}
        else:
            out[name] = {"kind": "other", "annotation": text(obj) if not inspect.isclass(obj) else obj.__qualname__}
    return out


def errors():
    import modelgates_client.errors as e
    statuses = {}
    for status, cls in getattr(e, "STATUS_ERRORS", {}).items():
        statuses.setdefault(cls.__name__, []).append(int(status))
    out = {}
    for name in sorted(e.__all__):
        obj = getattr(e, name)
        if inspect.isclass(obj) and issubclass(obj, BaseException):
            out[name] = {"statuses": sorted(statuses.get(name, [])), "bases": [b.__name__ for b in obj.__bases__]}
    return out


print(json.dumps({
    "exports": sorted(getattr(modelgates_client, "__all__", [])),
    "groups": groups(),
    "models": models(),
    "errors": errors(),
}, sort_keys=True))
"""


class SurfaceError(Exception):
    """The public surface of a tree could not be read."""


# ---------------------------------------------------------------- reading surfaces


def surface(tree: Path) -> Json:
    """The public surface of the package in `tree` (which holds modelgates_client/), read in a fresh interpreter."""
    if not (tree / PACKAGE / "__init__.py").exists():
        raise SurfaceError(f"{tree} holds no {PACKAGE} package")
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        [sys.executable, "-c", DUMP], capture_output=True, text=True, cwd=tree, env=env, timeout=600
    )
    if result.returncode != 0:
        raise SurfaceError(f"importing {PACKAGE} from {tree} failed:\n{result.stderr.strip()[-2000:]}")
    data: Json = json.loads(result.stdout)
    return data


def checkout(ref: str, target: Path, repo: Path = ROOT) -> Path:
    """Write the ref's modelgates_client/ into target (with `git archive`); returns target."""
    try:
        result = subprocess.run(
            ["git", "-C", str(repo), "archive", "--format=tar", ref, PACKAGE], capture_output=True, timeout=120
        )
    except OSError as exc:
        raise SurfaceError(f"git is not available: {exc}") from exc
    if result.returncode != 0:
        raise SurfaceError(f"git archive {ref}: {result.stderr.decode(errors='replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(result.stdout)) as archive:
        archive.extractall(target, filter="data")
    return target


# ---------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Change:
    """One change of the public surface, breaking or additive."""

    breaking: bool
    text: str


def norm(annotation: str) -> str:
    """Whitespace normalised, for comparing annotations."""
    return re.sub(r"\s+", " ", annotation).strip()


def members(annotation: str) -> list[str]:
    """The top-level members of a `A | B[C | D] | None` annotation."""
    parts: list[str] = []
    depth = 0
    current = ""
    for char in norm(annotation):
        depth += char in "[("
        depth -= char in "])"
        if char == "|" and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [p for p in parts if p]


def widened(old: str, new: str) -> bool:
    """Whether `new` is `old` plus extra union members."""
    before, after = members(old), members(new)
    return set(before) < set(after)


def labelled(template: str) -> Callable[[str], str]:
    """A function giving `template` with a name in its `{}`."""
    return template.format


class Comparison:
    """Collects the changes between two surfaces."""

    def __init__(self) -> None:
        self.changes: list[Change] = []

    def add(self, breaking: bool, text: str) -> None:
        """Record one change."""
        self.changes.append(Change(breaking, text))

    def names(
        self, old: Json, new: Json, label: Callable[[str], str], detail: Callable[[Any], str] | None = None
    ) -> list[str]:
        """Records the names removed (breaking) and added (additive); returns the names both sides have.
        `detail(value)` adds to the line what the added or removed thing held."""
        for name in [n for n in old if n not in new]:
            self.add(True, f"{label(name)} removed{detail(old[name]) if detail else ''}")
        for name in [n for n in new if n not in old]:
            self.add(False, f"{label(name)} added{detail(new[name]) if detail else ''}")
        return [n for n in old if n in new]

    def annotation(self, where: str, old: str, new: str, returns: bool = False) -> None:
        """`Unset` only says that a value may be left out, which `required` reports: it is not compared here."""
        if [m for m in members(old) if m != "Unset"] == [m for m in members(new) if m != "Unset"]:
            return
        safe = widened(new, old) if returns else widened(old, new)
        how = "narrowed" if returns and safe else "widened" if safe else "changed (check)"
        self.add(not safe, f"{where}: type {how}: `{norm(old)}` -> `{norm(new)}`")

    def required(self, where: str, old: Json, new: Json) -> None:
        """A parameter or field that became required (breaking) or optional (additive)."""
        if old.get("required") != new.get("required"):
            became = "required" if new.get("required") else "optional"
            self.add(bool(new.get("required")), f"{where}: now {became}")

    def callable(self, where: str, old: Json, new: Json) -> None:
        """Parameters (presence, kind, required, annotation) and the return annotation of one method."""
        po, pn = old["parameters"], new["parameters"]
        for name in [n for n in po if n not in pn]:
            self.add(True, f"`{where}`: parameter `{name}` removed")
        for name in [n for n in pn if n not in po]:
            req = bool(pn[name].get("required"))
            self.add(req, f"`{where}`: {'required ' if req else ''}parameter `{name}` added")
        for name in [n for n in po if n in pn]:
            here = f"`{where}` parameter `{name}`"
            if po[name].get("kind") != pn[name].get("kind"):
                self.add(True, f"{here}: now {pn[name].get('kind')}, was {po[name].get('kind')}")
            self.required(here, po[name], pn[name])
            self.annotation(here, po[name].get("annotation", ""), pn[name].get("annotation", ""))
        self.annotation(f"`{where}` return", old.get("returns", ""), new.get("returns", ""), returns=True)

    def groups(self, old: Json, new: Json) -> None:
        """Groups, their methods, and each method's parameters and return type."""

        def methods(group: Json) -> str:
            """The sync method names of a group, for the line that adds or removes it."""
            return ": " + ", ".join(f"`{m}`" for m in group if not m.endswith("_async"))

        for group in self.names(old, new, lambda name: f"group `client.{name}`", methods):
            for method in self.names(old[group], new[group], labelled(f"method `client.{group}.{{}}`")):
                self.callable(f"client.{group}.{method}", old[group][method], new[group][method])

    def models(self, old: Json, new: Json) -> None:
        """Models, enum values and model fields."""
        for name in self.names(old, new, lambda name: f"model `{name}`"):
            o, n = old[name], new[name]
            if o["kind"] != n["kind"]:
                self.add(True, f"model `{name}`: now {n['kind']}, was {o['kind']}")
            elif o["kind"] == "enum":
                for value in [v for v in o["values"] if v not in n["values"]]:
                    self.add(True, f"enum `{name}`: value {value} removed")
                for value in [v for v in n["values"] if v not in o["values"]]:
                    self.add(False, f"enum `{name}`: value {value} added")
            elif o["kind"] == "model":
                self.fields(name, o["fields"], n["fields"])
            else:
                self.annotation(f"`{name}`", o.get("annotation", ""), n.get("annotation", ""))

    def fields(self, model: str, old: Json, new: Json) -> None:
        """Fields of one model: presence, required, annotation."""
        for name in [n for n in old if n not in new]:
            self.add(True, f"model `{model}`: field `{name}` removed")
        for name in [n for n in new if n not in old]:
            req = bool(new[name].get("required"))
            self.add(req, f"model `{model}`: {'required ' if req else ''}field `{name}` added")
        for name in [n for n in old if n in new]:
            here = f"model `{model}` field `{name}`"
            self.required(here, old[name], new[name])
            self.annotation(here, old[name].get("annotation", ""), new[name].get("annotation", ""))

    def errors(self, old: Json, new: Json) -> None:
        """Error classes: presence, the statuses mapped to them, their base classes."""
        for name in self.names(old, new, lambda name: f"error class `{name}`"):
            o, n = old[name], new[name]
            if o["statuses"] != n["statuses"]:
                gone = sorted(set(o["statuses"]) - set(n["statuses"]))
                self.add(bool(gone), f"error class `{name}`: statuses {o['statuses']} -> {n['statuses']}")
            if o["bases"] != n["bases"]:
                self.add(True, f"error class `{name}`: bases {o['bases']} -> {n['bases']}")


def compare(old: Json, new: Json) -> list[Change]:
    """Every change from the `old` surface to the `new` one, breaking ones first (in surface order)."""
    comparison = Comparison()
    comparison.groups(old.get("groups", {}), new.get("groups", {}))
    comparison.models(old.get("models", {}), new.get("models", {}))
    comparison.errors(old.get("errors", {}), new.get("errors", {}))
    exports_old, exports_new = dict.fromkeys(old.get("exports", [])), dict.fromkeys(new.get("exports", []))
    comparison.names(exports_old, exports_new, lambda name: f"export `modelgates_client.{name}`")
    changes = fold_async(comparison.changes)
    return [c for c in changes if c.breaking] + [c for c in changes if not c.breaking]


METHOD = re.compile(r"`client\.([\w.]+)\.(\w+)`")


def fold_async(changes: list[Change]) -> list[Change]:
    """A change of `m` and the same change of its twin `m_async` become one line: `m` (and `m_async`)."""
    texts = {c.text for c in changes}
    out: list[Change] = []
    for change in changes:
        found = METHOD.search(change.text)
        if found is None:
            out.append(change)
            continue
        path, name = found.groups()
        if name.endswith("_async") and METHOD.sub(f"`client.{path}.{name[:-6]}`", change.text, 1) in texts:
            continue  # said with its sync twin
        twin = METHOD.sub(f"`client.{path}.{name}_async`", change.text, 1)
        if twin in texts:
            both = f"`client.{path}.{name}` (and `{name}_async`)"
            change = Change(change.breaking, change.text.replace(found.group(0), both, 1))
        out.append(change)
    return out


# ---------------------------------------------------------------- reporting


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
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
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


if __name__ == "__main__":
    sys.exit(main())
