"""A key result's parts and slot strip, shown on its objective's page (#16), and part corrections."""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from okrflow.cycles.models import CycleState
from okrflow.front.errors import error_text
from okrflow.front.params import parse_id
from okrflow.okrs.actions.shapes import correct_part_value
from okrflow.okrs.models import KeyResult, KeyResultPartValue, Objective
from okrflow.okrs.shapes import part_rows, parts_by_key_result, slot_strip
from okrflow.org.access import access_for


def visible_key_result(request: HttpRequest, kr_id: int) -> KeyResult:
    kr = get_object_or_404(KeyResult.objects.select_related("objective__cycle"), pk=kr_id)
    visible = Objective.objects.visible_to(request.user).filter(Q(pk=kr.objective_id))
    if not visible.exists():
        raise Http404("not visible")
    return kr


def part_history(kr: KeyResult) -> dict[int, list[KeyResultPartValue]]:
    """Return each part's values, newest first, corrections marked (one query)."""
    history: dict[int, list[KeyResultPartValue]] = defaultdict(list)
    rows = (
        KeyResultPartValue.objects.filter(part__key_result=kr)
        .select_related("recorded_by")
        .order_by("-measured_on", "-id")
    )
    corrected = set()
    for row in rows:
        history[row.part_id].append(row)
        if row.corrects_id:
            corrected.add(row.corrects_id)
    for values in history.values():
        for row in values:
            row.is_corrected = row.pk in corrected  # type: ignore[attr-defined]
    return history


@require_GET
@login_required
def key_result_shapes(request: HttpRequest, kr_id: int) -> HttpResponse:
    """Return a compound key result's parts and a recurring one's slots as an HTML fragment."""
    kr = visible_key_result(request, kr_id)
    parts = parts_by_key_result([kr.pk])[kr.pk] if kr.combine else []
    rows = part_rows(kr, parts, timezone.localdate())
    history = part_history(kr) if parts else {}
    for row in rows:
        row.history = history.get(row.part.pk, [])  # type: ignore[attr-defined]
    context = {
        "kr": kr,
        "parts": rows,
        "slots": slot_strip(kr),
        "can_correct": bool(parts)
        and kr.objective.cycle.state != CycleState.CLOSED
        and access_for(request.user).can_update_key_result(kr),
    }
    return render(request, "front/_kr_shapes.html", context)


@require_POST
@login_required
def part_value_correct(request: HttpRequest, kr_id: int) -> HttpResponse:
    """Correct a mistaken value of a part: a correction row, the old one kept (append-only)."""
    kr = visible_key_result(request, kr_id)
    entry_id = parse_id(request.POST.get("entry", ""))
    entry = (
        KeyResultPartValue.objects.filter(part__key_result=kr, pk=entry_id).first()
        if entry_id is not None
        else None
    )
    if entry is None:
        messages.error(request, _("Choose a recorded value of one of this key result's parts."))
        return redirect(f"/objectives/{kr.objective_id}/#kr-{kr.pk}")
    try:
        correct_part_value(
            request.user,
            entry,
            value=request.POST.get("value", ""),
            note=request.POST.get("note", ""),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Value corrected; the mistaken one is kept in the history."))
    return redirect(f"/objectives/{kr.objective_id}/#kr-{kr.pk}")
