"""Data the browsing pages share: measured objectives, focus lines, the alignment tree, search.

Every function here reads in a fixed number of queries, whatever the size of the organisation,
so the pages built on them keep constant query counts (pinned in tests/front/).
"""

from __future__ import annotations

import datetime
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page
from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.db.models.lookups import Contains, Exact

from okrflow.cycles.models import Cycle
from okrflow.engine.focus import (
    TEAM_DEPTH,
    FocusRules,
    OwnerKind,
    check_objective_focus,
    check_owner_focus,
    is_team,
    objective_range,
)
from okrflow.engine.progress import Status, StatusThresholds
from okrflow.engine.text import fold, fold_with_positions
from okrflow.front.folding import Folded, folded_contains
from okrflow.okrs.actions.common import describe_focus_finding
from okrflow.okrs.focus_report import FocusLine
from okrflow.okrs.measure import (
    SUCCESS_BAR,
    KeyResultReport,
    ObjectiveReport,
    load_for_tree,
    load_objectives,
    measure_key_result,
    measure_objectives,
)
from okrflow.okrs.models import CoOwner, KeyResult, Objective, ObjectiveKind
from okrflow.org.access import access_for
from okrflow.org.models import Organisation, OrgUnit, Person

# A long focus list helps nobody: show the first few and say there are more.
FOCUS_LINES_SHOWN = 25


# ---------------------------------------------------------------- objectives and progress


def visible_in_cycle(user: Any, cycle: Cycle) -> QuerySet[Objective]:
    """Return the cycle's live objectives the user may see."""
    return Objective.objects.visible_to(user).live().filter(cycle=cycle)


def measure(
    queryset: QuerySet[Objective],
    today: datetime.date,
    organisation: Organisation,
    ids: list[int] | None = None,
    *,
    for_tree: bool = False,
    key_result_owners: bool = True,
) -> list[ObjectiveReport]:
    """Load and measure objectives in four queries, in owner order (units, projects, people).

    Pass `ids` when the queryset is a few known objectives (their rows are then read by id).
    `for_tree` loads what the alignment tree's nodes draw, in three queries (`load_for_tree`):
    the reports then carry no tags, and their parent links no parents' rows. Without
    `key_result_owners` (cards that do not name them) the key results' owners are not read:
    joined, PostgreSQL hashes every person of the organisation for a page's few dozen."""
    loaded = (
        load_for_tree(queryset, ids)
        if for_tree
        else load_objectives(queryset, ids, key_result_owners=key_result_owners)
    )
    loaded.objectives.sort(key=owner_order)
    return measure_objectives(loaded, today, organisation)


def ids_of(queryset: QuerySet[Objective]) -> list[int]:
    """Return the ids of a few objectives (a person's), to load their rows by primary key."""
    return sorted(queryset.order_by().values_list("pk", flat=True))


def owner_order(objective: Objective) -> tuple[Any, ...]:
    """Sort companies and departments first, then teams, projects and people."""
    if objective.owner_unit_id:
        unit = objective.owner_unit
        return (0, unit.depth, unit.name.lower(), objective.position, objective.pk)
    if objective.owner_project_id:
        return (1, 0, objective.owner_project.name.lower(), objective.position, objective.pk)
    return (2, 0, objective.owner_person.full_name.lower(), objective.position, objective.pk)


@dataclass
class StatusSummary:
    """How many objectives, their mean progress and how many are in each status."""

    total: int = 0
    mean_progress: float | None = None
    counts: dict[str, int] = field(default_factory=dict)


def summarise(reports: Iterable[ObjectiveReport]) -> StatusSummary:
    """Count the reports by status and average their progress."""
    reports = list(reports)
    counts = {status.value: 0 for status in Status}
    for report in reports:
        counts[report.status.value] += 1
    mean = sum(r.progress for r in reports) / len(reports) if reports else None
    return StatusSummary(len(reports), mean, counts)


