"""Read the unit that follows (or, failing that, precedes) a number in a key result.

Vietnamese noun phrases are head-first ("khách hàng doanh nghiệp" counts "khách hàng"), so
the first known noun after the number wins. English ones are head-last ("enterprise
customers" counts "customer"), so the last known noun before a stop word wins.

Unknown nouns, in this order:
* a word written in capitals ("5 KĐT", "10K MAU", "500 ND") is an abbreviation and the unit on
  its own, lowercased;
* English words inside a Vietnamese sentence ("3 senior engineers", "12 sub-pages") are read
  the English way;
* a Vietnamese noun is its first word, with the second when that is a plain lowercase word
  and not a modifier such as "mới" or a time word ("doanh nghiệp", "tai nạn" but "game mới"
  counts "game");
* an English noun is the last word of its phrase (up to four words, cut before a stop word or a
  word ending in -ly/-ed/-ing), singularised: "20 repetitive operational tasks" counts "task".
* "90 of new features" and "8 of 10 customers" read the phrase after "of".
When no noun follows the number, the noun named before it counts ("the number of bugs … from
20 to 5" counts "bug"; "số lượng khách hàng … từ 500K lên 800K" counts "khách hàng"); a score
word (NPS, CSAT, eNPS, rating, điểm, score) named there wins, because scores are points.
Durations are normalised to milliseconds, seconds, minutes, hours, days, weeks or months.
"""

from __future__ import annotations

import re

from okrflow.engine.kr_parser_lexicon import (
    EN_UNITS,
    IRREGULAR_PLURALS,
    PERCENT_WORDS,
    STOP_WORDS,
    VI_PLAIN_WORDS,
    VI_UNITS,
)

DURATIONS = ("milliseconds", "seconds", "minutes", "hours", "days", "weeks", "months")
SECONDS_IN = {
    "milliseconds": "0.001",
    "seconds": "1",
    "minutes": "60",
    "hours": "3600",
    "days": "86400",
    "weeks": "604800",
}
GLUED_MEASURES = {"kg": "kg", "km": "km"}
GLUED_UNITS = {
    "ms": "milliseconds",
    "h": "hours",
    "hr": "hours",
    "hrs": "hours",
    "min": "minutes",
    "mins": "minutes",
    "p": "minutes",
    "d": "days",
    "s": "seconds",
}
TIMES_WORD = {"vi": "lần", "en": "time"}
MAX_UNIT_WORDS = 4

_WORD_AT = re.compile(r"[ \t]*([^\W\d_][\w'’-]*)")
_PERCENT_AT = re.compile(
    r"\s*(?:" + "|".join(re.escape(word) for word in PERCENT_WORDS) + r")(?![^\W\d_])"
)


def next_words(text: str, pos: int, limit: int = MAX_UNIT_WORDS) -> list[tuple[str, int]]:
    """Return up to `limit` words after `pos` with their end offsets, stopping at punctuation."""
    words: list[tuple[str, int]] = []
    while len(words) < limit:
        match = _WORD_AT.match(text, pos)
        if not match:
            break
        words.append((match[1], match.end()))
        pos = match.end()
    return words


def singularise(word: str) -> str:
    """Return the singular of an English noun, good enough for counted units."""
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if len(word) > 2 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def percent_word_end(text: str, pos: int) -> int | None:
    """Return where a percent word ("phần trăm", "percent") right after `pos` ends."""
    match = _PERCENT_AT.match(text, pos)
    return match.end() if match else None


def match_vi(words: list[str]) -> tuple[str, int] | None:
    """Return the longest Vietnamese unit starting at the first word and its word count."""
    for size in range(len(words), 0, -1):
        phrase = " ".join(words[:size])
        if phrase in VI_UNITS:
            return VI_UNITS[phrase], size
    return None


def match_en(words: list[str]) -> tuple[str, int] | None:
    """Return the longest English unit starting at the first word, singularising its end."""
    for size in range(len(words), 0, -1):
        for last in (words[size - 1], singularise(words[size - 1])):
            phrase = " ".join([*words[: size - 1], last])
            if phrase in EN_UNITS:
                return EN_UNITS[phrase], size
    return None


def leading_run(words: list[tuple[str, int]], lang: str) -> list[tuple[str, int]]:
    """Cut a word list at the first stop word."""
    run = []
    for word, end in words:
        if word.lower() in STOP_WORDS[lang]:
            break
        run.append((word.lower(), end))
    return run


VI_MODIFIERS = frozenset(
    [
        "mới",
        "cũ",
        "lớn",
        "nhỏ",
        "hiện",
        "chính",
        "phụ",
        "khác",
        "nữa",
        "đầu",
        "cuối",
        "trung",
        "tháng",
        "tuần",
        "ngày",
        "năm",
        "quý",
    ]
)
_ASCII_WORD = re.compile(r"[a-z][a-z'’-]*")


