"""Find deadlines, comparison baselines and number-like noise in a key-result sentence.

Every function takes lowercase NFC text and returns it with the consumed spans blanked out
(same length, so offsets stay valid), leaving only real quantities for the number finder.

Rules:
* A date, month, quarter or year is the deadline unless it follows a comparison word
  ("so với quý I", "vs last quarter", "compared to 2023"): then it is the baseline period.
* "từ tháng 4" / "từ 15/4" / "from April" (a start date) is stored as the deadline: it is
  the date by which the thing must be in place.
* A bare year ("2024") is a deadline only after a deadline word ("by 2025", "trong 2024") or
  with "năm"/"FY"; "năm 2022" after "so với" is the baseline.
* Numeric dates are day/month in both languages ("15/4", "30/6/2024"), except in English
  when only the second number can be a day ("6/30" is June 30).
* A range target ("10-15%") keeps its upper end; a range from 0 or 1 ("1 – 5 sao") is a
  rating scale, not a target, and is dropped.
* When several deadlines appear, the first one written after a deadline word ("trước",
  "đến", "by", …) wins, else the first one; a lone year elsewhere fills in its missing year.
* "T12/2026" is a month and year ("tháng 12 năm 2026").
* "a/b" right after a comparison sign ("score > 4/5") is a score, not a date.
* A date inside parentheses is a remark ("( … tính năng mới vào 21/06 )"), not the deadline,
  unless the parentheses open with a deadline word ("(by June 1)").
* A clock time is no number: "đi ngủ trước 23h", "lúc 17 giờ" ("trước 24h" stays a duration).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from okrflow.engine.kr_parser_lexicon import (
    EN_UNITS,
    MONTHS_EN,
    ORDINAL_QUARTERS,
    ROMAN,
    TIME_COMPARISONS,
    VI_UNITS,
)

_MONTH_RE = "|".join(sorted(MONTHS_EN, key=len, reverse=True))
_ROMAN_RE = "iv|iii|ii|i"
_YEAR = r"(?:19|20)\d{2}"


@dataclass(frozen=True)
class Deadline:
    """The parts of a deadline that the sentence states; the rest stay None."""

    day: int | None = None
    month: int | None = None
    quarter: int | None = None
    year: int | None = None

    def to_json(self) -> dict[str, int | None]:
        """Return the deadline as a JSON-ready dict."""
        return {"day": self.day, "month": self.month, "quarter": self.quarter, "year": self.year}


@dataclass(frozen=True)
class DateHit:
    """A date-like expression and where it sits in the text."""

    start: int
    end: int
    parts: dict[str, int] = field(default_factory=dict)


def blank(text: str, start: int, end: int) -> str:
    """Replace text[start:end] with spaces, keeping every other offset in place."""
    return text[:start] + " " * (end - start) + text[end:]


def blank_matches(text: str, pattern: re.Pattern[str]) -> str:
    """Blank every match of `pattern`."""
    for match in pattern.finditer(text):
        text = blank(text, match.start(), match.end())
    return text


_NOISE = [
    re.compile(r"(?:lúc|vào|at)\s+\d{1,2}(?:[.:h]\d{2}\b|\s*(?:h|giờ|am|pm)\b)"),
    re.compile(r"(?<=trước )(?:[01]?\d|2[0-3])h\b(?!\s*\d)"),
    # A recurring slot: "17h thứ 6 hàng tuần", "ngày 5 hằng tháng" (kr_parser_slots).
    re.compile(
        r"\b(?:[01]?\d|2[0-3])\s*h\b(?=\s+(?:(?:sáng|chiều|tối|trưa)\s+)?"
        r"(?:(?:mỗi|hằng|hàng)\s+)?(?:thứ|chủ nhật)\b)|\b\d{1,2}\s*giờ\s+(?:sáng|chiều|tối|trưa)\b"
    ),
    re.compile(r"\b(?:ngày|mùng|mồng)\s+\d{1,2}(?=\s+(?:của\s+)?(?:hằng|hàng|mỗi)\s+tháng\b)"),
    re.compile(r"\b\d{1,2}\s*[:h]\s*\d{2}\b(?:\s*(?:sáng|chiều|tối|trưa|am|pm)\b)?"),
    re.compile(r"\b\d{1,2}\.\d{2}\s*(?:sáng|chiều|tối|trưa|am|pm)\b"),
    re.compile(r"\b\d{1,2}\s*(?:am|pm)\b"),
    re.compile(r"\b1\s*:\s*1s?\b|\b1-on-1s?\b|\bone-on-ones?\b"),
    re.compile(r"\b24\s*/\s*7\b"),
    re.compile(r"\b\d+\s*:\s*\d+\b"),
    re.compile(r"(?<=thứ)\s*(?:[2-7]|hai|ba|tư|năm|sáu|bảy)\b"),
    re.compile(
        r"\b(?:soc|iso|pci|tier|level|cấp|phase|giai đoạn|phiên bản|version|series|round|"
        r"step|bước|gen|web)\s*-?\s*\d+\b"
    ),
    re.compile(r"\b\d+\s*-\s*(?:day|week|month|year|hour|minute|second|person|step|star)s?\b"),
]
_RANGE = re.compile(r"(?<![\d.,])(?P<low>\d+(?:[.,]\d+)?)\s*%?\s*(?:–|—|-|~)\s*(?=\d+(?:[.,]\d+)?)")


def mask_noise(text: str) -> str:
    """Blank times of day, weekdays, ratios, labels like "SOC 2" and "1:1"."""
    for pattern in _NOISE:
        text = blank_matches(text, pattern)
    return text


def mask_ranges(text: str) -> str:
    """Reduce ranges: "1 – 5 sao" (from 0 or 1) is a rating scale and goes; "10-15%" keeps 15."""
    for match in _RANGE.finditer(text):
        if match["low"] in ("0", "1"):
            upper = re.match(r"\d+(?:[.,]\d+)?", text[match.end() :])
            end = match.end() + (upper.end() if upper else 0)
            text = blank(text, match.start(), end)
        else:
            text = blank(text, match.start(), match.end())
    return text


_VI_TIME_AFTER = (
    rf"(?:cùng kỳ\s+)?(?:(?:năm|quý|tháng|tuần|kỳ|đợt)\s+(?:trước|ngoái|rồi|vừa qua|này|"
    rf"(?:{_ROMAN_RE}|\d{{1,4}})\b(?:\s*(?:/|năm)\s*\d{{4}})?)|q[1-4]\b(?:\s*/?\s*\d{{4}})?|"
    rf"{_YEAR}\b|cùng kỳ\b)"
)
_EN_TIME_AFTER = (
    rf"(?:the\s+)?(?:(?:same\s+(?:period|quarter|month)\s+)?(?:last|previous|prior|past)\s+"
    rf"(?:year|quarter|month|week|period)|q[1-4]\b(?:\s*'?\d{{2,4}})?|(?:fy\s?)?{_YEAR}\b|"
    rf"h[12]\b(?:\s*{_YEAR})?|(?:{_MONTH_RE})\b(?:\s+{_YEAR})?|baseline)"
)
_TIME_BASELINE = re.compile(
    rf"\bso với\s+{_VI_TIME_AFTER}|\b(?:compared\s+(?:to|with)|relative\s+to|versus|vs\.?|"
    rf"over|than)\s+{_EN_TIME_AFTER}"
)
_ENTITY_BASELINE = re.compile(r"\bso với\b|\b(?:compared\s+(?:to|with)|relative\s+to|versus|vs)\b")
_TIME_PHRASES = re.compile(r"\b(?:" + "|".join(map(re.escape, TIME_COMPARISONS)) + r")\b")


def extract_baseline(text: str) -> tuple[str, str | None]:
    """Blank comparison periods and say whether the sentence compares to a time or an entity."""
    kind = None
    for pattern in (_TIME_BASELINE, _TIME_PHRASES):
        for match in pattern.finditer(text):
            text = blank(text, match.start(), match.end())
            kind = "time"
    if kind is None and _ENTITY_BASELINE.search(text):
        kind = "entity"
    return text, kind


def to_year(raw: str | None) -> int | None:
    """Read a 2- or 4-digit year; 2-digit years are 20xx."""
    if not raw:
        return None
    year = int(raw)
    return year + 2000 if year < 100 else year


def valid_parts(parts: dict[str, int | None]) -> dict[str, int] | None:
    """Drop missing parts and reject impossible days, months, quarters and years."""
    clean = {key: value for key, value in parts.items() if value is not None}
    limits = {"day": (1, 31), "month": (1, 12), "quarter": (1, 4), "year": (1990, 2100)}
    for key, value in clean.items():
        low, high = limits[key]
        if not low <= value <= high:
            return None
    return clean or None


def order_day_month(first: int, second: int, lang: str) -> tuple[int, int]:
    """Return (day, month) for a numeric date, per the module rule."""
    if lang == "en" and first <= 12 < second:
        return second, first
    return first, second


def hit_numeric_date(match: re.Match[str], lang: str) -> dict[str, int | None]:
    """Read "15/4", "30/6/2024" or "by 15-4"; "> 4/5" is a score."""
    if re.search(r"[<>≤≥=]\s*$", match.string[: match.start()]):
        return {}
    day, month = order_day_month(int(match["a"]), int(match["b"]), lang)
    return {"day": day, "month": month, "year": to_year(match["y"])}


def hit_iso(match: re.Match[str], lang: str) -> dict[str, int | None]:
    """Read "2025-06-30"."""
    return {"year": int(match["y"]), "month": int(match["m"]), "day": int(match["d"])}


def hit_vi_day(match: re.Match[str], lang: str) -> dict[str, int | None]:
    """Read "ngày 15 tháng 4 năm 2024"."""
    return {"day": int(match["d"]), "month": int(match["m"]), "year": to_year(match["y"])}


def hit_month(match: re.Match[str], lang: str) -> dict[str, int | None]:
    """Read "tháng 5", "tháng 5/2024", "June 2024"."""
    raw = match["m"]
    month = int(raw) if raw.isdigit() else MONTHS_EN[raw]
    return {"month": month, "year": to_year(match["y"])}


def hit_en_month_day(match: re.Match[str], lang: str) -> dict[str, int | None]:
    """Read "June 30", "30 June", "June 30th, 2025"."""
    return {"month": MONTHS_EN[match["m"]], "day": int(match["d"]), "year": to_year(match["y"])}


def hit_quarter(match: re.Match[str], lang: str) -> dict[str, int | None]:
    """Read "quý II", "Q3 2024", "third quarter"."""
    raw = match["q"]
    quarter = int(raw) if raw.isdigit() else ROMAN.get(raw) or ORDINAL_QUARTERS[raw]
    return {"quarter": quarter, "year": to_year(match["y"])}


def hit_year(match: re.Match[str], lang: str) -> dict[str, int | None]:
    """Read "năm 2024", "FY25", "by 2025"."""
    return {"year": to_year(match["y"])}


def hit_year_after_word(match: re.Match[str], lang: str) -> dict[str, int | None]:
    """Read "by 2025" unless the number is really a count ("by 2000 customers", "2025%")."""
    rest = match.string[match.end() :].lstrip()
    word = re.match(r"%|[^\W\d_]+(?:\s+[^\W\d_]+)?", rest)
    if word and (word[0] == "%" or is_unit_start(word[0])):
        return {}
    return {"year": to_year(match["y"])}


def is_unit_start(words: str) -> bool:
    """Tell whether `words` start with a counted noun, so a 4-digit number before is a count."""
    first = words.split()[0]
    return words in VI_UNITS or first in VI_UNITS or first.rstrip("s") in EN_UNITS


def hit_q_code(match: re.Match[str], lang: str) -> dict[str, int | None]:
    """Read "Q3", "Q3 2024", "Q3'24"."""
    return {"quarter": int(match["q"]), "year": to_year(match["y"] or match["y2"])}


def hit_month_any(match: re.Match[str], lang: str) -> dict[str, int | None]:
    """Read an English month name found by either alternative of the month pattern."""
    name = match["m"] or match["m2"]
    return {"month": MONTHS_EN[name], "year": to_year(match["y"])}


def hit_month_code(match: re.Match[str], lang: str) -> dict[str, int | None]:
    """Read "T12/2026"."""
    return {"month": int(match["m"]), "year": int(match["y"])}


Reader = Callable[[re.Match[str], str], dict[str, int | None]]
_BOTH = ("vi", "en")
_DEADLINE_WORD = r"(?:by|in|before|until|till|during|end of|cuối|hết|trước|đến|trong|vào)"
_DATE_PATTERNS: list[tuple[re.Pattern[str], Reader, tuple[str, ...]]] = [
    (re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})\b"), hit_iso, _BOTH),
    (re.compile(rf"\bt(?P<m>\d{{1,2}})\s*/\s*(?P<y>{_YEAR})\b"), hit_month_code, ("vi",)),
    (
        re.compile(r"\bngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})(?:\s+năm\s+(?P<y>\d{4}))?\b"),
        hit_vi_day,
        _BOTH,
    ),
    (
        re.compile(
            r"(?<![\d.,/])(?P<a>\d{1,2})\s*/\s*(?P<b>\d{1,2})(?:\s*/\s*(?P<y>\d{4}|\d{2}))?"
            r"(?![\d/])"
        ),
        hit_numeric_date,
        _BOTH,
    ),
    (
        re.compile(
            r"\b(?:ngày|trước|vào|hạn|đến|by|before|on|due|until)\s+"
            r"(?P<a>\d{1,2})[.-](?P<b>\d{1,2})(?:[.-](?P<y>\d{4}))?\b"
        ),
        hit_numeric_date,
        _BOTH,
    ),
    (
        re.compile(
            rf"\b(?P<m>{_MONTH_RE})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*%)"
            rf"(?:,?\s+(?P<y>{_YEAR})\b)?"
        ),
        hit_en_month_day,
        ("en",),
    ),
    (
        re.compile(
            rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH_RE})\b"
            rf"(?:,?\s+(?P<y>{_YEAR})\b)?"
        ),
        hit_en_month_day,
        ("en",),
    ),
    (
        re.compile(r"\btháng\s+(?P<m>\d{1,2})(?!\d)(?:\s*(?:/|-|năm)\s*(?P<y>\d{4}))?"),
        hit_month,
        _BOTH,
    ),
    (
        re.compile(
            rf"(?:\b(?:by|in|before|until|till|during|end of|from|since|through)\s+"
            rf"(?:the\s+end\s+of\s+)?(?P<m>{_MONTH_RE})\b|\b(?P<m2>{_MONTH_RE})(?=\s+{_YEAR}))"
            rf"(?:\s+(?P<y>{_YEAR})\b)?"
        ),
        hit_month_any,
        ("en",),
    ),
    (
        re.compile(
            rf"\b(?:quý|quarter)\s+(?P<q>{_ROMAN_RE}|[1-4])\b"
            rf"(?:\s*(?:/|-|năm|of)\s*(?P<y>{_YEAR}))?"
        ),
        hit_quarter,
        _BOTH,
    ),
    (
        re.compile(
            rf"\bq(?P<q>[1-4])\b(?:\s*(?:/|-)?\s*(?:fy\s?)?(?P<y>{_YEAR})\b|\s*'(?P<y2>\d{{2}})\b)?"
        ),
        hit_q_code,
        _BOTH,
    ),
    (
        re.compile(
            r"\b(?P<q>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter"
            rf"(?:\s+(?:of\s+)?(?P<y>{_YEAR})\b)?"
        ),
        hit_quarter,
        ("en",),
    ),
    (re.compile(rf"\bnăm\s+(?P<y>{_YEAR})\b"), hit_year, _BOTH),
    (re.compile(r"\bfy\s?'?(?P<y>\d{4}|\d{2})\b"), hit_year, _BOTH),
    (re.compile(rf"\b{_DEADLINE_WORD}\s+(?P<y>{_YEAR})\b"), hit_year_after_word, _BOTH),
]
_LEAD_WORDS = re.compile(
    r"\b(?:by the end of|by end of|the end of|end of|no later than|trước ngày|vào ngày|đến ngày|"
    r"trước|vào|đến|trong|từ|cuối|hết|by|before|in|on|until|till|during|from|since|ngày)\s*$"
)


def find_date_hits(text: str, lang: str) -> list[DateHit]:
    """Find every date-like expression, dropping ones that overlap an earlier pattern's hit."""
    hits: list[DateHit] = []
    for pattern, reader, langs in _DATE_PATTERNS:
        if lang not in langs:
            continue
        for match in pattern.finditer(text):
            parts = valid_parts(reader(match, lang))
            overlaps = any(h.start < match.end() and match.start() < h.end for h in hits)
            if parts and not overlaps:
                hits.append(DateHit(match.start(), match.end(), parts))
    return sorted(hits, key=lambda hit: hit.start)


