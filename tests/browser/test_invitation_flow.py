"""An admin invites a person; the invitee opens the emailed link, sets a password, signs in."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from okrflow.org.actions import create_person
from okrflow.signin.models import Invitation
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import World

pytestmark = pytest.mark.browser

NEW_PASSWORD = "green-tea-morning-58"


def test_an_invited_person_sets_a_password_and_signs_in(
    page, live_server, live_world: World, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.OKRFLOW_BASE_URL = live_server.url
    mail.outbox = []
    lan = create_person(
        None,
        username="lan",
        full_name="Nguyễn Thị Lan",
        email="lan@saoviet.example",
        unit=live_world.marketing,
        language="vi",
    )

    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/administration/invitations/")
    row = page.locator(f"tr[data-person='{lan.pk}']")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(".flash .alert-success")
    assert "lan@saoviet.example" in page.locator(".flash").inner_text()
    assert Invitation.objects.filter(person=lan).count() == 1
    screenshot(page, "invitations-admin-vi")

    # The email went through Django's mail machinery in this process (the live server's thread).
    [message] = mail.outbox
    link = re.search(r"http://\S+/sign-in/invitation/\S+/", message.body).group(0)  # type: ignore[union-attr]
    page.click("form[action='/sign-out/'] button")
    page.wait_for_selector("#id_username")

    page.goto(link)
    page.wait_for_selector("#id_new_password1")
    assert "Nguyễn Thị Lan" in page.locator("h1").inner_text()
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".flash .alert-success")
    screenshot(page, "invitation-accepted-vi")

    page.fill("#id_username", "lan@saoviet.example")
    page.fill("#id_password", NEW_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".topnav")
    assert page.locator(".whoami").inner_text() == "Nguyễn Thị Lan"

    # The link is dead now.
    page.goto(link)
    page.wait_for_selector("[role=alert]")
    assert page.locator("#id_new_password1").count() == 0
