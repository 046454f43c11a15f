"""Check objectives and key results against the method's writing rules.

"I will (Objective) as measured by (Key Results)": the objective is qualitative, each key result
is a measurable outcome with a starting point and a deadline inside the cycle, and an owner keeps
few objectives with few key results each. Every rule has a stable id; a finding carries the id
and the numbers its message needs, and the app turns it into a sentence and a fix in the
reader's language (`okrflow.library.quality_messages`).

Rules (id: when it fires):
* ``objective_has_number``: the objective states a number other than a date ("Top 3",
  "10.000 khách hàng"); numbers belong in key results.
* ``kr_not_measurable``: nothing can be measured: no number, no deadline, no done-state
  ("Improve customer satisfaction").
* ``kr_is_activity``: the key result opens with a work verb and has no number, so "done" only
  means the work happened ("Tổ chức hội nghị khách hàng trong tháng 4"); it is an initiative,
  or should name the outcome the work brings.
* ``kr_missing_baseline``: a number that should move has no starting point: "lên 20%" without
  "từ …", or "+25%" without saying compared with what.
* ``kr_no_deadline`` (tip): no deadline is written; the cycle's end is assumed. A recurring
  commitment ("mỗi tuần") runs the whole cycle and is not asked for one.
* ``kr_deadline_outside_cycle``: the written deadline falls outside the cycle.
* ``kr_target_equals_baseline``: the target is the starting value (or a change of 0%).
* ``kr_target_wrong_side``: "increase" towards a smaller target, or "decrease" to a larger one.
* ``kr_duplicate``: two key results of one objective say (almost) the same thing.
* ``too_few_key_results`` (tip), ``too_many_key_results``, ``too_few_objectives`` (tip),
  ``too_many_objectives``: counts outside the focus ranges (`okrflow.engine.focus`).
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from okrflow.engine.focus import FocusRules, OwnerKind, check_objective_focus, check_owner_focus
from okrflow.engine.kr_parser import prepare_text
from okrflow.engine.kr_parser_dates import extract_baseline, extract_deadline, mask_noise
from okrflow.engine.numbers import find_numbers
from okrflow.engine.quality_dates import Window
from okrflow.engine.quality_drafts import (
    FROM_TO_KINDS,
    KeyResultDraft,
    ObjectiveDraft,
    draft_from_sentence,
)
from okrflow.engine.quality_lexicon import ACTIVITY_VERBS, LEAD_WORDS

WARNING = "warning"
TIP = "tip"

RULES: dict[str, str] = {
    "objective_has_number": WARNING,
    "kr_not_measurable": WARNING,
    "kr_is_activity": WARNING,
    "kr_missing_baseline": WARNING,
    "kr_no_deadline": TIP,
    "kr_deadline_outside_cycle": WARNING,
    "kr_target_equals_baseline": WARNING,
    "kr_target_wrong_side": WARNING,
    "kr_duplicate": WARNING,
    "too_few_key_results": TIP,
    "too_many_key_results": WARNING,
    "too_few_objectives": TIP,
    "too_many_objectives": WARNING,
}
RULE_ORDER = {rule: index for index, rule in enumerate(RULES)}
DUPLICATE_SIMILARITY = 0.9
DEFAULT_FOCUS = FocusRules()


def phrase_pattern(phrases: tuple[str, ...]) -> str:
    """Build a regex alternation, longest phrase first ("take part in" before "take")."""
    return "|".join(re.escape(p) for p in sorted(phrases, key=len, reverse=True))


_ACTIVITY = {
    lang: re.compile(
        rf"^\s*(?:(?:{phrase_pattern(LEAD_WORDS)})\s+)*(?P<verb>{phrase_pattern(verbs)})(?!\w)"
    )
    for lang, verbs in ACTIVITY_VERBS.items()
}
_NOT_WORD = re.compile(r"[^\w%]+")


@dataclass(frozen=True, slots=True)
class Finding:
    """One rule that an objective or key result breaks, with the numbers its message needs.

    `objective` and `key_result` are 0-based positions in what was checked.
    """

    rule: str
    objective: int | None = None
    key_result: int | None = None
    params: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> str:
        return RULES[self.rule]

    def to_json(self) -> dict[str, Any]:
        """Return the finding as a JSON-ready dict."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "objective": self.objective,
            "key_result": self.key_result,
            "params": dict(self.params),
        }


