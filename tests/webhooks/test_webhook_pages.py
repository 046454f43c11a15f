"""The administration's webhook pages: admins only, every change through an action with an audit row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from okrflow.audit.models import AuditEntry
from okrflow.webhooks.actions import create_subscription
from okrflow.webhooks.models import Attempt, Delivery, Subscription
from tests.conftest import PASSWORD, World

PUBLIC_URL = "https://93.184.215.14/hook"


def signed_in(client: Client, person) -> Client:  # type: ignore[no-untyped-def]
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def make(world: World, **extra: object) -> Subscription:
    fields = {"name": "CRM", "url": PUBLIC_URL, "events": ["objective.created"]} | extra
    return create_subscription(world.admin.user, **fields)


@pytest.mark.parametrize("persona", ["lead", "member", "outsider"])
def test_only_admins_open_or_change_webhooks(client: Client, world: World, persona: str) -> None:
    subscription = make(world)
    signed_in(client, getattr(world, persona))
    assert client.get(reverse("administration:integrations")).status_code == 403
    assert client.get(reverse("administration:webhook_new")).status_code == 403
    assert client.get(reverse("administration:webhook", args=[subscription.pk])).status_code == 403
    for what in ("pause", "delete", "test", "secret"):
        url = reverse(f"administration:webhook_{what}", args=[subscription.pk])
        assert client.post(url).status_code == 403
    subscription.refresh_from_db()
    assert not subscription.is_paused
    assert Delivery.objects.count() == 0


def test_signed_out_people_are_sent_to_sign_in(client: Client, world: World) -> None:
    response = client.get(reverse("administration:integrations"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_an_admin_creates_a_webhook_and_sees_its_secret_once(client: Client, world: World) -> None:
    signed_in(client, world.admin)
    response = client.post(
        reverse("administration:webhook_new"),
        {
            "name": "CRM",
            "url": PUBLIC_URL,
            "message_format": "slack",
            "language": "en",
            "events": ["objective.created", "risk.raised"],
        },
    )
    subscription = Subscription.objects.get()
    assert response.status_code == 302
    assert subscription.message_format == "slack"
    assert subscription.events == ["objective.created", "risk.raised"]
    assert subscription.owner == world.admin.user
    page = client.get(response["Location"]).content.decode()
    assert subscription.secret in page
    again = client.get(response["Location"]).content.decode()
    assert subscription.secret not in again
    entry = AuditEntry.objects.get(action="create_webhook")
    assert entry.actor == world.admin.user
    assert "secret" not in (entry.after or {})


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.com/hook", "Only http:// and https:// URLs"),
        ("javascript:alert(1)", "Only http:// and https:// URLs"),
        ("http://127.0.0.1:8000/hook", "cannot point at okrflow itself"),
        ("http://10.0.0.5/hook", "private or local address"),
        ("http://169.254.169.254/latest", "private or local address"),
        ("http://[::1]:9999/", "private or local address"),
        ("http://user:pw@93.184.215.14/", "no user name or password"),
        ("http://93.184.215.14:99999/", "not a valid URL"),
        ("", "Enter the URL"),
    ],
)
def test_a_bad_url_is_refused_with_a_clear_message_and_nothing_saved(
    client: Client, world: World, url: str, message: str
) -> None:
    signed_in(client, world.admin)
    response = client.post(
        reverse("administration:webhook_new"),
        {"name": "Bad", "url": url, "events": ["objective.created"]},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Subscription.objects.exists()


def test_the_url_message_is_in_vietnamese_for_a_vietnamese_admin(
    client: Client, world: World
) -> None:
    signed_in(client, world.admin)
    response = client.post(
        reverse("administration:webhook_new"),
        {"name": "Bad", "url": "ftp://x.example/", "events": ["objective.created"]},
        HTTP_ACCEPT_LANGUAGE="vi",
    )
    assert (
        "Chỉ URL http:// và https://" in response.content.decode()
        or "Only http" in response.content.decode()
    )


def test_pause_resume_and_delete_write_audit_rows(client: Client, world: World) -> None:
    subscription = make(world)
    signed_in(client, world.admin)
    client.post(reverse("administration:webhook_pause", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert subscription.is_paused
    client.post(reverse("administration:webhook_resume", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert not subscription.is_paused
    assert (
        client.get(reverse("administration:webhook_pause", args=[subscription.pk])).status_code
        == 405
    )
    client.post(reverse("administration:webhook_delete", args=[subscription.pk]))
    assert not Subscription.objects.exists()
    actions = list(
        AuditEntry.objects.filter(object_type="subscription").values_list("action", flat=True)
    )
    assert sorted(actions) == sorted(
        ["create_webhook", "pause_webhook", "resume_webhook", "delete_webhook"]
    )


def test_an_unknown_webhook_is_404(client: Client, world: World) -> None:
    signed_in(client, world.admin)
    assert client.get(reverse("administration:webhook", args=[999999])).status_code == 404


def test_the_list_and_log_pages_take_a_fixed_number_of_queries(
    client: Client, world: World
) -> None:
    from django.utils import timezone

    signed_in(client, world.admin)
    subscription = make(world)

    def add_deliveries(count: int) -> None:
        for number in range(count):
            delivery = Delivery.objects.create(
                subscription=subscription,
                event="objective.created",
                source_key=f"k{number}-{Delivery.objects.count()}",
                next_attempt_at=timezone.now(),
            )
            Attempt.objects.create(
                delivery=delivery, at=timezone.now(), response_code=500, error="HTTP 500"
            )
        make(world, name=f"Other {Subscription.objects.count()}")

    def counted(url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    detail = reverse("administration:webhook", args=[subscription.pk])
    listing = reverse("administration:integrations")
    add_deliveries(2)
    small = (counted(listing), counted(detail))
    add_deliveries(10)
    assert (counted(listing), counted(detail)) == small
