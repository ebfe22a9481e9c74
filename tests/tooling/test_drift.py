"""The drift check (python -m scripts.check_drift): the committed generated code is what the spec and templates produce."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from scripts import check_drift

ROOT = Path(__file__).resolve().parents[2]


# scripts.generate finds the spec, the templates, the package and the ruff config (pyproject.toml) from its own location.
PROJECT_PARTS = ("openapi", "generator_templates", "scripts", "modelgates_client", "pyproject.toml")
OLD_TEXT = "How hard the advisor model should think before answering."
NEW_TEXT = "How much thought the advisor model puts in before it answers."


def run_check_drift(root: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scripts.check_drift"],
        capture_output=True,
        text=True,
        cwd=root,
        timeout=300,
    )


def copy_project(target: Path) -> Path:
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, target / part)
    return target


@pytest.mark.slow
def test_committed_generated_code_has_no_drift() -> None:
    result = run_check_drift(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


@pytest.mark.slow
def test_spec_edit_without_regenerating_is_drift(tmp_path: Path) -> None:
    root = copy_project(tmp_path / "project")
    spec = root / "openapi" / "modelgates.yaml"
    text = spec.read_text(encoding="utf-8")
    assert text.count(OLD_TEXT) == 1
    spec.write_text(text.replace(OLD_TEXT, NEW_TEXT), encoding="utf-8")

    result = run_check_drift(root)

    assert result.returncode == 1, result.stdout + result.stderr
    differing = [line.strip() for line in result.stdout.splitlines() if line.strip().startswith("differs:")]
    assert differing == ["differs: models/advisor_reasoning.py"]
    assert NEW_TEXT in result.stdout  # the head of the diff shows the change
    assert "make generate" in result.stdout
    # The check only reads: the copy's committed tree is unchanged.
    committed = root / "modelgates_client" / "_generated" / "models" / "advisor_reasoning.py"
    assert OLD_TEXT in committed.read_text(encoding="utf-8")


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def test_compare_identical_trees_has_no_problems(tmp_path: Path) -> None:
    files = {"a.py": "A\n", "models/b.py": "B\n"}
    expected = write(tmp_path / "expected", files)
    actual = write(tmp_path / "actual", {**files, "models/__pycache__/b.cpython-311.pyc": "x"})
    assert check_drift.compare(expected, actual) == []


def test_compare_reports_missing_extra_and_differing_files(tmp_path: Path) -> None:
    expected = write(tmp_path / "expected", {"same.py": "S\n", "changed.py": "one\n", "new.py": "N\n"})
    actual = write(tmp_path / "actual", {"same.py": "S\n", "changed.py": "two\n", "old.py": "O\n"})
    problems = check_drift.compare(expected, actual)
    assert [p.split("\n")[0].split(" (")[0] for p in problems] == [
        "differs: changed.py",
        "missing: new.py",
        "extra: old.py",
    ]
    diff = problems[0]
    assert "-two" in diff and "+one" in diff
