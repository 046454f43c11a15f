"""Helpers for the insights tests: key results with a weekly history and real check-ins."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from okrflow.checkins.actions import CheckInInput, LineInput, record_checkin
from okrflow.cycles.models import Cycle
from okrflow.engine.cadence import week_start
from okrflow.okrs.actions import create_key_result, create_objective, record_key_result_value
from okrflow.okrs.models import KeyResult, Objective
from tests.conftest import World

FIRST_FRIDAY = datetime.date(2026, 4, 3)
TODAY = datetime.date(2026, 5, 22)  # the Friday of week 8 of Q2 2026
HO_CHI_MINH = datetime.timezone(datetime.timedelta(hours=7))


def friday(week: int) -> datetime.date:
    """Return the Friday of a cycle week (1 = 3 April 2026)."""
    return FIRST_FRIDAY + datetime.timedelta(weeks=week - 1)


def moment(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=HO_CHI_MINH)


@pytest.fixture
def committed(
    django_capture_on_commit_callbacks: Any,
) -> Callable[[], AbstractContextManager[list[Callable[[], None]]]]:
    """A block whose writes run their on-commit callbacks at its end, as if it committed.

    A test runs in one transaction that never commits, so the live update (one callback per
    transaction, added by its first audit row) would wait forever for what the fixtures wrote
    before the block: those writes committed long ago in real life, and their update ran then.
    So the block first runs it, then captures and runs the block's own callbacks.
    """
    from okrflow.insights.live_updates import refresh_pending

    @contextmanager
    def block() -> Iterator[list[Callable[[], None]]]:
        refresh_pending()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            yield callbacks

    return block


@pytest.fixture
def today() -> Iterator[datetime.date]:
    """Freeze time on TODAY at noon in Ho Chi Minh City."""
    with time_machine.travel(moment(TODAY), tick=False):
        yield TODAY


def objective_with(
    world: World,
    owner: Any,
    title: str,
    key_results: list[dict[str, Any]],
    *,
    kind: str = "committed",
    parent: Objective | None = None,
    cycle: Cycle | None = None,
    is_private: bool = False,
) -> tuple[Objective, list[KeyResult]]:
    """Create an objective (as the system) with the given key results."""
    objective = create_objective(
        None,
        cycle=cycle or world.cycle,
        title=title,
        owner=owner,
        kind=kind,
        parent=parent,
        is_private=is_private,
    ).value
    created = []
    for spec in key_results:
        spec = {"owner": world.member, "shape": "metric", **spec}
        created.append(create_key_result(None, objective, **spec).value)
    return objective, created


def record_weekly(kr: KeyResult, values: list[float | int], first_week: int = 1) -> None:
    """Record one value per Friday from a cycle week on."""
    for offset, value in enumerate(values):
        record_key_result_value(
            None,
            kr,
            value=Decimal(str(value)),
            measured_on=friday(first_week + offset),
        )


def check_in(
    world: World,
    person: Any,
    week: int,
    lines: dict[KeyResult, tuple[Any, str, str]],
    obstacles: str = "",
) -> None:
    """Submit a person's check-in on a week's Friday: {kr: (value, confidence, note)}."""
    day = friday(week)
    with time_machine.travel(moment(day, 10), tick=False):
        record_checkin(
            None,
            person=person,
            cycle=world.cycle,
            week=week_start(day),
            data=CheckInInput(
                lines={
                    kr.pk: LineInput(value=value, confidence=confidence, note=note)
                    for kr, (value, confidence, note) in lines.items()
                },
                obstacles=obstacles,
                confidence="medium",
            ),
        )


def rolled_up_org(today: datetime.date, **refresh: Any) -> tuple[Any, Cycle, KeyResult, int]:
    """A 40-person synthetic organisation whose aligned objectives count in their parents'
    progress, refreshed (`refresh` goes to `refresh_cycle`); return its summary, its cycle, a
    person's first key result and the id of that key result's objective's first parent."""
    from okrflow.demo.synth import build_synthetic_org
    from okrflow.insights.snapshots import refresh_cycle
    from okrflow.okrs.models import Alignment
    from okrflow.org.models import Organisation

    summary = build_synthetic_org(40, today)
    organisation = Organisation.current()
    organisation.include_children_in_progress = True
    organisation.save()
    refresh_cycle(summary.cycle, **refresh)
    kr = (
        KeyResult.objects.filter(
            objective__cycle=summary.cycle, objective__owner_person__isnull=False
        )
        .order_by("pk")
        .first()
    )
    assert kr is not None
    parent = Alignment.objects.filter(child=kr.objective).values_list("parent_id", flat=True)[0]
    return summary, summary.cycle, kr, parent
