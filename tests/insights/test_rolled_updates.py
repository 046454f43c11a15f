"""Live updates and incremental refreshes of stored insights: what they cost in queries, and,
where children count in their parents' progress, that the touched objectives and their
ancestors alone are recomputed, from the stored figures of the children left alone."""

from __future__ import annotations

import contextlib
import datetime
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from okrflow.checkins.actions import CheckInInput, LineInput, record_checkin
from okrflow.cycles.actions import create_cycle
from okrflow.cycles.models import Cycle, CycleKind, CycleState
from okrflow.engine.cadence import week_start
from okrflow.insights.live_updates import forget_pending, refresh_pending
from okrflow.insights.models import InsightTotal, ObjectiveSnapshot
from okrflow.insights.snapshots import refresh_cycle, replace_objectives
from okrflow.okrs.actions import (
    align_objective,
    archive_objective,
    create_key_result,
    record_key_result_value,
    unalign_objective,
    update_objective,
)
from okrflow.okrs.models import Alignment, Objective
from okrflow.org.models import Organisation
from tests.conftest import World
from tests.insights.conftest import friday, moment, objective_with
from tests.insights.test_snapshots import two_teams

pytestmark = pytest.mark.django_db

# Replacing one objective's stored rows: measuring and forecasting it (9; its history selected
# by its key results' ids, its own id given, not read again), its facts (2), its
# place in the map, the organisation's company units and dependencies for its risks (2), its
# old rows (3: objective, cells, risks), its owners' counts (1; they were read before and after
# the write, and its owners apart: 3), the deletes (3), the writes (2) and the totals moved (3).
REPLACE_ONE_QUERIES = 25


def test_replacing_an_objective_reads_its_owners_counts_once(world: World, today) -> None:  # type: ignore[no-untyped-def]
    okrs = two_teams(world)
    refresh_cycle(world.cycle)
    record_key_result_value(None, okrs["visits"], value=Decimal("70"), measured_on=today)
    with CaptureQueriesContext(connection) as queries:
        replace_objectives(world.cycle, {okrs["marketing"].pk}, today)
    assert len(queries) == REPLACE_ONE_QUERIES


# --- where children count in their parents' progress -------------------------------------------
#
# A quarter and a month inside it. The quarter's objectives form a tree (public and private,
# weighted links, a parent without data of its own); some of the month's objectives serve the
# quarter's (a public one with a child of its own, a private one). Random edits go through the
# actions: values, check-ins, a new key result without a value, re-alignments (a new primary
# parent, a weight, a link removed, across the cycles too), archiving, privacy switched. After
# them the stored rows of both cycles, brought up to date by the live update after each edit or
# by one incremental refresh, must equal a full recomputation.

ROLLED_FIELDS = (
    "status",
    "progress",
    "expected",
    "forecast",
    "outlook",
    "key_results",
    "has_parent",
    "score",
    "band",
    "success",
)


def rolled_world(world: World) -> tuple[list[Objective], list[Cycle]]:
    organisation = Organisation.current()
    organisation.include_children_in_progress = True
    organisation.save()
    month = create_cycle(
        None,
        name="May 2026",
        kind=CycleKind.MONTH,
        start_date=datetime.date(2026, 5, 1),
        end_date=datetime.date(2026, 5, 31),
        state=CycleState.ACTIVE,
        parent=world.cycle,
    )
    made: list[Objective] = []

    def add(owner: Any, parent: int | None, values: list[int], **extra: Any) -> None:
        objective, key_results = objective_with(
            world,
            owner,
            f"Objective {len(made)}",
            [
                {"title": f"KR {n}", "start_value": 0, "target_value": 100}
                for n in range(len(values))
            ],
            parent=None if parent is None else made[parent],
            **extra,
        )
        for kr, value in zip(key_results, values, strict=True):
            if value >= 0:
                record_key_result_value(None, kr, value=Decimal(value), measured_on=friday(2))
        made.append(objective)

    add(world.company, None, [30])  # 0
    add(world.marketing, 0, [50, 10])  # 1
    add(world.sales, 0, [-1])  # 2: no data of its own
    add(world.member, 1, [80])  # 3
    add(world.teammate, 1, [20], is_private=True)  # 4
    add(world.lead, 2, [60], kind="aspirational")  # 5
    add(world.sales_head, 2, [])  # 6: no key results
    add(world.member, 1, [40], cycle=month)  # 7: the month's, serving the quarter's
    add(world.teammate, 0, [90], cycle=month, is_private=True)  # 8: private, in the month
    add(world.lead, 7, [70], cycle=month)  # 9: below 7, in the month
    add(world.member, 3, [-1, 25])  # 10
    update_alignment(made[5], made[2], weight=Decimal(3))
    return made, [world.cycle, month]


def update_alignment(child: Objective, parent: Objective, weight: Decimal) -> None:
    align_objective(None, Objective.objects.get(pk=child.pk), parent, weight=weight)


