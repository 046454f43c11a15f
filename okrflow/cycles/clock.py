"""A cycle's days: its public holidays and its local time (read by okrs and checkins alike)."""

from __future__ import annotations

import datetime
import zoneinfo

from django.utils import timezone

from okrflow.cycles.models import Cycle
from okrflow.engine import cadence


def holidays_for(cycle: Cycle) -> frozenset[datetime.date]:
    """Return the Vietnamese public holidays of the years the cycle touches."""
    return cadence.vietnam_holidays(range(cycle.start_date.year, cycle.end_date.year + 1))


def local_now(cycle: Cycle, now: datetime.datetime | None = None) -> datetime.datetime:
    """Return the moment in the cycle's time zone."""
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(cycle.time_zone))


def local_today(cycle: Cycle, now: datetime.datetime | None = None) -> datetime.date:
    return local_now(cycle, now).date()
