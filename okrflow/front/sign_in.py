"""Throttling of failed sign-ins (django-axes): who is counted, and what a locked-out person sees.

Used from settings (AUTHENTICATION_BACKENDS, AXES_HANDLER, AXES_LOCKOUT_CALLABLE,
AXES_CLIENT_IP_CALLABLE, AXES_USERNAME_CALLABLE) for okrflow's sign-in page and the Django
admin's alike.
"""

from __future__ import annotations

import math
from typing import Any

from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from okrflow.signin.backends import find_user_by_login

# The counters, in the order of settings.AXES_LOCKOUT_PARAMETERS.
PAIR, ACCOUNT, ADDRESS = "pair", "account", "address"
COUNTERS = (PAIR, ACCOUNT, ADDRESS)


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


def failure_limits() -> dict[str, int]:
    """The number of failures each counter allows before it pauses signing in."""
    return {
        PAIR: settings.AXES_FAILURE_LIMIT,
        ACCOUNT: settings.OKRFLOW_SIGN_IN_ACCOUNT_FAILURE_LIMIT,
        ADDRESS: settings.OKRFLOW_SIGN_IN_ADDRESS_FAILURE_LIMIT,
    }


class SignInThrottleHandler(AxesDatabaseHandler):
    """django-axes' database handler with one limit per counter instead of one for all.

    axes compares one number with AXES_FAILURE_LIMIT: this handler answers that limit as soon
    as any counter reaches its own, and notes which one on the request for the message.
    """

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        totals = [
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        counts = dict(zip(COUNTERS, totals, strict=True))
        if not get_client_username(request, credentials):
            # Without a username (a failed single sign-on) the "username" rows of every such
            # attempt anywhere would add up: only the address counts then.
            counts[ACCOUNT] = 0
        limits = failure_limits()
        reached = [counter for counter in COUNTERS if counts[counter] >= limits[counter]]
        request.sign_in_paused_by = reached[0] if reached else None  # type: ignore[attr-defined]
        return settings.AXES_FAILURE_LIMIT if reached else counts[PAIR]

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """After a successful sign-in, forget only that username's failures from that address.

        Failures from other addresses still count against the account, and other usernames'
        failures still count against the address (signing in to one's own account must not
        wipe out the traces of someone trying many accounts).
        """
        pair_attempts = self.filter_user_attempts(request, credentials)[0]
        count, _ = pair_attempts.delete()
        return count


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

    A person may sign in with their email: it counts against their username, so that typing
    one or the other does not double the tries. Cut to the longest username there can be: the
    sign-in form does not limit what is typed, and axes stores it in a 255-character column
    (PostgreSQL refused a longer one: a 500). Nobody has a longer username, so a cut one still
    counts against the same person.
    """
    if credentials:
        username = credentials.get(settings.AXES_USERNAME_FORM_FIELD)
    else:
        username = getattr(request, "data", request.POST).get(settings.AXES_USERNAME_FORM_FIELD)
    if not isinstance(username, str):
        return username
    username = username[: get_user_model()._meta.get_field("username").max_length]
    known: dict[str, str] = request.__dict__.setdefault("sign_in_usernames", {})
    if username not in known:
        user = find_user_by_login(username) if "@" in username else None
        known[username] = user.get_username() if user is not None else username
    return known[username]


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
    message = lockout_message(getattr(request, "sign_in_paused_by", None) or PAIR)
    from okrflow.signin.views.sign_in import sign_in_page_context

    context = sign_in_page_context(request) | {
        "form": form,
        "lockout_message": message,
        "next": request.POST.get("next", ""),
    }
    return render(request, "front/sign_in.html", context, status=429)


def lockout_message(counter: str) -> str:
    """Say, in the person's language, what is paused and for how long."""
    minutes = lockout_minutes()
    if counter == ACCOUNT:
        text = ngettext(
            "Too many failed sign-ins to this account. For its safety, signing in to it is "
            "paused for %(minutes)d minute. Please try again later, or ask an admin.",
            "Too many failed sign-ins to this account. For its safety, signing in to it is "
            "paused for %(minutes)d minutes. Please try again later, or ask an admin.",
            minutes,
        )
    elif counter == ADDRESS:
        text = ngettext(
            "Too many failed sign-ins from your network address. Signing in from it is paused "
            "for %(minutes)d minute. Please try again later.",
            "Too many failed sign-ins from your network address. Signing in from it is paused "
            "for %(minutes)d minutes. Please try again later.",
            minutes,
        )
    else:
        text = ngettext(
            "Too many failed sign-ins. For your safety, signing in as this user from here is "
            "paused for %(minutes)d minute. Please try again later.",
            "Too many failed sign-ins. For your safety, signing in as this user from here is "
            "paused for %(minutes)d minutes. Please try again later.",
            minutes,
        )
    return text % {"minutes": minutes}
