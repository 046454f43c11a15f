"""Parse a free-text key result (Vietnamese or English) into a structured target.

Kinds:
* "percentage" / "currency" / "metric": the main number is a percent, money or anything
  else (counts, durations, scores, ranks).
* "recurring": a count per day/week/month/quarter ("1 lần/tuần", "twice a month", "hàng
  tuần", "weekly"); `target` is the count per period, `per` the period. A period word next
  to a percent or money ("churn dưới 2% mỗi tháng") only qualifies the metric.
* "milestone": no number, but a deadline ("Tổ chức hội nghị khách hàng trong tháng 4") or a
  clear done-state: the sentence opens with a deliverable verb ("Launch", "Ra mắt",
  "Hoàn thành", "Migrate"...) or describes a reached state ("được hiển thị", "first page").
  Measurable, direction "achieve", no target.
* "activity": no number, no deadline, no done-state: an open-ended effort ("Tổ chức sự kiện
  khuyến mại", "Work on the blog"). Not measurable, direction "none".

Direction, first rule that applies:
1. A baseline and target ("từ 65% lên 80%", "from 8% to 5%"): compare the two numbers.
2. "double"/"halve" and friends: increase / decrease.
3. "lên" before the target: increase; "xuống"/"còn"/"down to": decrease.
4. A change verb before the target ("tăng", "giảm", "increase", "reduce"), unless a stating
   word ("đạt", "reach", "of") sits between: its direction. "improve"/"cải thiện"/"tối ưu"
   take the written bound, else decrease for lower-is-better metrics (time, churn, cost,
   bugs...) and increase otherwise.
5. A bound next to the number: at_least ("tối thiểu", "ít nhất", "at least", "100+") or
   at_most ("tối đa", "không vượt quá", "dưới", "under", "within", "top 5").
6. Recurring targets default to at_least; everything else to "achieve".

Relative (the target is a change from an unstated or past baseline): false when a start is
given or the target follows "lên"/"xuống"/"to"/"đạt"/"reach"; true after "by"/"thêm", for
"double"/"gấp đôi", when comparing against another party ("so với đối thủ"), or when a
change verb is followed by the number with no level word ("Tăng 15% lượng tải", "Grow
traffic 40% YoY"). With a bound and words between verb and number ("Lower cost per lead
below $40") the bound states a level, so it is not relative.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from okrflow.engine.kr_parser_dates import (
    Deadline,
    blank,
    extract_baseline,
    extract_deadline,
    mask_noise,
    mask_ranges,
)
from okrflow.engine.kr_parser_lexicon import (
    DECREASE_VERBS,
    DONE_STATES,
    DONE_VERBS,
    DOWN_PARTICLES,
    GOVERNED_CONNECTORS,
    INCREASE_VERBS,
    LEAD_FILLERS,
    LOWER_IS_BETTER,
    RELATIVE_CONNECTORS,
    STATING_CONNECTORS,
    UP_PARTICLES,
    WEAK_VERBS,
    phrases,
)
from okrflow.engine.kr_parser_quantities import (
    Quantity,
    find_pair,
    find_quantities,
    merge_list,
    phrase_pattern,
)
from okrflow.engine.kr_parser_recurring import find_markers, find_recurring
from okrflow.engine.kr_parser_units import look_back_unit
from okrflow.engine.numbers import check_language

KIND_BY_CATEGORY = {"percent": "percentage", "currency": "currency"}
_VI_STRONG_MARKS = ("\u0309", "\u0323", "\u031b", "\u0306")
_VI_MARKS = ("\u0300", "\u0301", "\u0303", "\u0302", *_VI_STRONG_MARKS)
_VI_PLAIN_WORDS = frozenset(
    phrases(
        "khach|hang|thang|quy|tang|giam|dat|toi|thieu|nhat|cua|va|cho|cac|nhung|duoc|nguoi|"
        "trong|doanh|thu|so|voi|luong"
    )
)
_PUNCTUATION = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\u00a0": " "})
_LABEL = re.compile(r"^\s*(?:[-•*–]\s+)?(?:kr\s*\d*\s*[:.)–-]\s*)?")


@dataclass(frozen=True)
class ParsedKeyResult:
    """What a key-result sentence commits to, in a form the engine can track."""

    text: str
    lang: str
    measurable: bool
    kind: str
    start: Decimal | None
    target: Decimal | None
    relative: bool
    unit: str | None
    direction: str
    deadline: Deadline | None
    per: str | None

    def to_json(self) -> dict[str, object]:
        """Return the parse as a JSON-ready dict."""
        return {
            "measurable": self.measurable,
            "kind": self.kind,
            "start": json_number(self.start),
            "target": json_number(self.target),
            "relative": self.relative,
            "unit": self.unit,
            "direction": self.direction,
            "deadline": self.deadline.to_json() if self.deadline else None,
            "per": self.per,
            "text": self.text,
            "lang": self.lang,
        }


@dataclass(frozen=True)
class Lead:
    """The words in front of the target: the connector right before it and the verb."""

    connector: str | None
    verb: str | None
    verb_end: int
    verb_adjacent: bool


def json_number(value: Decimal | None) -> int | float | None:
    """Return an int for integral values, a float otherwise."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def detect_language(text: str) -> str:
    """Return "vi" for Vietnamese (diacritics or common words), else "en"."""
    decomposed = unicodedata.normalize("NFD", text)
    if "đ" in text.lower() or any(mark in decomposed for mark in _VI_STRONG_MARKS):
        return "vi"
    accented = [w for w in decomposed.split() if any(mark in w for mark in _VI_MARKS)]
    plain = [w for w in re.findall(r"[a-z]+", text.lower()) if w in _VI_PLAIN_WORDS]
    return "vi" if len(accented) >= 2 or len(plain) >= 2 else "en"


