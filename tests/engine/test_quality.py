"""The quality checker on real key results and objectives, in Vietnamese and English.

Sentences are modelled on public OKR examples (Measure What Matters, Google's re:Work guide,
Perdoo and Weekdone libraries, Vietnamese OKR blogs) and the seed article. Each row reads
"sentence => the rules it must break"; an empty set means a well-written key result.
"""

from __future__ import annotations

import datetime
import difflib
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from okrflow.engine.focus import FocusRules
from okrflow.engine.kr_parser_dates import Deadline
from okrflow.engine.quality import (
    DUPLICATE_SIMILARITY,
    RULES,
    TIP,
    WARNING,
    Finding,
    activity_verb,
    char_positions,
    check_key_result,
    check_objective,
    check_objectives,
    check_sentence,
    reaches,
    similarity,
    stated_numbers,
)
from okrflow.engine.quality_dates import Window, deadline_date
from okrflow.engine.quality_drafts import (
    KeyResultDraft,
    ObjectiveDraft,
    baseline_label,
    draft_from_figures,
    draft_from_sentence,
)

Q2 = Window(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))

WELL_WRITTEN = [
    # Vietnamese
    "Tăng nhận diện thương hiệu trong phân khúc thị trường từ 65% lên 80% trước 30/6",
    "Tăng doanh thu bảo trì định kỳ từ 4,2 tỷ đồng lên 5,5 tỷ đồng trong quý II",
    "Giảm tỷ lệ khách hàng rời bỏ từ 8% xuống 5% trước 30/6",
    "Khảo sát ít nhất 100 khách hàng doanh nghiệp trong tháng 4",
    "Phát triển kênh fanpage đạt ít nhất 10.000 theo dõi trong quý II",
    "Thời gian phản hồi khách hàng không vượt quá 30 phút trong quý II",
    "Gửi bản tin sản phẩm mỗi thứ 6 hàng tuần",
    "Ít nhất 1 lần / tháng, lãnh đạo công ty trả lời phỏng vấn trên báo chí",
    "Tăng 20% lượng truy cập website so với quý I trước 30/6",
    "Ra mắt ứng dụng di động phiên bản 2.0 trước 15/6",
    "Tuyển dụng 2 nhân viên SEO trong tháng 5",
    "Nâng chỉ số NPS từ 32 lên 45 trong quý II",
    "Đưa website vào top 5 kết quả tìm kiếm Google trước 30/6",
    # English
    "Raise the email open rate from 18% to 30% by June 30",
    "Grow ARR from $1.2M to $2M by the end of Q2",
    "Reduce average first response time from 4 hours to 1 hour by June 30",
    "Reach at least 10,000 newsletter subscribers by June 30",
    "Keep monthly churn under 2% in Q2",
    "Publish 2 blog posts per week",
    "Launch the new pricing page by May 15",
    "Hire 3 senior engineers by June 30",
    "Increase NPS from 30 to 50 by the end of June",
    "Grow website traffic by 40% over the last quarter by June 30",
    "Sign 5 new enterprise customers in May",
]


@pytest.mark.parametrize("sentence", WELL_WRITTEN)
def test_well_written_key_results_pass(sentence: str) -> None:
    assert [f.rule for f in check_sentence(sentence, window=Q2)] == []


