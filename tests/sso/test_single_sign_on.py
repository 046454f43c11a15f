"""Single sign-on against a real OpenID provider (tests/sso/provider) over real HTTP.

okrflow runs as the live server; the provider runs in its own process. A requests.Session
plays the browser through the whole authorization-code flow: okrflow → provider's sign-in
form → provider's authorization → okrflow's callback (which fetches the token, the keys and
the user's claims from the provider itself).
"""

from __future__ import annotations

import dataclasses

import pytest
import requests
from django.contrib.auth.models import User

from okrflow.audit.models import AuditEntry
from okrflow.org.actions import create_person
from okrflow.org.models import Person
from okrflow.signin.sso.config import SsoConfig
from tests.conftest import World, build_world
from tests.sso.conftest import Provider
from tests.sso.provider.accounts import PASSWORD as PROVIDER_PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

SSO_BACKENDS = [
    "okrflow.front.sign_in.SignInThrottleBackend",
    "okrflow.signin.backends.EmailOrUsernameBackend",
    "okrflow.signin.sso.backend.SingleSignOnBackend",
]


@pytest.fixture
def world(transactional_db: None) -> World:  # type: ignore[override]
    world = build_world()
    # The provider knows her as lan.nguyen@saoviet.example: the case differs on purpose.
    create_person(
        None,
        username="lan",
        full_name="Nguyễn Thị Lan",
        email="Lan.Nguyen@SaoViet.example",
        unit=world.marketing,
    )
    gone = create_person(
        None, username="former", full_name="Former Colleague", email="former@saoviet.example"
    )
    User.objects.filter(pk=gone.user.pk).update(is_active=False)
    return world


@pytest.fixture
def sso(settings, provider: Provider, open_live_server) -> SsoConfig:  # type: ignore[no-untyped-def]
    """Turn single sign-on on against the provider, discovering its endpoints from the issuer."""
    settings.SSO = SsoConfig(
        client_id=provider.client_id,
        client_secret=provider.client_secret,
        issuer=provider.issuer,
        allowed_domains=("saoviet.example", "elsewhere-allowed.example"),
        default_unit="Sales",
        timeout_seconds=30,
    )
    settings.AUTHENTICATION_BACKENDS = SSO_BACKENDS
    return settings.SSO


def sign_on(live_server, provider: Provider, username: str, language: str = "en"):  # type: ignore[no-untyped-def]
    """Go through the flow as the provider's `username`; return the session and last answer."""
    session = requests.Session()
    session.headers["Accept-Language"] = language
    login_page = session.get(f"{live_server.url}/sign-in/sso/?next=/my/", timeout=60)
    assert login_page.status_code == 200
    assert login_page.url.startswith(f"{provider.url}/login/")
    answer = session.post(
        login_page.url,
        data={
            "username": username,
            "password": PROVIDER_PASSWORD,
            "csrfmiddlewaretoken": session.cookies["provider_csrftoken"],
        },
        timeout=120,
    )
    return session, answer


def test_first_sign_on_matches_a_person_by_email(live_server, provider, sso, world) -> None:  # type: ignore[no-untyped-def]
    session, answer = sign_on(live_server, provider, "lan")
    assert answer.status_code == 200
    assert answer.url == f"{live_server.url}/my/"
    settings_page = session.get(f"{live_server.url}/account/", timeout=60)
    assert "Nguyễn Thị Lan" in settings_page.text
    lan = Person.objects.get(user__username="lan")
    assert lan.user.last_login is not None
    assert Person.objects.count() == 9  # nobody was created


def test_an_unknown_email_is_refused(live_server, provider, sso, world) -> None:  # type: ignore[no-untyped-def]
    session, answer = sign_on(live_server, provider, "stranger")
    assert answer.status_code == 403
    assert "Nobody in okrflow has the email minh.tran@saoviet.example" in answer.text
    assert not User.objects.filter(email__iexact="minh.tran@saoviet.example").exists()
    assert session.get(f"{live_server.url}/my/", timeout=60).url.startswith(
        f"{live_server.url}/sign-in/"
    )


def test_the_refusal_is_in_the_browser_language(live_server, provider, sso, world) -> None:  # type: ignore[no-untyped-def]
    _session, answer = sign_on(live_server, provider, "stranger", language="vi")
    assert answer.status_code == 403
    assert "Không có ai trong okrflow dùng email minh.tran@saoviet.example" in answer.text


def test_an_unknown_email_is_created_in_the_default_unit_when_allowed(
    live_server, provider, sso, world, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.SSO = dataclasses.replace(sso, create_unknown=True)
    session, answer = sign_on(live_server, provider, "stranger")
    assert answer.status_code == 200
    assert answer.url == f"{live_server.url}/my/"
    minh = Person.objects.select_related("user", "unit").get(
        user__email="minh.tran@saoviet.example"
    )
    assert minh.full_name == "Trần Văn Minh"
    assert minh.unit == world.sales
    assert minh.user.username == "minh.tran@saoviet.example"
    assert not minh.user.has_usable_password()
    assert AuditEntry.objects.filter(action="create_person", object_id=minh.pk).exists()
    # The second sign-on finds the same person instead of creating another.
    session.post(
        f"{live_server.url}/sign-out/",
        headers={"X-CSRFToken": session.cookies["csrftoken"]},
        timeout=60,
    )
    _session, again = sign_on(live_server, provider, "stranger")
    assert again.status_code == 200
    assert Person.objects.filter(user__email="minh.tran@saoviet.example").count() == 1


def test_a_disallowed_domain_is_refused(live_server, provider, sso, world) -> None:  # type: ignore[no-untyped-def]
    _session, answer = sign_on(live_server, provider, "elsewhere")
    assert answer.status_code == 403
    assert "may not sign in to okrflow" in answer.text


def test_a_deactivated_person_is_refused(live_server, provider, sso, world) -> None:  # type: ignore[no-untyped-def]
    _session, answer = sign_on(live_server, provider, "gone")
    assert answer.status_code == 403
    assert "Your okrflow account is deactivated" in answer.text


def test_an_unverified_email_is_refused(live_server, provider, sso, world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SSO = dataclasses.replace(sso, create_unknown=True)
    _session, answer = sign_on(live_server, provider, "unchecked")
    assert answer.status_code == 403
    assert "has not verified the email" in answer.text
    assert not User.objects.filter(email="unchecked@saoviet.example").exists()


def test_explicit_endpoints_need_no_discovery(live_server, provider, sso, world, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SSO = dataclasses.replace(
        sso,
        issuer="",
        authorization_endpoint=f"{provider.issuer}/authorize/",
        token_endpoint=f"{provider.issuer}/token/",
        userinfo_endpoint=f"{provider.issuer}/userinfo/",
        jwks_endpoint=f"{provider.issuer}/.well-known/jwks.json",
    )
    _session, answer = sign_on(live_server, provider, "lan")
    assert answer.status_code == 200
    assert answer.url == f"{live_server.url}/my/"
