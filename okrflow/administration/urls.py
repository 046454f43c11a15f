"""The administration pages, at /administration/ (OKR admins only)."""

from __future__ import annotations

from django.urls import path

from okrflow.administration.sections import ROUTE_MODULES, route_module
from okrflow.administration.views import home

app_name = "administration"

urlpatterns = [path("", home.home, name="home")]
for _name in ROUTE_MODULES:
    urlpatterns += route_module(_name).urlpatterns