def normalise(text: str) -> str:
    """Lowercase, drop the "KR1:" label and punctuation, for comparing sentences."""
    text = prepare_text(text)
    return " ".join(_NOT_WORD.sub(" ", text).split())


def activity_verb(text: str, lang: str) -> str | None:
    """Return the work verb a sentence opens with ("tổ chức", "write"), if any."""
    match = _ACTIVITY[lang].match(prepare_text(text))
    return match["verb"] if match else None


def stated_numbers(text: str, lang: str) -> list[str]:
    """Return the numbers a sentence states, leaving out dates, periods and labels."""
    work = mask_noise(prepare_text(text))
    work, _comparison = extract_baseline(work)
    work, _deadline = extract_deadline(work, lang)
    return [span.raw for span in find_numbers(work, lang)]


def check_objective_title(title: str, lang: str) -> list[Finding]:
    """Check the objective's own sentence: it should be qualitative."""
    numbers = stated_numbers(title, lang)
    if numbers:
        return [Finding("objective_has_number", params={"number": numbers[0]})]
    return []


def measurability_findings(kr: KeyResultDraft) -> list[Finding]:
    """Report key results that measure nothing, or only that some work happened."""
    if kr.kind not in ("activity", "milestone", "template"):
        return []
    verb = activity_verb(kr.text, kr.lang)
    if verb is not None:
        return [Finding("kr_is_activity", params={"verb": verb})]
    if kr.kind in ("activity", "template"):
        return [Finding("kr_not_measurable")]
    return []


def baseline_findings(kr: KeyResultDraft) -> list[Finding]:
    """Report a missing start, a target equal to it, or a target on the wrong side."""
    if kr.kind not in FROM_TO_KINDS:
        return []
    if kr.relative:
        if kr.target is not None and kr.target == 0:
            return [Finding("kr_target_equals_baseline", params={"target": str(kr.target)})]
        return [] if kr.baseline_named else [Finding("kr_missing_baseline")]
    if kr.start is None:
        # A named period ("so với quý I") is not a starting number for a level target.
        if kr.direction in ("increase", "decrease"):
            return [Finding("kr_missing_baseline")]
        return []
    if kr.target is None:
        return []
    params = {"start": str(kr.start), "target": str(kr.target)}
    if kr.start == kr.target:
        return [Finding("kr_target_equals_baseline", params=params)]
    wrong = (kr.direction == "increase" and kr.target < kr.start) or (
        kr.direction == "decrease" and kr.target > kr.start
    )
    if wrong:
        return [Finding("kr_target_wrong_side", params=params | {"direction": kr.direction})]
    return []


def deadline_findings(kr: KeyResultDraft, window: Window | None) -> list[Finding]:
    """Report a key result without a deadline, or with one outside the cycle."""
    if not kr.deadline_stated:
        # A recurring commitment runs the whole cycle; it has no single deadline to write.
        return [] if kr.kind == "recurring" else [Finding("kr_no_deadline")]
    if window is not None and kr.due is not None and not window.contains(kr.due):
        return [
            Finding(
                "kr_deadline_outside_cycle",
                params={
                    "due": kr.due.isoformat(),
                    "start": window.start.isoformat(),
                    "end": window.end.isoformat(),
                },
            )
        ]
    return []


def check_key_result(kr: KeyResultDraft, window: Window | None = None) -> list[Finding]:
    """Check one key result on its own."""
    return [
        *measurability_findings(kr),
        *baseline_findings(kr),
        *deadline_findings(kr, window),
    ]


def check_sentence(
    text: str, lang: str | None = None, window: Window | None = None
) -> list[Finding]:
    """Parse a key-result sentence and check it."""
    return check_key_result(draft_from_sentence(text, lang, window), window)


# difflib leaves out a text's frequent characters ("autojunk") from this length on.
_AUTOJUNK_LENGTH = 200


def char_positions(text: str) -> dict[str, list[int]]:
    """Where each character of a text stands (difflib's index of a text without junk)."""
    positions: dict[str, list[int]] = {}
    for index, char in enumerate(text):
        positions.setdefault(char, []).append(index)
    return positions


