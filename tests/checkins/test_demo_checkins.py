"""The demo's check-ins: six weeks around the loader's values, shifted before a holiday."""

from __future__ import annotations

import datetime

import pytest
import time_machine

from okrflow.checkins.demo import erase_checkins
from okrflow.checkins.models import AgreedAction, CheckIn, CheckInFeedback, OneOnOne
from okrflow.checkins.schedule import local_now
from okrflow.demo.loader import build_demo, erase_everything
from okrflow.okrs.models import KeyResultValue

# Friday 15/5/2026, evening: the six demo weeks run from 6/4 and include Labour Day (1/5).
TODAY = datetime.date(2026, 5, 15)
EVENING = datetime.datetime(
    2026, 5, 15, 19, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))
)


def summary_values(cycle) -> int:  # type: ignore[no-untyped-def]
    """Count the values the loader recorded: one per key result and check-in day at most, and
    one read by each of the demo's two data sources."""
    return KeyResultValue.objects.filter(
        key_result__objective__cycle=cycle, source__in=("demo", "data_source")
    ).count()


@pytest.fixture
def demo(db: None):  # type: ignore[no-untyped-def]
    with time_machine.travel(EVENING, tick=False):
        summary = build_demo(TODAY, say=lambda _text: None)
        values = KeyResultValue.objects.filter(key_result__objective__cycle=summary.cycle).count()
        made = summary.checkins  # the loader builds the check-ins itself
    return summary.cycle, made, values


def test_six_weeks_of_check_ins_reuse_the_loaders_values(demo) -> None:  # type: ignore[no-untyped-def]
    cycle, made, values = demo
    in_cycle = KeyResultValue.objects.filter(key_result__objective__cycle=cycle)
    assert in_cycle.count() == values == summary_values(cycle)  # nothing recorded twice
    checkins = CheckIn.objects.filter(cycle=cycle)
    weeks = sorted(set(checkins.values_list("week", flat=True)))
    assert len(weeks) == 7  # every week of the cycle so far: from the week of 3/4 to 15/5
    assert weeks[0] == datetime.date(2026, 3, 30)
    assert made.checkins == checkins.count()
    assert made.missed >= 2
    assert made.late >= 1
    lines = checkins.first().lines.select_related("value_record")
    assert all(line.value_record.source == "demo" for line in lines)
    assert all(line.value == line.value_record.value for line in lines)
    assert checkins.filter(confidence__isnull=False).count() == made.checkins
    assert CheckIn.objects.exclude(obstacles="").exists()
    assert CheckInFeedback.objects.filter(kind="recognition").exists()
    assert CheckInFeedback.objects.filter(kind="comment").exists()


def test_the_labour_day_week_is_checked_in_on_wednesday(demo) -> None:  # type: ignore[no-untyped-def]
    cycle, made, _values = demo
    assert made.shifted_weeks == [datetime.date(2026, 4, 27)]
    days = {
        local_now(cycle, c.submitted_at).date()
        for c in CheckIn.objects.filter(week=datetime.date(2026, 4, 27))
    }
    assert datetime.date(2026, 4, 29) in days
    assert datetime.date(2026, 5, 1) not in days


def test_the_specialist_has_a_finished_one_on_one_with_an_open_action(demo) -> None:  # type: ignore[no-untyped-def]
    meeting = OneOnOne.objects.get(person__user__username="specialist.marketing")
    assert meeting.ended_at is not None and meeting.next_checkin_on == datetime.date(2026, 5, 22)
    action = AgreedAction.objects.get(meeting=meeting)
    assert not action.initiative.is_done


def test_erase_checkins_lets_the_demo_reset(demo) -> None:  # type: ignore[no-untyped-def]
    erase_checkins()
    assert not CheckIn.objects.exists()
    erase_everything()


def test_a_week_filled_in_a_week_late_sits_at_its_week(demo) -> None:  # type: ignore[no-untyped-def]
    cycle, made, _values = demo
    ((username, week),) = made.caught_up
    late = CheckIn.objects.get(cycle=cycle, person__user__username=username, week=week)
    next_due = min(
        c.week for c in CheckIn.objects.filter(cycle=cycle, week__gt=week).order_by("week")
    ) + datetime.timedelta(days=4)
    # Submitted after the following week's check-in day...
    assert local_now(cycle, late.submitted_at).date() > next_due
    lines = list(late.lines.select_related("value_record", "key_result"))
    assert lines
    for line in lines:
        # ...its values sit at its own week, and the current value is the newest measured one.
        assert week <= line.value_record.measured_on < week + datetime.timedelta(days=7)
        newest = line.key_result.values.order_by("-measured_on", "-id").first()
        assert newest.measured_on > line.value_record.measured_on
        assert line.key_result.current_value == newest.value