rolled_edits = st.lists(
    st.one_of(
        st.tuples(st.just("value"), st.integers(0, 10), st.integers(0, 120)),
        st.tuples(st.just("checkin"), st.integers(0, 10), st.integers(5, 8)),
        st.tuples(st.just("new kr"), st.integers(0, 10)),
        st.tuples(st.just("align"), st.integers(0, 10), st.integers(0, 10), st.integers(1, 4)),
        st.tuples(st.just("unalign"), st.integers(0, 10)),
        st.tuples(st.just("archive"), st.integers(0, 10)),
        st.tuples(st.just("privacy"), st.integers(0, 10)),
    ),
    min_size=1,
    max_size=5,
)


def edit(world: World, made: list[Objective], change: tuple[Any, ...]) -> None:
    """Make one edit through the actions (one the actions refuse changes nothing)."""
    objective = Objective.objects.select_related("cycle").get(pk=made[change[1]].pk)
    kr = objective.key_results.order_by("pk").first()
    with contextlib.suppress(ValidationError, PermissionDenied):
        if change[0] == "value" and kr is not None:
            record_key_result_value(None, kr, value=Decimal(change[2]), measured_on=friday(7))
        elif change[0] == "checkin" and kr is not None:
            day = friday(change[2])
            with time_machine.travel(moment(day, 10), tick=False):
                record_checkin(
                    None,
                    person=kr.owner,
                    cycle=objective.cycle,
                    week=week_start(day),
                    data=CheckInInput(
                        lines={kr.pk: LineInput(value="55", confidence="high", note="")},
                        obstacles="",
                        confidence="high",
                    ),
                )
        elif change[0] == "new kr":
            create_key_result(
                None,
                objective,
                title="New",
                shape="metric",
                start_value=0,
                target_value=10,
                owner=world.member,
            )
        elif change[0] == "align":
            parent = Objective.objects.get(pk=made[change[2]].pk)
            update_alignment(objective, parent, weight=Decimal(change[3]))
        elif change[0] == "unalign":
            link = Alignment.objects.filter(child=objective).order_by("pk").first()
            if link is not None:
                unalign_objective(None, objective, link.parent)
        elif change[0] == "archive" and objective.state != "archived":
            archive_objective(None, objective)
        elif change[0] == "privacy":
            update_objective(None, objective, is_private=not objective.is_private)


def rolled_rows(cycles: list[Cycle]) -> dict[int, Any]:
    """Every stored objective row's figures, and the stored totals, of the cycles."""
    found: dict[Any, Any] = {}
    for cycle in cycles:
        for row in ObjectiveSnapshot.objects.filter(cycle=cycle).values(
            "objective_id", *ROLLED_FIELDS
        ):
            pk = row.pop("objective_id")
            found[pk] = {
                name: pytest.approx(value, abs=1e-9) if isinstance(value, float) else value
                for name, value in row.items()
            }
        for total in InsightTotal.objects.filter(cycle=cycle):
            if total.figures:
                found[(cycle.pk, total.unit_id, total.bucket)] = {
                    name: pytest.approx(value, abs=1e-6) for name, value in total.figures.items()
                }
    return found


@pytest.mark.parametrize("update", ["live", "incremental"])
def test_where_children_count_the_updated_rows_equal_a_recomputation(
    world: World, today, settings: Any, update: str
) -> None:  # type: ignore[no-untyped-def]
    settings.OKRFLOW_INSIGHTS_LIVE_LIMIT = 0  # large cycles: updated live, never on page load
    made, cycles = rolled_world(world)
    for cycle in cycles:
        refresh_cycle(cycle)
    forget_pending()
    stored = {
        pk: progress
        for pk, progress in ObjectiveSnapshot.objects.values_list("objective_id", "progress")
    }
    assert stored[made[1].pk] != pytest.approx(0.3)  # children count: not its own KRs' mean
    assert ObjectiveSnapshot.objects.get(objective=made[2]).status != "no_data"  # children's

    @settings_for_ci
    @given(rolled_edits)
    def check(changes: list[tuple[Any, ...]]) -> None:
        try:
            with transaction.atomic():
                for change in changes:
                    edit(world, made, change)
                    if update == "live":
                        refresh_pending()  # as after the edit's commit
                    else:
                        forget_pending()  # no live update: the refresh finds the changes
                if update == "incremental":
                    for cycle in cycles:
                        refresh_cycle(cycle, incremental=True)
                updated = rolled_rows(cycles)
                for cycle in cycles:
                    refresh_cycle(cycle)
                assert rolled_rows(cycles) == updated
                raise Rollback
        except Rollback:
            pass

    check()


class Rollback(Exception):
    """Undo one example's edits."""


settings_for_ci = hypothesis_settings(max_examples=12, deadline=None)
