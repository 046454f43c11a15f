"""In the scaled shape, many commits wait on one Redis list and publish one task between them;
the task refreshes the union of their changes once (issue #14)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okrflow.background import app
from okrflow.insights import live_updates
from okrflow.insights.live_updates import Changes, WaitingRoom, people_and_recount, waiting_room
from okrflow.insights.models import InsightTotal, ObjectiveSnapshot
from okrflow.insights.snapshots import refresh_cycle
from okrflow.okrs.models import KeyResult
from tests.conftest import World
from tests.insights.conftest import check_in, record_weekly
from tests.insights.test_snapshots import two_teams
from tests.webhooks.conftest import (  # noqa: F401
    IN_CI,
    REDIS_URL,
    Queue,
    clean_redis,
    embedded_queue,
    redis_answers,
    redis_queue,
    use_broker,
    wait_for,
)


def redis_client() -> Any:
    import redis

    return redis.Redis.from_url(REDIS_URL)


@pytest.fixture
def room() -> Iterator[WaitingRoom]:
    """The waiting room on the real Redis, under a key prefix of this test's own."""
    if not redis_answers():
        if IN_CI:
            pytest.fail("Redis does not answer at 127.0.0.1:6379")
        pytest.skip("Redis does not answer at 127.0.0.1:6379")
    name = f"okrflow-test-{uuid.uuid4().hex[:12]}"
    saved = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_default_queue)
    use_broker(REDIS_URL, {"global_keyprefix": f"{name}:"}, name)
    try:
        found = waiting_room()
        assert found is not None
        yield found
    finally:
        use_broker(*saved)
        clean_redis(f"{name}:")


def touching(*objectives: int, valued: int | None = None) -> Changes:
    changes = Changes()
    for pk in objectives:
        changes.add_values("objective", pk, "update_objective", {}, {"owner": pk + 100})
    if valued is not None:
        changes.add_values("keyresult", valued, "record_key_result_value", {}, {})
    return changes


def test_only_the_first_push_since_the_last_take_kicks_and_a_push_after_the_take_kicks_again(
    room: WaitingRoom,
) -> None:
    client = redis_client()
    first, second, third = touching(1, 2), touching(3, valued=7), touching(4)
    assert room.push(first) is True  # publishes the task
    assert room.push(second) is False  # the task on its way takes it too
    assert client.ttl(room.kick) > 0  # a lost message holds the refresh back this long at most
    union = Changes()
    union.update(first)
    union.update(second)
    assert room.take() == union
    assert not client.exists(room.kick) and client.llen(room.waiting) == 0
    # A commit after the task dropped the kick publishes a task of its own.
    assert room.push(third) is True
    assert room.take() == third
    # A push whose RPUSH the take got but whose SET NX came after it kicks a task that finds
    # nothing: wasted, never a change left behind.
    client.rpush(room.waiting, '{"objectives": [9]}')
    assert room.take().objectives == {9}
    assert room.push(Changes()) is True and room.take() == Changes()


def test_a_long_wait_is_taken_whole(room: WaitingRoom) -> None:
    pushed = [touching(pk) for pk in range(1, live_updates.TAKE * 2 + 6)]
    for changes in pushed:
        room.push(changes)
    taken = room.take()
    assert taken.ids["objective"] == set(range(1, live_updates.TAKE * 2 + 6))
    assert redis_client().llen(room.waiting) == 0


def stored(cycle: Any) -> tuple[dict[int, tuple[float, str]], dict[Any, Any]]:
    objectives = {
        row.objective_id: (round(row.progress, 9), row.status)
        for row in ObjectiveSnapshot.objects.filter(cycle=cycle)
    }
    sums = {
        (row.unit_id, row.bucket): {name: round(value, 6) for name, value in row.figures.items()}
        for row in InsightTotal.objects.filter(cycle=cycle)
        if row.figures
    }
    return objectives, sums


