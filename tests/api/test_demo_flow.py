"""The README's curl flow on the demo: list objectives, record a value, submit a check-in."""

from __future__ import annotations

import datetime
from typing import Any

import time_machine
from django.test import Client

from okrflow.audit.models import AuditEntry
from okrflow.checkins.models import CheckIn
from okrflow.checkins.schedule import open_weeks
from okrflow.checkins.scope import key_results_for
from okrflow.cycles.models import Cycle
from okrflow.okrs.models import Objective
from okrflow.org.models import Person
from tests.api.conftest import Api, token_for
from tests.conftest import DEMO_DAY

NOON = datetime.datetime.combine(DEMO_DAY, datetime.time(5), tzinfo=datetime.UTC)


def someone_with_a_week_to_check_in(cycle: Cycle) -> tuple[Person, Any, Any]:
    """Find a demo person with key results and an open week they have not checked in yet."""
    weeks = list(reversed(open_weeks(cycle)))
    for person in Person.objects.filter(unit__isnull=False).select_related("user").order_by("pk"):
        key_results = key_results_for(person, cycle)
        done = set(
            CheckIn.objects.filter(person=person, cycle=cycle).values_list("week", flat=True)
        )
        missing = [week for week in weeks if week.start not in done]
        if key_results and missing:
            return person, missing[0], key_results[0]
    raise AssertionError("every demo person has checked in every week")


def test_a_token_lists_records_and_checks_in_on_the_demo(demo_org, db, settings) -> None:  # type: ignore[no-untyped-def]
    settings.OKRFLOW_API_RATE_PER_MINUTE = 10_000
    with time_machine.travel(NOON, tick=False):
        cycle = Cycle.objects.get(state="active")
        head, week, key_result = someone_with_a_week_to_check_in(cycle)
        api = Api(Client(), token_for(head, "write"))
        listed = api.get("/objectives?limit=200").json()["items"]
        assert len(listed) == Objective.objects.visible_to(head.user).count() > 0
        recorded = api.post(f"/key-results/{key_result.pk}/values", {"value": "7"})
        assert recorded.status_code == 201, recorded.content
        checkin = api.post(
            "/checkins",
            {
                "cycle_id": cycle.pk,
                "week": week.start.isoformat(),
                "confidence": "medium",
                "progress": "Two webinars booked",
                "lines": [{"key_result_id": key_result.pk, "value": "8", "confidence": "high"}],
            },
        )
    assert checkin.status_code == 201, checkin.content
    for action in ("record_key_result_value", "submit_checkin"):
        assert AuditEntry.objects.filter(action=action).latest("id").actor == head.user
