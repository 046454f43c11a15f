"""A comment on a private objective never reaches someone who may not see the objective:
not through a page, the mention list, the API, a notification or a webhook payload."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from okrflow.comments.actions import add_comment, edit_comment
from okrflow.notifications.models import Notification
from okrflow.okrs.actions.sharing import follow
from okrflow.webhooks.actions import create_subscription
from okrflow.webhooks.dispatch import dispatch_batch
from okrflow.webhooks.events import SUBSCRIBABLE
from okrflow.webhooks.models import Delivery
from tests.api.conftest import api_for
from tests.conftest import PASSWORD, World, make_objective

SECRET = "Zqvprivatecomment the agency deal"


def private_thread(world: World) -> tuple[object, object]:
    objective = make_objective(world, world.member, "Quiet plan", is_private=True)
    kr = objective.key_results.get()
    add_comment(world.lead.user, objective=objective, body=f"{SECRET} @Outsider @Head Sales")
    comment = add_comment(world.member.user, key_result=kr, body=f"{SECRET} on the KR @Outsider")
    edit_comment(world.member.user, comment, body=f"{SECRET} edited, @Outsider @Head Sales")
    return objective, kr


@pytest.mark.parametrize("persona", ["outsider", "sales_head"])
def test_no_page_or_api_shows_it(client: Client, world: World, persona: str) -> None:
    objective, kr = private_thread(world)
    person = getattr(world, persona)
    assert client.login(username=person.user.username, password=PASSWORD)
    pages = [
        "/",
        "/my/",
        "/company/",
        f"/people/{world.lead.pk}/",
        f"/people/{world.member.pk}/",
        "/search/?q=Zqvprivatecomment",
        f"/objectives/{objective.pk}/",
        f"/insights/key-results/{kr.pk}/",
        f"/comments/objectives/{objective.pk}/people/?q=",
        "/insights/",
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert SECRET not in response.content.decode(), url
    api = api_for(person)
    for path in (
        f"/objectives/{objective.pk}/comments",
        f"/key-results/{kr.pk}/comments",
        "/objectives?limit=200",
        "/key-results?limit=200",
    ):
        assert SECRET not in api.get(path).content.decode(), path
    assert not Notification.objects.filter(recipient=person).exists()


def test_those_who_may_see_it_are_told_and_read_it(client: Client, world: World) -> None:
    objective, _kr = private_thread(world)
    assert Notification.objects.filter(recipient=world.member, kind="comment").exists()
    assert client.login(username=world.ceo.user.username, password=PASSWORD)
    assert SECRET in client.get(f"/objectives/{objective.pk}/").content.decode()


def test_a_follower_who_lost_sight_is_not_told(world: World) -> None:
    objective = make_objective(world, world.member, "Soon private")
    follow(None, person=world.sales_head, objective=objective)
    objective.is_private = True
    objective.save(update_fields=["is_private"])
    add_comment(world.member.user, objective=objective, body=SECRET)
    assert not Notification.objects.filter(recipient=world.sales_head).exists()


def test_webhook_payloads_never_carry_comment_text(world: World) -> None:
    create_subscription(
        None,
        name="Every event",
        url="https://93.184.215.14/hook",
        events=list(SUBSCRIBABLE),
        unit=world.marketing,
    )
    private_thread(world)
    public = make_objective(world, world.member, "Open plan")
    add_comment(world.lead.user, objective=public, body=f"{SECRET} in the open")
    while dispatch_batch():
        pass
    payloads = [json.dumps(d.payload, ensure_ascii=False) for d in Delivery.objects.all()]
    assert any("Open plan" in payload for payload in payloads)  # the dispatcher did run
    assert not any(SECRET in payload for payload in payloads)
