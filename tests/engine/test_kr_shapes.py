"""Key results that start mid-cycle, compound key results and recurring slots (engine, #16)."""

from __future__ import annotations

import datetime
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine import kr_shapes
from okrflow.engine.cadence import vietnam_holidays
from okrflow.engine.kr_shapes import Combine, Part, Slot, SlotMark
from okrflow.engine.progress import (
    KeyResultFigures,
    Period,
    Shape,
    Status,
    key_result_expected,
    key_result_status,
    required_occurrences,
)

Q_START, Q_END = date(2026, 10, 1), date(2026, 12, 31)


def metric(start_day: date, start: int, target: int, current: int | None) -> KeyResultFigures:
    return KeyResultFigures(
        shape=Shape.METRIC,
        start_date=start_day,
        due_date=Q_END,
        start=D(start),
        target=D(target),
        current=None if current is None else D(current),
    )


# --- start date --------------------------------------------------------------------------------


def test_a_weekly_newsletter_from_15_10_needs_eleven_issues_not_thirteen() -> None:
    assert required_occurrences(1, Period.WEEK, Q_START, Q_END) == 13
    assert required_occurrences(1, Period.WEEK, date(2026, 10, 15), Q_END) == 11


def test_pace_starts_on_the_key_results_own_start_date() -> None:
    late = metric(date(2026, 11, 1), 0, 100, 0)
    assert key_result_expected(late, date(2026, 10, 20)) == 0.0
    assert key_result_expected(late, date(2026, 11, 1)) == 0.0
    # The same key result from the cycle start would be a third behind by now.
    assert key_result_status(late, date(2026, 11, 1)) is Status.ON_TRACK
    assert key_result_status(metric(Q_START, 0, 100, 0), date(2026, 11, 1)) is Status.OFF_TRACK


@given(
    start_offset=st.integers(0, 91),
    day_offset=st.integers(-10, 100),
)
def test_a_later_start_never_expects_more(start_offset: int, day_offset: int) -> None:
    on = Q_START + datetime.timedelta(days=day_offset)
    later = metric(Q_START + datetime.timedelta(days=start_offset), 0, 100, 0)
    assert (
        0.0 <= key_result_expected(later, on) <= key_result_expected(metric(Q_START, 0, 100, 0), on)
    )


@pytest.mark.parametrize(
    ("start", "due", "codes"),
    [
        (None, Q_END, []),
        (Q_START, Q_END, []),
        (date(2026, 11, 15), date(2026, 11, 15), []),
        (date(2026, 9, 30), Q_END, ["start_outside_cycle"]),
        (date(2027, 1, 1), Q_END, ["start_outside_cycle"]),
        (date(2026, 12, 1), date(2026, 11, 30), ["start_after_due"]),
    ],
)
def test_start_date_problems(start: date | None, due: date, codes: list[str]) -> None:
    assert kr_shapes.start_date_problems(start, Q_START, Q_END, due) == codes


# --- compound ------------------------------------------------------------------------------------


def seminar(in_person: int | None, online: int | None, start_day: date = Q_START) -> list[Part]:
    return [
        Part(metric(start_day, 0, 300, in_person)),
        Part(metric(start_day, 0, 5000, online), D(2)),
    ]


def test_compound_progress_is_the_weakest_part_or_the_weighted_mean() -> None:
    parts = seminar(300, 2500)
    assert kr_shapes.compound_progress(parts, Combine.WEAKEST) == 0.5
    # 1.0 × 1 + 0.5 × 2, over 3.
    assert kr_shapes.compound_progress(parts, Combine.WEIGHTED) == pytest.approx(2 / 3)


def test_a_compound_key_result_is_done_only_when_every_part_is() -> None:
    on = date(2026, 11, 15)
    assert kr_shapes.compound_status(seminar(300, 4999), Combine.WEIGHTED, on) is not Status.DONE
    assert kr_shapes.compound_status(seminar(300, 5000), Combine.WEIGHTED, on) is Status.DONE
    assert kr_shapes.compound_status(seminar(None, None), Combine.WEAKEST, on) is Status.NO_DATA


def test_weakest_status_follows_the_part_furthest_behind_its_own_pace() -> None:
    on = date(2026, 11, 15)  # about half-way
    parts = [
        Part(metric(Q_START, 0, 300, 290)),
        Part(metric(date(2026, 11, 10), 0, 5000, 100)),  # started late: barely owed anything
    ]
    assert kr_shapes.compound_status(parts, Combine.WEAKEST, on) is Status.ON_TRACK
    parts[1] = Part(metric(Q_START, 0, 5000, 100))
    assert kr_shapes.compound_status(parts, Combine.WEAKEST, on) is Status.OFF_TRACK


def test_compound_forecast_looks_at_every_part() -> None:
    weights = [D(1), D(1)]
    assert kr_shapes.compound_forecast([1.1, 0.6], weights, Combine.WEAKEST) == 0.6
    assert kr_shapes.compound_forecast([1.0, 0.6], weights, Combine.WEIGHTED) == pytest.approx(0.8)
    assert kr_shapes.compound_forecast([1.0, None], weights, Combine.WEAKEST) is None


