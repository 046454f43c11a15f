from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DataSourcesConfig(AppConfig):
    name = "okrflow.datasources"
    verbose_name = _("Data sources")
