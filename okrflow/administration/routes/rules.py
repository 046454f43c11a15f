"""Administration section: the organisation's OKR rules."""

from __future__ import annotations

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy as _

from okrflow.administration.sections import Section
from okrflow.administration.views import rules

SECTION = Section(
    key="rules",
    url_name="administration:rules",
    label=_("Rules"),
    description=_(
        "Focus limits, progress roll-up, status thresholds and check-in defaults for new cycles."
    ),
    order=70,
)

urlpatterns: list[URLPattern] = [path("rules/", rules.rules, name="rules")]
