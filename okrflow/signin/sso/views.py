"""The two pages of a single sign-on: off to the provider, and back with who signed in."""

from __future__ import annotations

import logging
from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from okrflow.signin.sso.backend import oidc_setting
from okrflow.signin.sso.discovery import ProviderUnavailable, provider_endpoints

logger = logging.getLogger(__name__)


class StartView(OIDCAuthenticationRequestView):
    def __init__(self, **kwargs: Any) -> None:
        super(OIDCAuthenticationRequestView, self).__init__(**kwargs)
        self.OIDC_OP_AUTH_ENDPOINT = provider_endpoints().authorization
        self.OIDC_RP_CLIENT_ID = settings.SSO.client_id

    get_settings = staticmethod(oidc_setting)


class CallbackView(OIDCAuthenticationCallbackView):
    get_settings = staticmethod(oidc_setting)

    def login_failure(self) -> HttpResponse:
        reason = getattr(self.request, "sso_refusal", None)
        if reason:
            context = {"reason": reason, "email": getattr(self.request, "sso_email", "")}
            return render(self.request, "signin/sso_refused.html", context, status=403)
        return failed(self.request)


def failed(request: HttpRequest, status: int = 400) -> HttpResponse:
    return render(request, "signin/sso_failed.html", status=status)


def require_sso() -> None:
    if not settings.SSO.enabled:
        raise Http404("Single sign-on is not configured.")


@never_cache
@require_GET
def start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the provider's sign-in page."""
    require_sso()
    try:
        return StartView.as_view()(request)
    except ProviderUnavailable as error:
        logger.warning("Single sign-on: %s", error)
        return failed(request, status=503)


@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """Sign in whoever the provider vouches for, or say why not."""
    require_sso()
    try:
        return CallbackView.as_view()(request)
    except (
        ProviderUnavailable,
        requests.RequestException,
        SuspiciousOperation,
        jwt.PyJWTError,
    ) as error:
        # A wrong or replayed callback, an unreachable or misbehaving provider, a token that
        # does not verify: nobody is signed in, and the person reads what to do.
        logger.warning("Single sign-on failed: %s", error)
        return failed(request)
