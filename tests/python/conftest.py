"""Shared pytest setup: a skip is a failure unless the test says it may be skipped.

A test that silently skips (a missing module, an absent build, a platform check) proves nothing while
the run stays green. So any skipped test fails the session unless it carries
``@pytest.mark.allowed_skip("why skipping is fine here")``. Skips raised while collecting a module
(module-level ``pytest.skip``/``importorskip``) cannot carry the marker and always count: skip inside
the test, or with a ``skipif`` mark, instead. xfail is not a skip and is left alone.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from _pytest.terminal import TerminalReporter

_allowed: set[str] = set()  # node ids of tests marked allowed_skip with a reason
_unexpected_skips: list[str] = []


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "allowed_skip(reason): this test may be skipped without failing the run; say why",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        marker = item.get_closest_marker("allowed_skip")
        if marker is not None and (marker.args or marker.kwargs.get("reason")):
            _allowed.add(item.nodeid)


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail") and report.nodeid not in _allowed:
        _unexpected_skips.append(report.nodeid)


def pytest_collectreport(report: pytest.CollectReport) -> None:
    if report.skipped:
        _unexpected_skips.append(f"{report.nodeid} (skipped while collecting)")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    # pytest returns session.exitstatus after this hook, so changing it changes the exit code.
    if _unexpected_skips and session.exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter: TerminalReporter) -> None:
    if _unexpected_skips:
        terminalreporter.section("skipped without @pytest.mark.allowed_skip(reason): the run fails", red=True)
        for nodeid in _unexpected_skips:
            terminalreporter.line(nodeid)
