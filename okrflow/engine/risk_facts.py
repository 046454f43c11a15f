"""The facts the risk rules read and the risks they return, as plain data (see risk.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class RiskKind(StrEnum):
    """Name the four risks a check-in rhythm must catch."""

    END_OF_CYCLE = "end_of_cycle"
    SUDDEN = "sudden"
    OFF_COURSE = "off_course"
    BELOW_EXPECTATIONS = "below_expectations"


class Severity(StrEnum):
    """Name how urgently a risk needs attention."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}
KIND_RANK = {kind: rank for rank, kind in enumerate(RiskKind)}


@dataclass(frozen=True)
class RiskSettings:
    """Hold every threshold of the rules; docs/risks.md explains each default."""

    end_of_cycle_chance: float = 0.25
    end_of_cycle_high_chance: float = 0.10
    end_of_cycle_min_points: int = 3
    end_of_cycle_min_elapsed: float = 0.15
    sudden_value_drop: float = 0.10
    sudden_confidence_drop: float = 0.25
    sudden_recent_days: int = 14
    stale_days: int = 21
    effort_days: int = 21
    effort_min_checkins: int = 2
    effort_movement_share: float = 0.25
    effort_min_pace_movement: float = 0.10
    below_run: int = 3
    below_gap: float = 0.10
    below_min_obstacles: int = 2
    below_regular_share: float = 0.75
    # The owner's own sense of pace (risk_self_pace.py): how far behind the pace line a "slow"
    # raises a risk, and a "fast" is worth a look.
    self_pace_gap: float = 0.10
    self_pace_fast_gap: float = 0.20


@dataclass(frozen=True)
class CheckinFact:
    """One check-in on a key result: its progress then, the pace then, confidence, obstacle."""

    day: date
    progress: float | None
    pace: float
    confidence: float | None = None
    obstacle: str = ""
    blocking: bool = False
    # Whose check-in this is: its confidence and obstacle are theirs to share (with their
    # managers and admins), so evidence quoting them records whose they are.
    person_id: int | None = None
    # The owner's own sense of pace at this check-in: "fast", "normal", "slow" or "" (not said).
    self_pace: str = ""


@dataclass(frozen=True)
class KeyResultFacts:
    """What the rules know about one key result."""

    key_result_id: int
    objective_id: int
    owner_id: int | None
    start_date: date
    due_date: date
    success_bar: float
    progress: float
    pace: float
    values: tuple[tuple[date, float], ...] = ()  # dated progress of every recorded value
    checkins: tuple[CheckinFact, ...] = ()
    is_milestone: bool = False
    chance_of_bar: float | None = None
    forecast_expected: float | None = None
    forecast_low: float | None = None
    forecast_high: float | None = None
    forecast_points: int = 0
    initiatives_done: tuple[date, ...] = ()
    # The pace on the day the effort window opens (today - effort_days); None: a straight line.
    pace_before: float | None = None
    # The day the key result was added; None: it existed from its window's start.
    added_on: date | None = None
    # A compound key result's parts, each with its own forecast; () for any other key result.
    parts: tuple[PartFacts, ...] = ()


@dataclass(frozen=True)
class PartFacts:
    """What the rules know about one part of a compound key result (#16)."""

    label: str
    progress: float
    forecast_expected: float | None = None
    chance_of_bar: float | None = None
    forecast_points: int = 0


@dataclass(frozen=True)
class ObjectiveFacts:
    """What the rules know about one objective's place in the alignment."""

    objective_id: int
    owner_id: int | None
    is_company_level: bool
    parent_ids: tuple[int, ...] = ()
    archived_parents: tuple[tuple[int, str], ...] = ()  # (id, title)


@dataclass(frozen=True)
class Risk:
    """One risk: what, how bad, where, the evidence as a code with numbers, and what to do."""

    kind: RiskKind
    severity: Severity
    objective_id: int
    key_result_id: int | None
    owner_id: int | None
    code: str
    suggestion: str
    params: dict[str, float | int | str] = field(default_factory=dict)

    def sort_key(self) -> tuple[int, int, int, int]:
        return (
            SEVERITY_RANK[self.severity],
            KIND_RANK[self.kind],
            self.objective_id,
            self.key_result_id or 0,
        )


def make_risk(
    kind: RiskKind,
    severity: Severity,
    kr: KeyResultFacts,
    code: str,
    suggestion: str,
    **params: float | int | str,
) -> Risk:
    """Build a risk about a key result."""
    return Risk(
        kind,
        severity,
        kr.objective_id,
        kr.key_result_id,
        kr.owner_id,
        code,
        suggestion,
        dict(params),
    )


def checkin_people(*checkins: CheckinFact) -> str:
    """Record whose check-ins a risk's evidence quotes, as "3,7" (params hold only scalars)."""
    ids = sorted({c.person_id for c in checkins if c.person_id is not None})
    return ",".join(str(pk) for pk in ids)
