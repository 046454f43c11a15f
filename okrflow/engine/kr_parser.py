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
* "template": the sentence still has placeholders where its figures should be ("[số lượng]",
  "[Competitor]", "from X to Y", "…/…/…", "___"). Not measurable, direction "none", no
  figures and no deadline: fill it in first.

Which number is the target:
* a baseline and target pair ("từ 65% lên 80%", "from 2 hours to 30 minutes") wins;
* a baseline may also follow the target: "to 75% from current 45%", "(up from 85%)",
  "(from 22%)", "(currently 28)" give the start;
* other numbers inside parentheses are remarks ("12 drills (1 per month)") unless the sentence
  has no number outside them;
* a time window before the target ("trong vòng 24 giờ … lên 90%", "in first 30 days by 40%")
  is not the target when a later number follows "lên"/"xuống"/"còn"/"by"/"thêm";
* otherwise the first number (several targets in one line: the first one counts).
A count per period with a baseline ("from 8/quarter to 2/quarter") is a rate: a metric from
start to target with `per` set, not a recurring commitment.

Fields (what `to_json` returns and what the labelled corpus in tests/engine/parser_corpus/
records):
* `start`, `target`: numbers as written, scale words applied ("500K" 500000, "2,5 tỷ"
  2500000000); `start` only when the sentence states one.
* `unit`: "%" for percents (percentage points too), an ISO code for money ("$"/"USD" USD,
  "đ"/"đồng"/"VNĐ"/"VND" VND, a bare "tỷ"/"triệu"/"200k" in a money sentence VND), a normalised
  duration, "kg"/"km", else the counted noun (rules in kr_parser_units: Vietnamese head-first,
  English singular head-last, abbreviations lowercased, scores "điểm"/"point").
* `deadline`: the parts the sentence names (day, month, quarter, year), rules in
  kr_parser_dates; a duration ("trong 12 tháng", "within 5 days") is no deadline.
