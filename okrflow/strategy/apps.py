from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class StrategyConfig(AppConfig):
    name = "okrflow.strategy"
    verbose_name = gettext_lazy("Strategy")

    def ready(self) -> None:
        from okrflow.okrs.export_extras import add_filler
        from okrflow.okrs.objective_choices import Choice, add_choice
        from okrflow.strategy import display

        add_filler(display.fill_serves)
        add_choice(
            Choice(
                key="serves",
                label=lambda: _("Serves"),
                help_text=lambda: _("The core value or strategic theme this objective serves."),
                options=display.serves_options,
                initial=display.serves_initial,
                save=display.save_serves,
                shown=display.serves_line,
            )
        )
