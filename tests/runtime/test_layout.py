"""The runtime's layout rules, checked on its source: dependencies go one way (the core never imports the generated
package; no import cycle among hand-written modules), and public classes say their public module."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

import modelgates_client
from modelgates_client import errors

PACKAGE = Path(modelgates_client.__file__).resolve().parent
#: The modules allowed to import `_generated`: the façades that hand its tables to the core or re-export it.
FACADES = {"modelgates_client._client", "modelgates_client.errors", "modelgates_client.models"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _hand_written() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py") if "_generated" not in p.relative_to(PACKAGE).parts}


def _runtime_imports(name: str, path: Path) -> set[str]:
    """The modules `name` imports when it runs: module level and inside functions, not under TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                for orelse in child.orelse:
                    visit(orelse)
                continue
            if isinstance(child, ast.Import):
                out.update(alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parent = package.rsplit(".", child.level - 1)[0] if child.level > 1 else package
                    base = f"{parent}.{base}" if base else parent
                out.add(base)
                out.update(f"{base}.{alias.name}" for alias in child.names)
            visit(child)

    visit(tree)
    return {m for m in out if m.startswith("modelgates_client")}


def test_the_core_never_imports_the_generated_package() -> None:
    offenders = []
    for name, path in sorted(_hand_written().items()):
        if name in FACADES or name.startswith("modelgates_client.testing") or name == "modelgates_client":
            continue
        generated = sorted(m for m in _runtime_imports(name, path) if m.startswith("modelgates_client._generated"))
        if generated:
            offenders.append(f"{name} imports {', '.join(generated)}")
    assert offenders == []


def test_no_import_cycle_among_hand_written_modules() -> None:
    modules = _hand_written()
    graph = {
        name: {m for m in _runtime_imports(name, path) if m in modules and m != name} for name, path in modules.items()
    }
    # A package's __init__ re-exports its submodules; importing a submodule through it is not a dependency of
    # the package on the importer.
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycles.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)
    assert [" -> ".join(c) for c in cycles] == []


@pytest.mark.parametrize(
    ("module", "names"),
    [
        (modelgates_client, modelgates_client.__all__),
        (errors, errors.__all__),
        (modelgates_client.utils, modelgates_client.utils.__all__),
    ],
    ids=["modelgates_client", "errors", "utils"],
)
def test_public_classes_report_their_public_module(module: object, names: list[str]) -> None:
    """Every exported class names a public module (no `_private` part) that exports it under its name."""
    wrong = []
    for name in names:
        value = getattr(module, name)
        if not isinstance(value, type):
            continue
        home = sys.modules[value.__module__]
        if "._" in value.__module__ or getattr(home, value.__qualname__, None) is not value:
            wrong.append(f"{name}: {value.__module__}")
    assert wrong == []


def test_tracebacks_and_reprs_show_public_names() -> None:
    from modelgates_client import Stream

    assert repr(Stream).endswith("'modelgates_client.Stream'>")
    assert f"{errors.BadRequestResponseError.__module__}.{errors.BadRequestResponseError.__qualname__}" == (
        "modelgates_client.errors.BadRequestResponseError"
    )
