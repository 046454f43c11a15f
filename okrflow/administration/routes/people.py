"""Administration section: people. No page yet; `SECTION` names the tab once there is one."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
