"""Every write insights makes: close a cycle (grading it), reflect on an objective, carry it over."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change, snapshot
from okrflow.cycles.models import Cycle, CycleState
from okrflow.engine import grading
from okrflow.insights.models import (
    CarryOver,
    CycleClosing,
    KeyResultGrade,
    ObjectiveGrade,
    Reflection,
)
from okrflow.okrs.actions import align_objective, create_key_result, create_objective
from okrflow.okrs.actions.common import require_edit, require_open_cycle
from okrflow.okrs.measure import LoadedObjectives, figures_of, load_objectives
from okrflow.okrs.models import Objective, ObjectiveState, TargetVersion
from okrflow.org.access import access_for
from okrflow.org.actions import require_admin

REFLECTION_LIMIT = 5000
Progress = Callable[[int, int], None]


@dataclass
class ClosingResult:
    """What closing a cycle graded (or would grade, on a dry run)."""

    cycle: Cycle
    grades: list[grading.ObjectiveGrade]
    use_original_targets: bool
    dry_run: bool
    closing: CycleClosing | None = None
    final_values: dict[int, Decimal | None] = field(default_factory=dict)

    @property
    def key_results(self) -> int:
        return sum(len(grade.key_results) for grade in self.grades)

    @property
    def successes(self) -> int:
        return sum(1 for grade in self.grades if grade.success)


def original_targets(key_result_ids: Any) -> dict[int, Decimal | None]:
    """Return each key result's first target: the old target of its earliest target change."""
    firsts: dict[int, Decimal | None] = {}
    rows = (
        TargetVersion.objects.filter(key_result_id__in=key_result_ids)
        .order_by("key_result_id", "changed_at", "id")
        .values_list("key_result_id", "old_target")
    )
    for kr_id, old_target in rows:
        firsts.setdefault(kr_id, old_target)
    return firsts


def grade_cycle(
    cycle: Cycle,
    *,
    use_original_targets: bool = False,
    progress: Progress | None = None,
    queryset: QuerySet[Objective] | None = None,
    loaded: LoadedObjectives | None = None,
) -> ClosingResult:
    """Grade every live objective of a cycle (or of `queryset`, or those already `loaded`)
    from its values, without writing."""
    if loaded is None:
        if queryset is None:
            queryset = Objective.objects.live().filter(cycle=cycle).order_by("position", "id")
        loaded = load_objectives(queryset)
    originals: dict[int, Decimal | None] = {}
    if use_original_targets:
        originals = original_targets([kr.pk for krs in loaded.key_results.values() for kr in krs])
    result = ClosingResult(cycle, [], use_original_targets, dry_run=True)
    total = len(loaded.objectives)
    for index, objective in enumerate(loaded.objectives, start=1):
        parts = []
        for kr in loaded.key_results.get(objective.pk, []):
            figures = figures_of(kr, cycle.start_date)
            if kr.pk in originals:
                figures = grading.with_target(figures, originals[kr.pk])
            parts.append((kr.pk, figures, kr.weight))
            result.final_values[kr.pk] = kr.current_value
        result.grades.append(grading.grade_objective(objective.pk, objective.kind, parts))
        if progress is not None:
            progress(index, total)
    return result


def stored_progress(progress: float) -> Decimal:
    """Raw progress as its column holds it: a tiny target can give 10^13 %, kept at the limit."""
    column = KeyResultGrade._meta.get_field("progress")
    limit = Decimal(10) ** (column.max_digits - column.decimal_places) - Decimal("0.0001")
    return max(-limit, min(limit, Decimal(str(round(progress, 4)))))


