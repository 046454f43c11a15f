"""Failed sign-ins are throttled (django-axes): per username and address, with a cool-off."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, World

NOON = datetime.datetime(2026, 5, 6, 12, 0, tzinfo=datetime.UTC)


@pytest.fixture
def frozen():  # type: ignore[no-untyped-def]
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


def sign_in(client: Client, username: str, password: str, url: str | None = None, **extra: str):  # type: ignore[no-untyped-def]
    """Post the sign-in form, read in English unless the test asks for another language."""
    extra.setdefault("HTTP_ACCEPT_LANGUAGE", "en")
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, **extra
    )


def signed_in(client: Client) -> bool:
    return client.get(reverse("overview")).status_code == 200


def test_the_sixth_try_is_refused_even_with_the_right_password(
    client: Client, world: World, frozen
) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        response = sign_in(client, "ceo", "wrong")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    fifth = sign_in(client, "ceo", "wrong")
    assert fifth.status_code == 429
    assert "Too many failed sign-ins" in fifth.content.decode()

    sixth = sign_in(client, "ceo", PASSWORD)
    assert sixth.status_code == 429
    assert "paused for 15 minutes" in sixth.content.decode()
    assert not signed_in(client)
    assert AccessAttempt.objects.get(username="ceo").failures_since_start == 5


def test_the_lockout_is_told_in_vietnamese(client: Client, world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        sign_in(client, "ceo", "wrong", HTTP_ACCEPT_LANGUAGE="vi")
    response = sign_in(client, "ceo", PASSWORD, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Đăng nhập sai quá nhiều lần" in page
    assert "15 phút" in page
    # The form is there again, with the username kept.
    assert 'value="ceo"' in page


def test_signing_in_works_again_after_the_cool_off(client: Client, world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        sign_in(client, "ceo", "wrong")
    frozen.shift(datetime.timedelta(minutes=14))
    assert sign_in(client, "ceo", PASSWORD).status_code == 429
    frozen.shift(datetime.timedelta(minutes=1, seconds=1))
    response = sign_in(client, "ceo", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("overview")
    assert signed_in(client)
    # The success cleared the count: five new failures are needed for a new lockout.
    assert not AccessAttempt.objects.filter(username="ceo").exists()


def test_a_success_resets_the_count(client: Client, world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    for _ in range(4):
        sign_in(client, "ceo", "wrong")
    assert sign_in(client, "ceo", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert sign_in(client, "ceo", "wrong").status_code == 200
    assert sign_in(client, "ceo", PASSWORD).status_code == 302


def test_the_lockout_is_per_username_and_address(client: Client, world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        sign_in(client, "ceo", "wrong")
    # Someone else in the same office (same address) still signs in ...
    colleague = Client()
    assert sign_in(colleague, "head.marketing", PASSWORD).status_code == 302
    # ... and so does the same person from another address.
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert sign_in(elsewhere, "ceo", PASSWORD).status_code == 302


def test_the_django_admin_sign_in_is_throttled_too(client: Client, db: None, frozen) -> None:  # type: ignore[no-untyped-def]
    User.objects.create_superuser("root", password=PASSWORD)
    url = reverse("admin:login")
    for _ in range(5):
        sign_in(client, "root", "wrong", url=url)
    response = sign_in(client, "root", PASSWORD, url=url)
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()
    assert client.get(reverse("admin:index")).status_code == 302  # still signed out

    frozen.shift(datetime.timedelta(minutes=16))
    response = sign_in(client, "root", PASSWORD, url=url)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_logins_without_a_request_are_not_counted(client: Client, world: World) -> None:
    """The test client's login() has no sign-in form to throttle: it checks the password only."""
    for _ in range(6):
        assert not client.login(username="ceo", password="wrong")
    assert client.login(username="ceo", password=PASSWORD)
    assert not AccessAttempt.objects.exists()


