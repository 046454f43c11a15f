"""Webhooks delivered by a real Celery worker process to a real local HTTP receiver."""

from __future__ import annotations

from pathlib import Path

from okrflow.okrs.actions import create_objective, record_key_result_value
from okrflow.webhooks import events, signing
from okrflow.webhooks.actions import create_subscription, send_test_event
from okrflow.webhooks.models import Attempt, Delivery, DeliveryState, Subscription
from tests.conftest import World
from tests.webhooks.conftest import Queue, Receiver, wait_for


def subscribe(world: World, receiver: Receiver, **extra: object) -> Subscription:
    fields = {
        "name": "Receiver",
        "url": receiver.url,
        "events": [events.OBJECTIVE_CREATED],
        "language": "en",
    } | extra
    return create_subscription(world.admin.user, **fields)


def delivered(delivery: Delivery) -> bool:
    delivery.refresh_from_db()
    return delivery.state == DeliveryState.DELIVERED


def test_an_event_arrives_signed_and_the_signature_verifies(
    redis_queue: Queue, world: World, receiver: Receiver
) -> None:
    subscription = subscribe(world, receiver)
    redis_queue.start("worker")
    objective = create_objective(
        world.lead.user, cycle=world.cycle, title="Grow the newsletter", owner=world.lead
    ).value

    wait_for(receiver.count, "the receiver to get the event")
    request = receiver.requests[0]
    assert signing.verify(
        subscription.secret,
        request.headers["X-Okrflow-Timestamp"],
        request.body,
        request.headers["X-Okrflow-Signature"],
    )
    assert not signing.verify(
        "whsec_wrong",
        request.headers["X-Okrflow-Timestamp"],
        request.body,
        request.headers["X-Okrflow-Signature"],
    )
    body = request.json()
    assert body["event"] == events.OBJECTIVE_CREATED
    assert body["data"]["objective"]["id"] == objective.pk
    assert body["data"]["objective"]["title"] == "Grow the newsletter"
    delivery = Delivery.objects.get(subscription=subscription)
    assert body["delivery_id"] == str(delivery.delivery_id)
    assert request.headers["X-Okrflow-Delivery"] == str(delivery.delivery_id)
    wait_for(lambda: delivered(delivery), "the delivery to be marked delivered")
    attempt = Attempt.objects.get(delivery=delivery)
    assert attempt.succeeded and attempt.response_code == 200


def test_a_500_is_retried_with_backoff_until_it_succeeds(
    redis_queue: Queue, world: World, receiver: Receiver
) -> None:
    receiver.answers = [500, 500]
    subscription = subscribe(world, receiver)
    redis_queue.start("worker")
    create_objective(world.lead.user, cycle=world.cycle, title="Retry me", owner=world.lead)

    delivery = wait_for(
        lambda: Delivery.objects.filter(subscription=subscription).first(), "a delivery"
    )
    wait_for(lambda: delivered(delivery), "the third attempt to succeed")
    log = list(Attempt.objects.filter(delivery=delivery).order_by("at", "id"))
    assert [a.response_code for a in log] == [500, 500, 200]
    assert [a.succeeded for a in log] == [False, False, True]
    assert all(len(a.response_excerpt) <= 1024 for a in log)
    assert len(log[0].response_excerpt) == 1024  # the receiver sent 5,000 bytes: 1 KB kept
    assert receiver.unique_ids() == {str(delivery.delivery_id)}
    subscription.refresh_from_db()
    assert subscription.consecutive_failures == 0


def test_a_receiver_that_hangs_times_out_and_three_failures_pause_the_subscription(
    redis_queue: Queue, world: World, receiver: Receiver, tmp_path: Path
) -> None:
    receiver.hang = True
    world.admin.user.email = "admin@example.com"
    world.admin.user.save(update_fields=["email"])
    subscription = subscribe(world, receiver)
    redis_queue.start("worker")
    create_objective(world.lead.user, cycle=world.cycle, title="Hang", owner=world.lead)

    def paused() -> bool:
        subscription.refresh_from_db()
        return subscription.is_paused

    wait_for(paused, "the subscription to pause after 3 failures")
    log = list(Attempt.objects.filter(delivery__subscription=subscription).order_by("at"))
    assert len(log) == 3
    assert all(a.error.startswith("timed out") and a.response_code is None for a in log)
    delivery = Delivery.objects.get(subscription=subscription)
    assert delivery.state == DeliveryState.PENDING  # it waits for the resume

    # Its owner is told, by email through the queue.
    # The worker may still be writing the file when it appears: wait for the whole message.
    def pause_emails() -> list[str]:
        texts = [path.read_text() for path in (tmp_path / "emails").glob("*.log")]
        return [text for text in texts if "admin@example.com" in text and "paused" in text]

    assert wait_for(pause_emails, "the pause email")


def test_a_slack_subscription_gets_a_readable_message_in_its_language(
    redis_queue: Queue, world: World, receiver: Receiver
) -> None:
    subscribe(
        world,
        receiver,
        message_format="slack",
        language="vi",
        events=[events.VALUE_RECORDED, events.RISK_RAISED],
    )
    redis_queue.start("worker")
    objective = create_objective(
        world.lead.user, cycle=world.cycle, title="Tăng lượng khách", owner=world.lead
    ).value
    from okrflow.okrs.actions import create_key_result

    kr = create_key_result(
        world.lead.user,
        objective,
        title="Đạt 100 khách hàng",
        owner=world.lead,
        start_value=0,
        target_value=100,
    ).value
    record_key_result_value(world.lead.user, kr, value="5")

    wait_for(receiver.count, "the Slack message")
    texts = sorted(r.json()["text"] for r in receiver.requests)
    assert any("đã ghi nhận 5" in text and "Đạt 100 khách hàng" in text for text in texts), texts


def test_a_killed_worker_loses_no_delivery(
    redis_queue: Queue, world: World, receiver: Receiver
) -> None:
    receiver.delay = 0.3  # each answer takes a moment: the kill lands mid-way
    subscription = subscribe(world, receiver)
    for number in range(12):
        create_objective(
            world.lead.user, cycle=world.cycle, title=f"Objective {number}", owner=world.lead
        )
    redis_queue.start("beat")
    first = redis_queue.start("worker")
    wait_for(lambda: receiver.count() >= 3, "the first deliveries")
    redis_queue.kill(first)
    assert (
        Delivery.objects.filter(subscription=subscription)
        .exclude(state=DeliveryState.DELIVERED)
        .exists()
    )

    redis_queue.start("worker")
    wait_for(
        lambda: (
            Delivery.objects.filter(
                subscription=subscription, state=DeliveryState.DELIVERED
            ).count()
            == 12
        ),
        "every delivery after the restart",
    )
    expected = {
        str(d)
        for d in Delivery.objects.filter(subscription=subscription).values_list(
            "delivery_id", flat=True
        )
    }
    assert len(expected) == 12
    assert receiver.unique_ids() == expected  # each exactly once, once duplicates are dropped


def test_the_embedded_broker_needs_no_server(
    embedded_queue: Queue, world: World, receiver: Receiver
) -> None:
    subscription = subscribe(world, receiver, events=[events.OBJECTIVE_CREATED])
    embedded_queue.start("worker")
    delivery = send_test_event(world.admin.user, subscription)
    wait_for(lambda: delivered(delivery), "the test event through the filesystem broker")
    assert receiver.requests[0].json()["event"] == events.TEST
