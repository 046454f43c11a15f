"""The stored totals equal a recount from scratch, for every persona, whatever the edits.

Random small organisations of objectives (public and private, owned by people, units, a
project and someone outside every unit, with and without key results and parents) go through
random edits: new objectives, values, archiving, privacy switched, kind changed. Each edit
reaches the totals the way it does in production, by the live update after it commits
(incremental: old contribution out, new one in). Then, for each persona, every figure a page
reads from the totals (company and every unit: counts by status and outlook, risks by kind,
heat map, F.A.C.T.S. with its owners' histogram, the review's grades by department) must equal a recount over the snapshot rows the persona may see — and a
full rebuild must give the very same rows. The key result figures stored for the lists must
equal a live computation, after the edits and after the rebuild.
"""

from __future__ import annotations

import contextlib
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from okrflow.checkins.compliance import compliance_totals, people_in
from okrflow.insights.collect import collect_insights, visible_objectives
from okrflow.insights.facts import (
    alignment_panel,
    commitment_panel,
    focus_panel,
    stretching_panel,
    viewer_owner_histogram,
)
from okrflow.insights.listing import key_result_lines
from okrflow.insights.live_updates import refresh_pending
from okrflow.insights.models import InsightRefresh, InsightTotal, ObjectiveSnapshot
from okrflow.insights.review import review_totals, stored_review
from okrflow.insights.snapshots import refresh_cycle
from okrflow.insights.standings import stored_compliance
from okrflow.insights.stored import (
    Scope,
    risk_counts,
    stored_heat_map,
    summarise_stored,
    viewer_scope,
)
from okrflow.insights.totals import Tree
from okrflow.insights.views.common import objectives_of_unit
from okrflow.okrs.actions import (
    archive_objective,
    create_key_result,
    create_objective,
    record_key_result_value,
    update_objective,
)
from okrflow.okrs.models import Objective
from okrflow.org.actions import create_project
from okrflow.org.models import Organisation, OrgUnit
from tests.conftest import World
from tests.insights.conftest import friday, moment

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    """Undo one example's edits."""


def owners(world: World, project: Any) -> list[Any]:
    return [
        world.member,
        world.teammate,
        world.lead,
        world.sales_head,
        world.outsider,
        world.marketing,
        world.content_team,
        world.company,
        project,
    ]


def personas(world: World) -> list[Any]:
    return [
        world.admin,
        world.ceo,
        world.lead,
        world.member,
        world.teammate,
        world.sales_head,
        world.outsider,
    ]


edits = st.lists(
    st.one_of(
        st.tuples(
            st.just("create"),
            st.integers(0, 8),  # owner
            st.booleans(),  # private
            st.sampled_from(["committed", "aspirational"]),
            st.integers(0, 3),  # key results
            st.booleans(),  # drafted by the owner
            st.integers(0, 20),  # parent, when it exists
        ),
        st.tuples(st.just("value"), st.integers(0, 30), st.integers(0, 120), st.integers(1, 8)),
        st.tuples(st.just("archive"), st.integers(0, 30)),
        st.tuples(st.just("privacy"), st.integers(0, 30)),
        st.tuples(st.just("kind"), st.integers(0, 30)),
        st.tuples(st.just("checkin"), st.integers(0, 30), st.integers(1, 8), st.booleans()),
    ),
    max_size=6,
)


def create(world: World, project: Any, spec: tuple[Any, ...], objectives: list[Objective]) -> None:
    _, owner_index, private, kind, key_results, drafted, parent_index = spec
    owner = owners(world, project)[owner_index]
    actor = owner.user if drafted and hasattr(owner, "user") else None
    parent = objectives[parent_index] if parent_index < len(objectives) else None
    if parent is not None and (parent.is_private or parent.state == "archived"):
        parent = None
    objective = create_objective(
        actor,
        cycle=world.cycle,
        title=f"Objective {len(objectives)}",
        owner=owner,
        kind=kind,
        is_private=private,
        parent=parent,
    ).value
    for n in range(key_results):
        kr = create_key_result(
            None,
            objective,
            title=f"KR {n}",
            shape="metric",
            start_value=0,
            target_value=100,
            owner=world.member,
        ).value
        record_key_result_value(None, kr, value=Decimal(10 * (n + 1)), measured_on=friday(2))
    objectives.append(objective)