FLAWED = [
    # Activities, not outcomes (they belong under a key result as initiatives).
    ("Tổ chức hội nghị khách hàng trong tháng 4", {"kr_is_activity"}),
    (
        "Tổ chức sự kiện trải nghiệm miễn phí sản phẩm tại các điểm bán hàng trong tháng 6",
        {"kr_is_activity"},
    ),
    (
        "Tiến hành ghi nhận ý kiến đánh giá của khách hàng trên mỗi bài viết từ tháng 4",
        {"kr_is_activity"},
    ),
    (
        "Thực hiện chạy quảng cáo trên Google, Facebook với đường dẫn về website duy trì từ 15/4",
        {"kr_is_activity"},
    ),
    ("Đảm bảo tổ chức buổi đào tạo nội bộ trước 15/5", {"kr_is_activity"}),
    ("Hold a customer webinar in May", {"kr_is_activity"}),
    ("Organize the annual partner summit by June 15", {"kr_is_activity"}),
    ("We will run a brand campaign in June", {"kr_is_activity"}),
    # Nothing measurable at all.
    ("Improve customer satisfaction", {"kr_not_measurable", "kr_no_deadline"}),
    ("Make the website better", {"kr_not_measurable", "kr_no_deadline"}),
    ("Nâng cao chất lượng dịch vụ khách hàng", {"kr_not_measurable", "kr_no_deadline"}),
    ("Write blog posts", {"kr_is_activity", "kr_no_deadline"}),
    ("Help the sales team", {"kr_is_activity", "kr_no_deadline"}),
    ("Hỗ trợ phòng kinh doanh", {"kr_is_activity", "kr_no_deadline"}),
    # A number that should move, without a starting point.
    ("Tăng tỷ lệ đăng ký nhận email trong quý II lên 20% so với quý I", {"kr_missing_baseline"}),
    (
        "Phát triển nhóm khách hàng thân thiết lên tối thiểu 5.000 thành viên trong tháng 4",
        {"kr_missing_baseline"},
    ),
    ("Increase NPS to 50 by June 30", {"kr_missing_baseline"}),
    ("Reduce churn to 3% by June 30", {"kr_missing_baseline"}),
    (
        "Gia tăng ít nhất 25% khách hàng tiềm năng từ việc tổ chức sự kiện",
        {"kr_missing_baseline", "kr_no_deadline"},
    ),
    ("Grow leads by 30% by June 30", {"kr_missing_baseline"}),
    # No deadline written.
    ("Đạt tỷ lệ tối thiểu 70% khách hàng mở email", {"kr_no_deadline"}),
    ("Tăng 15% lượng tải tài liệu giới thiệu sản phẩm so với tháng 3", {"kr_no_deadline"}),
    ("Raise the activation rate from 40% to 55%", {"kr_no_deadline"}),
    # A deadline outside the cycle (Q2 2026).
    ("Khảo sát ít nhất 100 khách hàng doanh nghiệp trong tháng 3", {"kr_deadline_outside_cycle"}),
    ("Ship the mobile app by September 30", {"kr_deadline_outside_cycle"}),
    ("Đạt 1.000 người dùng trả phí trong quý III", {"kr_deadline_outside_cycle"}),
    # Target equal to the baseline, or on the wrong side.
    ("Giữ tỷ lệ giữ chân từ 80% lên 80% trước 30/6", {"kr_target_equals_baseline"}),
    ("Raise conversion from 5% to 5% by June 30", {"kr_target_equals_baseline"}),
]


@pytest.mark.parametrize(("sentence", "rules"), FLAWED)
def test_flawed_key_results_are_flagged(sentence: str, rules: set[str]) -> None:
    assert {f.rule for f in check_sentence(sentence, window=Q2)} == rules


def test_article_activity_names_the_verb() -> None:
    [finding] = check_sentence("Tổ chức hội nghị khách hàng trong tháng 4", "vi", Q2)
    assert finding.params == {"verb": "tổ chức"}
    assert finding.severity == WARNING
    assert finding.to_json() == {
        "rule": "kr_is_activity",
        "severity": "warning",
        "objective": None,
        "key_result": None,
        "params": {"verb": "tổ chức"},
    }


def test_deadline_outside_reports_the_dates() -> None:
    [finding] = check_sentence("Khảo sát ít nhất 100 khách hàng trong tháng 3", "vi", Q2)
    assert finding.params == {"due": "2026-03-31", "start": "2026-04-01", "end": "2026-06-30"}


