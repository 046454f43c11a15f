"""Compliance report, reminder preferences and the KR chart fragment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from okrflow.checkins.actions import pause_reminders
from okrflow.checkins.chart import chart_for_key_result
from okrflow.checkins.compliance import compliance_report, compliance_totals, people_in
from okrflow.checkins.models import CheckinPreference
from okrflow.checkins.views.common import cycle_from, error_dict, read_date, request_access
from okrflow.cycles.models import Cycle
from okrflow.okrs.models import KeyResult, Objective
from okrflow.org.models import OrgUnit, Person

PEOPLE_PER_PAGE = 100  # the totals count everyone; the table shows a page of people at a time


@require_GET
@login_required
def compliance(request: HttpRequest) -> HttpResponse:
    """Show who checked in on time, late or not at all, week by week, with streaks."""
    access = request_access(request)
    cycle = cycle_from(request)
    if access.is_admin:
        units = list(OrgUnit.objects.order_by("path"))
    else:
        units = list(OrgUnit.objects.filter(pk__in=list(access.led_unit_ids)).order_by("path"))
    unit = None
    asked = request.GET.get("unit", "")
    if asked:
        unit = next((u for u in units if str(u.pk) == asked), None)
        if unit is None:
            raise Http404("not your unit")
    elif units and not access.is_admin:
        unit = units[0]
    if unit is not None or access.is_admin:
        people = people_in(unit)
    else:
        people = Person.objects.select_related("unit", "user").filter(
            pk=access.person.pk if access.person else None
        )
    now = timezone.now()
    totals = compliance_totals(cycle, people, now)
    page = Paginator(totals.expected, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    report = compliance_report(cycle, people.filter(pk__in=list(page.object_list)), now, unit)
    return render(
        request,
        "checkins/compliance.html",
        {
            "cycle": cycle,
            "cycles": Cycle.objects.all(),
            "units": units,
            "unit": unit,
            "report": report,
            "totals": totals,
            "page": page,
            "only_me": not units,
        },
    )


@require_http_methods(["GET", "POST"])
@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    """Pause reminders while on leave, or resume them."""
    person = request_access(request).person
    if person is None:
        raise Http404("no person")
    errors: dict[str, list[str]] = {}
    status = 200
    typed = ""
    if request.method == "POST":
        typed = request.POST.get("until", "")
        until = None if request.POST.get("action") == "resume" else read_date(typed)
        try:
            if until is None and request.POST.get("action") != "resume":
                raise ValidationError({"until": _("Pick the last day of your leave.")})
            pause_reminders(request.user, person, until=until)
        except (ValidationError, PermissionDenied) as error:
            errors = error_dict(error)
            status = 403 if isinstance(error, PermissionDenied) else 200
        else:
            messages.success(
                request,
                _("Reminders resumed.")
                if until is None
                else _("Reminders paused until %(date)s.")
                % {"date": date_format(until, "SHORT_DATE_FORMAT")},
            )
            return redirect("checkins:preferences")
    preference = CheckinPreference.objects.filter(person=person).first()
    paused = preference.reminders_paused_until if preference else None
    return render(
        request,
        "checkins/preferences.html",
        {
            "person": person,
            "paused_until": paused if paused and paused >= timezone.localdate() else None,
            "errors": errors,
            "typed": typed,
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_GET
@login_required
def kr_chart(request: HttpRequest, kr_id: int) -> HttpResponse:
    """Return one key result's chart as an HTML fragment with inline SVG (for htmx or links)."""
    kr = get_object_or_404(KeyResult.objects.select_related("objective__cycle"), pk=kr_id)
    visible = Objective.objects.visible_to(request.user).filter(Q(pk=kr.objective_id))
    if not visible.exists():
        raise Http404("not visible")
    chart = chart_for_key_result(kr, timezone.localdate())
    return render(request, "checkins/_kr_chart.html", {"chart": chart})
