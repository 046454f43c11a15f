"""The demo company's strategy (#16): mission, vision, values, each company objective serving one."""

from __future__ import annotations

import io
import json

from django.core.management import call_command
from django.test import Client

from okrflow.demo.content import DEMO_PASSWORD
from okrflow.okrs.models import Objective
from okrflow.org.models import OrgUnit
from okrflow.strategy.models import ServedBy, Statement, StrategyItem


def test_the_demo_company_has_its_strategy_in_both_languages(demo_org, db: None) -> None:  # type: ignore[no-untyped-def]
    statement = Statement.objects.get()
    assert statement.mission and statement.mission_en and statement.vision and statement.vision_en
    values = list(StrategyItem.objects.filter(kind="value"))
    assert len(values) == 3 and all(value.name_en for value in values)
    company = OrgUnit.objects.get(parent=None)
    objectives = Objective.objects.filter(cycle=demo_org.cycle, owner_unit=company)
    assert objectives.count() >= 2
    served = dict(ServedBy.objects.values_list("objective_id", "item__name"))
    assert set(served) == set(objectives.values_list("pk", flat=True))  # each serves one value
    out = io.StringIO()
    call_command("okrs", "--json", "--on", "2026-11-27", stdout=out)
    exported = {o["id"]: o["serves"] for o in json.loads(out.getvalue())["objectives"]}
    for pk, name in served.items():
        assert [item["name"] for item in exported[pk]] == [name]


def test_the_demo_tree_shows_the_values(demo_org, db: None, client: Client) -> None:  # type: ignore[no-untyped-def]
    assert client.login(username="ceo", password=DEMO_PASSWORD)
    page = client.get("/company/").content.decode()
    assert "Giúp doanh nghiệp Việt xây dựng thương hiệu" in page or "Help Vietnamese" in page
    assert "Tận tâm với khách hàng" in page or "Devoted to our clients" in page
