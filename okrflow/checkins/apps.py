from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CheckinsConfig(AppConfig):
    name = "okrflow.checkins"
    verbose_name = _("Check-ins")

    def ready(self) -> None:
        from okrflow.checkins.export import fill_checkins
        from okrflow.okrs.export_extras import add_filler

        add_filler(fill_checkins)
