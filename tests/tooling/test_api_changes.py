"""api-changes (scripts/api_changes/) on two small generated packages: one test per kind of change.

OLD and NEW are hand-made specs; python -m scripts.generate --out turns each into a complete package, whose public
surface api_changes reads by importing it in a fresh interpreter.
"""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from scripts import api_changes

from ..conftest import GENERATE

ROOT = Path(__file__).resolve().parents[2]


Json = dict[str, Any]


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def json_body(schema: Json) -> Json:
    return {"application/json": {"schema": schema}}


def ok(schema: Json) -> Json:
    return {"description": "OK.", "content": json_body(schema)}


OLD: Json = {
    "openapi": "3.1.0",
    "info": {"title": "Pets", "version": "1"},
    "servers": [{"url": "http://example.invalid"}],
    "paths": {
        "/pets": {
            "get": {
                "operationId": "listPets",
                "tags": ["Pets"],
                "parameters": [
                    {"name": "limit", "in": "query", "schema": {"type": "integer"}},
                    {"name": "kind", "in": "query", "schema": {"type": "string"}},
                    {"name": "sort", "in": "query", "schema": {"type": "string"}},
                ],
                "responses": {
                    "200": ok({"type": "array", "items": ref("Pet")}),
                    "404": {"description": "Missing.", "content": json_body(ref("Missing"))},
                },
            },
            "post": {
                "operationId": "createPet",
                "tags": ["Pets"],
                "requestBody": {"required": True, "content": json_body(ref("NewPet"))},
                "responses": {"200": ok(ref("Pet"))},
            },
        },
        "/pets/{id}": {
            "get": {
                "operationId": "getPet",
                "tags": ["Pets"],
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": ok(ref("Pet"))},
            }
        },
        "/toys": {"get": {"operationId": "listToys", "tags": ["Toys"], "responses": {"200": ok(ref("Toy"))}}},
    },
    "components": {
        "schemas": {
            "Pet": {
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "string"},
                    "name": {"type": "string"},
                    "age": {"type": "integer"},
                    "color": {"type": "string"},
                    "kind": ref("Kind"),
                },
            },
            "NewPet": {
                "type": "object",
                "required": ["name"],
                "properties": {"name": {"type": "string"}, "nickname": {"type": "string"}},
            },
            "Kind": {"type": "string", "enum": ["cat", "dog", "fish"]},
            "Toy": {"type": "object", "properties": {"name": {"type": "string"}}},
            "Missing": {"type": "object", "properties": {"message": {"type": "string"}}},
        }
    },
}


def new_spec() -> Json:
    spec = copy.deepcopy(OLD)
    paths, schemas = spec["paths"], spec["components"]["schemas"]
    get = paths["/pets"]["get"]
    get["parameters"] = [
        {"name": "limit", "in": "query", "schema": {"type": ["integer", "string"]}},  # widened
        {"name": "sort", "in": "query", "schema": {"type": "integer"}},  # retyped
        {"name": "offset", "in": "query", "schema": {"type": "integer"}},  # new, optional
        {"name": "owner", "in": "query", "required": True, "schema": {"type": "string"}},  # new, required
    ]  # kind: removed
    del get["responses"]["404"]
    get["responses"]["429"] = {"description": "Slow down.", "content": json_body(ref("Slow"))}
    schemas["NewPet"]["required"] = ["name", "nickname"]  # nickname: made required
    paths["/pets/{id}"] = {  # get: removed, delete: added
        "delete": {
            "operationId": "deletePet",
            "tags": ["Pets"],
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            "responses": {"204": {"description": "Gone."}},
        }
    }
    del paths["/toys"]
    paths["/owners"] = {
        "get": {"operationId": "listOwners", "tags": ["Owners"], "responses": {"200": ok(ref("Owner"))}}
    }
    pet = schemas["Pet"]
    del pet["properties"]["color"]
    pet["properties"]["weight"] = {"type": "number"}
    pet["properties"]["chip"] = {"type": "string"}
    pet["required"] = ["id", "chip"]
    pet["properties"]["age"] = {"type": "string"}
    pet["properties"]["name"] = {"type": ["string", "null"]}
    schemas["Kind"]["enum"] = ["cat", "dog", "bird"]
    del schemas["Toy"], schemas["Missing"]
    schemas["Owner"] = {"type": "object", "properties": {"email": {"type": "string"}}}
    schemas["Slow"] = {"type": "object", "properties": {"retry": {"type": "integer"}}}
    return spec


