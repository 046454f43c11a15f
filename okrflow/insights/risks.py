"""Turn collected insights into risk facts, run the pure rules, and word the results."""

from __future__ import annotations

import dataclasses
import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone

from okrflow.engine.risk import (
    CheckinFact,
    KeyResultFacts,
    ObjectiveFacts,
    PartFacts,
    Risk,
    RiskSettings,
    detect_risks,
)
from okrflow.insights.collect import CycleInsights, KeyResultInsight, ObjectiveInsight
from okrflow.listed import among
from okrflow.okrs.models import KeyResult, Objective
from okrflow.org.models import OrgUnit, Person


def risk_settings() -> RiskSettings:
    """Return the rule thresholds, each overridable as OKRFLOW_RISK_<NAME> in Django settings."""
    overrides: dict[str, Any] = {}
    for item in dataclasses.fields(RiskSettings):
        name = f"OKRFLOW_RISK_{item.name.upper()}"
        if hasattr(settings, name):
            overrides[item.name] = getattr(settings, name)
    return RiskSettings(**overrides)


def key_result_facts(
    kri: KeyResultInsight,
    objective: Objective,
    on: datetime.date,
    effort_days: int,
    zone: datetime.tzinfo | None = None,
) -> KeyResultFacts:
    """Describe a key result to the risk rules (`zone`: the current time zone, looked up once
    by a caller describing many)."""
    figures = kri.figures
    checkins = []
    for line in kri.checkins:
        progress = None if line.value is None else kri.progress_of(line.value)
        checkins.append(
            CheckinFact(
                day=line.day,
                progress=progress,
                pace=kri.pace_on(line.day),
                confidence=line.confidence,
                obstacle=line.obstacle,
                blocking=line.blocking,
                person_id=line.person_id,
                self_pace=line.pace,
            )
        )
    forecast = kri.forecast
    return KeyResultFacts(
        key_result_id=kri.key_result.pk,
        objective_id=objective.pk,
        owner_id=kri.key_result.owner_id,
        start_date=figures.start_date,
        due_date=figures.due_date,
        success_bar=kri.bar,
        progress=kri.report.progress,
        pace=kri.report.expected * kri.bar,
        values=tuple(kri.progress_points),
        checkins=tuple(checkins),
        is_milestone=figures.shape == "milestone",
        chance_of_bar=forecast.chance_of_bar if forecast else None,
        forecast_expected=forecast.expected if forecast else None,
        forecast_low=forecast.low if forecast else None,
        forecast_high=forecast.high if forecast else None,
        forecast_points=forecast.points if forecast else 0,
        initiatives_done=tuple(kri.initiatives_done),
        pace_before=kri.pace_on(on - datetime.timedelta(days=effort_days)),
        added_on=timezone.localdate(kri.key_result.created_at, zone),
        parts=tuple(
            PartFacts(
                label=part.part.label,
                progress=part.progress,
                forecast_expected=part.forecast.expected if part.forecast else None,
                chance_of_bar=part.forecast.chance_of_bar if part.forecast else None,
                forecast_points=part.forecast.points if part.forecast else 0,
            )
            for part in kri.parts
        ),
    )


def objective_facts(oi: ObjectiveInsight, company_unit_ids: set[int]) -> ObjectiveFacts:
    """Describe an objective's alignment to the risk rules."""
    objective = oi.objective
    return ObjectiveFacts(
        objective_id=objective.pk,
        owner_id=objective.owner_person_id,
        is_company_level=objective.owner_unit_id in company_unit_ids,
        parent_ids=tuple(oi.parent_ids),
        archived_parents=tuple(oi.archived_parents),
    )


@dataclass
class RiskItem:
    """A risk with the objects it is about, ready to show."""

    risk: Risk
    objective: Objective
    key_result: KeyResult | None
    insight: KeyResultInsight | None
    owner_name: str
    owner_username: str | None


def find_risks(insights: CycleInsights, today: datetime.date | None = None) -> list[RiskItem]:
    """Run the rules over collected insights; a closed cycle has no risks left, only results."""
    if insights.cycle.is_closed:
        return []
    company_unit_ids = set(OrgUnit.objects.filter(depth=0).values_list("pk", flat=True))
    settings_now = risk_settings()
    day = today or insights.on
    kr_facts = []
    by_kr: dict[int, tuple[ObjectiveInsight, KeyResultInsight]] = {}
    zone = timezone.get_current_timezone()
    for oi in insights.objectives:
        for kri in oi.key_results:
            kr_facts.append(
                key_result_facts(kri, oi.objective, day, settings_now.effort_days, zone)
            )
            by_kr[kri.key_result.pk] = (oi, kri)
    objective_facts_list = [objective_facts(oi, company_unit_ids) for oi in insights.objectives]
    by_objective = {oi.objective.pk: oi for oi in insights.objectives}
    risks = detect_risks(kr_facts, objective_facts_list, day, settings_now)
    from okrflow.dependencies.risks import find_dependency_risks  # issue #16: hand-offs

    risks = sorted(risks + find_dependency_risks(insights, day), key=Risk.sort_key)
    owners = {
        pk: (name, username)
        for pk, name, username in Person.objects.filter(
            among("pk", sorted({risk.owner_id for risk in risks if risk.owner_id}))
        ).values_list("pk", "full_name", "user__username")
    }
    items = []
    for risk in risks:
        objective = by_objective[risk.objective_id].objective
        name, username = owners.get(risk.owner_id or 0, (objective.owner_name, None))
        if risk.key_result_id is not None:
            oi, kri = by_kr[risk.key_result_id]
            items.append(RiskItem(risk, objective, kri.key_result, kri, name, username))
        else:
            items.append(RiskItem(risk, objective, None, None, name, username))
    return items
