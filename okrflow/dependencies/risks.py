"""Describe each dependency of the collected goals to the pure rule (engine/dependency.py)."""

from __future__ import annotations

import datetime
from collections import defaultdict

from okrflow.dependencies.models import Dependency
from okrflow.engine.dependency import DependencyFacts, dependency_risks
from okrflow.engine.progress import Status
from okrflow.engine.risk_facts import Risk
from okrflow.insights.collect import (
    CycleInsights,
    KeyResultInsight,
    ObjectiveInsight,
    collect_insights,
)
from okrflow.listed import among
from okrflow.okrs.models import Objective


def load_dependencies(insights: CycleInsights) -> list[Dependency]:
    """Return the dependencies whose waiting goal is among the collected ones (one query)."""
    objective_ids = [oi.objective.pk for oi in insights.objectives]
    kr_ids = [kri.key_result.pk for kri in insights.key_results]
    if not objective_ids:
        return []
    return list(
        Dependency.objects.filter(
            among("dependent_objective_id", objective_ids)
            | among("dependent_key_result_id", kr_ids)
        ).select_related("target_key_result", "target_objective", "dependent_key_result")
    )


def target_insights(
    insights: CycleInsights, links: list[Dependency]
) -> tuple[dict[int, ObjectiveInsight], dict[int, KeyResultInsight]]:
    """Return the insights of every goal waited for, collecting those not collected already.

    A goal waited for may be outside what the reader sees, or in another cycle: the risk is
    about the waiting goal, so the target is measured whole; the evidence hides its title from
    readers who may not see it.
    """
    objectives = {oi.objective.pk: oi for oi in insights.objectives}
    wanted = {
        link.target_objective_id or link.target_key_result.objective_id  # type: ignore[union-attr]
        for link in links
    }
    missing = wanted - set(objectives)
    if missing:
        by_cycle: dict[int, list[int]] = defaultdict(list)
        for pk, cycle_id in (
            Objective.objects.live().filter(pk__in=missing).values_list("pk", "cycle_id")
        ):
            by_cycle[cycle_id].append(pk)
        for cycle_id, ids in by_cycle.items():
            cycle = (
                insights.cycle
                if cycle_id == insights.cycle.pk
                else Objective.objects.get(pk=ids[0]).cycle
            )
            more = collect_insights(cycle, Objective.objects.filter(pk__in=ids), insights.on)
            objectives.update({oi.objective.pk: oi for oi in more.objectives})
    key_results = {kri.key_result.pk: kri for oi in objectives.values() for kri in oi.key_results}
    return objectives, key_results


def dependency_facts(insights: CycleInsights) -> list[DependencyFacts]:
    """Describe each dependency of the collected goals, with its target's standing."""
    links = load_dependencies(insights)
    if not links:
        return []
    objectives, key_results = target_insights(insights, links)
    own_krs = {kri.key_result.pk: kri for kri in insights.key_results}
    facts = []
    for link in links:
        if link.dependent_objective_id:
            oi = objectives.get(link.dependent_objective_id)
            if oi is None:
                continue
            objective_id, kr_id = oi.objective.pk, None
            owner_id = oi.objective.owner_person_id
        else:
            kri_own = own_krs.get(link.dependent_key_result_id or 0)
            if kri_own is None:
                continue
            objective_id, kr_id = kri_own.key_result.objective_id, kri_own.key_result.pk
            owner_id = kri_own.key_result.owner_id
        if link.target_objective_id:
            target = objectives.get(link.target_objective_id)
            if target is None:
                continue  # archived: nothing left to wait for
            report = target.report
            facts.append(
                DependencyFacts(
                    dependency_id=link.pk,
                    objective_id=objective_id,
                    key_result_id=kr_id,
                    owner_id=owner_id,
                    expected_by=link.expected_by,
                    target_kind="objective",
                    target_id=target.objective.pk,
                    target_objective_id=target.objective.pk,
                    target_title=target.objective.title,
                    target_progress=report.progress,
                    target_pace=report.expected * target.bar,
                    target_bar=target.bar,
                    target_due=target.objective.cycle.end_date,
                    target_forecast=target.forecast,
                    target_done=report.status == Status.DONE,
                )
            )
            continue
        kri = key_results.get(link.target_key_result_id or 0)
        if kri is None:
            continue
        facts.append(
            DependencyFacts(
                dependency_id=link.pk,
                objective_id=objective_id,
                key_result_id=kr_id,
                owner_id=owner_id,
                expected_by=link.expected_by,
                target_kind="key_result",
                target_id=kri.key_result.pk,
                target_objective_id=kri.key_result.objective_id,
                target_title=kri.key_result.title,
                target_progress=kri.report.progress,
                target_pace=kri.report.expected * kri.bar,
                target_bar=kri.bar,
                target_due=kri.figures.due_date,
                target_forecast=kri.forecast.expected if kri.forecast else None,
                target_done=kri.report.status == Status.DONE,
            )
        )
    return facts


def find_dependency_risks(insights: CycleInsights, day: datetime.date) -> list[Risk]:
    """Return the sudden risks of goals whose hand-off slips."""
    return dependency_risks(dependency_facts(insights), day)


def objectives_waiting(
    objective_ids: set[int], dependency_data: list[dict[str, object]]
) -> set[int]:
    """Return the objectives whose hand-off risk may move: those waiting for a changed objective
    (or one of its key results), and the waiting end of each changed dependency (two queries)."""
    from okrflow.okrs.models import KeyResult

    waiting_krs = {
        data["dependent_key_result"]
        for data in dependency_data
        if isinstance(data.get("dependent_key_result"), int)
    }
    found = {
        data["dependent_objective"]
        for data in dependency_data
        if isinstance(data.get("dependent_objective"), int)
    }
    if objective_ids:
        rows = Dependency.objects.filter(
            among("target_objective_id", objective_ids)
            | among("target_key_result__objective_id", objective_ids)
        ).values_list("dependent_objective_id", "dependent_key_result_id")
        for objective_id, kr_id in rows:
            if objective_id:
                found.add(objective_id)
            else:
                waiting_krs.add(kr_id)
    if waiting_krs:
        found |= set(
            KeyResult.objects.filter(among("pk", waiting_krs)).values_list(
                "objective_id", flat=True
            )
        )
    return {pk for pk in found if isinstance(pk, int)}
