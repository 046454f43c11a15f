"""Administration section: the organisation's mission, vision, core values and themes (#16)."""

from __future__ import annotations

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from okrflow.administration.sections import Section
from okrflow.administration.views import strategy

SECTION = Section(
    key="strategy",
    url_name="administration:strategy",
    label=_("Strategy"),
    description=_("Mission, vision, core values and strategic themes that objectives serve."),
    order=55,
)

urlpatterns: list[URLPattern] = [
    path("strategy/", strategy.strategy_page, name="strategy"),
    path("strategy/statement/", strategy.statement, name="strategy_statement"),
    path("strategy/new/<str:kind>/", strategy.create, name="strategy_item_create"),
    path("strategy/<int:item_id>/", strategy.edit, name="strategy_item_edit"),
    path("strategy/<int:item_id>/archive/", strategy.archive, name="strategy_item_archive"),
    path("strategy/<int:item_id>/unarchive/", strategy.unarchive, name="strategy_item_unarchive"),
    path("strategy/<int:item_id>/up/", strategy.move_up, name="strategy_item_up"),
    path("strategy/<int:item_id>/down/", strategy.move_down, name="strategy_item_down"),
]
