"""Slack and Teams messages, and a unit's weekly check-in digest (written once per week)."""

from __future__ import annotations

import datetime
import json

import pytest

from okrflow.webhooks import chat, events
from okrflow.webhooks.actions import create_subscription
from okrflow.webhooks.delivery import request_body
from okrflow.webhooks.digests import write_weekly_digests
from okrflow.webhooks.models import Delivery
from tests.conftest import World

MONDAY = datetime.date(2026, 5, 11)


@pytest.fixture
def public_address(settings) -> None:  # type: ignore[no-untyped-def]
    settings.WEBHOOK_ALLOW_PRIVATE = False


def digest_subscription(world: World, message_format: str, language: str):  # type: ignore[no-untyped-def]
    return create_subscription(
        world.admin.user,
        name="Marketing channel",
        url="https://93.184.215.14/hook",
        message_format=message_format,
        language=language,
        events=[events.WEEKLY_DIGEST, events.PROPOSAL_AGREED],
        unit=world.marketing,
    )


def test_the_weekly_digest_names_who_checked_in_and_is_written_once(
    db: None, world: World, public_address: None
) -> None:
    subscription = digest_subscription(world, "slack", "vi")
    assert write_weekly_digests(MONDAY) == 1
    assert write_weekly_digests(MONDAY) == 0  # beat ran twice: still one message
    delivery = Delivery.objects.get(subscription=subscription)
    data = delivery.payload["data"]
    assert data["week"] == "2026-05-04"
    assert world.member.full_name in data["missing"]
    assert world.sales_head.full_name not in data["missing"] + data["checked_in"]
    text = json.loads(request_body(delivery))["text"]
    assert text.startswith(f"Check-in của {world.marketing.name} tuần 2026-05-04")
    assert "Chưa check-in" in text and world.member.full_name in text


def test_a_digest_needs_a_unit(db: None, world: World, public_address: None) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        create_subscription(
            world.admin.user,
            name="No unit",
            url="https://93.184.215.14/hook",
            events=[events.WEEKLY_DIGEST],
        )
    assert "The weekly digest needs a unit." in refused.value.messages


def test_a_teams_message_is_an_adaptive_card_in_the_subscriptions_language() -> None:
    data = {
        "objective": {"title": "Grow retention", "state_label": "Active"},
        "comment": "Good scope",
        "url": "https://okr.example.com/objectives/7/",
    }
    body = chat.teams_body(events.PROPOSAL_AGREED, data, "Lan", "en")
    card = body["attachments"][0]["content"]
    assert body["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    texts = [block["text"] for block in card["body"]]
    assert texts[0] == "Lan agreed the objective “Grow retention”"
    assert "Comment: Good scope" in texts
    vietnamese = chat.teams_body(events.PROPOSAL_AGREED, data, "Lan", "vi")
    assert (
        vietnamese["attachments"][0]["content"]["body"][0]["text"]
        == "Lan đã thống nhất mục tiêu “Grow retention”"
    )


def test_a_risk_alert_reads_well_in_slack() -> None:
    data = {"key_result": {"title": "Reach 100 clients"}, "status_after": "off_track"}
    assert chat.slack_body(events.RISK_RAISED, data, "", "en") == {
        "text": "Risk: “Reach 100 clients” is off track"
    }
