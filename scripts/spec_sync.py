"""Rewrite our OpenAPI document so that its facts are those of a published document, keeping our words.

    python -m scripts.spec_sync UPSTREAM [--spec openapi/modelgates.yaml] [--out PATH] [--todo FILE] [--all]
    make spec-sync UPSTREAM=PATH [TODO=FILE]

Steps: take our prose (descriptions, summaries, titles, our examples; scripts/prose/) and our
`x-modelgates-*` extensions out of our document, keyed by location; take the published document and
translate the SDK facts it gives in `x-speakeasy-*` extensions into ours (name-override -> method,
pagination, sse-sentinel, stream-request-field -> stream-flag, group); strip ALL of its prose (description,
summary, title, example, examples, the text of externalDocs) and every vendor extension; put our prose and
extensions back where their element still exists (an extension derived from the published facts wins over
a stale one of ours); write the result as readable, deterministic YAML under a fixed header.

New operations, parameters, schemas, properties and enum values come in, removed ones go out, changed ones
change. Component schemas the published document renamed keep our prose (the rename is found by pairing the
`$ref`s both documents use at the same place). Prints the renames, replaced extensions, prose whose element
is gone, and the elements that still have no description (write them, in our words: `--todo FILE` writes
them as an overlay skeleton to fill and apply with `make spec-describe FILE=...`).
"""

from __future__ import annotations

import argparse
import copy
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import prose, spec_diff
from .common.document import METHODS, RefError, resolve

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_SPEC = ROOT / "openapi" / "modelgates.yaml"
OURS = "x-modelgates-"
STRIPPED = frozenset({"description", "summary", "title", "example", "examples"})
HEADER = """\
# ModelGates API: the modelgates-client project's own OpenAPI description.
#
# Facts (paths, methods, parameters, property names, types, required lists, enum/const values,
# formats, unions, status codes, media types and the SDK names of operations) come from the
# published API document: `make spec-sync UPSTREAM=PATH` brings them in, `make spec-diff
# UPSTREAM=PATH` checks them. Descriptions, summaries and examples are our own words and never
# copied from the published document; add missing ones with `make spec-describe FILE=...`.
# x-modelgates-* extensions are read by this project's code generator.
# Written by scripts/spec_sync.py: keep edits to prose and x-modelgates-* (see README, "Taking a new spec").
"""

Json = dict[str, Any]
ExtKey = tuple[str, prose.Location]  # (element kind, location)

# ---------------------------------------------------------------- canonical key order

