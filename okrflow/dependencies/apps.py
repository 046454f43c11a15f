from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DependenciesConfig(AppConfig):
    name = "okrflow.dependencies"
    verbose_name = _("Dependencies")

    def ready(self) -> None:
        from okrflow.dependencies.export import fill_depends_on
        from okrflow.okrs.export_extras import add_filler

        add_filler(lambda objectives, objective_ids: fill_depends_on(objectives))
