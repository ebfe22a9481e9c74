"""What a user sees of the models: plain data out, a readable repr, public names that import, and imports that
load only what they name."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from modelgates_client import UNSET, BaseModel
from modelgates_client.models import ChatResult, ProviderPreferences

ROOT = Path(__file__).resolve().parents[2]
RESULT = {
    "id": "gen-1",
    "object": "chat.completion",
    "created": 1700000000,
    "model": "openai/gpt-4",
    "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": "Hi"}}],
    "native": "kept",
}


def test_repr_shows_what_the_server_sent_and_no_unset_attributes() -> None:
    text = repr(ChatResult.from_dict(RESULT))
    assert text.startswith("ChatResult(choices=[ChatChoice(")
    assert "UNSET" not in text
    assert "additional_properties={'native': 'kept'}" in text


def test_to_json_is_the_json_the_server_sent() -> None:
    result = ChatResult.from_dict(RESULT)
    assert json.loads(result.to_json()) == RESULT
    assert result.to_json(indent=2).startswith("{\n  ")


def test_unlisted_keys_are_readable_by_subscript() -> None:
    result = ChatResult.from_dict(RESULT)
    assert ("native" in result, result["native"]) == (True, "kept")


def test_every_model_derives_from_base_model() -> None:
    assert isinstance(ChatResult.from_dict(RESULT), BaseModel)
    assert ProviderPreferences().to_dict() == {}
    assert ProviderPreferences().sort is UNSET


IMPORT_ONE = """
import sys
from modelgates_client.models import {name}
print(sum(1 for m in sys.modules if m.startswith("modelgates_client._generated.models.")))
"""


@pytest.mark.parametrize(("name", "cap"), [("ChatResult", 60), ("ProviderPreferences", 15)])
def test_importing_one_model_loads_only_what_it_needs(name: str, cap: int) -> None:
    from modelgates_client._generated import models

    loaded = int(
        subprocess.run(
            [sys.executable, "-c", IMPORT_ONE.format(name=name)], capture_output=True, text=True, check=True
        ).stdout
    )
    assert 1 <= loaded <= cap < len(models.__all__) / 4


def readme_imports() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    code = "\n".join(re.findall(r"```python\n(.*?)```", text, flags=re.S))
    return sorted(
        {line.strip() for line in code.splitlines() if re.match(r"\s*from modelgates_client\S* import ", line)}
    )


def test_readme_has_imports_to_check() -> None:
    assert len(readme_imports()) >= 3


@pytest.mark.parametrize("line", readme_imports())
def test_readme_import_works(line: str) -> None:
    line = line.replace("...", "").rstrip(", ")
    result = subprocess.run([sys.executable, "-c", line], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