def test_without_a_cycle_stated_deadlines_are_not_range_checked() -> None:
    assert check_sentence("Khảo sát ít nhất 100 khách hàng trong tháng 3", "vi") == []


def test_recurring_commitments_need_no_deadline() -> None:
    assert check_sentence("Duy trì gửi bản tin vào 17.00 chiều thứ 6 hàng tuần", "vi", Q2) == []


@pytest.mark.parametrize(
    ("title", "flagged"),
    [
        ("Mạnh mẽ chiếm lĩnh Top 3 thị phần dịch vụ tư vấn phát triển thương hiệu", True),
        ("Đạt 10.000 khách hàng mới", True),
        ("Grow revenue by 20%", True),
        ("Hit $5M in annual recurring revenue", True),
        ("Tối ưu hóa thứ hạng SEO cho từ khóa “tư vấn thương hiệu”", False),
        ("Delight our customers at every touchpoint", False),
        ("Trở thành lựa chọn số một của doanh nghiệp vừa và nhỏ trong năm 2026", False),
        ("Build a world-class onboarding experience in Q2", False),
        ("Gia tăng mạnh mẽ danh sách khách hàng tiềm năng cho sản phẩm mới ra mắt", False),
    ],
)
def test_objective_should_be_qualitative(title: str, flagged: bool) -> None:
    findings = check_objective(
        ObjectiveDraft(title, "vi" if "ư" in title or "ố" in title else "en")
    )
    assert ("objective_has_number" in {f.rule for f in findings}) is flagged


def test_stated_numbers_leave_out_dates_and_periods() -> None:
    assert stated_numbers("Win Q2 2026 with 3 new products by 30/6", "en") == ["3"]
    assert stated_numbers("Trở thành số 1 trong năm 2026", "vi") == ["1"]


def test_objective_findings_point_at_key_results_and_counts() -> None:
    krs = tuple(
        draft_from_sentence(text, "en", Q2)
        for text in (
            "Raise the email open rate from 18% to 30% by June 30",
            "Hold a customer webinar in May",
        )
    )
    findings = check_objective(ObjectiveDraft("Win loyal readers", "en", key_results=krs), Q2)
    assert [(f.rule, f.key_result) for f in findings] == [
        ("kr_is_activity", 1),
        ("too_few_key_results", None),
    ]
    assert findings[1].params == {"count": 2, "min": 3, "max": 5}
    assert findings[1].severity == TIP


def test_too_many_key_results() -> None:
    krs = tuple(
        draft_from_sentence(f"Sign {n} new partners by June 30", "en", Q2) for n in range(1, 8)
    )
    rules = [
        f.rule
        for f in check_objective(ObjectiveDraft("Grow the channel", "en", key_results=krs), Q2)
    ]
    assert "too_many_key_results" in rules


def test_duplicates_within_one_objective() -> None:
    texts = (
        "Phát triển kênh fanpage đạt ít nhất 10.000 theo dõi trong quý II",
        "Phát triển kênh video trên Youtube đạt ít nhất 10.000 theo dõi trong quý II",
        "- KR3: Phát triển kênh fanpage đạt ít nhất 10.000 theo dõi trong quý II.",
    )
    krs = tuple(draft_from_sentence(text, "vi", Q2) for text in texts)
    duplicates = [
        f
        for f in check_objective(ObjectiveDraft("Lan tỏa thương hiệu", "vi", key_results=krs), Q2)
        if f.rule == "kr_duplicate"
    ]
    assert [(f.key_result, f.params) for f in duplicates] == [(2, {"same_as": 0})]


