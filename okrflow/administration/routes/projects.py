"""Administration section: projects, cross-unit work such as campaigns that can own OKRs."""

from __future__ import annotations

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from okrflow.administration.sections import Section
from okrflow.administration.views import projects

SECTION = Section(
    key="projects",
    url_name="administration:projects",
    label=_("Projects"),
    description=_("Campaigns and other cross-unit work: their leads, members and unit."),
    order=50,
)

urlpatterns: list[URLPattern] = [
    path("projects/", projects.project_list, name="projects"),
    path("projects/new/", projects.create, name="project_create"),
    path("projects/<int:project_id>/", projects.edit, name="project_edit"),
    path("projects/<int:project_id>/archive/", projects.archive, name="project_archive"),
    path("projects/<int:project_id>/unarchive/", projects.unarchive, name="project_unarchive"),
]