* `per`: the period of a recurring commitment or of a rate with a baseline.
* `slot`: for a recurring commitment only, its weekday (0 = Monday) and hour, or its day of
  the month and hour (rules in kr_parser_slots); null otherwise.

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
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from okrflow.engine.kr_parser_dates import (
    Deadline,
    blank,
    extract_baseline,
    extract_deadline,
    extract_start,
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
from okrflow.engine.kr_parser_slots import Slot, find_slot
from okrflow.engine.kr_parser_units import SECONDS_IN, look_back_unit
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
_ASCII_WORD = re.compile(r"[a-z]+")
_EN_FUNCTION_WORDS = frozenset(
    phrases("the|of|to|and|for|in|with|a|an|by|on|from|at|is|are|our|per|every|each|all")
)
_PLACEHOLDER = re.compile(
    r"\[[^\]]*\]|_{3,}|(?:…|\.\.\.)\s*/|"
    r"\b(?:from|to|at|by|of|từ|lên|xuống|đến|đạt|mức)\s+[XYZN]\b"
)
_TAG = re.compile(r"^\s*\[[A-Z0-9][^\]\s]+\]\s*")
_LABEL_DIGITS = re.compile(r"\b\d+D\b")
_PARENS = re.compile(r"\([^()]*\)")
_BASELINE_REMARK = re.compile(
    r"\(\s*(?:(?:up|down)\s+from|from(?:\s+current(?:ly)?)?|currently(?:\s+\w+)?|"
    r"từ(?:\s+mức)?|hiện tại(?:\s+là)?)\s*$|"
    r"\b(?:from\s+current(?:ly)?|currently(?:\s+at)?|từ\s+mức\s+hiện\s+tại|hiện\s+tại\s+là)\s*$"
)
_WINDOW_CONNECTORS = ("up", "down", "relative")
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
    # The day the work starts ("từ 15/4", "from April"); such a date is then no deadline.
    starts: Deadline | None = None
    # "A và B" / "A and B" with both sides measurable: each side's figures (a compound KR).
    parts: tuple[dict[str, object], ...] = ()
    # A recurring commitment's slot ("vào 17:00 thứ Sáu hằng tuần"), rules in kr_parser_slots.
    slot: Slot | None = None

    def to_json(self) -> dict[str, Any]:
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
            "starts": self.starts.to_json() if self.starts else None,
            "parts": list(self.parts),
            "slot": self.slot.to_json() if self.slot else None,
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
    """Return "vi" for Vietnamese (diacritics or common words), else "en".

    One word with a circumflex is enough when no English function word ("the", "of", …) is
    present: "4.5+ rating trên App Store" is Vietnamese; "Launch café menu" stays English.
    """
    words = _ASCII_WORD.findall(text.lower())
    if text.isascii():
        # No "đ" and no accent: only the plain Vietnamese words can tell (an import's 150,000
        # key results are mostly such sentences).
        return "vi" if sum(w in _VI_PLAIN_WORDS for w in words) >= 2 else "en"
    decomposed = unicodedata.normalize("NFD", text)
    if "đ" in text.lower() or any(mark in decomposed for mark in _VI_STRONG_MARKS):
        return "vi"
    accented = [w for w in decomposed.split() if any(mark in w for mark in _VI_MARKS)]
    plain = [w for w in words if w in _VI_PLAIN_WORDS]
    if len(accented) >= 2 or len(plain) >= 2:
        return "vi"
    english = any(w in _EN_FUNCTION_WORDS for w in words)
    circumflex = len(accented) == 1 and "\u0302" in accented[0]
    return "vi" if circumflex and not english else "en"


def is_template(text: str) -> bool:
    """Tell whether a sentence still has placeholders instead of figures.

    A one-word bracketed tag that opens the sentence ("[Marketing] Tăng 20% …", "[Q3] …") is a
    label, not a placeholder; "[số lượng] khách hàng" or "[X] …" are placeholders.
    """
    text = unicodedata.normalize("NFC", text)
    if _TAG.match(text) and _TAG.sub("", text).strip():
        text = _TAG.sub("", text)
    return bool(_PLACEHOLDER.search(text))


def cased_text(text: str) -> str:
    """Return the text normalised like `prepare_text` but keeping its case (same offsets)."""
    return unicodedata.normalize("NFC", text).translate(_PUNCTUATION)


def prepare_text(text: str) -> str:
    """Normalise, lowercase (keeping offsets) and blank a leading bullet or "KR1:" label."""
    text = cased_text(text)
    lowered = text.lower()
    # Each character lowered on its own, a character whose lower case is longer kept as it is
    # (same offsets). The whole text lowered at once is the same when it keeps its length (no
    # character grew) and holds no capital sigma (the one letter lowered by its context).
    if len(lowered) != len(text) or "Σ" in text:
        lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    label = _LABEL.match(lowered)
    lowered = blank(lowered, 0, label.end()) if label else lowered
    # "2D", "3D" in capitals are labels, not days.
    for match in _LABEL_DIGITS.finditer(text):
        lowered = blank(lowered, match.start(), match.end())
    return lowered


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
        verb_adjacent=verb is not None and not before[verb.end() :].strip(),
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
        first = start if start and start.start < target.start else target
        unit = look_back_unit(text[lead.verb_end : first.lead_start], lang)
        if unit is None and lead.verb_end:
            unit = look_back_unit(text[: first.lead_start], lang)
    return unit, KIND_BY_CATEGORY.get(category, "metric")


def in_parens(text: str, quantity: Quantity) -> re.Match[str] | None:
    """Return the parenthesised remark a quantity sits in, if any."""
    for match in _PARENS.finditer(text):
        if match.start() < quantity.start and quantity.end <= match.end():
            return match
    return None


def split_remarks(text: str, quantities: list[Quantity]) -> tuple[list[Quantity], Quantity | None]:
    """Keep the quantities outside parentheses; return a stated baseline remark apart."""
    outside = [q for q in quantities if in_parens(text, q) is None]
    baseline = next((q for q in quantities if _BASELINE_REMARK.search(text[: q.lead_start])), None)
    if not outside:
        return quantities, None
    return outside, baseline


def after_window(text: str, quantities: list[Quantity], lang: str) -> int:
    """Skip a leading time window ("trong vòng 24 giờ") when a later number is the target."""
    if len(quantities) < 2 or quantities[0].category != "duration":
        return 0
    for index, quantity in enumerate(quantities[1:], start=1):
        if read_lead(text, quantity, lang).connector in _WINDOW_CONNECTORS:
            return index
    return 0


def in_unit(quantity: Quantity, unit: str) -> Quantity:
    """Express a duration in a smaller unit ("6 phút" in seconds is 360)."""
    factor = Decimal(SECONDS_IN[quantity.unit or ""]) / Decimal(SECONDS_IN[unit])
    value = quantity.value * factor
    exact = value == value.to_integral_value()
    return replace(quantity, value=value.quantize(Decimal(1)) if exact else value, unit=unit)


def same_unit(start: Quantity, target: Quantity) -> tuple[Quantity, Quantity]:
    """Express a duration baseline and target in the smaller of their two units."""
    units = start.unit or "", target.unit or ""
    convertible = all(unit in SECONDS_IN for unit in units) and units[0] != units[1]
    if not convertible or start.category != "duration" or target.category != "duration":
        return start, target
    smaller = min(units, key=lambda unit: Decimal(SECONDS_IN[unit]))
    return in_unit(start, smaller), in_unit(target, smaller)


def describe_quantities(
    text: str, quantities: list[Quantity], comparison: str | None, lang: str
) -> dict[str, Any]:
    """Describe a sentence whose target is a number."""
    quantities, remark = split_remarks(text, quantities)
    pair = find_pair(text, quantities)
    if pair:
        start, target = pair
    else:
        index = after_window(text, quantities, lang)
        start, target = None, merge_list(text, quantities, index, lang)
        if remark and remark.start > target.start and remark.category == target.category:
            start = remark
    if start:
        start, target = same_unit(start, target)
    lead = read_lead(text, start if start and start.start < target.start else target, lang)
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
        "per": rate_period(start, target) if start else None,
    }


