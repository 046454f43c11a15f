"""Compound key results' parts (#16): read, set, check in part by part, correct a part's value."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Path, Router, Status

from okrflow.api.endpoints.common import (
    answers,
    check_if_match,
    entity_tag,
    visible_key_result,
)
from okrflow.api.errors import ProblemError
from okrflow.api.schemas import (
    PartCorrectionIn,
    PartsIn,
    PartsOut,
    PartValueOut,
    PartValuesIn,
)
from okrflow.front.params import MAX_ID
from okrflow.okrs.actions.shapes import correct_part_value, record_part_values, set_key_result_parts
from okrflow.okrs.models import KeyResult, KeyResultPartValue
from okrflow.okrs.shapes import part_rows, parts_by_key_result

router = Router(tags=["key results"])
ID = Path(..., ge=1, le=MAX_ID)


def parts_out(kr: KeyResult, response: HttpResponse | None = None) -> dict[str, Any]:
    fresh = KeyResult.objects.select_related("objective__cycle").get(pk=kr.pk)
    if response is not None:
        response["ETag"] = entity_tag("key-result", fresh.pk, fresh.version)
    parts = parts_by_key_result([fresh.pk])[fresh.pk] if fresh.combine else []
    return {
        "key_result_id": fresh.pk,
        "combine": fresh.combine,
        "current_value": fresh.current_value,
        "parts": [
            {
                "id": row.part.pk,
                "label": row.part.label,
                "shape": row.part.shape,
                "direction": row.part.direction,
                "start_value": row.part.start_value,
                "target_value": row.part.target_value,
                "current_value": row.part.current_value,
                "unit": row.part.unit,
                "start_date": row.part.start_date,
                "weight": row.part.weight,
                "position": row.part.position,
                "progress": round(row.progress, 4),
            }
            for row in part_rows(fresh, parts, timezone.localdate())
        ],
    }


def value_out(row: KeyResultPartValue) -> dict[str, Any]:
    return {
        "id": row.pk,
        "part_id": row.part_id,
        "value": row.value,
        "measured_on": row.measured_on,
        "source": row.source,
        "corrects_id": row.corrects_id,
        "note": row.note,
        "recorded_by_id": row.recorded_by_id,
        "created_at": row.created_at,
    }


@router.get(
    "/key-results/{key_result_id}/parts",
    response=answers(PartsOut),
    summary="A compound key result's parts",
)
def get_parts(request: HttpRequest, response: HttpResponse, key_result_id: int = ID) -> Any:
    return parts_out(visible_key_result(request, key_result_id), response)


@router.put(
    "/key-results/{key_result_id}/parts",
    response=answers(PartsOut, write=True),
    summary="Make a key result compound with these parts (send If-Match with its ETag)",
)
def put_parts(
    request: HttpRequest, response: HttpResponse, payload: PartsIn, key_result_id: int = ID
) -> Any:
    key_result = visible_key_result(request, key_result_id)
    parts = [part.model_dump() for part in payload.parts]
    with transaction.atomic():
        locked = KeyResult.objects.select_for_update(of=("self",)).get(pk=key_result.pk)
        check_if_match(request, entity_tag("key-result", locked.pk, locked.version))
        set_key_result_parts(request.user, locked, combine=payload.combine, parts=parts)
    return parts_out(key_result, response)


@router.post(
    "/key-results/{key_result_id}/parts/values",
    response=answers(PartsOut, 201, write=True),
    summary="Check in a compound key result part by part",
)
def post_part_values(request: HttpRequest, payload: PartValuesIn, key_result_id: int = ID) -> Any:
    key_result = visible_key_result(request, key_result_id)
    values: dict[int, Any] = {}
    for item in payload.values:
        if item.part_id in values:
            raise ProblemError(422, "invalid-fields", _("Each part can have one value."))
        values[item.part_id] = item.value
    record_part_values(request.user, key_result, values=values, measured_on=payload.measured_on)
    return Status(201, parts_out(key_result))


@router.get(
    "/key-results/{key_result_id}/parts/values",
    response=answers(list[PartValueOut]),
    summary="The value history of a compound key result's parts, corrections included",
)
def list_part_values(request: HttpRequest, key_result_id: int = ID) -> Any:
    key_result = visible_key_result(request, key_result_id)
    rows = KeyResultPartValue.objects.filter(part__key_result=key_result).order_by(
        "part__position", "part_id", "measured_on", "id"
    )[:2000]
    return [value_out(row) for row in rows]


@router.post(
    "/key-results/{key_result_id}/parts/corrections",
    response=answers(PartValueOut, 201, write=True),
    summary="Correct a mistaken value of a part (the old one stays in the history)",
)
def post_part_correction(
    request: HttpRequest, payload: PartCorrectionIn, key_result_id: int = ID
) -> Any:
    key_result = visible_key_result(request, key_result_id)
    entry = KeyResultPartValue.objects.filter(
        part__key_result=key_result, pk=payload.value_id
    ).first()
    if entry is None:
        raise ProblemError(
            422,
            "invalid-fields",
            _("Choose a recorded value of one of this key result's parts."),
        )
    correction = correct_part_value(request.user, entry, value=payload.value, note=payload.note)
    return Status(201, value_out(correction))
