"""The KR chart (inline SVG) and `checkin_data_for`, the data `okrflow okrs --json` adds."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.checkins.actions import CheckInInput, correct_checkin
from okrflow.checkins.chart import Point, build_chart, nice_range
from okrflow.checkins.export import checkin_data_for
from okrflow.okrs.actions import create_key_result, create_objective
from okrflow.okrs.models import Objective
from tests.checkins.conftest import (
    Krs,
    build_history,
    checkin_data,
    signed_in,
    submit_member_checkin,
)
from tests.conftest import World, make_objective

D = datetime.date


def test_chart_view_draws_values_against_the_pace(client: Client, world: World, krs: Krs) -> None:
    build_history(world, krs)
    response = signed_in(client, world.lead).get(f"/checkins/chart/{krs.followers.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count("<svg") >= 1
    assert 'class="kr-chart-pace"' in page
    assert 'class="kr-chart-actual"' in page
    assert page.count('class="kr-chart-dot"') == 6  # five check-ins and the manual value
    assert "confidence high" in page
    assert "http" not in page.replace("http://www.w3.org", "")  # nothing loaded from outside
    assert client.post(f"/checkins/chart/{krs.followers.pk}/").status_code == 405


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 200), ("member", 200), ("outsider", 404)]
)
def test_chart_of_a_private_objective(
    client: Client, world: World, krs: Krs, persona: str, status: int
) -> None:
    private = make_objective(world, world.member, "Secret plan", is_private=True)
    kr = private.key_results.get()
    response = signed_in(client, getattr(world, persona)).get(f"/checkins/chart/{kr.pk}/")
    assert response.status_code == status


def test_the_include_takes_a_key_result(world: World, krs: Krs) -> None:
    html = Template('{% include "checkins/_kr_chart.html" with kr=kr %}').render(
        Context({"kr": krs.newsletter})
    )
    assert f'id="kr-chart-{krs.newsletter.pk}"' in html
    assert "kr-chart-pace" in html  # the recurring key result's stepped pace


def test_milestone_chart_is_done_or_not(world: World, krs: Krs) -> None:
    chart = build_chart(
        krs.hire,
        [Point(D(2026, 5, 8), Decimal(0)), Point(D(2026, 5, 13), Decimal(1))],
        D(2026, 4, 1),
        D(2026, 5, 13),
    )
    assert [t.label for t in chart.y_ticks] == ["not done", "done"]
    assert len(chart.dots) == 2
    assert chart.today_x is not None


def test_threshold_without_baseline_draws_the_target_line(world: World, krs: Krs) -> None:
    objective = create_objective(
        None, cycle=world.cycle, title="Fast replies", owner=world.member
    ).value
    kr = create_key_result(
        None,
        objective,
        title="Reply within 30 minutes",
        shape="threshold",
        target_value=30,
        direction="at_most",
        unit="minutes",
    ).value
    chart = build_chart(kr, [Point(D(2026, 4, 10), Decimal(45))], D(2026, 4, 1), D(2026, 5, 13))
    assert chart.pace == ""
    assert chart.target_line is not None
    empty = build_chart(kr, [], D(2026, 4, 1), D(2026, 5, 13))
    assert empty.is_empty and "No values" in empty.summary


def test_big_numbers_are_written_compactly_on_the_axis(world: World) -> None:
    objective = create_objective(None, cycle=world.cycle, title="Revenue", owner=world.member).value
    kr = create_key_result(
        None,
        objective,
        title="Revenue 1.5 billion",
        shape="currency",
        start_value=0,
        target_value=1_500_000_000,
    ).value
    chart = build_chart(kr, [], D(2026, 4, 1), D(2026, 5, 13))
    assert chart.y_ticks[-1].label == "1.5B"


@pytest.mark.parametrize(
    ("low", "high", "expected"),
    [
        (0, 10000, (0, 10000, 2500)),
        (40, 70, (40, 70, 10)),
        (0.3, 0.7, (0.3, 0.7, 0.1)),
        (5, 5, (5, 5.6, 0.2)),
    ],
)
def test_nice_range(low: float, high: float, expected: tuple[float, float, float]) -> None:
    assert nice_range(low, high) == pytest.approx(expected)


def test_checkin_data_for_lists_check_ins_and_the_latest_obstacles(world: World, krs: Krs) -> None:
    build_history(world, krs)
    latest = submit_member_checkin(world, krs, ["3,000", "50", "1", "6"])
    correct_checkin(
        world.member.user,
        latest,
        data=checkin_data(
            krs.all, ["3,100", "50", "1", "6"], obstacles="Printer broke", solutions="Buy one"
        ),
    )
    objective = krs.followers.objective
    data = checkin_data_for([objective.pk])
    followers = data["key_results"][krs.followers.pk]
    assert [row["value"] for row in followers] == [800, 1200, 1800, 2200, 2500, 3100]
    assert followers[0] == {
        "date": "2026-04-03",
        "value": 800,
        "confidence": 0.9,
        "person": "specialist.marketing",
        "pace": None,
    }
    assert data["key_results"][krs.open_rate.pk][1]["confidence"] == 0.6
    assert data["objectives"][objective.pk]["obstacles"] == "Printer broke"
    assert data["objectives"][objective.pk]["solutions"] == "Buy one"
    assert data["objectives"][objective.pk]["week"] == "2026-05-11"


def test_checkin_data_for_takes_constant_queries(world: World, krs: Krs) -> None:
    build_history(world, krs)
    for index in range(5):
        make_objective(world, world.member, f"More {index}")
    ids = Objective.objects.values("pk")
    with CaptureQueriesContext(connection) as queries:
        data = checkin_data_for(ids)
    assert len(queries) == 1
    assert len(data["key_results"]) == 4
    assert checkin_data_for([]) == {"key_results": {}, "objectives": {}}


def test_drafts_are_not_exported(world: World, krs: Krs) -> None:
    from okrflow.checkins.actions import record_checkin
    from tests.checkins.conftest import WEEK

    record_checkin(
        world.member.user,
        person=world.member,
        cycle=world.cycle,
        week=WEEK,
        data=CheckInInput(),
        submit=False,
    )
    assert checkin_data_for([krs.followers.objective_id])["key_results"] == {}


def test_coordinates_stay_numbers_in_vietnamese(world: World, krs: Krs) -> None:
    from django.utils import translation

    build_history(world, krs)
    with translation.override("vi"):
        html = Template('{% include "checkins/_kr_chart.html" with kr=kr %}').render(
            Context({"kr": krs.followers})
        )
    assert "10.000" in html  # the label is Vietnamese
    points = html.split('class="kr-chart-actual" points="')[1].split('"')[0]
    assert "," in points and all(
        float(x) >= 0 and float(y) >= 0 for x, y in (pair.split(",") for pair in points.split())
    )