def test_owner_focus_counts_objectives_per_owner() -> None:
    kr = (draft_from_sentence("Hire 3 senior engineers by June 30", "en", Q2),) * 3
    person = [ObjectiveDraft(f"Goal {i}", "en", "anh", "person", kr) for i in "abcd"]
    unit = [ObjectiveDraft("Goal e", "en", "marketing", "unit", kr)]
    findings = [f for f in check_objectives(person + unit, Q2) if f.key_result is None]
    assert [(f.rule, f.objective, f.params["owner"]) for f in findings] == [
        ("too_many_objectives", 0, "anh"),
        ("too_few_objectives", 4, "marketing"),
    ]
    assert findings[0].params["max"] == 3  # a person holds 1-3 objectives
    loose = FocusRules(individual_objectives_max=5)
    assert not [f for f in check_objectives(person, Q2, loose) if f.key_result is None]


def test_findings_are_ordered_as_the_text_reads() -> None:
    objectives = [
        ObjectiveDraft(
            "Top 3 in the market",
            "en",
            key_results=(draft_from_sentence("Improve quality", "en", Q2),),
        )
    ]
    assert [(f.rule, f.key_result) for f in check_objectives(objectives, Q2)] == [
        ("objective_has_number", None),
        ("too_few_key_results", None),
        ("kr_not_measurable", 0),
        ("kr_no_deadline", 0),
    ]


@pytest.mark.parametrize(
    ("figures", "rules"),
    [
        (
            {"shape": "percentage", "start": Decimal(80), "target": Decimal(80)},
            {"kr_target_equals_baseline"},
        ),
        ({"shape": "metric", "start": Decimal(10), "target": Decimal(5)}, {"kr_target_wrong_side"}),
        (
            {
                "shape": "metric",
                "start": Decimal(40),
                "target": Decimal(10),
                "direction": "decrease",
            },
            set(),
        ),
        (
            {"shape": "relative", "relative_change": Decimal(0), "start": Decimal(100)},
            {"kr_target_equals_baseline"},
        ),
        ({"shape": "relative", "relative_change": Decimal(20)}, {"kr_missing_baseline"}),
        ({"shape": "relative", "relative_change": Decimal(20), "baseline_label": "quý I"}, set()),
        (
            {"shape": "threshold", "target": Decimal(70), "unit": "%", "direction": "at_least"},
            set(),
        ),
        ({"shape": "recurring", "per_period": 1}, set()),
        ({"shape": "milestone"}, set()),
    ],
)
def test_stored_figures_are_checked(figures: dict, rules: set[str]) -> None:
    draft = draft_from_figures("Chỉ số quan trọng", due=datetime.date(2026, 6, 30), **figures)
    assert {f.rule for f in check_key_result(draft, Q2)} == rules


def test_stored_milestone_with_work_verb_is_an_activity() -> None:
    draft = draft_from_figures(
        "Tổ chức hội nghị khách hàng", shape="milestone", due=datetime.date(2026, 4, 30)
    )
    assert [f.rule for f in check_key_result(draft, Q2)] == ["kr_is_activity"]


@pytest.mark.parametrize(
    ("text", "lang", "label"),
    [
        ("Gia tăng 20% lượng truy cập website so với quý I", "vi", "quý I"),
        ("Tăng 15% lượng tải tài liệu so với tháng 3, đo bằng GA4", "vi", "tháng 3"),
        ("Tăng 20% doanh thu so với cùng kỳ năm trước", "vi", "cùng kỳ năm trước"),
        ("Đạt 0,7 điểm so với đối thủ cạnh tranh gần nhất", "vi", "đối thủ cạnh tranh gần nhất"),
        ("Grow traffic 40% over the last quarter", "en", "the last quarter"),
        ("Grow signups 25% compared to Q1", "en", "Q1"),
        ("Grow revenue 30% YoY", "en", "YoY"),
        ("Grow leads by 30%", "en", ""),
    ],
)
def test_baseline_label(text: str, lang: str, label: str) -> None:
    assert baseline_label(text, lang) == label


