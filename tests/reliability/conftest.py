"""Reliability report: one row per case (category, case, ok/FAIL, detail), printed as a matrix at the end of a
run with `--reliability-matrix` (`make reliability`), or of any run where a case failed.

Every test in this folder is a case. Its category is its module (`test_faults.py` -> "faults"); a test adds a
detail with the `case` fixture (`case.note("NoResponseError in 0.31s")`) and counts what it tried
(`case.count("concurrency", 200)`). A backstop alarm fails a test that runs past its hard deadline instead of
letting the session hang (the calls themselves run under `_support.within`, a tighter per-call bound).
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

#: Seconds any one test of this folder may run before the backstop alarm fails it.
TEST_DEADLINE = 90


@dataclass
class Case:
    category: str
    name: str
    details: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def rename(self, name: str) -> None:
        """Show this case under `name` in the report."""
        self.name = name

    def note(self, text: str) -> None:
        """Add a detail to this case's row of the report."""
        self.details.append(text)

    def count(self, what: str, n: int = 1, *, peak: bool = False) -> None:
        """Count `n` of `what` (bad inputs tried, ...); with peak=True keep the largest value seen instead."""
        self.counts[what] = max(self.counts.get(what, 0), n) if peak else self.counts.get(what, 0) + n


@dataclass
class Row:
    category: str
    case: str
    outcome: str
    detail: str
    seconds: float


_ROWS: list[Row] = []
_COUNTS: dict[str, int] = {}
_PEAKS = {"concurrency"}


class _Hung(Exception):
    pass


def _category(item: pytest.Item) -> str:
    name = item.path.stem
    return name[5:] if name.startswith("test_") else name


@pytest.fixture(autouse=True)
def case(request: pytest.FixtureRequest) -> Iterator[Case]:
    item = request.node
    callspec = getattr(item, "callspec", None)
    c = Case(_category(item), callspec.id if callspec is not None else item.originalname.removeprefix("test_"))
    item._reliability_case = c

    def on_alarm(signum: int, frame: Any) -> None:
        raise _Hung(f"hard deadline: the test ran past {TEST_DEADLINE}s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TEST_DEADLINE)
    try:
        yield c
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    c: Case | None = getattr(item, "_reliability_case", None)
    if c is None:
        return report
    if report.when == "call" or (report.when == "setup" and not report.passed) or hasattr(report, "wasxfail"):
        if hasattr(report, "wasxfail"):
            outcome = "xfail" if report.skipped else "XPASS"
            c.note(f"known: {report.wasxfail}")
        elif report.passed:
            outcome = "ok"
        elif report.skipped:
            outcome = "skip"
        else:
            outcome = "FAIL"
        detail = "; ".join(c.details)
        if outcome == "FAIL" and call.excinfo is not None:
            problem = call.excinfo.exconly().strip().splitlines()[0]
            detail = f"{detail}; {problem}" if detail else problem
        _ROWS.append(Row(c.category, c.name, outcome, detail, time.monotonic() - c.started))
        for what, n in c.counts.items():
            _COUNTS[what] = max(_COUNTS.get(what, 0), n) if what in _PEAKS else _COUNTS.get(what, 0) + n
    return report


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 3] + "..."


def pytest_terminal_summary(terminalreporter: Any, exitstatus: int, config: pytest.Config) -> None:
    # Printed when asked (`make reliability`) or when a case failed; a passing `make test` stays quiet.
    failed = any(r.outcome in ("FAIL", "XPASS") for r in _ROWS)
    if not _ROWS or not (failed or config.getoption("--reliability-matrix", default=False)):
        return
    write = terminalreporter.write_line
    write("")
    write("=" * 30 + " reliability matrix " + "=" * 30)
    cw = max(len(r.category) for r in _ROWS)
    nw = min(64, max(len(r.case) for r in _ROWS))
    write(f"{'category':<{cw}}  {'case':<{nw}}  {'outcome':<7}  {'secs':>5}  detail")
    for r in _ROWS:
        write(
            f"{r.category:<{cw}}  {_clip(r.case, nw):<{nw}}  {r.outcome:<7}  {r.seconds:5.2f}  {_clip(r.detail, 110)}"
        )
    passed = sum(r.outcome == "ok" for r in _ROWS)
    failed = sum(r.outcome in ("FAIL", "XPASS") for r in _ROWS)
    known = sum(r.outcome == "xfail" for r in _ROWS)
    faults = [r for r in _ROWS if r.category == "faults"]
    survived = sum(r.outcome == "ok" for r in faults)
    by_category = ", ".join(
        f"{cat} {sum(r.outcome == 'ok' for r in _ROWS if r.category == cat)}/{sum(r.category == cat for r in _ROWS)}"
        for cat in dict.fromkeys(r.category for r in _ROWS)
    )
    write(f"by category (ok/tried): {by_category}")
    write(
        f"reliability: {passed} passed, {failed} failed"
        + (f", {known} known limitations (xfail)" if known else "")
        + f" (faults tried {len(faults)}, survived {survived};"
        f" bad inputs tried {_COUNTS.get('bad inputs', 0)};"
        f" concurrency reached {_COUNTS.get('concurrency', 0)})"
    )
