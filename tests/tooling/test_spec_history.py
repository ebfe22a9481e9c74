"""Every published version of the spec generates completely (issue: the generator takes every version, not just
today's). Reads ../shared/reference/history/*.yaml and the current published document when they are there (a
user's clone has no ../shared: skipped), generates each into a scratch folder and checks the result: exit 0,
every operation of the document in the manifest and callable (with its `_async` twin), every model importable,
no value degraded to `Any`, and the package passes mypy --strict.

Slow (nine generations, two at a time): marked `history`, so a quick loop can leave it out (`-m "not history"`).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import yaml

from ..conftest import GENERATE

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT.parent / "shared" / "reference"
DOCUMENTS = sorted((REFERENCE / "history").glob("*.yaml")) + sorted(REFERENCE.glob("modelgates.openapi.yaml"))
METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")

pytestmark = [
    pytest.mark.xdist_group("test_spec_history"),  # its module fixture is made once, on one worker
    pytest.mark.history,
    pytest.mark.skipif(not DOCUMENTS, reason="../shared/reference is not here (a clone of the project only)"),
]

# In a fresh interpreter with the generated package first on sys.path: every manifest callable and its _async
# twin on a client, every model of the models package imported; prints what it found as JSON.
CHECK = """
import inspect, json, pathlib
import modelgates_client
from modelgates_client import ModelGates
here = pathlib.Path.cwd().resolve()
assert pathlib.Path(modelgates_client.__file__).resolve().is_relative_to(here), modelgates_client.__file__
client = ModelGates(api_key="k", server_url="http://127.0.0.1:1")
missing = []
for op in json.loads((here / "manifest.json").read_text())["operations"]:
    group, name = op["callable"].split(".")
    resource = getattr(client, group)
    if not callable(getattr(resource, name, None)) or not inspect.iscoroutinefunction(getattr(resource, name + "_async", None)):
        missing.append(op["callable"])
import modelgates_client._generated.models as m
models = [getattr(m, n) for n in m.__all__]
import modelgates_client.errors
print(json.dumps({"missing": missing, "models": len(models)}))
"""


def operations_of(document: Path) -> set[tuple[str, str]]:
    spec = yaml.safe_load(document.read_text(encoding="utf-8"))
    return {
        (method.upper(), path)
        for path, item in (spec.get("paths") or {}).items()
        for method in METHODS
        if isinstance(item, dict) and method in item
    }


def generate_and_check(document: Path, out: Path) -> dict[str, Any]:
    result: dict[str, Any] = {"document": document.name}
    run = subprocess.run(
        [*GENERATE, "--spec", str(document), "--out", str(out)],
        capture_output=True,
        cwd=ROOT,
        text=True,
        timeout=600,
    )
    result["returncode"], result["stderr"] = run.returncode, run.stderr
    if run.returncode != 0:
        return result
    result["manifest"] = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    check = subprocess.run(
        [sys.executable, "-c", CHECK],
        capture_output=True,
        text=True,
        cwd=out,
        env={**os.environ, "PYTHONPATH": str(out)},
        timeout=600,
    )
    result["check_error"] = check.stderr if check.returncode != 0 else ""
    result["check"] = json.loads(check.stdout) if check.returncode == 0 else None
    mypy = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "modelgates_client"],
        capture_output=True,
        text=True,
        cwd=out,
        env={**os.environ, "MYPYPATH": str(out)},
        timeout=900,
    )
    result["mypy"] = "" if mypy.returncode == 0 else mypy.stdout[-3000:]
    return result


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    base = tmp_path_factory.mktemp("history")
    with ThreadPoolExecutor(max_workers=2) as pool:  # this machine has two cores
        results = pool.map(lambda d: generate_and_check(d, base / d.stem), DOCUMENTS)
        return {r["document"]: r for r in results}


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_published_version_generates_completely(generated: dict[str, dict[str, Any]], document: Path) -> None:
    result = generated[document.name]
    assert result["returncode"] == 0, result["stderr"]
    listed = {(op["method"], op["path"]) for op in result["manifest"]["operations"]}
    assert listed == operations_of(document)
    assert result["check_error"] == "", result["check_error"]
    assert result["check"]["missing"] == []
    assert result["check"]["models"] > 0


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_published_version_degrades_nothing_to_any(generated: dict[str, dict[str, Any]], document: Path) -> None:
    result = generated[document.name]
    assert result["returncode"] == 0, result["stderr"]
    assert result["manifest"]["untyped"]["degraded"] == []


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_published_version_type_checks(generated: dict[str, dict[str, Any]], document: Path) -> None:
    result = generated[document.name]
    assert result["returncode"] == 0, result["stderr"]
    assert result["mypy"] == ""
