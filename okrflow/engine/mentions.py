"""Find @mentions of people in a comment and split it for display: pure logic, no Django.

A mention is `@` followed by a person's full name, matched ignoring case and Vietnamese
diacritics ("@nguyen van an" finds "Nguyễn Văn An"), so people can type names without the
Vietnamese keyboard. Where two names match, the longer wins ("@An Lê" over "@An"); where two
people share a name, the one picked from the completion list (`preferred`) wins.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from okrflow.engine.text import fold, fold_with_positions


@dataclass(frozen=True)
class Mention:
    """A person named in the text, at [start, end) of the NFC-normalised text."""

    start: int
    end: int
    person_id: int


def normalise(text: str) -> str:
    """Return the text in the form mention offsets refer to (NFC, the form the database keeps)."""
    return unicodedata.normalize("NFC", text)


def folded_name(name: str) -> str:
    return " ".join(fold(name).split())


def is_mention_start(text: str, index: int) -> bool:
    """An `@` starts a mention unless it sits inside a word (an e-mail address)."""
    return text[index] == "@" and (index == 0 or not text[index - 1].isalnum())


def find_mentions(
    text: str, people: Iterable[tuple[int, str]], preferred: Iterable[int] = ()
) -> list[Mention]:
    """Return the mentions in `text` (NFC) of the given (person id, full name) pairs, in order."""
    text = normalise(text)
    if "@" not in text:
        return []
    names: dict[str, list[int]] = {}
    for person_id, name in people:
        key = folded_name(name)
        if key:
            names.setdefault(key, []).append(person_id)
    if not names:
        return []
    wanted = set(preferred)
    folded, origins = fold_with_positions(text)
    found: list[Mention] = []
    covered_until = 0
    for index in range(len(text)):
        if index < covered_until or not is_mention_start(text, index):
            continue
        mention = mention_at(text, index, folded, origins, names, wanted)
        if mention is not None:
            found.append(mention)
            covered_until = mention.end
    return found


def mention_at(
    text: str,
    index: int,
    folded: str,
    origins: Sequence[int],
    names: dict[str, list[int]],
    wanted: set[int],
) -> Mention | None:
    """Return the longest name that follows the `@` at `index` and ends at a word's end."""
    position = next((p for p, origin in enumerate(origins) if origin > index), None)
    if position is None:
        return None
    best = ""
    for name in names:
        end = position + len(name)
        ends_word = end == len(folded) or not folded[end : end + 1].isalnum()
        if len(name) > len(best) and folded.startswith(name, position) and ends_word:
            best = name
    if not best:
        return None
    ids = sorted(names[best])
    person_id = next((pk for pk in ids if pk in wanted), ids[0])
    end = origins[position + len(best) - 1] + 1
    return Mention(index, end, person_id)


def first_words(text: str) -> set[str]:
    """Return the folded first word after each `@`: enough to narrow the people to look up."""
    text = normalise(text)
    words: set[str] = set()
    for index in range(len(text)):
        if is_mention_start(text, index):
            rest = fold(text[index + 1 : index + 101]).split()
            if rest:
                words.add(rest[0])
    return words


def split_text(text: str, mentions: Sequence[Mention]) -> list[str | Mention]:
    """Cut the text into plain pieces and mentions, in order, for display."""
    pieces: list[str | Mention] = []
    cursor = 0
    for mention in sorted(mentions, key=lambda m: m.start):
        if mention.start < cursor or mention.end > len(text):
            continue  # offsets from an older text: show it as typed
        if mention.start > cursor:
            pieces.append(text[cursor : mention.start])
        pieces.append(mention)
        cursor = mention.end
    if cursor < len(text):
        pieces.append(text[cursor:])
    return pieces
