"""The quarterly review: every objective's grade, band, reflection and carry-over, by unit.

A closed cycle shows its frozen grades; an active one shows what closing it today would give
(the same grading, not saved). The review page and the PDF, XLSX and CSV reports read this.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from okrflow.cycles.models import Cycle
from okrflow.engine import grading
from okrflow.insights.actions import grade_cycle
from okrflow.insights.collect import owner_unit_id
from okrflow.insights.models import CarryOver, KeyResultGrade, ObjectiveGrade, Reflection
from okrflow.okrs.measure import load_objectives
from okrflow.okrs.models import KeyResult, Objective
from okrflow.org.models import OrgUnit


@dataclass
class KeyResultLine:
    key_result: KeyResult
    score: Decimal
    band: str
    final_value: Decimal | None
    target: Decimal | None


@dataclass
class ObjectiveLine:
    objective: Objective
    score: Decimal
    band: str
    success: bool
    bar: Decimal
    key_results: list[KeyResultLine]
    reflection: Reflection | None = None
    carried_to: Objective | None = None


@dataclass
class ReviewSection:
    """The objectives of one department (or the company itself)."""

    name: str
    unit: OrgUnit | None
    lines: list[ObjectiveLine] = field(default_factory=list)

    @property
    def mean_score(self) -> Decimal | None:
        if not self.lines:
            return None
        return grading.objective_score([(line.score, Decimal(1)) for line in self.lines])

    @property
    def successes(self) -> int:
        return sum(1 for line in self.lines if line.success)


@dataclass
class CycleReview:
    cycle: Cycle
    is_final: bool
    sections: list[ReviewSection]

    @property
    def lines(self) -> list[ObjectiveLine]:
        return [line for section in self.sections for line in section.lines]

    @property
    def bands(self) -> dict[str, int]:
        counts = Counter(line.band for line in self.lines)
        return {band.value: counts.get(band.value, 0) for band in grading.Band}

    def success_rate(self, kind: str) -> tuple[int, int]:
        lines = [line for line in self.lines if line.objective.kind == kind]
        return sum(1 for line in lines if line.success), len(lines)

    @property
    def mean_score(self) -> Decimal | None:
        lines = self.lines
        if not lines:
            return None
        return grading.objective_score([(line.score, Decimal(1)) for line in lines])


def frozen_lines(queryset: QuerySet[Objective]) -> dict[int, ObjectiveLine]:
    """Read a closed cycle's stored grades."""
    loaded = load_objectives(queryset)
    objective_grades = {
        g.objective_id: g
        for g in ObjectiveGrade.objects.filter(objective__in=queryset.values("pk"))
    }
    kr_grades = {
        g.key_result_id: g
        for g in KeyResultGrade.objects.filter(key_result__objective__in=queryset.values("pk"))
    }
    lines = {}
    for objective in loaded.objectives:
        grade = objective_grades.get(objective.pk)
        if grade is None:
            continue
        key_results = [
            KeyResultLine(kr, g.score, g.band, g.final_value, g.target_used)
            for kr in loaded.key_results.get(objective.pk, [])
            if (g := kr_grades.get(kr.pk)) is not None
        ]
        lines[objective.pk] = ObjectiveLine(
            objective,
            grade.score,
            grade.band,
            grade.success,
            grading.success_bar(grade.kind),
            key_results,
        )
    return lines


def preview_lines(cycle: Cycle, queryset: QuerySet[Objective]) -> dict[int, ObjectiveLine]:
    """Grade an open cycle as closing it now would, without saving."""
    result = grade_cycle(cycle, queryset=queryset)
    loaded = load_objectives(queryset)
    objectives = {objective.pk: objective for objective in loaded.objectives}
    key_results = {kr.pk: kr for krs in loaded.key_results.values() for kr in krs}
    lines = {}
    for grade in result.grades:
        objective = objectives[grade.objective_id]
        lines[objective.pk] = ObjectiveLine(
            objective,
            grade.score,
            grade.band.value,
            grade.success,
            grading.success_bar(grade.kind),
            [
                KeyResultLine(
                    key_results[g.key_result_id],
                    g.score,
                    g.band.value,
                    result.final_values.get(g.key_result_id),
                    g.target,
                )
                for g in grade.key_results
            ],
        )
    return lines


