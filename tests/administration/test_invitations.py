"""Invitations: the administration page, the email, and the one-time link it holds."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from okrflow.audit.models import AuditEntry
from okrflow.org.actions import create_person
from okrflow.org.models import Person
from okrflow.signin.actions import invite_person, people_to_invite_all
from okrflow.signin.models import Invitation
from tests.conftest import PASSWORD, World

NOON = datetime.datetime(2026, 5, 6, 12, 0, tzinfo=datetime.UTC)
NEW_PASSWORD = "blue-lotus-harbour-19"
LINK = re.compile(r"http://testserver(/sign-in/invitation/[^/\s]+/)")


@pytest.fixture(autouse=True)
def email_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.OKRFLOW_BASE_URL = "http://testserver"
    settings.OKRFLOW_INVITATION_DAYS = 7


@pytest.fixture
def newcomers(world: World) -> tuple[Person, Person]:
    """Two people who never signed in: one reads Vietnamese, one English; neither has a password."""
    lan = create_person(
        None,
        username="lan",
        full_name="Nguyễn Thị Lan",
        email="lan@saoviet.example",
        unit=world.marketing,
        language="vi",
    )
    tom = create_person(
        None,
        username="tom",
        full_name="Tom Baker",
        email="tom@saoviet.example",
        unit=world.sales,
        language="en",
    )
    return lan, tom


def sign_in(client: Client, world: World, persona: str) -> None:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)


def link_path(message: mail.EmailMessage) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(1)


# --- Who may --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 403), ("member", 403), ("outsider", 403)]
)
def test_only_admins_open_the_invitations(
    client: Client, world: World, persona: str, status: int
) -> None:
    sign_in(client, world, persona)
    assert client.get(reverse("administration:invitations")).status_code == status
    assert client.get(reverse("administration:invitations_invite_all")).status_code == status


@pytest.mark.parametrize("persona", ["lead", "member", "outsider"])
def test_only_admins_invite(client: Client, world: World, newcomers, persona: str) -> None:  # type: ignore[no-untyped-def]
    lan, _tom = newcomers
    sign_in(client, world, persona)
    url = reverse("administration:invitations_invite_one", args=[lan.pk])
    assert client.post(url).status_code == 403
    assert client.post(reverse("administration:invitations_invite_all")).status_code == 403
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, world: World) -> None:
    response = client.get(reverse("administration:invitations"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wrong_methods_and_unknown_people(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    assert client.post(reverse("administration:invitations")).status_code == 405
    assert (
        client.get(
            reverse("administration:invitations_invite_one", args=[world.ceo.pk])
        ).status_code
        == 405
    )
    assert (
        client.post(reverse("administration:invitations_invite_one", args=[999_999])).status_code
        == 404
    )


# --- Inviting one person -------------------------------------------------------------------


def test_an_admin_invites_one_person_in_their_language(
    client: Client, world: World, newcomers
) -> None:  # type: ignore[no-untyped-def]
    lan, _tom = newcomers
    sign_in(client, world, "admin")
    with time_machine.travel(NOON, tick=False):
        response = client.post(reverse("administration:invitations_invite_one", args=[lan.pk]))
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.person == lan
    assert invitation.email == "lan@saoviet.example"
    assert invitation.sent_by == world.admin.user
    assert invitation.sent_at == NOON
    assert invitation.accepted_at is None
    entry = AuditEntry.objects.get(action="invite_person")
    assert entry.actor == world.admin.user
    assert entry.object_id == invitation.pk

    [message] = mail.outbox
    assert message.to == ["lan@saoviet.example"]
    assert message.subject == "Mời bạn dùng okrflow"
    assert "Xin chào Nguyễn Thị Lan" in message.body
    assert "lan" in message.body
    assert link_path(message)

    page = client.get(reverse("administration:invitations"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Invited on" in page.content.decode()


def test_an_english_reader_gets_the_email_in_english(world: World, newcomers) -> None:  # type: ignore[no-untyped-def]
    _lan, tom = newcomers
    invite_person(world.admin.user, tom)
    [message] = mail.outbox
    assert message.subject == "You are invited to okrflow"
    assert "Hello Tom Baker" in message.body
    assert "Admin invites you to okrflow" in message.body


@pytest.mark.parametrize("problem", ["no_email", "signed_in", "deactivated"])
def test_who_cannot_be_invited_is_told_why(
    client: Client, world: World, newcomers, problem: str
) -> None:  # type: ignore[no-untyped-def]
    lan, _tom = newcomers
    user = lan.user
    if problem == "no_email":
        User.objects.filter(pk=user.pk).update(email="")
        expected = "has no email address"
    elif problem == "signed_in":
        User.objects.filter(pk=user.pk).update(last_login=timezone.now())
        expected = "has signed in already"
    else:
        User.objects.filter(pk=user.pk).update(is_active=False)
        expected = "is deactivated"
    sign_in(client, world, "admin")
    response = client.post(
        reverse("administration:invitations_invite_one", args=[lan.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert expected in response.content.decode()
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_mail_server_failure_records_nothing(
    client: Client, world: World, newcomers, settings
) -> None:  # type: ignore[no-untyped-def]
    lan, _tom = newcomers
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.EMAIL_TIMEOUT = 5
    sign_in(client, world, "admin")
    response = client.post(
        reverse("administration:invitations_invite_one", args=[lan.pk]),
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "could not be sent" in response.content.decode()
    assert not Invitation.objects.exists()
    assert not AuditEntry.objects.filter(action="invite_person").exists()


# --- The link ------------------------------------------------------------------------------


def test_the_invitee_sets_a_password_then_signs_in(client: Client, world: World, newcomers) -> None:  # type: ignore[no-untyped-def]
    lan, _tom = newcomers
    invite_person(world.admin.user, lan)
    path = link_path(mail.outbox[0])

    form = client.get(path)
    assert form.status_code == 200
    assert "Chào mừng, Nguyễn Thị Lan" in form.content.decode()  # her language, not the browser's
    response = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")
    invitation = Invitation.objects.get()
    assert invitation.accepted_at is not None
    assert AuditEntry.objects.filter(action="accept_invitation", actor=lan.user).exists()
    lan.user.refresh_from_db()
    assert lan.user.check_password(NEW_PASSWORD)

    # The link is dead now, with a page that says so.
    dead = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
    assert dead.status_code == 410
    assert "has been used already" in dead.content.decode()
    assert "ask your okrflow admin for a new invitation" in dead.content.decode()
    again = client.post(path, {"new_password1": "other-pass-88", "new_password2": "other-pass-88"})
    assert again.status_code == 410
    lan.user.refresh_from_db()
    assert lan.user.check_password(NEW_PASSWORD)

    signed_in = client.post(
        reverse("login"), {"username": "lan@saoviet.example", "password": NEW_PASSWORD}
    )
    assert signed_in.status_code == 302
    page = client.get(reverse("administration:invitations"))
    assert page.status_code == 403  # Lan is no admin: but she is signed in


def test_a_weak_password_is_refused_and_the_link_stays_alive(
    client: Client, world: World, newcomers
) -> None:  # type: ignore[no-untyped-def]
    _lan, tom = newcomers
    invite_person(world.admin.user, tom)
    path = link_path(mail.outbox[0])
    response = client.post(path, {"new_password1": "12345678", "new_password2": "12345678"})
    assert response.status_code == 200
    assert "too common" in response.content.decode()
    assert Invitation.objects.get().accepted_at is None
    assert client.get(path).status_code == 200


def test_the_link_expires_after_the_set_days(client: Client, world: World, newcomers) -> None:  # type: ignore[no-untyped-def]
    _lan, tom = newcomers
    with time_machine.travel(NOON, tick=False) as traveller:
        invite_person(world.admin.user, tom)
        path = link_path(mail.outbox[0])
        traveller.shift(datetime.timedelta(days=7) - datetime.timedelta(minutes=1))
        assert client.get(path).status_code == 200
        traveller.shift(datetime.timedelta(minutes=2))
        expired = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert expired.status_code == 410
        assert "This invitation has expired" in expired.content.decode()
        posted = client.post(path, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
        assert posted.status_code == 410
    tom.user.refresh_from_db()
    assert not tom.user.has_usable_password()


def test_signing_in_kills_the_link(client: Client, world: World, newcomers) -> None:  # type: ignore[no-untyped-def]
    _lan, tom = newcomers
    invite_person(world.admin.user, tom)
    path = link_path(mail.outbox[0])
    User.objects.filter(pk=tom.user.pk).update(last_login=timezone.now())
    assert client.get(path).status_code == 410


def test_sending_again_replaces_the_old_link(client: Client, world: World, newcomers) -> None:  # type: ignore[no-untyped-def]
    _lan, tom = newcomers
    invite_person(world.admin.user, tom)
    invite_person(world.admin.user, tom)
    first, second = (link_path(message) for message in mail.outbox)
    replaced = client.get(first, HTTP_ACCEPT_LANGUAGE="en")
    assert replaced.status_code == 410
    assert "A newer invitation was sent" in replaced.content.decode()
    assert client.get(second).status_code == 200


@pytest.mark.parametrize("token", ["nonsense", "eyJpIjoxfQ:1abc:forged", "x" * 500, "%00"])
def test_a_forged_link_is_not_found(client: Client, world: World, token: str) -> None:
    response = client.get(f"/sign-in/invitation/{token}/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "This invitation link is not valid" in response.content.decode()


# --- Inviting everyone who never signed in -------------------------------------------------


def test_invite_all_shows_the_count_then_invites(client: Client, world: World, newcomers) -> None:  # type: ignore[no-untyped-def]
    lan, tom = newcomers
    User.objects.filter(pk=world.ceo.user.pk).update(email="ceo@saoviet.example")
    User.objects.filter(pk=world.lead.user.pk).update(
        email="lead@saoviet.example", last_login=timezone.now()
    )
    User.objects.filter(pk=world.member.user.pk).update(email="m@saoviet.example", is_active=False)
    invite_person(None, tom)  # Tom's invitation still works: he is left out
    mail.outbox.clear()

    sign_in(client, world, "admin")
    confirm = client.get(
        reverse("administration:invitations_invite_all"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert confirm.status_code == 200
    text = confirm.content.decode()
    assert "2 people will get an invitation email" in text
    assert "Nguyễn Thị Lan" in text and "Ceo" in text and "Tom Baker" not in text

    response = client.post(reverse("administration:invitations_invite_all"))
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["ceo@saoviet.example", "lan@saoviet.example"]
    assert Invitation.objects.filter(person=lan).count() == 1
    assert AuditEntry.objects.filter(action="invite_person").count() == 3
    # Asked twice, nobody gets a second email.
    client.post(reverse("administration:invitations_invite_all"))
    assert len(mail.outbox) == 2
    assert people_to_invite_all().count() == 0


def test_the_list_shows_each_state_in_constant_queries(
    client: Client, world: World, newcomers
) -> None:  # type: ignore[no-untyped-def]
    lan, _tom = newcomers
    invite_person(None, lan)
    User.objects.filter(pk=world.ceo.user.pk).update(last_login=timezone.now())
    sign_in(client, world, "admin")
    url = reverse("administration:invitations")
    with CaptureQueriesContext(connection) as few:
        page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    text = page.content.decode()
    assert "Invited on" in text
    assert "Signed in (last on" in text
    assert "Never invited" in text
    for number in range(15):
        create_person(
            None, username=f"p{number}", full_name=f"Person {number}", email=f"p{number}@x.example"
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
    assert len(few) <= 12, [q["sql"] for q in few.captured_queries]
