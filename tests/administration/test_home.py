"""The administration home (/administration/): OKR admins only, a tab per section."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD, World


def sign_in(client: Client, world: World, persona: str) -> None:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 403), ("member", 403), ("outsider", 403)]
)
def test_only_admins_open_the_administration(
    client: Client, world: World, persona: str, status: int
) -> None:
    sign_in(client, world, persona)
    response = client.get(reverse("administration:home"))
    assert response.status_code == status
    if status == 200:
        assert b"Run the organisation" in response.content


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, world: World) -> None:
    response = client.get(reverse("administration:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_top_bar_links_the_administration_for_admins_only(client: Client, world: World) -> None:
    link = reverse("administration:home").encode()
    sign_in(client, world, "admin")
    assert link in client.get(reverse("my_okrs")).content
    client.logout()
    sign_in(client, world, "lead")
    assert link not in client.get(reverse("my_okrs")).content


def test_writes_are_refused(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    assert client.post(reverse("administration:home")).status_code == 405
