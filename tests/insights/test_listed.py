"""Long lists of ids as one parameter (PostgreSQL), and a fingerprint reading each table once."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okrflow.insights.snapshots import fingerprint, refresh_cycle
from okrflow.listed import among
from okrflow.okrs.actions import record_key_result_value
from okrflow.okrs.models import KeyResult, Objective
from tests.conftest import World
from tests.insights.test_snapshots import two_teams

pytestmark = pytest.mark.django_db


def test_among_selects_what_in_selects(world: World) -> None:
    two_teams(world)
    ids = sorted(Objective.objects.values_list("pk", flat=True))
    wanted = ids[:2]
    for given in (wanted, set(wanted), tuple(wanted), [], Objective.objects.filter(pk__in=wanted)):
        expected = set(
            KeyResult.objects.filter(objective_id__in=given).values_list("pk", flat=True)
        )
        found = set(
            KeyResult.objects.filter(among("objective_id", given)).values_list("pk", flat=True)
        )
        assert found == expected
    # Combined with another filter either way round, and across a relation.
    either = among("objective_id", wanted[:1]) | among("pk", [])
    assert set(KeyResult.objects.filter(either)) == set(
        KeyResult.objects.filter(objective_id=wanted[0])
    )
    assert set(Objective.objects.filter(among("key_results__objective_id", wanted))) == set(
        Objective.objects.filter(pk__in=wanted)
    )


HISTORY_COLUMNS = [
    '"okrs_keyresultvalue"."key_result_id"',
    '"checkins_keyresultcheckin"."key_result_id"',
    '"okrs_initiative"."key_result_id"',
    '"insights_objectivesnapshot"."objective_id"',
    '"insights_heatsnapshot"."objective_id"',
    '"insights_risksnapshot"."objective_id"',
    # `measure.load_objectives`: the objectives' key results, parent links and tags.
    '"okrs_keyresult"."objective_id"',
    '"okrs_alignment"."child_id"',
    '"okrs_objective_tags"."objective_id"',
]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="one array parameter: PostgreSQL")
def test_an_incremental_refresh_lists_ids_as_one_array(world: World, today) -> None:  # type: ignore[no-untyped-def]
    okrs = two_teams(world)
    refresh_cycle(world.cycle)
    record_key_result_value(None, okrs["visits"], value=Decimal("70"), measured_on=today)
    with CaptureQueriesContext(connection) as queries:
        refresh = refresh_cycle(world.cycle, incremental=True)
    assert refresh.recomputed == 1  # type: ignore[attr-defined]
    statements = [query["sql"] for query in queries]
    for column in HISTORY_COLUMNS:
        assert not any(f"{column} IN (" in sql for sql in statements), column
        assert any(f"{column} = ANY(" in sql for sql in statements), column


def test_the_fingerprint_reads_the_cycles_key_results_once(world: World, today) -> None:  # type: ignore[no-untyped-def]
    okrs = two_teams(world)
    with CaptureQueriesContext(connection) as queries:
        first = fingerprint(world.cycle, today)
    (sql,) = [query["sql"] for query in queries]
    # Its key results: once for theirs, once below the initiatives'; objectives: once each.
    assert sql.count('FROM "okrs_keyresult"') == 2
    assert sql.count('FROM "okrs_objective"') == 3
    # The append-only value history by its newest id alone: never a count of every value.
    assert 'SELECT MAX(id) FROM "okrs_keyresultvalue"' in sql
    assert 'COUNT(*) FROM "okrs_keyresultvalue"' not in sql
    # Still moved by what it describes.
    record_key_result_value(None, okrs["visits"], value=Decimal("71"), measured_on=today)
    assert fingerprint(world.cycle, today) != first
    assert fingerprint(world.cycle, today + datetime.timedelta(days=1)) != fingerprint(
        world.cycle, today
    )
