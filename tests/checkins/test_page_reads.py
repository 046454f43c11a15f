"""The check-in page reads the person's check-ins of the cycle once (`CycleCheckIns`): each
answer it takes from them equals the query it replaced, for every week of a history with
drafts, corrections, corrections of corrections and other people's and cycles' entries."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.checkins.actions import correct_checkin, record_checkin
from okrflow.checkins.models import CheckIn
from okrflow.checkins.schedule import open_weeks
from okrflow.checkins.scope import effective_checkin
from okrflow.checkins.selectors import CycleCheckIns, chain_of
from okrflow.cycles.actions import create_cycle
from okrflow.cycles.models import Cycle, CycleState
from okrflow.org.models import Person
from tests.checkins.conftest import (
    VN,
    WEEK,
    Krs,
    build_history,
    checkin_data,
    signed_in,
)
from tests.conftest import World

# The check-in page's queries for a person with a submitted week and a history, the session's
# own included (three more when the person's check-ins were read four times).
PAGE_QUERIES = 22


def previous_by_query(person: Person, cycle: Cycle, week: datetime.date) -> CheckIn | None:
    """The page's former read of last time's check-in."""
    return (
        CheckIn.objects.filter(person=person, cycle=cycle, week__lt=week)
        .submitted()
        .effective()
        .order_by("-week", "-id")
        .first()
    )


def submitted_by_query(person: Person, cycle: Cycle) -> dict[datetime.date, Any]:
    """`week_marks`' former read: each submitted week's original entry's submission time."""
    return dict(
        CheckIn.objects.submitted()
        .originals()
        .filter(person=person, cycle=cycle)
        .values_list("week", "submitted_at")
    )


def pk(entry: CheckIn | None) -> int | None:
    return None if entry is None else entry.pk


def varied_history(world: World, krs: Krs) -> None:
    """Five submitted weeks (one corrected twice, one once), this week's draft, a draft of
    the teammate and a check-in of the member in another cycle."""
    made = build_history(world, krs)
    values = ["1,900", "45", "0", "3"]
    first = correct_checkin(world.member.user, made[2], data=checkin_data(krs.all, values))
    correct_checkin(world.member.user, first, data=checkin_data(krs.all, ["1,950", *values[1:]]))
    correct_checkin(world.member.user, made[0], data=checkin_data(krs.all, ["850", "42", "0", "1"]))
    record_checkin(
        world.member.user,
        person=world.member,
        cycle=world.cycle,
        week=WEEK,
        data=checkin_data(krs.all, ["3,000", "", "", ""]),
        submit=False,
    )
    record_checkin(
        world.teammate.user,
        person=world.teammate,
        cycle=world.cycle,
        week=WEEK,
        data=checkin_data([], []),
        submit=False,
    )
    other = create_cycle(
        None,
        name="Q1 2026",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 3, 31),
        state=CycleState.ACTIVE,
    )
    record_checkin(
        world.member.user,
        person=world.member,
        cycle=other,
        week=datetime.date(2026, 3, 23),
        data=checkin_data([], []),
    )


@pytest.mark.parametrize("with_draft", [True, False])
def test_each_answer_equals_the_query_it_replaced(world: World, krs: Krs, with_draft: bool) -> None:
    varied_history(world, krs)
    if not with_draft:
        CheckIn.objects.filter(state="draft").delete()
    person, cycle = world.member, world.cycle
    entries = CycleCheckIns(person, cycle)
    weeks = [week.start for week in open_weeks(cycle)]
    assert len(weeks) >= 6
    assert entries.submitted_weeks() == submitted_by_query(person, cycle)
    for week in [*weeks, datetime.date(2026, 6, 29)]:
        effective = effective_checkin(person, cycle, week)
        assert pk(entries.effective(week)) == pk(effective), week
        if effective is not None:
            assert [e.pk for e in entries.chain(week)] == [e.pk for e in chain_of(effective)]
        assert pk(entries.previous(week)) == pk(previous_by_query(person, cycle, week)), week
    # The history holds every case the answers tell apart.
    assert sum(1 for e in entries.entries if e.corrects_id) == 3
    assert len(entries.chain(weeks[3])) == 3


def test_the_page_reads_the_persons_check_ins_once(
    client: Client, world: World, krs: Krs, django_assert_max_num_queries: Any
) -> None:
    varied_history(world, krs)
    CheckIn.objects.filter(state="draft").delete()
    signed_in(client, world.member)
    with time_machine.travel(datetime.datetime(2026, 5, 14, 9, 0, tzinfo=VN), tick=False):
        client.post(
            "/checkins/",
            {
                "cycle": str(world.cycle.pk),
                "week": WEEK.isoformat(),
                "action": "submit",
                "progress": "Moving",
                "confidence": "high",
            }
            | {
                f"kr-{kr.pk}-value": v
                for kr, v in zip(krs.all, ["3,000", "52", "1", "6"], strict=True)
            }
            | {f"kr-{kr.pk}-confidence": "high" for kr in krs.all},
        )
        assert CheckIn.objects.get(person=world.member, week=WEEK).is_submitted
        client.get("/checkins/")  # the session and language settle
        with (
            CaptureQueriesContext(connection) as queries,
            django_assert_max_num_queries(PAGE_QUERIES),
        ):
            response = client.get(f"/checkins/?cycle={world.cycle.pk}")
    assert response.status_code == 200
    table = connection.ops.quote_name(CheckIn._meta.db_table)
    reads = [q["sql"] for q in queries if f"FROM {table}" in q["sql"]]
    assert len(reads) == 1, reads
    # What the page shows from them: last time's obstacles, the missed week, the chain.
    page = response.content.decode()
    assert "The designer is on leave" in page
    assert response.context["previous"].week == datetime.date(2026, 5, 4)
    assert [w.start for w in response.context["missed"]] == [datetime.date(2026, 4, 13)]
    assert len(response.context["chain"]) == 1
