"""Late check-ins never rewrite history: values sit at their week, the newest measured is current."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.db import transaction
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from okrflow.checkins.actions import CheckInInput, LineInput, correct_checkin, record_checkin
from okrflow.okrs.actions import (
    create_key_result,
    create_objective,
    record_key_result_value,
    update_key_result,
)
from okrflow.okrs.models import KeyResult, KeyResultValue
from tests.checkins.conftest import (
    LAST_WEEK,
    WEEK,
    Krs,
    checkin_data,
    signed_in,
    submit_member_checkin,
)
from tests.conftest import World

# 27/4 is due Wednesday 29/4: Thursday 30/4 and Friday 1/5 are public holidays.
HOLIDAY_WEEK = datetime.date(2026, 4, 27)
HOLIDAY_WEEK_DUE = datetime.date(2026, 4, 29)
LAST_FRIDAY = datetime.date(2026, 5, 8)
TODAY = datetime.date(2026, 5, 13)


def history(kr: KeyResult) -> list[tuple[datetime.date, Decimal, str]]:
    return list(
        kr.values.order_by("measured_on", "id").values_list("measured_on", "value", "source")
    )


def test_a_late_check_in_sits_at_its_week_and_leaves_the_current_value(
    world: World, krs: Krs
) -> None:
    # This week first: followers at 3,000, so the key result is ahead of the older weeks.
    submit_member_checkin(world, krs, ["3,000", "52", "1", "6"])
    # Then the missed week of 27/4, typed in today with that week's figures.
    late = submit_member_checkin(world, krs, ["2,200", "47", "0", "4"], week=HOLIDAY_WEEK)
    for kr, current in zip(krs.all, ("3000", "52", "1", "6"), strict=True):
        kr.refresh_from_db()
        assert kr.current_value == Decimal(current)
    line = late.lines.select_related("value_record").get(key_result=krs.followers)
    assert line.value_record.measured_on == HOLIDAY_WEEK_DUE
    assert line.value_record.created_at.date() == TODAY
    assert [(day, value) for day, value, _source in history(krs.followers)] == [
        (HOLIDAY_WEEK_DUE, Decimal("2200")),
        (LAST_FRIDAY, Decimal("2500")),
        (TODAY, Decimal("3000")),
    ]


def test_a_late_check_in_for_the_newest_week_becomes_current(world: World, krs: Krs) -> None:
    # Nothing newer than last Friday's 2,500: last week's late values (at Friday 8/5, recorded
    # after the fixture's value of the same day) are the newest measured, so they are current.
    submit_member_checkin(world, krs, ["2,600", "49", "0", "5"], week=LAST_WEEK)
    krs.followers.refresh_from_db()
    assert krs.followers.current_value == Decimal("2600")
    assert krs.followers.values.filter(source="checkin").get().measured_on == LAST_FRIDAY


def test_correcting_a_late_check_in_keeps_its_week(world: World, krs: Krs) -> None:
    submit_member_checkin(world, krs, ["3,000", "52", "1", "6"])
    late = submit_member_checkin(world, krs, ["2,200", "47", "0", "4"], week=HOLIDAY_WEEK)
    correct_checkin(world.member.user, late, data=checkin_data(krs.all, ["2,250", "47", "0", "4"]))
    krs.followers.refresh_from_db()
    assert krs.followers.current_value == Decimal("3000")
    corrected = krs.followers.values.filter(value=Decimal("2250")).get()
    assert corrected.measured_on == HOLIDAY_WEEK_DUE


def test_an_older_manual_value_does_not_replace_the_current_one(world: World, krs: Krs) -> None:
    record_key_result_value(
        None, krs.followers, value="1,000", measured_on=datetime.date(2026, 4, 14)
    )
    krs.followers.refresh_from_db()
    assert krs.followers.current_value == Decimal("2500")
    record_key_result_value(world.member.user, krs.followers, value="2,700")
    krs.followers.refresh_from_db()
    assert krs.followers.current_value == Decimal("2700")
    assert krs.followers.values.order_by("-id").first().measured_on == TODAY


def test_the_current_value_cannot_be_edited_around_the_history(world: World, krs: Krs) -> None:
    with pytest.raises(TypeError):
        update_key_result(None, krs.followers, current_value="9000")
    krs.followers.refresh_from_db()
    assert krs.followers.current_value == Decimal("2500")


def test_the_late_form_prefills_that_weeks_values(client: Client, world: World, krs: Krs) -> None:
    # 2,200 at the 27/4 check-in, 2,500 on 8/5 (the fixture), 3,000 today.
    record_key_result_value(None, krs.followers, value="2,200", measured_on=HOLIDAY_WEEK_DUE)
    record_key_result_value(None, krs.followers, value="3,000")
    signed_in(client, world.member)
    late = client.get("/checkins/", {"week": HOLIDAY_WEEK.isoformat()})
    assert late.status_code == 200
    rows = {row.kr.pk: row for row in late.context["rows"]}
    assert rows[krs.followers.pk].value == "2,200"
    assert rows[krs.followers.pk].last_day == HOLIDAY_WEEK_DUE
    # The open rate had no value by then: the late form starts empty rather than from today.
    assert rows[krs.open_rate.pk].value == ""
    this_week = client.get("/checkins/")
    rows = {row.kr.pk: row for row in this_week.context["rows"]}
    assert rows[krs.followers.pk].value == "3,000"
    assert rows[krs.open_rate.pk].value == "48"


def test_a_late_check_in_through_the_page_says_where_its_values_went(
    client: Client, world: World, krs: Krs
) -> None:
    record_key_result_value(None, krs.followers, value="3,000")  # today, newer than 27/4
    data = {"cycle": str(world.cycle.pk), "week": HOLIDAY_WEEK.isoformat(), "action": "submit"}
    for kr, value in zip(krs.all, ("2,200", "47", "0", "4"), strict=True):
        data |= {f"kr-{kr.pk}-value": value, f"kr-{kr.pk}-confidence": "medium"}
    data |= {"progress": "Late", "obstacles": "", "solutions": "", "confidence": "medium"}
    response = signed_in(client, world.member).post("/checkins/", data)
    assert response.status_code == 302
    krs.followers.refresh_from_db()
    assert krs.followers.current_value == Decimal("3000")
    page = client.get(response["Location"]).content.decode()
    assert "Checked in for this earlier week." in page
    assert "Its values are recorded at that week" in page
    assert "Checked in for this week." not in page


# --- any order of the same submissions gives the same history and current value ----------------

# The weeks before the frozen Wednesday (13/5) and the day each one's values are measured on.
CHECKIN_WEEKS = {
    datetime.date(2026, 3, 30): datetime.date(2026, 4, 3),
    datetime.date(2026, 4, 6): datetime.date(2026, 4, 10),
    datetime.date(2026, 4, 13): datetime.date(2026, 4, 17),
    datetime.date(2026, 4, 20): datetime.date(2026, 4, 24),
    HOLIDAY_WEEK: HOLIDAY_WEEK_DUE,
    LAST_WEEK: LAST_FRIDAY,
    WEEK: TODAY,  # this week, before its Friday: measured today
}
# Tuesdays: values recorded directly on the key result (never on a check-in day).
MANUAL_DAYS = [datetime.date(2026, 4, 7) + datetime.timedelta(weeks=n) for n in range(5)]

values = st.integers(min_value=0, max_value=10_000)


@dataclass(frozen=True)
class Submission:
    """A check-in for a week (and maybe its correction right after), or a manual value."""

    week: datetime.date | None
    day: datetime.date
    value: int
    corrected: int | None = None

    @property
    def final(self) -> int:
        return self.value if self.corrected is None else self.corrected


checkins = st.builds(
    # A correction to the same value changes nothing, so it records no row: leave it out.
    lambda week, value, corrected: Submission(
        week, CHECKIN_WEEKS[week], value, None if corrected == value else corrected
    ),
    st.sampled_from(sorted(CHECKIN_WEEKS)),
    values,
    st.none() | values,
)
manuals = st.builds(
    lambda day, value: Submission(None, day, value), st.sampled_from(MANUAL_DAYS), values
)
submission_sets = st.lists(
    checkins | manuals, min_size=1, max_size=6, unique_by=lambda item: item.day
)


def one_line(kr: KeyResult, value: int) -> CheckInInput:
    return CheckInInput(
        lines={kr.pk: LineInput(value=str(value), confidence="medium")}, confidence="medium"
    )


def submit(world: World, kr: KeyResult, item: Submission) -> None:
    if item.week is None:
        record_key_result_value(world.member.user, kr, value=str(item.value), measured_on=item.day)
        return
    checkin = record_checkin(
        world.member.user,
        person=world.member,
        cycle=world.cycle,
        week=item.week,
        data=one_line(kr, item.value),
    )
    if item.corrected is not None:
        correct_checkin(world.member.user, checkin, data=one_line(kr, item.corrected))


def outcome(
    world: World, kr: KeyResult, order: list[Submission]
) -> tuple[list[tuple[datetime.date, Decimal, str]], Decimal | None]:
    """Submit in this order and return the history by measured day and the current value."""
    with transaction.atomic():
        for item in order:
            submit(world, kr, item)
        kr.refresh_from_db()
        # By day, then value: rows of one day (a check-in and its correction) in a fixed order.
        found = sorted(
            kr.values.values_list("measured_on", "value", "source"), key=lambda row: row[:2]
        )
        result = (found, kr.current_value)
        transaction.set_rollback(True)
    return result


@pytest.fixture
def lone_kr(world: World, frozen: object) -> KeyResult:
    """A key result of the specialist's with no value yet: the check-ins carry one line each."""
    objective = create_objective(
        None, cycle=world.cycle, title="Grow our loyal audience", owner=world.member
    ).value
    return create_key_result(
        None,
        objective,
        title="Reach 10,000 fanpage followers",
        owner=world.member,
        start_value=0,
        target_value=10000,
    ).value


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(items=submission_sets, data=st.data())
def test_any_order_of_the_same_submissions_gives_the_same_history(
    world: World, lone_kr: KeyResult, items: list[Submission], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(items))
    in_time_order = outcome(world, lone_kr, sorted(items, key=lambda item: item.day))
    in_any_order = outcome(world, lone_kr, list(shuffled))
    assert in_any_order == in_time_order
    newest = max(items, key=lambda item: item.day)
    assert in_any_order[1] == Decimal(newest.final)
    days = [day for day, _value, _source in in_any_order[0]]
    assert days == sorted(days)
    expected_rows = sum(1 if item.corrected is None else 2 for item in items)
    assert len(days) == expected_rows
    assert KeyResultValue.objects.filter(key_result=lone_kr).count() == 0  # rolled back