def longest_run(
    a: str, b2j: dict[str, list[int]], alo: int, ahi: int, blo: int, bhi: int
) -> tuple[int, int, int]:
    """difflib's `find_longest_match` without junk, for `a[alo:ahi]` and `b[blo:bhi]` (`b2j`:
    `b`'s `char_positions`): the run ending at (i, j) is one longer than the one ending at
    (i - 1, j - 1); the first longest wins. Returns its start in `a`, in `b`, and its size."""
    besti, bestj, bestsize = alo, blo, 0
    run_at: dict[int, int] = {}
    for i in range(alo, ahi):
        next_run_at: dict[int, int] = {}
        for j in b2j.get(a[i], ()):
            if j < blo:
                continue
            if j >= bhi:
                break
            k = next_run_at[j] = run_at.get(j - 1, 0) + 1
            if k > bestsize:
                besti, bestj, bestsize = i - k + 1, j - k + 1, k
        run_at = next_run_at
    return besti, bestj, bestsize


def similarity(a: str, b: str, b2j: dict[str, list[int]]) -> float:
    """`SequenceMatcher(None, a, b).ratio()` for `b` under 200 characters (`b2j`: its
    `char_positions`): the same number, computed here.

    difflib's ratio sums its matching blocks: the longest common run of the two texts, then the
    same on either side of it, and so on. This finds exactly those runs (the same longest run,
    the first in each text among equals), without the named tuples and calls difflib spends on
    each: an import compares 100,000 pairs of key results. From 200 characters on, difflib
    leaves out a text's frequent characters: such a text is not for this function.
    """
    matched = 0
    pending = [(0, len(a), 0, len(b))]
    while pending:
        alo, ahi, blo, bhi = pending.pop()
        besti, bestj, bestsize = longest_run(a, b2j, alo, ahi, blo, bhi)
        if bestsize:
            matched += bestsize
            if alo < besti and blo < bestj:
                pending.append((alo, besti, blo, bestj))
            if besti + bestsize < ahi and bestj + bestsize < bhi:
                pending.append((besti + bestsize, ahi, bestj + bestsize, bhi))
    length = len(a) + len(b)
    return 2.0 * matched / length if length else 1.0


def first_longest_run(
    a: str, b: str, alo: int, ahi: int, blo: int, bhi: int
) -> tuple[int, int, int]:
    """`longest_run` of `a[alo:ahi]` and `b[blo:bhi]`, the same answer found by searching
    `b`'s region for ever longer pieces of `a` (the search is Python's own, on whole strings).

    Walking `a` from the left, a run of one more character than the longest so far is looked
    for from each position: the size reaches the longest common run's at the first position
    such a run starts at, and never grows past it. The first place in `b`'s region holding
    that piece is then `bestj`. These are the run `longest_run` keeps (of the longest runs,
    the first in `a`, then in `b`), found in one step per character of `a` (and per character
    the run grows) instead of one per pair of equal characters.
    """
    region = b[blo:bhi]
    besti, bestsize = alo, 0
    for i in range(alo, ahi):
        while i + bestsize < ahi and a[i : i + bestsize + 1] in region:
            bestsize += 1
            besti = i
    if not bestsize:
        return alo, blo, 0
    return besti, blo + region.find(a[besti : besti + bestsize]), bestsize


def reaches(a: str, b: str, threshold: float) -> bool:
    """`similarity(a, b, char_positions(b)) >= threshold`, told as soon as the answer is known
    (`b` under 200 characters; its runs found by `first_longest_run`).

    `similarity` adds up matching runs, region by region. The ratio it returns grows with the
    runs matched so far (2·matched / length, the length fixed), and a region still to search
    can add at most its shorter side's length. So the ratio of the runs matched so far reaching
    the threshold means yes, and the ratio of those runs plus every pending region's shorter
    side falling below it means no: the same answer as the whole computation, often after the
    first run (a key result repeating an earlier one shares most of its text at once).
    """
    length = len(a) + len(b)
    if not length:
        return threshold <= 1.0
    matched = 0
    possible = min(len(a), len(b))  # the most the pending regions can still add
    pending = [(0, len(a), 0, len(b))]
    while pending:
        alo, ahi, blo, bhi = pending.pop()
        possible -= min(ahi - alo, bhi - blo)
        besti, bestj, bestsize = first_longest_run(a, b, alo, ahi, blo, bhi)
        if bestsize:
            matched += bestsize
            if 2.0 * matched / length >= threshold:
                return True
            if alo < besti and blo < bestj:
                pending.append((alo, besti, blo, bestj))
                possible += min(besti - alo, bestj - blo)
            if besti + bestsize < ahi and bestj + bestsize < bhi:
                pending.append((besti + bestsize, ahi, bestj + bestsize, bhi))
                possible += min(ahi - besti - bestsize, bhi - bestj - bestsize)
        if 2.0 * (matched + possible) / length < threshold:
            return False
    return 2.0 * matched / length >= threshold


