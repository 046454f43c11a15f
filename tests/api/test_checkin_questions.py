"""The API's check-ins carry the late work and the person's own pace (#16)."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

import pytest
import time_machine

from okrflow.checkins.models import CheckIn
from okrflow.org.models import Person
from tests.api.conftest import api_for
from tests.conftest import World, make_objective

WEDNESDAY = datetime.datetime(2026, 5, 13, 3, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen() -> Iterator[None]:
    with time_machine.travel(WEDNESDAY, tick=False):
        yield


def body(world: World, kr_id: int, **extra: object) -> dict[str, object]:
    return {
        "cycle_id": world.cycle.pk,
        "week": "2026-05-11",
        "lines": [{"key_result_id": kr_id, "value": "85", "confidence": "medium"}],
        "confidence": "medium",
        "progress": "Steady",
        **extra,
    }


def test_a_check_in_is_written_and_read_with_its_answers(world: World) -> None:
    kr = make_objective(world, world.member, "Keep customers").key_results.get()
    api = api_for(world.member)
    made = api.post("/checkins", body(world, kr.pk, late_work="Survey\nCall list", pace="slow"))
    assert made.status_code == 201, made.content
    assert (made.json()["late_work"], made.json()["pace"]) == ("Survey\nCall list", "slow")
    read = api.get(f"/checkins/{made.json()['id']}").json()
    assert (read["late_work"], read["pace"]) == ("Survey\nCall list", "slow")
    listed = api_for(world.lead).get("/checkins").json()
    assert [row["pace"] for row in listed["items"]] == ["slow"]


def test_without_the_answers_they_are_empty(world: World) -> None:
    kr = make_objective(world, world.member, "Keep customers").key_results.get()
    made = api_for(world.member).post("/checkins", body(world, kr.pk))
    assert made.status_code == 201, made.content
    assert (made.json()["late_work"], made.json()["pace"]) == ("", "")


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("en", "Choose a pace: fast, normal or slow."),
        ("vi", "Chọn nhịp độ: nhanh, bình thường hoặc chậm."),
    ],
)
def test_an_unknown_pace_is_a_clear_422_and_nothing_is_saved(
    world: World, language: str, message: str
) -> None:
    kr = make_objective(world, world.member, "Keep customers").key_results.get()
    Person.objects.filter(pk=world.member.pk).update(language=language)
    member = Person.objects.get(pk=world.member.pk)
    refused = api_for(member).post("/checkins", body(world, kr.pk, pace="sprint"))
    assert refused.status_code == 422, refused.content
    assert message in refused.content.decode()
    assert not CheckIn.objects.exists()


def test_late_work_too_long_is_refused(world: World) -> None:
    kr = make_objective(world, world.member, "Keep customers").key_results.get()
    refused = api_for(world.member).post("/checkins", body(world, kr.pk, late_work="x" * 5001))
    assert refused.status_code == 422
    assert not CheckIn.objects.exists()