def prepare_text(text: str) -> str:
    """Normalise, lowercase (keeping offsets) and blank a leading bullet or "KR1:" label."""
    text = unicodedata.normalize("NFC", text).translate(_PUNCTUATION)
    lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    label = _LABEL.match(lowered)
    return blank(lowered, 0, label.end()) if label else lowered


def connector_regex(lang: str) -> re.Pattern[str]:
    """Match the connector word that ends right before a target."""
    groups = {
        "up": UP_PARTICLES,
        "down": DOWN_PARTICLES,
        "governed": GOVERNED_CONNECTORS,
        "stating": STATING_CONNECTORS[lang],
        "relative": RELATIVE_CONNECTORS,
    }
    pattern = "|".join(f"(?P<{name}>{phrase_pattern(words)})" for name, words in groups.items())
    return re.compile(rf"(?:^|(?<=\s))(?:{pattern})\s*$")


def verb_regex(lang: str) -> re.Pattern[str]:
    """Match change verbs of one language."""
    parts = {"increase": INCREASE_VERBS, "decrease": DECREASE_VERBS, "weak": WEAK_VERBS}
    pattern = "|".join(
        f"(?P<{name}>{phrase_pattern(words[lang])})" for name, words in parts.items()
    )
    return re.compile(rf"\b(?:{pattern})\b")


_CONNECTOR = {lang: connector_regex(lang) for lang in ("vi", "en")}
_VERB = {lang: verb_regex(lang) for lang in ("vi", "en")}


def read_lead(text: str, quantity: Quantity, lang: str) -> Lead:
    """Read the connector and change verb in front of a target quantity."""
    before = text[: quantity.lead_start]
    connector = _CONNECTOR[lang].search(before)
    verbs = list(_VERB[lang].finditer(before))
    verb = verbs[-1] if verbs else None
    return Lead(
        connector=connector.lastgroup if connector else None,
        verb=verb.lastgroup if verb else None,
        verb_end=verb.end() if verb else 0,
        verb_adjacent=bool(verb) and not before[verb.end() :].strip(),
    )


def weak_direction(text: str, quantity: Quantity, lead: Lead) -> str:
    """Decide what "improve"/"cải thiện" means for this metric."""
    if quantity.bound:
        return quantity.bound
    about = text[lead.verb_end : quantity.start]
    lower = quantity.category == "duration" or any(word in about for word in LOWER_IS_BETTER)
    return "decrease" if lower else "increase"


def choose_direction(text: str, target: Quantity, lead: Lead, relative: bool) -> str:
    """Apply the module's direction rules to a single target."""
    if target.hint:
        return target.hint
    if lead.connector in ("up", "down"):
        return "increase" if lead.connector == "up" else "decrease"
    if lead.verb and lead.connector != "stating":
        if lead.verb == "weak":
            return weak_direction(text, target, lead)
        return lead.verb
    if target.bound:
        return target.bound
    return "increase" if relative else "achieve"


