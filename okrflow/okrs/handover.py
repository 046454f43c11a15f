"""A leaver's open objectives, key results and initiatives, and handing them to someone else.

Registered into `org.open_work` from `OkrsConfig.ready()`, so `org.actions_people` can
deactivate a person without importing okrs (layering in docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet

from okrflow.audit.log import record_change, snapshot
from okrflow.cycles.models import CycleState
from okrflow.okrs.models import Initiative, KeyResult, Objective, ObjectiveState
from okrflow.org.models import Person
from okrflow.org.open_work import HandedOver, OpenWork


def open_objectives(person: Person) -> QuerySet[Objective]:
    """The person's objectives still being worked on: not archived, in a cycle not closed."""
    return (
        Objective.objects.filter(owner_person=person)
        .exclude(state=ObjectiveState.ARCHIVED)
        .exclude(cycle__state=CycleState.CLOSED)
    )


def open_key_results(person: Person) -> QuerySet[KeyResult]:
    """The key results the person owns on objectives still being worked on."""
    return (
        KeyResult.objects.filter(owner=person, is_archived=False)
        .exclude(objective__state=ObjectiveState.ARCHIVED)
        .exclude(objective__cycle__state=CycleState.CLOSED)
    )


def open_initiatives(person: Person) -> QuerySet[Initiative]:
    """The initiatives the person owns that are not done, under key results still worked on."""
    return (
        Initiative.objects.filter(owner=person, is_done=False, key_result__is_archived=False)
        .exclude(key_result__objective__state=ObjectiveState.ARCHIVED)
        .exclude(key_result__objective__cycle__state=CycleState.CLOSED)
    )


def hand_over_okrs(actor: Any, person: Person, hand_to: Person) -> HandedOver:
    """Give the person's open objectives, key results and initiatives to `hand_to`, one audit
    row each (run inside the deactivation's transaction)."""
    objectives = key_results = initiatives = 0
    for objective in open_objectives(person).select_for_update(of=("self",)).order_by("pk"):
        before = snapshot(objective, ["owner_person", "version"])
        objective.owner_person = hand_to
        objective.version = F("version") + 1
        objective.save(update_fields=["owner_person", "version"])
        objective.refresh_from_db(fields=["version"])
        record_change(
            actor=actor,
            action="hand_over_objective",
            instance=objective,
            before=before,
            after=snapshot(objective, ["owner_person", "version"]),
            summary=objective.title,
        )
        objectives += 1
    for key_result in open_key_results(person).select_for_update(of=("self",)).order_by("pk"):
        before = snapshot(key_result, ["owner", "version"])
        key_result.owner = hand_to
        key_result.version = F("version") + 1
        key_result.save(update_fields=["owner", "version"])
        key_result.refresh_from_db(fields=["version"])
        record_change(
            actor=actor,
            action="hand_over_key_result",
            instance=key_result,
            before=before,
            after=snapshot(key_result, ["owner", "version"]),
            summary=key_result.title,
        )
        key_results += 1
    for initiative in open_initiatives(person).select_for_update(of=("self",)).order_by("pk"):
        before = snapshot(initiative, ["owner"])
        initiative.owner = hand_to
        initiative.save(update_fields=["owner"])
        record_change(
            actor=actor,
            action="hand_over_initiative",
            instance=initiative,
            before=before,
            after=snapshot(initiative, ["owner"]),
            summary=initiative.title,
        )
        initiatives += 1
    return HandedOver(objectives, key_results, initiatives)


OKR_WORK = OpenWork(
    objectives=open_objectives,
    key_results=open_key_results,
    initiatives=open_initiatives,
    hand_over=hand_over_okrs,
)
