"""KPIs: list, read, their value history, and checking a value in (#16)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Schema, Status

from okrflow.api.endpoints.common import PageQuery, answers, member_access, page
from okrflow.api.pagination import page_of
from okrflow.api.schemas import Input, Number, ShortText
from okrflow.front.params import MAX_ID
from okrflow.kpis.actions import correct_kpi_value, record_kpi_value
from okrflow.kpis.models import Kpi, KpiValue
from okrflow.kpis.selectors import KpiRow, kpi_rows, readable_kpis

router = Router(tags=["KPIs"])
ID = Path(..., ge=1, le=MAX_ID)


class KpiOut(Schema):
    id: int
    name: str
    unit: str
    owner_unit_id: int | None
    owner_person_id: int | None
    range_kind: str
    minimum: Decimal | None
    maximum: Decimal | None
    is_archived: bool
    current: Decimal | None
    in_range: bool | None
    warned: bool


class KpiPage(Schema):
    items: list[KpiOut]
    next_cursor: str | None


class KpiValueOut(Schema):
    id: int
    kpi_id: int
    value: Decimal
    measured_on: datetime.date
    corrects_id: int | None
    note: str
    recorded_by_id: int | None
    created_at: datetime.datetime


class KpiValuePage(Schema):
    items: list[KpiValueOut]
    next_cursor: str | None


class KpiValueIn(Input):
    value: Number
    measured_on: datetime.date | None = None


class KpiCorrectionIn(Input):
    value: Number
    note: ShortText = ""


class KpiFilters(Schema):
    archived: bool = False


def kpi_out(row: KpiRow) -> dict[str, Any]:
    kpi = row.kpi
    return {
        "id": kpi.pk,
        "name": kpi.name,
        "unit": kpi.unit,
        "owner_unit_id": kpi.owner_unit_id,
        "owner_person_id": kpi.owner_person_id,
        "range_kind": kpi.range_kind,
        "minimum": kpi.minimum,
        "maximum": kpi.maximum,
        "is_archived": kpi.is_archived,
        "current": row.current,
        "in_range": row.in_range,
        "warned": row.warned,
    }


def value_out(row: KpiValue) -> dict[str, Any]:
    return {
        "id": row.pk,
        "kpi_id": row.kpi_id,
        "value": row.value,
        "measured_on": row.measured_on,
        "corrects_id": row.corrects_id,
        "note": row.note,
        "recorded_by_id": row.recorded_by_id,
        "created_at": row.created_at,
    }


def visible_kpi(request: HttpRequest, kpi_id: int) -> Kpi:
    """A KPI of the organisation (archived ones too); a missing one answers 404."""
    member_access(request)
    return readable_kpis(request.user).get(pk=kpi_id)


@router.get("/kpis", response=answers(KpiPage), summary="List KPIs")
def list_kpis(
    request: HttpRequest, params: PageQuery, filters: Query[KpiFilters]
) -> dict[str, Any]:
    member_access(request)
    queryset = readable_kpis(request.user).filter(is_archived=filters.archived)
    rows, cursor = page_of(queryset, params.cursor, params.limit)
    return page(
        (
            kpi_out(row)
            for row in kpi_rows(Kpi.objects.filter(pk__in=[k.pk for k in rows]).order_by("pk"))
        ),
        cursor,
    )


@router.get("/kpis/{kpi_id}", response=answers(KpiOut), summary="Read a KPI")
def get_kpi(request: HttpRequest, kpi_id: int = ID) -> dict[str, Any]:
    kpi = visible_kpi(request, kpi_id)
    [row] = kpi_rows(Kpi.objects.filter(pk=kpi.pk))
    return kpi_out(row)


@router.get(
    "/kpis/{kpi_id}/values",
    response=answers(KpiValuePage),
    summary="A KPI's value history (corrections name the value they correct)",
)
def list_kpi_values(request: HttpRequest, params: PageQuery, kpi_id: int = ID) -> dict[str, Any]:
    kpi = visible_kpi(request, kpi_id)
    rows, cursor = page_of(KpiValue.objects.filter(kpi=kpi), params.cursor, params.limit)
    return page((value_out(row) for row in rows), cursor)


@router.post(
    "/kpis/{kpi_id}/values",
    response=answers(KpiValueOut, 201, write=True),
    summary="Check in a KPI's value",
)
def post_kpi_value(request: HttpRequest, payload: KpiValueIn, kpi_id: int = ID) -> Status:
    kpi = visible_kpi(request, kpi_id)
    entry = record_kpi_value(
        request.user,
        kpi,
        value=payload.value,
        measured_on=payload.measured_on or timezone.localdate(),
    )
    return Status(201, value_out(entry))


@router.post(
    "/kpis/{kpi_id}/values/{value_id}/corrections",
    response=answers(KpiValueOut, 201, write=True),
    summary="Correct a KPI value (a new value for the same day; the old one stays)",
)
def post_kpi_correction(
    request: HttpRequest, payload: KpiCorrectionIn, kpi_id: int = ID, value_id: int = ID
) -> Status:
    kpi = visible_kpi(request, kpi_id)
    entry = KpiValue.objects.get(kpi=kpi, pk=value_id)
    fixed = correct_kpi_value(request.user, entry, value=payload.value, note=payload.note)
    return Status(201, value_out(fixed))
