"""A signed-in person's own settings, at /account/."""

from __future__ import annotations

from django.urls import path

from okrflow.account.panels import ROUTE_MODULES, route_module
from okrflow.account.views import settings_page

app_name = "account"

urlpatterns = [path("", settings_page.settings_page, name="settings")]
for _name in ROUTE_MODULES:
    urlpatterns += route_module(_name).urlpatterns
