"""Key results: list, read, create, update, their value history and their initiatives."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status

from okrflow.api.endpoints.common import (
    PageQuery,
    answers,
    check_if_match,
    entity_tag,
    page,
    visible_key_result,
    visible_key_results,
    visible_objective,
)
from okrflow.api.endpoints.objectives import aware
from okrflow.api.errors import ProblemError
from okrflow.api.pagination import page_of
from okrflow.api.schemas import (
    Id,
    InitiativeIn,
    InitiativeOut,
    InitiativePage,
    KeyResultCreate,
    KeyResultOut,
    KeyResultPage,
    KeyResultUpdate,
    ValueIn,
    ValueOut,
    ValuePage,
)
from okrflow.front.params import MAX_ID
from okrflow.okrs.actions import (
    create_initiative,
    create_key_result,
    record_key_result_value,
    update_key_result,
)
from okrflow.okrs.models import Initiative, KeyResult, KeyResultValue
from okrflow.org.models import Person

router = Router(tags=["key results"])
ID = Path(..., ge=1, le=MAX_ID)


class KeyResultFilters(Schema):
    objective: Id | None = None
    cycle: Id | None = None
    owner: Id | None = None
    updated_since: datetime.datetime | None = None


def one(key_result: KeyResult, response: HttpResponse) -> KeyResult:
    fresh = KeyResult.objects.get(pk=key_result.pk)
    response["ETag"] = entity_tag("key-result", fresh.pk, fresh.version)
    return fresh


def person_or_422(person_id: int | None) -> Person | None:
    if person_id is None:
        return None
    found = Person.objects.filter(pk=person_id).first()
    if found is None:
        raise ProblemError(422, "invalid-fields", _("The owner does not exist."))
    return found


def value_out(row: KeyResultValue) -> dict[str, Any]:
    return {
        "id": row.pk,
        "key_result_id": row.key_result_id,
        "value": row.value,
        "measured_on": row.measured_on,
        "source": row.source,
        "note": row.note,
        "recorded_by_id": row.recorded_by_id,
        "created_at": row.created_at,
    }


@router.get("/key-results", response=answers(KeyResultPage), summary="List key results")
def list_key_results(
    request: HttpRequest, params: PageQuery, filters: Query[KeyResultFilters]
) -> dict[str, Any]:
    queryset = visible_key_results(request)
    if filters.objective is not None:
        queryset = queryset.filter(objective_id=filters.objective)
    if filters.cycle is not None:
        queryset = queryset.filter(objective__cycle_id=filters.cycle)
    if filters.owner is not None:
        queryset = queryset.filter(owner_id=filters.owner)
    if filters.updated_since is not None:
        queryset = queryset.filter(updated_at__gte=aware(filters.updated_since))
    rows, cursor = page_of(queryset, params.cursor, params.limit)
    return page(rows, cursor)


@router.get(
    "/key-results/{key_result_id}", response=answers(KeyResultOut), summary="Read a key result"
)
def get_key_result(
    request: HttpRequest, response: HttpResponse, key_result_id: int = ID
) -> KeyResult:
    return one(visible_key_result(request, key_result_id), response)


@router.post(
    "/key-results",
    response=answers(KeyResultOut, 201, write=True),
    summary="Add a key result to an objective",
)
def post_key_result(
    request: HttpRequest, response: HttpResponse, payload: KeyResultCreate
) -> Status:
    objective = visible_objective(request, payload.objective_id)
    fields = payload.model_dump(exclude={"objective_id", "owner_id"})
    fields = {name: value for name, value in fields.items() if value is not None}
    outcome = create_key_result(
        request.user, objective, owner=person_or_422(payload.owner_id), **fields
    )
    return Status(201, one(outcome.value, response))


@router.patch(
    "/key-results/{key_result_id}",
    response=answers(KeyResultOut, write=True),
    summary="Change a key result (send If-Match with its ETag)",
)
def patch_key_result(
    request: HttpRequest, response: HttpResponse, payload: KeyResultUpdate, key_result_id: int = ID
) -> KeyResult:
    key_result = visible_key_result(request, key_result_id)
    changes = {
        name: value
        for name, value in payload.model_dump(exclude_unset=True).items()
        if value is not None
    }
    if "owner_id" in changes:
        changes["owner"] = person_or_422(changes.pop("owner_id"))
    with transaction.atomic():
        locked = KeyResult.objects.select_for_update(of=("self",)).get(pk=key_result.pk)
        check_if_match(request, entity_tag("key-result", locked.pk, locked.version))
        update_key_result(request.user, locked, expected_version=locked.version, **changes)
    return one(key_result, response)


@router.get(
    "/key-results/{key_result_id}/values",
    response=answers(ValuePage),
    summary="A key result's value history",
)
def list_values(request: HttpRequest, params: PageQuery, key_result_id: int = ID) -> dict[str, Any]:
    key_result = visible_key_result(request, key_result_id)
    rows, cursor = page_of(
        KeyResultValue.objects.filter(key_result=key_result), params.cursor, params.limit
    )
    return page((value_out(row) for row in rows), cursor)


@router.post(
    "/key-results/{key_result_id}/values",
    response=answers(ValueOut, 201, write=True),
    summary="Record a key result's value",
)
def post_value(request: HttpRequest, payload: ValueIn, key_result_id: int = ID) -> Status:
    key_result = visible_key_result(request, key_result_id)
    entry = record_key_result_value(
        request.user,
        key_result,
        value=payload.value,
        measured_on=payload.measured_on,
        note=payload.note,
    )
    return Status(201, value_out(entry))


@router.get(
    "/key-results/{key_result_id}/initiatives",
    response=answers(InitiativePage),
    summary="The work under a key result",
)
def list_initiatives(
    request: HttpRequest, params: PageQuery, key_result_id: int = ID
) -> dict[str, Any]:
    key_result = visible_key_result(request, key_result_id)
    rows, cursor = page_of(
        Initiative.objects.filter(key_result=key_result), params.cursor, params.limit
    )
    return page(rows, cursor)


@router.post(
    "/key-results/{key_result_id}/initiatives",
    response=answers(InitiativeOut, 201, write=True),
    summary="Add an initiative under a key result",
)
def post_initiative(request: HttpRequest, payload: InitiativeIn, key_result_id: int = ID) -> Status:
    key_result = visible_key_result(request, key_result_id)
    initiative = create_initiative(
        request.user,
        key_result,
        title=payload.title,
        owner=person_or_422(payload.owner_id),
        due_date=payload.due_date,
    )
    return Status(201, initiative)
