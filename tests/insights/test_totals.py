"""Stored totals: incremental `refresh-insights`, and pages whose queries do not grow."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.insights.models import InsightTotal, ObjectiveSnapshot, RiskSnapshot
from okrflow.insights.snapshots import refresh_cycle
from okrflow.org.actions import create_unit
from tests.conftest import PASSWORD, World
from tests.insights.conftest import objective_with, record_weekly, rolled_up_org
from tests.insights.test_snapshots import two_teams

pytestmark = pytest.mark.django_db


def refresh(*args: str) -> dict[str, Any]:
    out = io.StringIO()
    call_command("refresh-insights", "--json", *args, stdout=out)
    (result,) = json.loads(out.getvalue())
    return result


def total_rows(world: World) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {
        (row.unit_id, row.bucket): {
            name: pytest.approx(value, abs=1e-9) for name, value in row.figures.items()
        }
        for row in InsightTotal.objects.filter(cycle=world.cycle)
        if row.figures
    }


def test_refresh_insights_recomputes_only_what_changed_since_the_last_run(
    world: World, today
) -> None:  # type: ignore[no-untyped-def]
    okrs = two_teams(world)
    assert refresh()["recomputed"] == 3
    assert refresh()["recomputed"] == 0  # nothing changed: nothing recomputed
    record_weekly(okrs["visits"], [60], first_week=8)
    result = refresh()
    # Marketing's objective alone: the company objective it is aligned to does not count its
    # children in its progress here, so nothing of it moved; not sales' either.
    assert result["recomputed"] == 1 and result["objectives"] == 3
    marketing = ObjectiveSnapshot.objects.get(objective=okrs["marketing"])
    assert marketing.progress == pytest.approx(0.60)
    # Its risks counted from the totals, as many as the stored rows.
    risks = RiskSnapshot.objects.filter(cycle=world.cycle).count()
    assert risks and result["risks"] == risks
    incremental = total_rows(world)
    full = refresh("--full")
    assert full["recomputed"] == 3 and full["risks"] == risks
    assert total_rows(world) == incremental

    create_unit(None, name="Support", parent=world.company)  # the org chart moved
    assert refresh()["recomputed"] == 3


def test_an_incremental_refresh_reads_a_fixed_number_of_queries(world: World, today) -> None:  # type: ignore[no-untyped-def]
    okrs = two_teams(world)
    refresh_cycle(world.cycle)

    def incremental_queries() -> int:
        record_weekly(okrs["visits"], [70], first_week=8)
        with CaptureQueriesContext(connection) as queries:
            refresh_cycle(world.cycle, incremental=True)
        return len(queries)

    first = incremental_queries()
    for n in range(10):
        _, (kr,) = objective_with(
            world,
            world.sales,
            f"Campaign {n}",
            [{"title": f"Leads {n}", "start_value": 0, "target_value": 50}],
        )
        record_weekly(kr, [1, 2, 3])
    refresh_cycle(world.cycle)
    assert incremental_queries() <= first


PAGES = ["/insights/", "/insights/facts/", "/insights/risks/", "unit"]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("persona", ["admin", "ceo", "lead", "member"])
def test_an_insights_page_costs_the_same_queries_at_any_size(
    client: Client, world: World, today, page: str, persona: str
) -> None:  # type: ignore[no-untyped-def]
    """Pinned: ten more objectives, their values, risks and private ones add no query."""
    two_teams(world)
    # Private objectives from the start: a reader who may see one reads its rows (a correction
    # of three queries, see `okrflow.insights.totals`), whatever their number.
    for owner in (world.member, world.teammate):
        private, _ = objective_with(
            world,
            owner,
            "Private plan",
            [{"title": "Courses", "start_value": 0, "target_value": 4}],
        )
        private.is_private = True
        private.save(update_fields=["is_private"])
    person = getattr(world, persona)
    assert client.login(username=person.user.username, password=PASSWORD)
    url = f"/insights/units/{world.company.pk}/" if page == "unit" else page

    def page_queries() -> int:
        client.get(url)  # the small cycle refreshes itself on its first view
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    small = page_queries()
    for n in range(10):
        owner = [world.member, world.sales, world.teammate, world.content_team][n % 4]
        objective, (kr,) = objective_with(
            world,
            owner,
            f"Campaign {n}",
            [{"title": f"Leads {n}", "start_value": 0, "target_value": 50}],
        )
        if n % 3 == 0:
            objective.is_private = True
            objective.save(update_fields=["is_private"])
        record_weekly(kr, [1, 2, 3])
    # F.A.C.T.S. names the owners out of range with a query per kind of owner (person, unit,
    # project) that has one: at most three more, whatever their number.
    assert page_queries() <= small + (3 if page == "/insights/facts/" else 0)


@pytest.mark.parametrize("rewrite_from", [None, 0])
def test_an_incremental_refresh_after_a_synth_recomputes_only_what_changed(
    db, today, monkeypatch, rewrite_from
) -> None:  # type: ignore[no-untyped-def]
    """`okrflow synth` writes no audit rows: its first refresh stores mark 0, and the next one
    reads the trail from there (it recomputed everything while an empty trail meant no mark).
    The totals it moves equal a full refresh's, updated in place (a few rows) or written again
    (`totals.REWRITE_FROM`: as after many check-ins)."""
    from okrflow.insights import totals

    if rewrite_from is not None:
        monkeypatch.setattr(totals, "REWRITE_FROM", rewrite_from)
    from decimal import Decimal

    from okrflow.audit.models import AuditEntry
    from okrflow.demo.synth import build_synthetic_org
    from okrflow.insights.models import InsightRefresh
    from okrflow.okrs.actions import record_key_result_value
    from okrflow.okrs.models import Alignment, KeyResult

    summary = build_synthetic_org(40, today)
    cycle = summary.cycle
    assert not AuditEntry.objects.exists()
    first = refresh_cycle(cycle, incremental=True)
    assert first.audit_mark == 0 and first.recomputed == summary.objectives  # type: ignore[attr-defined]
    kr = (
        KeyResult.objects.filter(objective__cycle=cycle, objective__owner_person__isnull=False)
        .order_by("pk")
        .first()
    )
    assert kr is not None
    record_key_result_value(None, kr, value=Decimal("3"), measured_on=today)
    second = refresh_cycle(cycle, incremental=True)
    # The person's objective alone: the unit objective it is aligned to does not count its
    # children in its progress here (`test_…_children_count_in_progress_…` for when it does).
    parents = set(Alignment.objects.filter(child=kr.objective).values_list("parent_id", flat=True))
    assert len(parents) == 1
    assert second.recomputed == 1  # type: ignore[attr-defined]
    assert second.audit_mark == AuditEntry.objects.order_by("-id").values_list("id", flat=True)[0]
    assert second.objectives == summary.objectives
    changed = ObjectiveSnapshot.objects.get(objective=kr.objective)
    incremental = {
        (row.unit_id, row.bucket): {
            name: pytest.approx(value, abs=1e-9) for name, value in row.figures.items()
        }
        for row in InsightTotal.objects.filter(cycle=cycle)
        if row.figures
    }
    assert refresh_cycle(cycle).recomputed == summary.objectives  # type: ignore[attr-defined]
    assert ObjectiveSnapshot.objects.get(objective=kr.objective).progress == changed.progress
    assert {
        (row.unit_id, row.bucket): row.figures
        for row in InsightTotal.objects.filter(cycle=cycle)
        if row.figures
    } == incremental
    assert InsightRefresh.objects.get(cycle=cycle).audit_mark == second.audit_mark


def test_a_refresh_where_children_count_in_progress_recomputes_the_touched_and_above(
    db, today
) -> None:  # type: ignore[no-untyped-def]
    """When aligned objectives count in their parent's progress, a change moves its objective
    and every one above it: the refresh recomputes those (each from its children's stored
    figures), not the whole cycle, and equals a recomputation from scratch."""
    from decimal import Decimal

    from okrflow.insights.live_updates import with_ancestors
    from okrflow.okrs.actions import record_key_result_value

    summary, cycle, kr, parent = rolled_up_org(today, incremental=True)
    record_key_result_value(None, kr, value=Decimal("3"), measured_on=today)
    above = with_ancestors({kr.objective_id})
    assert parent in above and kr.objective_id in above
    refreshed = refresh_cycle(cycle, incremental=True)
    assert refreshed.recomputed == len(above) < summary.objectives  # type: ignore[attr-defined]
    stored = {
        row.objective_id: (row.progress, row.status)
        for row in ObjectiveSnapshot.objects.filter(cycle=cycle)
    }
    refresh_cycle(cycle)
    assert {
        row.objective_id: (row.progress, row.status)
        for row in ObjectiveSnapshot.objects.filter(cycle=cycle)
    } == stored


def test_a_refresh_without_a_mark_recomputes_everything(world: World, today) -> None:  # type: ignore[no-untyped-def]
    from okrflow.insights.models import InsightRefresh

    two_teams(world)
    refresh_cycle(world.cycle)
    InsightRefresh.objects.filter(cycle=world.cycle).update(audit_mark=None)
    assert refresh()["recomputed"] == 3
    assert refresh()["recomputed"] == 0  # marked again


def test_focus_owners_are_stored_on_the_snapshots(world: World, today) -> None:  # type: ignore[no-untyped-def]
    from okrflow.okrs.models import Objective

    okrs = two_teams(world)
    spec = [{"title": "Courses", "start_value": 0, "target_value": 5}]
    _, (kr,) = objective_with(world, world.member, "Learn SEO", spec)
    team, _ = objective_with(world, world.content_team, "Write guides", spec)
    refresh_cycle(world.cycle)
    rows = {
        row.objective_id: (row.owner_kind, row.owner_key, row.owner_team)
        for row in ObjectiveSnapshot.objects.filter(cycle=world.cycle)
    }
    for name in ("company", "marketing", "sales"):
        objective = Objective.objects.select_related("owner_unit").get(pk=okrs[name].pk)  # type: ignore[attr-defined]
        unit = objective.owner_unit
        assert rows[objective.pk] == ("unit", unit.pk, unit.depth >= 2)
    assert rows[kr.objective_id] == ("person", world.member.pk, False)
    assert world.content_team.depth >= 2 and rows[team.pk] == ("unit", world.content_team.pk, True)
