"""Setting OKRs together (the article's Commitment): propose, agree, or send back."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change, snapshot
from okrflow.notifications.hooks import proposal_decided
from okrflow.okrs.actions.common import require_edit, require_open_cycle
from okrflow.okrs.models import Objective, ObjectiveReview, ObjectiveState, ReviewDecision
from okrflow.org.access import access_for


def locked(objective: Objective) -> Objective:
    return (
        Objective.objects.select_for_update(of=("self",))
        .select_related("cycle", "owner_person", "owner_unit", "owner_project")
        .get(pk=objective.pk)
    )


def change_state(
    actor: Any, objective: Objective, state: str, decision: str, comment: str, action: str
) -> Objective:
    before = snapshot(objective)
    objective.state = state
    objective.version += 1
    objective.save(update_fields=["state", "version", "updated_at"])
    ObjectiveReview.objects.create(
        objective=objective,
        decision=decision,
        comment=comment,
        by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    entry = record_change(
        actor=actor,
        action=action,
        instance=objective,
        before=before,
        after=snapshot(objective),
        summary=comment or objective.title,
    )
    proposal_decided(actor, objective, entry, action, comment)
    return objective


@transaction.atomic
def propose_objective(actor: Any, objective: Objective, comment: str = "") -> Objective:
    """Send a draft objective to the manager or unit lead for agreement."""
    objective = locked(objective)
    require_edit(actor, objective)
    require_open_cycle(objective.cycle)
    if objective.state != ObjectiveState.DRAFT:
        raise ValidationError(_("Only a draft objective can be proposed."))
    if not objective.key_results.filter(is_archived=False).exists():
        raise ValidationError(_("Add at least one key result before proposing the objective."))
    return change_state(
        actor,
        objective,
        ObjectiveState.PROPOSED,
        ReviewDecision.PROPOSED,
        (comment or "").strip(),
        "propose_objective",
    )


@transaction.atomic
def agree_objective(actor: Any, objective: Objective, comment: str = "") -> Objective:
    """Agree a proposed (or draft) objective: it becomes active."""
    objective = locked(objective)
    if actor is not None and not access_for(actor).can_agree_objective(objective):
        raise deny(
            _("Only the owner's manager, a lead above them or an admin can agree this objective.")
        )
    require_open_cycle(objective.cycle)
    if objective.state not in (ObjectiveState.PROPOSED, ObjectiveState.DRAFT):
        raise ValidationError(_("This objective is not waiting for agreement."))
    return change_state(
        actor,
        objective,
        ObjectiveState.ACTIVE,
        ReviewDecision.AGREED,
        (comment or "").strip(),
        "agree_objective",
    )


@transaction.atomic
def return_objective(actor: Any, objective: Objective, comment: str) -> Objective:
    """Send a proposed objective back to its owner with a comment; it becomes a draft again."""
    objective = locked(objective)
    if actor is not None and not access_for(actor).can_agree_objective(objective):
        raise deny(_("Only the owner's manager, a lead above them or an admin can send this back."))
    require_open_cycle(objective.cycle)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say what should change.")})
    if objective.state != ObjectiveState.PROPOSED:
        raise ValidationError(_("This objective is not waiting for agreement."))
    return change_state(
        actor, objective, ObjectiveState.DRAFT, ReviewDecision.RETURNED, comment, "return_objective"
    )
