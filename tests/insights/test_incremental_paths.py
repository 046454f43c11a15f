"""The incremental refresh's shortcuts: what a new value or a check-in may move, and no more."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from okrflow.audit.models import AuditEntry
from okrflow.checkins import scope
from okrflow.insights import standings, totals
from okrflow.insights.collect import visible_objectives
from okrflow.insights.live_updates import Changes, objectives_touched, people_and_recount
from okrflow.insights.models import CheckinStanding, HeatSnapshot, ObjectiveSnapshot
from okrflow.insights.snapshots import (
    HeatRow,
    changed_cells,
    compute_rows,
    map_places,
    refresh_cycle,
)
from okrflow.insights.totals import StoredRows
from okrflow.okrs.actions import record_key_result_value, update_key_result
from tests.conftest import World
from tests.insights.conftest import check_in, objective_with
from tests.insights.test_snapshots import two_teams

pytestmark = pytest.mark.django_db


def entries_after(mark: int) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(id__gt=mark).order_by("id"))


def newest() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def test_a_new_value_moves_its_objective_and_nobodys_standing(world: World, today) -> None:  # type: ignore[no-untyped-def]
    objective, (kr,) = objective_with(
        world,
        world.marketing,
        "Grow",
        [{"title": "Visits", "start_value": 0, "target_value": 100, "owner": world.member}],
    )
    mark = newest()
    record_key_result_value(None, kr, value=Decimal("5"), measured_on=today)
    valued = Changes.of(entries_after(mark))
    assert valued.valued == {kr.pk}
    assert objectives_touched(valued) == {objective.pk}
    assert people_and_recount(valued)[0] == set()  # a standing counts key results, never values

    # A change of its owner afterwards: the people on either side of it count again.
    update_key_result(None, kr, owner=world.teammate)
    both = Changes.of(entries_after(mark))
    assert both.valued == set()
    assert {world.member.pk, world.teammate.pk} <= people_and_recount(both)[0]

    # Merged from two transactions, in either order, the owner change wins.
    first, second = entries_after(mark)[:1], entries_after(mark)[1:]
    for one, other in ((first, second), (second, first)):
        merged = Changes.of(one)
        merged.update(Changes.of(other))
        assert merged.valued == set() and merged.ids["keyresult"] == {kr.pk}

    # Through the task queue, and from a task queued before the field existed.
    assert Changes.from_json(valued.to_json()) == valued
    old_task = {key: value for key, value in valued.to_json().items() if key != "valued"}
    assert Changes.from_json(old_task).valued == set()
    assert world.teammate.pk in people_and_recount(Changes.from_json(old_task))[0]  # its owner now


def standing_rows(world: World) -> dict[int, tuple[Any, ...]]:
    return {
        row.person_id: (row.pk, row.unit_id, row.key_results, row.marks, row.last_week)
        for row in CheckinStanding.objects.filter(cycle=world.cycle)
    }


def test_check_ins_are_judged_again_without_counting_key_results(
    world: World, today, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """After check-ins alone, the people keep their stored key result counts, only the standings
    that moved are written again, and they equal a recomputation from scratch."""
    okrs = two_teams(world)
    refresh_cycle(world.cycle)
    before = standing_rows(world)
    check_in(world, world.member, 9, {okrs["visits"]: (30, "high", "")})

    def counted(*_args: Any) -> Any:
        raise AssertionError("a check-in moves no one's key results")

    with monkeypatch.context() as patched:
        patched.setattr(standings, "people_key_result_counts", counted)
        patched.setattr(scope, "key_result_counts", counted)
        patched.setattr(standings, "cycle_key_result_counts", counted)
        refreshed = refresh_cycle(world.cycle, incremental=True)
    assert refreshed.recomputed >= 1  # type: ignore[attr-defined]
    after = standing_rows(world)
    assert after[world.member.pk][3] != before[world.member.pk][3]  # the week is marked
    unchanged = {pk for pk in before if pk != world.member.pk}
    assert {pk: after[pk] for pk in unchanged} == {pk: before[pk] for pk in unchanged}

    # Asked to judge everyone again, it rewrites nobody whose standing is the same.
    standings.update_standings(world.cycle, set(before))
    assert standing_rows(world) == after

    refresh_cycle(world.cycle)  # from scratch: everyone's rows rebuilt
    assert {pk: row[1:] for pk, row in standing_rows(world).items()} == {
        pk: row[1:] for pk, row in after.items()
    }


def test_history_by_key_result_ids_equals_history_by_subquery(world: World, today) -> None:  # type: ignore[no-untyped-def]
    """The incremental refresh selects its objectives' history by their key results' ids."""
    okrs = two_teams(world)
    check_in(world, world.member, 9, {okrs["visits"]: (30, "high", "a note")})
    queryset = visible_objectives(None, world.cycle)
    ids = list(queryset.order_by("pk").values_list("pk", flat=True))
    by_subquery = compute_rows(world.cycle, queryset, today, map_places)
    by_ids = compute_rows(world.cycle, queryset, today, map_places, ids=ids)
    assert by_ids.objectives and by_ids.cells and by_ids.risks
    assert by_ids == by_subquery


def heat_rows(world: World) -> dict[tuple[int, Any], tuple[Any, ...]]:
    return {
        (row.objective_id, row.day): (
            row.pk,
            row.unit_id,
            row.progress_sum,
            row.pace_sum,
            row.known,
        )
        for row in HeatSnapshot.objects.filter(cycle=world.cycle)
    }


def test_the_heat_map_cells_that_did_not_change_stay_as_they_are(world: World, today) -> None:  # type: ignore[no-untyped-def]
    """An incremental refresh rewrites only the heat-map cells whose sums moved: the others
    keep their rows (their ids), and the whole map equals a recomputation from scratch."""
    okrs = two_teams(world)
    refresh_cycle(world.cycle)
    before = heat_rows(world)
    marketing = okrs["marketing"].pk  # type: ignore[attr-defined]
    days = sorted(day for objective_id, day in before if objective_id == marketing)
    assert len(days) >= 3
    # A correction on an earlier day of the map: that day's cell moves (a later value stands
    # on the days after it).
    record_key_result_value(None, okrs["visits"], value=Decimal("40"), measured_on=days[-2])
    refreshed = refresh_cycle(world.cycle, incremental=True)
    assert refreshed.recomputed >= 1  # type: ignore[attr-defined]
    after = heat_rows(world)
    assert set(after) == set(before)
    moved = (marketing, days[-2])
    assert after[moved][0] != before[moved][0] and after[moved][2] != before[moved][2]
    assert {key: row for key, row in after.items() if key != moved} == {
        key: row for key, row in before.items() if key != moved
    }  # the same rows, untouched
    refresh_cycle(world.cycle)  # from scratch
    assert {key: row[1:] for key, row in heat_rows(world).items()} == {
        key: row[1:] for key, row in after.items()
    }


def test_cells_compare_to_the_bit() -> None:
    """A stored cell is kept only when every column is the same, a zero's sign included."""
    day = datetime.date(2026, 1, 5)
    stored = StoredRows([], [(1, day, 0.0, 0.5, 1), (1, day, 0.25, 0.5, 1)], [], [10, 11], [3, 3])
    cells = [
        HeatRow(1, 7, 3, day, -0.0, 0.5, 1),  # -0.0 is stored otherwise than 0.0
        HeatRow(1, 7, 3, day, 0.25, 0.5, 1),  # the same: kept
        HeatRow(1, 7, 4, day, 0.25, 0.5, 1),  # another unit
    ]
    stale, fresh = changed_cells(stored, cells)
    assert stale == [10]
    assert fresh == [cells[0], cells[2]]