@given(
    values=st.lists(st.integers(0, 6000), min_size=2, max_size=5),
    weights=st.lists(st.integers(1, 9), min_size=5, max_size=5),
)
def test_compound_progress_lies_between_the_weakest_and_the_strongest_part(
    values: list[int], weights: list[int]
) -> None:
    parts = [Part(metric(Q_START, 0, 5000, v), D(w)) for v, w in zip(values, weights, strict=False)]
    singles = [kr_shapes.compound_progress([p], Combine.WEAKEST) for p in parts]
    weakest = kr_shapes.compound_progress(parts, Combine.WEAKEST)
    weighted = kr_shapes.compound_progress(parts, Combine.WEIGHTED)
    assert weakest == min(singles)
    assert min(singles) - 1e-9 <= weighted <= max(singles) + 1e-9
    assert weakest <= weighted + 1e-9


def test_a_compound_key_result_needs_two_parts() -> None:
    assert kr_shapes.compound_problems(seminar(1, 1)[:1]) == ["too_few_parts"]
    assert kr_shapes.compound_problems(seminar(1, 1)) == []


# --- slots ---------------------------------------------------------------------------------------

FRIDAY_17 = Slot(weekday=4, hour=17)


def test_weekly_slots_run_from_the_start_date() -> None:
    days = kr_shapes.slot_days(FRIDAY_17, date(2026, 10, 15), Q_END)
    assert days[0].planned == date(2026, 10, 16)
    assert len(days) == 11
    assert all(d.day == d.planned and d.planned.weekday() == 4 for d in days)


def test_a_holiday_moves_the_slot_to_the_working_day_before_it() -> None:
    # 1/5 2026 is a Friday and 30/4 a Thursday, both off: the Friday slot moves to Wednesday 29/4.
    holidays = vietnam_holidays([2026])
    days = kr_shapes.slot_days(FRIDAY_17, date(2026, 4, 27), date(2026, 5, 3), holidays)
    assert [(d.planned, d.day) for d in days] == [(date(2026, 5, 1), date(2026, 4, 29))]
    assert days[0].is_moved
    # 31/8 – 2/9 2026 are off, so a Wednesday slot that week has no working day before it.
    wednesday = kr_shapes.slot_days(Slot(weekday=2), date(2026, 8, 31), date(2026, 9, 6), holidays)
    assert [(d.planned, d.day) for d in wednesday] == [(date(2026, 9, 2), None)]


def test_tet_skips_the_slot_when_no_working_day_is_left_that_week() -> None:
    holidays = vietnam_holidays([2026])
    # Tết 2026: 14/2 – 22/2; Friday 20/2 sits in a week that is off from Monday 16/2.
    days = kr_shapes.slot_days(FRIDAY_17, date(2026, 2, 9), date(2026, 2, 28), holidays)
    by_planned = {d.planned: d.day for d in days}
    assert by_planned[date(2026, 2, 20)] is None
    assert by_planned[date(2026, 2, 13)] == date(2026, 2, 13)
    assert by_planned[date(2026, 2, 27)] == date(2026, 2, 27)


def test_monthly_slots_use_the_last_day_of_a_short_month() -> None:
    days = kr_shapes.slot_days(Slot(day_of_month=31), Q_START, Q_END)
    assert [d.planned for d in days] == [date(2026, 10, 31), date(2026, 11, 30), date(2026, 12, 31)]


def test_judging_slots_met_missed_pending_and_skipped() -> None:
    holidays = vietnam_holidays([2026])
    days = kr_shapes.slot_days(FRIDAY_17, date(2026, 2, 9), date(2026, 2, 28), holidays)
    now = datetime.datetime(2026, 2, 27, 12, 0)  # the last Friday's 17:00 has not come yet
    marks = dict(
        (d.planned, mark)
        for d, mark in kr_shapes.judge_slots(FRIDAY_17, days, {date(2026, 2, 13): True}, now)
    )
    assert marks == {
        date(2026, 2, 13): SlotMark.MET,
        date(2026, 2, 20): SlotMark.SKIPPED,
        date(2026, 2, 27): SlotMark.PENDING,
    }
    later = datetime.datetime(2026, 2, 27, 17, 1)
    assert kr_shapes.judge_slots(FRIDAY_17, days[-1:], {}, later)[0][1] is SlotMark.MISSED


@given(
    weekday=st.integers(0, 6),
    start_offset=st.integers(0, 60),
    length=st.integers(0, 120),
)
def test_slot_days_stay_in_the_window_and_never_move_later(
    weekday: int, start_offset: int, length: int
) -> None:
    holidays = vietnam_holidays([2026, 2027])
    start = date(2026, 1, 1) + datetime.timedelta(days=start_offset)
    due = start + datetime.timedelta(days=length)
    days = kr_shapes.slot_days(Slot(weekday=weekday), start, due, holidays)
    for d in days:
        assert start <= d.planned <= due
        if d.day is not None:
            assert start <= d.day <= d.planned
            assert d.day == d.planned or d.day not in holidays


@pytest.mark.parametrize(
    ("shape", "weekday", "hour", "dom", "period", "codes"),
    [
        ("recurring", 4, 17, None, "week", []),
        ("recurring", None, None, 5, "month", []),
        ("metric", 4, 17, None, "", ["slot_not_recurring"]),
        ("recurring", 4, None, 5, "week", ["slot_both_days"]),
        ("recurring", 4, 17, None, "month", ["slot_weekday_needs_week"]),
        ("recurring", None, 17, None, "week", ["slot_hour_without_day"]),
        ("metric", None, None, None, "", []),
    ],
)
def test_slot_problems(
    shape: str,
    weekday: int | None,
    hour: int | None,
    dom: int | None,
    period: str,
    codes: list[str],
) -> None:
    assert kr_shapes.slot_problems(shape, weekday, hour, dom, period) == codes
