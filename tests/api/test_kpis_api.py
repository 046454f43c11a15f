"""#16: KPIs in the API: list and read (range, current value, state), history, check-in,
correction; per persona, with problem answers for bad input and bounded queries."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from okrflow.kpis.actions import create_kpi, record_kpi_value, set_kpi_archived
from okrflow.kpis.models import Kpi, KpiValue
from tests.api.conftest import Api, api_for
from tests.conftest import World

DAY = datetime.date(2026, 5, 1)


def sessions(world: World) -> Kpi:
    return create_kpi(
        None, name="Website sessions", owner=world.marketing, range_kind="at_least", minimum=5000
    )


def test_list_and_read_a_kpi_with_its_state(world: World, apis: dict[str, Api]) -> None:
    kpi = sessions(world)
    record_kpi_value(None, kpi, value=4000, measured_on=DAY)
    record_kpi_value(None, kpi, value=3900, measured_on=DAY + datetime.timedelta(days=7))
    listed = apis["member"].get("/kpis").json()
    assert [item["name"] for item in listed["items"]] == ["Website sessions"]
    item = apis["member"].get(f"/kpis/{kpi.pk}").json()
    assert item["range_kind"] == "at_least" and Decimal(item["minimum"]) == 5000
    assert Decimal(item["current"]) == 3900
    assert (item["in_range"], item["warned"], item["owner_unit_id"]) == (
        False,
        True,
        world.marketing.pk,
    )
    values = apis["member"].get(f"/kpis/{kpi.pk}/values").json()["items"]
    assert [Decimal(v["value"]) for v in values] == [4000, 3900]


def test_archived_kpis_are_listed_apart(world: World, apis: dict[str, Api]) -> None:
    kpi = sessions(world)
    set_kpi_archived(None, kpi, archived=True)
    assert apis["lead"].get("/kpis").json()["items"] == []
    archived = apis["lead"].get("/kpis?archived=true").json()["items"]
    assert [item["id"] for item in archived] == [kpi.pk]
    assert apis["lead"].get(f"/kpis/{kpi.pk}").json()["is_archived"] is True
    answer = apis["lead"].post(f"/kpis/{kpi.pk}/values", {"value": 1})
    assert answer.status_code == 422 and answer["Content-Type"] == "application/problem+json"
    assert not KpiValue.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 201), ("lead", 201), ("member", 201), ("outsider", 403)]
)
def test_who_may_check_in_a_kpi_value(
    world: World, apis: dict[str, Api], persona: str, status: int
) -> None:
    kpi = sessions(world)
    answer = apis[persona].post(
        f"/kpis/{kpi.pk}/values", {"value": "5200", "measured_on": "2026-05-01"}
    )
    assert answer.status_code == status, answer.content
    assert KpiValue.objects.filter(kpi=kpi).exists() == (status == 201)
    if status == 201:
        assert answer.json()["measured_on"] == "2026-05-01"


def test_a_member_of_another_unit_cannot_check_in(world: World) -> None:
    kpi = sessions(world)
    answer = api_for(world.sales_head).post(f"/kpis/{kpi.pk}/values", {"value": 1})
    assert answer.status_code == 403
    assert not KpiValue.objects.exists()


@pytest.mark.parametrize("language", ["en", "vi"])
def test_bad_values_are_problems_and_save_nothing(
    world: World, apis: dict[str, Api], language: str
) -> None:
    kpi = sessions(world)
    for body in ({"value": "lots"}, {}, {"value": 1, "extra": 2}, {"value": "1e400"}):
        answer = apis["lead"].post(f"/kpis/{kpi.pk}/values", body, accept_language=language)
        assert answer.status_code in (400, 422), (body, answer.content)
        assert answer.json()["detail"]
    assert apis["lead"].get("/kpis/999999").status_code == 404
    assert apis["lead"].post("/kpis/999999/values", {"value": 1}).status_code == 404
    assert not KpiValue.objects.exists()


def test_a_correction_through_the_api(world: World, apis: dict[str, Api]) -> None:
    kpi = sessions(world)
    mistake = record_kpi_value(None, kpi, value=52000, measured_on=DAY)
    path = f"/kpis/{kpi.pk}/values/{mistake.pk}/corrections"
    assert apis["outsider"].post(path, {"value": 5200}).status_code == 403
    answer = apis["member"].post(path, {"value": 5200, "note": "one zero too many"})
    assert answer.status_code == 201, answer.content
    assert answer.json()["corrects_id"] == mistake.pk
    assert apis["member"].post(path, {"value": 5300}).status_code == 422  # corrected already
    assert Decimal(apis["member"].get(f"/kpis/{kpi.pk}").json()["current"]) == 5200
    assert KpiValue.objects.count() == 2


def test_the_kpi_list_costs_the_same_for_two_kpis_or_eight(world: World) -> None:
    def grow(count: int) -> None:
        for number in range(count):
            kpi = create_kpi(
                None,
                name=f"K{Kpi.objects.count()}",
                owner=world.marketing,
                range_kind="at_most",
                maximum=number + 1,
            )
            record_kpi_value(None, kpi, value=number, measured_on=DAY)

    def queries() -> int:
        api = api_for(world.lead)
        with CaptureQueriesContext(connection) as captured:
            assert api.get("/kpis").status_code == 200
        return len(captured)

    grow(2)
    few = queries()
    grow(6)
    assert queries() == few
