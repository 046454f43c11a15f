"""Download the quarterly review as PDF, XLSX or CSV, of the objectives the user may see."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from okrflow.cycles.models import Cycle
from okrflow.insights.collect import visible_objectives
from okrflow.insights.reports import CONTENT_TYPES, FORMATS, render_report, report_filename
from okrflow.insights.views.common import require_member


@require_GET
@login_required
def report(request: HttpRequest, cycle_id: int, fmt: str) -> HttpResponse:
    """Send the review document; ?lang=vi|en picks its language (default: the page's)."""
    require_member(request)
    if fmt not in FORMATS:
        raise Http404
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    languages = {code for code, _name in settings.LANGUAGES}
    language = request.GET.get("lang") or (get_language() or "vi")[:2]
    if language not in languages:
        language = "vi"
    body = render_report(cycle, visible_objectives(request.user, cycle), fmt, language)
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = (
        f'attachment; filename="{report_filename(cycle, fmt, language)}"'
    )
    return response
