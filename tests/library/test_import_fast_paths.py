"""The import's quick ways of making model instances make exactly what the plain ways make:
every column, and the related objects the instance holds."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from okrflow.library.importer import first_values
from okrflow.okrs.actions.key_results import build_key_result, first_value
from okrflow.okrs.models import KeyResult, KeyResultValue, Objective
from tests.conftest import World

KEY_RESULTS: list[dict[str, Any]] = [
    {"title": "Reach 100 leads", "start_value": "0", "target_value": "100"},
    {
        "title": "Reach 5 deals",
        "shape": "metric",
        "start_value": "0",
        "target_value": "5",
        "current_value": "2",
        "weight": "2.5",
    },
    {"title": "Stay above 90", "shape": "threshold", "target_value": "90", "unit": " pts "},
    {
        "title": "Half the churn",
        "shape": "percentage",
        "direction": "decrease",
        "start_value": "10",
        "target_value": "5",
    },
    {"title": "Sell 1 billion", "shape": "currency", "start_value": "0", "target_value": "1e9"},
    {
        "title": "Grow signups by 20%",
        "shape": "relative",
        "start_value": "400",
        "relative_change": "20",
        "baseline_label": "last quarter",
    },
    {"title": "Ship the app", "shape": "milestone", "direction": "increase"},
    {
        "title": "Publish weekly",
        "shape": "recurring",
        "per_period": "1",
        "period": "week",
        "slot_weekday": 2,
        "slot_hour": 9,
    },
]


def columns_of(instance: Any) -> list[Any]:
    return [getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields]


@pytest.mark.parametrize("fields", KEY_RESULTS)
def test_build_key_result_holds_its_objective_and_owner(world: World, fields: dict) -> None:
    """`build_key_result` makes its key result by keyword: the columns it checked, with the
    objective and owner held (the import keeps its columns, `compact`, and makes it again)."""
    for objective in (
        Objective(cycle=world.cycle, title="Unsaved", owner_unit=world.marketing),
        world.cycle.objectives.create(title="Saved", owner_unit=world.marketing),
    ):
        built = build_key_result(world.lead.user, objective, owner=world.member, **fields)
        given = {f.attname: getattr(built, f.attname) for f in KeyResult._meta.concrete_fields}
        given = {k: v for k, v in given.items() if k not in ("objective_id", "owner_id")}
        slow = KeyResult(objective=objective, owner=world.member, **given)
        assert columns_of(slow) == columns_of(built)
        assert built.objective is objective and built.owner is world.member
        assert built._state.adding and built.pk is None


def test_first_values_are_the_rows_first_value_makes(world: World) -> None:
    objective = world.cycle.objectives.create(title="Saved", owner_unit=world.marketing)
    saved = []
    for index, current in enumerate([Decimal("2"), None, Decimal("7.25"), Decimal("0")]):
        kr = build_key_result(
            None,
            objective,
            title=f"Reach {index}",
            owner=world.member,
            start_value="0",
            target_value="10",
            current_value=current,
        )
        kr.position = index
        kr.save()
        saved.append(kr)
    pairs = [(kr.pk, kr.current_value) for kr in saved]
    for actor in (world.lead.user, None):
        fast = first_values(actor, pairs)
        slow = [first_value(actor, kr) for kr in saved if kr.current_value is not None]
        assert len(fast) == len(slow) == 3
        assert fast == [columns_of(v) for v in slow]
        assert {row[3] for row in fast} == {timezone.localdate()}  # measured_on
    assert first_values(None, [pairs[1]]) == []
    names = [f.attname for f in KeyResultValue._meta.concrete_fields]
    assert names[:4] == ["id", "key_result_id", "value", "measured_on"]


def test_each_finding_is_worded_as_describe_words_it() -> None:
    """`word_findings` words each rule and parameters once: every finding keeps its own words,
    parameters that are equal but written differently included (1 and 1.0)."""
    from okrflow.engine.quality import Finding
    from okrflow.library.checking import word_findings
    from okrflow.library.quality_messages import describe

    findings = [
        Finding("objective_has_number", 0, params={"number": Decimal("1")}),
        Finding("objective_has_number", 1, params={"number": Decimal("1.0")}),
        Finding("objective_has_number", 1, params={"number": 1}),
        Finding("objective_has_number", 0, params={"number": 1.0}),
        Finding("objective_has_number", 0, params={"number": "1"}),
        Finding("kr_duplicate", 0, 1, params={"same_as": 0}),
        Finding("kr_duplicate", 1, 2, params={"same_as": 0}),
        Finding("kr_duplicate", 1, 1, params={"same_as": 1}),
        Finding("too_many_key_results", 1, params={"count": 6, "min": 2, "max": 5}),
        Finding("too_many_key_results", 0, params={"count": 7, "min": 2, "max": 5}),
        Finding("kr_not_measurable", 0, 0),
    ]
    titles = [("First", 1, [("a", 2), ("b", 3)]), ("Second", 4, [("c", 5), ("d", 6), ("e", 7)])]
    worded = word_findings(findings, titles)
    assert [(w.message, w.hint) for w in worded] == [describe(f) for f in findings]
    assert len({w.message for w in worded[:5]}) == 2  # "1" and "1.0"


def test_compact_keeps_every_column_in_order(world: World) -> None:
    from okrflow.library.preview import compact

    objective = Objective(cycle=world.cycle, title="Unsaved", owner_unit=world.marketing)
    kr = build_key_result(None, objective, owner=world.member, **KEY_RESULTS[1])
    values, parts = compact(kr)
    assert values == tuple(columns_of(kr)) and parts is None


@pytest.mark.parametrize("large", [False, True])
def test_a_large_insert_stamps_its_rows_with_one_time(world: World, large: bool) -> None:
    """The import's inserts (`large`) stamp every row of a call with one time, taken during the
    call and stored as the instance holds it; other inserts still stamp each row's own time."""
    from okrflow.library.bulk_insert import insert

    objectives = [
        Objective(cycle=world.cycle, title=f"Stamped {n}", owner_unit=world.marketing)
        for n in range(40)
    ]
    before = timezone.now()
    insert(Objective, objectives, large=large)
    after = timezone.now()
    stored = dict(
        Objective.objects.filter(pk__in=[o.pk for o in objectives]).values_list("pk", "created_at")
    )
    assert all(stored[o.pk] == o.created_at for o in objectives)
    assert all(before <= o.created_at <= o.updated_at <= after for o in objectives)
    stamps = {stamp for o in objectives for stamp in (o.created_at, o.updated_at)}
    assert len(stamps) == 1 if large else len(stamps) > 1


def test_a_row_snapshot_is_the_instances_snapshot(world: World) -> None:
    """The audit snapshot of a key result written from its column values is `snapshot` of the
    instance holding them, JSON values shared within a batch told apart by how they are
    written (1.5 and 1.50 are equal decimals, "1.5" and "1.50" in the audit row)."""
    import datetime

    from okrflow.audit.log import snapshot
    from okrflow.library.importer import row_snapshot

    objective = world.cycle.objectives.create(title="Saved", owner_unit=world.marketing)
    known: dict[Any, Any] = {}
    for start, target, due in [
        (Decimal("1.5"), Decimal("10"), world.cycle.end_date),
        (Decimal("1.50"), Decimal("10.0"), world.cycle.end_date),
        (Decimal("-0"), Decimal("1E+1"), world.cycle.end_date - datetime.timedelta(days=1)),
    ]:
        kr = KeyResult(
            objective=objective,
            title="K",
            owner=world.member,
            start_value=start,
            target_value=target,
            due_date=due,
            created_at=timezone.now(),
            pk=7,
        )
        assert row_snapshot(KeyResult, columns_of(kr), known) == snapshot(kr)