def is_abbreviation(word: str) -> bool:
    """Tell whether a word as written is an abbreviation in capitals ("KĐT", "MAU", "DA")."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def is_english(word: str) -> bool:
    """Tell whether a lowercase word is plain ASCII and not a Vietnamese word without marks."""
    return bool(_ASCII_WORD.fullmatch(word)) and word not in VI_PLAIN_WORDS


def read_english_in_vi(
    run: list[tuple[str, int]], cased: list[str]
) -> tuple[str | None, int | None]:
    """Read English words inside a Vietnamese sentence: a known English noun, else the words."""
    english = []
    for index, (word, end) in enumerate(run):
        if not is_english(word) or is_abbreviation(cased[index]):
            break
        english.append((word, end))
    names = [word for word, _ in english]
    for index in range(len(names)):
        found = match_en(names[index:])
        if found and index + found[1] == len(names):
            return found[0], english[-1][1]
    for index in range(len(names)):
        found = match_en(names[index:])
        if found:
            return found[0], english[index + found[1] - 1][1]
    head = english[:2]
    return " ".join(word for word, _ in head), head[-1][1]


def read_vi_unit(
    words: list[tuple[str, int]], cased: list[str] | None = None
) -> tuple[str | None, int | None]:
    """Read a head-first Vietnamese unit, per the module rules."""
    names = [word.lower() for word, _ in words]
    cased = cased or [word for word, _ in words]
    # Match known nouns before cutting at stop words: "theo dõi" starts with "theo".
    found = match_vi(names)
    if found:
        return found[0], words[found[1] - 1][1]
    run = leading_run(words, "vi")
    if not run:
        return None, None
    if is_abbreviation(cased[0]):
        return run[0][0], run[0][1]
    if is_english(run[0][0]):
        return read_english_in_vi(run, cased)
    head = run[:1]
    if len(run) > 1 and run[1][0] not in VI_MODIFIERS:
        second = cased[1]
        if second.islower() and not is_english(run[1][0]):
            head = run[:2]
    return " ".join(word for word, _ in head), head[-1][1]


def read_en_unit(run: list[tuple[str, int]]) -> tuple[str | None, int | None]:
    """Read a head-last English unit from a run of words."""
    names = [word for word, _ in run]
    best: tuple[str, int] | None = None
    best_end = -1
    for index in range(len(names)):
        found = match_en(names[index:])
        # The match reaching furthest right is the head noun; ties keep the longer phrase.
        if found and index + found[1] > best_end:
            best, best_end = (found[0], run[index + found[1] - 1][1]), index + found[1]
    if best:
        return best
    phrase = run[:1]
    for word, end in run[1:]:
        if word.endswith(("ly", "ed", "ing")):
            break
        phrase.append((word, end))
    return singularise(phrase[-1][0]), phrase[-1][1]


_OF = re.compile(r"\s+of\s+(?:\d+\s+)?(?:(?:the|our|all|new)\s+)?")


def read_unit(text: str, pos: int, lang: str, cased: str | None = None) -> tuple[str | None, int]:
    """Return the unit written after a number at `pos` and where it ends."""
    end = percent_word_end(text, pos)
    if end is not None:
        return "%", end
    if lang == "en":
        of = _OF.match(text, pos)
        pos = of.end() if of else pos
    words = next_words(text, pos)
    if lang == "vi":
        original = [cased[end - len(word) : end] for word, end in words] if cased else None
        unit, unit_end = read_vi_unit(words, original)
    else:
        run = leading_run(words, lang)
        unit, unit_end = read_en_unit(run) if run else (None, None)
    return unit, unit_end if unit_end is not None else pos


def nouns_in(text: str, lang: str) -> list[str]:
    """List the known counted nouns in a stretch of text, left to right."""
    names = [word.lower() for word, _ in next_words(text, 0, limit=40)]
    found: list[str] = []
    index = 0
    while index < len(names):
        match = match_vi(names[index:]) if lang == "vi" else match_en(names[index:])
        if match and match[0] not in DURATIONS and match[0] != "%":
            found.append(match[0])
            index += match[1]
        else:
            index += 1
    return found


_NUMBER_OF = re.compile(r"\b(?:number of|số lượng|số)\s+")
SCORE_UNITS = ("điểm", "point")


def look_back_unit(text: str, lang: str) -> str | None:
    """Find the counted noun named before a bare number ("tăng người theo dõi lên 50.000")."""
    words = re.sub(r"[^\w\s'’-]", " ", text)
    nouns = nouns_in(words, lang)
    if not nouns:
        return None
    score = next((noun for noun in nouns if noun in SCORE_UNITS), None)
    if score:
        return score
    counted = _NUMBER_OF.search(words)
    if counted:
        after = nouns_in(words[counted.end() :], lang)
        if after:
            return after[0]
    return nouns[0] if lang == "vi" else nouns[-1]
