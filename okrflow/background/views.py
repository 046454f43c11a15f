"""The Reports page: ask for a whole-company review, download the ones that are ready."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from okrflow.background.models import ReportFormat, ReportRequest, ReportState
from okrflow.background.reports import reports_dir, request_report
from okrflow.cycles.models import Cycle
from okrflow.front.params import id_or_404, parse_id
from okrflow.org.access import access_for

SHOWN = 50


def require_member(request: HttpRequest) -> None:
    if not access_for(request.user).is_member:
        raise Http404


@require_http_methods(["GET", "POST"])
@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """List the person's reports; a POST asks for a new one."""
    require_member(request)
    cycles = Cycle.objects.order_by("-start_date", "-id")
    errors: list[str] = []
    if request.method == "POST":
        cycle_id = parse_id(request.POST.get("cycle", ""))
        cycle = cycles.filter(pk=cycle_id).first() if cycle_id is not None else None
        if cycle is None:
            errors.append(_("Choose a cycle from the list."))
        else:
            try:
                request_report(
                    request.user,
                    cycle,
                    str(request.POST.get("fmt", "")),
                    str(request.POST.get("language", "")),
                )
            except ValidationError as error:
                errors += error.messages
            else:
                messages.success(
                    request, _("The report is being built: it appears below when ready.")
                )
                return redirect("reports:list")
    reports = ReportRequest.objects.filter(requested_by=request.user).select_related("cycle")[
        :SHOWN
    ]
    return render(
        request,
        "background/reports.html",
        {
            "reports": reports,
            "cycles": cycles,
            "formats": ReportFormat.choices,
            "language": (get_language() or "vi")[:2],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@require_GET
@login_required
def report_download(request: HttpRequest, report_id: int) -> FileResponse:
    """Send a ready report to the person who asked for it (404 for anyone else)."""
    report = get_object_or_404(
        ReportRequest,
        pk=id_or_404(report_id),
        requested_by=request.user,
        state=ReportState.READY,
    )
    path = reports_dir() / report.stored_name()
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=report.file_name)