def reports_by_person(reports: Iterable[ObjectiveReport]) -> dict[int, list[ObjectiveReport]]:
    """Group objective reports by the person who owns them."""
    grouped: dict[int, list[ObjectiveReport]] = defaultdict(list)
    for report in reports:
        if report.objective.owner_person_id:
            grouped[report.objective.owner_person_id].append(report)
    return grouped


@dataclass
class OwnedKeyResult:
    """A key result someone owns or co-owns inside an objective that belongs to someone else."""

    report: KeyResultReport
    objective: Objective
    co_owned: bool = False


def key_results_owned_elsewhere(
    visible: QuerySet[Objective],
    person: Person,
    today: datetime.date,
    organisation: Organisation,
) -> list[OwnedKeyResult]:
    """Return the key results the person owns or co-owns in others' objectives (two queries).

    Key results of objectives the person co-owns are left out: they show with those objectives.
    """
    thresholds = organisation.status_thresholds()
    mine = CoOwner.objects.filter(person=person)
    # The person's key results by the owner and co-owner indexes first; then only those whose
    # objective is in view (a few ids): never a pass over the cycle's key results.
    owned = KeyResult.objects.filter(owner=person).order_by().values_list("pk", flat=True)
    co_owned = (
        mine.filter(key_result__isnull=False).order_by().values_list("key_result_id", flat=True)
    )
    candidates = sorted(set(owned.union(co_owned)))
    in_view = visible.filter(key_results__in=candidates).values("pk")  # a few rows, by id
    key_results = (
        KeyResult.objects.filter(pk__in=candidates, is_archived=False)
        .filter(objective_id__in=in_view)
        .exclude(objective__owner_person=person)
        .exclude(objective__in=mine.filter(objective__isnull=False).values("objective_id"))
        .select_related(
            "objective__cycle",
            "objective__owner_person",
            "objective__owner_unit",
            "objective__owner_project",
        )
        .order_by("objective__position", "objective_id", "position", "id")
    )
    return [
        OwnedKeyResult(
            measure_in_objective(kr, today, thresholds), kr.objective, kr.owner_id != person.pk
        )
        for kr in key_results
    ]


def measure_in_objective(
    kr: KeyResult, today: datetime.date, thresholds: StatusThresholds
) -> KeyResultReport:
    """Measure a key result by its objective's success bar (the objective and cycle are loaded)."""
    bar = SUCCESS_BAR.get(ObjectiveKind(kr.objective.kind), 1.0)
    return measure_key_result(kr, kr.objective.cycle.start_date, today, bar, thresholds)


# ---------------------------------------------------------------- people and units


def initials(full_name: str) -> str:
    """Return two letters for an avatar: first and last word (Nguyễn Văn An → NA)."""
    words = full_name.split()
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][:2].upper()
    return (words[0][0] + words[-1][0]).upper()


def with_avatars(people: list[Person]) -> list[Person]:
    """Give each person the initials and hue of their avatar."""
    for person in people:
        person.initials = initials(person.full_name)  # type: ignore[attr-defined]
        person.hue = (person.pk * 47) % 360  # type: ignore[attr-defined]
    return people


def with_option_labels(units: list[OrgUnit]) -> list[OrgUnit]:
    """Label units for a <select>, indented by depth (non-breaking: <option> collapses spaces)."""
    for unit in units:
        indent = "\u00a0\u00a0\u00a0" * unit.depth + ("└ " if unit.depth else "")
        unit.option_label = indent + unit.name  # type: ignore[attr-defined]
    return units


def people_count_below() -> Coalesce:
    """Count the people of a unit and of every unit below it, as a subquery on its path."""
    below = (
        Person.objects.filter(unit__path__startswith=OuterRef("path"))
        .order_by()
        .annotate(total=Func(F("pk"), function="COUNT"))
        .values("total")
    )
    return Coalesce(Subquery(below, output_field=IntegerField()), 0)


def pager_links(page: Page, filters: dict[str, Any] | None = None) -> dict[str, str]:
    """Return the previous and next links of a list page, keeping its filters."""

    def link(number: int) -> str:
        kept = {key: value for key, value in (filters or {}).items() if value}
        return "?" + urlencode({**kept, "page": number})

    return {
        "previous": link(page.previous_page_number()) if page.has_previous() else "",
        "next": link(page.next_page_number()) if page.has_next() else "",
    }


