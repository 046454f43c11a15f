"""Administration section: import people from CSV or XLSX, and export everyone."""

from __future__ import annotations

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from okrflow.administration.sections import Section
from okrflow.administration.views import people_import

SECTION = Section(
    key="people_import",
    url_name="administration:people_import",
    label=_("Import people"),
    description=_("Add and update everyone from a CSV or Excel file; download the list."),
    order=30,
)

urlpatterns: list[URLPattern] = [
    path("people/import/", people_import.people_import, name="people_import"),
    path("people/export/", people_import.people_export, name="people_export"),
]
