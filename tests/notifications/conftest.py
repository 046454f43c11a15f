"""Shared parts of the notification tests: a frozen mid-cycle day, an eager queue, drafts."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine

from okrflow.background import app
from okrflow.notifications.models import Notification
from okrflow.okrs.models import Objective, ObjectiveState
from tests.conftest import World, make_objective

# The real worker fixtures of the webhook tests serve the notification tests too.
from tests.webhooks.conftest import embedded_queue, redis_queue  # noqa: F401

VN = datetime.timezone(datetime.timedelta(hours=7))
MID_MAY = datetime.datetime(2026, 5, 15, 10, 0, tzinfo=VN)


@pytest.fixture
def mid_may() -> Iterator[None]:
    """Half-way through the world's Q2 2026 cycle, so statuses mean something."""
    with time_machine.travel(MID_MAY, tick=False):
        yield


@pytest.fixture
def eager_queue() -> Iterator[None]:
    """Run enqueued tasks in this process (the worker's own code, without the broker)."""
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    try:
        yield
    finally:
        app.conf.task_always_eager = False
        app.conf.task_eager_propagates = False


def give_emails(world: World) -> None:
    for person in (world.admin, world.ceo, world.lead, world.member, world.sales_head):
        person.user.email = f"{person.user.username}@saoviet.example"
        person.user.save(update_fields=["email"])


def draft(
    world: World, owner: object, title: str = "Know our customers", **extra: object
) -> Objective:
    return make_objective(world, owner, title, state=ObjectiveState.DRAFT, **extra)


def kinds_of(person: object) -> list[str]:
    return list(
        Notification.objects.filter(recipient=person).order_by("id").values_list("kind", flat=True)
    )
