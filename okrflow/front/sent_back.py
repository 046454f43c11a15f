"""A person's own proposals that were sent back, with the comment (pages "To agree", My OKRs)."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery

from okrflow.okrs.models import CoOwner, Objective, ObjectiveReview, ObjectiveState, ReviewDecision
from okrflow.org.models import Person


def sent_back_objectives(user: Any, person: Person) -> QuerySet[Objective]:
    """Return the person's draft objectives whose last review sent them back, newest first.

    "The person's": owned by them, co-owned by them, or owned by a unit or project they lead.
    Each carries `returned_comment`, `returned_at` and `returned_by_id` from that review.
    """
    last = ObjectiveReview.objects.filter(objective=OuterRef("pk")).order_by("-at", "-id")
    mine = (
        Q(owner_person=person)
        | Q(owner_unit__lead=person)
        | Q(owner_project__lead=person)
        | Q(
            pk__in=CoOwner.objects.filter(person=person, objective__isnull=False).values(
                "objective_id"
            )
        )
    )
    return (
        Objective.objects.visible_to(user)
        .filter(mine, state=ObjectiveState.DRAFT)
        .annotate(
            returned_decision=Subquery(last.values("decision")[:1]),
            returned_comment=Subquery(last.values("comment")[:1]),
            returned_at=Subquery(last.values("at")[:1]),
            returned_by_id=Subquery(last.values("by")[:1]),
        )
        .filter(returned_decision=ReviewDecision.RETURNED)
        .select_related("cycle", "owner_person", "owner_unit", "owner_project")
        .order_by("-returned_at", "-pk")
    )


def sent_back_by_id(user: Any, person: Person, objective_ids: list[int]) -> dict[int, Objective]:
    """Return {objective id: the sent-back objective} among the given objectives (one query)."""
    if not objective_ids:
        return {}
    return {o.pk: o for o in sent_back_objectives(user, person).filter(pk__in=objective_ids)}
