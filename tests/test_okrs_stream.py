"""`okrflow okrs --json` is written batch by batch: the same document, byte for byte, as the
whole-cycle one it replaced (kept here as the reference), whatever the batch size."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okrflow.cycles.models import Cycle
from okrflow.okrs import measure
from okrflow.okrs.export_tree import cycle_tree_data
from okrflow.okrs.management.commands.okrs import add_checkins, with_shapes
from okrflow.okrs.models import Objective
from okrflow.org.models import Organisation
from tests.conftest import DEMO_DAY


def whole_document(cycle: Cycle, on: Any, indent: int | None) -> str:
    """What `okrs --json` printed before it streamed: the whole tree built in memory."""
    queryset = Objective.objects.live().filter(cycle=cycle)
    loaded = measure.load_objectives(queryset.order_by("position", "id"))
    reports = measure.measure_objectives(loaded, on, Organisation.current())
    data = cycle_tree_data(cycle, reports)
    add_checkins(data, queryset.values("pk"))
    with_shapes(data["objectives"], on)  # issue #16: compound parts and slots
    return json.dumps(data, ensure_ascii=False, indent=indent) + "\n"


def streamed(cycle: Cycle) -> str:
    out = io.StringIO()
    call_command("okrs", "--json", "--cycle", cycle.name, "--on", DEMO_DAY.isoformat(), stdout=out)
    return out.getvalue()


@pytest.mark.parametrize("children_count", [True, False])
@pytest.mark.parametrize("batch", [1, 3, 500])
def test_the_streamed_document_is_the_whole_one(
    demo_org: Any, db: None, monkeypatch: pytest.MonkeyPatch, children_count: bool, batch: int
) -> None:
    organisation = Organisation.current()
    organisation.include_children_in_progress = children_count
    organisation.save()
    monkeypatch.setattr(measure, "BATCH", batch)
    checked = 0
    for cycle in Cycle.objects.all():
        text = streamed(cycle)
        assert text == whole_document(cycle, DEMO_DAY, None)
        data = json.loads(text)
        checked += sum(len(o["key_results"]) for o in data["objectives"])
    assert checked > 50


def test_an_empty_cycle_is_a_valid_document(demo_org: Any, db: None) -> None:
    cycle = Cycle.objects.create(name="Empty", start_date=DEMO_DAY, end_date=DEMO_DAY)
    assert json.loads(streamed(cycle))["objectives"] == []
    assert streamed(cycle) == whole_document(cycle, DEMO_DAY, None)


def test_the_indented_document_is_the_whole_one(demo_org: Any, db: None) -> None:
    from okrflow.okrs.export_tree import stream_json

    cycle = Cycle.objects.filter(objectives__isnull=False).distinct().first()
    reference = json.loads(whole_document(cycle, DEMO_DAY, None))
    head = {"cycle": reference["cycle"], "objectives": []}
    text = "".join(stream_json(head, iter(reference["objectives"]), indent=2))
    assert text == json.dumps(reference, ensure_ascii=False, indent=2)


def test_the_queries_grow_by_batch_not_by_objective(
    demo_org: Any, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    cycle = max(Cycle.objects.all(), key=lambda c: c.objectives.count())
    counts = cycle.objectives.count()
    monkeypatch.setattr(measure, "BATCH", counts)
    with CaptureQueriesContext(connection) as one_batch:
        streamed(cycle)
    monkeypatch.setattr(measure, "BATCH", (counts + 1) // 2)
    with CaptureQueriesContext(connection) as two_batches:
        streamed(cycle)
    per_batch = len(two_batches) - len(one_batch)
    assert 0 < per_batch <= 10
    assert len(one_batch) <= 25
