"""How library pages write a key result's figures, in each language."""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.utils import translation

from okrflow.library.catalog import all_templates
from okrflow.library.templatetags.okrlibrary import due, kr_summary, shape_icon
from tests.conftest import PASSWORD, World


def kr(**fields: object) -> SimpleNamespace:
    base = {"shape": "metric", "unit": "", "currency": "", "direction": "increase",
            "start_value": None, "target_value": None, "relative_change": None,
            "baseline_label": "", "per_period": None, "period": ""}  # fmt: skip
    return SimpleNamespace(**(base | fields))


@pytest.mark.parametrize(
    ("fields", "vi", "en"),
    [
        ({"shape": "percentage", "unit": "%", "start_value": Decimal(65), "target_value": Decimal(80)}, "65% → 80%", "65% → 80%"),
        ({"start_value": Decimal(0), "target_value": Decimal(10000), "unit": "khách hàng"}, "0 → 10.000 khách hàng", "0 → 10,000 khách hàng"),
        ({"shape": "threshold", "direction": "at_least", "target_value": Decimal("0.7"), "unit": "điểm"}, "≥ 0,7 điểm", "≥ 0.7 điểm"),
        ({"shape": "threshold", "direction": "at_most", "target_value": Decimal(30), "unit": "phút"}, "≤ 30 phút", "≤ 30 phút"),
        ({"shape": "relative", "relative_change": Decimal(20), "baseline_label": "quý I"}, "+20% so với quý I", "+20% vs quý I"),
        ({"shape": "relative", "relative_change": Decimal(-10)}, "-10%", "-10%"),
        ({"shape": "recurring", "per_period": 1, "period": "week", "unit": "bản tin"}, "1× bản tin", "1× bản tin per week"),
        ({"shape": "currency", "currency": "VND", "start_value": Decimal(4200000000), "target_value": Decimal(5500000000)}, "4,2 tỷ đồng → 5,5 tỷ đồng", "VND 4.2B → VND 5.5B"),
        ({"shape": "milestone"}, "", ""),
    ],
)  # fmt: skip
def test_kr_summary(fields: dict, vi: str, en: str) -> None:
    with translation.override("en"):
        assert kr_summary(kr(**fields)) == en
    # Vietnamese numbers; the words after them ("vs", "per week") come from the catalogue.
    with translation.override("vi"):
        assert kr_summary(kr(**fields)).startswith(vi)


def test_small_helpers() -> None:
    assert shape_icon("milestone") == "◆" and shape_icon("other") == "•"
    with translation.override("vi"):
        assert due(datetime.date(2026, 6, 30)) == "30/6"
    with translation.override("en"):
        assert due(datetime.date(2026, 6, 30)) == "30 Jun"  # day first, as every English date here
    assert due(None) == ""


MONTH_FIRST = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}\b")
DAY_FIRST = re.compile(r"\b\d{1,2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b")


@pytest.mark.parametrize("language", ["vi", "en"])
def test_template_page_writes_due_days_in_the_readers_language(
    client: Client, world: World, language: str
) -> None:
    world.member.language = language
    world.member.save(update_fields=["language"])
    assert client.login(username=world.member.user.username, password=PASSWORD)
    key = all_templates()[0].key
    page = client.get(f"/library/templates/{key}/?lang=en").content.decode()
    dues = re.findall(r"(?:due|hạn chót) ([^<]+)</span>", page)
    assert dues, "the template shows its key results' due days"
    assert not MONTH_FIRST.search(page)
    if language == "vi":
        assert all(re.fullmatch(r"\d{1,2}/\d{1,2}", day) for day in dues)
    else:
        assert all(DAY_FIRST.fullmatch(day) for day in dues)
