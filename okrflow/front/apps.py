from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FrontConfig(AppConfig):
    name = "okrflow.front"
    verbose_name = _("Web app")

    def ready(self) -> None:
        from okrflow import stored_text
        from okrflow.front import folding  # noqa: F401 - registers the SQLite fold function

        stored_text.connect()
