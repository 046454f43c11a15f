"""Confidence: three one-tap levels, stored as the probability of reaching the target.

high = 0.90, medium = 0.60, low = 0.30. The database keeps the probability (a Decimal in
[0, 1]) so that calibration can compare it with the outcome directly, and a finer scale can
come later without a migration of meaning. `level_of` maps any probability back to a level.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


class ConfidenceLevel(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


PROBABILITY = {
    ConfidenceLevel.HIGH: Decimal("0.90"),
    ConfidenceLevel.MEDIUM: Decimal("0.60"),
    ConfidenceLevel.LOW: Decimal("0.30"),
}
CONFIDENCE_DIGITS = {"max_digits": 3, "decimal_places": 2}


def probability_of(level: str) -> Decimal:
    """Return the stored probability of a level name ("high", "medium", "low")."""
    return PROBABILITY[ConfidenceLevel(level)]


def level_of(probability: Decimal | float | None) -> str | None:
    """Return the level a stored probability belongs to, or None when there is none."""
    if probability is None:
        return None
    if probability >= Decimal("0.75"):
        return ConfidenceLevel.HIGH.value
    if probability >= Decimal("0.45"):
        return ConfidenceLevel.MEDIUM.value
    return ConfidenceLevel.LOW.value
