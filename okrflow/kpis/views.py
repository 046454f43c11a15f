"""The KPI list, adding a KPI, checking a value in, and naming the KPI a key result moves."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from okrflow.front.errors import error_text
from okrflow.front.params import parse_id
from okrflow.kpis.actions import create_kpi, link_key_result_to_kpi, record_kpi_value
from okrflow.kpis.models import RangeKind
from okrflow.kpis.selectors import kpi_rows, visible_kpis
from okrflow.okrs.models import KeyResult, Objective
from okrflow.org.access import access_for
from okrflow.org.models import OrgUnit, Person


def back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    # Only a path on this site: anything else is not a page to go back to (and redirect()
    # would read a bare word as a view name).
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return HttpResponseRedirect(target)
    return redirect(default)


def owner_choices(request: HttpRequest) -> list[tuple[str, str]]:
    """The owners this user may add KPIs for: units they lead (all for admins), and themselves."""
    access = access_for(request.user)
    units = (
        OrgUnit.objects.all()
        if access.is_admin
        else OrgUnit.objects.filter(pk__in=access.led_unit_ids)
    )
    choices = [(f"unit:{unit.pk}", unit.name) for unit in units.order_by("path")]
    if access.person is not None:
        choices.append((f"person:{access.person.pk}", access.person.full_name))
    return choices


@require_GET
@login_required
def kpi_list(request: HttpRequest) -> HttpResponse:
    """List every KPI with its range, current value and warning; the form to add one."""
    if not access_for(request.user).is_member:
        raise Http404
    return render(
        request,
        "kpis/list.html",
        {
            "rows": kpi_rows(visible_kpis(request.user)),
            "owners": owner_choices(request),
            "range_kinds": RangeKind.choices,
        },
    )


@require_POST
@login_required
def kpi_create(request: HttpRequest) -> HttpResponse:
    """Add a KPI for a unit or person the user may manage."""
    kind, _sep, number = request.POST.get("owner", "").partition(":")
    pk = parse_id(number)
    owner: OrgUnit | Person | None = None
    if kind == "unit" and pk is not None:
        owner = OrgUnit.objects.filter(pk=pk).first()
    elif kind == "person" and pk is not None:
        owner = Person.objects.select_related("unit").filter(pk=pk).first()
    try:
        if owner is None:
            raise ValidationError({"owner": _("Choose a unit or a person to own the KPI.")})
        create_kpi(
            request.user,
            name=request.POST.get("name", ""),
            owner=owner,
            range_kind=request.POST.get("range_kind", ""),
            minimum=request.POST.get("minimum"),
            maximum=request.POST.get("maximum"),
            unit=request.POST.get("unit", ""),
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("KPI added."))
    return redirect("kpi_list")


@require_POST
@login_required
def kpi_value(request: HttpRequest, kpi_id: int) -> HttpResponse:
    """Check in a KPI's value for today (from the weekly check-in screen or the KPI list)."""
    kpi = visible_kpis(request.user).filter(pk=kpi_id).first()
    if kpi is None:
        raise Http404(_("No KPI found."))
    try:
        record_kpi_value(
            request.user, kpi, value=request.POST.get("value"), measured_on=timezone.localdate()
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("KPI value saved."))
    return back(request, "kpi_list")


@require_POST
@login_required
def kpi_link(request: HttpRequest, kr_id: int) -> HttpResponse:
    """Name the KPI a key result moves, or none."""
    kr = KeyResult.objects.filter(
        pk=kr_id, objective__in=Objective.objects.visible_to(request.user)
    ).first()
    if kr is None:
        raise Http404(_("No key result found."))
    raw = request.POST.get("kpi", "")
    kpi = visible_kpis(request.user).filter(pk=parse_id(raw) or 0).first() if raw else None
    try:
        if raw and kpi is None:
            raise ValidationError({"kpi": _("Choose a KPI from the list.")})
        link_key_result_to_kpi(request.user, kr, kpi)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Saved."))
    return back(request, "kpi_list")
