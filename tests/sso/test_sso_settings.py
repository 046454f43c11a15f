"""Single sign-on is off unless configured, and reads nothing from the network until used."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from okrflow.signin.sso.config import SsoConfig, read_sso_config
from okrflow.signin.sso.discovery import forget_discovered
from tests.conftest import World


def test_nothing_set_means_off() -> None:
    assert not read_sso_config({}).enabled


def test_an_issuer_and_a_client_turn_it_on() -> None:
    config = read_sso_config(
        {
            "OKRFLOW_OIDC_ISSUER": "https://login.example.com/realms/acme/",
            "OKRFLOW_OIDC_CLIENT_ID": "okrflow",
            "OKRFLOW_OIDC_CLIENT_SECRET": "s3cret",
            "OKRFLOW_OIDC_ALLOWED_DOMAINS": "Acme.example, @acme.vn",
            "OKRFLOW_OIDC_CREATE_UNKNOWN": "1",
            "OKRFLOW_OIDC_DEFAULT_UNIT": "Sales",
        }
    )
    assert config.enabled
    assert config.issuer == "https://login.example.com/realms/acme"
    assert config.allowed_domains == ("acme.example", "acme.vn")
    assert config.create_unknown
    assert config.allows_email("Lan@ACME.vn")
    assert not config.allows_email("lan@acme.vn.evil.example")


def test_explicit_endpoints_without_an_issuer_turn_it_on() -> None:
    names = ("AUTHORIZATION", "TOKEN", "USERINFO", "JWKS")
    environ = {f"OKRFLOW_OIDC_{name}_ENDPOINT": f"https://sso.example/{name}" for name in names}
    assert not read_sso_config(environ).enabled  # no client id
    assert read_sso_config(environ | {"OKRFLOW_OIDC_CLIENT_ID": "okrflow"}).enabled
    assert not read_sso_config(
        {k: v for k, v in environ.items() if "JWKS" not in k} | {"OKRFLOW_OIDC_CLIENT_ID": "x"}
    ).enabled


@pytest.mark.parametrize(
    "variable", ["OKRFLOW_OIDC_CREATE_UNKNOWN", "OKRFLOW_OIDC_TIMEOUT_SECONDS"]
)
def test_a_wrong_value_stops_the_start_with_its_name(variable: str) -> None:
    with pytest.raises(SystemExit, match=variable):
        read_sso_config({variable: "maybe"})


def test_without_sso_there_is_no_button_and_no_sso_page(client: Client, world: World) -> None:
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert reverse("signin:sso_start").encode() not in page.content
    assert client.get(reverse("signin:sso_start")).status_code == 404
    assert (
        client.get(reverse("signin:sso_callback"), {"code": "x", "state": "y"}).status_code == 404
    )


def test_the_button_shows_without_fetching_anything(client: Client, world: World, settings) -> None:  # type: ignore[no-untyped-def]
    """The sign-in page names the provider; only starting a sign-on reads its discovery document."""
    forget_discovered()
    # Port 9 (discard) on this machine: nothing answers, so a fetch would fail loudly.
    settings.SSO = SsoConfig(
        client_id="okrflow",
        issuer="http://127.0.0.1:9/realms/acme",
        button_label="Acme SSO",
        timeout_seconds=5,
    )
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert b"Sign in with Acme SSO" in page.content
    assert reverse("signin:sso_start").encode() in page.content
    unreachable = client.get(reverse("signin:sso_start"), HTTP_ACCEPT_LANGUAGE="en")
    assert unreachable.status_code == 503
    assert b"Single sign-on failed" in unreachable.content
    forget_discovered()


def test_a_callback_nobody_started_signs_nobody_in(client: Client, world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SSO = SsoConfig(
        client_id="okrflow",
        authorization_endpoint="http://127.0.0.1:9/auth",
        token_endpoint="http://127.0.0.1:9/token",
        userinfo_endpoint="http://127.0.0.1:9/userinfo",
        jwks_endpoint="http://127.0.0.1:9/jwks",
    )
    response = client.get(reverse("signin:sso_callback"), {"code": "stolen", "state": "forged"})
    assert response.status_code == 400
    assert client.get(reverse("my_okrs")).status_code == 302


def test_the_provider_saying_no_signs_nobody_in(client: Client, world: World, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SSO = SsoConfig(
        client_id="okrflow",
        authorization_endpoint="http://127.0.0.1:9/auth",
        token_endpoint="http://127.0.0.1:9/token",
        userinfo_endpoint="http://127.0.0.1:9/userinfo",
        jwks_endpoint="http://127.0.0.1:9/jwks",
    )
    response = client.get(
        reverse("signin:sso_callback"),
        {"error": "access_denied", "state": "x"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert response.status_code == 400
    assert "Đăng nhập một lần không thành công" in response.content.decode()
