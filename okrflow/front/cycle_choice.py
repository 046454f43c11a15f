"""Which cycle a page shows: the one asked for, else the one remembered, else the current one."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from okrflow.cycles.models import Cycle, CycleState
from okrflow.front.params import parse_id

SESSION_KEY = "okrflow_cycle"


def default_cycle() -> Cycle | None:
    """Return the active cycle containing today, else any active one, else the newest."""
    today = timezone.localdate()
    cycles = Cycle.objects.all()
    return (
        cycles.filter(state=CycleState.ACTIVE, start_date__lte=today, end_date__gte=today).first()
        or cycles.filter(state=CycleState.ACTIVE).first()
        or cycles.first()
    )


def chosen_cycle(request: HttpRequest) -> Cycle | None:
    """Return the cycle for this request and remember an explicit choice in the session."""
    cached = getattr(request, "_okrflow_cycle", False)
    if cached is not False:
        return cached  # type: ignore[return-value]
    cycle = None
    asked = parse_id(request.GET.get("cycle", ""))
    if asked is not None:
        cycle = Cycle.objects.filter(pk=asked).first()
        remembered = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if cycle is not None and hasattr(request, "session") and remembered != cycle.pk:
            # Written only when it changes: an unchanged session is not saved again.
            request.session[SESSION_KEY] = cycle.pk
    if cycle is None and hasattr(request, "session"):
        remembered = request.session.get(SESSION_KEY)
        if isinstance(remembered, int):
            cycle = Cycle.objects.filter(pk=remembered).first()
    if cycle is None:
        cycle = default_cycle()
    request._okrflow_cycle = cycle  # type: ignore[attr-defined]
    return cycle
