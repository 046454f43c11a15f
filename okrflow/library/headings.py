"""Read what a heading above a block of OKRs names: a level of the org, or a marketing type.

The article heads its examples with a level ("Công ty Marketing", "Phòng Marketing",
"Trưởng phòng Marketing", "Chuyên viên Marketing") or a marketing type ("Inbound Marketing",
"Content Marketing", "Event Marketing", "Email Marketing"). The most specific level wins:
"Trưởng phòng Marketing" is a department head although it contains "phòng".
"""

from __future__ import annotations

import functools
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


def _whole_words(words: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern finding any of `words` as a whole word (not inside a longer word)."""
    return re.compile("|".join(rf"(?<!\w){re.escape(word)}(?!\w)" for word in words))


# Each level's (or type's) words in one pattern, compiled once.
_LEVEL_PATTERNS = tuple((level, _whole_words(words)) for level, words in _LEVEL_WORDS)
_TYPE_PATTERNS = tuple((kind, _whole_words(words)) for kind, words in _TYPE_WORDS.items())


def _clean(heading: str) -> str:
    return unicodedata.normalize("NFC", heading).lower()


# A file repeats its headings (and owners: 10,000 people) over its objectives: each is read once.
@functools.lru_cache(maxsize=65536)
def heading_level(heading: str) -> str | None:
    """Return the org level a heading names, or None."""
    text = _clean(heading)
    for level, pattern in _LEVEL_PATTERNS:
        if pattern.search(text) is not None:
            return level
    return None


@functools.lru_cache(maxsize=65536)
def heading_marketing_type(heading: str) -> str | None:
    """Return the marketing type a heading names ("Inbound Marketing" -> "inbound"), or None."""
    text = _clean(heading)
    for kind, pattern in _TYPE_PATTERNS:
        if pattern.search(text) is not None:
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
