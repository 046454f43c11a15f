"""Deployment checks of okrflow's own: the public demo secret key is never used to serve."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

DEMO_SECRET_MESSAGE = (
    "okrflow will not serve with the public demo secret key while debug is off: anyone could "
    "forge its sessions. Set OKRFLOW_SECRET_KEY to a long random value, e.g. the output of "
    "python3 -c 'import secrets; print(secrets.token_urlsafe(50))' "
    "(the same value on every server), or set OKRFLOW_DEBUG=1 for a local demo."
)


def serves_with_demo_secret() -> bool:
    """True when debug is off and the secret key is still the public demo key."""
    return not settings.DEBUG and settings.SECRET_KEY == settings.DEMO_SECRET_KEY


def refuse_demo_secret() -> None:
    """Stop a server from starting with the demo key (called by okrflow.wsgi)."""
    if serves_with_demo_secret():
        raise ImproperlyConfigured(DEMO_SECRET_MESSAGE)


@checks.register(checks.Tags.security, deploy=True)
def demo_secret_check(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    """`okrflow check --deploy` names the missing OKRFLOW_SECRET_KEY as an error."""
    if serves_with_demo_secret():
        return [checks.Error(DEMO_SECRET_MESSAGE, id="okrflow.E001")]
    return []
