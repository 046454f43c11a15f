"""The KPI list, adding a KPI, checking a value in, and naming the KPI a key result moves."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from okrflow.front.errors import error_text
from okrflow.front.params import parse_id
from okrflow.kpis.actions import (
    correct_kpi_value,
    create_kpi,
    link_key_result_to_kpi,
    may_check_in,
    may_manage,
    record_kpi_value,
    set_kpi_archived,
    update_kpi,
)
from okrflow.kpis.models import Kpi, KpiValue, RangeKind
from okrflow.kpis.selectors import kpi_history, kpi_rows, readable_kpis, visible_kpis
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
            "archived": readable_kpis(request.user).filter(is_archived=True),
            "owners": owner_choices(request),
            "range_kinds": RangeKind.choices,
        },
    )


def owner_from_post(request: HttpRequest) -> OrgUnit | Person | None:
    """Read the "unit:ID" / "person:ID" owner choice of a form."""
    kind, _sep, number = request.POST.get("owner", "").partition(":")
    pk = parse_id(number)
    if kind == "unit" and pk is not None:
        return OrgUnit.objects.filter(pk=pk).first()
    if kind == "person" and pk is not None:
        return Person.objects.select_related("unit").filter(pk=pk).first()
    return None


def readable_kpi(request: HttpRequest, kpi_id: int) -> Kpi:
    """A KPI the user may read (archived too); none for someone outside the organisation."""
    return get_object_or_404(
        readable_kpis(request.user).select_related("owner_unit", "owner_person"), pk=kpi_id
    )


@require_GET
@login_required
def kpi_detail(request: HttpRequest, kpi_id: int) -> HttpResponse:
    """A KPI's page: its range and state, its whole history, and (for who manages it) the
    forms to change it, archive it and correct a value."""
    if not access_for(request.user).is_member:
        raise Http404
    kpi = readable_kpi(request, kpi_id)
    [row] = kpi_rows(Kpi.objects.filter(pk=kpi.pk))
    owners = owner_choices(request)
    current = f"unit:{kpi.owner_unit_id}" if kpi.owner_unit_id else f"person:{kpi.owner_person_id}"
    if current not in {value for value, _label in owners}:
        owners.insert(0, (current, kpi.owner_name))
    history = kpi_history(kpi)
    by_id = {value.pk: value for value in history}
    return render(
        request,
        "kpis/detail.html",
        {
            "kpi": kpi,
            "row": row,
            "row_list": [row],
            "history": [(value, by_id.get(value.corrects_id or 0)) for value in history],
            "can_manage": may_manage(request.user, kpi),
            "can_check_in": may_check_in(request.user, kpi) and not kpi.is_archived,
            "owners": owners,
            "current_owner": current,
            "range_kinds": RangeKind.choices,
        },
    )


@require_POST
@login_required
def kpi_edit(request: HttpRequest, kpi_id: int) -> HttpResponse:
    """Change a KPI's name, unit, healthy range or owner."""
    kpi = readable_kpi(request, kpi_id)
    try:
        owner = owner_from_post(request)
        if request.POST.get("owner") and owner is None:
            raise ValidationError({"owner": _("Choose a unit or a person to own the KPI.")})
        update_kpi(
            request.user,
            kpi,
            name=request.POST.get("name", ""),
            unit=request.POST.get("unit", ""),
            range_kind=request.POST.get("range_kind", ""),
            minimum=request.POST.get("minimum"),
            maximum=request.POST.get("maximum"),
            owner=owner,
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("KPI saved."))
    return redirect("kpi_detail", kpi_id=kpi.pk)


@require_POST
@login_required
def kpi_archive(request: HttpRequest, kpi_id: int) -> HttpResponse:
    """Archive a KPI (archived=1) or bring it back (archived=0)."""
    kpi = readable_kpi(request, kpi_id)
    archived = request.POST.get("archived") != "0"
    set_kpi_archived(request.user, kpi, archived=archived)
    messages.success(request, _("KPI archived.") if archived else _("KPI restored."))
    return redirect("kpi_detail", kpi_id=kpi.pk)


@require_POST
@login_required
def kpi_value_correct(request: HttpRequest, value_id: int) -> HttpResponse:
    """Correct a mistaken KPI value (a new value for the same day; the old one stays)."""
    if not access_for(request.user).is_member:
        raise Http404
    entry = get_object_or_404(
        KpiValue.objects.filter(kpi__in=readable_kpis(request.user)), pk=value_id
    )
    try:
        correct_kpi_value(
            request.user, entry, value=request.POST.get("value"), note=request.POST.get("note", "")
        )
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Value corrected."))
    return redirect("kpi_detail", kpi_id=entry.kpi_id)


@require_POST
@login_required
def kpi_create(request: HttpRequest) -> HttpResponse:
    """Add a KPI for a unit or person the user may manage."""
    owner = owner_from_post(request)
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
