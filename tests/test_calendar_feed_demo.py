"""The calendar feed of the demo's head of marketing: her deadlines, Tết and New Year moved."""

from __future__ import annotations

import datetime

import time_machine
from django.test import Client

from okrflow.checkins.actions.calendar_feed import turn_on_calendar_feed
from okrflow.checkins.models import OneOnOne
from okrflow.okrs.models import KeyResult
from okrflow.org.models import Person
from tests.test_calendar_feed import events_of, feed_url

DEMO_NOON = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=datetime.UTC)


def test_demo_head_of_marketing_sees_deadlines_with_holiday_shifts(demo_org, db) -> None:  # type: ignore[no-untyped-def]
    head = Person.objects.select_related("user").get(user__username="head.marketing")
    with time_machine.travel(DEMO_NOON, tick=False):
        token = turn_on_calendar_feed(head.user, head)
        response = Client().get(feed_url(token))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    events = events_of(response.content)
    deadlines = {uid: event for uid, event in events.items() if uid.startswith("checkin-")}
    moments = {event.decoded("dtstart") for event in deadlines.values()}
    utc = datetime.UTC
    # This quarter's Fridays at 17:00 in Hồ Chí Minh City (10:00 UTC)...
    assert datetime.datetime(2026, 12, 4, 10, 0, tzinfo=utc) in moments
    # ...and next quarter's, where Tết 2027 moves Friday 5/2 to Wednesday 3/2,
    assert datetime.datetime(2027, 2, 3, 10, 0, tzinfo=utc) in moments
    assert datetime.datetime(2027, 2, 5, 10, 0, tzinfo=utc) not in moments
    # and New Year's Day moves Friday 1/1/2027 to Thursday 31/12/2026.
    assert datetime.datetime(2026, 12, 31, 10, 0, tzinfo=utc) in moments
    assert datetime.datetime(2027, 1, 1, 10, 0, tzinfo=utc) not in moments
    tet = next(
        event
        for event in deadlines.values()
        if event.decoded("dtstart") == datetime.datetime(2027, 2, 3, 10, 0, tzinfo=utc)
    )
    # Lê Thu Hà reads Vietnamese: the entry says why the day moved, in her language.
    assert "ngày lễ" in str(tet["description"])
    assert "05/02/2027" in str(tet["description"])
    assert str(tet["url"]).endswith("/checkins/")
    # Her own key results' due dates, each linking back to its objective.
    owned = KeyResult.objects.filter(
        owner=head, is_archived=False, objective__cycle__state="active"
    )
    assert owned.exists()
    for kr in owned:
        event = events[f"kr-due-{kr.pk}@okrflow"]
        assert event.decoded("dtstart") == kr.due_date
        assert f"/objectives/{kr.objective_id}/#kr-{kr.pk}" in str(event["url"])
    # Nothing but her own key results: no other person's titles.
    kr_uids = {uid for uid in events if uid.startswith("kr-due-")}
    assert kr_uids == {f"kr-due-{kr.pk}@okrflow" for kr in owned}
    # The 1:1s she took part in that agreed a next check-in.
    meetings = OneOnOne.objects.filter(
        manager=head, ended_at__isnull=False, next_checkin_on__isnull=False
    ) | OneOnOne.objects.filter(person=head, ended_at__isnull=False, next_checkin_on__isnull=False)
    meeting_uids = {uid for uid in events if uid.startswith("one-on-one-")}
    assert meeting_uids
    assert meeting_uids == {
        f"one-on-one-{m.pk}-{head.pk}@okrflow"
        for m in meetings
        if m.cycle.state == "active" or m.cycle.end_date >= datetime.date(2026, 11, 27)
    }
