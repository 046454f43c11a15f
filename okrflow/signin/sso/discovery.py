"""The OpenID provider's endpoints: set explicitly, or read once from its discovery document.

Nothing is fetched when okrflow starts: the document is read on the first single sign-on and
kept for the life of the process.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import requests
from django.conf import settings

from okrflow.signin.sso.config import SsoConfig


@dataclass(frozen=True)
class Endpoints:
    authorization: str
    token: str
    userinfo: str
    jwks: str


class ProviderUnavailable(Exception):
    """The provider's discovery document could not be read."""


_found: dict[str, Endpoints] = {}
_lock = threading.Lock()


def provider_endpoints(config: SsoConfig | None = None) -> Endpoints:
    """Return the endpoints to use, discovering them from the issuer when not all are set."""
    config = config or settings.SSO
    explicit = Endpoints(
        config.authorization_endpoint,
        config.token_endpoint,
        config.userinfo_endpoint,
        config.jwks_endpoint,
    )
    if all((explicit.authorization, explicit.token, explicit.userinfo, explicit.jwks)):
        return explicit
    with _lock:
        if config.issuer not in _found:
            _found[config.issuer] = discover(config)
        found = _found[config.issuer]
    # An endpoint set explicitly wins over the discovered one.
    return Endpoints(
        explicit.authorization or found.authorization,
        explicit.token or found.token,
        explicit.userinfo or found.userinfo,
        explicit.jwks or found.jwks,
    )


def discover(config: SsoConfig) -> Endpoints:
    """Read the issuer's /.well-known/openid-configuration."""
    url = f"{config.issuer}/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=config.timeout_seconds)
        response.raise_for_status()
        document = response.json()
        return Endpoints(
            document["authorization_endpoint"],
            document["token_endpoint"],
            document["userinfo_endpoint"],
            document["jwks_uri"],
        )
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        raise ProviderUnavailable(f"{url}: {error}") from error


def forget_discovered() -> None:
    """Forget the discovered endpoints (tests start providers on new ports)."""
    with _lock:
        _found.clear()
