"""Forgotten passwords (reset by email) and changing one's password on the settings page."""

from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from okrflow.audit.models import AuditEntry
from tests.conftest import PASSWORD, World

NOON = datetime.datetime(2026, 5, 6, 12, 0, tzinfo=datetime.UTC)
NEW_PASSWORD = "quiet-river-lantern-31"
LINK = re.compile(r"http://okr\.example(/sign-in/reset/[^\s]+/)")


@pytest.fixture(autouse=True)
def email_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.OKRFLOW_BASE_URL = "http://okr.example"


@pytest.fixture
def with_emails(world: World) -> World:
    User.objects.filter(pk=world.member.user.pk).update(email="Member@SaoViet.example")
    User.objects.filter(pk=world.lead.user.pk).update(email="lead@saoviet.example")
    world.lead.language = "vi"
    world.lead.save(update_fields=["language"])
    return world


def ask_for_a_link(client: Client, email: str):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("signin:password_forgot"), {"email": email}, HTTP_ACCEPT_LANGUAGE="en"
    )


def test_the_sign_in_page_links_the_forgotten_password_page(client: Client, world: World) -> None:
    page = client.get(reverse("login"))
    assert reverse("signin:password_forgot").encode() in page.content
    assert client.get(reverse("signin:password_forgot")).status_code == 200


def test_a_reset_sets_a_new_password_once(client: Client, with_emails: World) -> None:
    response = ask_for_a_link(client, "member@saoviet.example")  # any case
    assert response.status_code == 302
    assert response["Location"] == reverse("signin:password_reset_sent")
    [message] = mail.outbox
    assert message.to == ["Member@SaoViet.example"]
    assert message.subject == "Choose a new okrflow password"
    assert "specialist.marketing" in message.body
    path = LINK.search(message.body).group(1)  # type: ignore[union-attr]

    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    choose_url = form_page.redirect_chain[-1][0]
    done = client.post(choose_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    assert done["Location"] == reverse("signin:password_reset_done")
    user = User.objects.get(pk=with_emails.member.user.pk)
    assert user.check_password(NEW_PASSWORD)
    entry = AuditEntry.objects.get(action="reset_password")
    assert entry.object_id == user.pk
    assert "pbkdf2" not in str(entry.after) and "md5" not in str(entry.after)

    # The link is dead once used.
    used = client.get(path, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "has expired or has been used already" in used.content.decode()


def test_the_email_is_in_the_readers_language(client: Client, with_emails: World) -> None:
    ask_for_a_link(client, "lead@saoviet.example")
    [message] = mail.outbox
    assert message.subject == "Chọn mật khẩu okrflow mới"


def test_the_answer_does_not_tell_whether_an_email_exists(
    client: Client, with_emails: World
) -> None:
    known = ask_for_a_link(client, "lead@saoviet.example")
    unknown = ask_for_a_link(client, "nobody@saoviet.example")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert len(mail.outbox) == 1

    def page_text(url: str) -> str:  # the page without its per-response CSRF token
        return re.sub(r'"X-CSRFToken": "[^"]*"', "", client.get(url).content.decode())

    assert page_text(known["Location"]) == page_text(unknown["Location"])


def test_a_deactivated_account_gets_no_link(client: Client, with_emails: World) -> None:
    User.objects.filter(pk=with_emails.lead.user.pk).update(is_active=False)
    ask_for_a_link(client, "lead@saoviet.example")
    assert mail.outbox == []


def test_a_reset_link_expires_after_a_day(client: Client, with_emails: World) -> None:
    with time_machine.travel(NOON, tick=False) as traveller:
        ask_for_a_link(client, "member@saoviet.example")
        path = LINK.search(mail.outbox[0].body).group(1)  # type: ignore[union-attr]
        traveller.shift(datetime.timedelta(hours=24, minutes=1))
        page = client.get(path, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "has expired or has been used already" in page.content.decode()


@pytest.mark.parametrize("email", ["", "not-an-email", "x" * 300 + "@a.example"])
def test_bad_input_is_answered_not_crashed(client: Client, world: World, email: str) -> None:
    response = ask_for_a_link(client, email)
    assert response.status_code in (200, 302)
    assert mail.outbox == []


# --- Changing one's password on the settings page -----------------------------------------


def sign_in(client: Client, world: World, persona: str) -> None:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)


@pytest.mark.parametrize("persona", ["admin", "lead", "member", "outsider"])
def test_everyone_sees_the_password_panel(client: Client, world: World, persona: str) -> None:
    sign_in(client, world, persona)
    page = client.get(reverse("account:settings"), HTTP_ACCEPT_LANGUAGE="en")
    assert "Change password" in page.content.decode()
    assert reverse("account:password").encode() in page.content


def test_changing_the_password_keeps_this_session(client: Client, world: World) -> None:
    sign_in(client, world, "member")
    other_browser = Client()
    sign_in(other_browser, world, "member")
    response = client.post(
        reverse("account:password"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account:settings")
    user = User.objects.get(pk=world.member.user.pk)
    assert user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(action="change_password", actor=user).exists()
    assert client.get(reverse("my_okrs")).status_code == 200
    assert other_browser.get(reverse("my_okrs")).status_code == 302  # signed out there


def test_a_wrong_current_password_changes_nothing(client: Client, world: World) -> None:
    sign_in(client, world, "member")
    response = client.post(
        reverse("account:password"),
        {"old_password": "wrong", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Your old password was entered incorrectly" in response.content.decode()
    assert User.objects.get(pk=world.member.user.pk).check_password(PASSWORD)


def test_the_password_page_needs_a_signed_in_person(client: Client, world: World) -> None:
    response = client.get(reverse("account:password"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    sign_in(client, world, "member")
    assert client.put(reverse("account:password")).status_code == 405


# --- How often a link may be asked for --------------------------------------------------------


def test_a_fourth_link_for_the_same_email_within_the_hour_is_refused(
    client: Client, with_emails: World
) -> None:
    for _ in range(3):
        assert ask_for_a_link(client, "member@saoviet.example").status_code == 302
    refused = ask_for_a_link(client, "MEMBER@saoviet.example")
    assert refused.status_code == 200
    assert "Too many links were asked for this hour" in refused.content.decode()
    assert len(mail.outbox) == 3


def test_the_limit_is_the_same_for_an_email_without_an_account(
    client: Client, with_emails: World
) -> None:
    answers = [ask_for_a_link(client, "nobody@saoviet.example").status_code for _ in range(4)]
    assert answers == [302, 302, 302, 200]
    assert mail.outbox == []


def test_one_address_may_ask_for_ten_links_an_hour_whatever_the_emails(
    client: Client, with_emails: World
) -> None:
    with time_machine.travel(NOON, tick=False) as traveller:
        answers = [
            ask_for_a_link(client, f"person{number}@saoviet.example").status_code
            for number in range(11)
        ]
        assert answers == [302] * 10 + [200]
        traveller.shift(datetime.timedelta(hours=1))
        assert ask_for_a_link(client, "member@saoviet.example").status_code == 302
    assert len(mail.outbox) == 1


def test_the_refusal_is_in_the_readers_language(client: Client, with_emails: World) -> None:
    for _ in range(3):
        ask_for_a_link(client, "lead@saoviet.example")
    refused = client.post(
        reverse("signin:password_forgot"),
        {"email": "lead@saoviet.example"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert "Quá nhiều" in refused.content.decode()
