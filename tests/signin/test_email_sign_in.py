"""Signing in with a username or an email; emails unique whatever their case."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from okrflow.org.actions import create_person
from tests.conftest import PASSWORD, World


@pytest.fixture
def with_email(world: World) -> World:
    User.objects.filter(pk=world.lead.user.pk).update(email="Head.Marketing@SaoViet.example")
    return world


def sign_in(client: Client, login: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("login"), {"username": login, "password": password}, HTTP_ACCEPT_LANGUAGE="en"
    )


@pytest.mark.parametrize(
    "login",
    ["head.marketing", "head.marketing@saoviet.example", " HEAD.MARKETING@saoviet.EXAMPLE "],
)
def test_a_username_or_an_email_in_any_case_signs_in(
    client: Client, with_email: World, login: str
) -> None:
    response = sign_in(client, login)
    assert response.status_code == 302
    assert client.get(reverse("my_okrs")).status_code == 200


@pytest.mark.parametrize("login", ["Head.Marketing", "nobody@saoviet.example", "@", ""])
def test_anything_else_is_refused(client: Client, with_email: World, login: str) -> None:
    response = sign_in(client, login)
    assert response.status_code == 200
    assert client.get(reverse("my_okrs")).status_code == 302


def test_a_wrong_password_with_the_email_is_refused(client: Client, with_email: World) -> None:
    assert sign_in(client, "head.marketing@saoviet.example", "wrong").status_code == 200


def test_a_deactivated_person_cannot_sign_in_by_email(client: Client, with_email: World) -> None:
    User.objects.filter(pk=with_email.lead.user.pk).update(is_active=False)
    assert sign_in(client, "head.marketing@saoviet.example").status_code == 200


def test_the_sign_in_page_asks_for_a_username_or_email(client: Client, world: World) -> None:
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Username or email" in page.content.decode()


def test_create_person_refuses_an_email_taken_in_another_case(with_email: World) -> None:
    with pytest.raises(ValidationError) as refused:
        create_person(
            None, username="copy", full_name="Copy", email="HEAD.marketing@saoviet.example"
        )
    assert "already uses the email" in refused.value.message_dict["email"][0]
    assert not User.objects.filter(username="copy").exists()


def test_create_person_refuses_a_malformed_email(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        create_person(None, username="typo", full_name="Typo", email="typo-at-example")
    assert "Enter a valid email address." in refused.value.message_dict["email"][0]


def test_people_without_email_are_many(world: World) -> None:
    create_person(None, username="a1", full_name="A One")
    create_person(None, username="a2", full_name="A Two", email="  ")
    assert User.objects.filter(email="").count() >= 2


def test_the_database_refuses_a_duplicate_email_in_another_case(with_email: World) -> None:
    """The unique LOWER(email) index (org migration 0002) holds even past the action."""
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user("sneaky", email="head.MARKETING@saoviet.example")
    User.objects.create_user("empty1", email="")
    User.objects.create_user("empty2", email="")


def test_the_demo_people_have_distinct_emails(demo_org) -> None:  # type: ignore[no-untyped-def]
    emails = [
        email.lower() for email in User.objects.exclude(email="").values_list("email", flat=True)
    ]
    assert emails
    assert len(emails) == len(set(emails))
