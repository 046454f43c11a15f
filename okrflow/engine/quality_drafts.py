"""What the quality checker reads: objectives and key results as drafts, from text or figures.

A key result reaches the checker in one of two ways:
* as a sentence ("Tăng 20% lượng truy cập website so với quý I"): `draft_from_sentence` runs the
  KR parser and resolves the stated deadline inside the cycle;
* as stored figures (a template, a JSON or CSV row, a saved key result): `draft_from_figures`
  turns the model's shape and numbers into the same draft.

Either way the draft keeps the parser's vocabulary (kind, direction, relative), because the
rules ask questions like "does it say where it starts?" that the model's shape has already
answered by choosing a default.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from okrflow.engine.kr_parser import ParsedKeyResult, detect_language, parse_key_result
from okrflow.engine.quality_dates import Window, deadline_date

KINDS = ("percentage", "currency", "metric", "recurring", "milestone", "activity", "template")
FROM_TO_KINDS = ("percentage", "currency", "metric")

_VI_COMPARISON = re.compile(
    r"\b(?:so\s+với|so\s+cùng\s+kỳ|tương\s+đương)\s+(?P<label>[^,;:()\n]+)"
    r"|(?P<same>cùng\s+kỳ\s+năm\s+(?:trước|ngoái))",
    re.IGNORECASE,
)
_EN_COMPARISON = re.compile(
    r"\b(?:compared\s+(?:to|with)|vs\.?|versus|relative\s+to|than)\s+(?P<label>[^,;:()\n]+)"
    r"|\bover\s+(?P<over>(?:the\s+)?(?:last|previous|prior|same)\s+[a-z]+(?:\s+[a-z]+)?"
    r"|q[1-4]\b(?:\s*\d{4})?|(?:19|20)\d{2}\b)"
    r"|\b(?P<short>yoy|qoq|mom|year[- ]over[- ]year|quarter[- ]over[- ]quarter"
    r"|month[- ]over[- ]month)\b",
    re.IGNORECASE,
)
_LABEL_WORDS = 8
_LABEL_LENGTH = 100


@dataclass(frozen=True, slots=True)
class KeyResultDraft:
    """What a key result commits to, in the parser's vocabulary."""

    text: str
    lang: str = "vi"
    kind: str = "metric"
    start: Decimal | None = None
    target: Decimal | None = None
    direction: str = "achieve"
    relative: bool = False
    baseline_named: bool = False
    deadline_stated: bool = False
    due: datetime.date | None = None

    @property
    def measurable(self) -> bool:
        """Tell whether anything in the key result can be measured."""
        return self.kind not in ("activity", "template")


@dataclass(frozen=True, slots=True)
class ObjectiveDraft:
    """An objective with its key results; `owner_key` groups objectives of one owner."""

    title: str
    lang: str = "vi"
    owner_key: str | None = None
    owner_kind: str | None = None
    key_results: tuple[KeyResultDraft, ...] = ()


def baseline_label(text: str, lang: str) -> str:
    """Return the period or party a sentence compares against ("quý I"), or ""."""
    pattern = _VI_COMPARISON if lang == "vi" else _EN_COMPARISON
    match = pattern.search(text)
    if match is None:
        return ""
    label = next(group for group in match.groups() if group)
    words = label.strip().rstrip(".").split()
    return " ".join(words[:_LABEL_WORDS])[:_LABEL_LENGTH]


def draft_from_parse(
    parsed: ParsedKeyResult, window: Window | None = None
) -> tuple[KeyResultDraft, str]:
    """Build a draft from a parse; also return the comparison label the sentence names."""
    label = baseline_label(parsed.text, parsed.lang)
    due = deadline_date(parsed.deadline, window) if parsed.deadline and window else None
    draft = KeyResultDraft(
        text=parsed.text,
        lang=parsed.lang,
        kind=parsed.kind,
        start=parsed.start,
        target=parsed.target,
        direction=parsed.direction,
        relative=parsed.relative,
        baseline_named=bool(label) or parsed.start is not None,
        # A stated start ("từ 15/4") frames the time too: the key result runs from it to the end.
        deadline_stated=parsed.deadline is not None or parsed.starts is not None,
        due=due,
    )
    return draft, label


def draft_from_sentence(
    text: str, lang: str | None = None, window: Window | None = None
) -> KeyResultDraft:
    """Parse a key-result sentence into a draft."""
    return draft_from_parse(parse_key_result(text, lang), window)[0]


def draft_from_figures(
    text: str,
    *,
    shape: str,
    lang: str | None = None,
    direction: str = "increase",
    start: Decimal | None = None,
    target: Decimal | None = None,
    unit: str = "",
    relative_change: Decimal | None = None,
    baseline_label: str = "",
    per_period: int | None = None,
    due: datetime.date | None = None,
) -> KeyResultDraft:
    """Build a draft from a stored key result's shape and figures (model vocabulary).

    Each shape's draft is made at once (an import describes 150,000 key results here, and
    `dataclasses.replace` looks at the class's fields each time)."""
    lang = lang or detect_language(text)
    stated = due is not None
    if shape == "milestone":
        return KeyResultDraft(text, lang, "milestone", deadline_stated=stated, due=due)
    if shape == "recurring":
        count = Decimal(per_period) if per_period is not None else None
        return KeyResultDraft(
            text,
            lang,
            "recurring",
            target=count,
            direction="at_least",
            deadline_stated=stated,
            due=due,
        )
    if shape == "relative":
        named = bool(baseline_label) or start is not None
        return KeyResultDraft(
            text,
            lang,
            "percentage",
            target=relative_change,
            direction=direction,
            relative=True,
            baseline_named=named,
            deadline_stated=stated,
            due=due,
        )
    if shape == "threshold":
        kind = "percentage" if unit.strip() == "%" else "metric"
    else:
        kind = shape if shape in FROM_TO_KINDS else "metric"
    return KeyResultDraft(
        text,
        lang,
        kind,
        start=start,
        target=target,
        direction=direction,
        baseline_named=start is not None or bool(baseline_label),
        deadline_stated=stated,
        due=due,
    )
