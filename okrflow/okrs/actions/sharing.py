"""Share an objective or key result: add and remove co-owners, follow and unfollow."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change
from okrflow.okrs.actions.common import require_edit, require_open_cycle
from okrflow.okrs.models import CoOwner, Follower, KeyResult, Objective
from okrflow.org.models import Person

Thing = Objective | KeyResult


def thing_fields(objective: Objective | None, key_result: KeyResult | None) -> dict[str, Any]:
    """Return the row's foreign keys for exactly one objective or key result."""
    if (objective is None) == (key_result is None):
        raise ValidationError(_("Choose one objective or one key result."))
    return {"objective": objective} if objective is not None else {"key_result": key_result}


def objective_of(objective: Objective | None, key_result: KeyResult | None) -> Objective:
    return objective if objective is not None else key_result.objective  # type: ignore[union-attr]


def owner_ids(objective: Objective | None, key_result: KeyResult | None) -> set[int]:
    """Return the people who own the thing outright (a unit or project owner has no person)."""
    if key_result is not None:
        return {key_result.owner_id}
    assert objective is not None
    return {objective.owner_person_id} if objective.owner_person_id else set()


def require_active_person(person: Person) -> None:
    """Refuse a person who cannot sign in: a deactivated account cannot edit or follow anything."""
    if not person.user.is_active:
        raise ValidationError(
            {
                "person": _("%(name)s is deactivated and cannot be given anything to do.")
                % {"name": person.full_name}
            }
        )


def audit(
    actor: Any, action: str, objective: Objective | None, key_result: KeyResult | None, row: Any
) -> None:
    """Write the audit row on the objective or key result, so its page's history shows it."""
    thing: Thing = objective if objective is not None else key_result  # type: ignore[assignment]
    record_change(
        actor=actor,
        action=action,
        instance=thing,
        before=None,
        after={"person": row.person_id, "person_name": row.person.full_name},
        summary=row.person.full_name,
    )


@transaction.atomic
def add_co_owner(
    actor: Any,
    *,
    person: Person,
    objective: Objective | None = None,
    key_result: KeyResult | None = None,
) -> CoOwner:
    """Let `person` edit and check in on an objective (and its KRs) or on one key result."""
    fields = thing_fields(objective, key_result)
    parent = objective_of(objective, key_result)
    require_edit(actor, parent)
    require_open_cycle(parent.cycle)
    require_active_person(person)
    if person.pk in owner_ids(objective, key_result):
        raise ValidationError(
            {"person": _("%(name)s is the owner already.") % {"name": person.full_name}}
        )
    if key_result is not None and CoOwner.objects.filter(person=person, objective=parent).exists():
        raise ValidationError(
            {
                "person": _("%(name)s already co-owns the whole objective.")
                % {"name": person.full_name}
            }
        )
    if CoOwner.objects.filter(person=person, **fields).exists():
        raise ValidationError(
            {"person": _("%(name)s is a co-owner already.") % {"name": person.full_name}}
        )
    added_by = actor if getattr(actor, "is_authenticated", False) else None
    try:
        with transaction.atomic():
            row = CoOwner.objects.create(person=person, added_by=added_by, **fields)
    except IntegrityError as error:
        # Someone added the same person a moment ago.
        raise ValidationError(
            {"person": _("%(name)s is a co-owner already.") % {"name": person.full_name}}
        ) from error
    audit(actor, "add_co_owner", objective, key_result, row)
    return row


@transaction.atomic
def remove_co_owner(
    actor: Any,
    *,
    person: Person,
    objective: Objective | None = None,
    key_result: KeyResult | None = None,
) -> None:
    """Take away a co-owner's rights on the objective or key result; their past work stays."""
    fields = thing_fields(objective, key_result)
    parent = objective_of(objective, key_result)
    require_edit(actor, parent)
    require_open_cycle(parent.cycle)
    row = CoOwner.objects.select_related("person").filter(person=person, **fields).first()
    if row is None:
        raise ValidationError(
            {"person": _("%(name)s is not a co-owner.") % {"name": person.full_name}}
        )
    row.delete()
    audit(actor, "remove_co_owner", objective, key_result, row)


def require_self(actor: Any, person: Person) -> None:
    """Refuse following on someone else's behalf: each person chooses what they follow."""
    if actor is None:
        return
    from okrflow.org.access import access_for

    me = access_for(actor).person
    if me is None or me.pk != person.pk:
        raise deny(_("You can only follow or unfollow for yourself."))


def require_visible(person: Person, objective: Objective) -> None:
    """Refuse following what the person may not see, answered as if it did not exist."""
    from okrflow.org.access import access_for

    if not access_for(person.user).can_view_objective(objective):
        raise ValidationError(_("No objective found."))


@transaction.atomic
def follow(
    actor: Any,
    *,
    person: Person,
    objective: Objective | None = None,
    key_result: KeyResult | None = None,
) -> Follower:
    """Have `person` receive the objective's or key result's notifications."""
    fields = thing_fields(objective, key_result)
    require_self(actor, person)
    require_visible(person, objective_of(objective, key_result))
    require_active_person(person)
    existing = Follower.objects.filter(person=person, **fields).first()
    if existing is not None:
        raise ValidationError(_("You follow this already."))
    try:
        with transaction.atomic():
            row = Follower.objects.create(person=person, added_by=actor_user(actor), **fields)
    except IntegrityError as error:
        raise ValidationError(_("You follow this already.")) from error
    audit(actor, "follow", objective, key_result, row)
    return row


@transaction.atomic
def unfollow(
    actor: Any,
    *,
    person: Person,
    objective: Objective | None = None,
    key_result: KeyResult | None = None,
) -> None:
    """Stop `person` receiving the notifications they asked for (owners keep theirs)."""
    fields = thing_fields(objective, key_result)
    require_self(actor, person)
    require_visible(person, objective_of(objective, key_result))
    row = Follower.objects.select_related("person").filter(person=person, **fields).first()
    if row is None:
        raise ValidationError(_("You do not follow this."))
    row.delete()
    audit(actor, "unfollow", objective, key_result, row)


def actor_user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None
