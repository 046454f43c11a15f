"""Settings page part: tokens. No panel yet; `PANEL` names it once there is one."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
