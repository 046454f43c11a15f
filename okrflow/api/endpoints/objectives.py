"""Objectives: list with filters, read, create, update, align, propose and agree."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from okrflow.api.endpoints.common import (
    PageQuery,
    answers,
    check_if_match,
    entity_tag,
    page,
    visible_objective,
    visible_objectives,
)
from okrflow.api.errors import ProblemError
from okrflow.api.pagination import page_of
from okrflow.api.schemas import (
    AlignIn,
    AlignmentOut,
    CommentIn,
    Id,
    ObjectiveCreate,
    ObjectiveOut,
    ObjectivePage,
    ObjectiveUpdate,
    OwnerIn,
)
from okrflow.cycles.models import Cycle
from okrflow.front.params import MAX_ID
from okrflow.okrs.actions import (
    agree_objective,
    align_objective,
    create_objective,
    propose_objective,
    update_objective,
)
from okrflow.okrs.measure import load_objectives, measure_objectives
from okrflow.okrs.models import Objective, ObjectiveState
from okrflow.org.models import Organisation, OrgUnit, Person, Project

router = Router(tags=["objectives"])
ID = Path(..., ge=1, le=MAX_ID)


class ObjectiveFilters(Schema):
    cycle: Id | None = None
    owner_person: Id | None = None
    owner_unit: Id | None = None
    owner_project: Id | None = None
    unit: Id | None = Field(default=None, description="Objectives anywhere in this unit's subtree")
    status: ObjectiveState | None = Field(default=None, description="draft, proposed, active…")
    tag: str | None = Field(default=None, max_length=50)
    updated_since: datetime.datetime | None = None


def aware(moment: datetime.datetime) -> datetime.datetime:
    """Read a time without zone in the server's zone; refuse one no database can compare.

    The time is passed on in UTC: PostgreSQL refuses offsets beyond ±15:59, which Python and
    ISO 8601 allow (up to ±23:59)."""
    try:
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        moment = moment.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        raise ProblemError(
            422, "invalid-fields", _("Give a time between the years 1900 and 9000.")
        ) from None
    if not 1900 <= moment.year <= 9000:
        raise ProblemError(422, "invalid-fields", _("Give a time between the years 1900 and 9000."))
    return moment


def filtered(queryset: QuerySet[Objective], filters: ObjectiveFilters) -> QuerySet[Objective]:
    if filters.cycle is not None:
        queryset = queryset.filter(cycle_id=filters.cycle)
    if filters.owner_person is not None:
        queryset = queryset.filter(owner_person_id=filters.owner_person)
    if filters.owner_unit is not None:
        queryset = queryset.filter(owner_unit_id=filters.owner_unit)
    if filters.owner_project is not None:
        queryset = queryset.filter(owner_project_id=filters.owner_project)
    if filters.unit is not None:
        root = OrgUnit.objects.filter(pk=filters.unit).values_list("path", flat=True).first()
        if root is None:
            return queryset.none()
        below = OrgUnit.objects.filter(path__startswith=root).values("pk")
        queryset = queryset.filter(
            Q(owner_unit__in=below)
            | Q(owner_person__unit__in=below)
            | Q(owner_project__unit__in=below)
        )
    if filters.status is not None:
        queryset = queryset.filter(state=filters.status)
    if filters.tag:
        queryset = queryset.filter(tags__name=filters.tag.strip().lower().lstrip("#"))
    if filters.updated_since is not None:
        queryset = queryset.filter(updated_at__gte=aware(filters.updated_since))
    return queryset


def represent(objectives: list[Objective]) -> list[dict[str, Any]]:
    """Describe objectives with their progress and status, measured in a few queries."""
    if not objectives:
        return []
    ids = [objective.pk for objective in objectives]
    loaded = load_objectives(Objective.objects.filter(pk__in=ids), ids=ids)
    reports = {
        report.objective.pk: report
        for report in measure_objectives(loaded, timezone.localdate(), Organisation.current())
    }
    rows = []
    for objective in loaded.objectives:
        report = reports.get(objective.pk)
        rows.append(
            {
                "id": objective.pk,
                "cycle_id": objective.cycle_id,
                "title": objective.title,
                "description": objective.description,
                "owner": {
                    "kind": objective.owner_kind,
                    "id": objective.owner.pk,
                    "name": objective.owner_name,
                },
                "kind": objective.kind,
                "state": objective.state,
                "is_private": objective.is_private,
                "tags": [tag.name for tag in loaded.tags.get(objective.pk, [])],
                "parents": [
                    AlignmentOut(
                        parent_id=link.parent_id, is_primary=link.is_primary, weight=link.weight
                    )
                    for link in loaded.parent_links.get(objective.pk, [])
                ],
                "progress": round(report.progress, 4) if report else None,
                "status": report.status.value if report else None,
                "version": objective.version,
                "created_at": objective.created_at,
                "updated_at": objective.updated_at,
            }
        )
    rows.sort(key=lambda row: row["id"])
    return rows


def one(objective: Objective, response: HttpResponse) -> dict[str, Any]:
    """Describe one objective and put its version in the ETag header."""
    fresh = Objective.objects.get(pk=objective.pk)
    response["ETag"] = entity_tag("objective", fresh.pk, fresh.version)
    return represent([fresh])[0]


def owner_of(owner: OwnerIn) -> Person | OrgUnit | Project:
    model = {"person": Person, "unit": OrgUnit, "project": Project}[owner.kind]
    found = model.objects.filter(pk=owner.id).first()
    if found is None:
        raise ProblemError(422, "invalid-fields", _("The owner does not exist."))
    return found


@router.get("/objectives", response=answers(ObjectivePage), summary="List objectives")
def list_objectives(
    request: HttpRequest, params: PageQuery, filters: Query[ObjectiveFilters]
) -> dict[str, Any]:
    queryset = filtered(visible_objectives(request), filters).distinct()
    rows, cursor = page_of(queryset, params.cursor, params.limit)
    return page(represent(rows), cursor)


@router.get(
    "/objectives/{objective_id}", response=answers(ObjectiveOut), summary="Read an objective"
)
def get_objective(
    request: HttpRequest, response: HttpResponse, objective_id: int = ID
) -> dict[str, Any]:
    return one(visible_objective(request, objective_id), response)


@router.post(
    "/objectives",
    response=answers(ObjectiveOut, 201, write=True),
    summary="Create an objective",
)
def post_objective(
    request: HttpRequest, response: HttpResponse, payload: ObjectiveCreate
) -> Status:
    visible_objectives(request)  # refuses someone outside the organisation
    cycle = Cycle.objects.filter(pk=payload.cycle_id).first()
    if cycle is None:
        raise ProblemError(422, "invalid-fields", _("The cycle does not exist."))
    parent = None
    if payload.parent_id is not None:
        parent = visible_objectives(request).filter(pk=payload.parent_id).first()
        if parent is None:
            raise ProblemError(422, "invalid-fields", _("The parent objective does not exist."))
    outcome = create_objective(
        request.user,
        cycle=cycle,
        title=payload.title,
        owner=owner_of(payload.owner),
        kind=payload.kind,
        description=payload.description,
        is_private=payload.is_private,
        tags=payload.tags,
        state=payload.state,
        parent=parent,
    )
    return Status(201, one(outcome.value, response))


@router.patch(
    "/objectives/{objective_id}",
    response=answers(ObjectiveOut, write=True),
    summary="Change an objective (send If-Match with its ETag)",
)
def patch_objective(
    request: HttpRequest, response: HttpResponse, payload: ObjectiveUpdate, objective_id: int = ID
) -> dict[str, Any]:
    objective = visible_objective(request, objective_id)
    changes = payload.model_dump(exclude_unset=True)
    owner = owner_of(payload.owner) if payload.owner is not None else None
    changes.pop("owner", None)
    tags = changes.pop("tags", None)
    changes = {name: value for name, value in changes.items() if value is not None}
    with transaction.atomic():
        locked = Objective.objects.select_for_update(of=("self",)).get(pk=objective.pk)
        check_if_match(request, entity_tag("objective", locked.pk, locked.version))
        update_objective(
            request.user,
            locked,
            expected_version=locked.version,
            tags=tags,
            owner=owner,
            **changes,
        )
    return one(objective, response)


@router.post(
    "/objectives/{objective_id}/alignments",
    response=answers(ObjectiveOut, write=True),
    summary="Align an objective to a parent it contributes to",
)
def post_alignment(
    request: HttpRequest, response: HttpResponse, payload: AlignIn, objective_id: int = ID
) -> dict[str, Any]:
    child = visible_objective(request, objective_id)
    parent = visible_objectives(request).filter(pk=payload.parent_id).first()
    if parent is None:
        raise ProblemError(422, "invalid-fields", _("The parent objective does not exist."))
    align_objective(request.user, child, parent, primary=payload.primary, weight=payload.weight)
    return one(child, response)


def decide(
    request: HttpRequest,
    response: HttpResponse,
    objective_id: int,
    action: Callable[[Any, Objective, str], object],
    comment: str,
) -> dict[str, Any]:
    """Run a proposal step on the objective, locked and checked against If-Match first."""
    objective = visible_objective(request, objective_id)
    with transaction.atomic():
        locked = Objective.objects.select_for_update(of=("self",)).get(pk=objective.pk)
        check_if_match(request, entity_tag("objective", locked.pk, locked.version))
        action(request.user, locked, comment)
    return one(objective, response)


@router.post(
    "/objectives/{objective_id}/propose",
    response=answers(ObjectiveOut, write=True),
    summary="Propose a draft objective for agreement",
)
def post_propose(
    request: HttpRequest, response: HttpResponse, payload: CommentIn, objective_id: int = ID
) -> dict[str, Any]:
    return decide(request, response, objective_id, propose_objective, payload.comment)


@router.post(
    "/objectives/{objective_id}/agree",
    response=answers(ObjectiveOut, write=True),
    summary="Agree a proposed objective",
)
def post_agree(
    request: HttpRequest, response: HttpResponse, payload: CommentIn, objective_id: int = ID
) -> dict[str, Any]:
    return decide(request, response, objective_id, agree_objective, payload.comment)