def unit_trail(unit: OrgUnit | None) -> list[OrgUnit]:
    """Return the units above `unit`, top first, from its materialised path (one query)."""
    if unit is None:
        return []
    ids = [int(part) for part in unit.path.strip("/").split("/") if part.isdigit()]
    ids = [pk for pk in ids if pk != unit.pk]
    if not ids:
        return []
    return list(OrgUnit.objects.filter(pk__in=ids).order_by("depth"))


def objective_count_filter(user: Any, cycle: Cycle, prefix: str = "objectives") -> Q:
    """Return the Count filter for an owner's live objectives in the cycle the user may see.

    Counting only visible objectives keeps a private objective from showing up as a number
    to someone who may not see it; the lead and admins, who see everything, get true counts.
    """
    condition = Q(**{f"{prefix}__cycle": cycle}) & ~Q(**{f"{prefix}__state": "archived"})
    if not access_for(user).is_admin:
        condition &= Q(**{f"{prefix}__in": Objective.objects.visible_to(user)})
    return condition


# ---------------------------------------------------------------- focus


@dataclass
class FocusSummary:
    """Focus findings for one page, cut to a readable length."""

    lines: list[FocusLine]
    more: bool


def owner_focus_line(
    kind: OwnerKind, pk: int, name: str, count: int, rules: FocusRules, *, team: bool = False
) -> list[FocusLine]:
    return [
        FocusLine(
            kind.value,
            pk,
            name,
            finding.code,
            finding.count,
            finding.minimum,
            finding.maximum,
            describe_focus_finding(finding),
        )
        for finding in check_owner_focus(kind, count, rules, team=team)
    ]


def objective_focus_line(objective: Objective, count: int, rules: FocusRules) -> list[FocusLine]:
    return [
        FocusLine(
            objective.owner_kind,
            objective.owner.pk,
            objective.owner_name,
            finding.code,
            finding.count,
            finding.minimum,
            finding.maximum,
            describe_focus_finding(finding),
            objective.pk,
            objective.title,
        )
        for finding in check_objective_focus(count, rules, objective.pk)
    ]


def outside(total: str, minimum: int, maximum: int) -> Q:
    return Q(**{f"{total}__lt": minimum}) | Q(**{f"{total}__gt": maximum})


def owners_out_of_focus(
    user: Any,
    cycle: Cycle,
    rules: FocusRules,
    *,
    units: QuerySet[OrgUnit] | None = None,
    people: QuerySet[Person] | None = None,
) -> list[FocusLine]:
    """List units (3–5) and people (1–3) outside their range; one query per kind of owner.

    The database does the counting and the range test, so only the few owners to report come
    back, however large the unit.
    """
    lines: list[FocusLine] = []
    counted = Count("objectives", filter=objective_count_filter(user, cycle), distinct=True)
    if units is not None:
        # Teams (below department level) may have their own, looser range.
        unit_minimum, unit_maximum = objective_range(OwnerKind.UNIT, rules)
        team_minimum, team_maximum = objective_range(OwnerKind.UNIT, rules, team=True)
        out_of_range = Q(depth__lt=TEAM_DEPTH) & outside("total", unit_minimum, unit_maximum)
        out_of_range |= Q(depth__gte=TEAM_DEPTH) & outside("total", team_minimum, team_maximum)
        rows = (
            units.annotate(total=counted)
            .filter(out_of_range)
            .order_by("path")
            .values_list("pk", "name", "total", "depth")[: FOCUS_LINES_SHOWN + 1]
        )
        for pk, name, total, depth in rows:
            lines += owner_focus_line(OwnerKind.UNIT, pk, name, total, rules, team=is_team(depth))
    if people is not None:
        minimum, maximum = objective_range(OwnerKind.PERSON, rules)
        rows = (
            people.annotate(total=counted)
            .filter(outside("total", minimum, maximum))
            .order_by("full_name", "pk")
            .values_list("pk", "full_name", "total")[: FOCUS_LINES_SHOWN + 1]
        )
        for pk, name, total in rows:
            lines += owner_focus_line(OwnerKind.PERSON, pk, name, total, rules)
    return lines


