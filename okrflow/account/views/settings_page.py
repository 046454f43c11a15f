"""A person's settings page: one card per part (password, API tokens, calendar feed…)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from okrflow.account.panels import all_panels


@require_GET
@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """Show every settings panel with its own context."""
    panels = [(panel.template, panel.context(request)) for panel in all_panels()]
    return render(request, "account/settings.html", {"panels": panels})
