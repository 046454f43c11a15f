"""Who calls the API: a personal access token (Bearer) or the app's own signed-in session."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer, SessionAuth

from okrflow.api.models import AccessToken
from okrflow.api.token_secrets import hash_secret, looks_like_token
from okrflow.org.access import access_for

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# last_used_at is bookkeeping, not history: one write a minute per token is precise enough.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def speak_callers_language(user: Any) -> None:
    """Answer in the person's own language, as the pages do (else Accept-Language stays)."""
    person = access_for(user).person
    if person is not None and person.language:
        translation.activate(person.language)


def refuse(message: str) -> AuthenticationError:
    return AuthenticationError(401, message)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer okr_…`: a personal access token, read or write scope."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        secret = token.strip()
        if not looks_like_token(secret):
            raise refuse(_("This is not an okrflow token."))
        found = (
            AccessToken.objects.select_related("person__user")
            .filter(token_hash=hash_secret(secret))
            .first()
        )
        if found is None:
            raise refuse(_("This token is unknown."))
        user = found.person.user
        # Even a refusal is worded in the token's person's language.
        speak_callers_language(user)
        if found.is_revoked:
            raise refuse(_("This token was revoked."))
        if found.is_expired:
            raise refuse(_("This token has expired."))
        if not user.is_active:
            raise refuse(_("This token's person is deactivated."))
        request.user = user
        request.api_token = found  # type: ignore[attr-defined]
        if request.method not in SAFE_METHODS and not found.can_write:
            raise AuthorizationError(
                403, _("This token may only read: make a read-and-write token.")
            )
        note_use(found)
        return user


def note_use(token: AccessToken) -> None:
    """Record when the token was last used, at most once a minute."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


class PageSessionAuth(SessionAuth):
    """The app's own pages call the API with their session; writes need the CSRF token."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated or not user.is_active:
            return None
        request.api_token = None  # type: ignore[attr-defined]
        return user


def caller_key(request: HttpRequest) -> str:
    """Name the caller for the rate limit: the token, else the signed-in user."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return f"token:{token.pk}"
    return f"user:{request.user.pk}"
