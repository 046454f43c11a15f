"""How the administration forms answer: redirect after a write, re-render the form on an error."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_htmx.http import HttpResponseClientRedirect

from okrflow.front.errors import apply_errors


def saved(request: HttpRequest, url: str, message: str) -> HttpResponse:
    """Say what was saved and go to `url` (POST/redirect/GET; htmx is told to load the page)."""
    messages.success(request, message)
    return go_to(request, url)


def not_saved(request: HttpRequest, url: str, message: str) -> HttpResponse:
    """Say why nothing changed and go back to `url`."""
    messages.error(request, message)
    return go_to(request, url)


def go_to(request: HttpRequest, url: str) -> HttpResponse:
    if getattr(request, "htmx", False):
        return HttpResponseClientRedirect(url)
    return redirect(url)


def refused(form: Any, error: ValidationError) -> None:
    """Attach an action's refusal to the form that asked for the change."""
    apply_errors(form, error)


def form_page(
    request: HttpRequest, page: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    """Show the page, or only the form partial when htmx sent the form."""
    return render(request, partial if getattr(request, "htmx", False) else page, context)
