"""The quarterly review: every objective's grade, band, reflection and carry-over, by unit.

A closed cycle shows its frozen grades; an active one shows what closing it today would give
(the same grading, not saved). The review page and the PDF, XLSX and CSV reports read this.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any, TypeVar

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from okrflow.compiled_reads import all_rows, formed_values, rows_by_ids
from okrflow.cycles.models import Cycle
from okrflow.engine import grading
from okrflow.insights import totals as totals_module
from okrflow.insights.actions import grade_cycle
from okrflow.insights.collect import owner_unit_id
from okrflow.insights.models import CarryOver, KeyResultGrade, ObjectiveGrade, Reflection
from okrflow.okrs.measure import FIGURE_FIELDS, LoadedObjectives, key_results_by_objective
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


T = TypeVar("T")

UNITS_READ_BY_ID = 500  # beyond this many units, `by_department` reads them all


def mean_score(scores: Iterable[Decimal]) -> Decimal | None:
    """Return the plain mean of objective scores, cut like a grade; None without any."""
    parts = [(score, Decimal(1)) for score in scores]
    return grading.objective_score(parts) if parts else None


def band_counts(bands: Iterable[str]) -> dict[str, int]:
    """Count objectives per band, every band listed."""
    counts = Counter(bands)
    return {band.value: counts.get(band.value, 0) for band in grading.Band}


def units_and_departments(ids: list[int]) -> QuerySet[OrgUnit]:
    """These units, the company and its departments."""
    return OrgUnit.objects.filter(Q(pk__in=ids) | Q(depth__lte=1))


def by_department(
    items: Iterable[T], unit_of: Callable[[T], int | None], order: Callable[[T], Any]
) -> list[tuple[OrgUnit | None, str, list[T]]]:
    """Group items by the department their unit sits in, departments in tree order.

    Items of the company unit itself form its own group; those in no unit come last. Reads
    only the items' units and the departments (one query: a page of twenty objectives needs a
    few dozen of the organisation's units, not all of them).
    """
    found_units = [(item, unit_of(item)) for item in items]
    wanted = {unit_id for _item, unit_id in found_units if unit_id is not None}
    if len(wanted) <= UNITS_READ_BY_ID:
        # Compiled once per number of units (`compiled_reads`; more than it keeps, as it is).
        rows = rows_by_ids(
            "units and departments", units_and_departments, OrgUnit.objects.db, sorted(wanted)
        )
    else:
        rows = list(OrgUnit.objects.all())
    units = {unit.pk: unit for unit in rows}
    groups: dict[int | None, tuple[OrgUnit | None, list[T]]] = {}
    for item, unit_id in found_units:
        department = department_of(units, unit_id)
        key = department.pk if department else None
        groups.setdefault(key, (department, []))[1].append(item)
    ordered = sorted(groups.values(), key=lambda g: (g[0] is None, g[0].path if g[0] else ""))
    return [
        (
            unit,
            unit.name if unit else _("Projects and people outside units"),
            sorted(found, key=order),
        )
        for unit, found in ordered
    ]


@dataclass
class ReviewSection:
    """The objectives of one department (or the company itself)."""

    name: str
    unit: OrgUnit | None
    lines: list[ObjectiveLine] = field(default_factory=list)

    @property
    def mean_score(self) -> Decimal | None:
        return mean_score(line.score for line in self.lines)

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
        return band_counts(line.band for line in self.lines)

    def success_rate(self, kind: str) -> tuple[int, int]:
        lines = [line for line in self.lines if line.objective.kind == kind]
        return sum(1 for line in lines if line.success), len(lines)

    @property
    def mean_score(self) -> Decimal | None:
        return mean_score(line.score for line in self.lines)


def review_objectives(
    cycle: Cycle, queryset: QuerySet[Objective], ids: list[int] | None = None
) -> LoadedObjectives:
    """Load the objectives (with their owners) and their key results, in two queries: what the
    grading and the review show (`load_objectives` also reads the tags, parent links and key
    results' owners, which the review never shows: two queries and a hundred objects more)."""
    if ids is not None:
        # One page of a review (`queryset` selects exactly `ids`): both statements compiled
        # once per number of ids (`compiled_reads`), their rows read by the ids.
        objectives = rows_by_ids("review objectives", page_objectives, Objective.objects.db, ids)
        key_results: dict[int, list[KeyResult]] = defaultdict(list)
        for kr in rows_by_ids("review key results", page_key_results, KeyResult.objects.db, ids):
            key_results[kr.objective_id].append(kr)
    else:
        objectives = list(queryset.select_related("owner_person", "owner_unit", "owner_project"))
        key_results = key_results_by_objective(queryset.values("pk"), REVIEW_FIELDS)
    for objective in objectives:
        objective._state.fields_cache["cycle"] = cycle
    return LoadedObjectives(objectives, key_results, {}, {})


def page_objectives(ids: list[int]) -> QuerySet[Objective]:
    """A review page's objectives with their owners, in the page's order."""
    return (
        Objective.objects.filter(pk__in=ids)
        .order_by("position", "id")
        .select_related("owner_person", "owner_unit", "owner_project")
    )


def page_key_results(ids: list[int]) -> QuerySet[KeyResult]:
    """The live key results of a review page's objectives, in their order
    (`key_results_by_objective` with the review's fields)."""
    return (
        KeyResult.objects.filter(objective_id__in=ids, is_archived=False)
        .only(*REVIEW_FIELDS)
        .order_by("objective_id", "position", "id")
    )


def page_reflections(ids: list[int]) -> QuerySet[Reflection]:
    return Reflection.objects.filter(objective__in=ids)


def page_carry_overs(ids: list[int]) -> QuerySet[CarryOver]:
    return CarryOver.objects.filter(source__in=ids).select_related("copy__cycle")


# What grading reads of a key result (its figures, weight and value) and what the review and its
# reports show of it (title, and its values with their unit: `kr_value`).
REVIEW_FIELDS = (*FIGURE_FIELDS, "title", "unit", "currency")


def frozen_lines(cycle: Cycle, queryset: QuerySet[Objective]) -> dict[int, ObjectiveLine]:
    """Read a closed cycle's stored grades."""
    loaded = review_objectives(cycle, queryset)
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


def preview_lines(
    cycle: Cycle, queryset: QuerySet[Objective], ids: list[int] | None = None
) -> dict[int, ObjectiveLine]:
    """Grade an open cycle as closing it now would, without saving (`ids`: a page's)."""
    loaded = review_objectives(cycle, queryset, ids)
    result = grade_cycle(cycle, loaded=loaded)
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


def build_review(
    cycle: Cycle, queryset: QuerySet[Objective], ids: list[int] | None = None
) -> CycleReview:
    """Assemble the review of the given objectives, grouped by department (`ids`: the
    queryset's, when it is one page: its rows are then read by id)."""
    lines = (
        frozen_lines(cycle, queryset) if cycle.is_closed else preview_lines(cycle, queryset, ids)
    )
    if ids is not None:
        reflections = rows_by_ids(
            "review reflections", page_reflections, Reflection.objects.db, ids
        )
        links = rows_by_ids("review carry-overs", page_carry_overs, CarryOver.objects.db, ids)
    else:
        scope = queryset.values("pk")
        reflections = list(page_reflections(scope))  # type: ignore[arg-type]
        links = list(page_carry_overs(scope))  # type: ignore[arg-type]
    for reflection in reflections:
        if reflection.objective_id in lines:
            lines[reflection.objective_id].reflection = reflection
    for link in links:
        if link.source_id in lines:
            lines[link.source_id].carried_to = link.copy
    sections = [
        ReviewSection(name, unit, found)
        for unit, name, found in by_department(
            lines.values(),
            lambda line: owner_unit_id(line.objective),
            lambda line: (line.objective.position, line.objective.pk),
        )
    ]
    return CycleReview(cycle, cycle.is_closed, sections)


def department_of(units: dict[int, OrgUnit], unit_id: int | None) -> OrgUnit | None:
    """Return the department (depth 1) a unit sits in, or the company for the company itself."""
    unit = units.get(unit_id or 0)
    if unit is None:
        return None
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    if len(ids) >= 2:
        return units.get(ids[1])
    return unit


@dataclass(frozen=True)
class GradeRow:
    """One objective's grade as stored: frozen, or the preview of an open cycle."""

    objective_id: int
    position: int
    unit_id: int | None
    score: Decimal
    band: str
    success: bool
    kind: str


@dataclass
class SectionTotals:
    """One department's line in a large review: its objectives, their mean, successes."""

    name: str
    unit: OrgUnit | None
    rows: list[GradeRow]

    @property
    def key(self) -> str:
        return str(self.unit.pk) if self.unit else "none"

    @property
    def objective_ids(self) -> list[int]:
        return [row.objective_id for row in self.rows]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def mean_score(self) -> Decimal | None:
        return mean_score(row.score for row in self.rows)

    @property
    def successes(self) -> int:
        return sum(1 for row in self.rows if row.success)


@dataclass
class ReviewTotals:
    """A review's figures over every objective in view, read from stored rows in one query."""

    rows: list[GradeRow]
    sections: list[SectionTotals]

    @property
    def objectives(self) -> int:
        return len(self.rows)

    @property
    def bands(self) -> dict[str, int]:
        return band_counts(row.band for row in self.rows)

    def success_rate(self, kind: str) -> tuple[int, int]:
        rows = [row for row in self.rows if row.kind == kind]
        return sum(1 for row in rows if row.success), len(rows)

    @property
    def mean_score(self) -> Decimal | None:
        return mean_score(row.score for row in self.rows)


def review_totals(cycle: Cycle, queryset: QuerySet[Objective]) -> ReviewTotals | None:
    """Total the grades in view: frozen ones of a closed cycle, else the stored grade preview.

    None while a large open cycle waits for its first `okrflow refresh-insights`.
    """
    from okrflow.insights.models import ObjectiveSnapshot
    from okrflow.insights.snapshots import stored_insights

    scope = queryset.values("pk")
    if cycle.is_closed:
        rows = [
            GradeRow(pk, position, unit or person_unit or project_unit, score, band, success, kind)
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
        rows = [
            GradeRow(pk, position, unit, score or Decimal(0), band, success, kind)
            for pk, position, unit, score, band, success, kind in (
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
        ]
    sections = [
        SectionTotals(name, unit, found)
        for unit, name, found in by_department(
            rows, lambda row: row.unit_id, lambda row: (row.position, row.objective_id)
        )
    ]
    return ReviewTotals(rows, sections)


@dataclass
class StoredSection:
    """One department's line in a large review, from the stored totals."""

    name: str
    unit: OrgUnit | None
    count: int
    score_sum: float
    successes: int

    @property
    def key(self) -> str:
        return str(self.unit.pk) if self.unit else "none"

    @property
    def mean_score(self) -> Decimal | None:
        return mean_of(self.score_sum, self.count)


def mean_of(score_sum: float, count: int) -> Decimal | None:
    """Return the mean score cut like a grade (scores have two decimals: their sum is exact)."""
    if not count:
        return None
    total = Decimal(str(round(score_sum, 2)))
    return (total / count).quantize(grading.HUNDREDTH, rounding=ROUND_DOWN)


@dataclass
class StoredReview:
    """A large open cycle's review figures in view, read from the stored totals per department:
    a row per department and a few queries, whatever the number of objectives."""

    figures: Any
    sections: list[StoredSection]

    @property
    def objectives(self) -> int:
        return totals_module.count(self.figures, "graded")

    @property
    def bands(self) -> dict[str, int]:
        return {
            band.value: totals_module.count(self.figures, f"band:{band.value}")
            for band in grading.Band
        }

    def success_rate(self, kind: str) -> tuple[int, int]:
        return (
            totals_module.count(self.figures, f"success:{kind}"),
            totals_module.count(self.figures, f"kind:{kind}"),
        )

    @property
    def mean_score(self) -> Decimal | None:
        return mean_of(self.figures.get("score_sum", 0.0), self.objectives)


def company_and_departments() -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(depth__lte=1).order_by("path")


def stored_review(scope: Any) -> StoredReview | None:
    """Read the review's figures of a reader's scope from the stored totals, by department.

    None when the totals were stored before they held the review's figures (then the rows are
    read one by one, as `review_totals` does, until the next full refresh).
    """
    tops = all_rows("company and departments", company_and_departments, OrgUnit.objects.db)
    # Every top unit is among them: the whole's figures need no query for the top units.
    assert scope.tree is not None
    scope.tree.know_roots(tops)
    read = totals_module.read_totals(
        scope.cycle, scope.viewer, [*(unit.pk for unit in tops), None], scope.tree
    )
    everything = read.everything(scope.tree)
    if totals_module.count(everything, "graded") != totals_module.count(everything, "objectives"):
        return None
    sections = []
    for unit in [*tops, None]:
        figures = Counter(read.of(unit.pk if unit else None))
        if unit is not None and unit.depth == 0:
            # The company's own objectives: its subtree less its departments'.
            for department in tops:
                if department.parent_id == unit.pk:
                    figures.subtract(read.of(department.pk))
        count = totals_module.count(figures, "graded")
        if count:
            sections.append(
                StoredSection(
                    unit.name if unit else _("Projects and people outside units"),
                    unit,
                    count,
                    figures.get("score_sum", 0.0),
                    sum(
                        totals_module.count(figures, f"success:{kind}")
                        for kind in ("committed", "aspirational")
                    ),
                )
            )
    return StoredReview(everything, sections)


def section_objectives(scope: Any, section: StoredSection) -> Any:
    """Return the ids of a section's objectives in view, in the alignment map's order (what
    a `Paginator` slices: a page of them)."""
    shape = scope.shape()
    if shape is not None:
        return SectionIds(shape, section)
    return section_rows(scope.objectives(), section_kind(section), section_value(section))


def section_kind(section: StoredSection) -> str:
    if section.unit is None:
        return "outside"
    return "company" if section.unit.depth == 0 else "department"


def section_value(section: StoredSection) -> int | str | None:
    """What a section's rows are selected by: its unit's id, or its path (a department's)."""
    if section.unit is None:
        return None
    return section.unit.pk if section.unit.depth == 0 else section.unit.path


def section_rows(rows: QuerySet[Any], kind: str, value: Any) -> QuerySet[Any]:
    """The snapshot rows of a section among `rows`: outside units, of the company unit itself,
    or of a department's subtree; their objectives' ids in the alignment map's order."""
    if kind == "outside":
        rows = rows.filter(unit_id__isnull=True)
    elif kind == "company":
        rows = rows.filter(unit_id=value)
    else:
        rows = rows.filter(unit_id__in=OrgUnit.objects.filter(path__startswith=value).values("pk"))
    return rows.order_by("map_order").values_list("objective_id", flat=True)


class SectionIds:
    """A section's objective ids in view, read a page at a time by a statement compiled once
    per form of the reader's scope and page (`compiled_reads.formed_values`)."""

    def __init__(self, shape: tuple[Any, Any], section: StoredSection) -> None:
        self.form, self.values = shape
        self.kind = section_kind(section)
        value = section_value(section)
        self.extra: tuple[Any, ...] = () if value is None else (value,)

    def __getitem__(self, part: slice) -> list[int]:
        from okrflow.insights.models import ObjectiveSnapshot
        from okrflow.insights.stored import scope_rows

        assert isinstance(part, slice) and part.step is None
        form, kind, start, stop = self.form, self.kind, part.start, part.stop
        count = len(self.values)

        def build(shaped: list[Any]) -> QuerySet[Any]:
            rows = scope_rows(ObjectiveSnapshot, form, shaped[:count])
            value = shaped[count] if len(shaped) > count else None
            return section_rows(rows, kind, value).values_list("objective_id")[start:stop]

        return [
            pk
            for (pk,) in formed_values(
                "review section",
                (form, kind, start, stop),
                build,
                ObjectiveSnapshot.objects.db,
                (*self.values, *self.extra),
            )
        ]