@pytest.mark.parametrize("chunk", [1, 1000])
def test_a_new_objective_below_a_new_one_is_placed_below_it_whatever_the_chunks(  # type: ignore[no-untyped-def]
    world: World, today, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    """New objectives take their place in the alignment map below their first parent, stored
    or new itself: the same whether they are computed in one chunk or apart."""
    okrs = two_teams(world)
    refresh_cycle(world.cycle)
    middle, _ = objective_with(
        world,
        world.marketing,
        "Rank first",
        [{"title": "Rank", "start_value": 0, "target_value": 10}],
        parent=okrs["marketing"],
    )
    low, _ = objective_with(
        world,
        world.marketing,
        "Write posts",
        [{"title": "Posts", "start_value": 0, "target_value": 10}],
        parent=middle,
    )
    monkeypatch.setattr(totals, "CHUNK", chunk)
    refreshed = refresh_cycle(world.cycle, incremental=True)
    assert refreshed.recomputed >= 2  # type: ignore[attr-defined]
    places = {
        pk: (order, depth)
        for pk, order, depth in ObjectiveSnapshot.objects.filter(cycle=world.cycle).values_list(
            "objective_id", "map_order", "map_depth"
        )
    }
    order, depth = places[okrs["marketing"].pk]  # type: ignore[attr-defined]
    assert places[middle.pk] == (order, depth + 1)
    assert places[low.pk] == (order, depth + 2)


def snapshot_rows() -> dict[int, tuple[Any, ...]]:
    return {
        row.objective_id: (row.status, row.progress, row.forecast, row.outlook, row.map_order)
        for row in ObjectiveSnapshot.objects.all()
    }


def test_an_incremental_refresh_of_most_of_a_large_cycle_rewrites_it_whole(
    world: World, today, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """Past `REWRITE_FROM_SHARE` of a cycle of `REWRITE_FROM_OBJECTIVES` or more (on a database
    where a whole rewrite measured cheaper), the changed objectives are not taken out and put
    back one by one: the cycle is rewritten whole (the same rows as a refresh from scratch);
    below it, the incremental path runs."""
    from okrflow.insights import snapshots
    from okrflow.okrs.models import KeyResult

    okrs = two_teams(world)
    refresh_cycle(world.cycle)
    from django.db import connection

    monkeypatch.setattr(snapshots, "REWRITE_FROM_OBJECTIVES", 3)  # this cycle counts as large
    # Where a whole rewrite pays (SQLite, as shipped): here on either database.
    monkeypatch.setattr(snapshots, "REWRITE_FROM_SHARE", {connection.vendor: 0.75})
    incremental_runs: list[int] = []
    real_refresh_changed = snapshots.refresh_changed

    def counted(*args: Any, **kwargs: Any) -> Any:
        incremental_runs.append(len(args[2]))
        return real_refresh_changed(*args, **kwargs)

    monkeypatch.setattr(snapshots, "refresh_changed", counted)
    # A value of one key result: a few of the three objectives, incrementally.
    record_key_result_value(None, okrs["visits"], value=Decimal("45"), measured_on=today)
    refresh_cycle(world.cycle, incremental=True)
    assert len(incremental_runs) == 1 and incremental_runs[0] < 3

    # A value in every objective: all three of three changed, rewritten whole.
    for objective in (okrs["company"], okrs["marketing"], okrs["sales"]):
        key_result = KeyResult.objects.filter(objective=objective).order_by("pk").first()
        assert key_result is not None
        record_key_result_value(None, key_result, value=Decimal("60"), measured_on=today)
    whole = refresh_cycle(world.cycle, incremental=True)
    assert len(incremental_runs) == 1  # not called again
    assert whole.recomputed == 3  # type: ignore[attr-defined]
    rewritten = snapshot_rows()
    refresh_cycle(world.cycle)  # from scratch
    assert snapshot_rows() == rewritten
