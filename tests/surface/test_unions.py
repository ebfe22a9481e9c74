"""One rule tells union members apart, in the model parsers and in the argument checks alike (UnionRule, scripts/generator/unions.py).

For every union of our spec (the generator lists them in its manifest), JSON is made for each member from that
member's own schema; the generated parse function must build that member's class, and the argument checks, for
the unions a caller passes, must pick the same member and accept the value. A new union of the spec is tested
without writing anything here.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest

from modelgates_client import _validation
from modelgates_client._generated.schemas import SCHEMAS
from scripts import specprep
from scripts.common.document import resolve_or_empty, type_list
from scripts.generator import pipeline
from scripts.generator.unions import fixed_values, marks_of

ROOT = Path(__file__).resolve().parents[2]


Json = dict[str, Any]


def example(spec: Json, schema: Any, depth: int = 0) -> Any:
    """A small JSON value valid for `schema`: its required properties, plus every property it fixes to one value
    (a discriminating constant) so that the value says which member it is."""
    s = resolve_or_empty(spec, schema)
    if not isinstance(s, dict) or depth > 8:
        return None
    if "const" in s:
        return s["const"]
    if isinstance(s.get("enum"), list) and s["enum"]:
        return next((v for v in s["enum"] if v is not None), None)
    members = s.get("anyOf") or s.get("oneOf")
    if isinstance(members, list) and members:
        typed = [m for m in members if type_list(resolve_or_empty(spec, m)) != ["null"]]
        return example(spec, (typed or members)[0], depth + 1)
    types = [t for t in type_list(s) if t != "null"]
    kind = types[0] if types else ("object" if "properties" in s else None)
    if kind == "object":
        props = s.get("properties") or {}
        out = {}
        for name, prop in props.items():
            fixed = fixed_values(spec, {"properties": {name: prop}})
            if name in (s.get("required") or []) or (fixed.get(name) and len(fixed[name]) == 1):
                out[name] = example(spec, prop, depth + 1)
        return out
    return {"array": [], "string": "x", "integer": 1, "number": 1.5, "boolean": True}.get(kind or "", {})


def shape(spec: Json, ref: str) -> tuple[list[str], dict[str, str]]:
    """What the union rule sees of a member: its required keys and its marks."""
    schema = resolve_or_empty(spec, {"$ref": ref})
    return sorted(schema.get("required") or []), marks_of(spec, schema)


# The module fixture is made once: every test of this module runs on one xdist worker.
pytestmark = pytest.mark.xdist_group("test_unions")


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Json, Json]:
    """The manifest of our spec (its unions) and the prepared spec the member schemas come from."""
    manifest = pipeline.generate_into(pipeline.DEFAULT_SPEC, tmp_path_factory.mktemp("unions") / "_generated")
    prepared = specprep.prepare(pipeline.load_spec(pipeline.DEFAULT_SPEC)).spec
    return manifest, prepared


@pytest.mark.slow  # generates the whole API for its union inventory
def test_our_spec_has_unions_to_test(generated: tuple[Json, Json]) -> None:
    manifest, _ = generated
    assert len(manifest["unions"]) >= 20


@pytest.mark.slow  # generates the whole API for its union inventory
def test_every_union_member_parses_into_its_own_class(generated: tuple[Json, Json]) -> None:
    """...or into a member of the very same shape (the spec defines one JSON object twice in a union)."""
    manifest, spec = generated
    wrong = []
    checked = 0
    for union in manifest["unions"]:
        module = importlib.import_module(f"modelgates_client._generated.{union['module']}")
        parse = getattr(module, union["function"])
        schemas = {m["class"]: m["schema"] for m in union["members"]}
        for member in union["members"]:
            value = example(spec, {"$ref": member["schema"]})
            got = type(parse(value)).__name__
            checked += 1
            twin = got in schemas and shape(spec, schemas[got]) == shape(spec, member["schema"])
            if got != member["class"] and not twin:
                wrong.append(f"{union['module']}.{union['function']}: {value!r} -> {got}, not {member['class']}")
    assert checked > 50
    assert wrong == []


def _check_unions(node: Any, seen: set[int], found: list[Any]) -> None:
    """Every union node ("u") reachable from a check node."""
    if not isinstance(node, dict) or id(node) in seen:
        return
    seen.add(id(node))
    if "$" in node:
        _check_unions(SCHEMAS.get(node["$"]), seen, found)
        return
    if "u" in node:
        found.append(node)
    for key in ("p", "a"):
        for sub in (node.get(key) or {}).values() if key == "p" else [node.get(key)]:
            _check_unions(sub, seen, found)
    _check_unions(node.get("i"), seen, found)
    for member in node.get("u", ()):
        _check_unions(member, seen, found)


@pytest.mark.slow  # generates the whole API for its union inventory
def test_argument_checks_pick_the_member_the_parser_picks(generated: tuple[Json, Json]) -> None:
    _, spec = generated
    unions: list[Any] = []
    seen: set[int] = set()
    for node in SCHEMAS.values():
        _check_unions(node, seen, unions)
    wrong = []
    checked = 0
    for node in unions:
        for index in node.get("o", ()):
            member = node["u"][index]
            if "$" not in member:
                continue
            ref = f"#/components/schemas/{member['$']}"
            value = example(spec, {"$ref": ref})
            picked = _validation.union_member(value, node, SCHEMAS)
            checked += 1
            other = node["u"][picked] if picked is not None and picked >= 0 else {}
            twin = "$" in other and shape(spec, f"#/components/schemas/{other['$']}") == shape(spec, ref)
            if picked != index and not twin:
                wrong.append(f"{member['$']}: {value!r} -> member {picked}, not {index}")
            else:
                _validation._check(value, node, "value", SCHEMAS, 0)  # and the value passes
    assert checked > 20
    assert wrong == []


def test_unknown_variant_is_kept_by_the_parser_and_passed_by_the_checks() -> None:
    from modelgates_client._generated import TABLES
    from modelgates_client._validation import check_argument
    from modelgates_client.models import ChatRequest

    tools = [{"type": "modelgates:a-tool-from-next-week", "anything": 1}]
    assert ChatRequest.from_dict({"messages": [], "tools": tools}).tools == tools
    check_argument(TABLES, "chat.send", "tools", tools, "chat.send(tools)")  # no error


def test_object_fitting_no_member_names_what_it_lacks() -> None:
    from modelgates_client._generated import TABLES
    from modelgates_client._validation import check_argument

    with pytest.raises(ValueError, match=r"chat\.send\(tools\)\[0\]: missing required key 'type'"):
        check_argument(TABLES, "chat.send", "tools", [{"function": {"name": "f"}}], "chat.send(tools)")