def duplicate_findings(key_results: Sequence[KeyResultDraft]) -> list[Finding]:
    """Report each key result that repeats an earlier one of the same objective.

    The similarity is `SequenceMatcher(None, text, earlier).ratio()`; it is computed only when
    its cheap upper bounds (`real_quick_ratio`, `quick_ratio`) reach the threshold (under 200
    characters by `reaches`, which stops once the answer is known), and each earlier text
    keeps its matcher (its index of characters is built once, when a later text is first
    compared with it: the last key result of an objective never needs one). Same answers.
    """
    findings = []
    seen: list[str] = []
    # Each earlier text's matcher, and whether `reaches` can answer for it (under 200 chars).
    matchers: dict[int, tuple[difflib.SequenceMatcher[str], bool]] = {}
    for index, kr in enumerate(key_results):
        text = normalise(kr.text)
        if text:
            same_as = None
            for earlier, other in enumerate(seen):
                if other == text:  # identical: the ratio is 1
                    same_as = earlier
                    break
                if earlier not in matchers:
                    short = len(other) < _AUTOJUNK_LENGTH
                    matchers[earlier] = (difflib.SequenceMatcher(None, "", other), short)
                matcher, short = matchers[earlier]
                matcher.set_seq1(text)
                if (
                    matcher.real_quick_ratio() >= DUPLICATE_SIMILARITY
                    and matcher.quick_ratio() >= DUPLICATE_SIMILARITY
                    and (
                        reaches(text, other, DUPLICATE_SIMILARITY)
                        if short
                        else matcher.ratio() >= DUPLICATE_SIMILARITY
                    )
                ):
                    same_as = earlier
                    break
            if same_as is not None:
                findings.append(
                    Finding("kr_duplicate", key_result=index, params={"same_as": same_as})
                )
        seen.append(text)
    return findings


def check_objective(
    objective: ObjectiveDraft, window: Window | None = None, rules: FocusRules = DEFAULT_FOCUS
) -> list[Finding]:
    """Check an objective, each of its key results, their count and repeats."""
    findings = check_objective_title(objective.title, objective.lang)
    for index, kr in enumerate(objective.key_results):
        findings += [
            Finding(f.rule, f.objective, index, f.params) for f in check_key_result(kr, window)
        ]
    for focus in check_objective_focus(len(objective.key_results), rules):
        params = {"count": focus.count, "min": focus.minimum, "max": focus.maximum}
        findings.append(Finding(focus.code, params=params))
    findings += duplicate_findings(objective.key_results)
    return findings


def owner_findings(
    objectives: Sequence[ObjectiveDraft], rules: FocusRules = DEFAULT_FOCUS
) -> list[Finding]:
    """Report owners holding too few or too many objectives, at their first objective."""
    by_owner: dict[str, list[int]] = defaultdict(list)
    for index, objective in enumerate(objectives):
        if objective.owner_key is not None:
            by_owner[objective.owner_key].append(index)
    findings = []
    for owner, indexes in by_owner.items():
        kind = OwnerKind(objectives[indexes[0]].owner_kind or OwnerKind.UNIT)
        for focus in check_owner_focus(kind, len(indexes), rules):
            params = {
                "count": focus.count,
                "min": focus.minimum,
                "max": focus.maximum,
                "owner": owner,
                "owner_kind": kind.value,
            }
            findings.append(Finding(focus.code, objective=indexes[0], params=params))
    return findings


def check_objectives(
    objectives: Sequence[ObjectiveDraft],
    window: Window | None = None,
    rules: FocusRules = DEFAULT_FOCUS,
) -> list[Finding]:
    """Check a set of objectives (a file, a template, an owner's cycle) and their owners."""
    findings: list[Finding] = []
    for index, objective in enumerate(objectives):
        # `replace(f, objective=index)`, without its look at the class's fields for each of a
        # large file's findings.
        findings += [
            Finding(f.rule, index, f.key_result, f.params)
            for f in check_objective(objective, window, rules)
        ]
    findings += owner_findings(objectives, rules)
    return sorted(findings, key=finding_order)


def finding_order(finding: Finding) -> tuple[int, int, int]:
    """Order findings as the text reads: by objective, objective-level first, then by KR."""
    objective = -1 if finding.objective is None else finding.objective
    key_result = -1 if finding.key_result is None else finding.key_result
    return (objective, key_result, RULE_ORDER[finding.rule])
