"""Importing the seed article as it is: 12 example objectives, 40 key results, right figures."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from okrflow.library.formats import read_file
from okrflow.library.importer import run_import
from okrflow.library.preview import ImportPreview, build_preview
from okrflow.okrs.models import KeyResult, Objective
from tests.conftest import World

HEADINGS = [
    "Công ty Marketing",
    "Phòng Marketing",
    "Trưởng phòng Marketing",
    "Chuyên viên Marketing",
    "Inbound Marketing",
    "Inbound Marketing",
    "Content Marketing",
    "Content Marketing",
    "Event Marketing",
    "Event Marketing",
    "Email Marketing",
    "Email Marketing",
]


def article_preview(article: bytes, world: World) -> ImportPreview:
    return build_preview(
        read_file(article, "text"), world.cycle, None, default_owner=world.marketing
    )


def headed(objectives: list) -> list:  # type: ignore[type-arg]
    """The examples under headings, without the prose examples (see test_article_tree.py)."""
    return [o for o in objectives if not o.ref.startswith("article-")]


def key_result(preview: ImportPreview, text: str):  # type: ignore[no-untyped-def]
    [found] = [kr for o in headed(preview.objectives) for kr in o.key_results if text in kr.title]
    return found


def test_reader_finds_the_examples_and_skips_the_prose(article: bytes) -> None:
    read = read_file(article, "text")
    assert read.problems == []
    assert len(read.objectives) == 18  # 12 under headings, 6 from the prose examples
    assert read.key_result_count == 45
    read.objectives = [o for o in read.objectives if "ref" not in o.columns]
    assert [o.heading for o in read.objectives] == HEADINGS
    assert [len(o.key_results) for o in read.objectives] == [3, 3, 5, 5, 3, 3, 3, 3, 3, 3, 3, 3]
    first = read.objectives[0]
    assert (first.line, first.title) == (
        66,
        "Mạnh mẽ chiếm lĩnh Top 3 thị phần dịch vụ tư vấn phát triển thương hiệu doanh nghiệp",
    )
    assert first.key_results[0].line == 67
    # "Mục tiêu O2:" continues under the heading above it.
    assert read.objectives[5].title == "Tăng lượng khách hàng truy cập vào website sản phẩm"
    # The retention and sales-focus bullet lists are prose, not key results.
    titles = [kr.title for o in read.objectives for kr in o.key_results]
    assert not any("Phòng Kinh doanh đặt mục tiêu" in t for t in titles)
    assert not any(t.startswith("Tổ chức sự kiện khuyến mại") for t in titles)


def test_preview_maps_every_sentence_to_a_valid_key_result(article: bytes, world: World) -> None:
    preview = article_preview(article, world)
    assert preview.errors == []
    assert preview.can_import
    assert len(preview.objectives) == 18 and preview.key_result_count == 45
    objectives = headed(preview.objectives)
    assert [o.marketing_type for o in objectives[4:]] == [
        "inbound", "inbound", "content", "content", "event", "event", "email", "email"
    ]  # fmt: skip
    assert [o.level for o in objectives[:4]] == [
        "company",
        "department",
        "department_head",
        "specialist",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "từ 65% lên 80%",
            {"shape": "percentage", "start_value": 65, "target_value": 80, "direction": "increase"},
        ),
        (
            "Đảm bảo phát triển kênh fanpage",
            {"shape": "threshold", "target_value": 10000, "direction": "at_least"},
        ),
        ("Tổ chức hội nghị khách hàng trong tháng 4", {"shape": "milestone"}),
        (
            "Gia tăng 20% lượng truy cập website so với quý I",
            {"shape": "relative", "relative_change": 20, "baseline_label": "quý I"},
        ),
        (
            "Trước 30/6, đưa website vào top 5",
            {"shape": "threshold", "target_value": 5, "direction": "at_most"},
        ),
        (
            "định kỳ 1 lần/tuần trước 15/4",
            {"shape": "recurring", "per_period": 1, "period": "week"},
        ),
        (
            "Ít nhất 1 lần / tháng",
            {"shape": "recurring", "per_period": 1, "period": "month"},
        ),
        (
            "Tuyển dụng và đào tạo 1 nhân viên nội dung và 2 nhân viên SEO",
            {"shape": "metric", "start_value": 0, "target_value": 3},
        ),
        (
            "0,7 điểm cơ bản",
            {"shape": "threshold", "target_value": Decimal("0.7"), "unit": "điểm"},
        ),
    ],
)
def test_article_key_results_are_read_right(
    article: bytes, world: World, text: str, expected: dict
) -> None:
    kr = key_result(article_preview(article, world), text)
    assert {name: getattr(kr, name) for name in expected} == expected


def test_article_deadlines_land_in_the_cycle(article: bytes, world: World) -> None:
    preview = article_preview(article, world)
    assert key_result(preview, "hội nghị khách hàng").due_date == datetime.date(2026, 4, 30)
    assert key_result(preview, "Trước 30/6").due_date == datetime.date(2026, 6, 30)
    assert key_result(preview, "tổ chức vào 15/4").due_date == datetime.date(2026, 4, 15)
    # A weekly newsletter "before 15/4" starts then and runs to the end of the cycle.
    newsletter = key_result(preview, "định kỳ 1 lần/tuần trước 15/4")
    assert newsletter.due_date == datetime.date(2026, 6, 30)
    assert any(p.line == newsletter.line and "15 Apr 2026" in p.message for p in preview.warnings)
    # March is before Q2: kept as a warning, the due date becomes the cycle's end.
    survey = key_result(preview, "Khảo sát ít nhất 100 khách hàng")
    assert survey.due_date == datetime.date(2026, 6, 30)
    notes = [p for p in preview.warnings if p.line == survey.line]
    assert "31 Mar 2026" in notes[0].message


def test_importing_the_article_creates_18_drafts_with_45_key_results(
    article: bytes, world: World
) -> None:
    result = run_import(None, article_preview(article, world))
    assert len(result.objectives) == 18 and result.key_results == 45
    objectives = Objective.objects.filter(cycle=world.cycle)
    assert objectives.count() == 18
    assert set(objectives.values_list("state", flat=True)) == {"draft"}
    assert KeyResult.objects.filter(objective__cycle=world.cycle).count() == 45
    conference = KeyResult.objects.get(title="Tổ chức hội nghị khách hàng trong tháng 4")
    assert conference.shape == "milestone"
    assert conference.owner == world.lead  # the unit's lead owns its key results
    followers = KeyResult.objects.get(title__contains="kênh fanpage")
    assert (followers.shape, followers.direction, followers.target_value) == (
        "threshold",
        "at_least",
        Decimal("10000"),
    )
    visits = KeyResult.objects.get(title__contains="lượng truy cập website")
    assert (visits.start_value, visits.relative_change, visits.target_value) == (
        Decimal(100),
        Decimal(20),
        Decimal(120),
    )
    inbound = Objective.objects.get(title__startswith="Gia tăng mạnh mẽ danh sách")
    assert [t.name for t in inbound.tags.all()] == ["inbound"]


def test_the_newsletter_line_keeps_its_friday_17_00_slot(article: bytes, world: World) -> None:
    # "vào 17.00 chiều thứ 6 hàng tuần": the weekday and the hour, not only the weekly count.
    preview = article_preview(article, world)
    plan = key_result(preview, "17.00 chiều thứ 6 hàng tuần")
    assert (plan.shape, plan.per_period, plan.period) == ("recurring", 1, "week")
    assert (plan.slot_weekday, plan.slot_hour, plan.slot_day_of_month) == (4, 17, None)
    # A weekly count without a weekday keeps no slot.
    plain = key_result(preview, "định kỳ 1 lần/tuần trước 15/4")
    assert (plain.slot_weekday, plain.slot_hour, plain.slot_day_of_month) == (None, None, None)
    run_import(None, preview)
    saved = KeyResult.objects.get(title__contains="17.00 chiều thứ 6 hàng tuần")
    assert (saved.shape, saved.slot_weekday, saved.slot_hour) == ("recurring", 4, 17)
    assert saved.slot_day_of_month is None
    assert KeyResult.objects.get(title__contains="định kỳ 1 lần/tuần").slot_weekday is None
