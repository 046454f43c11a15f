"""The calendar feed: a secret, revocable iCalendar address with a person's own dates."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine
from django.test import Client
from icalendar import Calendar

from okrflow.audit.models import AuditEntry
from okrflow.checkins.actions.calendar_feed import (
    find_feed,
    turn_off_calendar_feed,
    turn_on_calendar_feed,
)
from okrflow.checkins.models import CalendarFeed
from okrflow.cycles.models import Cycle
from okrflow.okrs.actions import create_key_result
from tests.conftest import PASSWORD, World, make_objective

PERSONAS = ["admin", "lead", "member", "outsider"]
VN = datetime.timezone(datetime.timedelta(hours=7))
MAY = datetime.datetime(2026, 5, 13, 10, 0, tzinfo=VN)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(MAY, tick=False):
        yield


def as_(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def feed_url(token: str) -> str:
    return f"/account/calendar/{token}.ics"


def events_of(body: bytes) -> dict[str, object]:
    """Parse the feed back with the icalendar package; return its events by UID."""
    calendar = Calendar.from_ical(body)
    assert calendar["version"] == "2.0"
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def starts(events: dict[str, object]) -> set[object]:
    return {event.decoded("dtstart") for event in events.values()}  # type: ignore[attr-defined]


def description_on(events: dict[str, object], day: datetime.date) -> str:
    """The description of the check-in deadline that falls on `day` (17:00 in Hồ Chí Minh City)."""
    moment = datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=datetime.UTC)
    event = next(e for e in events.values() if e.decoded("dtstart") == moment)  # type: ignore[attr-defined]
    return str(event["description"])  # type: ignore[index]


# ---------------------------------------------------------------- the address


def test_feed_needs_no_session_and_its_uids_are_stable(world: World, frozen: None) -> None:
    make_objective(world, world.member)
    token = turn_on_calendar_feed(world.member.user, world.member)
    anonymous = Client()
    first = events_of(anonymous.get(feed_url(token)).content)
    second = events_of(anonymous.get(feed_url(token)).content)
    assert first and set(first) == set(second)
    assert starts(first) == starts(second)
    # The 30/4 and 1/5 holidays move Friday 1/5/2026 to Wednesday 29/4.
    moments = starts(first)
    assert datetime.datetime(2026, 4, 29, 10, 0, tzinfo=datetime.UTC) in moments
    assert datetime.datetime(2026, 5, 1, 10, 0, tzinfo=datetime.UTC) not in moments
    # The moved entry says from which day, written as the person's language writes dates.
    assert "1 May 2026" in description_on(first, datetime.date(2026, 4, 29))
    world.member.language = "vi"
    world.member.save()
    again = events_of(anonymous.get(feed_url(token)).content)
    assert "01/05/2026" in description_on(again, datetime.date(2026, 4, 29))


def test_feed_is_in_the_persons_language(world: World, frozen: None) -> None:
    make_objective(world, world.member)
    token = turn_on_calendar_feed(None, world.member)
    summaries = {
        str(e["summary"]) for e in events_of(Client().get(feed_url(token)).content).values()
    }
    assert any(s.startswith("Check-in due") for s in summaries)
    world.member.language = "vi"
    world.member.save()
    summaries = {
        str(e["summary"]) for e in events_of(Client().get(feed_url(token)).content).values()
    }
    assert any(s.startswith("Hạn check-in") for s in summaries)
    assert any(s.startswith("Hạn kết quả then chốt") for s in summaries)


def test_secret_is_stored_hashed_and_never_audited(world: World) -> None:
    token = turn_on_calendar_feed(world.member.user, world.member)
    row = CalendarFeed.objects.get(person=world.member)
    assert token[12:] not in row.secret_hash and row.secret_hash != token
    assert len(row.secret_hash) == 64
    for entry in AuditEntry.objects.all():
        assert token[12:] not in f"{entry.before} {entry.after} {entry.summary}"
    assert find_feed(token) == row
    assert find_feed(token[:-1] + ("A" if token[-1] != "A" else "B")) is None


@pytest.mark.parametrize(
    "token",
    [
        "",
        "short",
        "x" * 200,
        "NoSuchCalendarFeedToken-0123456789",
        "abc def ghi jkl",
        "ĐĐĐĐĐĐĐĐĐĐĐĐĐĐĐ",
    ],
)
def test_unknown_or_malformed_address_is_404(client: Client, world: World, token: str) -> None:
    turn_on_calendar_feed(None, world.member)
    assert client.get(feed_url(token)).status_code == 404


def test_regenerate_and_turn_off_kill_the_old_address(world: World, frozen: None) -> None:
    client = Client()
    first = turn_on_calendar_feed(world.member.user, world.member)
    assert client.get(feed_url(first)).status_code == 200
    second = turn_on_calendar_feed(world.member.user, world.member)
    assert client.get(feed_url(first)).status_code == 404
    assert client.get(feed_url(second)).status_code == 200
    assert CalendarFeed.objects.filter(person=world.member).count() == 1
    assert turn_off_calendar_feed(world.member.user, world.member)
    assert client.get(feed_url(second)).status_code == 404
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions[-3:] == [
        "turn_on_calendar_feed",
        "regenerate_calendar_feed",
        "turn_off_calendar_feed",
    ]


def test_deactivated_persons_feed_is_404(world: World, frozen: None) -> None:
    token = turn_on_calendar_feed(None, world.member)
    world.member.user.is_active = False
    world.member.user.save()
    assert Client().get(feed_url(token)).status_code == 404


def test_nobody_manages_another_persons_feed(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        turn_on_calendar_feed(world.admin.user, world.member)
    assert not CalendarFeed.objects.exists()


def test_feed_never_shows_what_the_person_may_not_see(world: World, frozen: None) -> None:
    # The member owns a key result inside the sales head's private objective they cannot see.
    secret = make_objective(
        world, world.sales_head, "Zqv acquire the rival agency", is_private=True
    )
    hidden = create_key_result(
        None,
        secret,
        title="Zqv sign the term sheet",
        start_value=0,
        target_value=1,
        owner=world.member,
    ).value
    mine = make_objective(world, world.member, "Grow the audience")
    make_objective(world, world.lead, "Zqv the lead's own plan")
    token = turn_on_calendar_feed(None, world.member)
    body = Client().get(feed_url(token)).content.decode()
    assert "Zqv" not in body
    assert f"kr-due-{hidden.pk}@" not in body
    assert f"#kr-{mine.key_results.get().pk}" in body


# ---------------------------------------------------------------- the settings panel


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_persona_turns_the_feed_on_sees_it_once_and_turns_it_off(
    client: Client, world: World, persona: str
) -> None:
    person = getattr(world, persona)
    as_(client, world, persona)
    page = client.get("/account/").content.decode()
    assert "Turn on the calendar feed" in page
    response = client.post("/account/calendar/on/")
    assert response.status_code == 302 and response["Location"].endswith("#calendar-feed")
    feed = CalendarFeed.objects.get(person=person)
    feed.refresh_from_db()
    assert AuditEntry.objects.filter(
        action="turn_on_calendar_feed", actor=person.user, object_id=feed.pk
    ).exists()
    page = client.get("/account/").content.decode()
    assert "/account/calendar/" in page and ".ics" in page and "Copy" in page
    address = page.split('id="calendar-address" type="text" readonly size="60" value="')[1]
    address = address.split('"')[0]
    assert Client().get(address).status_code == 200
    again = client.get("/account/").content.decode()
    assert ".ics" not in again  # shown once only
    assert "Regenerate" in again and "Turn off" in again
    assert client.post("/account/calendar/off/").status_code == 302
    assert not CalendarFeed.objects.filter(person=person).exists()
    assert AuditEntry.objects.filter(action="turn_off_calendar_feed", actor=person.user).exists()
    assert Client().get(address).status_code == 404


def test_regenerate_from_the_panel_says_the_old_address_stopped(
    client: Client, world: World
) -> None:
    as_(client, world, "member")
    client.post("/account/calendar/on/")
    old = CalendarFeed.objects.get().selector
    response = client.post("/account/calendar/on/", follow=True)
    assert "the old one no longer works" in response.content.decode()
    assert CalendarFeed.objects.get().selector != old


def test_turning_off_twice_says_it_was_off(client: Client, world: World) -> None:
    as_(client, world, "member")
    response = client.post("/account/calendar/off/", follow=True)
    assert "already off" in response.content.decode()
    assert not AuditEntry.objects.filter(action="turn_off_calendar_feed").exists()


@pytest.mark.parametrize("url", ["/account/calendar/on/", "/account/calendar/off/"])
def test_panel_buttons_refuse_get_and_anonymous(client: Client, world: World, url: str) -> None:
    response = client.post(url)
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert not CalendarFeed.objects.exists()
    assert as_(client, world, "member").get(url).status_code == 405


def test_account_without_a_person_cannot_turn_it_on(client: Client, world: World) -> None:
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("loner", password=PASSWORD)
    assert client.login(username="loner", password=PASSWORD)
    assert client.get("/account/").status_code == 200
    assert client.post("/account/calendar/on/").status_code == 403
    assert not CalendarFeed.objects.exists()


def test_planned_cycle_shows_its_rhythm(world: World, frozen: None) -> None:
    Cycle.objects.create(
        name="Q3 2026",
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2026, 9, 30),
        state="draft",
    )
    token = turn_on_calendar_feed(None, world.outsider)  # no key results: owes no check-in now
    events = events_of(Client().get(feed_url(token)).content)
    assert events
    assert all("Q3 2026" in str(event["summary"]) for event in events.values())
