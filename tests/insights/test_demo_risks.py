"""The demo organisation shows every kind of risk, for reasons its evidence states."""

from __future__ import annotations

import datetime
import io
from collections import Counter

import pytest
import time_machine
from django.core.management import call_command

from okrflow.cycles.models import Cycle, CycleState
from okrflow.insights.collect import collect_insights, visible_objectives
from okrflow.insights.risk_text import evidence
from okrflow.insights.risks import find_risks

pytestmark = pytest.mark.django_db
NOW = datetime.datetime(2026, 11, 27, 18, 0, tzinfo=datetime.UTC)


def demo_risks() -> list:
    with time_machine.travel(NOW, tick=False):
        call_command("demo", stdout=io.StringIO())
        cycle = Cycle.objects.get(state=CycleState.ACTIVE)
        insights = collect_insights(cycle, visible_objectives(None, cycle), NOW.date())
        return find_risks(insights)


def test_the_demo_raises_each_of_the_four_risks() -> None:
    items = demo_risks()
    kinds = Counter(item.risk.kind.value for item in items)
    assert set(kinds) == {"end_of_cycle", "sudden", "off_course", "below_expectations"}
    # The support team's blocker of the latest week (two agents quit) is the sudden one.
    sudden = [item for item in items if item.risk.kind == "sudden"]
    assert any("phản hồi" in item.key_result.title for item in sudden if item.key_result)
    by_title = {item.key_result.title: item for item in items if item.key_result}
    # Key results reported every week that hardly move: effort without movement.
    stalled = [
        item
        for item in items
        if item.risk.code == "effort_without_movement" and item.key_result is not None
    ]
    assert stalled, sorted(by_title)
    assert "yet progress moved" in evidence(stalled[0].risk)
    # A key result "behind" its pace is forecast to miss the bar weeks before the end.
    assert any(
        item.risk.code == "forecast_below_bar" and item.risk.params["high"] < 1.0 for item in items
    )
    # The article's below-expectations pattern: regular check-ins, behind, recurring obstacles.
    below = [item for item in items if item.risk.code == "behind_despite_checkins"]
    assert all(int(item.risk.params["checkins"]) >= 3 for item in below)
    # The owner's own "slow" at the latest check-in, on a key result behind its pace (#16).
    slow = [item for item in items if item.risk.code == "slow_and_behind"]
    assert slow and all(item.key_result is not None for item in slow)
    assert "rated their pace “slow”" in evidence(slow[0].risk)
    # Healthy key results ("ahead" trajectories) raise nothing.
    fanpage = [t for t in by_title if "Fanpage" in t]
    assert not fanpage


def test_the_demo_dashboards_measure_the_five_benefits_from_its_data() -> None:
    from okrflow.insights.facts import build_facts
    from okrflow.insights.snapshots import stored_insights
    from okrflow.insights.stored import Scope

    with time_machine.travel(NOW, tick=False):
        call_command("demo", stdout=io.StringIO())
        cycle = Cycle.objects.get(state=CycleState.ACTIVE)
        refresh = stored_insights(cycle)
        assert refresh is not None and refresh.key_results > 0
        scope = Scope(cycle, refresh, visible_objectives(None, cycle).values("pk"))
        panels = {panel.key: panel for panel in build_facts(scope, NOW)}
    # People drafted their own objectives, as the article asks, and they were agreed.
    commitment = panels["commitment"]
    assert commitment.extra["personal"] > 0
    assert commitment.extra["own"] == commitment.extra["personal"]
    assert panels["tracking"].extra["source"] == "checkins"
    assert 0 < panels["tracking"].value < 1  # the demo has late and missed check-ins


def test_okrflow_risks_reads_the_stored_insights_and_matches_a_live_run() -> None:
    import json

    def risks(*extra: str) -> list[dict]:
        out = io.StringIO()
        call_command("risks", "--json", *extra, stdout=out)
        return sorted(
            json.loads(out.getvalue()),
            key=lambda row: (row["kind"], row["objective_id"], row["kr_id"] or 0, row["code"]),
        )

    with time_machine.travel(NOW, tick=False):
        call_command("demo", stdout=io.StringIO())
        stored, live = risks(), risks("--live")
    assert len(stored) > 20
    assert stored == live  # the same risks, owners, evidence and figures either way


def test_okrflow_risks_of_a_large_cycle_never_computed_says_what_to_do(settings) -> None:  # type: ignore[no-untyped-def]
    from django.core.management.base import CommandError

    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 1
    with time_machine.travel(NOW, tick=False):
        call_command("demo", stdout=io.StringIO())
        with pytest.raises(CommandError, match="okrflow refresh-insights"):
            call_command("risks", stdout=io.StringIO())
