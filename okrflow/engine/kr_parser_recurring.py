"""Decide whether a key result is a recurring commitment and at what rate.

Rules:
* A count or a duration with its own period ("1 lần/tuần", "50 khách hàng mỗi tuần", "twice a
  month", "2 posts per week", "30 phút mỗi ngày") is recurring at that amount per period.
* A period word on its own ("hàng tuần", "mỗi thứ 6", "weekly", "every Monday") makes the
  sentence recurring at once per period when the sentence has no other number, or when it
  opens the sentence ("Hàng tuần đăng 3 bài" is 3 per week). Elsewhere it only qualifies
  the metric ("Grow weekly active users to 10,000" is a metric), and so does an opening one
  when the number is stated as a level ("Weekly active users reach 50K").
* "every other week", "biweekly", "2 tuần một lần" count as 0.5 per week.
* There is no yearly period: "hàng năm"/"annually" never makes a key result recurring.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from okrflow.engine.kr_parser_dates import blank
from okrflow.engine.kr_parser_lexicon import PERIOD_ADVERBS, PERIODS, WEEKDAYS_EN
from okrflow.engine.kr_parser_quantities import Quantity
from okrflow.engine.kr_parser_units import TIMES_WORD

_WEEKDAY_RE = "|".join(WEEKDAYS_EN)
MAX_GAP_WORDS = 3
_MARKERS: list[tuple[re.Pattern[str], str | None]] = [
    (re.compile(r"\b(?:hàng|hằng|mỗi|định kỳ)\s+(?P<p>ngày|tuần|tháng|quý)\b"), None),
    (re.compile(r"\bmỗi\s+(?:(?:buổi\s+)?(?:sáng|chiều|tối|trưa)\s+)?thứ\b"), "week"),
    (re.compile(r"\b(?P<adv>daily|weekly|monthly|quarterly)\b"), None),
    (re.compile(r"\b(?:every|each)\s+(?P<p>day|week|month|quarter)\b"), None),
    (re.compile(rf"\b(?:every|each|on)\s+(?:{_WEEKDAY_RE})s?\b|\b(?:{_WEEKDAY_RE})s\b"), "week"),
]
_STATED = re.compile(r"\b(?:reach|reaches|hit|hits|đạt|đạt được)\s*$")
_BIWEEKLY = re.compile(
    r"\bbi-?weekly\b|\bfortnightly\b|\bevery\s+(?:other|two|2)\s+weeks?\b|"
    r"\b(?:2|hai)\s+tuần\s+(?:một|1)\s+lần\b"
)


@dataclass(frozen=True)
class Marker:
    """A period word standing on its own, such as "hàng tuần" or "weekly"."""

    start: int
    per: str
    count: Decimal


def marker_period(match: re.Match[str], fixed: str | None) -> str:
    """Return the period a marker names."""
    if fixed:
        return fixed
    if match.groupdict().get("adv"):
        return PERIOD_ADVERBS[match["adv"]]
    return PERIODS[match["p"]]


def find_markers(text: str) -> tuple[list[Marker], str]:
    """Find standalone period words; blank "every other week" so its digit is no target."""
    markers = []
    for pattern, fixed in _MARKERS:
        for match in pattern.finditer(text):
            markers.append(Marker(match.start(), marker_period(match, fixed), Decimal(1)))
    for match in _BIWEEKLY.finditer(text):
        markers.append(Marker(match.start(), "week", Decimal("0.5")))
        text = blank(text, match.start(), match.end())
    return sorted(markers, key=lambda marker: marker.start), text


def once_per(marker: Marker, lang: str) -> Quantity:
    """Build the implied "once per period" target of a bare period word."""
    return Quantity(
        start=marker.start,
        end=marker.start,
        unit_end=marker.start,
        value=marker.count,
        unit=TIMES_WORD[lang],
        category="count",
        lead_start=marker.start,
        per=marker.per,
    )


def find_recurring(
    text: str, quantities: list[Quantity], markers: list[Marker], lang: str
) -> Quantity | None:
    """Return the recurring target of the sentence, or None when it is not recurring."""
    for quantity in quantities:
        if quantity.per and quantity.category in ("count", "duration"):
            return quantity
    if not markers:
        return None
    trailing = marker_after_count(text, quantities, markers)
    if trailing:
        return trailing
    marker = markers[0]
    if not quantities:
        return once_per(marker, lang)
    opening = not text[: marker.start].strip()
    stated = _STATED.search(text[: quantities[0].start])
    if opening and quantities[0].category == "count" and not stated:
        return replace(quantities[0], per=marker.per)
    return None


def marker_after_count(
    text: str, quantities: list[Quantity], markers: list[Marker]
) -> Quantity | None:
    """Apply a period word that closely follows a count ("3 posts every two weeks")."""
    for quantity in quantities:
        if quantity.category != "count":
            continue
        for marker in markers:
            gap = text[quantity.unit_end : marker.start]
            if marker.start >= quantity.unit_end and len(gap.split()) <= MAX_GAP_WORDS:
                return replace(quantity, value=quantity.value * marker.count, per=marker.per)
    return None
