"""The risk rules over real data: values, check-ins, initiatives and alignment, through actions."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okrflow.insights.collect import collect_insights, visible_objectives
from okrflow.insights.risks import find_risks
from okrflow.okrs.actions import archive_objective, create_initiative, set_initiative_done
from tests.conftest import World
from tests.insights.conftest import (
    TODAY,
    check_in,
    friday,
    moment,
    objective_with,
    record_weekly,
)

pytestmark = pytest.mark.django_db


def risks_by_kr(world: World) -> dict[int | None, list[str]]:
    insights = collect_insights(world.cycle, visible_objectives(None, world.cycle), TODAY)
    found: dict[int | None, list[str]] = {}
    for item in find_risks(insights):
        key = item.key_result.pk if item.key_result else None
        found.setdefault(key, []).append(f"{item.risk.kind}:{item.risk.code}")
    return found


@pytest.fixture
def company_goal(world: World):  # type: ignore[no-untyped-def]
    objective, _ = objective_with(
        world,
        world.company,
        "Lead the brand consulting market",
        [{"title": "Market share", "start_value": 10, "target_value": 20, "owner": world.ceo}],
    )
    return objective


def visits(world: World, company_goal: Any) -> Any:
    """Marketing's committed "Own SEO" objective, aligned to the company's, with one KR 0 → 100."""
    _, (kr,) = objective_with(
        world,
        world.marketing,
        "Own SEO",
        [{"title": "Visits", "start_value": 0, "target_value": 100}],
        parent=company_goal,
    )
    return kr


def test_a_healthy_key_result_raises_nothing(world: World, company_goal, today) -> None:  # type: ignore[no-untyped-def]
    kr = visits(world, company_goal)
    record_weekly(kr, [8, 16, 23, 31, 39, 46, 54, 62])
    assert kr.pk not in risks_by_kr(world)


def test_behind_pace_is_an_end_of_cycle_risk_weeks_before_the_end(
    world: World, company_goal, today
) -> None:  # type: ignore[no-untyped-def]
    kr = visits(world, company_goal)
    record_weekly(kr, [4, 8, 12, 16, 20, 24, 28, 32])
    assert risks_by_kr(world)[kr.pk] == ["end_of_cycle:forecast_below_bar"]


def test_an_aspirational_key_result_on_course_for_seventy_percent_is_fine(
    world: World, company_goal, today
) -> None:  # type: ignore[no-untyped-def]
    _, (kr,) = objective_with(
        world,
        world.marketing,
        "Stretch SEO",
        [{"title": "Visits", "start_value": 0, "target_value": 100}],
        kind="aspirational",
        parent=company_goal,
    )
    record_weekly(kr, [6, 12, 18, 24, 30, 36, 42, 48])  # 0.8 of the pace: forecast ~0.78 > 0.7
    assert kr.pk not in risks_by_kr(world)


def test_a_drop_in_value_and_confidence_and_a_new_blocker_are_sudden(
    world: World, company_goal
) -> None:  # type: ignore[no-untyped-def]
    _, (kr,) = objective_with(
        world,
        world.marketing,
        "Grow the fanpage",
        [{"title": "Followers", "start_value": 0, "target_value": 10000}],
        parent=company_goal,
    )
    record_weekly(kr, [800, 1600, 2300, 3100, 3900, 4600])
    check_in(world, world.member, 7, {kr: ("5400", "high", "")})
    check_in(
        world,
        world.member,
        8,
        {kr: ("2900", "low", "The page was suspended for a copyright claim")},
    )
    assert sorted(risks_by_kr(world)[kr.pk]) == [
        "sudden:confidence_drop",
        "sudden:new_blocker",
        "sudden:value_drop",
    ]


def test_stale_and_unaligned_and_orphaned_are_off_course(world: World, company_goal, today) -> None:  # type: ignore[no-untyped-def]
    _loose, (stale,) = objective_with(
        world,
        world.member,
        "Learn analytics",
        [{"title": "Courses", "start_value": 0, "target_value": 4}],
    )
    record_weekly(stale, [1, 1])  # weeks 1 and 2, nothing since
    old_parent, _ = objective_with(
        world, world.marketing, "Old plan", [{"title": "x", "start_value": 0, "target_value": 1}]
    )
    _orphan, _ = objective_with(
        world,
        world.teammate,
        "Write for the old plan",
        [{"title": "Posts", "start_value": 0, "target_value": 10}],
        parent=old_parent,
    )
    archive_objective(None, old_parent)
    found = risks_by_kr(world)
    assert "off_course:stale" in found[stale.pk]
    objective_codes = found[None]
    assert "off_course:not_aligned" in objective_codes  # "Learn analytics" and "Old plan"
    assert "off_course:parent_archived" in objective_codes
    assert company_goal.pk  # the company objective itself is never "not aligned"


def test_work_done_without_movement_is_off_course(world: World, company_goal) -> None:  # type: ignore[no-untyped-def]
    _, (kr,) = objective_with(
        world,
        world.marketing,
        "Events",
        [{"title": "Leads from events", "start_value": 0, "target_value": 300}],
        parent=company_goal,
    )
    record_weekly(kr, [20, 40, 60, 60, 61, 60, 61, 61])
    initiative = create_initiative(None, kr, title="Booth at the trade fair")
    import time_machine

    with time_machine.travel(moment(friday(7)), tick=False):
        set_initiative_done(None, initiative, True)
    with time_machine.travel(moment(TODAY), tick=False):
        assert "off_course:effort_without_movement" in risks_by_kr(world)[kr.pk]


def test_behind_despite_regular_check_ins_with_obstacles_is_below_expectations(
    world: World, company_goal
) -> None:  # type: ignore[no-untyped-def]
    _, (kr,) = objective_with(
        world,
        world.marketing,
        "Video channel",
        [{"title": "Subscribers", "start_value": 0, "target_value": 10000}],
        parent=company_goal,
    )
    record_weekly(kr, [400, 800, 1200, 1500])
    for week, value in ((5, 1800), (6, 2100), (7, 2400), (8, 2700)):
        check_in(
            world,
            world.member,
            week,
            {kr: (str(value), "medium", "")},
            obstacles="No video editor: one video a week instead of three",
        )
    with __import__("time_machine").travel(moment(TODAY), tick=False):
        codes = risks_by_kr(world)[kr.pk]
    assert "below_expectations:behind_despite_checkins" in codes


def test_collecting_costs_the_same_queries_for_more_data(world: World, company_goal, today) -> None:  # type: ignore[no-untyped-def]
    def add(count: int) -> None:
        for n in range(count):
            _, (kr,) = objective_with(
                world,
                world.marketing,
                f"Objective {n}",
                [{"title": "KR", "start_value": 0, "target_value": 100}],
                parent=company_goal,
            )
            record_weekly(kr, [5, 10, 15])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            find_risks(collect_insights(world.cycle, visible_objectives(None, world.cycle), TODAY))
        return len(queries)

    add(2)
    small = count()
    add(6)
    assert count() == small


def test_okrflow_risks_prints_json(world: World, company_goal, today) -> None:  # type: ignore[no-untyped-def]
    import io
    import json

    kr = visits(world, company_goal)
    record_weekly(kr, [4, 8, 12, 16, 20, 24, 28, 32])
    out = io.StringIO()
    call_command("risks", "--json", "--cycle", "Q2 2026", stdout=out)
    rows = json.loads(out.getvalue())
    row = next(r for r in rows if r["kr_id"] == kr.pk)
    assert set(row) >= {
        "kind",
        "severity",
        "objective_id",
        "kr_id",
        "owner",
        "evidence",
        "suggestion",
    }
    assert row["kind"] == "end_of_cycle" and row["owner"] == "specialist.marketing"
    assert "Forecast" in row["evidence"]
    out = io.StringIO()
    call_command("risks", "--cycle", "Q2 2026", "--lang", "vi", stdout=out)
    assert "end_of_cycle" in out.getvalue()


def test_nothing_is_flagged_in_a_closed_cycle(world: World, company_goal, today) -> None:  # type: ignore[no-untyped-def]
    from okrflow.insights.actions import close_cycle

    kr = visits(world, company_goal)
    record_weekly(kr, [4, 8, 12])
    close_cycle(None, world.cycle)
    world.cycle.refresh_from_db()
    assert risks_by_kr(world) == {}
    assert Decimal(0) <= kr.grade.score <= 1
    assert isinstance(TODAY, datetime.date)
