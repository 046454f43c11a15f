"""Administration section: people, their accounts and their place in the organisation."""

from __future__ import annotations

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from okrflow.administration.sections import Section
from okrflow.administration.views import people

SECTION = Section(
    key="people",
    url_name="administration:people_list",
    label=_("People"),
    description=_(
        "Add and edit people, set managers and admins, deactivate leavers and hand their work over."
    ),
    order=20,
)

urlpatterns: list[URLPattern] = [
    path("people/", people.people_list, name="people_list"),
    path("people/new/", people.create, name="person_create"),
    path("people/<int:person_id>/", people.edit, name="person_edit"),
    path("people/<int:person_id>/deactivate/", people.deactivate, name="person_deactivate"),
    path("people/<int:person_id>/reactivate/", people.reactivate, name="person_reactivate"),
]