# The module fixture is made once: every test of this module runs on one xdist worker.
pytestmark = pytest.mark.xdist_group("test_api_changes")


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(old, new) directories, each holding a generated modelgates_client (generated side by side)."""
    base = tmp_path_factory.mktemp("packages")
    runs = []
    for name, spec in (("old", OLD), ("new", new_spec())):
        path = base / f"{name}.yaml"
        path.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        command = [*GENERATE, "--spec", str(path), "--out", str(base / name)]
        runs.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT))
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    return base / "old", base / "new"


@pytest.fixture(scope="module")
def surfaces(packages: tuple[Path, Path]) -> tuple[Json, Json]:
    return api_changes.surface(packages[0]), api_changes.surface(packages[1])


@pytest.fixture(scope="module")
def changes(surfaces: tuple[Json, Json]) -> dict[str, bool]:
    """Each change's text -> whether it is breaking."""
    return {c.text: c.breaking for c in api_changes.compare(*surfaces)}


def test_surface_lists_groups_methods_models_and_errors(surfaces: tuple[Json, Json]) -> None:
    old, _ = surfaces
    assert sorted(old["groups"]) == ["pets", "toys"]
    assert {"list_pets", "list_pets_async", "create_pet", "get_pet"} <= set(old["groups"]["pets"])
    limit = old["groups"]["pets"]["list_pets"]["parameters"]["limit"]
    assert limit == {"kind": "keyword", "annotation": "int | Unset", "required": False}
    assert old["models"]["Kind"] == {"kind": "enum", "values": ["'cat'", "'dog'", "'fish'"]}
    assert old["models"]["Pet"]["fields"]["id"] == {"annotation": "str", "required": True}
    assert old["errors"]["MissingError"]["statuses"] == [404]


def test_same_package_has_no_changes(surfaces: tuple[Json, Json]) -> None:
    assert api_changes.compare(surfaces[0], surfaces[0]) == []


def test_group_added_is_additive_and_removed_breaking(changes: dict[str, bool]) -> None:
    assert changes["group `client.owners` added: `list_owners`"] is False
    assert changes["group `client.toys` removed: `list_toys`"] is True


def test_method_added_is_additive_and_removed_breaking(changes: dict[str, bool]) -> None:
    assert changes["method `client.pets.delete_pet` (and `delete_pet_async`) added"] is False
    assert changes["method `client.pets.get_pet` (and `get_pet_async`) removed"] is True


def test_parameter_added(changes: dict[str, bool]) -> None:
    assert changes["`client.pets.list_pets` (and `list_pets_async`): parameter `offset` added"] is False
    assert changes["`client.pets.list_pets` (and `list_pets_async`): required parameter `owner` added"] is True


def test_parameter_removed_is_breaking(changes: dict[str, bool]) -> None:
    assert changes["`client.pets.list_pets` (and `list_pets_async`): parameter `kind` removed"] is True


def test_parameter_made_required_is_breaking(changes: dict[str, bool]) -> None:
    # one line: `str | Unset` -> `str` only says the same again
    assert [t for t in changes if "`nickname`" in t] == [
        "`client.pets.create_pet` (and `create_pet_async`) parameter `nickname`: now required",
        "model `NewPet` field `nickname`: now required",
    ]
    assert changes["model `NewPet` field `nickname`: now required"] is True


def test_parameter_retyped(changes: dict[str, bool]) -> None:
    method = "`client.pets.list_pets` (and `list_pets_async`)"
    assert changes[f"{method} parameter `limit`: type widened: `int | Unset` -> `int | str | Unset`"] is False
    assert changes[f"{method} parameter `sort`: type changed (check): `str | Unset` -> `int | Unset`"] is True


