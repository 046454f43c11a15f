"""#16 on data: a compound key result is forecast part by part and at risk when one part will miss."""

from __future__ import annotations

import datetime
import io
import json

from django.core.management import call_command

from okrflow.insights.collect import collect_insights, visible_objectives
from okrflow.insights.risk_text import evidence
from okrflow.insights.risks import find_risks
from okrflow.okrs.actions.shapes import record_part_values, set_key_result_parts
from okrflow.okrs.models import KeyResult
from tests.conftest import World
from tests.insights.conftest import TODAY, friday, objective_with

PARTS = [
    {"label": "In person", "start_value": 0, "target_value": 300, "unit": "guests", "weight": 1},
    {"label": "Livestream", "start_value": 0, "target_value": 5000, "unit": "viewers", "weight": 1},
]


def seminar(world: World, combine: str = "weighted") -> KeyResult:
    _objective, (kr,) = objective_with(
        world,
        world.member,
        "Be known in the industry",
        [{"title": "Seminar: 300 in person and 5,000 online", "start_value": 0, "target_value": 1}],
    )
    kr = set_key_result_parts(None, kr, combine=combine, parts=PARTS)
    in_person, online = kr.parts.order_by("position")
    # In person runs well ahead; the livestream crawls: 100 viewers a week of 5,000.
    for week in range(1, 8):
        record_part_values(
            None,
            kr,
            values={in_person.pk: str(45 * week), online.pk: str(100 * week)},
            measured_on=friday(week),
        )
    return kr


def test_each_part_gets_its_forecast_and_the_compound_combines_them(
    world: World, today: datetime.date
) -> None:
    kr = seminar(world)
    insights = collect_insights(world.cycle, visible_objectives(None, world.cycle), TODAY)
    kri = next(k for k in insights.key_results if k.key_result.pk == kr.pk)
    assert [p.part.label for p in kri.parts] == ["In person", "Livestream"]
    in_person, online = (p.forecast for p in kri.parts)
    assert in_person is not None and online is not None
    assert in_person.expected > 1.0 > 0.5 > online.expected
    assert kri.forecast is not None
    # Weighted (1:1): the mean of the parts' forecasts; its chance is at most the weakest part's.
    assert abs(kri.forecast.expected - (in_person.expected + online.expected) / 2) < 1e-9
    assert online.chance_of_bar is not None and kri.forecast.chance_of_bar is not None
    assert kri.forecast.chance_of_bar <= online.chance_of_bar


def test_the_compound_is_at_risk_naming_the_part_forecast_to_miss(
    world: World, today: datetime.date
) -> None:
    kr = seminar(world)
    insights = collect_insights(world.cycle, visible_objectives(None, world.cycle), TODAY)
    risks = [i for i in find_risks(insights, TODAY) if i.key_result and i.key_result.pk == kr.pk]
    part_risks = [i for i in risks if i.risk.code == "part_forecast_below_bar"]
    assert len(part_risks) == 1
    assert not [i for i in risks if i.risk.code == "forecast_below_bar"]
    item = part_risks[0]
    assert item.risk.params["part"] == "Livestream"
    text = evidence(item.risk)
    assert "The part “Livestream” is forecast to reach" in text
    assert "every part must be met" in text


def test_okrs_json_gives_each_part_its_forecast(world: World, today: datetime.date) -> None:
    kr = seminar(world)
    out = io.StringIO()
    call_command("okrs", "--json", stdout=out)
    data = json.loads(out.getvalue())
    row = next(k for o in data["objectives"] for k in o["key_results"] if k["id"] == kr.pk)
    in_person, online = row["parts"]
    assert {"shape", "start", "target", "current", "progress", "forecast"} <= set(in_person)
    assert in_person["current"] == 315 and online["current"] == 700
    assert in_person["forecast"]["expected"] > 1.0
    assert online["forecast"]["expected"] < 0.5
    assert 0 <= online["forecast"]["chance_of_bar"] <= 1