@pytest.mark.parametrize(
    ("deadline", "day"),
    [
        (Deadline(day=15, month=4), datetime.date(2026, 4, 15)),
        (Deadline(month=5), datetime.date(2026, 5, 31)),
        (Deadline(quarter=2), datetime.date(2026, 6, 30)),
        (Deadline(month=3), datetime.date(2026, 3, 31)),
        (Deadline(day=31, month=6), datetime.date(2026, 6, 30)),
        (Deadline(year=2027), datetime.date(2027, 12, 31)),
        (Deadline(month=1, year=2027), datetime.date(2027, 1, 31)),
        (Deadline(month=13), None),
        (Deadline(), None),
    ],
)
def test_deadline_dates_fall_in_the_cycle_year(
    deadline: Deadline, day: datetime.date | None
) -> None:
    assert deadline_date(deadline, Q2) == day


def test_deadline_across_new_year_picks_the_year_inside_the_cycle() -> None:
    winter = Window(datetime.date(2026, 12, 1), datetime.date(2027, 2, 28))
    assert deadline_date(Deadline(day=15, month=1), winter) == datetime.date(2027, 1, 15)
    assert deadline_date(Deadline(month=12), winter) == datetime.date(2026, 12, 31)


def test_window_refuses_to_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        Window(datetime.date(2026, 6, 30), datetime.date(2026, 4, 1))


def test_activity_verb_skips_lead_words() -> None:
    assert activity_verb("- KR2: Đảm bảo tổ chức hội thảo", "vi") == "tổ chức"
    assert activity_verb("We will host a meetup", "en") == "host"
    assert activity_verb("Launch the app", "en") is None
    assert activity_verb("Holdings grow 5%", "en") is None


def test_activity_draft_is_not_measurable() -> None:
    assert not KeyResultDraft("Work on the blog", "en", kind="activity").measurable
    assert draft_from_sentence("Lift NPS from 30 to 40", "en").measurable


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=120))
def test_any_text_gives_only_known_rules(text: str) -> None:
    for finding in check_sentence(text, "vi", Q2) + check_sentence(text, "en", Q2):
        assert finding.rule in RULES
        assert isinstance(finding, Finding)


def plain_duplicates(texts: list[str]) -> list[tuple[int, int]]:
    """The repeat rule as first written: every earlier text's full ratio, in order."""
    import difflib

    from okrflow.engine.quality import DUPLICATE_SIMILARITY, normalise

    found, seen = [], []
    for index, text in enumerate(texts):
        text = normalise(text)
        for earlier, other in enumerate(seen):
            if text and difflib.SequenceMatcher(None, text, other).ratio() >= DUPLICATE_SIMILARITY:
                found.append((index, earlier))
                break
        seen.append(text)
    return found


WORDS = ["tăng", "reach", "100", "110", "leads", "khách hàng", "KR1:", "!", "doanh thu", "a"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WORDS), max_size=7).map(" ".join), max_size=7))
def test_repeats_found_with_cheap_bounds_as_with_full_ratios(texts: list[str]) -> None:
    """The bounded, cached comparison reports exactly what comparing every pair in full did."""
    from okrflow.engine.quality import duplicate_findings
    from okrflow.engine.quality_drafts import KeyResultDraft

    found = duplicate_findings([KeyResultDraft(text) for text in texts])
    assert [(f.key_result, f.params["same_as"]) for f in found] == plain_duplicates(texts)


# Texts on a few letters and a space share many runs: the ties between equal runs, which
# difflib breaks by the first in each text, are where a different answer would show.
FEW_LETTERS = st.text(alphabet="aab c1", max_size=60)


@settings(max_examples=1000, deadline=None)
@given(FEW_LETTERS, FEW_LETTERS)
def test_similarity_is_difflibs_ratio(text: str, earlier: str) -> None:
    found = similarity(text, earlier, char_positions(earlier))
    assert found == difflib.SequenceMatcher(None, text, earlier).ratio()


