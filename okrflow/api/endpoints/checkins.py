"""Check-ins: read those one may see (own, reports', everyone's for admins), submit one."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router, Schema, Status

from okrflow.api.endpoints.common import PageQuery, answers, member_access, page
from okrflow.api.errors import ProblemError
from okrflow.api.pagination import page_of
from okrflow.api.schemas import CheckInIn, CheckInOut, CheckInPage, Id
from okrflow.checkins.actions import record_checkin
from okrflow.checkins.actions.inputs import CheckInInput, LineInput
from okrflow.checkins.models import CheckIn, KeyResultCheckIn
from okrflow.checkins.scope import managed_people
from okrflow.cycles.models import Cycle
from okrflow.front.params import MAX_ID
from okrflow.okrs.models import Objective
from okrflow.org.models import Person

router = Router(tags=["check-ins"])
ID = Path(..., ge=1, le=MAX_ID)


class CheckInFilters(Schema):
    person: Id | None = None
    cycle: Id | None = None
    week: datetime.date | None = None


def visible_checkins(request: HttpRequest) -> QuerySet[CheckIn]:
    """Return the check-ins the caller may read: their own, their reports', all for admins."""
    access = member_access(request)
    checkins = CheckIn.objects.all()
    if not access.is_admin:
        own = Q(person=access.person) if access.person is not None else Q(pk__in=[])
        checkins = checkins.filter(own | Q(person__in=managed_people(access).values("pk")))
    # A line on a key result whose objective the caller may not see is left out.
    lines = KeyResultCheckIn.objects.filter(
        key_result__objective__in=Objective.objects.visible_to(request.user).values("pk")
    ).order_by("id")
    return checkins.prefetch_related(Prefetch("lines", queryset=lines, to_attr="visible_lines"))


def checkin_out(checkin: CheckIn) -> dict[str, Any]:
    return {
        "id": checkin.pk,
        "person_id": checkin.person_id,
        "cycle_id": checkin.cycle_id,
        "week": checkin.week,
        "state": checkin.state,
        "corrects_id": checkin.corrects_id,
        "progress": checkin.progress,
        "obstacles": checkin.obstacles,
        "solutions": checkin.solutions,
        "late_work": checkin.late_work,
        "pace": checkin.pace,
        "confidence": checkin.confidence,
        "submitted_at": checkin.submitted_at,
        "lines": [
            {
                "key_result_id": line.key_result_id,
                "value": line.value,
                "confidence": line.confidence,
                "note": line.note,
            }
            for line in checkin.visible_lines  # type: ignore[attr-defined]
        ],
    }


@router.get("/checkins", response=answers(CheckInPage), summary="List check-ins")
def list_checkins(
    request: HttpRequest, params: PageQuery, filters: Query[CheckInFilters]
) -> dict[str, Any]:
    queryset = visible_checkins(request)
    if filters.person is not None:
        queryset = queryset.filter(person_id=filters.person)
    if filters.cycle is not None:
        queryset = queryset.filter(cycle_id=filters.cycle)
    if filters.week is not None:
        queryset = queryset.filter(week=filters.week)
    rows, cursor = page_of(queryset, params.cursor, params.limit)
    return page((checkin_out(row) for row in rows), cursor)


@router.get("/checkins/{checkin_id}", response=answers(CheckInOut), summary="Read a check-in")
def get_checkin(request: HttpRequest, checkin_id: int = ID) -> dict[str, Any]:
    return checkin_out(visible_checkins(request).get(pk=checkin_id))


@router.post(
    "/checkins",
    response=answers(CheckInOut, 201, write=True),
    summary="Submit (or save as a draft) a weekly check-in",
)
def post_checkin(request: HttpRequest, payload: CheckInIn) -> Status:
    access = member_access(request)
    if payload.person_id is None:
        person = access.person
        if person is None:
            raise ProblemError(422, "invalid-fields", _("Say whose check-in this is."))
    else:
        person = Person.objects.filter(pk=payload.person_id).first()
        if person is None:
            raise ProblemError(422, "invalid-fields", _("This person does not exist."))
    cycle = Cycle.objects.filter(pk=payload.cycle_id).first()
    if cycle is None:
        raise ProblemError(422, "invalid-fields", _("The cycle does not exist."))
    lines: dict[int, LineInput] = {}
    for line in payload.lines:
        if line.key_result_id in lines:
            raise ProblemError(
                422, "invalid-fields", _("Each key result may appear only once in a check-in.")
            )
        lines[line.key_result_id] = LineInput(
            value=line.value, confidence=line.confidence, note=line.note
        )
    data = CheckInInput(
        lines=lines,
        progress=payload.progress,
        obstacles=payload.obstacles,
        solutions=payload.solutions,
        confidence=payload.confidence,
        late_work=payload.late_work,
        pace=payload.pace,
    )
    checkin = record_checkin(
        request.user,
        person=person,
        cycle=cycle,
        week=payload.week,
        data=data,
        submit=payload.submit,
    )
    return Status(201, checkin_out(visible_checkins(request).get(pk=checkin.pk)))
