"""Read the unit that follows (or, failing that, precedes) a number in a key result.

Vietnamese noun phrases are head-first ("khách hàng doanh nghiệp" counts "khách hàng"), so
the first known noun after the number wins. English ones are head-last ("enterprise
customers" counts "customer"), so the last known noun before a stop word wins. Unknown nouns
fall back to the first two Vietnamese words or the last English word, singularised.
"""

from __future__ import annotations

import re

from okrflow.engine.kr_parser_lexicon import (
    EN_UNITS,
    IRREGULAR_PLURALS,
    PERCENT_WORDS,
    STOP_WORDS,
    VI_UNITS,
)

DURATIONS = ("minutes", "hours", "days", "seconds")
GLUED_UNITS = {
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


def read_vi_unit(words: list[tuple[str, int]]) -> tuple[str | None, int | None]:
    """Read a head-first Vietnamese unit: a known noun, else the first two plain words."""
    names = [word.lower() for word, _ in words]
    # Match known nouns before cutting at stop words: "theo dõi" starts with "theo".
    found = match_vi(names) or match_en(names[:1])
    if found:
        return found[0], words[found[1] - 1][1]
    fallback = leading_run(words, "vi")[:2]
    if not fallback:
        return None, None
    return " ".join(word for word, _ in fallback), fallback[-1][1]


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
    fallback = run[:2]
    return singularise(fallback[-1][0]), fallback[-1][1]


def read_unit(text: str, pos: int, lang: str) -> tuple[str | None, int]:
    """Return the unit written after a number at `pos` and where it ends."""
    end = percent_word_end(text, pos)
    if end is not None:
        return "%", end
    words = next_words(text, pos)
    if lang == "vi":
        unit, unit_end = read_vi_unit(words)
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


def look_back_unit(text: str, lang: str) -> str | None:
    """Find the counted noun named before a bare number ("tăng người theo dõi lên 50.000")."""
    words = re.sub(r"[^\w\s'’-]", " ", text)
    nouns = nouns_in(words, lang)
    if not nouns:
        return None
    return nouns[0] if lang == "vi" else nouns[-1]
