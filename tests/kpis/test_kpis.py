"""KPIs: adding one (refused ranges), checking values in, listing beside OKRs, the CLI."""

from __future__ import annotations

import datetime
import io
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from okrflow.audit.models import AuditEntry
from okrflow.kpis.actions import create_kpi, link_key_result_to_kpi, record_kpi_value
from okrflow.kpis.models import KeyResultKpi, Kpi, KpiValue
from tests.conftest import World, make_objective

PERSONAS = ["admin", "lead", "member", "outsider"]


def sessions(world: World) -> Kpi:
    return create_kpi(
        None, name="Website sessions", owner=world.marketing, range_kind="at_least", minimum=5000
    )


def test_lead_adds_a_kpi_with_its_audit_row(world: World) -> None:
    kpi = create_kpi(
        world.lead.user,
        name="Cost per lead",
        owner=world.marketing,
        range_kind="between",
        minimum="100",
        maximum="150",
    )
    assert (kpi.minimum, kpi.maximum) == (Decimal(100), Decimal(150))
    assert AuditEntry.objects.filter(action="create_kpi", object_id=kpi.pk).exists()


@pytest.mark.parametrize("language", ["en", "vi"])
def test_min_above_max_and_missing_bounds_are_refused(world: World, language: str) -> None:
    with translation.override(language):
        for kind, low, high in [("between", "9", "3"), ("at_least", "", ""), ("x", "1", "2")]:
            with pytest.raises(ValidationError) as error:
                create_kpi(
                    world.admin.user,
                    name="Bad",
                    owner=world.marketing,
                    range_kind=kind,
                    minimum=low,
                    maximum=high,
                )
            text = " ".join(error.value.messages)
            assert text and (language == "en" or "healthy" not in text)
    assert not Kpi.objects.exists()


def test_who_may_add_and_check_in(world: World) -> None:
    for person in (world.member, world.sales_head, world.outsider):
        with pytest.raises(PermissionDenied):
            create_kpi(
                person.user, name="K", owner=world.marketing, range_kind="at_least", minimum=1
            )
    kpi = sessions(world)
    record_kpi_value(world.member.user, kpi, value="5200", measured_on=datetime.date(2026, 5, 1))
    with pytest.raises(PermissionDenied):
        record_kpi_value(world.sales_head.user, kpi, value=1, measured_on=datetime.date(2026, 5, 1))
    with pytest.raises(ValidationError):
        record_kpi_value(world.lead.user, kpi, value="lots", measured_on=datetime.date(2026, 5, 1))
    assert list(KpiValue.objects.values_list("value", flat=True)) == [Decimal(5200)]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_kpi_pages_for_each_persona(world: World, client: Client, persona: str) -> None:
    kpi = sessions(world)
    client.force_login(getattr(world, persona).user)
    assert client.get("/kpis/").status_code == 200
    response = client.post(f"/kpis/{kpi.pk}/value/", {"value": "4000"})
    assert (
        response.status_code == {"admin": 302, "lead": 302, "member": 302, "outsider": 403}[persona]
    )
    assert KpiValue.objects.filter(kpi=kpi).exists() == (persona != "outsider")
    response = client.post(
        "/kpis/new/",
        {
            "name": "Leads",
            "owner": f"unit:{world.marketing.pk}",
            "range_kind": "at_least",
            "minimum": "10",
        },
    )
    assert response.status_code in (302, 403)
    assert Kpi.objects.filter(name="Leads").exists() == (persona in ("admin", "lead"))
    assert client.get(f"/kpis/{kpi.pk}/value/").status_code == 405


def test_a_kpi_out_of_range_twice_is_warned_on_the_check_in_and_unit_pages(
    world: World, client: Client
) -> None:
    kpi = sessions(world)
    for day, value in [(1, 6000), (8, 4000), (15, 3900)]:
        record_kpi_value(None, kpi, value=value, measured_on=datetime.date(2026, 5, day))
    client.force_login(world.member.user)
    for url in ("/checkins/", f"/units/{world.marketing.pk}/", "/my/"):
        page = client.get(url).content.decode()
        assert "Website sessions" in page, url
        assert "two check-ins out of range" in page, url


def test_a_key_result_names_the_kpi_it_moves(world: World, client: Client) -> None:
    kpi = sessions(world)
    kr = make_objective(world, world.member).key_results.get()
    client.force_login(world.member.user)
    assert client.post(f"/kpis/key-results/{kr.pk}/", {"kpi": str(kpi.pk)}).status_code == 302
    assert KeyResultKpi.objects.get(key_result=kr).kpi == kpi
    page = client.get(f"/insights/key-results/{kr.pk}/").content.decode()
    assert "Website sessions" in page
    client.force_login(world.sales_head.user)
    assert client.post(f"/kpis/key-results/{kr.pk}/", {"kpi": ""}).status_code == 403
    link_key_result_to_kpi(None, kr, None)
    assert not KeyResultKpi.objects.exists()


def test_the_demo_kpis_on_the_command_line(demo_org: Any, db: None) -> None:
    out = io.StringIO()
    call_command("kpis", "--json", stdout=out)
    kpis = {k["name"]: k for k in json.loads(out.getvalue())["kpis"]}
    assert len(kpis) == 2
    cost = kpis["Chi phí cho mỗi khách hàng tiềm năng"]
    assert cost["range"] == {"kind": "at_most", "minimum": None, "maximum": "150"}
    assert cost["in_range"] is False and cost["warned"] is True
    assert len(cost["values"]) >= 3
    visits = kpis["Lượt truy cập website mỗi tuần"]
    assert visits["in_range"] is True and visits["owner"]["kind"] == "unit"
    text = io.StringIO()
    call_command("kpis", stdout=text)
    assert "OUT OF RANGE" in text.getvalue()