def apply(world: World, project: Any, edit: tuple[Any, ...], objectives: list[Objective]) -> None:
    """Make one edit through the actions, then let its live update run as after a commit."""
    if edit[0] == "create":
        create(world, project, edit, objectives)
    elif objectives:
        objective = Objective.objects.get(pk=objectives[edit[1] % len(objectives)].pk)
        if objective.state == "archived":
            return
        if edit[0] == "value":
            kr = objective.key_results.first()
            if kr is None:
                return
            record_key_result_value(None, kr, value=Decimal(edit[2]), measured_on=friday(edit[3]))
        elif edit[0] == "archive":
            archive_objective(None, objective)
        elif edit[0] == "privacy":
            update_objective(None, objective, is_private=not objective.is_private)
        elif edit[0] == "checkin":
            check_in_on(world, objective, edit[2], late=edit[3])
        elif edit[0] == "kind":
            kind = "aspirational" if objective.kind == "committed" else "committed"
            update_objective(None, objective, kind=kind)
    refresh_pending()


def check_in_on(world: World, objective: Objective, week: int, *, late: bool) -> None:
    """Submit the check-in of the objective's first key result's owner, on time or late."""
    from okrflow.checkins.actions import CheckInInput, LineInput, record_checkin
    from okrflow.engine.cadence import week_start

    kr = objective.key_results.first()
    if kr is None:
        return
    day = friday(week)
    # A week already checked in refuses a second one: nothing changes.
    with (
        time_machine.travel(moment(day, 20 if late else 10), tick=False),
        contextlib.suppress(ValidationError),
    ):
        record_checkin(
            None,
            person=kr.owner,
            cycle=world.cycle,
            week=week_start(day),
            data=CheckInInput(
                lines={kr.pk: LineInput(value="50", confidence="medium", note="")},
                obstacles="",
                confidence="medium",
            ),
        )


def check_compliance(world: World) -> None:
    """The stored compliance equals the check-ins app's, for the company and every unit."""
    now = timezone.now()
    tree = Tree.load()
    for unit in [None, *OrgUnit.objects.order_by("path")]:
        live = compliance_totals(world.cycle, people_in(unit), now)
        stored = stored_compliance(world.cycle, unit, now, tree)
        assert (
            stored.people,
            stored.on_time,
            stored.late,
            stored.missed,
            stored.missed_last,
            stored.missed_last_count,
        ) == (
            live.people,
            live.on_time,
            live.late,
            live.missed,
            sorted(live.missed_last)[:6],  # the first few by person id
            len(live.missed_last),
        ), unit


def close(a: Any, b: Any) -> bool:
    return a == pytest.approx(b, abs=1e-6) if isinstance(a, float) else a == b


def heat(scope: Scope, units: list[OrgUnit]) -> list[tuple[Any, ...]]:
    found = stored_heat_map(scope, units, max_depth=9)
    return [
        (
            row.unit.pk,
            row.key_results,
            pytest.approx(row.forecast, abs=1e-6),
            [
                (
                    None if cell.progress is None else pytest.approx(cell.progress, abs=1e-6),
                    None if cell.pace is None else pytest.approx(cell.pace, abs=1e-6),
                )
                for cell in row.cells
            ],
        )
        for row in found.rows
    ]


def figures(scope: Scope, units: list[OrgUnit]) -> dict[str, Any]:
    """Everything a page reads from totals for this scope."""
    counts = risk_counts(scope)
    summary = summarise_stored(scope, counts)
    organisation = Organisation.current()
    panels = {
        "alignment": alignment_panel(scope),
        "commitment": commitment_panel(scope),
        "stretching": stretching_panel(scope),
        "focus": focus_panel(scope, organisation),
    }
    return {
        "counts": {kind: n for kind, n in counts.items() if n},
        "objectives": summary.objectives,
        "key_results": summary.key_results,
        "statuses": summary.statuses,
        "outlooks": {name: n for name, n in summary.outlooks.items() if n},
        "heat": heat(scope, units),
        "risks": sorted(scope.risks().values_list("pk", flat=True)),
        "map": sorted(scope.objectives().values_list("objective_id", flat=True)),
        "panels": {
            key: (
                panel.part,
                panel.whole,
                panel.notes_total,
                {
                    name: pytest.approx(value, abs=1e-6) if isinstance(value, float) else value
                    for name, value in panel.extra.items()
                },
            )
            for key, panel in panels.items()
        },
    }


