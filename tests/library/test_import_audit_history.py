"""The audit history an import writes stays exactly what it was: every row, in its order, with
its actor, action, summary and before/after, compared with the rows recorded from the import
before its write was made faster (`import_audit_history.json`).

Ids differ from one database (and run) to the next, so each id is written as a label: an object
the import created by its kind and the order in which the history first names it, anything else
(people, units, the cycle) by its name. Timestamps are written only as "set" or null.

To record the file again (only when the audit rows are meant to change):
    OKRFLOW_RECORD_AUDIT_HISTORY=1 .venv/bin/python -m pytest tests/library/test_import_audit_history.py
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import models

from okrflow.audit.models import AuditEntry
from okrflow.library.formats import read_file
from okrflow.library.importer import run_import
from okrflow.library.preview import build_preview
from tests.conftest import World
from tests.library.test_bulk_import import sample

RECORDED = Path(__file__).with_name("import_audit_history.json")
CREATED_KINDS = ("objective", "keyresult", "alignment", "initiative", "project")


class Labels:
    """Stable names for ids: created objects by kind and first mention, the rest by name."""

    def __init__(self) -> None:
        self.created: dict[tuple[str, int], str] = {}
        self.models = {m._meta.model_name: m for m in apps.get_models()}

    def of_created(self, kind: str, pk: int) -> str:
        key = (kind, pk)
        if key not in self.created:
            self.created[key] = f"{kind}#{sum(1 for k, _ in self.created if k == kind) + 1}"
        return self.created[key]

    def of(self, model: type[models.Model], pk: Any) -> Any:
        if pk is None:
            return None
        kind = model._meta.model_name or ""
        if kind in CREATED_KINDS and (kind, pk) in self.created:
            return self.created[(kind, pk)]
        if kind in CREATED_KINDS:
            return self.of_created(kind, pk)
        found = model._default_manager.filter(pk=pk).first()
        return f"{kind}:{found}" if found is not None else f"{kind}:gone"

    def data(self, kind: str, values: dict[str, Any] | None) -> dict[str, Any] | None:
        if values is None:
            return None
        model = self.models[kind]
        named: dict[str, Any] = {}
        for key, value in values.items():
            try:
                field = model._meta.get_field(key)
            except Exception:  # a key that is not a column ("tags")
                named[key] = value
                continue
            if field.primary_key:
                named[key] = self.of(model, value)
            elif field.is_relation and field.related_model is not None and not field.many_to_many:
                named[key] = self.of(field.related_model, value)  # type: ignore[arg-type]
            elif isinstance(field, models.DateTimeField):
                named[key] = "set" if value is not None else None
            else:
                named[key] = value
        return named


def history(since: int) -> list[list[Any]]:
    labels = Labels()
    rows = []
    for entry in AuditEntry.objects.filter(pk__gt=since).order_by("pk"):
        rows.append(
            [
                entry.actor.username if entry.actor else None,
                entry.action,
                entry.object_type,
                labels.of_created(entry.object_type, entry.object_id)
                if entry.object_type in CREATED_KINDS
                else labels.of(labels.models[entry.object_type], entry.object_id),
                entry.summary,
                labels.data(entry.object_type, entry.before),
                labels.data(entry.object_type, entry.after),
                "set" if entry.at is not None else None,
            ]
        )
    return rows


def imports(world: World, article: bytes) -> dict[str, list[list[Any]]]:
    """A JSON file (units and people, figures and sentences, tags, first values, weighted
    secondary links) by the unit lead, and the seed article (prose, initiatives, compound key
    results, a marketing heading's tag) by the system; the history of each."""
    written: dict[str, list[list[Any]]] = {}
    start = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    content = sample(6, owners=["unit:Marketing", "specialist.marketing", "unit:Content"])
    actor = world.lead.user
    preview = build_preview(read_file(content, "json"), world.cycle, actor)
    assert preview.can_import, preview.errors
    run_import(actor, preview)
    written["json"] = history(start)
    start = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    preview = build_preview(
        read_file(article, "text"), world.cycle, None, default_owner=world.marketing
    )
    assert preview.can_import, preview.errors
    run_import(None, preview)
    written["article"] = history(start)
    return written


def test_an_import_writes_the_audit_history_it_always_wrote(world: World, article: bytes) -> None:
    written = imports(world, article)
    assert len(written["json"]) == 6 + 24 + 5 + 3
    assert any(row[2] == "initiative" for row in written["article"])
    if os.environ.get("OKRFLOW_RECORD_AUDIT_HISTORY"):
        RECORDED.write_text(json.dumps(written, ensure_ascii=False, indent=1) + "\n", "utf-8")
    recorded = json.loads(RECORDED.read_text("utf-8"))
    assert written["json"] == recorded["json"]
    assert written["article"] == recorded["article"]


def test_audit_rows_built_from_values_are_the_rows_audit_entry_builds(world: World) -> None:
    """`created_entries` fills the columns by position: every column as `audit_entry` fills it."""
    from okrflow.audit.log import audit_entry, created_entries, snapshot

    objective = world.cycle.objectives.create(title="A" * 300, owner_unit=world.marketing)
    for actor in (world.lead.user, None):
        [fast] = created_entries(
            actor, [("create_objective", objective, snapshot(objective), objective.title * 2)]
        )
        slow = audit_entry(
            actor=actor,
            action="create_objective",
            instance=objective,
            before=None,
            after=snapshot(objective),
            summary=objective.title * 2,  # cut to 300 characters
        )
        columns = [f.attname for f in AuditEntry._meta.concrete_fields]
        assert [getattr(fast, c) for c in columns] == [getattr(slow, c) for c in columns]
        assert fast.actor == slow.actor
