"""Compute key result and objective progress, pace and status without touching the database.

Every value is a ``decimal.Decimal``; every progress ratio is a ``float`` in ``[0, 1]`` (the
``raw_`` variant is the only one allowed outside that range, to show over-achievement).

Shapes and their maths
----------------------
* METRIC, PERCENTAGE, CURRENCY, RELATIVE: ``(current - start) / (target - start)``, so a
  DECREASE key result ("churn from 8% to 5%") works without special cases. RELATIVE derives its
  target from the past-period ``start`` and ``relative_change`` (+20% of 1,000 visits -> 1,200)
  unless an explicit target is given.
* THRESHOLD: AT_LEAST is 1 once ``current >= target``, otherwise linear from ``start`` when
  ``start < target``, otherwise ``current / target`` when ``target > 0``. AT_MOST is 1 once
  ``current <= target``, otherwise linear from ``start`` when ``start > target``, otherwise
  ``target / current``.
* MILESTONE: 1 when ``current >= 1`` (done), else 0.
* RECURRING: ``current / required_occurrences``.

Windows
-------
A window runs from ``start_date`` to ``due_date``; the due date is its end point, so pace is 1 on
the due date. A window whose due date is before its start date is treated as ending on its start
date, so pace and counting never raise on bad data (``figure_problems`` reports it instead).

* WEEK recurrences need one batch per started week of the window, i.e. the days from start to due
  divided by 7 and rounded up: every calendar quarter (89 to 91 days from first to last day) is
  13 weeks, so "one newsletter a week" asks for 13.
* MONTH recurrences need one batch per calendar month the window touches: a quarter is 3.
* A period counts as elapsed once the next one begins (a week 7 days after the start, a month on
  the first of the next month); the last period elapses on the due date.

Status
------
``status_for_gap`` compares progress with the pace line (``expected * success_bar``):

* behind by more than ``at_risk_gap`` (default 0.10) -> AT_RISK. In a 13-week quarter one week is
  about 7.7 points of pace, so a 10-point gap is roughly one week behind: worth a look.
* behind by more than ``off_track_gap`` (default 0.25) -> OFF_TRACK. 25 points is about three
  weeks behind, which a weekly check-in rhythm should not let pass silently.
* progress of 1 or more -> DONE.
* no value recorded yet -> NO_DATA (see below).

The success bar scales the pace line: committed key results use 1.0, aspirational ones 0.7, so an
aspirational key result is on track half-way through the cycle at 35%. Milestones have no pace
line (their expected progress is 0 before the due date and 1 from it): they are AT_RISK within ``milestone_at_risk_days`` (default 14, two weekly check-ins to react)
of their due date and OFF_TRACK once it has passed.

No data yet
-----------
A key result without any recorded value (``current is None``) has nothing to judge: calling it
off track from its first second would flood the totals with results nobody has measured yet. It
is NO_DATA while its due date has not passed, and counts in no on-track/at-risk/off-track total.
Time still counts where it settles the matter without a value: a milestone not reported done
within ``milestone_at_risk_days`` of its due date is AT_RISK as usual, and any key result still
without a value after its due date is OFF_TRACK (the cycle's result is known: nothing was
reached). An objective is NO_DATA when it has no key result with data (``objective_has_data``).

Problem codes returned by ``figure_problems``
----------------------------------------------
* ``due_before_start``: the due date is before the start date.
* ``wrong_direction_for_shape``: THRESHOLD needs AT_LEAST or AT_MOST; METRIC, PERCENTAGE,
  CURRENCY and RELATIVE need INCREASE or DECREASE; MILESTONE and RECURRING only count up, so they
  need INCREASE.
* ``missing_recurrence``: RECURRING without a period or with fewer than 1 occurrence per period.
* ``not_finite``: a value is NaN or infinite (the value checks below are skipped then).
* ``missing_start``: METRIC, PERCENTAGE, CURRENCY or RELATIVE without a baseline.
* ``missing_target``: METRIC, PERCENTAGE, CURRENCY or THRESHOLD without a target; RELATIVE with
  neither a target nor a relative change.
* ``start_equals_target``: METRIC, PERCENTAGE, CURRENCY or RELATIVE whose (derived) target equals
  its baseline, so there is nothing to progress through.
* ``direction_mismatch``: INCREASE with target below start, or DECREASE with target above start.
* ``negative_percentage``: PERCENTAGE with a negative start, target or current value.
* ``negative_occurrences``: RECURRING with a negative count so far.
* ``milestone_not_binary``: MILESTONE whose current value is neither 0 nor 1.

Progress, pace and status functions never raise on such figures: whatever cannot be computed
counts as no progress, so one broken key result cannot break a dashboard.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Context, Decimal
from enum import StrEnum


class Shape(StrEnum):
    """Name the ways a key result can be measured."""

    METRIC = "metric"
    THRESHOLD = "threshold"
    PERCENTAGE = "percentage"
    CURRENCY = "currency"
    RELATIVE = "relative"
    MILESTONE = "milestone"
    RECURRING = "recurring"


class Direction(StrEnum):
    """Name which way a key result's value should move."""

    INCREASE = "increase"
    DECREASE = "decrease"
    AT_LEAST = "at_least"
    AT_MOST = "at_most"


