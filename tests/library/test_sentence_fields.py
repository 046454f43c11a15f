"""A parsed sentence mapped to a stored key result's shape: the kinds the real-sentence corpus added."""

from __future__ import annotations

from decimal import Decimal

import pytest

from okrflow.engine.kr_parser import parse_key_result
from okrflow.engine.quality import check_key_result
from okrflow.engine.quality_drafts import draft_from_sentence
from okrflow.library.sentence import fields_from_parse


@pytest.mark.parametrize(
    "text",
    ["Ký kết thành công [số lượng] hợp đồng trong [thời gian]", "Increase NPS from X to Y"],
)
def test_a_template_imports_as_a_milestone_and_is_flagged(text: str) -> None:
    fields = fields_from_parse(parse_key_result(text))
    assert (fields.shape, fields.target_value) == ("milestone", None)
    draft = draft_from_sentence(text)
    assert not draft.measurable
    codes = {finding.rule for finding in check_key_result(draft)}
    assert codes & {"kr_not_measurable", "kr_is_activity"}


def test_a_duration_pair_in_two_units_keeps_one_unit() -> None:
    fields = fields_from_parse(parse_key_result("Rút ngắn thời gian duyệt từ 2 giờ xuống 30 phút"))
    assert (fields.shape, fields.direction) == ("metric", "decrease")
    assert (fields.start_value, fields.target_value, fields.unit) == (
        Decimal(120),
        Decimal(30),
        "minutes",
    )


def test_a_rate_with_a_baseline_is_a_metric_not_a_rhythm() -> None:
    fields = fields_from_parse(parse_key_result("Reduce P1 incidents from 8/quarter to 2/quarter"))
    assert (fields.shape, fields.start_value, fields.target_value) == (
        "metric",
        Decimal(8),
        Decimal(2),
    )
