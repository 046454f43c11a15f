from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KpisConfig(AppConfig):
    name = "okrflow.kpis"
    verbose_name = _("KPIs")
