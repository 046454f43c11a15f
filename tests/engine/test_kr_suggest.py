"""From a typed key-result sentence to the editor's fields."""

from __future__ import annotations

import datetime

import pytest

from okrflow.engine.kr_suggest import due_from_deadline, suggest_key_result

Q2 = (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Tăng nhận diện thương hiệu trong phân khúc thị trường từ 65% lên 80%",
            {
                "shape": "percentage",
                "start_value": "65",
                "target_value": "80",
                "direction": "increase",
            },
        ),
        (
            "Đảm bảo phát triển kênh fanpage đạt ít nhất 10.000 theo dõi trong quý II",
            {
                "shape": "threshold",
                "direction": "at_least",
                "target_value": "10000",
                "due_date": "2026-06-30",
            },
        ),
        (
            "Tổ chức hội nghị khách hàng trong tháng 4",
            {"shape": "milestone", "due_date": "2026-04-30"},
        ),
        (
            "Gia tăng 20% lượng truy cập website so với quý I",
            {"shape": "relative", "relative_change": "20"},
        ),
        (
            "Reduce churn from 8% to 5% by June 30",
            {
                "shape": "percentage",
                "start_value": "8",
                "target_value": "5",
                "direction": "decrease",
                "due_date": "2026-06-30",
            },
        ),
        (
            "Thời gian phản hồi khách hàng không vượt quá 30 phút",
            {"shape": "threshold", "direction": "at_most", "target_value": "30", "unit": "minutes"},
        ),
        (
            "Ít nhất 1 lần / tháng lãnh đạo trả lời phỏng vấn báo chí",
            {"shape": "recurring", "per_period": "1", "period": "month"},
        ),
    ],
)
def test_sentences_become_native_shapes(text: str, expected: dict[str, str]) -> None:
    fields = suggest_key_result(text, *Q2).fields
    assert {key: fields.get(key) for key in expected} == expected


def test_an_activity_suggests_nothing() -> None:
    suggestion = suggest_key_result("Tổ chức sự kiện khuyến mại", *Q2)
    assert suggestion.fields == {}
    assert suggestion.notes == ("activity",)


def test_deadline_outside_the_cycle_moves_to_the_cycle_end() -> None:
    suggestion = suggest_key_result("Khảo sát ít nhất 100 khách hàng trong tháng 9", *Q2)
    assert suggestion.fields["due_date"] == "2026-06-30"
    assert suggestion.notes == ("deadline_moved_to_cycle_end",)
    assert suggestion.facts == {"stated": "2026-09-30"}


def test_deadline_inside_the_cycle_is_kept_without_a_note() -> None:
    suggestion = suggest_key_result("Khảo sát ít nhất 100 khách hàng trong tháng 5", *Q2)
    assert suggestion.fields["due_date"] == "2026-05-31"
    assert suggestion.notes == ()
    assert suggestion.facts == {}


@pytest.mark.parametrize(
    ("text", "start", "notes"),
    [
        ("Tuyển dụng 5 lập trình viên trước 30/6", "0", ()),
        ("Hire 10 new engineers", "0", ()),
        ("Đạt 1.000 người dùng trả phí trong tháng 6", "0", ()),
        # Something is said about a change: the start is the person's to give.
        ("Tăng số lượng người theo dõi trên TikTok lên 50.000", "", ("needs_baseline",)),
        ("Increase the number of paying customers from 120 to 200", "120", ()),
        ("Maintain 99.9% uptime", "", ("needs_baseline",)),
    ],
)
def test_a_plain_count_starts_at_zero(text: str, start: str, notes: tuple[str, ...]) -> None:
    suggestion = suggest_key_result(text, *Q2)
    assert suggestion.fields.get("start_value", "") == start
    assert suggestion.notes == notes


def test_a_count_with_an_out_of_cycle_deadline_gets_both_rules() -> None:
    suggestion = suggest_key_result("Tuyển dụng 5 lập trình viên trước 30/9", *Q2)
    assert suggestion.fields == {
        "shape": "metric",
        "start_value": "0",
        "target_value": "5",
        "direction": "increase",
        "unit": "lập trình viên",
        "due_date": "2026-06-30",
    }
    assert suggestion.facts == {"stated": "2026-09-30"}


@pytest.mark.parametrize(
    "text", ["Ký kết thành công [số lượng] hợp đồng trong [thời gian]", "Increase NPS from X to Y"]
)
def test_a_template_suggests_nothing(text: str) -> None:
    suggestion = suggest_key_result(text, *Q2)
    assert suggestion.fields == {}
    assert suggestion.notes == ("template",)


def test_due_dates_across_a_year_end() -> None:
    start, end = datetime.date(2026, 12, 1), datetime.date(2027, 2, 28)
    assert (
        due_from_deadline({"day": 15, "month": 1, "quarter": None, "year": None}, start, end)
        == "2027-01-15"
    )
    assert (
        due_from_deadline({"day": None, "month": 2, "quarter": None, "year": None}, start, end)
        == "2027-02-28"
    )
    assert due_from_deadline(None, start, end) == ""


@pytest.mark.parametrize(
    ("text", "slot"),
    [
        (
            "Gửi bản tin vào 17:00 thứ Sáu hằng tuần",
            {"slot_weekday": "4", "slot_hour": "17", "slot_day_of_month": ""},
        ),
        (
            "Send the investor update on the 1st of every month",
            {"slot_weekday": "", "slot_hour": "", "slot_day_of_month": "1"},
        ),
        # No weekday: the three fields are cleared (a slot typed before does not linger).
        ("Hàng tuần đăng 3 bài", {"slot_weekday": "", "slot_hour": "", "slot_day_of_month": ""}),
    ],
)
def test_fill_from_sentence_fills_the_slot(text: str, slot: dict[str, str]) -> None:
    fields = suggest_key_result(text, *Q2).fields
    assert fields["shape"] == "recurring"
    assert {key: fields[key] for key in slot} == slot


def test_a_non_recurring_sentence_fills_no_slot() -> None:
    fields = suggest_key_result("Tăng doanh thu lên 2 tỷ vào thứ 6", *Q2).fields
    assert not any(key.startswith("slot_") for key in fields)