def rate_period(start: Quantity | None, target: Quantity) -> str | None:
    """Return the period of a count or duration rate ("from 8/quarter to 2/quarter")."""
    if target.category not in ("count", "duration"):
        return None
    return (start.per if start else None) or target.per


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
_DONE_STATE = re.compile(rf"\b(?:{phrase_pattern(DONE_STATES)})\b|\blive\W*$")


def has_done_state(text: str) -> bool:
    """Tell whether a number-free sentence names a deliverable with a clear done-state."""
    return bool(_DONE_VERB.match(text) or _DONE_STATE.search(text))


def describe_plain(text: str, deadline: Deadline | None) -> dict[str, Any]:
    """Describe a sentence without any number: a milestone or an activity."""
    if deadline or has_done_state(text):
        return {"kind": "milestone", "direction": "achieve"}
    return {"kind": "activity", "direction": "none", "measurable": False}


TEMPLATE_FACTS: dict[str, Any] = {"kind": "template", "direction": "none", "measurable": False}


def is_rate_pair(work: str, quantities: list[Quantity]) -> bool:
    """Tell whether a baseline and target are counts per period ("from 8/quarter to 2/quarter")."""
    pair = find_pair(work, split_remarks(work, quantities)[0])
    return bool(pair and rate_period(*pair))


_SPLIT = re.compile(r"\s+(?:và|and|&)\s+", re.IGNORECASE)
_PART_KINDS = ("metric", "percentage", "currency")


def parse_key_result(text: str, lang: str | None = None) -> ParsedKeyResult:
    """Parse one key-result sentence; the language is detected when not given.

    Its start date ("từ 15/4"), its measurable parts ("300 khách mời … và 5.000 người xem")
    and a recurring commitment's slot ("17:00 thứ Sáu hằng tuần") are read too; a date that
    starts the work is not its deadline.
    """
    lang = check_language(lang or detect_language(text))
    parsed = parse_one(text, lang)
    if parsed.kind == "template":
        return parsed
    starts = extract_start(mask_noise(prepare_text(text)), lang)
    deadline = parsed.deadline
    if starts is not None and deadline == starts:
        deadline = None
    slot = find_slot(prepare_text(text), parsed.per) if parsed.kind == "recurring" else None
    parts = split_parts(text, lang)
    return replace(parsed, starts=starts, deadline=deadline, parts=parts, slot=slot)


def split_parts(text: str, lang: str) -> tuple[dict[str, object], ...]:
    """Return both sides' figures when "A và B" joins two measurable targets, else nothing."""
    for match in _SPLIT.finditer(text):
        left, right = text[: match.start()], text[match.end() :]
        if not (re.search(r"\d", left) and re.search(r"\d", right)):
            continue
        sides = [parse_one(left, lang), parse_one(right, lang)]
        if all(side.kind in _PART_KINDS and side.target is not None for side in sides):
            return tuple(
                {
                    "kind": side.kind,
                    "start": json_number(side.start),
                    "target": json_number(side.target),
                    "unit": side.unit,
                    "direction": side.direction,
                    "text": side_text.strip(),
                }
                for side, side_text in zip(sides, (left, right), strict=True)
            )
    return ()


def parse_one(text: str, lang: str) -> ParsedKeyResult:
    """Parse one sentence's main target (no start date, no parts)."""
    if is_template(text):
        fields: dict[str, Any] = {
            "start": None,
            "target": None,
            "relative": False,
            "unit": None,
            "per": None,
        }
        return ParsedKeyResult(text=text, lang=lang, deadline=None, **fields, **TEMPLATE_FACTS)
    work = mask_noise(prepare_text(text))
    work, comparison = extract_baseline(work)
    work, deadline = extract_deadline(work, lang)
    work = mask_ranges(work)
    markers, work = find_markers(work)
    quantities = find_quantities(work, lang, cased_text(text))
    recurring = None
    if not is_rate_pair(work, quantities):
        outside = split_remarks(work, quantities)[0]
        recurring = find_recurring(work, outside, markers, lang)
    if recurring:
        facts = describe_recurring(recurring)
    elif quantities:
        facts = describe_quantities(work, quantities, comparison, lang)
    else:
        facts = describe_plain(work, deadline)
    fields = {
        "measurable": True,
        "start": None,
        "target": None,
        "relative": False,
        "unit": None,
        "per": None,
    }
    fields |= facts
    return ParsedKeyResult(text=text, lang=lang, deadline=deadline, **fields)
