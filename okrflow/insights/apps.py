from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InsightsConfig(AppConfig):
    name = "okrflow.insights"
    verbose_name = _("Insights")

    def ready(self) -> None:
        from okrflow.insights.live_updates import listen

        listen()
        # The overview (front) counts a whole cycle's statuses from the stored insights.
        from okrflow.front import status_counts
        from okrflow.insights.overview_counts import cycle_status_counts

        status_counts.set_counter(cycle_status_counts)
        # `okrflow okrs --json` gives each part of a compound key result its forecast (#16).
        from okrflow.insights.collect import export_part_forecasts
        from okrflow.okrs.shapes import set_part_forecaster

        set_part_forecaster(export_part_forecasts)
