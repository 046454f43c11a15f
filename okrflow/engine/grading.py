"""Grade key results and objectives at the end of a cycle, without touching the database.

Scores run from 0.0 to 1.0. A key result's score is its progress, clamped and cut (not rounded)
to two decimals, so 99.6% of a committed target is 0.99, not a success. An objective's score
is the weighted mean of its key results' scores. Success depends on the objective's kind: a
committed objective needs 1.0, an aspirational one 0.7 (the article's 100% and 70%).

Bands read a score rounded to one decimal, as the method grades: 0.0–0.3 red (we failed to make
real progress), 0.4–0.6 yellow (progress, but short of the goal), 0.7–1.0 green (delivered).
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from enum import StrEnum

from okrflow.engine.progress import (
    Direction,
    KeyResultFigures,
    Shape,
    effective_target,
    key_result_progress,
    raw_key_result_progress,
)

HUNDREDTH = Decimal("0.01")
TENTH = Decimal("0.1")
SUCCESS_BARS = {"committed": Decimal("1.0"), "aspirational": Decimal("0.7")}


class Band(StrEnum):
    """Name the three grading bands."""

    RED = "red"  # 0.0–0.3
    YELLOW = "yellow"  # 0.4–0.6
    GREEN = "green"  # 0.7–1.0


@dataclass(frozen=True)
class KeyResultGrade:
    """A key result's final score and the target it was measured against."""

    key_result_id: int
    progress: float  # raw progress, may exceed 1 or fall below 0
    score: Decimal
    band: Band
    target: Decimal | None


@dataclass(frozen=True)
class ObjectiveGrade:
    """An objective's final score, band and whether its kind counts it a success."""

    objective_id: int
    kind: str
    score: Decimal
    band: Band
    success: bool
    key_results: tuple[KeyResultGrade, ...]


def success_bar(kind: str) -> Decimal:
    """Return the score an objective of this kind needs to count as a success."""
    return SUCCESS_BARS.get(kind, Decimal("1.0"))


def score_from_progress(progress: float) -> Decimal:
    """Turn progress into a score in [0, 1], cut to two decimals."""
    return clamped_score(min(1.0, max(0.0, progress)))


@functools.lru_cache(maxsize=65536, typed=True)
def clamped_score(clamped: float) -> Decimal:
    """`score_from_progress` of a progress in [0, 1] (a refresh scores 150,000 key results,
    whose progress takes far fewer values)."""
    return Decimal(str(clamped)).quantize(HUNDREDTH, rounding=ROUND_DOWN)


@functools.lru_cache(maxsize=1024)
def band_for(score: Decimal) -> Band:
    """Return the band of a score, read at one decimal."""
    grade = score.quantize(TENTH, rounding=ROUND_HALF_UP)
    if grade <= Decimal("0.3"):
        return Band.RED
    if grade <= Decimal("0.6"):
        return Band.YELLOW
    return Band.GREEN


def with_target(figures: KeyResultFigures, target: Decimal | None) -> KeyResultFigures:
    """Return the figures measured against another target (e.g. the original one)."""
    if target is None or figures.shape in (Shape.MILESTONE, Shape.RECURRING):
        return figures
    return dataclasses.replace(figures, target=target)


def grade_key_result(key_result_id: int, figures: KeyResultFigures) -> KeyResultGrade:
    """Score one key result from its final figures."""
    score = score_from_progress(key_result_progress(figures))
    return KeyResultGrade(
        key_result_id=key_result_id,
        progress=raw_key_result_progress(figures),
        score=score,
        band=band_for(score),
        target=effective_target(figures),
    )


def objective_score(parts: Sequence[tuple[Decimal, Decimal]]) -> Decimal:
    """Return the weighted mean of (score, weight) parts, cut to two decimals; 0 without parts."""
    total_weight = sum((weight for _, weight in parts), Decimal(0))
    if not parts or total_weight <= 0:
        return Decimal("0.00")
    weighted = sum((score * weight for score, weight in parts), Decimal(0))
    return (weighted / total_weight).quantize(HUNDREDTH, rounding=ROUND_DOWN)


def grade_objective(
    objective_id: int,
    kind: str,
    key_results: Sequence[tuple[int, KeyResultFigures, Decimal]],
) -> ObjectiveGrade:
    """Grade an objective from its key results' (id, final figures, weight)."""
    grades = tuple(grade_key_result(kr_id, figures) for kr_id, figures, _ in key_results)
    score, band, success = verdict(
        kind,
        [(grade.score, weight) for grade, (_, _, weight) in zip(grades, key_results, strict=True)],
    )
    return ObjectiveGrade(
        objective_id=objective_id,
        kind=kind,
        score=score,
        band=band,
        success=success,
        key_results=grades,
    )


def verdict(kind: str, parts: Sequence[tuple[Decimal, Decimal]]) -> tuple[Decimal, Band, bool]:
    """Return an objective's score, band and success from its key results' (score, weight)."""
    score = objective_score(parts)
    return score, band_for(score), bool(parts) and score >= success_bar(kind)


def preview_grade(
    kind: str, key_results: Sequence[tuple[float, Decimal]]
) -> tuple[Decimal, Band, bool]:
    """`grade_objective`'s score, band and success from its key results' (progress, weight),
    their progress already measured (`key_result_progress` of the same figures): what the
    stored insights show of every objective, without grading each key result again."""
    return verdict(
        kind, [(score_from_progress(progress), weight) for progress, weight in key_results]
    )


@dataclass(frozen=True)
class CarriedFigures:
    """The figures a key result carries into the next cycle: what remains of it."""

    shape: Shape
    start: Decimal | None
    target: Decimal | None
    direction: Direction


def remaining_figures(figures: KeyResultFigures) -> CarriedFigures | None:
    """Return what remains to do of an unfinished key result, None when it is done.

    Numbers start again from where they ended, towards the same target; a relative key result
    becomes a plain number, since its baseline period is over. Milestones and recurring
    commitments carry over as they are.
    """
    if key_result_progress(figures) >= 1.0:
        return None
    if figures.shape in (Shape.MILESTONE, Shape.RECURRING):
        return CarriedFigures(figures.shape, figures.start, figures.target, figures.direction)
    target = effective_target(figures)
    start = figures.current if figures.current is not None else figures.start
    if figures.shape is Shape.THRESHOLD:
        return CarriedFigures(Shape.THRESHOLD, start, target, figures.direction)
    shape = Shape.METRIC if figures.shape is Shape.RELATIVE else figures.shape
    if start is None or target is None or start == target:
        return None
    return CarriedFigures(shape, start, target, figures.direction)
