"""What the administration page tests share: signing in as a persona, reading audit rows."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from okrflow.audit.models import AuditEntry
from tests.conftest import PASSWORD, World

NOT_ADMINS = ("lead", "member", "outsider")


def sign_in(client: Client, world: World, persona: str) -> None:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)


def audited(action: str, object_id: int) -> bool:
    return AuditEntry.objects.filter(action=action, object_id=object_id).exists()


def assert_sent_to_sign_in(response: object) -> None:
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"].startswith(reverse("login"))  # type: ignore[index]


def errors_of(response: object) -> str:
    """The text of the form errors a page shows."""
    content = response.content.decode()  # type: ignore[attr-defined]
    return content
