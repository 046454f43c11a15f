"""Throttling of failed sign-ins (django-axes): who is counted, and what a locked-out person sees.

Used from settings (AUTHENTICATION_BACKENDS, AXES_LOCKOUT_CALLABLE, AXES_CLIENT_IP_CALLABLE) for
okrflow's sign-in page and the Django admin's alike.
"""

from __future__ import annotations

import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


class SignInThrottleBackend(AxesStandaloneBackend):
    """django-axes' check before the password check, for sign-ins that come with a request.

    authenticate() without a request (the test client's login, a shell) has no sign-in form
    and no address to throttle: it goes straight to the password check.
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request: HttpRequest) -> str | None:
    """The address a sign-in came from.

    Behind the TLS proxy (OKRFLOW_BEHIND_TLS_PROXY) every request comes from the proxy, which
    appends the real peer as the last X-Forwarded-For entry; anything before it is what the
    client claimed and cannot be trusted.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


def client_username(request: HttpRequest, credentials: dict[str, Any] | None = None) -> str | None:
    """The username a sign-in was tried with, as django-axes counts it.

    Cut to the longest username there can be: the sign-in form does not limit what is typed,
    and axes stores it in a 255-character column (PostgreSQL refused a longer one: a 500).
    Nobody has a longer username, so a cut one still counts against the same person.
    """
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(username, str):
        return username
    return username[: get_user_model()._meta.get_field("username").max_length]


def lockout_minutes() -> int:
    """The lockout's length in whole minutes (at least one) for the message."""
    return max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """The sign-in page again, with the lockout explained in the person's language (429)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    minutes = lockout_minutes()
    message = ngettext(
        "Too many failed sign-ins. For your safety, signing in as this user from here is "
        "paused for %(minutes)d minute. Please try again later.",
        "Too many failed sign-ins. For your safety, signing in as this user from here is "
        "paused for %(minutes)d minutes. Please try again later.",
        minutes,
    ) % {"minutes": minutes}
    return render(
        request,
        "front/sign_in.html",
        {"form": form, "lockout_message": message, "next": request.POST.get("next", "")},
        status=429,
    )
