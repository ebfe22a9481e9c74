"""One generation: spec in, the `_generated` package (and the reference pages) out.

Steps: read the spec; prepare it (scripts/specprep) into what openapi-python-client parses; run
openapi-python-client with the templates in generator_templates/ (oac); audit that no operation, parameter,
request body or response was skipped (audit); format with ruff; write the spec's facts for the local server and
the reference pages (docs). Raises GenerationFailed, naming what, when anything of the spec could not be generated.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from .. import specprep
from ..common.document import Json, load
from . import audit, docs, oac
from .mg import Generator, call_options

__all__ = [
    "DEFAULT_SPEC",
    "DOCS",
    "GENERATED",
    "PACKAGE",
    "GenerationFailed",
    "generate_into",
    "load_spec",
    "spec_data",
]

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_SPEC = ROOT / "openapi" / "modelgates.yaml"
TEMPLATES = ROOT / "generator_templates"
PACKAGE = ROOT / "modelgates_client"
GENERATED = "_generated"
DOCS = ROOT / "docs"  # the reference pages (generator/docs.py)
#: The spec's facts (and our examples) as package data, for the local server (modelgates_client.testing).
SPEC_DATA = "openapi.json"
_PROSE_KEYS = ("description", "summary", "title")


class GenerationFailed(Exception):
    """The spec could not be generated completely; the message names each problem."""


def load_spec(path: Path) -> Json:
    """The OpenAPI document at `path` (YAML or JSON)."""
    try:
        data = load(path)
    except ValueError as exc:  # not JSON, or not a mapping
        raise GenerationFailed(str(exc)) from exc
    if "paths" not in data:
        raise GenerationFailed(f"{path}: not an OpenAPI document (no paths)")
    return data


def generate_into(spec_path: Path, gen_dir: Path, docs_dir: Path | None = None) -> dict[str, Any]:
    """Generate the `_generated` package into gen_dir (and the reference pages into docs_dir). Returns the
    manifest."""
    document = load_spec(spec_path)
    prepared = specprep.prepare(document)
    check_spec = specprep.check_spec(document)
    with tempfile.TemporaryDirectory() as tmp:
        prepared_path = Path(tmp) / "prepared.json"
        prepared_path.write_text(json.dumps(prepared.spec), encoding="utf-8")
        try:
            parsed = oac.parse(prepared.spec, prepared_path, gen_dir, prepared.content_type_overrides, GENERATED)
        except oac.ReadFailed as exc:
            raise GenerationFailed(f"openapi-python-client could not read the prepared spec: {exc}") from exc
        generator = Generator(prepared, check_spec, parsed, call_options(PACKAGE))
        build = oac.Build(parsed, TEMPLATES, {"mg": generator})
        _arrange(generator, build, gen_dir)
    found = build.problems + audit.problems(generator)
    if found:
        raise GenerationFailed("\n".join(sorted(set(found))))
    manifest = _manifest(generator)
    _ruff(gen_dir)
    (gen_dir / SPEC_DATA).write_text(spec_data(document), encoding="utf-8")
    if docs_dir is not None:
        docs.write_docs(generator, docs_dir)
    return manifest


def _arrange(generator: Generator, build: oac.Build, gen_dir: Path) -> None:
    """The files openapi-python-client does not write as we want them: the groups module's name, no module for
    the free-form placeholder (it is dict[str, Any], never a class), the check tables and the union aliases."""
    (gen_dir / "client.py").rename(gen_dir / "groups.py")
    for m in oac.models(generator.parsed):
        if generator.ctx.is_json_object(m):
            (gen_dir / "models" / f"{oac.module_name(m)}.py").unlink()
    (gen_dir / "schemas.py").write_text(build.render("schemas.py.jinja"), encoding="utf-8")
    for alias in generator.union_aliases():
        (gen_dir / "models" / f"{alias.module}.py").write_text(
            build.render("union_alias.py.jinja", a=alias), encoding="utf-8"
        )


def _manifest(generator: Generator) -> dict[str, Any]:
    """Every operation's callable, the census of values typed `Any`, and every union's parse function."""
    operations = [
        {"method": info.method, "path": info.path, "operationId": info.operation_id, "callable": info.callable}
        for info in generator.prepared.operations
    ]
    unions = sorted(
        (
            {"module": module, "function": plan.name, "members": [{"class": c, "schema": r} for c, r in plan.members]}
            for module, plan in generator.ctx.plans
            if plan.members
        ),
        key=lambda u: (u["module"], u["function"]),
    )
    untyped = audit.untyped_values(generator.parsed, generator.prepared.spec)
    return {"operations": operations, "untyped": untyped, "unions": unions}


def _ruff(directory: Path) -> None:
    config = str(ROOT / "pyproject.toml")
    for args in (
        ["check", "--fix-only", "--select", "I,F401", "--config", config, directory.name],
        ["format", "--config", config, directory.name],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "ruff", *args], capture_output=True, text=True, cwd=directory.parent
        )
        if result.returncode != 0:
            raise GenerationFailed(f"ruff {args[0]} failed on the generated code:\n{result.stdout}{result.stderr}")


def spec_data(document: Json) -> str:
    """The document without its prose (descriptions, summaries, titles; names in name maps stay), as compact JSON
    with a trailing newline."""

    def strip(node: Any, names: bool = False) -> Any:
        if isinstance(node, dict):
            return {
                k: strip(v, not names and k in specprep.NAME_MAPS)
                for k, v in node.items()
                if names or not (k in _PROSE_KEYS and isinstance(v, str))
            }
        if isinstance(node, list):
            return [strip(v) for v in node]
        return node

    return json.dumps(strip(document), ensure_ascii=False, separators=(",", ":"), default=str) + "\n"
