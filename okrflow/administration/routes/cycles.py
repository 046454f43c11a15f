"""Administration section: cycles, nested (year, quarter, month), from draft to closed."""

from __future__ import annotations

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from okrflow.administration.sections import Section
from okrflow.administration.views import cycles

SECTION = Section(
    key="cycles",
    url_name="administration:cycles",
    label=_("Cycles"),
    description=_("Years, quarters and months: create them, nest them, open and close them."),
    order=60,
)

urlpatterns: list[URLPattern] = [
    path("cycles/", cycles.cycle_list, name="cycles"),
    path("cycles/new/", cycles.cycle_create, name="cycle_create"),
    path("cycles/<int:cycle_id>/edit/", cycles.cycle_edit, name="cycle_edit"),
    path("cycles/<int:cycle_id>/activate/", cycles.cycle_activate, name="cycle_activate"),
    path("cycles/<int:cycle_id>/close/", cycles.cycle_close, name="cycle_close"),
]
