"""`okrflow demo`: one demo organisation, the article's OKRs in every shape, a live status mix."""

from __future__ import annotations

import datetime
import io
import json
from collections import Counter

import pytest
import time_machine
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from okrflow.demo import content
from okrflow.okrs.models import KeyResult, KeyResultValue, Objective
from okrflow.org.models import OrgUnit

TODAY = datetime.datetime(2026, 11, 27, 18, 0, tzinfo=datetime.UTC)


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(demo_org, db: None) -> str:  # type: ignore[no-untyped-def]
    with time_machine.travel(TODAY, tick=False):
        return run("demo")  # the demo exists already: this is the idempotent second run


def test_demo_prints_the_sign_ins(demo: str) -> None:
    for username in (
        "admin",
        "ceo",
        "head.marketing",
        "specialist.marketing",
        "head.sales",
        "head.product",
        "head.support",
        "outsider",
    ):
        assert username in demo
        assert authenticate(username=username, password="okrflow") is not None


def test_demo_twice_leaves_one_organisation(demo: str) -> None:
    assert "already loaded" in demo
    counts = (
        get_user_model().objects.count(),
        Objective.objects.count(),
        KeyResult.objects.count(),
        KeyResultValue.objects.count(),
        OrgUnit.objects.count(),
    )
    with time_machine.travel(TODAY, tick=False):
        second = run("demo")
    assert "already loaded" in second
    assert counts == (
        get_user_model().objects.count(),
        Objective.objects.count(),
        KeyResult.objects.count(),
        KeyResultValue.objects.count(),
        OrgUnit.objects.count(),
    )


def test_demo_reset_rebuilds(demo: str) -> None:
    first_ids = set(Objective.objects.values_list("pk", flat=True))
    with time_machine.travel(TODAY, tick=False):
        run("demo", "--reset")
    assert Objective.objects.count() == len(first_ids)
    assert not first_ids & set(Objective.objects.values_list("pk", flat=True))
    assert get_user_model().objects.filter(username="ceo").count() == 1


def test_if_empty_leaves_existing_data_alone(demo: str) -> None:
    assert "not loaded" in run("demo", "--if-empty")


def tree() -> dict:
    with time_machine.travel(TODAY, tick=False):
        return json.loads(run("okrs", "--json"))


def test_okrs_json_holds_the_article(demo: str) -> None:
    data = tree()
    assert data["cycle"]["name"] == "Q4 2026"
    assert data["cycle"]["state"] == "active"
    titles = {o["title"]: o for o in data["objectives"]}
    article = [
        spec for spec in content.OBJECTIVES if spec.source in ("article-level", "article-type")
    ]
    assert len(article) == 12
    assert sum(len(spec.key_results) for spec in article) == 40
    for spec in article:
        rendered = content.render_text(spec.title, 2026, 4)
        assert rendered in titles
        assert len(titles[rendered]["key_results"]) == len(spec.key_results)
    assert len(data["objectives"]) >= 17
    assert sum(len(o["key_results"]) for o in data["objectives"]) >= 55
    checkins = [c for o in data["objectives"] for kr in o["key_results"] for c in kr["checkins"]]
    assert len(checkins) > 100
    assert set(checkins[0]) >= {"date", "value", "confidence"}
    assert any(o["latest_checkin"] and o["latest_checkin"]["obstacles"] for o in data["objectives"])
    shapes = Counter(kr["shape"] for o in data["objectives"] for kr in o["key_results"])
    assert set(shapes) == {
        "metric",
        "threshold",
        "percentage",
        "currency",
        "relative",
        "milestone",
        "recurring",
    }


def test_retention_example_aligns_every_department(demo: str) -> None:
    data = tree()
    by_id = {o["id"]: o for o in data["objectives"]}
    retention = next(
        o
        for o in data["objectives"]
        if "gia hạn hợp đồng bảo trì" in o["title"]
        and o["owner"]["kind"] == "unit"
        and not o["parent_ids"]
    )
    children = [o for o in data["objectives"] if retention["id"] in o["parent_ids"]]
    owners = {o["owner"]["name"] for o in children}
    assert {"Phòng Kinh doanh", "Phòng Marketing", "Phòng Sản phẩm"} <= owners
    assert any("Chăm sóc khách hàng" in name for name in owners)
    assert all(set(o["parent_ids"]) <= set(by_id) for o in data["objectives"])


def test_status_mix_is_live(demo: str) -> None:
    statuses = Counter(kr["status"] for o in tree()["objectives"] for kr in o["key_results"])
    assert statuses["on_track"] >= 10
    assert statuses["at_risk"] >= 5
    assert statuses["off_track"] >= 5
    assert statuses["done"] >= 1


def test_weekly_values_since_the_cycle_start(demo: str) -> None:
    current = KeyResultValue.objects.filter(key_result__objective__cycle__state="active")
    days = sorted(set(current.values_list("measured_on", flat=True)))
    assert len(days) >= 6
    assert all(day.weekday() == 4 for day in days)
    assert days[0] == datetime.date(2026, 10, 2)  # the cycle's first Friday
    assert days[-1] == datetime.date(2026, 11, 27)


def test_last_quarter_is_played_out_graded_and_closed(demo: str) -> None:
    from okrflow.cycles.models import Cycle
    from okrflow.insights.calibration import person_calibration
    from okrflow.insights.models import ObjectiveGrade, Reflection
    from okrflow.org.models import Person

    last = Cycle.objects.get(name="Q3 2026")
    assert last.state == "closed"
    grades = ObjectiveGrade.objects.filter(objective__cycle=last)
    assert grades.count() == Objective.objects.filter(cycle=last).count() == 18
    assert set(grades.values_list("band", flat=True)) == {"green", "yellow", "red"}
    assert Reflection.objects.filter(objective__cycle=last).count() == 3
    # Weekly confidences met their grades: the specialist's calibration has data and beats
    # always saying the base rate.
    calibration = person_calibration(Person.objects.get(user__username="specialist.marketing"))
    assert calibration.count > 20
    assert calibration.brier is not None and calibration.brier < calibration.reference_brier


def test_demo_has_check_ins_with_obstacles(demo: str) -> None:
    from okrflow.checkins.models import CheckIn

    assert CheckIn.objects.count() > 50
    assert CheckIn.objects.exclude(obstacles="").exists()
