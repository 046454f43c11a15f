"""What a goal waits for and who waits for it, as the objective and key result pages show it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q

from okrflow.dependencies.actions import may_change
from okrflow.dependencies.models import Dependency
from okrflow.okrs.models import KeyResult, Objective

CHOICE_LIMIT = 200


@dataclass
class Link:
    """One dependency as a reader sees it: the other goal's title only if they may see it."""

    dependency: Dependency
    other_title: str | None  # None: a goal the reader may not see
    other_objective_id: int
    other_is_key_result: bool
    from_key_result: (
        str | None
    )  # the title of this objective's key result that waits or is waited for
    can_remove: bool = False


@dataclass
class Panel:
    risks: list[str] = field(default_factory=list)  # worded evidence of slipping hand-offs
    waits_for: list[Link] = field(default_factory=list)
    waited_by: list[Link] = field(default_factory=list)
    can_add: bool = False
    goals: list[tuple[str, str]] = field(default_factory=list)  # (value, label) this may wait for
    # The goals it may wait for load when the form is opened (`views.dependency_choices`):
    # choosing among a large cycle's objectives costs a pass over them, not every page view.
    objective_id: int = 0


def objective_id_of(goal: Objective | KeyResult | None) -> int:
    if goal is None:
        return 0
    return goal.pk if isinstance(goal, Objective) else goal.objective_id


def dependency_panel(
    user: Any, objective: Objective, key_results: list[KeyResult], *, only: KeyResult | None = None
) -> Panel:
    """Build the panel for an objective page (all its key results) or a key result page (`only`)."""
    kr_ids = [only.pk] if only is not None else [kr.pk for kr in key_results]
    kr_titles = {kr.pk: kr.title for kr in key_results}
    own = Q(dependent_key_result_id__in=kr_ids)
    theirs = Q(target_key_result_id__in=kr_ids)
    if only is None:
        own |= Q(dependent_objective=objective)
        theirs |= Q(target_objective=objective)
    rows = list(
        Dependency.objects.filter(own | theirs).select_related(
            "dependent_objective",
            "dependent_key_result",
            "target_objective",
            "target_key_result",
        )
    )
    others = set()
    for row in rows:
        mine = row.dependent_key_result_id in kr_ids or row.dependent_objective_id == objective.pk
        others.add(objective_id_of(row.target if mine else row.dependent))
    visible = set(
        Objective.objects.visible_to(user).live().filter(pk__in=others).values_list("pk", flat=True)
    )
    can_edit = may_change(user, objective) or (only is not None and may_change(user, only))
    panel = Panel()
    # A key result page lists its risks already; the objective page has no risk list of its own.
    if only is None and any(
        row.dependent_key_result_id in kr_ids or row.dependent_objective_id == objective.pk
        for row in rows
    ):
        panel.risks = hand_off_risks(user, objective, only)
    for row in rows:
        mine = row.dependent_key_result_id in kr_ids or row.dependent_objective_id == objective.pk
        other = row.target if mine else row.dependent
        other_objective = objective_id_of(other)
        here = row.dependent_key_result_id if mine else row.target_key_result_id
        link = Link(
            dependency=row,
            other_title=other.title if other_objective in visible else None,
            other_objective_id=other_objective,
            other_is_key_result=isinstance(other, KeyResult),
            from_key_result=kr_titles.get(here) if (here and only is None) else None,
            can_remove=mine and can_edit,
        )
        if mine:
            panel.waits_for.append(link)
        elif link.other_title is not None:
            panel.waited_by.append(link)
    if can_edit and objective.cycle.state != "closed":
        panel.can_add = True
        if only is None:
            panel.goals = [(f"objective:{objective.pk}", objective.title)] + [
                (f"key_result:{kr.pk}", kr.title) for kr in key_results
            ]
        else:
            panel.goals = [(f"key_result:{only.pk}", only.title)]
        panel.objective_id = objective.pk
    return panel


def goal_choices(user: Any, objective: Objective) -> list[tuple[str, list[tuple[str, str]]]]:
    """Return the goals of the same cycle the user may see, grouped by objective (two queries)."""
    objectives = list(
        Objective.objects.visible_to(user)
        .live()
        .filter(cycle_id=objective.cycle_id)
        .exclude(pk=objective.pk)
        .select_related("owner_person", "owner_unit", "owner_project")
        .order_by("position", "id")[:CHOICE_LIMIT]
    )
    krs: dict[int, list[KeyResult]] = {o.pk: [] for o in objectives}
    for kr in KeyResult.objects.filter(objective__in=objectives, is_archived=False).order_by(
        "position", "id"
    ):
        krs[kr.objective_id].append(kr)
    groups = []
    for item in objectives:
        options = [(f"objective:{item.pk}", item.title)]
        options += [(f"key_result:{kr.pk}", f"— {kr.title}") for kr in krs[item.pk]]
        groups.append((f"{item.owner_name}: {item.title[:60]}", options))
    return groups


def hand_off_risks(user: Any, objective: Objective, only: KeyResult | None = None) -> list[str]:
    """Word the sudden risks of this objective's slipping hand-offs for this reader."""
    from django.utils import timezone

    from okrflow.dependencies.risks import find_dependency_risks
    from okrflow.insights.collect import collect_insights
    from okrflow.insights.risk_text import evidence
    from okrflow.insights.sources import CheckinReader

    if objective.cycle.is_closed:
        return []
    insights = collect_insights(
        objective.cycle, Objective.objects.filter(pk=objective.pk), timezone.localdate()
    )
    risks = find_dependency_risks(insights, insights.on)
    if only is not None:
        risks = [risk for risk in risks if risk.key_result_id == only.pk]
    reader = CheckinReader(user)
    return [evidence(risk, reader) for risk in risks]
