"""Pages stay light and self-contained: no CDN, no web font, under 300 KB with their assets."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from okrflow.okrs.models import Objective

PAGES = ["/", "/my/", "/company/", "/people/", "/agreements/", "/objectives/new/", "/search/?q=kh"]
BUDGET = 300 * 1024


@pytest.fixture
def demo_client(demo_org, db: None, settings, client: Client) -> Client:  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    assert client.login(username="ceo", password="okrflow")
    return client


def asset_bytes(html: str) -> int:
    """Add up the size of the page's own stylesheets and scripts."""
    total = 0
    for path in re.findall(r'(?:href|src)="/static/([^"]+\.(?:css|js))"', html):
        found = finders.find(path)
        assert found, path
        with open(found, "rb") as handle:
            total += len(handle.read())
    return total


@pytest.mark.parametrize("url", PAGES)
def test_page_is_light_and_offline(demo_client: Client, url: str) -> None:
    response = demo_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html), (
        "a page must not load anything from the internet"
    )
    assert len(response.content) + asset_bytes(html) < BUDGET


def test_objective_and_unit_pages_are_light(demo_client: Client) -> None:
    objective = Objective.objects.filter(owner_unit__isnull=False).first()
    assert objective is not None
    for url in (f"/objectives/{objective.pk}/", f"/units/{objective.owner_unit_id}/"):
        response = demo_client.get(url)
        assert response.status_code == 200
        assert len(response.content) + asset_bytes(response.content.decode()) < BUDGET
