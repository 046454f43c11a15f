"""The API's addresses: /api/v1/… (the OpenAPI document at /api/v1/openapi.json)."""

from __future__ import annotations

from django.urls import path

from okrflow.api.v1 import api

urlpatterns = [path("v1/", api.urls)]
