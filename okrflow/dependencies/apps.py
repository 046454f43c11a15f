from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DependenciesConfig(AppConfig):
    name = "okrflow.dependencies"
    verbose_name = _("Dependencies")