def test_model_added_and_removed(changes: dict[str, bool]) -> None:
    assert changes["model `Owner` added"] is False
    assert changes["model `Toy` removed"] is True


def test_model_fields(changes: dict[str, bool]) -> None:
    assert changes["model `Pet`: field `color` removed"] is True
    assert changes["model `Pet`: field `weight` added"] is False
    assert changes["model `Pet`: required field `chip` added"] is True
    assert changes["model `Pet` field `age`: type changed (check): `int | Unset` -> `str | Unset`"] is True
    assert changes["model `Pet` field `name`: type widened: `str | Unset` -> `None | str | Unset`"] is False


def test_enum_values(changes: dict[str, bool]) -> None:
    assert changes["enum `Kind`: value 'fish' removed"] is True
    assert changes["enum `Kind`: value 'bird' added"] is False


def test_error_classes(changes: dict[str, bool]) -> None:
    assert changes["error class `MissingError` removed"] is True
    assert changes["error class `SlowError` added"] is False


def test_breaking_changes_come_first_in_the_markdown(surfaces: tuple[Json, Json]) -> None:
    found = api_changes.compare(*surfaces)
    assert [c.breaking for c in found] == sorted((c.breaking for c in found), reverse=True)
    text = api_changes.markdown(found, "Unreleased", "v0.1.0")
    breaking = sum(c.breaking for c in found)
    assert text.startswith(
        f"## Unreleased — API changes\n\nCompared with `v0.1.0`: {breaking} breaking, {len(found) - breaking} additive."
    )
    assert text.index("### Breaking") < text.index("### Additive")
    assert "- model `Toy` removed\n" in text
    assert (
        api_changes.markdown([], "1.2.0", "HEAD")
        == "## 1.2.0 — API changes\n\nNo change to the public API since `HEAD`.\n"
    )


def test_changelog_gets_the_section_after_its_introduction(tmp_path: Path) -> None:
    changelog = tmp_path / "CHANGELOG.md"
    changelog.write_text("# Changelog\n\nIntro.\n\n## 0.1.0 — first\n\nOld entry.\n", encoding="utf-8")
    api_changes.prepend_changelog("## Unreleased — API changes\n\n- x\n", changelog)
    assert changelog.read_text(encoding="utf-8") == (
        "# Changelog\n\nIntro.\n\n## Unreleased — API changes\n\n- x\n\n## 0.1.0 — first\n\nOld entry.\n"
    )


def git(repo: Path, *args: str) -> None:
    command = ["git", "-C", str(repo), "-c", "user.name=test", "-c", "user.email=test@example.invalid", *args]
    subprocess.run(command, check=True, capture_output=True, env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull})


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_working_tree_against_a_git_ref(
    packages: tuple[Path, Path], changes: dict[str, bool], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(packages[0] / "modelgates_client", repo / "modelgates_client")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "old")
    assert api_changes.summary("HEAD", repo) == "api-changes: no change to the public API since HEAD"
    shutil.rmtree(repo / "modelgates_client")
    shutil.copytree(packages[1] / "modelgates_client", repo / "modelgates_client")

    found = api_changes.changes_against("HEAD", repo)

    assert {c.text: c.breaking for c in found} == changes
    summary = api_changes.summary("HEAD", repo, limit=3).splitlines()
    breaking = sum(changes.values())
    assert summary[0] == f"api-changes since HEAD: {breaking} breaking, {len(changes) - breaking} additive"
    assert summary[1].startswith("  BREAKING ")
    assert summary[-1] == f"  ... {len(changes) - 3} more: `make api-changes` lists them all"


def test_summary_outside_a_git_repository_is_skipped(tmp_path: Path) -> None:
    assert api_changes.summary("HEAD", tmp_path).startswith("api-changes: skipped")


def test_annotation_members_split_at_the_top_level_only() -> None:
    assert api_changes.members("dict[str, int | None] | list[A | B] | None") == [
        "dict[str, int | None]",
        "list[A | B]",
        "None",
    ]
    assert api_changes.widened("A | Unset", "A | B | Unset")
    assert not api_changes.widened("A | Unset", "B | Unset")
    assert not api_changes.widened("A", "A")
