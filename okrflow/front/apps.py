from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontConfig(AppConfig):
    name = "okrflow.front"
    verbose_name = _("Web app")

    def ready(self) -> None:
        from okrflow import stored_text
        from okrflow.front import checks, folding  # noqa: F401 - register the check and SQLite fold

        stored_text.connect()