def test_a_username_longer_than_any_is_counted_cut_to_the_longest_one(
    client: Client, world: World, frozen
) -> None:  # type: ignore[no-untyped-def]
    typed = "đ" * 300  # axes keeps usernames in 255 characters; PostgreSQL refused more (a 500)
    for _ in range(4):
        assert sign_in(client, typed, "wrong").status_code == 200
    assert sign_in(client, typed, "wrong").status_code == 429
    attempt = AccessAttempt.objects.get()
    assert attempt.username == "đ" * 150
    assert attempt.failures_since_start == 5


# --- Signing in by email, and the account and address counters ------------------------------


def test_an_email_counts_against_its_username(client: Client, world: World, frozen) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=world.ceo.user.pk).update(email="ceo@saoviet.example")
    for _ in range(2):
        assert sign_in(client, "ceo", "wrong").status_code == 200
    for _ in range(2):
        assert sign_in(client, "CEO@saoviet.example", "wrong").status_code == 200
    assert sign_in(client, "ceo@SaoViet.example", "wrong").status_code == 429
    assert sign_in(client, "ceo", PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().username == "ceo"


def test_an_email_sign_in_resets_the_count_like_the_username(
    client: Client, world: World, frozen
) -> None:  # type: ignore[no-untyped-def]
    User.objects.filter(pk=world.ceo.user.pk).update(email="ceo@saoviet.example")
    for _ in range(4):
        sign_in(client, "ceo", "wrong")
    assert sign_in(client, "ceo@saoviet.example", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()


def test_guesses_spread_over_addresses_pause_the_account(
    client: Client, world: World, frozen, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.OKRFLOW_SIGN_IN_ACCOUNT_FAILURE_LIMIT = 12
    for number in range(3):
        guesser = Client(REMOTE_ADDR=f"10.0.0.{number}")
        for _ in range(4):  # under the pair's limit of five at each address
            assert sign_in(guesser, "ceo", "wrong").status_code in (200, 429)
    owner = Client(REMOTE_ADDR="10.9.9.9")
    response = sign_in(owner, "ceo", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins to this account" in response.content.decode()
    assert not signed_in(owner)
    # Other accounts are not affected, from anywhere.
    assert sign_in(Client(REMOTE_ADDR="10.0.0.1"), "head.marketing", PASSWORD).status_code == 302
    frozen.shift(datetime.timedelta(minutes=16))
    assert sign_in(owner, "ceo", PASSWORD).status_code == 302


def test_the_account_pause_is_told_in_vietnamese(
    client: Client, world: World, frozen, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.OKRFLOW_SIGN_IN_ACCOUNT_FAILURE_LIMIT = 6
    for number in range(2):
        for _ in range(3):
            sign_in(Client(REMOTE_ADDR=f"10.0.1.{number}"), "ceo", "wrong")
    response = sign_in(Client(REMOTE_ADDR="10.0.1.9"), "ceo", PASSWORD, HTTP_ACCEPT_LANGUAGE="vi")
    assert response.status_code == 429
    assert "tài khoản này" in response.content.decode()


def test_many_accounts_tried_from_one_address_pause_the_address(
    client: Client, world: World, frozen, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.OKRFLOW_SIGN_IN_ADDRESS_FAILURE_LIMIT = 8
    for username in ("ceo", "head.sales"):
        for _ in range(4):  # under the pair's limit of five for each username
            answer = sign_in(client, username, "wrong")
    assert answer.status_code == 429  # the eighth failure from this address
    response = sign_in(client, "outsider", PASSWORD)
    assert response.status_code == 429
    assert "Too many failed sign-ins from your network address" in response.content.decode()
    # The same people elsewhere still sign in.
    assert sign_in(Client(REMOTE_ADDR="10.2.2.2"), "outsider", PASSWORD).status_code == 302


def test_signing_in_to_ones_own_account_does_not_clear_the_address_count(
    client: Client, world: World, frozen, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.OKRFLOW_SIGN_IN_ADDRESS_FAILURE_LIMIT = 8
    for _ in range(4):
        sign_in(client, "ceo", "wrong")
    attacker = Client()
    assert sign_in(attacker, "outsider", PASSWORD).status_code == 302  # the attacker's own account
    for _ in range(3):
        assert sign_in(client, "head.sales", "wrong").status_code == 200
    assert sign_in(client, "head.sales", "wrong").status_code == 429
