"""#16 on the pages: the check-in's part inputs and slot answers, the KR page's parts and strip."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.test import Client

from okrflow.okrs.actions import create_key_result, create_objective, record_key_result_value
from okrflow.okrs.actions.shapes import record_slot_outcomes, set_key_result_parts
from okrflow.okrs.models import KeyResult, KeyResultPart, KeyResultValue, SlotOutcome
from tests.checkins.conftest import WEEK, signed_in
from tests.conftest import World

D = datetime.date
PARTS = [
    {"label": "In person", "start_value": 0, "target_value": 300, "unit": "guests"},
    {"label": "Livestream", "start_value": 0, "target_value": 5000, "unit": "viewers"},
]


def seminar_and_newsletter(world: World) -> tuple[KeyResult, KeyResult]:
    objective = create_objective(
        None, cycle=world.cycle, title="Be known in the industry", owner=world.member
    ).value
    seminar = create_key_result(
        None,
        objective,
        title="Seminar: 300 in person and 5,000 online",
        owner=world.member,
        start_value=0,
        target_value=100,
    ).value
    seminar = set_key_result_parts(None, seminar, combine="weakest", parts=PARTS)
    newsletter = create_key_result(
        None,
        objective,
        title="Newsletter every Friday 17:00",
        owner=world.member,
        shape="recurring",
        per_period=1,
        period="week",
        start_date=D(2026, 4, 15),
        slot_weekday=4,
        slot_hour=17,
    ).value
    record_key_result_value(
        None, newsletter, value="2", measured_on=D(2026, 5, 8), source=KeyResultValue.Source.MANUAL
    )
    record_slot_outcomes(None, newsletter, answers={D(2026, 4, 17): True, D(2026, 4, 24): True})
    return seminar, newsletter


def test_the_check_in_takes_each_part_and_the_weeks_slot(
    client: Client, world: World, frozen: object
) -> None:
    seminar, newsletter = seminar_and_newsletter(world)
    in_person, online = KeyResultPart.objects.filter(key_result=seminar)
    signed_in(client, world.member)
    page = client.get("/checkins/")
    html = page.content.decode()
    assert f'name="kpart-{in_person.pk}"' in html and f'name="kpart-{online.pk}"' in html
    assert f'name="kr-{seminar.pk}-value"' not in html  # its value is the parts'
    assert f'name="kslot-{newsletter.pk}-2026-05-15"' in html
    form = {
        "cycle": str(world.cycle.pk),
        "week": WEEK.isoformat(),
        "action": "submit",
        f"kpart-{in_person.pk}": "150",
        f"kpart-{online.pk}": "1000",
        f"kr-{seminar.pk}-confidence": "high",
        f"kr-{newsletter.pk}-value": "3",
        f"kr-{newsletter.pk}-confidence": "medium",
        f"kslot-{newsletter.pk}-2026-05-15": "0",
        "progress": "",
        "obstacles": "",
        "solutions": "",
        "confidence": "high",
    }
    response = client.post("/checkins/", form)
    assert response.status_code == 302
    in_person.refresh_from_db()
    online.refresh_from_db()
    seminar.refresh_from_db()
    assert (in_person.current_value, online.current_value) == (Decimal(150), Decimal(1000))
    assert seminar.current_value == Decimal(20)  # the weaker part: 1,000 of 5,000
    assert SlotOutcome.objects.get(key_result=newsletter, slot_on=D(2026, 5, 15)).met is False


def test_a_bad_part_value_saves_nothing(client: Client, world: World, frozen: object) -> None:
    seminar, _newsletter = seminar_and_newsletter(world)
    in_person = KeyResultPart.objects.filter(key_result=seminar).first()
    assert in_person is not None
    signed_in(client, world.member)
    form = {
        "cycle": str(world.cycle.pk),
        "week": WEEK.isoformat(),
        "action": "submit",
        f"kpart-{in_person.pk}": "lots",
        f"kr-{seminar.pk}-confidence": "high",
        "confidence": "high",
    }
    response = client.post("/checkins/", form)
    assert response.status_code == 200
    assert "“lots” is not a number." in response.content.decode()
    in_person.refresh_from_db()
    assert in_person.current_value is None
    assert not KeyResultValue.objects.filter(key_result=seminar).exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("admin", 200), ("lead", 200), ("member", 200), ("teammate", 200), ("outsider", 404)],
)
def test_the_kr_page_panel_shows_parts_and_the_slot_strip_to_who_may_see_it(
    client: Client,
    world: World,
    frozen: object,
    persona: str,
    status: int,
    django_assert_max_num_queries: object,
) -> None:
    seminar, newsletter = seminar_and_newsletter(world)
    if persona == "outsider":
        newsletter.objective.is_private = True
        newsletter.objective.save()
    signed_in(client, getattr(world, persona))
    client.get("/")
    # 13: a lead's reports are walked one level per query (bounded at 10,000 people, #14).
    with django_assert_max_num_queries(13):  # type: ignore[operator]
        strip = client.get(f"/key-results/{newsletter.pk}/shapes/")
    assert strip.status_code == status
    if status != 200:
        return
    html = strip.content.decode()
    assert 'data-slot="2026-04-17" data-mark="met"' in html
    assert 'data-slot="2026-05-08" data-mark="missed"' in html
    assert 'data-slot="2026-05-15" data-mark="pending"' in html
    parts = client.get(f"/key-results/{seminar.pk}/shapes/").content.decode()
    assert "In person" in parts and "Livestream" in parts
    page = client.get(f"/objectives/{seminar.objective_id}/").content.decode()
    assert f"/key-results/{newsletter.pk}/shapes/" in page
    assert "starts 15 Apr" in page  # the newsletter's start date