def objectives_out_of_focus(objectives: QuerySet[Objective], rules: FocusRules) -> list[FocusLine]:
    """List objectives outside 3–5 key results, counted by the database (one query)."""
    rows = (
        objectives.annotate(
            total=Count("key_results", filter=Q(key_results__is_archived=False), distinct=True)
        )
        .filter(outside("total", rules.key_results_min, rules.key_results_max))
        .select_related("owner_person", "owner_unit", "owner_project")
        .order_by("position", "pk")[: FOCUS_LINES_SHOWN + 1]
    )
    lines: list[FocusLine] = []
    for objective in rows:
        lines += objective_focus_line(objective, objective.total, rules)
    return lines


def cut_focus(lines: list[FocusLine]) -> FocusSummary:
    return FocusSummary(lines[:FOCUS_LINES_SHOWN], len(lines) > FOCUS_LINES_SHOWN)


@dataclass
class PersonFocus:
    """One person's objective count against the individual range."""

    count: int
    minimum: int
    maximum: int
    in_range: bool
    message: str
    thin_objectives: list[FocusLine]


def person_focus(reports: list[ObjectiveReport], rules: FocusRules) -> PersonFocus:
    """Judge a person's objectives (1–3) and their key result counts (3–5) from loaded reports."""
    minimum, maximum = objective_range(OwnerKind.PERSON, rules)
    findings = check_owner_focus(OwnerKind.PERSON, len(reports), rules)
    message = describe_focus_finding(findings[0]) if findings else ""
    thin = []
    for report in reports:
        thin += objective_focus_line(report.objective, len(report.key_results), rules)
    return PersonFocus(len(reports), minimum, maximum, not findings, message, thin)


# ---------------------------------------------------------------- alignment tree


@dataclass
class TreeRow:
    """One objective in the flattened alignment tree.

    The template opens a `<details>` for a row with children and, after each leaf, closes as
    many levels as `closes` counts; flattening keeps a deep or looping tree from recursing.
    """

    report: ObjectiveReport
    depth: int
    child_count: int
    is_open: bool
    closes: range = range(0)
    hidden: int = 0  # aligned objectives not drawn (large cycles), reached from the objective page
    lazy: bool = False  # its children are loaded when it is opened (large cycles, tree_scope)


@dataclass
class AlignmentTree:
    company: list[TreeRow]
    unaligned: list[TreeRow]
    detached: list[TreeRow]
    total: int
    aligned_share: float | None
    more: dict[str, int | None] = field(default_factory=dict)  # where a list apart goes on


# The tree opens its top two levels (company and departments); the rest is one click away.
OPEN_LEVELS = 2


def chosen_parent(report: ObjectiveReport, present: dict[int, ObjectiveReport]) -> int | None:
    """Return the parent the objective is drawn under: the primary one, else any visible one."""
    links = [link for link in report.parent_links if link.parent_id in present]
    primary = [link for link in links if link.is_primary]
    if primary:
        return primary[0].parent_id
    return links[0].parent_id if links else None