class Period(StrEnum):
    """Name the period a recurring key result repeats in."""

    WEEK = "week"
    MONTH = "month"


class Status(StrEnum):
    """Name how a key result stands against its pace line."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    DONE = "done"
    NO_DATA = "no_data"


@dataclass(frozen=True)
class StatusThresholds:
    """Hold how far behind pace a key result may fall before its status changes."""

    at_risk_gap: float = 0.10
    off_track_gap: float = 0.25
    milestone_at_risk_days: int = 14

    def __post_init__(self) -> None:
        """Reject thresholds that would make the statuses overlap."""
        if not 0 <= self.at_risk_gap <= self.off_track_gap:
            raise ValueError("need 0 <= at_risk_gap <= off_track_gap")
        if self.milestone_at_risk_days < 0:
            raise ValueError("milestone_at_risk_days must not be negative")


@dataclass(frozen=True)
class KeyResultFigures:
    """Hold the figures of one key result that the progress maths needs."""

    shape: Shape
    start_date: date
    due_date: date
    start: Decimal | None = None
    target: Decimal | None = None
    current: Decimal | None = None
    direction: Direction = Direction.INCREASE
    relative_change: Decimal | None = None
    per_period: int | None = None
    period: Period | None = None


@dataclass(frozen=True)
class ObjectiveNode:
    """Hold an objective's own key results and the child objectives aligned to it."""

    key_results: tuple[tuple[float, Decimal], ...]
    children: tuple[tuple[Hashable, Decimal], ...] = ()


# An explicit context so a caller's thread-local decimal settings cannot change precision, and
# so overflow in absurd figures yields Infinity (clamped later) instead of raising.
_ARITHMETIC = Context(prec=28, rounding=ROUND_HALF_EVEN, traps=[])

# Float rounding turns 0.5 - 0.4 into 0.0999...; without slack a gap sitting exactly on a
# threshold would flip status depending on how its numbers happened to round.
_GAP_SLACK = 1e-9

_LINEAR_SHAPES = frozenset({Shape.METRIC, Shape.PERCENTAGE, Shape.CURRENCY, Shape.RELATIVE})
_THRESHOLD_DIRECTIONS = frozenset({Direction.AT_LEAST, Direction.AT_MOST})
_LINEAR_DIRECTIONS = frozenset({Direction.INCREASE, Direction.DECREASE})
_COUNTING_SHAPES = frozenset({Shape.MILESTONE, Shape.RECURRING})
_DAYS_PER_WEEK = 7
# Objective ids may be any hashable, None included, so "no child left" needs its own marker.
_NO_CHILD = object()


# --- targets and recurrence ----------------------------------------------------------------


def relative_target(baseline: Decimal, relative_change_percent: Decimal) -> Decimal:
    """Return the baseline moved by a percentage, e.g. 1,000 and +20 give 1,200."""
    change = _ARITHMETIC.divide(
        _ARITHMETIC.multiply(baseline, relative_change_percent), Decimal(100)
    )
    return _ARITHMETIC.add(baseline, change)


def effective_target(kr: KeyResultFigures) -> Decimal | None:
    """Return the target the maths uses, deriving it where the shape implies one."""
    if kr.shape is Shape.MILESTONE:
        return Decimal(1)
    if kr.shape is Shape.RECURRING:
        required = _recurring_required(kr)
        return None if required is None else Decimal(required)
    if kr.shape is Shape.RELATIVE and kr.target is None:
        if kr.start is None or kr.relative_change is None:
            return None
        return relative_target(kr.start, kr.relative_change)
    return kr.target


