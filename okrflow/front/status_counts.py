"""Where the overview gets a whole cycle's status counts when its objectives span pages.

`front` sits below `insights` (insights' pages use front's parameters, cycle choice and
formatting), so front never imports insights: insights registers its stored totals here from
its `AppConfig.ready()` (layering in docs/ARCHITECTURE.md). Without a counter, the overview
counts the page it shows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

# (cycle, queryset of the visible objectives, the reader) → (when the counts were computed,
# counts by status value), or None while none are stored.
Counter = Callable[[Any, Any, Any], tuple[datetime.datetime, dict[str, int]] | None]

_counter: list[Counter] = []


def set_counter(counter: Counter) -> None:
    """Let an app provide the counts of every visible objective of a cycle, by status."""
    _counter[:] = [counter]


def cycle_status_counts(
    cycle: Any, visible: Any, user: Any
) -> tuple[datetime.datetime, dict[str, int]] | None:
    """Count every objective of the cycle `user` may see (`visible`) by status, or None when
    nothing can tell."""
    return _counter[0](cycle, visible, user) if _counter else None
