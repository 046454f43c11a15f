"""The iCalendar writer: UTC times, whole days, stable UIDs, parsed back by the same package."""

from __future__ import annotations

import datetime

import pytest
from icalendar import Calendar

from okrflow.engine.ical import FeedEvent, build_calendar

VN = datetime.timezone(datetime.timedelta(hours=7))
STAMP = datetime.datetime(2026, 11, 27, 12, 0, tzinfo=datetime.UTC)


def test_events_round_trip_through_the_icalendar_package() -> None:
    events = [
        FeedEvent(
            uid="checkin-1-2027-02-01-7@okrflow",
            summary="Hạn check-in: Q1 2027",
            start=datetime.datetime(2027, 2, 3, 17, 0, tzinfo=VN),
            end=datetime.datetime(2027, 2, 3, 17, 30, tzinfo=VN),
            description="Dời sớm hơn so với ngày 05/02/2027 vì trùng ngày lễ.",
            url="https://okr.example.vn/checkins/",
        ),
        FeedEvent(
            uid="kr-due-9@okrflow",
            summary="Hạn kết quả then chốt: 10.000 người theo dõi",
            start=datetime.date(2026, 12, 31),
            end=datetime.date(2027, 1, 1),
        ),
    ]
    body = build_calendar("OKR: Lê Thu Hà", events, STAMP, "vi")
    calendar = Calendar.from_ical(body)
    parsed = {str(event["uid"]): event for event in calendar.walk("VEVENT")}
    assert list(parsed) == [event.uid for event in events]
    deadline = parsed["checkin-1-2027-02-01-7@okrflow"]
    assert deadline.decoded("dtstart") == datetime.datetime(2027, 2, 3, 10, 0, tzinfo=datetime.UTC)
    assert str(deadline["summary"]) == "Hạn check-in: Q1 2027"
    assert deadline["summary"].params["LANGUAGE"] == "vi"
    assert str(deadline["url"]) == "https://okr.example.vn/checkins/"
    due = parsed["kr-due-9@okrflow"]
    assert due.decoded("dtstart") == datetime.date(2026, 12, 31)
    assert "url" not in due and "description" not in due
    assert str(calendar["x-wr-calname"]) == "OKR: Lê Thu Hà"


def test_same_events_give_the_same_file() -> None:
    event = FeedEvent("a@okrflow", "x", datetime.date(2027, 1, 1), datetime.date(2027, 1, 2))
    assert build_calendar("c", [event], STAMP, "en") == build_calendar("c", [event], STAMP, "en")


def test_naive_times_are_refused() -> None:
    naive = datetime.datetime(2027, 2, 3, 17, 0)
    with pytest.raises(ValueError, match="aware"):
        build_calendar("c", [FeedEvent("a", "x", naive, naive)], STAMP, "en")