X = "x-modelgates-*"  # where our extensions go in an object
ORDER: dict[str, list[str]] = {
    "document": ["openapi", "info", "jsonSchemaDialect", "externalDocs", "servers", "security", "tags", "paths"]
    + ["webhooks", "components"],
    "info": ["title", "version", "summary", "description", "termsOfService", "contact", "license"],
    "server": ["url", "description", "variables"],
    "tag": ["name", "description", "externalDocs"],
    "pathitem": ["$ref", "summary", "description", "servers", "parameters", *METHODS],
    "operation": ["operationId", "tags", "summary", "description", "deprecated", X, "security", "servers"]
    + ["parameters", "requestBody", "responses", "callbacks", "externalDocs"],
    "parameter": ["$ref", "name", "in", "required", "deprecated", "description", "allowEmptyValue", "style"]
    + ["explode", "allowReserved", "schema", "content", "example", "examples", X],
    "body": ["$ref", "description", "required", "content", X],
    "response": ["$ref", "description", "headers", "content", "links", X],
    "header": ["$ref", "description", "required", "deprecated", "style", "explode", "schema", "content"]
    + ["example", "examples", X],
    "media": ["schema", "example", "examples", "encoding", X],
    "schema": ["title", "description", "$ref", "deprecated", "type", "format", "const", "enum", "nullable"]
    + ["default", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum", "multipleOf", "minLength"]
    + ["maxLength", "pattern", "contentEncoding", "contentMediaType", "minItems", "maxItems", "uniqueItems"]
    + ["minProperties", "maxProperties", "readOnly", "writeOnly", "items", "prefixItems", "contains"]
    + ["properties", "patternProperties", "additionalProperties", "required", "allOf", "oneOf", "anyOf", "not"]
    + ["discriminator", "example", "examples", X],
    "security": ["type", "description", "name", "in", "scheme", "bearerFormat", "flows", "openIdConnectUrl"],
    "components": ["schemas", "responses", "parameters", "examples", "requestBodies", "headers"]
    + ["securitySchemes", "links", "callbacks", "pathItems"],
}
ORDER["mediaschema"] = ORDER["schema"]


def ordered(node: Json, order: list[str]) -> None:
    """Reorder `node` in place: the listed keys first in that order (our extensions, sorted, at X), then the
    rest in their current order."""
    rank = {key: i for i, key in enumerate(order)}
    slot = rank.get(X, len(order))

    def position(item: tuple[int, str]) -> tuple[int, int, str]:
        """Sort key: listed keys by rank, our extensions at their slot, the rest in their order."""
        index, key = item
        if key.startswith(OURS):
            return (slot, 0, key)
        return (rank[key], 0, "") if key in rank else (len(order), index, "")

    keys = [key for _, key in sorted(enumerate(node), key=position)]
    items = [(key, node[key]) for key in keys]
    node.clear()
    node.update(items)


def canonical_order(spec: Json) -> None:
    """Every object of the document in its kind's key order; maps of names keep the published order."""
    for element in prose.elements(spec):
        ordered(element.node, ORDER[element.kind])
    if isinstance(spec.get("components"), dict):
        ordered(spec["components"], ORDER["components"])


# ---------------------------------------------------------------- writing YAML


class _Dumper(yaml.SafeDumper):
    """Block style with indented lists; long or multi-line prose as block scalars."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        """Indent list items under their key."""
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    """Texts with line breaks as literal blocks, long texts with spaces as folded blocks."""
    style = None
    if "\n" in value.rstrip("\n"):
        style = "|"
    elif len(value) > 80 and " " in value:
        style = ">"
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(spec: Json) -> str:
    """The document as YAML text under our header. Deterministic: the same document gives the same bytes."""
    body = yaml.dump(spec, Dumper=_Dumper, sort_keys=False, width=100, allow_unicode=True, default_flow_style=False)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    if yaml.load(body, Loader=loader) != spec:  # noqa: S506 - a safe loader
        raise RuntimeError("the YAML writer does not give back the document it was given")
    return HEADER + "\n" + body


def write(spec: Json, path: Path) -> None:
    """Write the document (YAML under our header) to `path`."""
    path.write_text(dump(spec), encoding="utf-8")


# ---------------------------------------------------------------- the published document's facts


def sdk_extensions(spec: Json) -> dict[ExtKey, Json]:
    """SDK facts of the published document, as our extensions, by element: x-speakeasy-* translated, and any
    x-modelgates-* it already carries (when the "published" document is one of ours)."""
    out: dict[ExtKey, Json] = {}
    for element in prose.elements(spec):
        names = _sdk_names(element.kind)
        found = {ours: copy.deepcopy(element.node[theirs]) for theirs, ours in names.items() if theirs in element.node}
        found.update({k: copy.deepcopy(v) for k, v in element.node.items() if str(k).startswith(OURS)})
        if found:
            out[(element.kind, element.loc)] = found
    return out


def _sdk_names(kind: str) -> dict[str, str]:
    """The published SDK extensions an element of this kind may carry, with the name we use."""
    if kind == "operation":
        return spec_diff.OPERATION_SDK
    return spec_diff.MEDIA_SDK if kind == "media" else {}


def strip(node: Any, names: bool = False) -> None:
    """Remove all prose and every vendor extension from a document, in place. Keys of name maps (property,
    schema, header names...) are names, not prose; data (default, const, enum) is left as it is."""
    if isinstance(node, dict):
        if not names:
            for key in [k for k in node if k in STRIPPED or str(k).startswith("x-")]:
                del node[key]
            if isinstance(node.get("externalDocs"), dict):
                node["externalDocs"].pop("description", None)
        for key, value in node.items():
            if not names and key in spec_diff.DATA_KEYS:
                continue
            strip(value, not names and key in spec_diff.NAME_MAPS and isinstance(value, dict))
    elif isinstance(node, list):
        for value in node:
            strip(value)


# ---------------------------------------------------------------- our extensions


def our_extensions(spec: Json) -> dict[ExtKey, Json]:
    """Our x-modelgates-* extensions, by element."""
    out: dict[ExtKey, Json] = {}
    for element in prose.elements(spec):
        found = {k: copy.deepcopy(v) for k, v in element.node.items() if str(k).startswith(OURS)}
        if found:
            out[(element.kind, element.loc)] = found
    return out


def apply_extensions(spec: Json, ours: dict[ExtKey, Json], derived: dict[ExtKey, Json]) -> tuple[list[str], list[str]]:
    """Put extensions into `spec` (in place): the published facts' everywhere, ours where the element still
    exists and the published document says nothing else. Returns (replaced, dropped) notes."""
    by_key = {(e.kind, e.loc): e for e in prose.elements(spec)}
    replaced: list[str] = []
    dropped: list[str] = []
    for key, values in derived.items():
        if key in by_key:
            by_key[key].node.update(copy.deepcopy(values))
    for key, values in ours.items():
        element = by_key.get(key)
        for name, value in values.items():
            if element is None:
                dropped.append(f"{prose.describe(key[1], name)} = {value!r}")
            elif name in derived.get(key, {}):
                if derived[key][name] != value:
                    replaced.append(
                        f"{prose.describe(key[1], name)}: ours {value!r} -> published {derived[key][name]!r}"
                    )
            elif name == OURS + "pagination" and not _pagination_fits(spec, element, value):
                dropped.append(f"{prose.describe(key[1], name)} = {value!r} (its parameters are gone)")
            else:
                element.node[name] = copy.deepcopy(value)
    return replaced, dropped


def _pagination_fits(spec: Json, element: Any, mark: Any) -> bool:
    """Whether a pagination mark of ours still names parameters the operation has (an older published version
    may lack the paging parameters, and says nothing of pagination)."""
    path_item = (spec.get("paths") or {}).get(element.loc[1]) if len(element.loc) > 1 else None
    params = list((path_item or {}).get("parameters") or []) + list(element.node.get("parameters") or [])
    names = set()
    for p in params:
        p = resolve(spec, p)
        if isinstance(p, dict):
            names.add(p.get("name"))
    inputs = (mark or {}).get("inputs") or [] if isinstance(mark, dict) else []
    return all(isinstance(i, dict) and i.get("name") in names for i in inputs)


# ---------------------------------------------------------------- renamed schemas


def schema_renames(ours: Json, published: Json) -> dict[str, str]:
    """Our component schemas the published document calls by another name: {our name: published name}.

    Found from the places where both documents hold a `$ref`; only unambiguous pairs count (one published
    name, not a name of ours, not already taken)."""
    theirs = set((published.get("components") or {}).get("schemas") or {})
    mine = set((ours.get("components") or {}).get("schemas") or {})
    renames: dict[str, str] = {}
    for name, candidates in sorted(spec_diff.ref_pairs(ours, published).items()):
        if name in theirs or len(candidates) != 1:
            continue
        (new,) = candidates
        if new not in mine and new not in renames.values():
            renames[name] = new
    return renames


def relocate(loc: prose.Location, renames: dict[str, str]) -> prose.Location:
    """A location under a renamed component schema, moved to the new name."""
    if len(loc) >= 3 and loc[:2] == ("components", "schemas") and loc[2] in renames:
        return ("components", "schemas", renames[loc[2]], *loc[3:])
    return loc


# ---------------------------------------------------------------- sync


@dataclass
class SyncResult:
    """The synced document and what the maintainer should know about it."""

    spec: Json
    renames: dict[str, str] = field(default_factory=dict)
    replaced: list[str] = field(default_factory=list)
    dropped_extensions: list[str] = field(default_factory=list)
    homeless_prose: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def fill_required(spec: Json) -> None:
    """OpenAPI requires a response's description and the info title: an empty text marks them as to write."""
    if not isinstance(spec.get("info"), dict):
        spec["info"] = {"title": "", "version": ""}
    for element in prose.elements(spec):
        if element.kind == "response" and "$ref" not in element.node and "description" not in element.node:
            element.node["description"] = ""
        if element.kind == "info" and "title" not in element.node:
            element.node["title"] = ""


def sync(ours: Json, published: Json, properties: bool = False) -> SyncResult:
    """Our document with the published document's facts and our own prose and extensions."""
    renames = schema_renames(ours, published)
    overlay = {relocate(loc, renames): pieces for loc, pieces in prose.extract_flat(ours).items()}
    extensions = {(kind, relocate(loc, renames)): v for (kind, loc), v in our_extensions(ours).items()}
    spec = copy.deepcopy(published)
    derived = sdk_extensions(spec)
    strip(spec)
    homeless = prose.apply_flat(overlay, spec)
    replaced, dropped = apply_extensions(spec, extensions, derived)
    fill_required(spec)
    canonical_order(spec)
    return SyncResult(spec, renames, replaced, dropped, homeless, prose.missing(spec, properties))


def report(result: SyncResult, out: Path, todo: Path | None) -> str:
    """What spec-sync prints: renames, replaced and dropped extensions, dropped prose, missing texts."""
    lines: list[str] = []
    for old, new in result.renames.items():
        lines.append(f"renamed schema: {old} -> {new} (our prose follows it)")
    for note in result.replaced:
        lines.append(f"extension replaced by the published fact: {note}")
    for note in result.dropped_extensions:
        lines.append(f"extension dropped (its element is gone): {note}")
    for note in result.homeless_prose:
        lines.append(f"prose dropped (its element is gone): {note}")
    if result.missing:
        lines.append(f"{len(result.missing)} elements have no description yet (write them in our own words):")
        lines += [f"  {m}" for m in result.missing]
    operations = sum(1 for _ in spec_diff.operations(result.spec))
    schemas = len((result.spec.get("components") or {}).get("schemas") or {})
    lines.append(
        f"spec-sync: wrote {out} ({operations} operations, {schemas} schemas); {len(result.missing)} descriptions "
        f"missing, {len(result.homeless_prose)} pieces of prose dropped, {len(result.replaced)} extensions replaced"
        + (f"; to-do overlay: {todo}" if todo else "")
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """The command line; writes the synced document (and the to-do overlay)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("upstream", type=Path, help="the published OpenAPI document (YAML or JSON)")
    parser.add_argument("--spec", type=Path, default=DEFAULT_SPEC, help="our document (default: %(default)s)")
    parser.add_argument("--out", type=Path, help="write here instead of over --spec")
    parser.add_argument("--todo", type=Path, help="also write the missing descriptions as an overlay skeleton")
    parser.add_argument("--all", action="store_true", help="count properties without a description as missing")
    args = parser.parse_args(argv)
    ours, published = spec_diff.load(args.spec), spec_diff.load(args.upstream)
    try:
        result = sync(ours, published, args.all)
    except RefError as exc:  # nothing is written
        print(f"spec-sync: {exc}", file=sys.stderr)
        return 2
    out = args.out or args.spec
    write(result.spec, out)
    if args.todo is not None:
        skeleton = prose.todo_overlay(result.spec, args.all)
        args.todo.write_text(
            yaml.dump(skeleton, Dumper=_Dumper, sort_keys=False, width=100, allow_unicode=True), encoding="utf-8"
        )
    print(report(result, out, args.todo))
    return 0


if __name__ == "__main__":
    sys.exit(main())
