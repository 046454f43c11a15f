from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OkrsConfig(AppConfig):
    name = "okrflow.okrs"
    verbose_name = _("OKRs")

    def ready(self) -> None:
        # The people actions (org) hand a leaver's open objectives over through this hook.
        from okrflow.okrs.handover import OKR_WORK
        from okrflow.org.open_work import set_open_work

        set_open_work(OKR_WORK)
