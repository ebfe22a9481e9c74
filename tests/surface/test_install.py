"""The installed package as its users see it: mypy --strict, run on a script outside the repository, finds the
package (`make install` is an editable install type checkers can follow) and checks the calls against its types."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

GOOD = """
from typing import assert_type

from modelgates_client import APIResponse, ModelGates, RetryConfig, Stream
from modelgates_client.models import ChatResult, ChatStreamChunk, GenerationResponse


def main() -> None:
    with ModelGates(api_key="k", http_referer="https://app.example", max_retries=1) as mg:
        res = mg.chat.send(messages=[{"role": "user", "content": "Hi"}], timeout_ms=5000, retries=RetryConfig("none"))
        assert_type(res, ChatResult)
        with mg.chat.send(messages=[{"role": "user", "content": "Hi"}], stream=True) as stream:
            assert_type(stream, Stream[ChatStreamChunk])
        raw = mg.generations.with_raw_response.get_generation(id="gen-1", x_open_router_title="App")
        assert_type(raw, APIResponse[GenerationResponse])
        assert_type(raw.parse(), GenerationResponse)
        streamed = mg.chat.with_raw_response.send(messages=[], stream=True, extra_body={"x": 1})
        assert_type(streamed.parse(), Stream[ChatStreamChunk])
"""

BAD = """
from modelgates_client import ModelGates

mg = ModelGates(api_key="k")
mg.generations.get_generation(id="gen-1", http_referrer="typo")
mg.generations.get_generation(id="gen-1", timeout_ms="fast")
"""


@pytest.mark.slow
def test_mypy_outside_the_repository_finds_and_checks_the_package(tmp_path: Path) -> None:
    (tmp_path / "good.py").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bad.py").write_text(BAD, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / ".cache"), "good.py", "bad.py"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=600,
    )
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    assert not [e for e in errors if e.startswith("good.py")], result.stdout
    assert len(errors) == 2, result.stdout
    assert errors[0].startswith("bad.py:5:") and 'Unexpected keyword argument "http_referrer"' in errors[0]
    assert errors[1].startswith("bad.py:6:") and 'Argument "timeout_ms"' in errors[1]
