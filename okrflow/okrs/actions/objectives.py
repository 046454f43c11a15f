"""Actions on objectives: create, update, archive, align."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from okrflow.action_support import Outcome, deny, to_decimal
from okrflow.audit.log import record_change, snapshot
from okrflow.cycles.actions import enclosing_cycle_ids
from okrflow.cycles.models import Cycle
from okrflow.engine.focus import OwnerKind as FocusOwnerKind
from okrflow.engine.focus import check_owner_focus, is_team
from okrflow.okrs.actions.common import (
    describe_focus_finding,
    is_hard_limit,
    require_edit,
    require_open_cycle,
    require_version,
)
from okrflow.okrs.models import (
    Alignment,
    Objective,
    ObjectiveKind,
    ObjectiveState,
    Tag,
    TagKind,
)
from okrflow.org.access import access_for
from okrflow.org.models import Organisation, OrgUnit, Person, Project
from okrflow.org.ownership import owner_refusal

MARKETING_TYPES = ("inbound", "content", "event", "email")
KIND_VALUES = frozenset(ObjectiveKind.values)
STATE_VALUES = frozenset(ObjectiveState.values)
EDITABLE_FIELDS = ("title", "description", "kind", "is_private", "state")


def owner_fields(owner: Any) -> dict[str, Any]:
    """Map an owner to the objective's owner columns, refusing anything but one owner."""
    if isinstance(owner, Person):
        return {"owner_person": owner, "owner_unit": None, "owner_project": None}
    if isinstance(owner, OrgUnit):
        return {"owner_person": None, "owner_unit": owner, "owner_project": None}
    if isinstance(owner, Project):
        return {"owner_person": None, "owner_unit": None, "owner_project": owner}
    raise ValidationError(
        {"owner": _("An objective needs exactly one owner: a person, a unit or a project.")}
    )


def require_owner_open(owner: Any) -> None:
    """Refuse an owner that takes no new objectives (archived unit or project, deactivated person)."""
    refusal = owner_refusal(owner)
    if refusal:
        raise ValidationError({"owner": refusal})


def validate_objective_fields(title: str, kind: str, state: str) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Write the objective: what you will achieve.")
    elif len(title) > 300:
        errors["title"] = _("Keep the objective under 300 characters.")
    if kind not in KIND_VALUES:
        errors["kind"] = _("Choose committed or aspirational.")
    if state not in STATE_VALUES:
        errors["state"] = _("Unknown objective state.")
    if errors:
        raise ValidationError(errors)


def focus_owner_kind(objective: Objective) -> FocusOwnerKind:
    return FocusOwnerKind(objective.owner_kind)


def check_owner_objectives(
    objective: Objective, organisation: Organisation, count: int | None = None
) -> list[str]:
    """Apply the focus rule to the objective's owner; return warnings or raise when enforced.

    `count`: the owner's live objectives in the cycle, already counted (`live_objective_counts`).
    """
    if count is None:
        count = (
            Objective.objects.live()
            .filter(
                cycle_id=objective.cycle_id,
                owner_person_id=objective.owner_person_id,
                owner_unit_id=objective.owner_unit_id,
                owner_project_id=objective.owner_project_id,
            )
            .count()
        )
    team = objective.owner_unit is not None and is_team(objective.owner_unit.depth)
    findings = check_owner_focus(
        focus_owner_kind(objective), count, organisation.focus_rules(), team=team
    )
    if organisation.enforce_focus:
        hard = [f for f in findings if is_hard_limit(f)]
        if hard:
            raise ValidationError(describe_focus_finding(hard[0]))
    return [describe_focus_finding(f) for f in findings]


def live_objective_counts(cycle_id: int) -> dict[tuple[Any, Any, Any], int]:
    """Count every owner's live objectives in a cycle, in one query, by owner columns
    (person id, unit id, project id): what `check_owner_objectives` counts for one owner."""
    rows = (
        Objective.objects.live()
        .filter(cycle_id=cycle_id)
        .values_list("owner_person_id", "owner_unit_id", "owner_project_id")
        .annotate(count=Count("id"))
        .order_by()
    )
    return {(person, unit, project): count for person, unit, project, count in rows}


def resolve_tags(names: list[str]) -> list[Tag]:
    """Find or create tags by name; the four marketing types are their own kind."""
    tags = []
    for raw in names:
        name = raw.strip().lower().lstrip("#")
        if not name:
            continue
        if len(name) > 50:
            raise ValidationError({"tags": _("A tag can be at most 50 characters.")})
        kind = TagKind.MARKETING_TYPE if name in MARKETING_TYPES else TagKind.FREE
        tag, _created = Tag.objects.get_or_create(name=name, defaults={"kind": kind})
        tags.append(tag)
    return tags


