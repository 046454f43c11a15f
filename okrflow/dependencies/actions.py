"""Add and remove dependencies; every change writes its audit row."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change, snapshot
from okrflow.dependencies.models import Dependency
from okrflow.engine.dependency import creates_loop
from okrflow.okrs.actions.common import require_open_cycle
from okrflow.okrs.models import KeyResult, Objective
from okrflow.org.access import access_for

Goal = Objective | KeyResult


def parse_goal(value: str) -> tuple[str, int] | None:
    """Read "objective:12" or "key_result:40" from a form; None for anything else."""
    kind, _sep, number = (value or "").strip().partition(":")
    if kind not in ("objective", "key_result") or not number.isdigit():
        return None
    return kind, int(number)


def find_goal(user: Any, node: tuple[str, int] | None) -> Goal | None:
    """Return the live goal the user may see, or None (its existence stays private)."""
    if node is None:
        return None
    kind, pk = node
    visible = Objective.objects.live()
    if user is not None:
        visible = visible.filter(pk__in=Objective.objects.visible_to(user).values("pk"))
    if kind == "objective":
        return visible.select_related("cycle", "owner_person").filter(pk=pk).first()
    return (
        KeyResult.objects.filter(pk=pk, is_archived=False, objective__in=visible)
        .select_related("objective__cycle", "objective__owner_person", "owner")
        .first()
    )


def objective_of(goal: Goal) -> Objective:
    return goal if isinstance(goal, Objective) else goal.objective


def owner_key(goal: Goal) -> tuple[str, int | None]:
    """Name who owns a goal: a key result's owner, or the objective's person, unit or project."""
    if isinstance(goal, KeyResult):
        return ("person", goal.owner_id)
    if goal.owner_person_id:
        return ("person", goal.owner_person_id)
    if goal.owner_unit_id:
        return ("unit", goal.owner_unit_id)
    return ("project", goal.owner_project_id)


def node_of(goal: Goal) -> tuple[str, int]:
    return ("objective" if isinstance(goal, Objective) else "key_result", goal.pk)


def may_change(actor: Any, goal: Goal) -> bool:
    """Tell whether the actor may say what this goal waits for (who edits or updates it)."""
    if actor is None:
        return True
    access = access_for(actor)
    if isinstance(goal, Objective):
        return access.can_edit_objective(goal)
    return access.can_update_key_result(goal)


@transaction.atomic
def add_dependency(
    actor: Any,
    dependent: Goal,
    target: Goal | None,
    *,
    expected_by: datetime.date | None,
    note: str = "",
) -> Dependency:
    """Record that `dependent` waits for `target` by `expected_by`."""
    if not may_change(actor, dependent):
        raise deny(_("You cannot change what this goal depends on."))
    require_open_cycle(objective_of(dependent).cycle)
    if target is None:
        raise ValidationError({"target": _("Choose an objective or key result you can see.")})
    if node_of(target) == node_of(dependent):
        raise ValidationError({"target": _("A goal cannot depend on itself.")})
    if objective_of(target).pk == objective_of(dependent).pk:
        raise ValidationError(
            {"target": _("Both are part of the same objective: that is not a hand-off.")}
        )
    if owner_key(target) == owner_key(dependent):
        raise ValidationError(
            {"target": _("Both have the same owner: a dependency is a hand-off between owners.")}
        )
    if expected_by is None:
        raise ValidationError({"expected_by": _("Say by when the hand-off is expected.")})
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError({"note": _("Keep the note under 300 characters.")})
    # Lock the table's rows for the check: two people adding the two halves of a loop at once
    # must not both pass.
    links = [
        (row.dependent_node, row.target_node) for row in Dependency.objects.select_for_update()
    ]
    if (node_of(dependent), node_of(target)) in links:
        raise ValidationError({"target": _("This dependency is already recorded.")})
    if creates_loop(links, node_of(dependent), node_of(target)):
        raise ValidationError(
            {"target": _("That would make a loop: the goal chosen already waits for this one.")}
        )
    dependency = Dependency(expected_by=expected_by, note=note)
    dependency.created_by = actor if getattr(actor, "is_authenticated", False) else None
    if isinstance(dependent, Objective):
        dependency.dependent_objective = dependent
    else:
        dependency.dependent_key_result = dependent
    if isinstance(target, Objective):
        dependency.target_objective = target
    else:
        dependency.target_key_result = target
    dependency.save()
    record_change(
        actor=actor,
        action="add_dependency",
        instance=dependency,
        before=None,
        after=snapshot(dependency),
        summary=f"{dependent.title} → {target.title}",
    )
    return dependency


@transaction.atomic
def remove_dependency(actor: Any, dependency: Dependency) -> None:
    """Remove a dependency (its history stays in the audit log)."""
    dependency = (
        Dependency.objects.select_for_update(of=("self",))
        .select_related(
            "dependent_objective__cycle",
            "dependent_key_result__objective__cycle",
            "target_objective",
            "target_key_result",
        )
        .get(pk=dependency.pk)
    )
    if not may_change(actor, dependency.dependent):
        raise deny(_("You cannot change what this goal depends on."))
    require_open_cycle(objective_of(dependency.dependent).cycle)
    before = snapshot(dependency)
    summary = f"{dependency.dependent_label} → {dependency.target_label}"
    record_change(
        actor=actor,
        action="remove_dependency",
        instance=dependency,
        before=before,
        after=None,
        summary=summary,
    )
    dependency.delete()
