"""#16: the slot a recurring key result keeps, read from its sentence (rules in kr_parser_slots)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.kr_parser import parse_key_result
from okrflow.engine.kr_parser_slots import find_slot


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        ("Gửi bản tin vào 17:00 thứ Sáu hằng tuần", {"weekday": 4, "hour": 17}),
        ("Gửi bản tin vào 17.00 chiều thứ 6 hàng tuần", {"weekday": 4, "hour": 17}),
        ("Gửi newsletter 17h thứ 6 hàng tuần", {"weekday": 4, "hour": 17}),
        ("Họp nhóm mỗi thứ Hai lúc 9:00", {"weekday": 0, "hour": 9}),
        ("Gọi khách hàng 5 giờ chiều chủ nhật hằng tuần", {"weekday": 6, "hour": 17}),
        ("Gửi báo cáo ngày 5 hằng tháng", {"day_of_month": 5, "hour": None}),
        ("Send the newsletter every Friday at 5pm", {"weekday": 4, "hour": 17}),
        ("Publish a blog post weekly on Mondays at 09:00", {"weekday": 0, "hour": 9}),
        ("Send the investor update on the 1st of every month", {"day_of_month": 1, "hour": None}),
        ("Review invoices on the 15th of each month at 12am", {"day_of_month": 15, "hour": 0}),
    ],
)
def test_a_recurring_sentence_keeps_its_slot(text: str, slot: dict[str, int | None]) -> None:
    got = parse_key_result(text).to_json()
    assert got["kind"] == "recurring"
    assert got["slot"] == slot


@pytest.mark.parametrize(
    "text",
    [
        "Gửi bản tin vào 17:00 thứ Sáu hằng tuần",
        "Gửi newsletter 17h thứ 6 hàng tuần",
        "Gửi báo cáo ngày 5 hằng tháng",
        "Send the newsletter every Friday at 5pm",
    ],
)
def test_the_slot_is_not_the_target(text: str) -> None:
    # The hour and the day of the month are when, not how many: once per period.
    got = parse_key_result(text).to_json()
    assert (got["target"], got["deadline"]) == (1, None)


@pytest.mark.parametrize(
    "text",
    [
        "Đăng bài mỗi thứ 2 và thứ 5",  # two weekdays: a key result holds one slot
        "Call every key account on Tuesdays and Thursdays",
        "Wake up at 6.30 AM every day",  # a daily rhythm has no weekday
        "Tăng doanh thu lên 2 tỷ vào thứ 6",  # not recurring
        "Grow revenue to $2M by Friday",
        "Hàng tuần đăng 3 bài",  # no weekday named
    ],
)
def test_no_slot_without_one_weekday_on_a_recurring_key_result(text: str) -> None:
    assert parse_key_result(text).to_json()["slot"] is None


def test_a_weekday_needs_a_week_and_a_day_of_month_a_month() -> None:
    assert find_slot("thứ 6", "month") is None
    assert find_slot("ngày 5 hằng tháng", "week") is None
    assert find_slot("thứ 6", "week") is not None


def test_two_different_hours_keep_no_hour() -> None:
    slot = find_slot("mỗi thứ 2 lúc 9:00 hoặc 14:00", "week")
    assert slot is not None and (slot.weekday, slot.hour) == (0, None)


@given(
    weekday=st.integers(min_value=0, max_value=6),
    hour=st.integers(min_value=0, max_value=23),
)
def test_any_english_weekday_and_hour_is_read_back(weekday: int, hour: int) -> None:
    names = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    got = parse_key_result(f"Send the report every {names[weekday]} at {hour:02d}:00").to_json()
    assert got["slot"] == {"weekday": weekday, "hour": hour}


@given(weekday=st.integers(min_value=0, max_value=5), hour=st.integers(min_value=0, max_value=23))
def test_any_vietnamese_weekday_and_hour_is_read_back(weekday: int, hour: int) -> None:
    got = parse_key_result(f"Gửi báo cáo vào {hour}:00 thứ {weekday + 2} hằng tuần").to_json()
    assert got["slot"] == {"weekday": weekday, "hour": hour}
    assert got["target"] == 1


@given(day=st.integers(min_value=1, max_value=31))
def test_any_day_of_the_month_is_read_back(day: int) -> None:
    got = parse_key_result(f"Gửi báo cáo ngày {day} hằng tháng").to_json()
    assert got["slot"] == {"day_of_month": day, "hour": None}
    assert got["target"] == 1
