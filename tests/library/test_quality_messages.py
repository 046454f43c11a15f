"""Every checker rule has words in both languages; typed text is checked like an import."""

from __future__ import annotations

import datetime

import pytest
from django.utils import translation

from okrflow.engine.quality import RULES, Finding
from okrflow.engine.quality_dates import Window
from okrflow.library.checking import check_text
from okrflow.library.quality_messages import MESSAGES, describe
from okrflow.library.writing_help import check_writing, read_typed

Q2 = Window(datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
PARAMS = {
    "number": "3",
    "verb": "tổ chức",
    "due": "2026-03-31",
    "start": "2026-04-01",
    "end": "2026-06-30",
    "target": "5",
    "same_as": 0,
    "count": 2,
    "min": 3,
    "max": 5,
    "owner": "Marketing",
    "direction": "increase",
}


def test_every_rule_has_a_message_and_a_hint() -> None:
    assert set(MESSAGES) == set(RULES)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("rule", sorted(RULES))
def test_messages_render_in_both_languages(rule: str, lang: str) -> None:
    with translation.override(lang):
        message, hint = describe(Finding(rule, params=PARAMS))
    assert message.strip() and hint.strip() and "%(" not in message + hint


def test_deadline_message_shows_dates_the_vietnamese_way() -> None:
    with translation.override("vi"):
        message, _hint = describe(Finding("kr_deadline_outside_cycle", params=PARAMS))
    assert "31/03/2026" in message and "01/04/2026 – 30/06/2026" in message
    with translation.override("en"):
        message, _hint = describe(Finding("kr_deadline_outside_cycle", params=PARAMS))
    assert "31 Mar 2026" in message and "1 Apr 2026 – 30 Jun 2026" in message


def test_check_text_for_the_editor() -> None:
    findings = check_text(
        "Mạnh mẽ chiếm lĩnh Top 3 thị phần",
        ["Tổ chức hội nghị khách hàng trong tháng 4", "", "Tăng NPS từ 30 lên 45 trước 30/6"],
        window=Q2,
    )
    assert [(f.rule, f.label) for f in findings] == [
        ("objective_has_number", "O1"),
        ("too_few_key_results", "O1"),
        ("kr_is_activity", "O1 · KR1"),
    ]
    assert findings[2].subject == "Tổ chức hội nghị khách hàng trong tháng 4"
    assert findings[0].to_json()["severity"] == "warning"
    # Without an objective yet, only the key results are judged.
    only_krs = check_text("", ["Improve quality"], lang="en")
    assert [f.rule for f in only_krs] == ["kr_not_measurable", "kr_no_deadline"]


def test_writing_help_reads_loose_lines() -> None:
    read = read_typed("Make onboarding effortless\nCut setup time from 5 days to 2 by June 30\n\n")
    assert [o.title for o in read.objectives] == ["Make onboarding effortless"]
    assert [(kr.line, kr.title) for kr in read.objectives[0].key_results] == [
        (2, "Cut setup time from 5 days to 2 by June 30")
    ]
    result = check_writing("Make onboarding effortless\n- Hold a webinar in May", window=Q2)
    [row] = result.rows
    assert [f.rule for f in row["findings"]] == ["too_few_key_results"]
    [(kr, findings)] = row["key_results"]
    assert kr.shape == "milestone" and [f.rule for f in findings] == ["kr_is_activity"]
    assert result.warning_count == 1
    assert read_typed("   \n").objectives == []