def required_occurrences(per_period: int, period: Period, start_date: date, due_date: date) -> int:
    """Return how many occurrences the whole window requires."""
    _check_per_period(per_period)
    return per_period * _count_periods(period, start_date, due_date)


def occurrences_expected_by(
    per_period: int, period: Period, start_date: date, due_date: date, on: date
) -> int:
    """Return how many occurrences the periods fully elapsed by ``on`` require."""
    _check_per_period(per_period)
    if on >= max(due_date, start_date):
        return required_occurrences(per_period, period, start_date, due_date)
    if on <= start_date:
        return 0
    return per_period * _count_elapsed_periods(period, start_date, on)


def _check_per_period(per_period: int) -> None:
    """Reject a recurrence that asks for nothing, since it cannot be paced."""
    if per_period < 1:
        raise ValueError("per_period must be at least 1")


def _count_periods(period: Period, start_date: date, due_date: date) -> int:
    """Return the number of periods a window spans."""
    end = max(due_date, start_date)
    if period is Period.WEEK:
        # A zero-length window still needs one occurrence, or progress would divide by zero.
        return max(1, _ceil_div((end - start_date).days, _DAYS_PER_WEEK))
    return _month_index(end) - _month_index(start_date) + 1


def _count_elapsed_periods(period: Period, start_date: date, on: date) -> int:
    """Return the periods that ended between the window start and ``on``."""
    if period is Period.WEEK:
        return (on - start_date).days // _DAYS_PER_WEEK
    return _month_index(on) - _month_index(start_date)


