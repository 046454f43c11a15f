"""A person's settings page (/account/): everyone signed in has one; it shows only their own."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, World


@pytest.mark.parametrize("persona", ["admin", "lead", "member", "outsider"])
def test_every_signed_in_person_opens_their_settings(
    client: Client, world: World, persona: str
) -> None:
    person = getattr(world, persona)
    assert client.login(username=person.user.username, password=PASSWORD)
    response = client.get(reverse("account:settings"))
    assert response.status_code == 200
    assert person.full_name in response.content.decode()
    assert reverse("account:settings").encode() in response.content  # the top bar's name links here


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, world: World) -> None:
    response = client.get(reverse("account:settings"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
