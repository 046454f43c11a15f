"""Demo support for insights: clear grades and reviews when the demo is rebuilt."""

from __future__ import annotations

from okrflow.insights.models import (
    CarryOver,
    CycleClosing,
    KeyResultGrade,
    ObjectiveGrade,
    Reflection,
)


def erase_insights() -> None:
    """Delete every grade, reflection and carry-over, dependants first (`okrflow demo --reset`)."""
    CarryOver.objects.all().delete()
    Reflection.objects.all().delete()
    KeyResultGrade.objects.all().delete()
    ObjectiveGrade.objects.all().delete()
    CycleClosing.objects.all().delete()