def build_alignment_tree(reports: list[ObjectiveReport]) -> AlignmentTree:
    """Arrange measured objectives under their parents.

    Roots are company objectives (owned by a top unit, with no visible parent). Objectives with
    no parent at all form the "not aligned" forest; those whose parent is out of view (another
    cycle, archived, private) or that sit in an alignment loop form the "detached" forest.
    """
    present = {report.objective.pk: report for report in reports}
    children: dict[int, list[int]] = defaultdict(list)
    company: list[int] = []
    unaligned: list[int] = []
    detached: list[int] = []
    for report in reports:
        objective = report.objective
        parent = chosen_parent(report, present)
        if parent is not None:
            children[parent].append(objective.pk)
        elif objective.owner_unit_id and objective.owner_unit.parent_id is None:
            company.append(objective.pk)
        elif report.parent_links:
            detached.append(objective.pk)
        else:
            unaligned.append(objective.pk)
    visited: set[int] = set()
    company_rows = flatten_tree(company, children, present, visited)
    unaligned_rows = flatten_tree(unaligned, children, present, visited)
    detached_rows = flatten_tree(detached, children, present, visited)
    # What is left sits in a loop (a → b → a): show each loop once, from its first objective.
    looping = [report.objective.pk for report in reports if report.objective.pk not in visited]
    detached_rows += flatten_tree(looping, children, present, visited)
    # The share of non-company objectives whose chain of parents reaches a company objective.
    laddered = len(company_rows) - len(company)
    non_company = len(reports) - len(company)
    return AlignmentTree(
        company_rows,
        unaligned_rows,
        detached_rows,
        len(reports),
        laddered / non_company if non_company else None,
    )


def flatten_tree(
    roots: list[int],
    children: dict[int, list[int]],
    present: dict[int, ObjectiveReport],
    visited: set[int],
) -> list[TreeRow]:
    """Walk the forest depth-first without recursion, each objective at most once."""
    rows: list[TreeRow] = []
    stack = [(pk, 0) for pk in reversed(roots)]
    while stack:
        pk, depth = stack.pop()
        if pk in visited:
            continue
        visited.add(pk)
        kids = sorted(
            (child for child in children.get(pk, ()) if child not in visited),
            key=lambda child: owner_order(present[child].objective),
        )
        rows.append(TreeRow(present[pk], depth, len(kids), depth < OPEN_LEVELS))
        stack.extend((child, depth + 1) for child in reversed(kids))
    return with_closes(rows)


def with_closes(rows: list[TreeRow]) -> list[TreeRow]:
    """Tell each row drawn without its children after it how many levels close after it."""
    for index, row in enumerate(rows):
        if row.child_count and not row.lazy:
            continue
        next_depth = rows[index + 1].depth if index + 1 < len(rows) else 0
        row.closes = range(row.depth - next_depth)
    return rows


# ---------------------------------------------------------------- text search

MIN_QUERY_LENGTH = 2
SEARCH_LIMIT = 20


@dataclass
class Found:
    """The first results of one search section, and whether there were more."""

    items: list[Any]
    more: bool


def first_results(rows: Iterable[Any]) -> Found:
    rows = list(rows)
    return Found(rows[:SEARCH_LIMIT], len(rows) > SEARCH_LIMIT)


def current_cycle_first(cycle: Cycle | None, field: str = "cycle") -> Any:
    """Rank the chosen cycle's rows before the others'."""
    if cycle is None:
        return Value(0)
    return Case(When(**{field: cycle}, then=Value(0)), default=Value(1))


def match_rank(field: str, query: str) -> Any:
    """Rank a text match: the whole text 0, a whole word 1, inside a word 2 ("doan" in "doanh");
    with the accents as typed half a step better, so "Đoàn" comes before "đoán"."""
    needle = fold(" ".join(query.split()))
    padded = Concat(Value(" "), Folded(field), Value(" "), output_field=CharField())
    folded_rank = Case(
        When(Exact(Folded(field), needle), then=Value(0)),
        When(Contains(padded, f" {needle} "), then=Value(2)),
        default=Value(4),
    )
    accents = Case(When(**{f"{field}__icontains": query.strip()}, then=Value(0)), default=Value(1))
    return folded_rank + accents


def find_objectives(
    user: Any, query: str, cycle: Cycle | None, today: datetime.date, organisation: Organisation
) -> Found:
    """Find live objectives the user may see by title or description; chosen cycle first."""
    found = first_results(
        Objective.objects.visible_to(user)
        .live()
        .filter(folded_contains(["title", "description"], query))
        .annotate(current=current_cycle_first(cycle), rank=match_rank("title", query))
        .order_by("rank", "current", "-cycle__start_date", "position", "pk")
        .values_list("pk", "rank")[: SEARCH_LIMIT + 1]
    )
    ranks = dict(found.items)
    ids = list(ranks)
    order = {pk: index for index, pk in enumerate(ids)}
    loaded = load_objectives(Objective.objects.filter(pk__in=ids), ids)
    loaded.objectives.sort(key=lambda objective: order[objective.pk])
    reports = measure_objectives(loaded, today, organisation)
    for report in reports:
        objective = report.objective
        report.title_parts = highlight(objective.title, query)  # type: ignore[attr-defined]
        report.rank = ranks[objective.pk]  # type: ignore[attr-defined]
        report.snippet = excerpt(objective.description, query)  # type: ignore[attr-defined]
    return Found(reports, found.more)


