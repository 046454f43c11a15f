"""A key result's parts and slot strip, shown on its objective's page (#16)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from okrflow.okrs.models import KeyResult, Objective
from okrflow.okrs.shapes import part_rows, parts_by_key_result, slot_strip


@require_GET
@login_required
def key_result_shapes(request: HttpRequest, kr_id: int) -> HttpResponse:
    """Return a compound key result's parts and a recurring one's slots as an HTML fragment."""
    kr = get_object_or_404(KeyResult.objects.select_related("objective__cycle"), pk=kr_id)
    visible = Objective.objects.visible_to(request.user).filter(Q(pk=kr.objective_id))
    if not visible.exists():
        raise Http404("not visible")
    parts = parts_by_key_result([kr.pk])[kr.pk] if kr.combine else []
    context = {
        "kr": kr,
        "parts": part_rows(kr, parts, timezone.localdate()),
        "slots": slot_strip(kr),
    }
    return render(request, "front/_kr_shapes.html", context)