def _ceil_div(numerator: int, denominator: int) -> int:
    """Return the integer quotient rounded up."""
    return -(-numerator // denominator)


def _month_index(day: date) -> int:
    """Return a running month number so month differences are simple subtraction."""
    return day.year * 12 + day.month - 1


def _recurring_required(kr: KeyResultFigures) -> int | None:
    """Return the required occurrences, or None when the recurrence is incomplete."""
    if kr.period is None or kr.per_period is None or kr.per_period < 1:
        return None
    return required_occurrences(kr.per_period, kr.period, kr.start_date, kr.due_date)


# --- validation ------------------------------------------------------------------------------


def figure_problems(kr: KeyResultFigures) -> list[str]:
    """Return the stable codes of everything wrong with the figures, in a fixed order."""
    problems = _date_problems(kr) + _direction_problems(kr) + _recurrence_problems(kr)
    if not _values_finite(kr):
        # Ordering comparisons with NaN raise, so the value checks cannot run.
        return [*problems, "not_finite"]
    return problems + _value_problems(kr)


def _date_problems(kr: KeyResultFigures) -> list[str]:
    """Return the problems with the window dates."""
    return ["due_before_start"] if kr.due_date < kr.start_date else []


def _direction_problems(kr: KeyResultFigures) -> list[str]:
    """Return the problem when the direction does not suit the shape."""
    if kr.shape is Shape.THRESHOLD:
        allowed = _THRESHOLD_DIRECTIONS
    elif kr.shape in _COUNTING_SHAPES:
        allowed = frozenset({Direction.INCREASE})
    else:
        allowed = _LINEAR_DIRECTIONS
    return [] if kr.direction in allowed else ["wrong_direction_for_shape"]


def _recurrence_problems(kr: KeyResultFigures) -> list[str]:
    """Return the problem when a recurring key result lacks a usable recurrence."""
    if kr.shape is Shape.RECURRING and _recurring_required(kr) is None:
        return ["missing_recurrence"]
    return []


def _values_finite(kr: KeyResultFigures) -> bool:
    """Tell whether every given value is a finite number."""
    values = (kr.start, kr.target, kr.current, kr.relative_change)
    return all(value is None or value.is_finite() for value in values)


def _value_problems(kr: KeyResultFigures) -> list[str]:
    """Return the problems with finite values, per shape."""
    if kr.shape in _LINEAR_SHAPES:
        return _linear_value_problems(kr)
    if kr.shape is Shape.THRESHOLD:
        return [] if kr.target is not None else ["missing_target"]
    if kr.shape is Shape.RECURRING:
        negative = kr.current is not None and kr.current < 0
        return ["negative_occurrences"] if negative else []
    binary = kr.current is None or kr.current in (0, 1)
    return [] if binary else ["milestone_not_binary"]


def _linear_value_problems(kr: KeyResultFigures) -> list[str]:
    """Return the problems of a key result measured from a baseline to a target."""
    problems = [] if kr.start is not None else ["missing_start"]
    target = effective_target(kr)
    # A relative change is a target waiting for its baseline; "missing_start" already says so.
    derivable = kr.shape is Shape.RELATIVE and kr.relative_change is not None
    if target is None and not derivable:
        problems.append("missing_target")
    if kr.start is not None and target is not None:
        problems += _baseline_problems(kr.start, target, kr.direction)
    if kr.shape is Shape.PERCENTAGE and _any_negative(kr.start, kr.target, kr.current):
        problems.append("negative_percentage")
    return problems


def _baseline_problems(start: Decimal, target: Decimal, direction: Direction) -> list[str]:
    """Return the problems of a baseline-to-target pair given the intended direction."""
    if start == target:
        return ["start_equals_target"]
    if direction is Direction.INCREASE and target < start:
        return ["direction_mismatch"]
    if direction is Direction.DECREASE and target > start:
        return ["direction_mismatch"]
    return []


def _any_negative(*values: Decimal | None) -> bool:
    """Tell whether any given value is below zero."""
    return any(value is not None and value < 0 for value in values)


# --- key result progress -----------------------------------------------------------------------


def key_result_progress(kr: KeyResultFigures) -> float:
    """Return the key result's progress clamped to [0, 1]."""
    return _clamp(raw_key_result_progress(kr), 0.0, 1.0)


def raw_key_result_progress(kr: KeyResultFigures) -> float:
    """Return the key result's progress, below 0 when it went backwards, above 1 when exceeded."""
    if kr.current is None or not _values_finite(kr):
        return 0.0
    if kr.shape is Shape.MILESTONE:
        return 1.0 if kr.current >= 1 else 0.0
    if kr.shape is Shape.RECURRING:
        return _recurring_progress(kr.current, _recurring_required(kr))
    if kr.shape is Shape.THRESHOLD:
        return _threshold_progress(kr.start, kr.target, kr.current, kr.direction)
    return _linear_progress(kr.start, effective_target(kr), kr.current)


def progress_function(kr: KeyResultFigures) -> Callable[[Decimal], float]:
    """Return `raw_key_result_progress` of the key result at any current value, its figures
    other than the current value worked out once (a refresh asks it of every recorded value)."""
    fixed = (kr.start, kr.target, kr.relative_change)
    if not all(value is None or value.is_finite() for value in fixed):
        return lambda _current: 0.0
    start, target, direction = kr.start, kr.target, kr.direction
    required = _recurring_required(kr) if kr.shape is Shape.RECURRING else None
    linear_target = effective_target(kr)
    if kr.shape not in (Shape.MILESTONE, Shape.RECURRING, Shape.THRESHOLD):
        return _linear_function(start, linear_target)

    def measure(current: Decimal) -> float:
        if not current.is_finite():
            return 0.0
        if kr.shape is Shape.MILESTONE:
            return 1.0 if current >= 1 else 0.0
        if kr.shape is Shape.RECURRING:
            return _recurring_progress(current, required)
        if kr.shape is Shape.THRESHOLD:
            return _threshold_progress(start, target, current, direction)
        return _linear_progress(start, linear_target, current)

    return measure


def _linear_function(start: Decimal | None, target: Decimal | None) -> Callable[[Decimal], float]:
    """`_linear_progress` from fixed, finite start and target at any current value: their
    span subtracted once, the same Decimal operations on each value."""
    if start is None or target is None or start == target:
        return lambda _current: 0.0
    span = _ARITHMETIC.subtract(target, start)
    if span == 0:
        return lambda _current: 0.0
    subtract, divide = _ARITHMETIC.subtract, _ARITHMETIC.divide

    def linear(current: Decimal) -> float:
        if not current.is_finite():
            return 0.0
        quotient = divide(subtract(current, start), span)
        # Overflowed intermediates can meet as Infinity / Infinity; count that as no progress.
        return 0.0 if quotient.is_nan() else float(quotient)

    return linear


def _recurring_progress(current: Decimal, required: int | None) -> float:
    """Return the share of required occurrences done so far."""
    if required is None:
        return 0.0
    return _ratio(current, Decimal(required))


def _threshold_progress(
    start: Decimal | None, target: Decimal | None, current: Decimal, direction: Direction
) -> float:
    """Return progress towards staying at least or at most a target."""
    if target is None:
        return 0.0
    if direction is Direction.AT_LEAST:
        return _at_least_progress(start, target, current)
    if direction is Direction.AT_MOST:
        return _at_most_progress(start, target, current)
    return 0.0


def _at_least_progress(start: Decimal | None, target: Decimal, current: Decimal) -> float:
    """Return progress towards reaching at least the target."""
    if current >= target:
        return 1.0
    if start is not None and start < target:
        return _linear_progress(start, target, current)
    if target > 0:
        return _ratio(current, target)
    return 0.0


def _at_most_progress(start: Decimal | None, target: Decimal, current: Decimal) -> float:
    """Return progress towards getting down to at most the target."""
    if current <= target:
        return 1.0
    if start is not None and start > target:
        return _linear_progress(start, target, current)
    # current > target >= 0 here, so the ratio is in [0, 1) and shrinks as current grows.
    if target >= 0:
        return _ratio(target, current)
    return 0.0


def _linear_progress(start: Decimal | None, target: Decimal | None, current: Decimal) -> float:
    """Return how far current has moved from start towards target."""
    if start is None or target is None or start == target:
        return 0.0
    moved = _ARITHMETIC.subtract(current, start)
    return _ratio(moved, _ARITHMETIC.subtract(target, start))


def _ratio(numerator: Decimal, denominator: Decimal) -> float:
    """Return numerator / denominator as a float, 0 when it is undefined."""
    if denominator == 0:
        return 0.0
    quotient = _ARITHMETIC.divide(numerator, denominator)
    # Overflowed intermediates can meet as Infinity / Infinity; count that as no progress.
    return 0.0 if quotient.is_nan() else float(quotient)


def _clamp(value: float, low: float, high: float) -> float:
    """Return value limited to [low, high]."""
    return max(low, min(high, value))


# --- pace and status -------------------------------------------------------------------------


def expected_progress(start_date: date, due_date: date, on: date) -> float:
    """Return the share of the window elapsed on a day: the linear pace line."""
    end = max(due_date, start_date)
    if on >= end:
        return 1.0
    if on <= start_date:
        return 0.0
    return (on - start_date).days / (end - start_date).days


def key_result_expected(kr: KeyResultFigures, on: date) -> float:
    """Return the progress the key result should have reached by ``on``."""
    if kr.shape is Shape.MILESTONE:
        # A milestone has no partial pace: nothing is owed before its due date, all of it after.
        # A linear line would call every pending milestone "behind" and drag its objective down.
        return 1.0 if on >= kr.due_date else 0.0
    if kr.shape is Shape.RECURRING and kr.per_period is not None and kr.period is not None:
        required = _recurring_required(kr)
        if required is not None:
            done_by = occurrences_expected_by(
                kr.per_period, kr.period, kr.start_date, kr.due_date, on
            )
            return done_by / required
    # Without a usable recurrence the plain time line is the best pace there is.
    return expected_progress(kr.start_date, kr.due_date, on)


def status_for_gap(
    progress: float,
    expected: float,
    success_bar: float = 1.0,
    thresholds: StatusThresholds = StatusThresholds(),
) -> Status:
    """Return the status of progress measured against the pace line scaled by the success bar."""
    if progress >= 1.0:
        return Status.DONE
    gap = expected * success_bar - progress
    if gap > thresholds.off_track_gap + _GAP_SLACK:
        return Status.OFF_TRACK
    if gap > thresholds.at_risk_gap + _GAP_SLACK:
        return Status.AT_RISK
    return Status.ON_TRACK


def key_result_status(
    kr: KeyResultFigures,
    on: date,
    success_bar: float = 1.0,
    thresholds: StatusThresholds = StatusThresholds(),
) -> Status:
    """Return the key result's status on a day (NO_DATA while nothing is recorded and due)."""
    if kr.shape is Shape.MILESTONE:
        status = _milestone_status(kr, on, thresholds)
        # Nothing recorded is "not done": only the time left can judge it, as for a 0.
        return Status.NO_DATA if kr.current is None and status is Status.ON_TRACK else status
    if kr.current is None:
        return Status.OFF_TRACK if on > kr.due_date else Status.NO_DATA
    return status_for_gap(
        key_result_progress(kr), key_result_expected(kr, on), success_bar, thresholds
    )


def _milestone_status(kr: KeyResultFigures, on: date, thresholds: StatusThresholds) -> Status:
    """Return a milestone's status from whether it is done and how close its due date is."""
    if key_result_progress(kr) >= 1.0:
        return Status.DONE
    days_left = (kr.due_date - on).days
    if days_left < 0:
        return Status.OFF_TRACK
    if days_left <= thresholds.milestone_at_risk_days:
        return Status.AT_RISK
    return Status.ON_TRACK


# --- objectives ------------------------------------------------------------------------------


def objective_has_data(
    key_result_statuses: Iterable[Status], children_have_data: bool = False
) -> bool:
    """Tell whether an objective has anything to judge: a key result or child with data."""
    return children_have_data or any(s is not Status.NO_DATA for s in key_result_statuses)


def objective_progress(parts: Sequence[tuple[float, Decimal]]) -> float:
    """Return the weighted mean of (progress, weight) parts, 0 when there are none."""
    if not parts:
        return 0.0
    weights = [weight for _, weight in parts]
    if any(not weight.is_finite() or weight <= 0 for weight in weights):
        raise ValueError("every weight must be a finite number above zero")
    total = _sum_decimals(weights)
    # Normalising in Decimal keeps huge weights from overflowing a float.
    shares = [float(_ARITHMETIC.divide(weight, total)) for weight in weights]
    mean = sum(progress * share for (progress, _), share in zip(parts, shares, strict=True))
    # Float rounding can nudge the mean just outside its parts; a mean never lies outside them.
    progresses = [progress for progress, _ in parts]
    return _clamp(mean, min(progresses), max(progresses))


def _sum_decimals(values: Sequence[Decimal]) -> Decimal:
    """Return the sum of values in the module's arithmetic context."""
    total = Decimal(0)
    for value in values:
        total = _ARITHMETIC.add(total, value)
    return total


def roll_up_progress(
    nodes: Mapping[Hashable, ObjectiveNode], include_children: bool
) -> dict[Hashable, float]:
    """Return every objective's progress, counting aligned children as parts when asked."""
    if not include_children:
        return {key: objective_progress(node.key_results) for key, node in nodes.items()}
    settled: dict[Hashable, float] = {}
    for key in nodes:
        if key not in settled:
            _settle_subtree(key, nodes, settled)
    return {key: settled[key] for key in nodes}


def roll_up_progress_from(
    nodes: Mapping[Hashable, ObjectiveNode], settled: Mapping[Hashable, float]
) -> dict[Hashable, float]:
    """Return every node's progress counting aligned children, as `roll_up_progress` does, when
    some children's progress is known already: a child in `settled` counts as it is (it needs
    no node), so a few objectives are rolled up over the settled figures of the rest."""
    known = dict(settled)
    for key in nodes:
        if key not in known:
            _settle_subtree(key, nodes, known)
    return {key: known[key] for key in nodes}


def _settle_subtree(
    root: Hashable, nodes: Mapping[Hashable, ObjectiveNode], settled: dict[Hashable, float]
) -> None:
    """Compute progress for root and everything aligned below it, depth first."""
    # An explicit stack instead of recursion: alignment chains may be deeper than Python's
    # recursion limit. Each objective is pushed once and each edge read once: O(nodes + edges).
    on_path: set[Hashable] = {root}
    stack: list[tuple[Hashable, Iterator[tuple[Hashable, Decimal]]]] = [
        (root, iter(nodes[root].children))
    ]
    while stack:
        key, pending = stack[-1]
        child = _next_unsettled_child(pending, nodes, settled, on_path)
        if child is _NO_CHILD:
            stack.pop()
            on_path.discard(key)
            settled[key] = _progress_with_children(nodes[key], settled)
        else:
            on_path.add(child)
            stack.append((child, iter(nodes[child].children)))


def _next_unsettled_child(
    pending: Iterator[tuple[Hashable, Decimal]],
    nodes: Mapping[Hashable, ObjectiveNode],
    settled: Mapping[Hashable, float],
    on_path: set[Hashable],
) -> Hashable:
    """Return the next child that still needs computing, skipping unknown and cyclic ones."""
    for child, _ in pending:
        # A child already on the path closes a cycle: skipping it breaks the cycle there.
        if child in nodes and child not in settled and child not in on_path:
            return child
    return _NO_CHILD


def _progress_with_children(node: ObjectiveNode, settled: Mapping[Hashable, float]) -> float:
    """Return a node's progress with each settled child as one more weighted part."""
    # Children missing from `settled` now are unknown or close a cycle; both are left out.
    child_parts = [(settled[child], weight) for child, weight in node.children if child in settled]
    return objective_progress([*node.key_results, *child_parts])