def is_relative(target: Quantity, lead: Lead, comparison: str | None) -> bool:
    """Apply the module's relative-change rules to a single target."""
    if target.hint or lead.connector == "relative" or comparison == "entity":
        return True
    if lead.connector is not None:
        return False
    if lead.verb:
        return lead.verb_adjacent or target.bound is None
    return comparison == "time"


def pair_direction(start: Quantity, target: Quantity) -> str:
    """Compare a stated baseline with its target."""
    if target.value == start.value:
        return "achieve"
    return "increase" if target.value > start.value else "decrease"


def unit_and_kind(
    text: str, start: Quantity | None, target: Quantity, lead: Lead, lang: str
) -> tuple[str | None, str]:
    """Return the unit and kind of a target, looking back for the noun of a bare count."""
    source = target if target.unit or start is None else start
    unit, category = source.unit, source.category
    if unit is None and category == "count":
        first = start or target
        unit = look_back_unit(text[lead.verb_end : first.lead_start], lang)
    return unit, KIND_BY_CATEGORY.get(category, "metric")


def describe_quantities(
    text: str, quantities: list[Quantity], comparison: str | None, lang: str
) -> dict[str, Any]:
    """Describe a sentence whose target is a number."""
    pair = find_pair(text, quantities)
    start, target = pair if pair else (None, merge_list(text, quantities, 0, lang))
    lead = read_lead(text, start or target, lang)
    target_lead = read_lead(text, target, lang) if start else lead
    unit, kind = unit_and_kind(text, start, target, lead, lang)
    if start:
        relative, direction = False, pair_direction(start, target)
    else:
        relative = is_relative(target, target_lead, comparison)
        direction = choose_direction(text, target, target_lead, relative)
    return {
        "kind": kind,
        "start": start.value if start else None,
        "target": target.value,
        "relative": relative,
        "unit": unit,
        "direction": direction,
    }


def describe_recurring(recurring: Quantity) -> dict[str, Any]:
    """Describe a sentence whose target is a count per period."""
    return {
        "kind": "recurring",
        "target": recurring.value,
        "unit": recurring.unit,
        "direction": recurring.bound or "at_least",
        "per": recurring.per,
    }


_DONE_VERB = re.compile(
    rf"\s*(?:(?:{phrase_pattern(LEAD_FILLERS)})\s+)?(?:{phrase_pattern(DONE_VERBS['vi'])}|"
    rf"{phrase_pattern(DONE_VERBS['en'])})\b"
)
_DONE_STATE = re.compile(rf"\b(?:{phrase_pattern(DONE_STATES)})\b")


def has_done_state(text: str) -> bool:
    """Tell whether a number-free sentence names a deliverable with a clear done-state."""
    return bool(_DONE_VERB.match(text) or _DONE_STATE.search(text))


def describe_plain(text: str, deadline: Deadline | None) -> dict[str, Any]:
    """Describe a sentence without any number: a milestone or an activity."""
    if deadline or has_done_state(text):
        return {"kind": "milestone", "direction": "achieve"}
    return {"kind": "activity", "direction": "none", "measurable": False}


def parse_key_result(text: str, lang: str | None = None) -> ParsedKeyResult:
    """Parse one key-result sentence; the language is detected when not given."""
    lang = check_language(lang or detect_language(text))
    work = mask_noise(prepare_text(text))
    work, comparison = extract_baseline(work)
    work, deadline = extract_deadline(work, lang)
    work = mask_ranges(work)
    markers, work = find_markers(work)
    quantities = find_quantities(work, lang)
    recurring = find_recurring(work, quantities, markers, lang)
    if recurring:
        facts = describe_recurring(recurring)
    elif quantities:
        facts = describe_quantities(work, quantities, comparison, lang)
    else:
        facts = describe_plain(work, deadline)
    fields: dict[str, Any] = {
        "measurable": True,
        "start": None,
        "target": None,
        "relative": False,
        "unit": None,
        "per": None,
    }
    fields |= facts
    return ParsedKeyResult(text=text, lang=lang, deadline=deadline, **fields)