def find_key_results(
    user: Any, query: str, cycle: Cycle | None, today: datetime.date, organisation: Organisation
) -> Found:
    """Find key results by title, only inside live objectives the user may see."""
    visible = Objective.objects.visible_to(user).live()
    found = first_results(
        KeyResult.objects.filter(is_archived=False, objective__in=visible)
        .filter(folded_contains(["title"], query))
        .select_related(
            "owner",
            "objective__cycle",
            "objective__owner_person",
            "objective__owner_unit",
            "objective__owner_project",
        )
        .annotate(
            current=current_cycle_first(cycle, "objective__cycle"), rank=match_rank("title", query)
        )
        .order_by(
            "rank", "current", "-objective__cycle__start_date", "objective_id", "position", "pk"
        )[: SEARCH_LIMIT + 1]
    )
    thresholds = organisation.status_thresholds()
    found.items = [
        {
            "report": measure_in_objective(kr, today, thresholds),
            "title_parts": highlight(kr.title, query),
        }
        for kr in found.items
    ]
    return found


def find_people(query: str) -> Found:
    """Find people by name, username or job title."""
    found = first_results(
        Person.objects.filter(folded_contains(["full_name", "user__username", "job_title"], query))
        .select_related("unit", "user")
        .annotate(rank=match_rank("full_name", query))
        .order_by("rank", Folded("full_name"), "pk")[: SEARCH_LIMIT + 1]
    )
    for person in with_avatars(found.items):
        person.name_parts = highlight(person.full_name, query)  # type: ignore[attr-defined]
    return found


def people_come_first(people: Found, objectives: Found, key_results: Found) -> bool:
    """Tell whether the query reads as a name: a person matches it by a whole word, better
    than any objective or key result does ("Đoàn" is a person before "doanh thu")."""
    if not people.items:
        return False
    best_person = min(person.rank for person in people.items)
    others = [report.rank for report in objectives.items]
    others += [item["report"].key_result.rank for item in key_results.items]
    return best_person < 4 and (not others or best_person <= min(others))


def highlight(text: str, query: str) -> list[tuple[str, bool]]:
    """Split text into (part, is_match) pieces so the template can mark the query in it.

    Matches ignore case and diacritics like the search itself: "dao" marks "Đào".
    """
    needle = fold(" ".join(query.split()))
    if not text or not needle:
        return [(text, False)]
    composed = unicodedata.normalize("NFC", text)
    folded, origins = fold_with_positions(composed)
    parts: list[tuple[str, bool]] = []
    position = 0
    found = folded.find(needle)
    while found >= 0:
        start, end = origins[found], origins[found + len(needle) - 1] + 1
        if start > position:
            parts.append((composed[position:start], False))
        parts.append((composed[start:end], True))
        position = end
        found = folded.find(needle, found + len(needle))
    if position < len(composed):
        parts.append((composed[position:], False))
    return parts or [(text, False)]


def excerpt(text: str, query: str, width: int = 160) -> str:
    """Return a piece of a long description around the first match of the query."""
    flat = unicodedata.normalize("NFC", " ".join((text or "").split()))
    if len(flat) <= width:
        return flat
    folded, origins = fold_with_positions(flat)
    at = folded.find(fold(" ".join(query.split())))
    found = origins[at] if at >= 0 else -1
    start = max(0, found - width // 3) if found >= 0 else 0
    piece = flat[start : start + width]
    return ("…" if start else "") + piece + ("…" if start + width < len(flat) else "")
