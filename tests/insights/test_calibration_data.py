"""Calibration from real check-in confidences and closed-cycle grades, on the person and unit pages."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client

from okrflow.insights.actions import close_cycle
from okrflow.insights.calibration import person_calibration, unit_calibration
from tests.conftest import PASSWORD, World
from tests.insights.conftest import TODAY, check_in, moment, objective_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def calibrated(world: World):  # type: ignore[no-untyped-def]
    """The member said "high" twice on a KR that succeeded and "high" twice on one that failed."""
    _, (made, missed) = objective_with(
        world,
        world.member,
        "Understand our customers",
        [
            {"title": "Surveys", "start_value": 0, "target_value": 10},
            {"title": "Interviews", "start_value": 0, "target_value": 10},
        ],
    )
    check_in(world, world.member, 7, {made: ("8", "high", ""), missed: ("3", "high", "")})
    check_in(world, world.member, 8, {made: ("10", "high", ""), missed: ("4", "medium", "")})
    with time_machine.travel(moment(TODAY), tick=False):
        close_cycle(None, world.cycle)
    return made, missed


def test_person_calibration_by_hand(world: World, calibrated) -> None:  # type: ignore[no-untyped-def]
    summary = person_calibration(world.member)
    # Outcomes 1, 1, 0, 0 for confidences 0.9, 0.9, 0.9, 0.6:
    # (0.01 + 0.01 + 0.81 + 0.36) / 4 = 0.2975
    assert summary.count == 4 and summary.key_results == 2
    assert summary.brier == pytest.approx(0.2975)
    assert summary.base_rate == 0.5
    assert summary.mean_confidence == pytest.approx(0.825)
    assert [row.count for row in summary.rows] == [0, 0, 0, 1, 3]
    unit, people = unit_calibration(world.marketing)
    assert unit.count == 4 and [person for person, _ in people] == [world.member]
    assert person_calibration(world.teammate).count == 0


@pytest.mark.parametrize(
    ("persona", "sees"), [("admin", True), ("lead", True), ("member", True), ("teammate", False)]
)
def test_calibration_shows_to_the_person_their_managers_and_admins(
    client: Client,
    world: World,
    calibrated,
    persona: str,
    sees: bool,  # type: ignore[no-untyped-def]
) -> None:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    html = client.get(
        f"/insights/people/{world.member.pk}/?cycle={world.cycle.pk}"
    ).content.decode()
    assert bool(re.search(r"<dd>0[.,]29[78]</dd>", html)) is sees
    unit_html = client.get(f"/insights/units/{world.marketing.pk}/").content.decode()
    assert "Brier score" in unit_html
    # The per-person table is for the unit's lead and admins.
    assert (
        f'/insights/people/{world.member.pk}/">{world.member.full_name}</a></td>' in unit_html
    ) is (persona in ("admin", "lead"))


def test_calibration_reads_only_the_latest_closed_cycles(
    world: World,
    calibrated,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    import datetime

    from okrflow.cycles.models import Cycle, CycleState
    from okrflow.insights import calibration

    assert person_calibration(world.member).count == 4
    later = world.cycle.end_date + datetime.timedelta(days=1)
    Cycle.objects.create(
        name="Later",
        start_date=later,
        end_date=later + datetime.timedelta(days=90),
        state=CycleState.CLOSED,
    )
    # Two closed cycles read: the first's confidences count; only the latest: they do not.
    monkeypatch.setattr(calibration, "CALIBRATION_CYCLES", 2)
    assert person_calibration(world.member).count == 4
    assert unit_calibration(world.marketing)[0].count == 4
    monkeypatch.setattr(calibration, "CALIBRATION_CYCLES", 1)
    assert person_calibration(world.member).count == 0
    assert unit_calibration(world.marketing) == (calibration.calibrate([]), [])


def test_calibration_reads_no_check_in_before_a_cycle_closes(
    world: World, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1):  # the closed cycles: none, so no check-in is read
        summary, people = unit_calibration(world.company)
    assert summary.count == 0 and people == []
