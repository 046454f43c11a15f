"""Copy an objective (into this or another cycle) and move a key result between objectives."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.action_support import Outcome
from okrflow.audit.log import record_change, snapshot
from okrflow.cycles.models import Cycle
from okrflow.okrs.actions.common import require_edit, require_open_cycle
from okrflow.okrs.actions.key_results import create_key_result
from okrflow.okrs.actions.objectives import (
    align_objective,
    alignable_cycle_ids,
    create_objective,
)
from okrflow.okrs.models import KeyResult, Objective, ObjectiveState, Shape


def shifted_due(due: datetime.date, source: Cycle, target: Cycle) -> datetime.date:
    """Keep a due date's distance from the cycle start, inside the target cycle."""
    moved = target.start_date + (due - source.start_date)
    return min(max(moved, target.start_date), target.end_date)


@transaction.atomic
def duplicate_objective(
    actor: Any, objective: Objective, *, cycle: Cycle | None = None
) -> Outcome[Objective]:
    """Copy an objective and its key results as a draft, in its own cycle or another one."""
    source = Objective.objects.select_related(
        "cycle", "owner_person", "owner_unit", "owner_project"
    ).get(pk=objective.pk)
    require_edit(actor, source)
    target_cycle = cycle or source.cycle
    require_open_cycle(target_cycle)
    outcome = create_objective(
        actor,
        cycle=target_cycle,
        title=source.title,
        description=source.description,
        owner=source.owner,
        kind=source.kind,
        is_private=source.is_private,
        tags=[tag.name for tag in source.tags.all()],
        state=ObjectiveState.DRAFT,
    )
    copy = outcome.value
    # Keep the links the copy's cycle allows: its own cycle's parents and those of cycles
    # around it (a month objective copied to the next month keeps its quarter parent).
    allowed_cycles = alignable_cycle_ids(target_cycle)
    for link in source.parent_links.select_related("parent").filter(
        parent__cycle_id__in=allowed_cycles
    ):
        align_objective(actor, copy, link.parent, primary=link.is_primary, weight=link.weight)
    for kr in source.key_results.filter(is_archived=False).order_by("position", "id"):
        create_key_result(
            actor,
            copy,
            title=kr.title,
            shape=kr.shape,
            owner=kr.owner,
            direction=kr.direction,
            start_value=kr.start_value,
            target_value=None if kr.shape == Shape.RELATIVE else kr.target_value,
            unit=kr.unit,
            currency=kr.currency,
            relative_change=kr.relative_change,
            baseline_label=kr.baseline_label,
            per_period=kr.per_period,
            period=kr.period,
            due_date=shifted_due(kr.due_date, source.cycle, target_cycle),
            weight=kr.weight,
        )
    record_change(
        actor=actor,
        action="duplicate_objective",
        instance=copy,
        before=None,
        after={"copied_from": source.pk, "cycle": target_cycle.pk},
        summary=copy.title,
    )
    return outcome


@transaction.atomic
def move_key_result(actor: Any, key_result: KeyResult, target: Objective) -> KeyResult:
    """Move a key result to another objective of the same cycle, keeping its history."""
    kr = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle")
        .get(pk=key_result.pk)
    )
    target = Objective.objects.select_related(
        "cycle", "owner_person", "owner_unit", "owner_project"
    ).get(pk=target.pk)
    require_edit(actor, kr.objective)
    require_edit(actor, target)
    require_open_cycle(kr.objective.cycle)
    if target.pk == kr.objective_id:
        raise ValidationError({"objective": _("The key result is already under this objective.")})
    if target.cycle_id != kr.objective.cycle_id:
        raise ValidationError({"objective": _("A key result can only move within its cycle.")})
    if target.state == ObjectiveState.ARCHIVED:
        raise ValidationError(
            {"objective": _("You cannot move a key result to an archived objective.")}
        )
    before = snapshot(kr)
    kr.objective = target
    kr.position = target.key_results.count()
    kr.version += 1
    kr.save(update_fields=["objective", "position", "version", "updated_at"])
    record_change(
        actor=actor,
        action="move_key_result",
        instance=kr,
        before=before,
        after=snapshot(kr),
        summary=kr.title,
    )
    return kr