def objective_snapshot(objective: Objective) -> dict[str, Any]:
    return snapshot(objective) | {"tags": sorted(t.name for t in objective.tags.all())}


def build_objective(
    access: Any,
    *,
    cycle: Cycle,
    title: str,
    owner: Any,
    kind: str = ObjectiveKind.COMMITTED,
    description: str = "",
    is_private: bool = False,
    state: str = ObjectiveState.ACTIVE,
) -> Objective:
    """Check a new objective and return it unsaved: every check of `create_objective`.

    `access` is the actor's `access_for(actor)`, or None for the system. An import checks a
    whole file this way before its one short write.
    """
    title = (title or "").strip()
    validate_objective_fields(title, kind, state)
    fields = owner_fields(owner)
    require_owner_open(owner)
    require_open_cycle(cycle)
    objective = Objective(
        cycle=cycle,
        title=title,
        description=(description or "").strip(),
        kind=kind,
        state=state,
        is_private=bool(is_private),
        **fields,
    )
    if access is not None and (not access.is_member or not access.can_edit_objective(objective)):
        raise deny(_("You cannot create objectives for this owner."))
    return objective


@transaction.atomic
def create_objective(
    actor: Any,
    *,
    cycle: Cycle,
    title: str,
    owner: Any,
    kind: str = ObjectiveKind.COMMITTED,
    description: str = "",
    is_private: bool = False,
    tags: list[str] | None = None,
    state: str = ObjectiveState.ACTIVE,
    parent: Objective | None = None,
) -> Outcome[Objective]:
    """Create an objective for a person, unit or project, with an optional parent alignment."""
    objective = build_objective(
        access_for(actor) if actor is not None else None,
        cycle=cycle,
        title=title,
        owner=owner,
        kind=kind,
        description=description,
        is_private=is_private,
        state=state,
    )
    title = objective.title
    objective.position = Objective.objects.filter(cycle=cycle).count()
    objective.save()
    if tags:
        objective.tags.set(resolve_tags(tags))
    warnings = check_owner_objectives(objective, Organisation.current())
    record_change(
        actor=actor,
        action="create_objective",
        instance=objective,
        before=None,
        after=objective_snapshot(objective),
        summary=title,
    )
    if parent is not None:
        align_objective(actor, objective, parent)
    return Outcome(objective, warnings)


@transaction.atomic
def update_objective(
    actor: Any,
    objective: Objective,
    *,
    expected_version: int | None = None,
    tags: list[str] | None = None,
    owner: Any = None,
    **changes: Any,
) -> Outcome[Objective]:
    """Change an objective's text, kind, privacy, state, tags or owner."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_objective cannot change {sorted(unknown)}")
    objective = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("cycle")
        .get(pk=objective.pk)
    )
    require_edit(actor, objective)
    require_open_cycle(objective.cycle)
    require_version(objective.version, expected_version)
    before = objective_snapshot(objective)
    for name, value in changes.items():
        setattr(objective, name, value.strip() if isinstance(value, str) else value)
    validate_objective_fields(objective.title, objective.kind, objective.state)
    warnings: list[str] = []
    owner_changed = False
    if owner is not None:
        fields = owner_fields(owner)
        if any(
            getattr(value, "pk", None) != getattr(objective, f"{name}_id")
            for name, value in fields.items()
        ):
            # A co-owner edits like the owner, but moving the objective to another owner takes a
            # fixed role on both the old and the new owner: unsaved probes have no co-owners.
            current = {name: getattr(objective, name) for name in fields}
            require_edit(actor, Objective(**current))
            require_edit(actor, Objective(**fields))
        for name, value in fields.items():
            setattr(objective, name, value)
        require_owner_open(owner)
        require_edit(actor, objective)
        owner_changed = True
    objective.version += 1
    objective.save()
    if tags is not None:
        objective.tags.set(resolve_tags(tags))
    if owner_changed:
        warnings = check_owner_objectives(objective, Organisation.current())
    record_change(
        actor=actor,
        action="update_objective",
        instance=objective,
        before=before,
        after=objective_snapshot(objective),
        summary=objective.title,
    )
    return Outcome(objective, warnings)


@transaction.atomic
def archive_objective(actor: Any, objective: Objective) -> Objective:
    """Archive an objective: it leaves the live views but keeps its history."""
    objective = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("cycle")
        .get(pk=objective.pk)
    )
    require_edit(actor, objective)
    require_open_cycle(objective.cycle)
    before = snapshot(objective)
    objective.state = ObjectiveState.ARCHIVED
    objective.version += 1
    objective.save(update_fields=["state", "version", "updated_at"])
    record_change(
        actor=actor,
        action="archive_objective",
        instance=objective,
        before=before,
        after=snapshot(objective),
        summary=objective.title,
    )
    return objective


def ancestor_ids(objective_id: int) -> set[int]:
    """Return every objective above this one in the alignment graph (one query per level)."""
    found: set[int] = set()
    frontier = {objective_id}
    while frontier:
        parents = set(
            Alignment.objects.filter(child_id__in=frontier).values_list("parent_id", flat=True)
        )
        frontier = parents - found
        found |= parents
    return found


def contribution_weight(weight: Any) -> Decimal:
    """Read an alignment's contribution weight; the import's preview runs this same check."""
    value = to_decimal(weight, "weight", required=True, column=Alignment._meta.get_field("weight"))
    assert value is not None
    if value <= 0:
        raise ValidationError({"weight": _("The contribution weight must be greater than 0.")})
    return value


def alignable_cycle_ids(cycle: Cycle) -> list[int]:
    """Return the cycles whose objectives one of `cycle` may align to: it and those around it."""
    return [cycle.pk, *enclosing_cycle_ids(cycle)]


def require_related_cycle(child: Objective, parent: Objective) -> None:
    """Refuse a parent from a cycle that neither is nor holds the child's cycle."""
    if parent.cycle_id == child.cycle_id:
        return  # the common case, and the only one an import meets: no query
    if parent.cycle_id not in alignable_cycle_ids(child.cycle):
        raise ValidationError(
            {
                "parent": _(
                    "“%(parent)s” belongs to the cycle “%(parent_cycle)s”, which does not hold "
                    "“%(cycle)s”: align to an objective of the same cycle or of a cycle around it."
                )
                % {
                    "parent": parent.title,
                    "parent_cycle": parent.cycle.name,
                    "cycle": child.cycle.name,
                }
            }
        )


