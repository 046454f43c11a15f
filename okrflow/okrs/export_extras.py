"""What other apps add to each objective of the exported tree (`okrflow okrs --json`).

`okrs` sits below the apps that record things about its objectives (`checkins` imports `okrs`,
never the reverse), so those apps register a filler here from their `AppConfig.ready()` and the
export calls every filler on each batch of objectives (layering in docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

# A filler adds its keys to each objective's data (and its key results'), given the
# objectives' ids as a list or a queryset of them, in a fixed number of queries.
Filler = Callable[[list[dict[str, Any]], Any], None]

_fillers: list[Filler] = []


def add_filler(filler: Filler) -> None:
    """Register what an app adds to each exported objective (once, however often called)."""
    if filler not in _fillers:
        _fillers.append(filler)


def fill_objectives(objectives: list[dict[str, Any]], objective_ids: Any) -> None:
    """Let every registered app add its data to these objectives' exported data."""
    for filler in _fillers:
        filler(objectives, objective_ids)
