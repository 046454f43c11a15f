"""Who is told what when an action saves a change: called by the actions, in their transaction.

Each notification's source key names the audit row (or the report) it tells of, so a replayed
action or a retried task makes no second one: `audit:<id>` is unique per change.
"""

from __future__ import annotations

import copy
import datetime
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.urls import reverse
from django.utils import timezone

from okrflow.notifications.actions import notify
from okrflow.notifications.kinds import Kind

BEHIND = {"at_risk", "off_track"}


def people(ids: Iterable[int | None]) -> list[Any]:
    from okrflow.org.models import Person

    wanted = {pk for pk in ids if pk is not None}
    if not wanted:
        return []
    return list(Person.objects.select_related("user").filter(pk__in=wanted).order_by("pk"))


def name_of(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "okrflow"
    person = getattr(user, "person", None)
    return getattr(person, "full_name", "") or user.get_username()


def objective_url(objective: Any, anchor: str = "") -> str:
    return reverse("objective_detail", args=[objective.pk]) + anchor


# --- Setting OKRs together -------------------------------------------------------------------


def approver_candidates(objective: Any) -> set[int]:
    """Return the nearest people who agree the objective: manager and the leads above it."""
    from okrflow.org.models import OrgUnit

    found: set[int | None] = set()
    unit = None
    if objective.owner_person_id is not None:
        owner = objective.owner_person
        found.add(owner.manager_id)
        unit = owner.unit
    elif objective.owner_unit_id is not None:
        unit = objective.owner_unit.parent
    elif objective.owner_project_id is not None:
        unit = objective.owner_project.unit
    owners = {objective.owner_person_id, getattr(objective.owner_project, "lead_id", None)}
    # The first lead up the tree who is not the owner (a lead's own objective goes up a level).
    while unit is not None:
        if unit.lead_id is not None and unit.lead_id not in owners:
            found.add(unit.lead_id)
            break
        unit = OrgUnit.objects.filter(pk=unit.parent_id).first() if unit.parent_id else None
    return {pk for pk in found if pk is not None}


def approvers_of(objective: Any) -> list[Any]:
    """Return who is told a proposal waits: the nearest approvers, else the OKR admins."""
    from okrflow.org.access import Access
    from okrflow.org.models import Person

    found = [
        person
        for person in people(approver_candidates(objective))
        if Access(person.user).can_agree_objective(objective)
    ]
    if found:
        return found
    return list(Person.objects.select_related("user").filter(is_admin=True).order_by("pk"))


def proposal_owners(objective: Any) -> list[Any]:
    """Return who hears of a decision: the owner (the lead for a unit or project), co-owners
    and whoever proposed it."""
    from okrflow.okrs.models import CoOwner, ObjectiveReview, ReviewDecision

    ids: set[int | None] = {objective.owner_person_id}
    if objective.owner_unit_id is not None:
        ids.add(objective.owner_unit.lead_id)
    if objective.owner_project_id is not None:
        ids.add(objective.owner_project.lead_id)
    ids |= set(CoOwner.objects.filter(objective=objective).values_list("person_id", flat=True))
    proposer = (
        ObjectiveReview.objects.filter(objective=objective, decision=ReviewDecision.PROPOSED)
        .order_by("-at", "-id")
        .values_list("by__person", flat=True)
        .first()
    )
    ids.add(proposer)
    return people(ids)


def proposal_decided(actor: Any, objective: Any, entry: Any, action: str, comment: str) -> None:
    """Tell the approvers of a proposal, or the owners of the decision on it."""
    params = {"title": objective.title, "by": name_of(actor), "comment": comment[:1000]}
    if action == "propose_objective":
        params["owner"] = objective.owner_name
        for person in approvers_of(objective):
            notify(
                person,
                Kind.PROPOSAL_WAITING,
                source_key=f"audit:{entry.pk}",
                actor=actor,
                objective=objective,
                params=params,
                url=objective_url(objective, "#agreement"),
            )
        return
    kind = Kind.PROPOSAL_AGREED if action == "agree_objective" else Kind.PROPOSAL_SENT_BACK
    for person in proposal_owners(objective):
        notify(
            person,
            kind,
            source_key=f"audit:{entry.pk}",
            actor=actor,
            objective=objective,
            params=params,
            url=objective_url(objective, "#agreement"),
        )


# --- Check-ins -------------------------------------------------------------------------------


def feedback_given(actor: Any, feedback: Any, entry: Any) -> None:
    """Tell the check-in's owner of a comment or recognition on it."""
    checkin = feedback.checkin
    if feedback.author_id == checkin.person_id:
        return
    notify(
        checkin.person,
        Kind.FEEDBACK,
        source_key=f"audit:{entry.pk}",
        actor=actor if actor is not None else feedback.author.user,
        params={
            "author": feedback.author.full_name,
            "feedback": feedback.kind,
            "excerpt": feedback.body[:200],
            "week": checkin.week.isoformat(),
        },
        url=reverse("checkins:detail", args=[checkin.pk]),
    )


# --- Key result values: risks and followed statuses ------------------------------------------


def status_with(key_result: Any, value: Any, on: datetime.date, thresholds: Any) -> str | None:
    """Return the key result's status had its current value been `value` (as the webhooks do)."""
    from okrflow.okrs.measure import SUCCESS_BAR, measure_key_result
    from okrflow.okrs.models import ObjectiveKind

    trial = copy.copy(key_result)
    try:
        trial.current_value = None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None
    objective = key_result.objective
    bar = SUCCESS_BAR.get(ObjectiveKind(objective.kind), 1.0)
    report = measure_key_result(trial, objective.cycle.start_date, on, bar, thresholds)
    return str(getattr(report.status, "value", report.status))


def value_recorded(actor: Any, key_result: Any, before: Any, entry: Any) -> None:
    """Tell the owners of a key result that fell behind, and its followers of a new status."""
    from okrflow.okrs.models import CoOwner
    from okrflow.okrs.sharing import key_result_follower_ids
    from okrflow.org.models import Organisation
    from okrflow.webhooks.events import risk_event

    thresholds = Organisation.current().status_thresholds()
    day = timezone.localdate()
    status_before = status_with(key_result, before, day, thresholds)
    status_after = status_with(key_result, key_result.current_value, day, thresholds)
    if status_before == status_after:
        return
    source_key = f"audit:{entry.pk}"
    url = objective_url(key_result.objective, f"#kr-{key_result.pk}")
    told: set[int] = set()
    if risk_event(status_before, status_after) == "risk.raised":
        owners = {key_result.owner_id} | set(
            CoOwner.objects.filter(key_result=key_result).values_list("person_id", flat=True)
        )
        for person in people(owners):
            made = notify(
                person,
                Kind.RISK_RAISED,
                source_key=source_key,
                actor=actor,
                key_result=key_result,
                params={"title": key_result.title, "status": status_after},
                url=url,
            )
            if made is not None:
                told.add(person.pk)
    if status_before in (None, "no_data") or status_after is None:
        return  # a first value sets a status; it does not change one
    for person in people(key_result_follower_ids(key_result) - told):
        notify(
            person,
            Kind.FOLLOWED_STATUS,
            source_key=source_key,
            actor=actor,
            key_result=key_result,
            params={"title": key_result.title, "before": status_before, "after": status_after},
            url=url,
        )


# --- Reports ---------------------------------------------------------------------------------


def report_ready(report: Any) -> None:
    """Tell whoever asked for a report that it is ready to download."""
    person = getattr(report.requested_by, "person", None)
    if person is None:
        return
    notify(
        person,
        Kind.REPORT_READY,
        source_key=f"report:{report.pk}",
        params={"cycle": report.cycle.name, "format": report.fmt},
        url=reverse("reports:list"),
    )