def check_alignment(
    actor: Any,
    child: Objective,
    parent: Objective,
    weight: Any,
    parent_ancestors: Callable[[], set[int]],
) -> Decimal:
    """Check that `child` may contribute to `parent`; return the weight as a number.

    `parent_ancestors` returns the ids above the parent (asked only when needed): the database's
    alignments for `align_objective`, the file's own for an import of new objectives.
    """
    require_edit(actor, child)
    require_open_cycle(child.cycle)
    if actor is not None and not access_for(actor).can_view_objective(parent):
        raise deny(_("You cannot align to an objective you cannot see."))
    require_related_cycle(child, parent)
    weight_value = contribution_weight(weight)
    if parent.pk == child.pk:
        raise ValidationError({"parent": _("An objective cannot be aligned to itself.")})
    if child.pk in parent_ancestors():
        raise ValidationError(
            {
                "parent": _(
                    "“%(parent)s” already contributes to this objective; aligning it here "
                    "would make a loop."
                )
                % {"parent": parent.title}
            }
        )
    if parent.state == ObjectiveState.ARCHIVED:
        raise ValidationError({"parent": _("You cannot align to an archived objective.")})
    return weight_value


@transaction.atomic
def align_objective(
    actor: Any,
    child: Objective,
    parent: Objective,
    *,
    primary: bool = True,
    weight: Any = Decimal("1"),
) -> Alignment:
    """Link an objective to a parent it contributes to (the primary one, or a further one)."""
    child = (
        Objective.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=child.pk)
    )
    weight_value = check_alignment(actor, child, parent, weight, lambda: ancestor_ids(parent.pk))
    existing = Alignment.objects.filter(child=child, parent=parent).first()
    before = snapshot(existing) if existing else None
    if primary:
        Alignment.objects.filter(child=child, is_primary=True).exclude(parent=parent).update(
            is_primary=False
        )
    link, _created = Alignment.objects.update_or_create(
        child=child, parent=parent, defaults={"is_primary": primary, "weight": weight_value}
    )
    record_change(
        actor=actor,
        action="align_objective",
        instance=link,
        before=before,
        after=snapshot(link),
        summary=f"{child.title} → {parent.title}",
    )
    return link


@transaction.atomic
def unalign_objective(actor: Any, child: Objective, parent: Objective) -> None:
    """Remove the link from an objective to one of its parents."""
    child = (
        Objective.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=child.pk)
    )
    require_edit(actor, child)
    require_open_cycle(child.cycle)
    link = Alignment.objects.filter(child=child, parent=parent).first()
    if link is None:
        raise ValidationError(_("These objectives are not aligned."))
    before = snapshot(link)
    record_change(
        actor=actor,
        action="unalign_objective",
        instance=link,
        before=before,
        after=None,
        summary=f"{child.title} ↛ {parent.title}",
    )
    link.delete()