def build_review(cycle: Cycle, queryset: QuerySet[Objective]) -> CycleReview:
    """Assemble the review of the given objectives, grouped by department."""
    lines = frozen_lines(queryset) if cycle.is_closed else preview_lines(cycle, queryset)
    scope = queryset.values("pk")
    for reflection in Reflection.objects.filter(objective__in=scope):
        if reflection.objective_id in lines:
            lines[reflection.objective_id].reflection = reflection
    for link in CarryOver.objects.filter(source__in=scope).select_related("copy__cycle"):
        if link.source_id in lines:
            lines[link.source_id].carried_to = link.copy
    units = {unit.pk: unit for unit in OrgUnit.objects.all()}
    sections: dict[int | None, ReviewSection] = {}
    grouped: dict[int | None, list[ObjectiveLine]] = defaultdict(list)
    for line in lines.values():
        section_unit = department_of(units, owner_unit_id(line.objective))
        grouped[section_unit.pk if section_unit else None].append(line)
        if (section_unit.pk if section_unit else None) not in sections:
            name = section_unit.name if section_unit else _("Projects and people outside units")
            sections[section_unit.pk if section_unit else None] = ReviewSection(name, section_unit)
    ordered = sorted(
        sections.values(), key=lambda s: (s.unit is None, s.unit.path if s.unit else "")
    )
    for section in ordered:
        section.lines = sorted(
            grouped[section.unit.pk if section.unit else None],
            key=lambda line: (line.objective.position, line.objective.pk),
        )
    return CycleReview(cycle, cycle.is_closed, ordered)


def department_of(units: dict[int, OrgUnit], unit_id: int | None) -> OrgUnit | None:
    """Return the department (depth 1) a unit sits in, or the company for the company itself."""
    unit = units.get(unit_id or 0)
    if unit is None:
        return None
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    if len(ids) >= 2:
        return units.get(ids[1])
    return unit


@dataclass
class SectionTotals:
    """One department's line in a large review: how many objectives, their mean, successes."""

    name: str
    unit: OrgUnit | None
    objective_ids: list[int]
    scores: list[Decimal]
    successes: int

    @property
    def key(self) -> str:
        return str(self.unit.pk) if self.unit else "none"

    @property
    def mean_score(self) -> Decimal | None:
        if not self.scores:
            return None
        return grading.objective_score([(score, Decimal(1)) for score in self.scores])


@dataclass
class ReviewTotals:
    """A review's figures over every objective in view, read from stored rows in one query."""

    rows: list[tuple[Decimal, str, bool, str]]  # score, band, success, kind
    sections: list[SectionTotals]

    @property
    def objectives(self) -> int:
        return len(self.rows)

    @property
    def bands(self) -> dict[str, int]:
        counts = Counter(band for _, band, _, _ in self.rows)
        return {band.value: counts.get(band.value, 0) for band in grading.Band}

    def success_rate(self, kind: str) -> tuple[int, int]:
        rows = [success for _, _, success, row_kind in self.rows if row_kind == kind]
        return sum(rows), len(rows)

    @property
    def mean_score(self) -> Decimal | None:
        if not self.rows:
            return None
        return grading.objective_score([(score, Decimal(1)) for score, _, _, _ in self.rows])


def review_totals(cycle: Cycle, queryset: QuerySet[Objective]) -> ReviewTotals | None:
    """Total the grades in view: frozen ones of a closed cycle, else the stored grade preview.

    None while a large open cycle waits for its first `okrflow refresh-insights`.
    """
    from okrflow.insights.models import ObjectiveSnapshot
    from okrflow.insights.snapshots import stored_insights

    scope = queryset.values("pk")
    raw: list[tuple[int, int, int | None, Decimal | None, str, bool, str]]
    if cycle.is_closed:
        raw = [
            (pk, position, unit or person_unit or project_unit, score, band, success, kind)
            for pk, position, unit, person_unit, project_unit, score, band, success, kind in (
                ObjectiveGrade.objects.filter(objective__in=scope).values_list(
                    "objective_id",
                    "objective__position",
                    "objective__owner_unit_id",
                    "objective__owner_person__unit_id",
                    "objective__owner_project__unit_id",
                    "score",
                    "band",
                    "success",
                    "kind",
                )
            )
        ]
    else:
        if stored_insights(cycle) is None:
            return None
        raw = list(
            ObjectiveSnapshot.objects.filter(cycle=cycle, objective__in=scope).values_list(
                "objective_id",
                "objective__position",
                "unit_id",
                "score",
                "band",
                "success",
                "objective__kind",
            )
        )
    units = {unit.pk: unit for unit in OrgUnit.objects.all()}
    sections: dict[int | None, SectionTotals] = {}
    for pk, _position, unit_id, score, _band, success, _kind in sorted(
        raw, key=lambda row: (row[1], row[0])
    ):
        unit = department_of(units, unit_id)
        key = unit.pk if unit else None
        if key not in sections:
            name = unit.name if unit else _("Projects and people outside units")
            sections[key] = SectionTotals(name, unit, [], [], 0)
        section = sections[key]
        section.objective_ids.append(pk)
        section.scores.append(score or Decimal(0))
        section.successes += bool(success)
    ordered = sorted(
        sections.values(), key=lambda s: (s.unit is None, s.unit.path if s.unit else "")
    )
    rows = [
        (score or Decimal(0), band, success, kind) for _, _, _, score, band, success, kind in raw
    ]
    return ReviewTotals(rows, ordered)
