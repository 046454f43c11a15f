"""Live updates and incremental refreshes of stored insights: what they cost in queries, and,
where children count in their parents' progress, that the touched objectives and their
ancestors alone are recomputed, from the stored figures of the children left alone."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okrflow.insights.snapshots import refresh_cycle, replace_objectives
from okrflow.okrs.actions import record_key_result_value
from tests.conftest import World
from tests.insights.test_snapshots import two_teams

pytestmark = pytest.mark.django_db

# Replacing one objective's stored rows: measuring and forecasting it (9), its facts (2), its
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
