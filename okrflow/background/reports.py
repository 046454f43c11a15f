"""Ask for a whole-company review in the background, and build it in the worker."""

from __future__ import annotations

import datetime
import logging
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change, snapshot
from okrflow.background.enqueue import enqueue_on_commit
from okrflow.background.models import ReportFormat, ReportRequest, ReportState
from okrflow.cycles.models import Cycle
from okrflow.org.access import access_for

logger = logging.getLogger(__name__)
# A build that started this long ago without finishing belongs to a worker that died.
STALE_BUILD = datetime.timedelta(hours=1)


def reports_dir() -> Path:
    folder = Path(settings.REPORTS_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@transaction.atomic
def request_report(actor: Any, cycle: Cycle, fmt: str, language: str) -> ReportRequest:
    """Ask the worker for the review of everything the actor may see in a cycle."""
    if actor is None or not access_for(actor).is_member:
        raise deny(_("Only people of the organisation can ask for reports."))
    errors: dict[str, list[str]] = {}
    if fmt not in ReportFormat.values:
        errors["fmt"] = [_("Choose PDF, XLSX or CSV.")]
    if language not in ("vi", "en"):
        errors["language"] = [_("Choose Vietnamese or English.")]
    if errors:
        raise ValidationError(errors)
    report = ReportRequest.objects.create(
        requested_by=actor, cycle=cycle, fmt=fmt, language=language
    )
    record_change(
        actor=actor,
        action="request_report",
        instance=report,
        before=None,
        after=snapshot(report, ["cycle", "fmt", "language"]),
        summary=cycle.name,
    )
    from okrflow.background.tasks import build_report

    enqueue_on_commit(build_report, report.pk)
    return report


def claim_report(report_id: int) -> bool:
    """Take a waiting report (or one a dead worker left half-built) for this worker."""
    now = timezone.now()
    return bool(
        ReportRequest.objects.filter(pk=report_id)
        .filter(
            Q(state=ReportState.QUEUED)
            | Q(state=ReportState.BUILDING, started_at__lt=now - STALE_BUILD)
        )
        .update(state=ReportState.BUILDING, started_at=now)
    )


def build_requested_report(report_id: int) -> None:
    """Build the file once; a second call for the same report does nothing."""
    from okrflow.insights.collect import visible_objectives
    from okrflow.insights.reports import render_report, report_filename

    if not claim_report(report_id):
        return
    report = ReportRequest.objects.select_related("cycle", "requested_by").get(pk=report_id)
    try:
        body = render_report(
            report.cycle,
            visible_objectives(report.requested_by, report.cycle),
            report.fmt,
            report.language,
        )
        target = reports_dir() / report.stored_name()
        partial = target.with_suffix(target.suffix + ".part")
        partial.write_bytes(body)
        os.replace(partial, target)  # a reader never sees half a file
    except Exception as error:
        logger.exception("Report %s failed", report_id)
        ReportRequest.objects.filter(pk=report_id).update(
            state=ReportState.FAILED, error=str(error)[:300], finished_at=timezone.now()
        )
        return
    with transaction.atomic():
        ReportRequest.objects.filter(pk=report_id).update(
            state=ReportState.READY,
            file_name=report_filename(report.cycle, report.fmt, report.language),
            size=len(body),
            finished_at=timezone.now(),
        )
        from okrflow.notifications.hooks import report_ready

        report_ready(report)
