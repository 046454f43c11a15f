"""Check that owners keep few objectives and objectives keep few key results.

The limits come from the Focus benefit of OKRs: a team or project should commit to 3 to 5
objectives with 3 to 5 key results each, and a person to 1 to 3 objectives, because anything more
dilutes attention until nothing is a priority. Teams (units below department level) and projects
may hold fewer than the minimum without being flagged, unless the organisation asks otherwise:
a small team often serves its department's objectives with one or two of its own. The checks
only report counts outside those ranges as findings; whether a finding warns or blocks is the
caller's decision.

Finding codes: ``too_few_objectives``, ``too_many_objectives``, ``too_few_key_results``,
``too_many_key_results``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, replace
from enum import StrEnum

TOO_FEW_OBJECTIVES = "too_few_objectives"
TOO_MANY_OBJECTIVES = "too_many_objectives"
TOO_FEW_KEY_RESULTS = "too_few_key_results"
TOO_MANY_KEY_RESULTS = "too_many_key_results"

# Depth in the unit tree from which a unit is a team: 0 is the company, 1 a department.
TEAM_DEPTH = 2


class OwnerKind(StrEnum):
    """Name who can own objectives."""

    PERSON = "person"
    UNIT = "unit"
    PROJECT = "project"


@dataclass(frozen=True)
class FocusRules:
    """Hold the allowed ranges of objectives per owner and key results per objective."""

    objectives_min: int = 3
    objectives_max: int = 5
    key_results_min: int = 3
    key_results_max: int = 5
    individual_objectives_min: int = 1
    individual_objectives_max: int = 3
    teams_and_projects_need_minimum: bool = False

    def __post_init__(self) -> None:
        """Reject ranges that no count could satisfy."""
        ranges = {
            "objectives": (self.objectives_min, self.objectives_max),
            "key_results": (self.key_results_min, self.key_results_max),
            "individual_objectives": (
                self.individual_objectives_min,
                self.individual_objectives_max,
            ),
        }
        for name, (minimum, maximum) in ranges.items():
            if not 0 <= minimum <= maximum:
                raise ValueError(f"need 0 <= {name}_min <= {name}_max")


@dataclass(frozen=True)
class FocusFinding:
    """Describe one count outside its allowed range."""

    code: str
    count: int
    minimum: int
    maximum: int
    objective_key: Hashable | None = None


def is_team(unit_depth: int) -> bool:
    """Tell whether a unit at this depth of the tree is a team (below department level)."""
    return unit_depth >= TEAM_DEPTH


def objective_range(
    owner_kind: OwnerKind, rules: FocusRules, *, team: bool = False
) -> tuple[int, int]:
    """Return the allowed (minimum, maximum) number of objectives for a kind of owner.

    `team` says a unit owner sits below department level; with a project, it may hold fewer
    objectives than the minimum unless the rules ask teams and projects for the minimum too.
    """
    if owner_kind is OwnerKind.PERSON:
        return rules.individual_objectives_min, rules.individual_objectives_max
    small_owner = owner_kind is OwnerKind.PROJECT or (owner_kind is OwnerKind.UNIT and team)
    if small_owner and not rules.teams_and_projects_need_minimum:
        return 0, rules.objectives_max
    return rules.objectives_min, rules.objectives_max


def check_owner_focus(
    owner_kind: OwnerKind,
    objective_count: int,
    rules: FocusRules = FocusRules(),
    *,
    team: bool = False,
) -> list[FocusFinding]:
    """Return a finding when an owner has too few or too many objectives."""
    minimum, maximum = objective_range(owner_kind, rules, team=team)
    code = _range_code(objective_count, minimum, maximum, TOO_FEW_OBJECTIVES, TOO_MANY_OBJECTIVES)
    if code is None:
        return []
    # The finding quotes the method's range ("3–5"), even where the minimum is waived.
    quoted_minimum, quoted_maximum = objective_range(owner_kind, _minimum_required(rules))
    return [FocusFinding(code, objective_count, quoted_minimum, quoted_maximum)]


def _minimum_required(rules: FocusRules) -> FocusRules:
    """Return the rules with the minimum asked of every owner."""
    return replace(rules, teams_and_projects_need_minimum=True)


def check_objective_focus(
    key_result_count: int,
    rules: FocusRules = FocusRules(),
    objective_key: Hashable | None = None,
) -> list[FocusFinding]:
    """Return a finding when an objective has too few or too many key results."""
    minimum, maximum = rules.key_results_min, rules.key_results_max
    code = _range_code(
        key_result_count, minimum, maximum, TOO_FEW_KEY_RESULTS, TOO_MANY_KEY_RESULTS
    )
    if code is None:
        return []
    return [FocusFinding(code, key_result_count, minimum, maximum, objective_key)]


def _range_code(count: int, minimum: int, maximum: int, too_few: str, too_many: str) -> str | None:
    """Return the code for a count outside [minimum, maximum], or None inside it."""
    if count < 0:
        # A negative count is a caller bug, not a focus problem to show users.
        raise ValueError("count must not be negative")
    if count < minimum:
        return too_few
    if count > maximum:
        return too_many
    return None
