"""Write a calendar as an iCalendar (RFC 5545) file: plain events in, bytes out."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

PRODUCT_ID = "-//okrflow//calendar feed//EN"


@dataclass(frozen=True)
class FeedEvent:
    """One calendar entry: a moment with an end (aware datetimes), or a whole day (a date)."""

    uid: str  # stable across fetches, so a calendar updates the entry instead of adding one
    summary: str
    start: datetime.datetime | datetime.date
    end: datetime.datetime | datetime.date
    description: str = ""
    url: str = ""


def build_calendar(
    name: str, events: list[FeedEvent], stamp: datetime.datetime, language: str
) -> bytes:
    """Return the iCalendar file of these events; times are written in UTC."""
    # Imported here, not with the module: the calendar feed's URL imports this module, and
    # every web worker would hold icalendar for the few requests that fetch a feed.
    from icalendar import Calendar, Event

    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    stamp = stamp.astimezone(datetime.UTC)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", as_utc(item.start))
        event.add("dtend", as_utc(item.end))
        event.add("summary", item.summary, parameters={"LANGUAGE": language})
        if item.description:
            event.add("description", item.description, parameters={"LANGUAGE": language})
        if item.url:
            event.add("url", item.url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    ical: bytes = calendar.to_ical()
    return ical


def as_utc(moment: datetime.datetime | datetime.date) -> datetime.datetime | datetime.date:
    """Turn an aware datetime into UTC; leave a whole day as a date."""
    if isinstance(moment, datetime.datetime):
        if moment.tzinfo is None:
            raise ValueError("calendar times must be aware")
        return moment.astimezone(datetime.UTC)
    return moment
