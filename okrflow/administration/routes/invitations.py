"""Administration section: invitations (who was asked to set a password, and asking)."""

from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _

from okrflow.administration.sections import Section
from okrflow.administration.views import invitations as views

SECTION = Section(
    key="invitations",
    url_name="administration:invitations",
    label=_("Invitations"),
    description=_("Invite people to set their password, one by one or everyone at once."),
    order=40,
)

urlpatterns = [
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/invite-all/", views.invite_all, name="invitations_invite_all"),
    path("invitations/<int:person_id>/invite/", views.invite_one, name="invitations_invite_one"),
]
