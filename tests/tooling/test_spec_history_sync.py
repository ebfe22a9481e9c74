"""spec-sync against every published version in ../shared/reference (skipped when it is not there).

For each version V: our spec, synced to V, has V's facts (spec-diff V: 0 differences, no repeated prose), and
the synced spec generates. Slow (a full sync and generation per version): `pytest -m "not history"` skips it.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from scripts import spec_diff, spec_sync

from ..conftest import GENERATE

ROOT = Path(__file__).resolve().parents[2]


REFERENCE = ROOT.parent / "shared" / "reference"
DOCUMENTS = sorted((REFERENCE / "history").glob("*.yaml")) + sorted(REFERENCE.glob("modelgates.openapi.yaml"))
pytestmark = [
    pytest.mark.xdist_group("test_spec_history_sync"),  # its module fixture is made once, on one worker
    pytest.mark.history,
    pytest.mark.skipif(not DOCUMENTS, reason="../shared/reference (the published versions) is not here"),
]


@pytest.fixture(scope="module")
def synced_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("synced")


def synced(document: Path, directory: Path) -> Path:
    """Our spec synced to `document` (once per module)."""
    out = directory / document.name
    if not out.exists():
        ours = directory / f"ours-{document.name}"
        shutil.copy(ROOT / "openapi" / "modelgates.yaml", ours)
        assert spec_sync.main([str(document), "--spec", str(ours), "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_synced_spec_has_the_published_facts(
    document: Path, synced_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = synced(document, synced_dir)
    capsys.readouterr()
    code = spec_diff.main([str(document), "--spec", str(out), "--prose"])
    last = capsys.readouterr().out.splitlines()[-1]
    assert code == 0, last
    assert "0 on one side only, 0 fact differences, 0 SDK-name differences" in last


@pytest.mark.parametrize("document", DOCUMENTS, ids=[d.stem for d in DOCUMENTS])
def test_synced_spec_generates(document: Path, synced_dir: Path, tmp_path: Path) -> None:
    out = synced(document, synced_dir)
    result = subprocess.run(
        [*GENERATE, "--spec", str(out), "--out", str(tmp_path / "out")],
        capture_output=True,
        cwd=ROOT,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
