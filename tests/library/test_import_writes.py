"""An import checks the whole file before its one short write transaction, so another writer is
never kept waiting for the checks; the write is in bulk, all or nothing, with an audit row for
every created row, exactly as the row-by-row actions wrote it."""

from __future__ import annotations

import json
import threading
from collections import Counter
from typing import Any

import pytest
from django.db import connections

from okrflow.audit.models import AuditEntry
from okrflow.library import importer
from okrflow.library.formats import read_file
from okrflow.library.importer import ImportFailed, run_import
from okrflow.library.preview import build_preview
from okrflow.okrs.actions import record_key_result_value
from okrflow.okrs.models import Alignment, KeyResult, KeyResultValue, Objective
from okrflow.org.models import Organisation
from tests.conftest import World, build_world, make_objective


def document(objectives: int, *, tags: bool = True) -> bytes:
    return json.dumps(
        {
            "format": "okrflow-okrs",
            "objectives": [
                {
                    "ref": f"O{index}",
                    "title": f"Objective {index}",
                    "owner": {"kind": "unit", "name": "Marketing"},
                    "tags": ["seo", "#Content"] if tags else [],
                    **({"parent": "O0"} if index else {}),
                    "key_results": [
                        {
                            "title": f"Reach {100 + k} leads ({index}.{k})",
                            "shape": "metric",
                            "start": "0",
                            "target": str(100 + k),
                            "current": "5" if k == 0 else None,
                        }
                        for k in range(3)
                    ],
                }
                for index in range(objectives)
            ],
        }
    ).encode()


def preview_for(world: World, content: bytes, actor: Any = None) -> Any:
    return build_preview(read_file(content, "json"), world.cycle, actor)


def test_every_created_row_has_its_audit_row_tags_positions_and_values(world: World) -> None:
    make_objective(world, world.marketing, "Already here")
    before = Counter(AuditEntry.objects.values_list("action", flat=True))
    result = run_import(world.lead.user, preview_for(world, document(4), world.lead.user))
    created = Objective.objects.filter(title__startswith="Objective ").order_by("position")
    assert [o.position for o in created] == [1, 2, 3, 4]
    assert len(result.objectives) == 4 and result.key_results == 12
    for objective in created:
        assert sorted(t.name for t in objective.tags.all()) == ["content", "seo"]
        assert [kr.position for kr in objective.key_results.order_by("position")] == [0, 1, 2]
    assert KeyResultValue.objects.filter(key_result__objective__in=created).count() == 4
    links = Alignment.objects.filter(child__in=created)
    assert links.count() == 3 and all(link.is_primary for link in links)
    audit = Counter(AuditEntry.objects.values_list("action", flat=True)) - before
    assert audit == {"create_objective": 4, "create_key_result": 12, "align_objective": 3}
    entry = AuditEntry.objects.filter(action="create_objective").latest("id")
    assert entry.actor == world.lead.user and entry.after["tags"] == ["content", "seo"]
    assert entry.object_id == created.last().pk


def test_a_refusal_in_the_write_keeps_nothing(world: World) -> None:
    organisation = Organisation.current()
    organisation.enforce_focus = True
    organisation.key_results_min = 1
    organisation.key_results_max = 2
    organisation.save()
    counts = (Objective.objects.count(), KeyResult.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ImportFailed) as failure:
        run_import(None, preview_for(world, document(3)))
    assert "key results" in failure.value.problems[0].message
    assert failure.value.problems[0].where == "objectives[0].key_results[2]"
    after = (Objective.objects.count(), KeyResult.objects.count(), AuditEntry.objects.count())
    assert after == counts


def test_a_loop_in_the_file_is_refused_as_align_objective_refuses_it(world: World) -> None:
    content = json.dumps(
        {
            "objectives": [
                {"ref": "A", "title": "A", "owner": "unit:Marketing", "parent": "B"},
                {"ref": "B", "title": "B", "owner": "unit:Marketing", "parent": "A"},
            ]
        }
    ).encode()
    preview = preview_for(world, content)
    if not preview.can_import:
        pytest.skip("the preview already refuses the loop")
    with pytest.raises(ImportFailed) as failure:
        run_import(None, preview)
    assert "would make a loop" in failure.value.problems[0].message
    assert not Objective.objects.filter(title__in=["A", "B"]).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fails", [False, True])
def test_another_writer_is_not_kept_waiting_while_the_file_is_checked(
    monkeypatch: pytest.MonkeyPatch, fails: bool
) -> None:
    """On SQLite the old import held the write lock while checking row after row: a value
    recorded meanwhile on another connection waited, then failed with "database is locked"."""
    world = build_world()
    kr = make_objective(world, world.member, "Theirs").key_results.get()
    if fails:
        organisation = Organisation.current()
        organisation.enforce_focus = True
        organisation.key_results_min = 1
        organisation.key_results_max = 2
        organisation.save()
    outcome: list[object] = []

    def other_writer() -> None:
        try:
            outcome.append(record_key_result_value(world.member.user, kr, value="42"))
        except Exception as error:  # reported by the assertion below
            outcome.append(error)
        finally:
            connections.close_all()

    real_build = importer.build_objective
    calls = 0

    def build_while_another_writes(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 3:  # half-way through checking the file
            thread = threading.Thread(target=other_writer)
            thread.start()
            thread.join()
        return real_build(*args, **kwargs)

    monkeypatch.setattr(importer, "build_objective", build_while_another_writes)
    preview = preview_for(world, document(4))
    if fails:
        with pytest.raises(ImportFailed):
            run_import(None, preview)
    else:
        run_import(None, preview)
    assert len(outcome) == 1 and not isinstance(outcome[0], Exception), outcome
    assert KeyResultValue.objects.filter(key_result=kr, value=42).count() == 1
    # …and the import is still all or nothing.
    imported = Objective.objects.filter(title__startswith="Objective ").count()
    assert imported == (0 if fails else 4)
    assert KeyResult.objects.filter(objective__title__startswith="Objective ").count() == (
        0 if fails else 12
    )
