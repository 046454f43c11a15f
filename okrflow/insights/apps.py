from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "okrflow.insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from okrflow.audit.models import AuditEntry
        from okrflow.audit.signals import entries_recorded
        from okrflow.insights.live_updates import on_audit_entries, on_audit_entry

        post_save.connect(on_audit_entry, sender=AuditEntry, dispatch_uid="insights_live_updates")
        entries_recorded.connect(
            on_audit_entries, sender=AuditEntry, dispatch_uid="insights_live_updates"
        )
        # The overview (front) counts a whole cycle's statuses from the stored insights.
        from okrflow.front import status_counts
        from okrflow.insights.overview_counts import cycle_status_counts

        status_counts.set_counter(cycle_status_counts)
        # `okrflow okrs --json` gives each part of a compound key result its forecast (#16).
        from okrflow.insights.collect import export_part_forecasts
        from okrflow.okrs.shapes import set_part_forecaster

        set_part_forecaster(export_part_forecasts)
