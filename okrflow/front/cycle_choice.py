"""Which cycle a page shows: the one asked for, else the one remembered, else the current one.

Every cycle is read once per request (`cycles_of`): the top bar lists them all, and the chosen
one is picked from that list, so a page pays one query for both.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from okrflow.compiled_reads import all_rows
from okrflow.cycles.models import Cycle, CycleState
from okrflow.front.params import parse_id

SESSION_KEY = "okrflow_cycle"


def every_cycle() -> QuerySet[Cycle]:
    return Cycle.objects.all()


def cycles_of(request: HttpRequest) -> list[Cycle]:
    """Return every cycle, newest first (the cycle switch's order), read once per request."""
    cached: list[Cycle] | None = getattr(request, "_okrflow_cycles", None)
    if cached is None:
        # Compiled once per process: every page's top bar lists them.
        cached = all_rows("every cycle", every_cycle, Cycle.objects.db)
        request._okrflow_cycles = cached  # type: ignore[attr-defined]
    return cached


def default_among(cycles: list[Cycle], today: datetime.date) -> Cycle | None:
    """The active cycle containing today, else any active one, else the newest (in list order)."""
    active = [cycle for cycle in cycles if cycle.state == CycleState.ACTIVE]
    current = [cycle for cycle in active if cycle.start_date <= today <= cycle.end_date]
    return next(iter(current or active or cycles), None)


def default_cycle() -> Cycle | None:
    """Return the active cycle containing today, else any active one, else the newest."""
    return default_among(list(Cycle.objects.all()), timezone.localdate())


def chosen_cycle(request: HttpRequest) -> Cycle | None:
    """Return the cycle for this request and remember an explicit choice in the session."""
    cached = getattr(request, "_okrflow_cycle", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    cycles = cycles_of(request)
    by_id = {cycle.pk: cycle for cycle in cycles}
    cycle = None
    asked = parse_id(request.GET.get("cycle", ""))
    if asked is not None:
        cycle = by_id.get(asked)
        remembered = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if cycle is not None and hasattr(request, "session") and remembered != cycle.pk:
            # Written only when it changes: an unchanged session is not saved again.
            request.session[SESSION_KEY] = cycle.pk
    if cycle is None and hasattr(request, "session"):
        remembered = request.session.get(SESSION_KEY)
        if isinstance(remembered, int):
            cycle = by_id.get(remembered)
    if cycle is None:
        cycle = default_among(cycles, timezone.localdate())
    request._okrflow_cycle = cycle  # type: ignore[attr-defined]
    return cycle
