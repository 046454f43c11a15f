"""Read the single sign-on settings from the environment (no Django here: settings imports it)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class SsoConfig:
    """What okrflow needs to know about the OpenID provider; `enabled` is False when unset."""

    client_id: str = ""
    client_secret: str = ""
    issuer: str = ""  # https://login.example.com/realms/acme: endpoints are discovered from it
    authorization_endpoint: str = ""
    token_endpoint: str = ""
    userinfo_endpoint: str = ""
    jwks_endpoint: str = ""
    allowed_domains: tuple[str, ...] = ()  # empty: any domain
    create_unknown: bool = False
    default_unit: str = ""  # the unit's name or id for people created on first sign-in
    button_label: str = ""  # "Google Workspace"; a generic label when empty
    scopes: str = "openid email profile"
    sign_algorithm: str = "RS256"
    timeout_seconds: int = 10

    @property
    def enabled(self) -> bool:
        has_endpoints = bool(self.issuer) or all(
            (
                self.authorization_endpoint,
                self.token_endpoint,
                self.userinfo_endpoint,
                self.jwks_endpoint,
            )
        )
        return bool(self.client_id) and has_endpoints

    def allows_email(self, email: str) -> bool:
        """Say whether the email's domain is one of the allowed ones (any, when none is set)."""
        if not self.allowed_domains:
            return True
        domain = email.rpartition("@")[2].strip().lower()
        return domain in self.allowed_domains


def read_sso_config(environ: Mapping[str, str]) -> SsoConfig:
    """Build the configuration from OKRFLOW_OIDC_* variables; a wrong value stops the start."""

    def text(name: str) -> str:
        return environ.get(f"OKRFLOW_OIDC_{name}", "").strip()

    timeout_text = text("TIMEOUT_SECONDS") or "10"
    try:
        timeout = int(timeout_text)
    except ValueError:
        raise SystemExit(
            f"OKRFLOW_OIDC_TIMEOUT_SECONDS must be a whole number, not “{timeout_text}”."
        ) from None
    create_text = text("CREATE_UNKNOWN").lower() or "0"
    if create_text not in {"0", "1", "true", "false", "yes", "no", "on", "off"}:
        raise SystemExit(f"OKRFLOW_OIDC_CREATE_UNKNOWN must be 0 or 1, not “{create_text}”.")
    domains = tuple(
        domain.strip().lower().lstrip("@")
        for domain in text("ALLOWED_DOMAINS").split(",")
        if domain.strip()
    )
    return SsoConfig(
        client_id=text("CLIENT_ID"),
        client_secret=text("CLIENT_SECRET"),
        issuer=text("ISSUER").rstrip("/"),
        authorization_endpoint=text("AUTHORIZATION_ENDPOINT"),
        token_endpoint=text("TOKEN_ENDPOINT"),
        userinfo_endpoint=text("USERINFO_ENDPOINT"),
        jwks_endpoint=text("JWKS_ENDPOINT"),
        allowed_domains=domains,
        create_unknown=create_text in {"1", "true", "yes", "on"},
        default_unit=text("DEFAULT_UNIT"),
        button_label=text("BUTTON_LABEL"),
        scopes=text("SCOPES") or "openid email profile",
        sign_algorithm=text("SIGN_ALGORITHM") or "RS256",
        timeout_seconds=timeout,
    )
