"""Check-in fixtures: a frozen Wednesday in Q2 2026 and the specialist's four key results."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.test import Client

from okrflow.checkins.actions import CheckInInput, LineInput, record_checkin
from okrflow.checkins.models import CheckIn
from okrflow.okrs.actions import create_key_result, create_objective, record_key_result_value
from okrflow.okrs.models import KeyResult, KeyResultValue
from okrflow.org.models import Person
from tests.conftest import PASSWORD, World

VN = datetime.timezone(datetime.timedelta(hours=7))
# Wednesday 13/5/2026, 10:00 in Hồ Chí Minh City: week of Monday 11/5, due Friday 15/5 at 17:00.
WEDNESDAY = datetime.datetime(2026, 5, 13, 10, 0, tzinfo=VN)
WEEK = datetime.date(2026, 5, 11)
LAST_WEEK = datetime.date(2026, 5, 4)


@dataclass
class Krs:
    followers: KeyResult  # metric 0 → 10,000
    open_rate: KeyResult  # percentage 40 → 70
    hire: KeyResult  # milestone
    newsletter: KeyResult  # recurring, once a week

    @property
    def all(self) -> list[KeyResult]:
        return [self.followers, self.open_rate, self.hire, self.newsletter]


@pytest.fixture
def frozen() -> Iterator[time_machine.Traveller]:
    with time_machine.travel(WEDNESDAY, tick=False) as traveller:
        yield traveller


def make_member_krs(world: World) -> Krs:
    """Give the specialist one objective with four key results of different shapes."""
    objective = create_objective(
        None, cycle=world.cycle, title="Grow our loyal audience", owner=world.member
    ).value

    def kr(title: str, **fields: Any) -> KeyResult:
        return create_key_result(None, objective, title=title, owner=world.member, **fields).value

    krs = Krs(
        followers=kr("Reach 10,000 fanpage followers", start_value=0, target_value=10000),
        open_rate=kr(
            "Open rate from 40% to 70%", shape="percentage", start_value=40, target_value=70
        ),
        hire=kr("Hire a senior content writer", shape="milestone"),
        newsletter=kr(
            "Send the newsletter every Friday", shape="recurring", per_period=1, period="week"
        ),
    )
    for key_result, value in zip(krs.all, ("2500", "48", "0", "5"), strict=True):
        record_key_result_value(
            None,
            key_result,
            value=value,
            measured_on=datetime.date(2026, 5, 8),
            source=KeyResultValue.Source.MANUAL,
        )
    return krs


@pytest.fixture
def krs(world: World, frozen: time_machine.Traveller) -> Krs:
    return make_member_krs(world)


def checkin_data(
    key_results: list[KeyResult],
    values: list[Any],
    confidence: str | None = "high",
    **texts: Any,
) -> CheckInInput:
    return CheckInInput(
        lines={
            kr.pk: LineInput(value=value, confidence=confidence)
            for kr, value in zip(key_results, values, strict=True)
        },
        progress=texts.get("progress", "Two campaigns live"),
        obstacles=texts.get("obstacles", "The designer is on leave"),
        solutions=texts.get("solutions", "Use the template library"),
        confidence=texts.get("overall", confidence),
    )


def submit_member_checkin(
    world: World, krs: Krs, values: list[Any] | None = None, week: datetime.date = WEEK
) -> CheckIn:
    return record_checkin(
        world.member.user,
        person=world.member,
        cycle=world.cycle,
        week=week,
        data=checkin_data(krs.all, values or ["3,000", "52", "1", "6"]),
        submit=True,
    )


def signed_in(client: Client, person: Person) -> Client:
    assert client.login(username=person.user.username, password=PASSWORD)
    return client


def give_emails(world: World) -> None:
    for user in get_user_model().objects.all():
        user.email = f"{user.username}@saoviet.example"
        user.save(update_fields=["email"])


PERSONAS = ["admin", "lead", "member", "outsider"]


def persona(world: World, name: str) -> Person:
    return getattr(world, name)


DEC = Decimal


# The specialist's weeks before the frozen Wednesday: (week, submitted at, values, confidences).
# 13/4 is missed, 20/4 is late (Saturday), 27/4 is due Wednesday 29/4 (30/4 and 1/5 are holidays).
HISTORY = (
    (
        datetime.date(2026, 3, 30),
        datetime.datetime(2026, 4, 3, 15, 0, tzinfo=VN),
        ("800", "42", "0", "1"),
        ("high", "high", "high", "high"),
    ),
    (
        datetime.date(2026, 4, 6),
        datetime.datetime(2026, 4, 10, 16, 30, tzinfo=VN),
        ("1,200", "44", "0", "2"),
        ("high", "medium", "high", "high"),
    ),
    (
        datetime.date(2026, 4, 20),
        datetime.datetime(2026, 4, 25, 9, 0, tzinfo=VN),
        ("1,800", "45", "0", "3"),
        ("high", "medium", "medium", "medium"),
    ),
    (
        datetime.date(2026, 4, 27),
        datetime.datetime(2026, 4, 29, 14, 0, tzinfo=VN),
        ("2,200", "47", "0", "4"),
        ("high", "medium", "medium", "medium"),
    ),
    (
        datetime.date(2026, 5, 4),
        datetime.datetime(2026, 5, 8, 16, 0, tzinfo=VN),
        ("2,500", "48", "0", "5"),
        ("high", "medium", "medium", "medium"),
    ),
)


def build_history(world: World, krs: Krs) -> list[CheckIn]:
    """Submit the specialist's earlier check-ins, each at its own moment."""
    made = []
    for week, moment, values, levels in HISTORY:
        with time_machine.travel(moment, tick=False):
            data = checkin_data(krs.all, list(values), overall="medium")
            for kr, level in zip(krs.all, levels, strict=True):
                data.lines[kr.pk].confidence = level
            made.append(
                record_checkin(
                    world.member.user,
                    person=world.member,
                    cycle=world.cycle,
                    week=week,
                    data=data,
                )
            )
    return made
