"""Panels that put KPIs beside OKRs: the check-in screen, My OKRs, unit and key result pages."""

from __future__ import annotations

from typing import Any

from django import template

from okrflow.kpis.actions import may_check_in
from okrflow.kpis.models import KeyResultKpi
from okrflow.kpis.selectors import kpi_rows, kpis_of, visible_kpis
from okrflow.org.access import access_for

register = template.Library()


@register.inclusion_tag("kpis/_checkin.html", takes_context=True)
def kpi_checkin_panel(context: dict[str, Any]) -> dict[str, Any]:
    """The KPIs this person checks in weekly: their own and their unit's."""
    request = context["request"]
    person = access_for(request.user).person
    rows = []
    if person is not None:
        rows = kpis_of(
            request.user, unit_ids=[person.unit_id] if person.unit_id else [], person_id=person.pk
        )
        rows = [row for row in rows if may_check_in(request.user, row.kpi)]
    return {"rows": rows, "next": request.get_full_path(), "csrf_token": context.get("csrf_token")}


@register.inclusion_tag("kpis/_panel.html", takes_context=True)
def kpi_panel(context: dict[str, Any], unit: Any = None, person: Any = None) -> dict[str, Any]:
    """The KPIs of a unit, or of a person and their unit, listed beside their OKRs."""
    request = context["request"]
    unit_ids = [unit.pk] if unit is not None else []
    if person is not None and person.unit_id:
        unit_ids.append(person.unit_id)
    rows = kpis_of(request.user, unit_ids=unit_ids, person_id=person.pk if person else None)
    return {"rows": rows}


@register.inclusion_tag("kpis/_key_result.html", takes_context=True)
def key_result_kpi(context: dict[str, Any], kr: Any) -> dict[str, Any]:
    """The KPI a key result moves, shown beside it, and the choice of KPI for who may update it."""
    request = context["request"]
    can_update = access_for(request.user).can_update_key_result(kr)
    link = KeyResultKpi.objects.filter(key_result=kr).select_related("kpi").first()
    rows = kpi_rows(visible_kpis(request.user).filter(pk=link.kpi_id)) if link else []
    choices = list(visible_kpis(request.user).values_list("pk", "name")) if can_update else []
    return {
        "kr": kr,
        "row": rows[0] if rows else None,
        "rows": rows,
        "choices": choices,
        "can_update": can_update,
        "next": request.get_full_path(),
        "csrf_token": context.get("csrf_token"),
    }