def merge_hits(hits: list[DateHit], led: list[bool]) -> Deadline | None:
    """Take the first deadline (after a deadline word if any) and fill its year from a lone year."""
    if not hits:
        return None
    first = next((hit for hit, has_lead in zip(hits, led, strict=True) if has_lead), hits[0])
    parts = dict(first.parts)
    for hit in hits:
        if hit is not first and set(hit.parts) == {"year"} and "year" not in parts:
            parts["year"] = hit.parts["year"]
    return Deadline(**parts)


_PARENS = re.compile(r"\([^()]*\)")
_PAREN_DEADLINE = re.compile(rf"\(\s*{_DEADLINE_WORD}\b")


def in_remark(text: str, hit: DateHit) -> bool:
    """Tell whether a date sits inside parentheses that do not open with a deadline word."""
    for match in _PARENS.finditer(text):
        if match.start() < hit.start and hit.end <= match.end():
            return not _PAREN_DEADLINE.match(match.group())
    return False


def extract_deadline(text: str, lang: str) -> tuple[str, Deadline | None]:
    """Blank every date expression (with its "by"/"trước" word) and return the deadline."""
    hits = find_date_hits(text, lang)
    kept, led = [], []
    original = text
    for hit in hits:
        lead = _LEAD_WORDS.search(text[: hit.start])
        start = lead.start() if lead else hit.start
        text = blank(text, start, hit.end)
        if not in_remark(original, hit):
            kept.append(hit)
            led.append(lead is not None)
    return text, merge_hits(kept, led)


# A start date: "duy trì từ 15/4", "từ tháng 4", "bắt đầu từ 1/11", "from April", "starting 15 Oct".
_START_LEAD = re.compile(
    r"\b(?:bắt đầu từ|bắt đầu|kể từ|từ|starting from|starting on|starting|beginning|from|since)"
    r"\s*(?:ngày\s+)?$"
)
_START_INSIDE = re.compile(r"^(?:from|since)\b")


def extract_start(text: str, lang: str) -> Deadline | None:
    """Return the day a key result starts when the sentence states one ("từ 15/4", "from April").

    The text is not changed: the same words may also be read as the deadline by older rules,
    which the caller then sets aside (a date that starts the work does not end it).
    """
    for hit in find_date_hits(text, lang):
        if set(hit.parts) == {"year"} or in_remark(text, hit):
            continue
        led = _START_LEAD.search(text[: hit.start].lower())
        if led or _START_INSIDE.match(text[hit.start : hit.end].lower()):
            return Deadline(**hit.parts)
    return None
