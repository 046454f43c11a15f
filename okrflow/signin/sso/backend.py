"""Who a single sign-on is: the provider's verified email matched to a person, or refused."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from okrflow.org.actions import create_person
from okrflow.org.models import Language, OrgUnit
from okrflow.signin.sso.discovery import provider_endpoints


class Refusal:
    """Why a single sign-on was refused; the callback page explains each."""

    NO_EMAIL = "no_email"
    UNVERIFIED = "unverified"
    DOMAIN = "domain"
    UNKNOWN = "unknown"
    DEACTIVATED = "deactivated"


def oidc_setting(attr: str, *default: Any) -> Any:
    """mozilla-django-oidc's settings, answered from okrflow's SsoConfig."""
    sso = settings.SSO
    answers = {
        "OIDC_RP_CLIENT_ID": sso.client_id,
        "OIDC_RP_CLIENT_SECRET": sso.client_secret,
        "OIDC_RP_SIGN_ALGO": sso.sign_algorithm,
        "OIDC_RP_SCOPES": sso.scopes,
        "OIDC_USE_PKCE": True,
        "OIDC_TIMEOUT": sso.timeout_seconds,
        "OIDC_CREATE_USER": sso.create_unknown,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "signin:sso_callback",
        "LOGIN_REDIRECT_URL": settings.LOGIN_REDIRECT_URL,
        "LOGIN_REDIRECT_URL_FAILURE": settings.LOGIN_URL,
    }
    if attr in answers:
        return answers[attr]
    return import_from_settings(attr, *default)


def refuse(request: HttpRequest, reason: str, email: str = "") -> None:
    request.sso_refusal = reason  # type: ignore[attr-defined]
    request.sso_email = email  # type: ignore[attr-defined]


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's authorization-code flow with okrflow's matching rules.

    Settings are read when used, not when the backend is built, so that discovery happens
    on the first sign-on and never at start.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.UserModel = get_user_model()

    get_settings = staticmethod(oidc_setting)

    @property
    def OIDC_OP_TOKEN_ENDPOINT(self) -> str:
        return provider_endpoints().token

    @property
    def OIDC_OP_USER_ENDPOINT(self) -> str:
        return provider_endpoints().userinfo

    @property
    def OIDC_OP_JWKS_ENDPOINT(self) -> str:
        return provider_endpoints().jwks

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:
        return settings.SSO.client_id

    @property
    def OIDC_RP_CLIENT_SECRET(self) -> str:
        return settings.SSO.client_secret

    @property
    def OIDC_RP_SIGN_ALGO(self) -> str:
        return settings.SSO.sign_algorithm

    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        """Act only for the callback of a sign-on okrflow started (it carries a nonce)."""
        if request is None or not settings.SSO.enabled or "nonce" not in kwargs:
            return None
        return super().authenticate(request, **kwargs)

    def verify_token(self, token: str, **kwargs: Any) -> Any:
        """mozilla-django-oidc's checks, plus the audience and (when known) the issuer."""
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if settings.SSO.client_id not in audiences:
            raise SuspiciousOperation("The ID token is not meant for okrflow.")
        issuer = settings.SSO.issuer
        if issuer and str(payload.get("iss", "")).rstrip("/") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        return payload

    def get_or_create_user(self, access_token: str, id_token: str, payload: Any) -> Any:
        """Match the provider's email to a person, or create one when the settings allow."""
        claims = self.get_userinfo(access_token, id_token, payload)
        email = str(claims.get("email") or "").strip()
        if not email:
            return refuse(self.request, Refusal.NO_EMAIL)
        if claims.get("email_verified") in (False, "false"):
            return refuse(self.request, Refusal.UNVERIFIED, email)
        if not settings.SSO.allows_email(email):
            return refuse(self.request, Refusal.DOMAIN, email)
        user = self.UserModel.objects.filter(email__iexact=email).first()
        if user is not None:
            if not user.is_active:
                return refuse(self.request, Refusal.DEACTIVATED, email)
            return user
        if not settings.SSO.create_unknown:
            return refuse(self.request, Refusal.UNKNOWN, email)
        return self.create_person_from_claims(email, claims).user

    def create_person_from_claims(self, email: str, claims: Any) -> Any:
        """Create the person in OKRFLOW_OIDC_DEFAULT_UNIT, named as the provider names them."""
        full_name = (
            str(claims.get("name") or "").strip()
            or " ".join(
                str(claims.get(part) or "").strip() for part in ("given_name", "family_name")
            ).strip()
        )
        language = getattr(self.request, "LANGUAGE_CODE", "")
        return create_person(
            None,
            username=free_username(email),
            full_name=full_name[:200] or email.partition("@")[0],
            email=email,
            unit=default_unit(),
            language=language if language in Language.values else Language.VIETNAMESE,
        )


def free_username(email: str) -> str:
    """The email as a username (lower case, within the column), made unique if taken."""
    base = re.sub(r"[^\w.@+-]", "", email.lower())[:140] or "sso"
    users = get_user_model().objects
    candidate, number = base, 1
    while users.filter(username__iexact=candidate).exists():
        number += 1
        candidate = f"{base}-{number}"
    return candidate


def default_unit() -> OrgUnit | None:
    """The unit OKRFLOW_OIDC_DEFAULT_UNIT names, by id or name; None when unset or unknown."""
    wanted = settings.SSO.default_unit
    if not wanted:
        return None
    if wanted.isdigit():
        return OrgUnit.objects.filter(pk=int(wanted)).first()
    return OrgUnit.objects.filter(name__iexact=wanted).order_by("path").first()