@transaction.atomic
def close_cycle(
    actor: Any,
    cycle: Cycle,
    *,
    use_original_targets: bool = False,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> ClosingResult:
    """Grade every objective, freeze the grades and close the cycle: its OKRs become read-only."""
    require_admin(actor)
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.state == CycleState.CLOSED:
        raise ValidationError(_("The cycle “%(name)s” is already closed.") % {"name": cycle.name})
    if cycle.state != CycleState.ACTIVE:
        raise ValidationError(_("Only an active cycle can be closed."))
    result = grade_cycle(cycle, use_original_targets=use_original_targets, progress=progress)
    if dry_run:
        return result
    before = snapshot(cycle)
    closing = CycleClosing.objects.create(
        cycle=cycle,
        closed_by=actor if getattr(actor, "is_authenticated", False) else None,
        use_original_targets=use_original_targets,
    )
    key_result_rows = []
    objective_rows = []
    for grade in result.grades:
        objective_rows.append(
            ObjectiveGrade(
                closing=closing,
                objective_id=grade.objective_id,
                kind=grade.kind,
                score=grade.score,
                band=grade.band.value,
                success=grade.success,
            )
        )
        for kr_grade in grade.key_results:
            key_result_rows.append(
                KeyResultGrade(
                    closing=closing,
                    key_result_id=kr_grade.key_result_id,
                    final_value=result.final_values.get(kr_grade.key_result_id),
                    target_used=kr_grade.target,
                    progress=stored_progress(kr_grade.progress),
                    score=kr_grade.score,
                    band=kr_grade.band.value,
                )
            )
    ObjectiveGrade.objects.bulk_create(objective_rows, batch_size=1000)
    KeyResultGrade.objects.bulk_create(key_result_rows, batch_size=1000)
    cycle.state = CycleState.CLOSED
    cycle.save(update_fields=["state"])
    record_change(
        actor=actor,
        action="close_cycle",
        instance=cycle,
        before=before,
        after=snapshot(cycle)
        | {
            "objectives_graded": len(objective_rows),
            "key_results_graded": len(key_result_rows),
            "use_original_targets": use_original_targets,
        },
        summary=cycle.name,
    )
    result.dry_run = False
    result.closing = closing
    return result


def _clean_text(value: str | None, field_name: str, errors: dict[str, str]) -> str:
    text = (value or "").strip()
    if len(text) > REFLECTION_LIMIT:
        errors[field_name] = _("Keep it under %(limit)d characters.") % {"limit": REFLECTION_LIMIT}
    return text


@transaction.atomic
def save_reflection(
    actor: Any,
    objective: Objective,
    *,
    went_well: str,
    went_badly: str,
    lessons: str,
    expected_version: int | None = None,
) -> Reflection:
    """Write (or rewrite) an objective's reflection: what went well, what did not, lessons."""
    objective = Objective.objects.select_related(
        "cycle", "owner_person", "owner_unit", "owner_project"
    ).get(pk=objective.pk)
    if actor is not None and not access_for(actor).can_edit_objective(objective):
        raise deny(_("Only the owner, their managers or an admin can write this reflection."))
    errors: dict[str, str] = {}
    fields = {
        "went_well": _clean_text(went_well, "went_well", errors),
        "went_badly": _clean_text(went_badly, "went_badly", errors),
        "lessons": _clean_text(lessons, "lessons", errors),
    }
    if not errors and not any(fields.values()):
        errors["went_well"] = _("Write at least one of the three answers.")
    if errors:
        raise ValidationError(errors)
    reflection = Reflection.objects.select_for_update().filter(objective=objective).first()
    if reflection is None:
        reflection = Reflection(objective=objective)
        before = None
    else:
        if expected_version is not None and expected_version != reflection.version:
            raise ValidationError(
                _("Someone else changed this reflection while you were writing. Reload it first.")
            )
        before = snapshot(reflection)
        reflection.version += 1
    for name, value in fields.items():
        setattr(reflection, name, value)
    reflection.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    reflection.save()
    record_change(
        actor=actor,
        action="save_reflection",
        instance=reflection,
        before=before,
        after=snapshot(reflection),
        summary=objective.title,
    )
    return reflection


def shifted_due(due: datetime.date, source: Cycle, target: Cycle) -> datetime.date:
    """Keep a due date's distance from its cycle's start, inside the target cycle."""
    moved = target.start_date + (due - source.start_date)
    return min(max(moved, target.start_date), target.end_date)


@transaction.atomic
def carry_over_objective(actor: Any, objective: Objective, *, cycle: Cycle) -> CarryOver:
    """Copy an unfinished objective of a closed cycle, with what remains of its key results."""
    source = Objective.objects.select_related(
        "cycle", "owner_person", "owner_unit", "owner_project"
    ).get(pk=objective.pk)
    require_edit(actor, source)
    if not source.cycle.is_closed:
        raise ValidationError(_("Close the cycle before carrying its objectives over."))
    if cycle.pk == source.cycle_id:
        raise ValidationError({"cycle": _("Choose a later cycle to carry the objective into.")})
    require_open_cycle(cycle)
    if CarryOver.objects.filter(source=source).exists():
        raise ValidationError(_("This objective has already been carried over."))
    remaining = []
    for kr in source.key_results.filter(is_archived=False).order_by("position", "id"):
        carried = grading.remaining_figures(figures_of(kr, source.cycle.start_date))
        if carried is not None:
            remaining.append((kr, carried))
    if not remaining:
        raise ValidationError(_("Every key result of this objective is done: nothing to carry."))
    copy = create_objective(
        actor,
        cycle=cycle,
        title=source.title,
        description=source.description,
        owner=source.owner,
        kind=source.kind,
        is_private=source.is_private,
        tags=[tag.name for tag in source.tags.all()],
        state=ObjectiveState.DRAFT,
    ).value
    for kr, carried in remaining:
        create_key_result(
            actor,
            copy,
            title=kr.title,
            shape=carried.shape.value,
            owner=kr.owner,
            direction=carried.direction.value,
            start_value=carried.start,
            target_value=carried.target,
            unit=kr.unit,
            currency=kr.currency,
            per_period=kr.per_period,
            period=kr.period,
            due_date=shifted_due(kr.due_date, source.cycle, cycle),
            weight=kr.weight,
        )
    parent_copy = (
        CarryOver.objects.filter(source__child_links__child=source, copy__cycle=cycle)
        .select_related("copy")
        .first()
    )
    if parent_copy is not None:
        align_objective(actor, copy, parent_copy.copy)
    link = CarryOver.objects.create(
        source=source,
        copy=copy,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_change(
        actor=actor,
        action="carry_over_objective",
        instance=copy,
        before=None,
        after={"carried_from": source.pk, "cycle": cycle.pk, "key_results": len(remaining)},
        summary=copy.title,
    )
    return link