def edited(text: str, edits: list[tuple[int, str]]) -> str:
    """`text` with a few characters replaced, dropped or added: a near repeat of it."""
    chars = list(text)
    for at, char in edits:
        if not chars:
            chars.append(char)
            continue
        at %= len(chars)
        if char == "-":
            del chars[at]
        elif char == "+":
            chars.insert(at, "x")
        else:
            chars[at] = char
    return "".join(chars)


NEAR_REPEATS = st.tuples(
    st.text(alphabet="aab c1", min_size=1, max_size=60),
    st.lists(st.tuples(st.integers(0, 59), st.sampled_from("ab c1-+")), max_size=6),
).map(lambda pair: (pair[0], edited(*pair)))
THRESHOLDS = st.sampled_from([0.0, 0.5, 0.8, DUPLICATE_SIMILARITY, 0.95, 1.0])


@settings(max_examples=1500, deadline=None)
@given(st.one_of(st.tuples(FEW_LETTERS, FEW_LETTERS), NEAR_REPEATS), THRESHOLDS)
def test_reaches_answers_as_the_whole_ratio(texts: tuple[str, str], threshold: float) -> None:
    """Stopping once the answer is known gives the answer of the whole computation, near the
    threshold too (a text and a few edits of it)."""
    text, earlier = texts
    positions = char_positions(earlier)
    assert reaches(text, earlier, threshold) == (similarity(text, earlier, positions) >= threshold)


REGIONS = st.tuples(*(st.integers(0, 60) for _ in range(4)))


@settings(max_examples=3000, deadline=None)
@given(st.one_of(st.tuples(FEW_LETTERS, FEW_LETTERS), NEAR_REPEATS), REGIONS)
def test_first_longest_run_is_longest_runs_and_difflibs(
    texts: tuple[str, str], bounds: tuple[int, int, int, int]
) -> None:
    """Searching for ever longer pieces finds the run the character index finds, and
    difflib's longest match (no junk under 200 characters), ties included: in whole texts and
    in any region of them."""
    from okrflow.engine.quality import first_longest_run, longest_run

    a, b = texts
    alo, ahi = sorted((bounds[0] % (len(a) + 1), bounds[1] % (len(a) + 1)))
    blo, bhi = sorted((bounds[2] % (len(b) + 1), bounds[3] % (len(b) + 1)))
    for region in ((0, len(a), 0, len(b)), (alo, ahi, blo, bhi)):
        found = first_longest_run(a, b, *region)
        assert found == longest_run(a, char_positions(b), *region)
        assert found == tuple(difflib.SequenceMatcher(None, a, b).find_longest_match(*region))


def findings_as_first_written(objectives: list[ObjectiveDraft], rules: FocusRules) -> list[Finding]:
    """`check_objectives` as it was before its findings were made without `replace`, with
    the repeats found by the full ratios."""
    import dataclasses

    from okrflow.engine.focus import check_objective_focus
    from okrflow.engine.quality import (
        check_key_result,
        check_objective_title,
        finding_order,
        owner_findings,
    )

    findings: list[Finding] = []
    for o_index, objective in enumerate(objectives):
        own = check_objective_title(objective.title, objective.lang)
        for index, kr in enumerate(objective.key_results):
            own += [dataclasses.replace(f, key_result=index) for f in check_key_result(kr, Q2)]
        for focus in check_objective_focus(len(objective.key_results), rules):
            params = {"count": focus.count, "min": focus.minimum, "max": focus.maximum}
            own.append(Finding(focus.code, params=params))
        texts = [kr.text for kr in objective.key_results]
        own += [
            Finding("kr_duplicate", key_result=index, params={"same_as": same_as})
            for index, same_as in plain_duplicates(texts)
        ]
        findings += [dataclasses.replace(f, objective=o_index) for f in own]
    findings += owner_findings(objectives, rules)
    return sorted(findings, key=lambda f: (*finding_order(f)[:2], list(RULES).index(f.rule)))


