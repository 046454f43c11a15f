"""#16 over the API: a start date and a slot are set or refused with a clear message."""

from __future__ import annotations

from okrflow.okrs.models import KeyResult
from tests.api.conftest import api_for
from tests.conftest import World, make_objective


def test_the_api_sets_a_start_date_and_a_slot(world: World) -> None:
    objective = make_objective(world, world.member, "Grow the newsletter")
    api = api_for(world.member)
    body = {
        "objective_id": objective.pk,
        "title": "Send the newsletter every Friday 17:00",
        "shape": "recurring",
        "per_period": 1,
        "period": "week",
        "start_date": "2026-04-15",
        "slot_weekday": 4,
        "slot_hour": 17,
    }
    response = api.post("/key-results", body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["start_date"], data["slot_weekday"], data["slot_hour"]) == ("2026-04-15", 4, 17)


def test_the_api_refuses_a_bad_start_date_or_slot_and_saves_nothing(world: World) -> None:
    objective = make_objective(world, world.member, "Grow the newsletter")
    api = api_for(world.member)
    before = KeyResult.objects.count()
    base = {"objective_id": objective.pk, "title": "Reach 1,000 readers", "start_value": 0}
    late = api.post("/key-results", base | {"target_value": 1000, "start_date": "2026-07-02"})
    assert late.status_code in (400, 422)
    assert "The start date must fall inside the cycle" in late.content.decode()
    slot = api.post("/key-results", base | {"target_value": 1000, "slot_weekday": 4})
    assert slot.status_code in (400, 422)
    assert "Only a recurring key result can keep a slot." in slot.content.decode()
    assert KeyResult.objects.count() == before
