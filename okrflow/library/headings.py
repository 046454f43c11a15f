"""Read what a heading above a block of OKRs names: a level of the org, or a marketing type.

The article heads its examples with a level ("Công ty Marketing", "Phòng Marketing",
"Trưởng phòng Marketing", "Chuyên viên Marketing") or a marketing type ("Inbound Marketing",
"Content Marketing", "Event Marketing", "Email Marketing"). The most specific level wins:
"Trưởng phòng Marketing" is a department head although it contains "phòng".
"""

from __future__ import annotations

import re
import unicodedata

LEVELS = ("company", "department", "team", "department_head", "specialist", "project")
MARKETING_TYPES = ("inbound", "content", "event", "email")
PERSON_LEVELS = ("department_head", "specialist")

_LEVEL_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "department_head",
        ("trưởng phòng", "giám đốc marketing", "head of", "department head", "cmo"),
    ),
    (
        "specialist",
        ("chuyên viên", "nhân viên", "specialist", "executive", "employee", "individual"),
    ),
    ("team", ("trưởng nhóm", "nhóm", "team")),
    ("department", ("phòng", "bộ phận", "department")),
    ("company", ("toàn công ty", "công ty", "company", "doanh nghiệp", "corporate")),
    ("project", ("dự án", "project", "chiến dịch", "campaign")),
)
_TYPE_WORDS: dict[str, tuple[str, ...]] = {
    "inbound": ("inbound",),
    "content": ("content", "nội dung"),
    "event": ("event", "sự kiện"),
    "email": ("email", "e-mail"),
}


def _contains(text: str, word: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(word)}(?!\w)", text) is not None


def _clean(heading: str) -> str:
    return unicodedata.normalize("NFC", heading).lower()


def heading_level(heading: str) -> str | None:
    """Return the org level a heading names, or None."""
    text = _clean(heading)
    for level, words in _LEVEL_WORDS:
        if any(_contains(text, word) for word in words):
            return level
    return None


def heading_marketing_type(heading: str) -> str | None:
    """Return the marketing type a heading names ("Inbound Marketing" -> "inbound"), or None."""
    text = _clean(heading)
    for kind, words in _TYPE_WORDS.items():
        if any(_contains(text, word) for word in words):
            return kind
    return None


def guess_owner_kind(heading: str) -> str:
    """Guess whether a heading names a person, a unit or a project (for focus counts)."""
    level = heading_level(heading)
    if level in PERSON_LEVELS:
        return "person"
    if level == "project" or (level is None and heading_marketing_type(heading)):
        return "project"
    return "unit"
