"""One key result's chart: actual values, the pace line, the forecast band, risks and history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from okrflow.comments.threads import threads_of
from okrflow.datasources.panel import source_panel
from okrflow.dependencies.panel import dependency_panel
from okrflow.insights.boards import risk_rows
from okrflow.insights.charts import build_chart
from okrflow.insights.collect import KeyResultInsight
from okrflow.insights.models import KeyResultGrade
from okrflow.insights.sources import CheckinReader
from okrflow.insights.views.common import load_page, require_member
from okrflow.okrs.models import KeyResult, Objective


@dataclass
class HistoryRow:
    """One week of a key result: the value and, from the check-in, confidence and obstacle."""

    day: date
    value: Decimal | None
    progress: float | None
    confidence: float | None = None
    obstacle: str = ""
    # The check-in is not the reader's to read: its confidence and obstacle stay private.
    private: bool = False
    obstacle_raised: bool = False


def history_rows(kri: KeyResultInsight, reader: CheckinReader) -> list[HistoryRow]:
    """Merge recorded values with check-in lines by day, newest first.

    A check-in's confidence and obstacle are shown only to those who may read the check-in;
    others see the value and that an obstacle was raised.
    """
    rows: dict[date, HistoryRow] = {}
    progress = dict(kri.progress_points)
    for day, value in kri.values:
        rows[day] = HistoryRow(day, value, progress.get(day))
    reader.prepare({line.person_id for line in kri.checkins})
    for line in kri.checkins:
        row = rows.setdefault(line.day, HistoryRow(line.day, line.value, None))
        if reader.may_read({line.person_id}):
            row.confidence = line.confidence
            row.obstacle = line.obstacle
            row.private = False
        else:
            row.confidence, row.obstacle, row.private = None, "", True
            row.obstacle_raised = bool(line.obstacle)
    return sorted(rows.values(), key=lambda row: row.day, reverse=True)


@require_GET
@login_required
def key_result(request: HttpRequest, kr_id: int) -> HttpResponse:
    """Chart one key result the user may see (404 otherwise)."""
    require_member(request)
    kr = get_object_or_404(KeyResult.objects.select_related("objective__cycle", "owner"), pk=kr_id)
    objective_scope = Objective.objects.visible_to(request.user).filter(pk=kr.objective_id)
    if not objective_scope.exists():
        raise Http404
    cycle = kr.objective.cycle
    data = load_page(cycle, Objective.objects.filter(pk=kr.objective_id))
    kri = next((k for k in data.insights.key_results if k.key_result.pk == kr.pk), None)
    if kri is None:
        raise Http404  # archived key results have no chart
    objective_insight = data.insights.objectives[0] if data.insights.objectives else None
    return render(
        request,
        "insights/key_result.html",
        {
            "cycle": cycle,
            "kr": kr,
            "kri": kri,
            "objective": kr.objective,
            "objective_insight": objective_insight,
            "chart": build_chart(kri, data.insights.on),
            "risks": risk_rows(
                [i for i in data.risks if i.risk.key_result_id == kr.pk], request.user
            ),
            "history": history_rows(kri, CheckinReader(request.user)),
            "grade": KeyResultGrade.objects.filter(key_result=kr).first(),
            "on": data.insights.on,
            "thread": threads_of(request.user, kr.objective, [kr])[kr.pk],
            "on_kr_page": True,
            "source_panel": source_panel(request.user, kr),
            "dependencies": dependency_panel(
                request.user, kr.objective, [kri.key_result], only=kri.key_result
            ),
            "next": request.path,
        },
    )
