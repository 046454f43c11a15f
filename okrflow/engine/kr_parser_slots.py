"""Read the slot a recurring key result keeps: a weekday and hour, or a day of the month.

Rules (a slot is only read for a recurring sentence, `kind == "recurring"`):
* A weekly rhythm with exactly one named weekday ("thứ Sáu", "thứ 6", "chủ nhật", "CN",
  "Friday", "Mondays") keeps that weekday, 0 = Monday … 6 = Sunday. Two different weekdays
  ("thứ 2 và thứ 5") keep no slot: a key result holds one.
* A monthly rhythm with a day of the month ("ngày 5 hằng tháng", "mùng 1 mỗi tháng",
  "on the 1st of every month", "on the 15th of each month") keeps that day (1–31).
* A weekday for a monthly or daily rhythm, or a day of the month for a weekly one, is no slot.
* The hour is read only with a weekday or a day of the month: "17:00", "17.00", "17h",
  "17 giờ", "9:00", "09:00", "5pm", "9 am", "lúc 9h"; "chiều"/"tối"/"pm" after an hour
  below 12 add 12 ("5 giờ chiều" is 17), "12am" is 0, "sáng"/"am" keep it. Minutes are not
  kept (the slot is an hour). Two different hours keep none.
* The slot is no target and no deadline: the parser masks these times and days of the month
  (`kr_parser_dates._NOISE`) before it looks for the target.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_VI_DAYS = {"hai": 0, "ba": 1, "tư": 2, "năm": 3, "sáu": 4, "bảy": 5}
_VI_DAY_DIGITS = {"2": 0, "3": 1, "4": 2, "5": 3, "6": 4, "7": 5}
_EN_DAYS = {
    name: index
    for index, name in enumerate(
        ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
    )
}
_VI_WEEKDAY = re.compile(r"\bthứ\s*(?P<n>[2-7]|hai|ba|tư|năm|sáu|bảy)\b|\b(?P<sun>chủ nhật|cn)\b")
_EN_WEEKDAY = re.compile(r"\b(?P<d>monday|tuesday|wednesday|thursday|friday|saturday|sunday)s?\b")
_DAY_OF_MONTH = re.compile(
    r"\b(?:ngày|mùng|mồng)\s+(?P<vi>\d{1,2})\s+(?:của\s+)?(?:hằng|hàng|mỗi)\s+tháng\b|"
    r"\bon\s+the\s+(?P<en>\d{1,2})(?:st|nd|rd|th)?\s+(?:day\s+)?of\s+(?:every|each|the)\s+month\b"
)
_HOUR = re.compile(
    r"(?<![\d/.,])(?P<h>\d{1,2})\s*(?:[:.]\s*(?P<m>\d{2})|(?P<mark>h(?=\d{2}\b|\b)|giờ\b)(?:\s*(?P<hm>\d{2}))?)?"
    r"\s*(?P<part>sáng|chiều|tối|trưa|am|pm|a\.m\.|p\.m\.)?(?![\d/%])"
)

_INTRODUCED = re.compile(r"\b(?:lúc|vào|at)\s*$")


@dataclass(frozen=True)
class Slot:
    """When a recurring commitment falls: a weekday (0–6) and hour, or a day of the month."""

    weekday: int | None = None
    hour: int | None = None
    day_of_month: int | None = None

    def to_json(self) -> dict[str, Any]:
        if self.weekday is not None:
            return {"weekday": self.weekday, "hour": self.hour}
        return {"day_of_month": self.day_of_month, "hour": self.hour}


def weekdays(text: str) -> set[int]:
    """Return the weekdays the (lowercased) text names."""
    found = set()
    for match in _VI_WEEKDAY.finditer(text):
        if match["sun"]:
            found.add(6)
        else:
            number = match["n"]
            found.add(_VI_DAY_DIGITS.get(number, _VI_DAYS.get(number, -1)))
    for match in _EN_WEEKDAY.finditer(text):
        found.add(_EN_DAYS[match["d"]])
    found.discard(-1)
    return found


def days_of_month(text: str) -> set[int]:
    """Return the days of the month a "ngày 5 hằng tháng" / "on the 1st of every month" names."""
    found = set()
    for match in _DAY_OF_MONTH.finditer(text):
        day = int(match["vi"] or match["en"])
        if 1 <= day <= 31:
            found.add(day)
    return found


def hour_of(match: re.Match[str], introduced: bool) -> int | None:
    """Return the hour of a time expression, or None when it is not a time of day.

    "17:00", "17h", "5pm", "5 giờ chiều" are times; "17.00" and "17 giờ" only after
    "lúc"/"vào"/"at" or before a part of the day ("2 giờ" alone is a duration).
    """
    hour = int(match["h"])
    part = match["part"] or ""
    colon = match["m"] is not None and ":" in match[0]
    attached = match["mark"] == "h"
    if not (colon or attached or part or introduced):
        return None
    if not (match["m"] or match["mark"] or part):
        return None
    if match["m"] is not None and int(match["m"]) > 59:
        return None
    if part in ("pm", "p.m.", "chiều", "tối") and hour < 12:
        hour += 12
    elif part in ("am", "a.m.") and hour == 12:
        hour = 0
    return hour if 0 <= hour <= 23 else None


def hours(text: str) -> set[int]:
    """Return the hours of day the (lowercased) text names."""
    found = set()
    for match in _HOUR.finditer(text):
        hour = hour_of(match, bool(_INTRODUCED.search(text[: match.start()])))
        if hour is not None:
            found.add(hour)
    return found


def find_slot(text: str, per: str | None) -> Slot | None:
    """Return the slot of a recurring sentence with period `per`, or None."""
    hour_set = hours(_DAY_OF_MONTH.sub(" ", text))
    hour = next(iter(hour_set)) if len(hour_set) == 1 else None
    if per == "week":
        days = weekdays(text)
        if len(days) == 1:
            return Slot(weekday=days.pop(), hour=hour)
    if per == "month":
        dates = days_of_month(text)
        if len(dates) == 1:
            return Slot(day_of_month=dates.pop(), hour=hour)
    return None