def review_figures(review: Any) -> tuple[Any, ...]:
    """What the review page shows of a large cycle: totals and one line per department."""
    return (
        review.objectives,
        review.bands,
        review.mean_score,
        review.success_rate("committed"),
        review.success_rate("aspirational"),
        [
            (section.key, section.name, section.count, section.mean_score, section.successes)
            for section in review.sections
        ],
    )


def check_lines(world: World) -> None:
    """The key result figures stored with each snapshot (the unit and person lists) equal a
    live computation."""
    objectives = visible_objectives(None, world.cycle)
    insights = collect_insights(world.cycle, objectives, timezone.localdate())
    stored = dict(
        ObjectiveSnapshot.objects.filter(cycle=world.cycle).values_list("objective_id", "lines")
    )
    assert stored == {oi.objective.pk: key_result_lines(oi) for oi in insights.objectives}


def check_every_persona(world: World) -> None:
    check_compliance(world)
    check_lines(world)
    refresh = InsightRefresh.objects.get(cycle=world.cycle)
    units = list(OrgUnit.objects.order_by("path"))
    for person in personas(world):
        user = person.user
        visible = visible_objectives(user, world.cycle)
        stored = viewer_scope(world.cycle, refresh, visible.values("pk"), user)
        recount = Scope(world.cycle, refresh, visible.values("pk"))
        assert figures(stored, units) == figures(recount, units), person
        # Focus counted its owners from the totals' histogram, not the rows (its fallback).
        assert viewer_owner_histogram(stored) is not None, person
        stored_grades = stored_review(stored)
        assert stored_grades is not None  # the totals hold the review's figures
        assert review_figures(stored_grades) == review_figures(
            review_totals(world.cycle, visible)
        ), person
        for unit in units:
            mine = visible.filter(pk__in=objectives_of_unit(unit)).values("pk")
            below = [u for u in units if u.path.startswith(unit.path)]
            stored = viewer_scope(world.cycle, refresh, mine, user, unit)
            recount = Scope(world.cycle, refresh, mine)
            assert figures(stored, below) == figures(recount, below), (person, unit)
            assert viewer_owner_histogram(stored) is not None, (person, unit)


def total_rows(world: World) -> dict[tuple[Any, ...], dict[str, Any]]:
    return {
        (row.unit_id, row.bucket): {
            name: pytest.approx(value, abs=1e-6) for name, value in row.figures.items()
        }
        for row in InsightTotal.objects.filter(cycle=world.cycle)
        if row.figures  # a row whose objectives all left holds nothing
    }


def test_stored_totals_equal_a_recount_for_every_persona(
    world: World, today, settings: Any
) -> None:  # type: ignore[no-untyped-def]
    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 0  # every edit goes through the incremental update
    project = create_project(
        None, name="Launch", lead=world.sales_head, members=[world.teammate], unit=world.sales
    )
    objectives: list[Objective] = []
    specs = [
        ("create", 7, False, "committed", 2, False, 99),
        ("create", 0, True, "aspirational", 1, True, 0),
        ("create", 5, True, "committed", 3, False, 0),
        ("create", 8, True, "committed", 1, False, 99),
        ("create", 4, True, "aspirational", 2, True, 99),
        ("create", 1, False, "committed", 1, True, 2),
    ]
    for spec in specs:
        create(world, project, spec, objectives)
    check_in_on(world, objectives[0], 2, late=False)
    check_in_on(world, objectives[1], 3, late=True)
    refresh_cycle(world.cycle)
    start = stored_compliance(world.cycle, None, timezone.now(), Tree.load())
    assert (start.on_time, start.late) == (1, 1) and start.missed > 0  # the checks check something
    check_every_persona(world)

    @settings_for_ci
    @given(edits)
    def check(changes: list[tuple[Any, ...]]) -> None:
        made = list(objectives)
        try:
            with transaction.atomic():
                for edit in changes:
                    apply(world, project, edit, made)
                check_every_persona(world)
                incremental = total_rows(world)
                refresh_cycle(world.cycle)
                assert total_rows(world) == incremental
                check_lines(world)
                raise Rollback
        except Rollback:
            pass

    check()


settings_for_ci = settings(max_examples=6)