def test_many_commits_publish_one_task_which_refreshes_all_their_changes(
    redis_queue: Queue,  # noqa: F811
    world: World,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 1  # a "large" cycle: its pages never refresh it
    redis_queue.env["OKRFLOW_INSIGHTS_LIVE_LIMIT"] = "1"
    okrs = two_teams(world)
    deals = KeyResult.objects.get(title="Deals")
    refresh_cycle(world.cycle)
    before = stored(world.cycle)
    settings.BROKER_URL = REDIS_URL  # the scaled shape from here on
    settings.INSIGHTS_REFRESH_QUEUED = True
    name = redis_queue.env["OKRFLOW_QUEUE_NAME"]
    prefix = redis_queue.env["OKRFLOW_QUEUE_KEY_PREFIX"]
    client = redis_client()
    record_weekly(okrs["visits"], [90], first_week=8)  # three commits, three people's work
    record_weekly(deals, [70], first_week=8)
    check_in(world, world.member, 8, {okrs["visits"]: (95, "high", "")})
    assert client.llen(f"{prefix}{name}") == 1  # one message for the three commits
    assert client.llen(f"{prefix}{name}:{live_updates.WAITING_KEY}") == 3
    assert stored(world.cycle) == before  # nothing refreshed in the requests
    redis_queue.start("worker")

    def done() -> bool:
        return not any(
            client.exists(key)
            for key in (
                f"{prefix}{name}",
                f"{prefix}unacked",  # the task is acknowledged once it has run
                f"{prefix}{name}:{live_updates.WAITING_KEY}",
                f"{prefix}{name}:{live_updates.KICK_KEY}",
            )
        )

    wait_for(done, "the worker to take the waiting changes and finish")
    live = stored(world.cycle)
    assert live[0][okrs["marketing"].pk] != before[0][okrs["marketing"].pk]
    assert live[0][okrs["sales"].pk] != before[0][okrs["sales"].pk]
    refresh_cycle(world.cycle)  # from scratch
    assert live == stored(world.cycle)


def test_a_redis_that_does_not_answer_leaves_the_change_saved_and_is_logged(
    transactional_db: None,
    world: World,
    settings,  # type: ignore[no-untyped-def]
    caplog: pytest.LogCaptureFixture,
) -> None:
    okrs = two_teams(world)
    nowhere = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    saved = (app.conf.broker_url, app.conf.broker_transport_options, app.conf.task_default_queue)
    use_broker(nowhere, {}, "okrflow-nowhere")
    settings.BROKER_URL = nowhere
    settings.INSIGHTS_REFRESH_QUEUED = True
    try:
        with caplog.at_level(logging.ERROR, logger="okrflow.insights.live_updates"):
            record_weekly(okrs["visits"], [90], first_week=8)
    finally:
        use_broker(*saved)
    visits = KeyResult.objects.get(pk=okrs["visits"].pk)
    assert visits.current_value == 90
    assert any("Could not queue the refresh" in r.getMessage() for r in caplog.records)


def test_the_embedded_shape_refreshes_in_the_process_and_leaves_redis_alone(
    room: WaitingRoom,
    transactional_db: None,
    world: World,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 1
    settings.BROKER_URL = ""
    settings.INSIGHTS_REFRESH_QUEUED = False
    settings.REDIS_URL = REDIS_URL  # Redis at hand (the cache's), no broker
    okrs = two_teams(world)
    refresh_cycle(world.cycle)
    record_weekly(okrs["visits"], [90], first_week=8)
    row = ObjectiveSnapshot.objects.get(objective=okrs["marketing"])
    assert row.progress == pytest.approx(0.90)  # refreshed after the commit, in this process
    assert not redis_client().exists(room.waiting, room.kick)


def test_on_postgresql_the_ids_go_in_one_statement_whatever_their_number(db: None) -> None:
    """`among` sends one array on PostgreSQL: no 5,000-id pieces (SQLite's parameter cap)."""
    changes = Changes()
    changes.ids["checkin"] = set(range(1, 12_001))
    with CaptureQueriesContext(connection) as queries:
        people, _ = people_and_recount(changes)
    assert people == set()
    assert len(queries) == (1 if connection.vendor == "postgresql" else 3)


def test_the_embedded_shape_with_its_worker_leaves_the_refresh_to_it_on_the_filesystem_queue(
    embedded_queue: Queue,  # noqa: F811
    world: World,
    settings,  # type: ignore[no-untyped-def]
) -> None:
    """`dev.py run` starts a worker beside the server and sets OKRFLOW_INSIGHTS_REFRESH_QUEUED:
    a check-in's request then answers without updating a large cycle's stored insights, and
    the worker does it from kombu's filesystem queue (no Redis: one message per commit)."""
    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 1
    embedded_queue.env["OKRFLOW_INSIGHTS_LIVE_LIMIT"] = "1"
    settings.BROKER_URL = ""
    settings.REDIS_URL = ""
    okrs = two_teams(world)
    refresh_cycle(world.cycle)
    before = stored(world.cycle)
    settings.INSIGHTS_REFRESH_QUEUED = True
    record_weekly(okrs["visits"], [90], first_week=8)
    check_in(world, world.member, 8, {okrs["visits"]: (95, "high", "")})
    assert stored(world.cycle) == before  # nothing refreshed in the requests
    messages = embedded_queue.tmp / "queue" / "messages"
    assert len(list(messages.iterdir())) == 2  # one message per commit
    embedded_queue.start("worker")
    wait_for(lambda: not any(messages.iterdir()), "the worker to take both messages")
    wait_for(
        lambda: stored(world.cycle)[0][okrs["marketing"].pk] != before[0][okrs["marketing"].pk],
        "the worker to refresh the marketing objective",
    )
    live = stored(world.cycle)
    refresh_cycle(world.cycle)  # from scratch
    assert live == stored(world.cycle)
