"""Turn the numbers of a key-result sentence into quantities with unit, bound and period.

Rules:
* A bound is written right before the number ("tối thiểu 100", "at least 100", "under 2h")
  or right after it ("100+", "100 khách hàng trở lên", "5 or more").
* A count is per period when a period follows its noun within three words ("1 lần/tuần",
  "3 bài viết trên fanpage mỗi tuần", "2 posts per week") or precedes the number
  ("mỗi tuần 2 lần"). "once", "twice", "three times a week", "hai lần mỗi tháng" are counts.
* "top 5" / "#1" is a rank: a metric whose target is an upper bound.
* "double"/"gấp đôi" is a relative +100 %, "triple"/"gấp ba" +200 %, "halve" -50 %.
* Counts listed together with only a few words between them ("1 nhân viên nội dung và 2
  nhân viên SEO", "4 infographic, 1 slide, 1 video") add up into one target; when their nouns
  differ the unit becomes "hạng mục" / "item".
* "zero incidents" is a count of 0. "-50%" on its own is a relative decrease of 50 %.
* Glued units: "200ms", "1.5s", "30min", "24h", "3d" are durations, "5kg" and "10km" measures;
  "2D"/"3D" in capitals are labels, not days.
* A baseline and target ("từ 65% lên 80%", "from 2 hours to 30 minutes", "30 → 50") are of one
  kind: both percents, both money, both counts, or both durations. Durations in two units are
  both expressed in the smaller unit: "từ 6 phút xuống 3 giây" is 360 → 3 seconds, "from 1
  minute to 90 seconds" 60 → 90 seconds. Each side may carry a per-item or per-period suffix
  ("6 phút/CV", "8/quarter").
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, replace
from decimal import Decimal

from okrflow.engine.kr_parser_dates import blank
from okrflow.engine.kr_parser_lexicon import (
    AT_LEAST_AFTER,
    AT_LEAST_BEFORE,
    AT_MOST_AFTER,
    AT_MOST_BEFORE,
    MONEY_CONTEXT,
    PERIOD_ADVERBS,
    PERIODS,
    VI_UNITS,
    WORD_COUNTS,
)
from okrflow.engine.kr_parser_units import (
    DURATIONS,
    GLUED_MEASURES,
    GLUED_UNITS,
    TIMES_WORD,
    read_unit,
)
from okrflow.engine.numbers import NumberSpan, find_numbers

ITEM_WORD = {"vi": "hạng mục", "en": "item"}
RANK_WORD = {"vi": "thứ hạng", "en": "rank"}
MAX_LIST_GAP_WORDS = 5


@dataclass(frozen=True)
class Quantity:
    """A number in the sentence together with what it counts and how it is bounded."""

    start: int
    end: int
    unit_end: int
    value: Decimal
    unit: str | None
    category: str
    bound: str | None = None
    lead_start: int = 0
    per: str | None = None
    hint: str | None = None


def phrase_pattern(phrases: tuple[str, ...]) -> str:
    """Build a regex alternation, longest phrase first."""
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


def bound_regex(lang: str) -> re.Pattern[str]:
    """Match a bound phrase ending right before a number."""
    least = phrase_pattern(AT_LEAST_BEFORE[lang])
    most = phrase_pattern(AT_MOST_BEFORE[lang])
    return re.compile(rf"(?:^|(?<=[\s(]))(?:(?P<most>{most})|(?P<least>{least}))\s*$")


_BOUND_BEFORE = {lang: bound_regex(lang) for lang in ("vi", "en")}
_BOUND_AFTER = re.compile(
    rf"\s*(?:(?P<least>{phrase_pattern(AT_LEAST_AFTER)})|(?P<most>{phrase_pattern(AT_MOST_AFTER)}))"
)
_PERIOD_RE = phrase_pattern(tuple(PERIODS))
_PER_AFTER = re.compile(
    rf"\s*(?:[^\W\d_][\w-]*\s+){{0,3}}?(?:(?:/|mỗi|một|trên|hàng|hằng|per|a|an|each|every)"
    rf"\s*(?P<p>{_PERIOD_RE})|(?P<adv>daily|weekly|monthly|quarterly))(?![^\W\d_])"
)
_PER_BEFORE = re.compile(rf"(?:mỗi|hàng|hằng|every|each|per)\s+(?P<p>{_PERIOD_RE})\s*$")
_WORD_FREQ = re.compile(
    rf"\b(?P<w>once|twice|thrice|(?:one|two|three|four|five|six|seven|eight|nine|ten)\s+times|"
    rf"(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười)\s+lần)\s*"
    rf"(?:/|a|an|per|each|every|mỗi|một|trên)\s*(?P<p>{_PERIOD_RE})\b"
)
_RANK = re.compile(r"\btop\s*(?P<n>\d{1,3})\b|(?<![\w#])#\s?(?P<n2>\d{1,3})\b")
_MULTIPLIER = re.compile(
    r"\b(?:(?P<double>double|gấp đôi|gấp hai)|(?P<triple>triple|gấp ba)|"
    r"(?P<quad>quadruple|gấp bốn)|(?:gấp (?P<n>\d{1,2}) lần|x(?P<x>\d{1,2}))|"
    r"(?P<half>halve|(?:by|in) half|một nửa))\b"
)
_LIST_GAP = re.compile(r"(?:,|\bvà|\band|&|\+)\s*$")


def find_bound(text: str, start: int, end: int, unit_end: int, lang: str) -> tuple[str | None, int]:
    """Return the bound written around a number and where the text before the bound ends."""
    match = _BOUND_BEFORE[lang].search(text[:start])
    if match:
        return ("at_most" if match["most"] else "at_least"), match.start()
    for pos in (end, unit_end):
        after = _BOUND_AFTER.match(text, pos)
        if after:
            return ("at_most" if after["most"] else "at_least"), start
    return None, start


def period_of(match: re.Match[str]) -> str:
    """Return the period named by a `_PER_AFTER`-style match."""
    if match.groupdict().get("adv"):
        return PERIOD_ADVERBS[match["adv"]]
    return PERIODS[match["p"]]


def find_per(text: str, unit_end: int, lead_start: int) -> str | None:
    """Return the period a count is measured per, if the sentence gives one next to it."""
    after = _PER_AFTER.match(text, unit_end)
    if after:
        return period_of(after)
    before = _PER_BEFORE.search(text[:lead_start])
    return PERIODS[before["p"]] if before else None


def classify_span(
    text: str, span: NumberSpan, lang: str, cased: str | None = None
) -> tuple[str | None, str, int]:
    """Return (unit, category, unit_end) for a number found in the text."""
    if span.percent:
        return "%", "percent", span.end
    if span.currency:
        return span.currency, "currency", span.end
    if span.glued_unit == "x":
        return TIMES_WORD[lang], "count", span.end
    if span.glued_unit in GLUED_MEASURES:
        return GLUED_MEASURES[span.glued_unit], "count", span.end
    if span.glued_unit:
        return GLUED_UNITS[span.glued_unit], "duration", span.end
    pos = span.end + 1 if text[span.end : span.end + 1] == "+" else span.end
    unit, unit_end = read_unit(text, pos, lang, cased)
    if unit not in VI_UNITS.values() and is_bare_money(text, span, lang):
        return "VND", "currency", span.end
    if unit == "%":
        return "%", "percent", unit_end
    return unit, ("duration" if unit in DURATIONS else "count"), unit_end


def is_bare_money(text: str, span: NumberSpan, lang: str) -> bool:
    """Tell whether "5 tỷ" with no currency means money because the sentence talks revenue."""
    raw = span.raw.lower()
    big = any(word in raw for word in ("tỷ", "tỉ", "triệu", "tr")) or raw.endswith("k")
    return lang == "vi" and big and any(word in text for word in MONEY_CONTEXT)


_PAIR_WORD_BEFORE = re.compile(r"(?:từ|from|to|đến|lên|xuống|còn|->|→|=>)\s*$")


def quantity_from_span(
    text: str, span: NumberSpan, lang: str, cased: str | None = None
) -> Quantity:
    """Build a Quantity from a NumberSpan and the words around it."""
    unit, category, unit_end = classify_span(text, span, lang, cased)
    bound, lead_start = find_bound(text, span.start, span.end, unit_end, lang)
    per = find_per(text, unit_end, lead_start)
    if span.glued_unit == "x" and per is None:
        # "3x" with no period is a multiplier: "Grow pipeline 3x" is +200 %.
        return relative_change(span.start, span.end, (span.value - 1) * 100, "increase")
    if (
        category == "percent"
        and span.value < 0
        and not _PAIR_WORD_BEFORE.search(text[: span.start])
    ):
        # "Complaints about reliability -50%": a signed change, not a level.
        return relative_change(span.start, span.end, -span.value, "decrease")
    return Quantity(
        start=span.start,
        end=span.end,
        unit_end=unit_end,
        value=span.value,
        unit=unit,
        category=category,
        bound=bound,
        lead_start=lead_start,
        per=per,
    )


def word_frequencies(text: str, lang: str) -> tuple[list[Quantity], str]:
    """Find "twice a month" / "hai lần mỗi tuần" and blank them."""
    found = []
    for match in _WORD_FREQ.finditer(text):
        count = WORD_COUNTS[match["w"].split()[0]]
        bound, lead_start = find_bound(text, match.start(), match.end(), match.end(), lang)
        quantity = Quantity(
            start=match.start(),
            end=match.end(),
            unit_end=match.end(),
            value=Decimal(count),
            unit=TIMES_WORD[lang],
            category="count",
            bound=bound,
            lead_start=lead_start,
            per=PERIODS[match["p"]],
        )
        found.append(quantity)
        text = blank(text, match.start(), match.end())
    return found, text


def ranks(text: str, lang: str) -> tuple[list[Quantity], str]:
    """Find "top 5" / "#1" and blank them."""
    found = []
    for match in _RANK.finditer(text):
        value = Decimal(match["n"] or match["n2"])
        found.append(
            Quantity(
                start=match.start(),
                end=match.end(),
                unit_end=match.end(),
                value=value,
                unit=RANK_WORD[lang],
                category="rank",
                bound="at_most",
                lead_start=match.start(),
            )
        )
        text = blank(text, match.start(), match.end())
    return found, text


def multiplier_value(match: re.Match[str]) -> tuple[Decimal, str]:
    """Return the relative change in percent and its direction for "double", "gấp 3 lần"."""
    if match["half"]:
        return Decimal(50), "decrease"
    factor = 2 if match["double"] else 3 if match["triple"] else 4 if match["quad"] else None
    factor = factor or int(match["n"] or match["x"])
    return Decimal((factor - 1) * 100), "increase"


def relative_change(start: int, end: int, value: Decimal, direction: str) -> Quantity:
    """Build the relative percent change a multiplier stands for."""
    return Quantity(
        start=start,
        end=end,
        unit_end=end,
        value=value,
        unit="%",
        category="percent",
        lead_start=start,
        hint=direction,
    )


def multipliers(text: str) -> tuple[list[Quantity], str]:
    """Find "double", "gấp đôi", "x2", "halve" and blank them."""
    found = []
    for match in _MULTIPLIER.finditer(text):
        value, direction = multiplier_value(match)
        found.append(relative_change(match.start(), match.end(), value, direction))
        text = blank(text, match.start(), match.end())
    return found, text


_ZERO = re.compile(r"\bzero\b")


def zeros(text: str, lang: str) -> tuple[list[Quantity], str]:
    """Find "zero incidents" and blank the word."""
    found = []
    for match in _ZERO.finditer(text):
        unit, unit_end = read_unit(text, match.end(), lang)
        found.append(
            Quantity(
                start=match.start(),
                end=match.end(),
                unit_end=unit_end,
                value=Decimal(0),
                unit=unit,
                category="count",
                lead_start=match.start(),
            )
        )
        text = blank(text, match.start(), match.end())
    return found, text


def find_quantities(text: str, lang: str, cased: str | None = None) -> list[Quantity]:
    """Find every quantity in masked text, left to right."""
    special: list[Quantity] = []
    for finder in (word_frequencies, ranks, zeros):
        found, text = finder(text, lang)
        special += found
    found, text = multipliers(text)
    special += found
    spans = [quantity_from_span(text, span, lang, cased) for span in find_numbers(text, lang)]
    return sorted(special + spans, key=lambda quantity: quantity.start)


def joins_list(text: str, left: Quantity, right: Quantity) -> bool:
    """Tell whether two counts are items of one list ("1 slide, 1 video")."""
    gap = text[left.end : right.start]
    close = len(gap.split()) <= MAX_LIST_GAP_WORDS and _LIST_GAP.search(gap)
    plain = right.bound is None and right.per is None and right.category == "count"
    return bool(close and plain)


def merge_list(text: str, quantities: list[Quantity], index: int, lang: str) -> Quantity:
    """Add up a list of counts starting at `index` into one quantity."""
    first = quantities[index]
    if first.category != "count" or first.per:
        return first
    items = [first]
    for following in quantities[index + 1 :]:
        if not joins_list(text, items[-1], following):
            break
        items.append(following)
    if len(items) == 1:
        return first
    units = {item.unit for item in items}
    unit = units.pop() if len(units) == 1 else ITEM_WORD[lang]
    total = sum((item.value for item in items), Decimal(0))
    return replace(first, end=items[-1].end, unit_end=items[-1].unit_end, value=total, unit=unit)


_PAIR_GAP = re.compile(
    r"(?:\s*/\s*[^\W\d_]+(?:\s+[^\W\d_]+)?)?"
    r"\s*(?:lên mức|lên tới|lên đến|lên|xuống còn|xuống mức|xuống|đến|tới|còn|thành|to|->|→|=>)\s*"
)
_PAIR_START = re.compile(r"(?:^|\s)(?:từ mức|từ|from)\s*$")
_ARROW = re.compile(r"\s*(?:->|→|=>)\s*")


def same_kind(left: Quantity, right: Quantity) -> bool:
    """Tell whether two quantities can be a baseline and its target."""
    if left.category == "count" and left.unit is None:
        return right.category in ("count", "duration", "rank", "currency")
    return left.category == right.category or (right.category == "count" and right.unit is None)


def find_pair(text: str, quantities: list[Quantity]) -> tuple[Quantity, Quantity] | None:
    """Find a baseline and target written as "từ 65% lên 80%", "from 8% to 5%" or "30 → 50"."""
    for left, right in itertools.pairwise(quantities):
        if not same_kind(left, right):
            continue
        gap = text[left.unit_end : right.lead_start]
        if not _PAIR_GAP.fullmatch(gap):
            continue
        if _ARROW.fullmatch(gap) or _PAIR_START.search(text[: left.lead_start]):
            return left, right
    return None
