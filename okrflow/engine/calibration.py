"""Score how well people's confidence predicted their results: Brier score and reliability.

Every weekly confidence (a probability that the key result reaches its success bar) is one
prediction; the outcome is whether the key result did, once its cycle closed. The Brier score is
the mean squared gap between prediction and outcome: 0 is perfect, 0.25 is what always saying
50% earns. The reliability table groups predictions by confidence and shows how often each group
came true: a calibrated person's 80% comes true about 80% of the time.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

DEFAULT_BINS = 5


@dataclass(frozen=True)
class Prediction:
    """One confidence given on a key result and whether it came true."""

    confidence: float
    outcome: bool
    person_id: int | None = None
    unit_id: int | None = None
    key_result_id: int | None = None


@dataclass(frozen=True)
class ReliabilityRow:
    """Predictions whose confidence fell in [low, high): how many, how sure, how often right."""

    low: float
    high: float
    count: int
    mean_confidence: float | None
    observed_rate: float | None


@dataclass(frozen=True)
class Calibration:
    """A summary of predictions: Brier score, its reference, and the reliability table."""

    count: int
    key_results: int
    brier: float | None
    reference_brier: float | None  # the Brier score of always predicting the base rate
    base_rate: float | None
    mean_confidence: float | None
    rows: tuple[ReliabilityRow, ...]

    @property
    def overconfidence(self) -> float | None:
        """Return mean confidence minus how often it came true (positive: too sure)."""
        if self.mean_confidence is None or self.base_rate is None:
            return None
        return self.mean_confidence - self.base_rate

    @property
    def skill(self) -> float | None:
        """Return 1 - Brier / reference: above 0 beats always saying the base rate."""
        if self.brier is None or not self.reference_brier:
            return None
        return 1.0 - self.brier / self.reference_brier


def brier_score(predictions: Sequence[Prediction]) -> float | None:
    """Return the mean squared difference between confidence and outcome."""
    if not predictions:
        return None
    return sum((_clip(p.confidence) - p.outcome) ** 2 for p in predictions) / len(predictions)


def reliability_table(
    predictions: Sequence[Prediction], bins: int = DEFAULT_BINS
) -> tuple[ReliabilityRow, ...]:
    """Group predictions into equal confidence bins (the last one includes 1.0)."""
    grouped: list[list[Prediction]] = [[] for _ in range(bins)]
    for prediction in predictions:
        index = min(bins - 1, int(_clip(prediction.confidence) * bins))
        grouped[index].append(prediction)
    rows = []
    for index, group in enumerate(grouped):
        count = len(group)
        rows.append(
            ReliabilityRow(
                low=index / bins,
                high=(index + 1) / bins,
                count=count,
                mean_confidence=sum(_clip(p.confidence) for p in group) / count if count else None,
                observed_rate=sum(p.outcome for p in group) / count if count else None,
            )
        )
    return tuple(rows)


def calibrate(predictions: Iterable[Prediction], bins: int = DEFAULT_BINS) -> Calibration:
    """Summarise a set of predictions."""
    items = list(predictions)
    if not items:
        return Calibration(0, 0, None, None, None, None, reliability_table([], bins))
    base_rate = sum(p.outcome for p in items) / len(items)
    return Calibration(
        count=len(items),
        key_results=len({p.key_result_id for p in items}),
        brier=brier_score(items),
        reference_brier=base_rate * (1 - base_rate),
        base_rate=base_rate,
        mean_confidence=sum(_clip(p.confidence) for p in items) / len(items),
        rows=reliability_table(items, bins),
    )


def calibrate_by(
    predictions: Iterable[Prediction], key: Callable[[Prediction], Hashable]
) -> dict[Hashable, Calibration]:
    """Summarise predictions per group, e.g. per person or per unit."""
    groups: dict[Hashable, list[Prediction]] = defaultdict(list)
    for prediction in predictions:
        groups[key(prediction)].append(prediction)
    return {group: calibrate(items) for group, items in groups.items()}


def _clip(confidence: float) -> float:
    return min(1.0, max(0.0, confidence))
