"""Download the quarterly review as PDF, XLSX or CSV, of the objectives the user may see."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from okrflow.cycles.models import Cycle
from okrflow.front.params import parse_id
from okrflow.insights.collect import visible_objectives
from okrflow.insights.reports import CONTENT_TYPES, FORMATS, render_report, report_filename
from okrflow.insights.views.common import objectives_of_unit, require_member
from okrflow.org.models import OrgUnit

# A web request builds the review of at most this many objectives; a whole large organisation's
# review is a long job for `okrflow report` (with a progress bar), or one department at a time.
WEB_REPORT_LIMIT = 2000


@require_GET
@login_required
def report(request: HttpRequest, cycle_id: int, fmt: str) -> HttpResponse:
    """Send the review document; ?lang=vi|en picks its language, ?unit=ID narrows it to a unit."""
    require_member(request)
    if fmt not in FORMATS:
        raise Http404
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    languages = {code for code, _name in settings.LANGUAGES}
    language = request.GET.get("lang") or (get_language() or "vi")[:2]
    if language not in languages:
        language = "vi"
    queryset = visible_objectives(request.user, cycle)
    unit_id = parse_id(
        request.GET.get("unit", "")
    )  # an unreadable one is ignored: the whole review
    unit = get_object_or_404(OrgUnit, pk=unit_id) if unit_id is not None else None
    if unit is not None:
        queryset = queryset.filter(pk__in=objectives_of_unit(unit))
    if queryset.count() > WEB_REPORT_LIMIT:
        departments = OrgUnit.objects.filter(depth=1).order_by("path")
        return render(
            request,
            "insights/report_too_large.html",
            {
                "cycle": cycle,
                "fmt": fmt,
                "language": language,
                "unit": unit,
                "departments": departments,
                "limit": WEB_REPORT_LIMIT,
            },
        )
    body = render_report(cycle, queryset, fmt, language)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    name = report_filename(cycle, fmt, language, unit.name if unit else "")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
