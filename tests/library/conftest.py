"""Fixtures for the library tests: the seed article and signed-in clients."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from tests.conftest import PASSWORD, World

# CI clones the repository next to a `shared/` folder holding the seed article.
ARTICLE = (
    Path(__file__).resolve().parents[2] / ".." / "shared" / "seed" / "okr-for-marketing.vi.txt"
)


@pytest.fixture
def article() -> bytes:
    return ARTICLE.read_bytes()


def signed_in(client: Client, world: World, persona: str) -> Client:
    """Sign a persona in ("admin", "lead", "member", "outsider", ...)."""
    person = getattr(world, persona)
    assert client.login(username=person.user.username, password=PASSWORD)
    return client
