"""Administration section: units, the org tree (company → departments → teams)."""

from __future__ import annotations

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from okrflow.administration.sections import Section
from okrflow.administration.views import units

SECTION = Section(
    key="units",
    url_name="administration:units",
    label=_("Units"),
    description=_("The org tree: add, rename and move units, choose their leads, archive them."),
    order=10,
)

urlpatterns: list[URLPattern] = [
    path("units/", units.tree, name="units"),
    path("units/new/", units.create, name="unit_create"),
    path("units/<int:unit_id>/", units.edit, name="unit_edit"),
    path("units/<int:unit_id>/rename/", units.rename, name="unit_rename"),
    path("units/<int:unit_id>/move/", units.move, name="unit_move"),
    path("units/<int:unit_id>/lead/", units.lead, name="unit_lead"),
    path("units/<int:unit_id>/archive/", units.archive, name="unit_archive"),
    path("units/<int:unit_id>/unarchive/", units.unarchive, name="unit_unarchive"),
]
