"""Co-owners, following and the calendar feed in a real browser.

The specialist finds the content writer with the htmx person picker and makes them co-owner of
one key result; the writer follows the objective; the writer turns on the calendar feed, copies
the address shown once, and a calendar app reads it without a session.
"""

from __future__ import annotations

import urllib.request

import pytest
from icalendar import Calendar

from okrflow.checkins.models import CalendarFeed
from okrflow.okrs.models import CoOwner, Follower
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import World, make_objective

pytestmark = pytest.mark.browser


def test_co_owner_follower_and_calendar_feed(page, live_server, world: World) -> None:  # type: ignore[no-untyped-def]
    objective = make_objective(world, world.member, "Grow our loyal audience")
    kr = objective.key_results.get()
    sign_in(page, live_server, world.member.user.username)
    page.goto(f"{live_server.url}/objectives/{objective.pk}/")
    page.fill("#co-owner-q", "writer")
    page.wait_for_selector(f"#co-owner-results input[value='{world.teammate.pk}']")
    page.check(f"#co-owner-results input[value='{world.teammate.pk}']")
    page.select_option("#co-owner-of", str(kr.pk))
    page.click("button:has-text('Add co-owner')")
    page.wait_for_selector(".alert-success, .messages")
    assert CoOwner.objects.filter(person=world.teammate, key_result=kr).exists()
    screenshot(page, "objective-co-owners")

    sign_in(page, live_server, world.teammate.user.username)
    page.goto(f"{live_server.url}/objectives/{objective.pk}/")
    page.click("#sharing button:has-text('Follow')")
    page.wait_for_selector("#sharing button:has-text('Unfollow')")
    assert Follower.objects.filter(person=world.teammate, objective=objective).exists()

    page.goto(f"{live_server.url}/account/")
    page.click("button:has-text('Turn on the calendar feed')")
    page.wait_for_selector("#calendar-address")
    address = page.input_value("#calendar-address")
    page.click("[data-copy-target='calendar-address']")
    page.wait_for_selector("[data-copy-target='calendar-address']:has-text('Copied')")
    screenshot(page, "calendar-feed-panel")
    assert CalendarFeed.objects.filter(person=world.teammate).exists()
    with urllib.request.urlopen(address, timeout=60) as answer:  # no cookies: as a calendar app
        calendar = Calendar.from_ical(answer.read())
    uids = {str(event["uid"]) for event in calendar.walk("VEVENT")}
    assert f"kr-due-{kr.pk}@okrflow" not in uids  # the writer co-owns it but does not own it
    assert any(uid.startswith("checkin-") for uid in uids)  # a co-owned KR means check-ins
