"""Comparing two surfaces: every change, classed breaking or additive (the rules are in the package's docstring)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Json = dict[str, Any]


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