SENTENCES = [
    "Reach 100 qualified leads (1.0)",
    "Reach 110 qualified leads (1.1)",
    "Tăng doanh thu từ 10 lên 12 tỷ",
    "Tổ chức hội nghị khách hàng",
    "Improve customer satisfaction",
    "Top 3 in the market by 30/6",
    "Giảm churn xuống 5%",
]


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Win the market", "Top 3 brand", "Grow 10.000 users"]),
            st.lists(st.sampled_from(SENTENCES), max_size=8),
            st.sampled_from(["a", "b", None]),
        ),
        max_size=6,
    )
)
def test_check_objectives_finds_what_it_found_before(
    objectives: list[tuple[str, list[str], str | None]],
) -> None:
    """Every finding of a set of objectives, in order: the same as the checker as first
    written (findings placed by `replace`, repeats by difflib's full ratios)."""
    rules = FocusRules()
    drafts = [
        ObjectiveDraft(
            title,
            "en",
            owner,
            "person" if owner else None,
            tuple(draft_from_sentence(text, "en", Q2) for text in texts),
        )
        for title, texts, owner in objectives
    ]
    assert check_objectives(drafts, Q2, rules) == findings_as_first_written(drafts, rules)


def draft_as_first_written(text: str, *, shape: str, lang: str | None, **figures: Any) -> Any:
    """`draft_from_figures` as it was first written: a base draft, then `replace`."""
    import dataclasses

    from okrflow.engine.kr_parser import detect_language

    due, start, target = figures["due"], figures["start"], figures["target"]
    base = KeyResultDraft(
        text=text, lang=lang or detect_language(text), deadline_stated=due is not None, due=due
    )
    if shape == "milestone":
        return dataclasses.replace(base, kind="milestone")
    if shape == "recurring":
        per_period = figures["per_period"]
        count = Decimal(per_period) if per_period is not None else None
        return dataclasses.replace(base, kind="recurring", target=count, direction="at_least")
    if shape == "relative":
        named = bool(figures["baseline_label"]) or start is not None
        return dataclasses.replace(
            base,
            kind="percentage",
            target=figures["relative_change"],
            direction=figures["direction"],
            relative=True,
            baseline_named=named,
        )
    if shape == "threshold":
        kind = "percentage" if figures["unit"].strip() == "%" else "metric"
    else:
        kind = shape if shape in ("percentage", "currency", "metric") else "metric"
    return dataclasses.replace(
        base,
        kind=kind,
        start=start,
        target=target,
        direction=figures["direction"],
        baseline_named=start is not None or bool(figures["baseline_label"]),
    )


NUMBERS = st.one_of(st.none(), st.sampled_from([Decimal("0"), Decimal("12.5"), Decimal("-3")]))


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(["Reach 100 leads", "Tăng doanh thu", ""]),
    st.sampled_from(
        ["metric", "threshold", "percentage", "currency", "relative", "milestone", "recurring"]
    ),
    st.sampled_from([None, "vi", "en"]),
    st.sampled_from(["increase", "decrease", "at_least"]),
    NUMBERS,
    NUMBERS,
    st.sampled_from(["", "%", " % ", "pts"]),
    NUMBERS,
    st.sampled_from(["", "last quarter"]),
    st.sampled_from([None, 1, 4]),
    st.sampled_from([None, datetime.date(2026, 5, 1)]),
)
def test_draft_from_figures_is_the_draft_first_written(
    text: str,
    shape: str,
    lang: str | None,
    direction: str,
    start: Decimal | None,
    target: Decimal | None,
    unit: str,
    change: Decimal | None,
    label: str,
    per_period: int | None,
    due: datetime.date | None,
) -> None:
    figures = {
        "direction": direction,
        "start": start,
        "target": target,
        "unit": unit,
        "relative_change": change,
        "baseline_label": label,
        "per_period": per_period,
        "due": due,
    }
    made = draft_from_figures(text, shape=shape, lang=lang, **figures)
    assert made == draft_as_first_written(text, shape=shape, lang=lang, **figures)
