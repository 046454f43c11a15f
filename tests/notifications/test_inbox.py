"""The inbox, the top bar's count and the preferences panel, for the four personas."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from okrflow.audit.models import AuditEntry
from okrflow.notifications.actions import notify
from okrflow.notifications.kinds import Kind
from okrflow.notifications.models import Notification, NotificationPreference
from tests.conftest import PASSWORD, World, make_objective

PERSONAS = ("admin", "lead", "member", "outsider")


def signed_in(client: Client, person) -> Client:  # type: ignore[no-untyped-def]
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def comment_for(world: World, person, number: int, objective=None):  # type: ignore[no-untyped-def]
    objective = objective or make_objective(world, world.ceo, f"Objective {number}")
    return notify(
        person,
        Kind.COMMENT,
        source_key=f"comment:{number}",
        objective=objective,
        params={
            "author": "Ceo",
            "excerpt": f"Zqv{person.user.username} note {number}",
            "on": objective.title,
            "comment_id": number,
        },
        url=f"/objectives/{objective.pk}/",
    )


@pytest.fixture
def everyone_told(world: World) -> dict[str, Notification]:
    objective = make_objective(world, world.ceo)
    return {
        persona: comment_for(world, getattr(world, persona), index, objective)
        for index, persona in enumerate(PERSONAS, start=1)
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_person_sees_only_their_own_notifications(
    client: Client, world: World, everyone_told: dict[str, Notification], persona: str
) -> None:
    signed_in(client, getattr(world, persona))
    page = client.get(reverse("notifications:inbox")).content.decode()
    for other in PERSONAS:
        marker = f"Zqv{getattr(world, other).user.username} note"
        assert (marker in page) == (other == persona)
    assert 'class="notifications-count" data-unread="1"' in page
    for other, notification in everyone_told.items():
        response = client.post(reverse("notifications:read", args=[notification.pk]))
        notification.refresh_from_db()
        if other == persona:
            assert response.status_code == 302
            assert notification.read_at is not None
        else:
            assert response.status_code == 404
            assert notification.read_at is None


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, world: World) -> None:
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_the_inbox_lists_newest_first_with_filters_and_pages(client: Client, world: World) -> None:
    objective = make_objective(world, world.ceo)
    made = [comment_for(world, world.member, n, objective) for n in range(1, 31)]
    made[0].read_at = made[0].created_at
    made[0].save()
    signed_in(client, world.member)
    first = client.get(reverse("notifications:inbox")).content.decode()
    assert first.index("note 30") < first.index("note 29")
    assert "note 5" not in first  # page 2
    assert "Page 1 of 2" in first
    second = client.get(reverse("notifications:inbox"), {"page": 2}).content.decode()
    assert "note 1”" in second
    unread = client.get(reverse("notifications:inbox"), {"show": "unread", "page": 2}).content
    assert "note 1”" not in unread.decode()
    assert 'data-unread="29"' in first
    odd = client.get(reverse("notifications:inbox"), {"show": "<b>", "page": "x"})
    assert odd.status_code == 200


def test_the_inbox_takes_the_same_queries_however_many_notifications(
    client: Client, world: World
) -> None:
    signed_in(client, world.member)
    objective = make_objective(world, world.ceo)
    comment_for(world, world.member, 1, objective)
    url = reverse("notifications:inbox")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for number in range(2, 26):
        comment_for(world, world.member, number)
    with CaptureQueriesContext(connection) as big:
        response = client.get(url)
    assert response.status_code == 200
    assert len(big) == len(small)
    assert len(big) <= 14


def test_mark_one_read_with_htmx_swaps_the_entry_and_the_count(
    client: Client, world: World
) -> None:
    first = comment_for(world, world.member, 1)
    comment_for(world, world.member, 2)
    signed_in(client, world.member)
    response = client.post(reverse("notifications:read", args=[first.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="notification-{first.pk}"' in body
    assert "notification-unread" not in body
    assert 'hx-swap-oob="true"' in body and 'data-unread="1"' in body
    first.refresh_from_db()
    assert first.read_at is not None
    assert AuditEntry.objects.filter(action="read_notification", object_id=first.pk).exists()
    assert client.get(reverse("notifications:read", args=[first.pk])).status_code == 405


def test_mark_all_read(client: Client, world: World) -> None:
    for number in (1, 2, 3):
        comment_for(world, world.member, number)
    comment_for(world, world.lead, 4)
    signed_in(client, world.member)
    response = client.post(reverse("notifications:read_all"), {"show": "unread"})
    assert response.status_code == 302
    assert response["Location"] == "/notifications/?show=unread"
    assert Notification.objects.filter(recipient=world.member, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(recipient=world.lead, read_at__isnull=True).count() == 1
    page = client.get(reverse("notifications:inbox"), {"show": "unread"}).content.decode()
    assert "Nothing unread." in page
    assert "notifications-count" not in page


def test_a_notification_on_an_objective_made_private_since_drops_out_of_sight(
    client: Client, world: World
) -> None:
    objective = make_objective(world, world.member, "Zqvsoon private")
    notification = comment_for(world, world.sales_head, 1, objective)
    type(objective).objects.filter(pk=objective.pk).update(is_private=True)
    signed_in(client, world.sales_head)
    assert "Zqvsoon private" not in client.get(reverse("notifications:inbox")).content.decode()
    assert client.post(reverse("notifications:read", args=[notification.pk])).status_code == 404


def test_preferences_are_saved_through_the_action_with_an_audit_row(
    client: Client, world: World
) -> None:
    signed_in(client, world.member)
    page = client.get(reverse("account:settings")).content.decode()
    assert 'id="notifications"' in page
    assert 'name="kind-comment"' in page
    url = reverse("account:notification_preferences")
    response = client.post(url, {"kind-comment": "email", "kind-risk_raised": "off"})
    assert response.status_code == 302
    assert response["Location"].endswith("#notifications")
    assert dict(
        NotificationPreference.objects.filter(person=world.member).values_list("kind", "channel")
    ) == {"comment": "email", "risk_raised": "off"}
    entry = AuditEntry.objects.get(action="set_notification_preferences")
    assert entry.after == {"comment": "email", "risk_raised": "off"}
    # Back to the default: no row is kept.
    client.post(url, {"kind-comment": "digest"})
    assert not NotificationPreference.objects.filter(kind="comment").exists()


@pytest.mark.parametrize("bad", ["never", "", "<script>", "EMAIL"])
def test_bad_preference_input_saves_nothing(client: Client, world: World, bad: str) -> None:
    signed_in(client, world.member)
    url = reverse("account:notification_preferences")
    response = client.post(url, {"kind-comment": "email", "kind-mention": bad}, follow=True)
    assert response.status_code == 200
    if bad:
        assert "nothing was saved" in response.content.decode()
        assert not NotificationPreference.objects.exists()
    assert client.get(url).status_code == 405


@pytest.mark.parametrize("persona", PERSONAS)
def test_following_a_link_marks_only_ones_own_notification_read(
    client: Client, world: World, everyone_told: dict[str, Notification], persona: str
) -> None:
    signed_in(client, getattr(world, persona))
    own = everyone_told[persona]
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert f'href="{reverse("notifications:open", args=[own.pk])}"' in page
    for other, notification in everyone_told.items():
        response = client.get(reverse("notifications:open", args=[notification.pk]))
        notification.refresh_from_db()
        if other == persona:
            assert response.status_code == 302
            assert response["Location"] == notification.url
            assert notification.read_at is not None
        else:
            assert response.status_code == 404
            assert notification.read_at is None
    assert AuditEntry.objects.filter(action="read_notification").count() == 1
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert f'href="{own.url}"' in page  # once read, the link goes straight to the thing


def test_a_notification_pointing_off_site_opens_the_inbox_instead(
    client: Client, world: World
) -> None:
    notification = comment_for(world, world.member, 1)
    Notification.objects.filter(pk=notification.pk).update(url="https://elsewhere.example/x")
    signed_in(client, world.member)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:inbox")
