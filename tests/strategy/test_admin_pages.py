"""The Strategy section of the administration pages (/administration/strategy/, #16)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from okrflow.strategy.actions import create_strategy_item
from okrflow.strategy.models import Statement, StrategyItem
from tests.administration.support import NOT_ADMINS, assert_sent_to_sign_in, audited, sign_in
from tests.conftest import World


@pytest.fixture
def item(world: World) -> StrategyItem:
    return create_strategy_item(None, kind="value", name="Devoted to clients")


def urls(item: StrategyItem) -> dict[str, tuple[str, str]]:
    return {
        "page": ("get", reverse("administration:strategy")),
        "statement": ("post", reverse("administration:strategy_statement")),
        "create": ("get", reverse("administration:strategy_item_create", args=["value"])),
        "create_post": ("post", reverse("administration:strategy_item_create", args=["theme"])),
        "edit": ("get", reverse("administration:strategy_item_edit", args=[item.pk])),
        "edit_post": ("post", reverse("administration:strategy_item_edit", args=[item.pk])),
        "archive": ("post", reverse("administration:strategy_item_archive", args=[item.pk])),
        "unarchive": ("post", reverse("administration:strategy_item_unarchive", args=[item.pk])),
        "up": ("post", reverse("administration:strategy_item_up", args=[item.pk])),
        "down": ("post", reverse("administration:strategy_item_down", args=[item.pk])),
    }


DATA = {"name": "Open", "mission": "Clear brands", "vision": "Lead"}


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_only_admins_open_or_change_the_strategy(
    client: Client, world: World, item: StrategyItem, persona: str
) -> None:
    sign_in(client, world, persona)
    for method, url in urls(item).values():
        assert getattr(client, method)(url, DATA).status_code == 403, url
    assert list(StrategyItem.objects.values_list("name", "is_archived")) == [
        ("Devoted to clients", False)
    ]
    assert not Statement.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(
    client: Client, world: World, item: StrategyItem
) -> None:
    for method, url in urls(item).values():
        assert_sent_to_sign_in(getattr(client, method)(url))


def test_unknown_kind_or_item_is_404(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    assert client.get("/administration/strategy/new/slogan/").status_code == 404
    assert client.get("/administration/strategy/999999/").status_code == 404
    assert client.post("/administration/strategy/999999/archive/").status_code == 404


def test_the_admin_edits_the_whole_strategy(
    client: Client, world: World, item: StrategyItem
) -> None:
    sign_in(client, world, "admin")
    page = client.get(reverse("administration:strategy")).content.decode()
    assert "Devoted to clients" in page and "Add a core value" in page
    home = client.get(reverse("administration:home")).content.decode()
    assert reverse("administration:strategy") in home
    response = client.post(
        reverse("administration:strategy_statement"),
        {"mission": "Clear brands", "vision": "Lead Vietnam", "mission_en": "", "vision_en": ""},
    )
    assert response.status_code == 302
    assert Statement.objects.get().vision == "Lead Vietnam"
    response = client.post(
        reverse("administration:strategy_item_create", args=["value"]),
        {"name": "Open and positive", "name_en": "Open", "description": "", "description_en": ""},
    )
    assert response.status_code == 302
    added = StrategyItem.objects.get(name="Open and positive")
    assert audited("create_strategy_item", added.pk)
    client.post(reverse("administration:strategy_item_up", args=[added.pk]))
    assert list(StrategyItem.objects.values_list("name", flat=True)) == [
        "Open and positive",
        "Devoted to clients",
    ]
    client.post(
        reverse("administration:strategy_item_edit", args=[item.pk]),
        {"name": "Devoted", "name_en": "", "description": "Clients first", "description_en": ""},
    )
    client.post(reverse("administration:strategy_item_archive", args=[item.pk]))
    item.refresh_from_db()
    assert (item.name, item.description, item.is_archived) == ("Devoted", "Clients first", True)
    assert audited("archive_strategy_item", item.pk)


def test_bad_input_shows_the_message_and_saves_nothing(
    client: Client, world: World, item: StrategyItem
) -> None:
    sign_in(client, world, "admin")
    create = reverse("administration:strategy_item_create", args=["value"])
    response = client.post(create, {"name": "devoted TO clients"})
    assert response.status_code == 200
    assert (
        "A value or theme named “devoted TO clients” already exists." in response.content.decode()
    )
    response = client.post(create, {"name": ""})
    assert "A value or theme needs a name." in response.content.decode()
    response = client.post(reverse("administration:strategy_statement"), {"mission": "x" * 1001})
    assert response.status_code == 200
    assert "Use at most 1000 characters." in response.content.decode()
    response = client.post(reverse("administration:strategy_item_up", args=[item.pk]))
    assert response.status_code == 302  # told why on the page it goes back to
    assert StrategyItem.objects.count() == 1 and not Statement.objects.exists()


def test_bad_input_is_answered_in_vietnamese(
    client: Client, world: World, item: StrategyItem
) -> None:
    world.admin.language = "vi"
    world.admin.save(update_fields=["language"])
    sign_in(client, world, "admin")
    response = client.post(
        reverse("administration:strategy_item_create", args=["value"]),
        {"name": "Devoted to clients"},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert "Đã có giá trị hoặc chủ đề tên “Devoted to clients”." in response.content.decode()
    assert StrategyItem.objects.count() == 1


def test_the_page_takes_the_same_queries_however_many_values(
    client: Client, world: World, item: StrategyItem
) -> None:
    sign_in(client, world, "admin")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("administration:strategy")).status_code == 200
        return len(captured)

    few = queries()
    for n in range(8):
        create_strategy_item(None, kind="theme" if n % 2 else "value", name=f"Value {n}")
    assert queries() == few
    assert few <= 12
