"""The generated suites' counts, printed at the end of the normal run (xdist workers included).

Each test attaches its counts to its report; the process that prints the summary (the xdist
controller, or the only process) adds them up. The hooks are imported by tests/conftest.py, which
the controller loads.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

COUNTS_KEY = "security_counts"
_totals: dict[str, Counter[str]] = {}
_sets: dict[str, dict[str, set[str]]] = {}


def record_counts(
    node: Any, suite: str, counts: dict[str, int], names: dict[str, set[str]]
) -> None:
    """Attach a test's counts to its report: xdist carries them to the process that prints."""
    node.user_properties.append(
        (COUNTS_KEY, (suite, counts, {k: sorted(v) for k, v in names.items()}))
    )


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.when != "call":
        return
    for key, value in report.user_properties:
        if key == COUNTS_KEY:
            suite, counts, names = value
            _totals.setdefault(suite, Counter()).update(counts)
            for kind, items in names.items():
                _sets.setdefault(suite, {}).setdefault(kind, set()).update(items)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    for suite in sorted(_totals):
        counts = dict(_totals[suite])
        distinct = {kind: len(items) for kind, items in _sets.get(suite, {}).items()}
        parts = [f"{kind}={number}" for kind, number in sorted(distinct.items())]
        parts += [f"{kind}={number}" for kind, number in sorted(counts.items())]
        terminalreporter.write_line(f"{suite}: " + ", ".join(parts))
