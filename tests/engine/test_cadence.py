"""Weekly check-in dates: Friday 17:00 by default, moved before Vietnamese public holidays."""

from __future__ import annotations

import datetime
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.cadence import (
    CheckinWeek,
    Timeliness,
    checkin_week,
    cycle_weeks,
    due_day,
    due_moment,
    is_working_day,
    judge_week,
    streaks,
    vietnam_holidays,
    week_start,
)

FRIDAY = 4
D = datetime.date
VN = "Asia/Ho_Chi_Minh"


def test_vietnam_holidays_include_tet_and_the_national_days() -> None:
    days = vietnam_holidays([2026])
    assert D(2026, 2, 17) in days  # Tết (mùng 1)
    assert D(2026, 4, 30) in days
    assert D(2026, 5, 1) in days
    assert D(2026, 9, 2) in days
    assert D(2026, 5, 15) not in days


def test_an_ordinary_friday_is_due_on_friday() -> None:
    week = checkin_week(D(2026, 5, 13), FRIDAY, vietnam_holidays([2026]))
    assert week == CheckinWeek(start=D(2026, 5, 11), nominal=D(2026, 5, 15), due=D(2026, 5, 15))
    assert not week.is_shifted


def test_a_holiday_friday_moves_to_thursday() -> None:
    # Giỗ Tổ Hùng Vương falls on Friday 16/4/2027.
    week = checkin_week(D(2027, 4, 14), FRIDAY, vietnam_holidays([2027]))
    assert week.due == D(2027, 4, 15)
    assert week.is_shifted


def test_labour_day_after_reunification_day_moves_to_wednesday() -> None:
    # Friday 1/5/2026 and Thursday 30/4/2026 are both holidays.
    assert due_day(D(2026, 5, 1), vietnam_holidays([2026])) == D(2026, 4, 29)


def test_tet_2027_moves_the_check_in_to_wednesday() -> None:
    # Thursday 4/2 (29 Tết) and Friday 5/2 (New Year's Eve) are off; Wednesday is worked.
    week = checkin_week(D(2027, 2, 5), FRIDAY, vietnam_holidays([2027]))
    assert week.due == D(2027, 2, 3)


def test_tet_2026_closes_the_whole_week_so_nothing_is_due() -> None:
    # Monday 16/2 to Friday 20/2/2026 are all Tết holidays.
    week = checkin_week(D(2026, 2, 18), FRIDAY, vietnam_holidays([2026]))
    assert week.start == D(2026, 2, 16)
    assert week.due is None
    assert week.is_holiday_week
    weeks = cycle_weeks(D(2026, 1, 1), D(2026, 3, 31), FRIDAY, vietnam_holidays([2026]))
    assert [w.start for w in weeks if w.is_holiday_week] == [D(2026, 2, 16)]
    assert len(weeks) == 13


def test_a_weekend_check_in_day_is_not_moved_when_it_is_no_holiday() -> None:
    assert due_day(D(2026, 5, 16), frozenset()) == D(2026, 5, 16)


def test_cycle_weeks_of_q2_2026() -> None:
    weeks = cycle_weeks(D(2026, 4, 1), D(2026, 6, 30), FRIDAY, vietnam_holidays([2026]))
    assert weeks[0].nominal == D(2026, 4, 3)
    assert weeks[0].start == D(2026, 3, 30)
    assert weeks[-1].nominal == D(2026, 6, 26)
    assert len(weeks) == 13
    assert [w.due for w in weeks if w.is_shifted] == [D(2026, 4, 29)]


def test_due_moment_is_local_time() -> None:
    moment = due_moment(D(2026, 5, 15), 17, VN)
    assert moment.astimezone(datetime.UTC) == datetime.datetime(
        2026, 5, 15, 10, 0, tzinfo=datetime.UTC
    )


def test_judge_week() -> None:
    week = CheckinWeek(D(2026, 5, 11), D(2026, 5, 15), D(2026, 5, 15))
    moment = due_moment(D(2026, 5, 15), 17, VN)
    before = moment - datetime.timedelta(minutes=1)
    after = moment + datetime.timedelta(minutes=1)
    assert judge_week(week, before, after, 17, VN) == Timeliness.ON_TIME
    assert judge_week(week, after, after, 17, VN) == Timeliness.LATE
    assert judge_week(week, None, after, 17, VN) == Timeliness.MISSED
    assert judge_week(week, None, before, 17, VN) == Timeliness.PENDING
    holiday = CheckinWeek(D(2026, 2, 16), D(2026, 2, 20), None)
    assert judge_week(holiday, None, after, 17, VN) == Timeliness.NOT_DUE
    assert judge_week(holiday, before, after, 17, VN) == Timeliness.ON_TIME


def test_streaks() -> None:
    on, late, missed, off, pending = (
        Timeliness.ON_TIME,
        Timeliness.LATE,
        Timeliness.MISSED,
        Timeliness.NOT_DUE,
        Timeliness.PENDING,
    )
    assert streaks([]) == (0, 0)
    assert streaks([on, on, late, on, off, on, pending]) == (2, 2)
    assert streaks([on, on, on, missed]) == (0, 3)


def test_bad_weekday_is_refused() -> None:
    with pytest.raises(ValueError):
        checkin_week(D(2026, 5, 13), 7, frozenset())


days = st.dates(min_value=D(2024, 1, 1), max_value=D(2030, 12, 31))


@given(day=days, weekday=st.integers(0, 6), holidays=st.frozensets(days, max_size=40))
def test_due_day_is_in_the_same_week_never_later_and_a_working_day_when_moved(
    day: datetime.date, weekday: int, holidays: frozenset[datetime.date]
) -> None:
    week = checkin_week(day, weekday, holidays)
    assert week.start == week_start(day) and week.start.weekday() == 0
    assert week.nominal.weekday() == weekday
    if week.nominal not in holidays:
        assert week.due == week.nominal
    elif week.due is not None:
        assert week.start <= week.due < week.nominal
        assert is_working_day(week.due, holidays)
        # Every day between the due day and the nominal day is a day off.
        between = week.due + datetime.timedelta(days=1)
        while between < week.nominal:
            assert not is_working_day(between, holidays)
            between += datetime.timedelta(days=1)
    else:
        monday = week.start
        assert all(
            not is_working_day(monday + datetime.timedelta(days=i), holidays)
            for i in range(weekday)
        )


@given(first=days, length=st.integers(0, 120), weekday=st.integers(0, 6))
def test_cycle_weeks_are_consecutive_and_inside_the_cycle(
    first: datetime.date, length: int, weekday: int
) -> None:
    last = first + datetime.timedelta(days=length)
    weeks = cycle_weeks(first, last, weekday, vietnam_holidays(range(first.year, last.year + 1)))
    assert all(first <= w.nominal <= last for w in weeks)
    assert all(
        b.start - a.start == datetime.timedelta(days=7) for a, b in itertools.pairwise(weeks)
    )
    assert len(weeks) in (length // 7, length // 7 + 1)
