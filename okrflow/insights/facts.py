"""F.A.C.T.S., measured: one figure per benefit the article names, from the visible objectives.

* Focus: owners within their range (1–3 objectives for a person, 3–5 for a unit or project) and
  objectives with 3–5 key results.
* Alignment: objectives below the company level that contribute to a parent.
* Commitment: people's own objectives that they drafted themselves, and how many of those are
  agreed (active).
* Tracking: check-in compliance (from the check-ins app), else key results updated this week.
* Stretching: the share of aspirational objectives, and how they score against their 0.7 bar.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Avg, Count, F, Max, OuterRef, Q, Subquery

from okrflow.audit.models import AuditEntry
from okrflow.engine.focus import (
    FocusFinding,
    FocusRules,
    OwnerKind,
    check_objective_focus,
    check_owner_focus,
    is_team,
    objective_range,
)
from okrflow.insights import totals
from okrflow.insights.models import ObjectiveGrade, ObjectiveSnapshot
from okrflow.insights.sources import checkins_available, compliance_totals_for
from okrflow.insights.standings import stored_compliance
from okrflow.insights.stored import Scope
from okrflow.okrs.actions.common import describe_focus_finding
from okrflow.okrs.models import KeyResult, Objective, ObjectiveKind, ObjectiveState
from okrflow.org.models import Organisation, OrgUnit, Person, Project

NOTES_SHOWN = 12  # findings listed per panel; the count says how many there are in all


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Panel:
    """One benefit: a headline share, the counts behind it, and lines worth reading."""

    key: str
    value: float | None
    part: int
    whole: int
    notes: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    notes_total: int = 0


def in_scope(scope: Scope) -> Any:
    return Objective.objects.filter(pk__in=scope.objective_ids)


def owner_names(owners: list[tuple[str, int]]) -> dict[tuple[str, int], str]:
    """Name the given (owner kind, id) pairs in three queries at most."""
    ids: dict[str, set[int]] = {kind: set() for kind in OwnerKind}
    for kind, pk in owners:
        ids[kind].add(pk)
    names: dict[tuple[str, int], str] = {}
    for pk, name in Person.objects.filter(pk__in=ids[OwnerKind.PERSON]).values_list(
        "pk", "full_name"
    ):
        names[(OwnerKind.PERSON, pk)] = name
    for pk, name in OrgUnit.objects.filter(pk__in=ids[OwnerKind.UNIT]).values_list("pk", "name"):
        names[(OwnerKind.UNIT, pk)] = name
    for pk, name in Project.objects.filter(pk__in=ids[OwnerKind.PROJECT]).values_list("pk", "name"):
        names[(OwnerKind.PROJECT, pk)] = name
    return names


def outside_range(rules: FocusRules) -> Q:
    """Filter owners grouped with their objectives' count `n` to those out of their range."""
    found = Q()
    for kind, team in (
        (OwnerKind.PERSON, False),
        (OwnerKind.UNIT, False),
        (OwnerKind.UNIT, True),
        (OwnerKind.PROJECT, False),
    ):
        low, high = objective_range(kind, rules, team=team)
        same = Q(owner_kind=kind.value) & (Q(owner_team=team) if kind == OwnerKind.UNIT else Q())
        found |= same & (Q(n__lt=low) | Q(n__gt=high))
    return found


def stored_owner_counts(
    scope: Scope, rules: FocusRules
) -> tuple[int, int, list[tuple[tuple[str, int], FocusFinding]]]:
    """Count the owners in view and those out of range (owners, out of range, the first few
    findings, by owner): from the stored totals' owner histogram, else from the snapshot rows
    (totals stored before they held it). The findings need one grouped query, only when some
    owner is out of range."""
    histogram = viewer_owner_histogram(scope)
    if histogram is None:
        owners, outside = owner_counts_from_rows(scope, rules)
    else:
        owners = sum(histogram.values())
        outside = sum(
            number
            for (kind, team, count), number in histogram.items()
            if check_owner_focus(OwnerKind(kind), count, rules, team=team)
        )
    return owners, outside, first_owner_findings(scope, rules) if outside else []


def grouped_owners(scope: Scope) -> Any:
    return (
        scope.objectives()
        .exclude(owner_kind="")
        .order_by()
        .values("owner_kind", "owner_key", "owner_team")
        .annotate(n=Count("id"))
    )


def first_owner_findings(
    scope: Scope, rules: FocusRules
) -> list[tuple[tuple[str, int], FocusFinding]]:
    """Return the findings of the first few owners out of range, by owner."""
    first = (
        grouped_owners(scope).filter(outside_range(rules)).order_by("owner_kind", "owner_key")
    )[:NOTES_SHOWN]
    return [
        ((row["owner_kind"], row["owner_key"]), finding)
        for row in first
        for finding in check_owner_focus(
            OwnerKind(row["owner_kind"]), row["n"], rules, team=row["owner_team"]
        )
    ]


def owner_counts_from_rows(scope: Scope, rules: FocusRules) -> tuple[int, int]:
    counts = grouped_owners(scope).aggregate(
        owners=Count("owner_key"), outside=Count("owner_key", filter=outside_range(rules))
    )
    return counts["owners"], counts["outside"]


def viewer_owner_histogram(scope: Scope) -> Counter[tuple[str, bool, int]] | None:
    """Return how many owners in view hold each number of objectives (by kind and team), from
    the stored totals, corrected for the owners of the reader's `extra` private objectives.

    None when the totals do not hold it (stored before it was kept): the owners' objectives
    must add up to the objectives in view.
    """
    assert scope.viewer is not None and scope.tree is not None
    figures = scope.figures()
    histogram: Counter[tuple[str, bool, int]] = Counter(totals.owner_histogram(figures))
    viewer = scope.viewer
    extra = set(viewer.extra)
    if extra and viewer.extra_owners:
        wanted = Q()
        for kind, key in viewer.extra_owners:
            wanted |= Q(owner_kind=kind, owner_key=key)
        rows: dict[tuple[str, int], list[tuple[int, int, int | None, bool]]] = {}
        for objective_id, kind, key, bucket, unit_id, team in (
            ObjectiveSnapshot.objects.filter(cycle=scope.cycle)
            .filter(wanted)
            .values_list(
                "objective_id", "owner_kind", "owner_key", "bucket", "unit_id", "owner_team"
            )
        ):
            rows.setdefault((kind, key), []).append((objective_id, bucket, unit_id, team))
        for (kind, _key), found in rows.items():
            unit_id, team = found[0][2], found[0][3]
            if scope.unit is not None and scope.unit.pk not in scope.tree.ancestors(unit_id):
                continue  # outside the unit shown
            counted = sum(
                1
                for objective_id, bucket, unit, _team in found
                if bucket == totals.PUBLIC
                or (bucket == totals.PRIVATE_OWNED and unit in viewer.led)
            )
            seen = counted + sum(1 for objective_id, *_ in found if objective_id in extra)
            if counted:
                histogram[(kind, team, counted)] -= 1
            histogram[(kind, team, seen)] += 1
    histogram = Counter({key: number for key, number in histogram.items() if number})
    held = sum(count * number for (_kind, _team, count), number in histogram.items())
    if held != totals.count(figures, "objectives"):
        return None
    return histogram


def focus_panel(scope: Scope, organisation: Organisation) -> Panel:
    rules = organisation.focus_rules()
    owners: Counter[tuple[str, int]] = Counter()
    teams: set[int] = set()
    rows: Any = []
    if scope.viewer is None:  # the recount, from the objectives themselves
        rows = in_scope(scope).values_list(
            "owner_person_id", "owner_unit_id", "owner_project_id", "owner_unit__depth"
        )
    for person_id, unit_id, project_id, unit_depth in rows:
        if person_id:
            owners[(OwnerKind.PERSON, person_id)] += 1
        elif unit_id:
            owners[(OwnerKind.UNIT, unit_id)] += 1
            if is_team(unit_depth):
                teams.add(unit_id)
        elif project_id:
            owners[(OwnerKind.PROJECT, project_id)] += 1
    objectives = 0
    objective_findings = []
    if scope.viewer is not None:
        # From the stored totals: how many objectives have each number of key results; the
        # notes name the first few out of range, in map order.
        histogram = {
            int(name.split(":")[1]): totals.count(scope.figures(), name)
            for name in scope.figures()
            if name.startswith("krs:")
        }
        outside = [n for n in histogram if check_objective_focus(n, rules)]
        objectives = sum(histogram.values())
        for objective_id, key_results in (
            scope.objectives()
            .filter(key_results__in=outside)
            .order_by("map_order")
            .values_list("objective_id", "key_results")[:NOTES_SHOWN]
        ):
            objective_findings.extend(check_objective_focus(key_results, rules, objective_id))
        out_of_range = sum(histogram[n] for n in outside)
    rows = (
        scope.objectives().order_by("map_order").values_list("objective_id", "key_results")
        if scope.viewer is None
        else []
    )
    for objective_id, key_results in rows:
        objectives += 1
        findings = check_objective_focus(key_results, rules, objective_id)
        objective_findings.extend(findings)
    if scope.viewer is None:
        out_of_range = len({f.objective_key for f in objective_findings})
    owner_findings: list[tuple[tuple[str, int], FocusFinding]] = []
    for (kind, pk), count in owners.items():
        owner_findings.extend(
            ((kind, pk), f)
            for f in check_owner_focus(
                OwnerKind(kind), count, rules, team=kind == OwnerKind.UNIT and pk in teams
            )
        )
    owner_count, owners_outside = len(owners), len({owner for owner, _ in owner_findings})
    findings_count = len(owner_findings)
    if scope.viewer is not None:
        # A company has 10,000 owners: counted in the database, the first few named.
        owner_count, owners_outside, owner_findings = stored_owner_counts(scope, rules)
        findings_count = owners_outside  # one finding per owner out of range
    titles = dict(
        Objective.objects.filter(
            pk__in=[f.objective_key for f in objective_findings[:NOTES_SHOWN]]
        ).values_list("pk", "title")
    )
    names = owner_names([owner for owner, _ in owner_findings])
    notes = [
        f"{titles.get(f.objective_key, '')}: {describe_focus_finding(f)}"
        for f in objective_findings[:NOTES_SHOWN]
    ]
    owner_notes = sorted(
        f"{names.get(owner, '')}: {describe_focus_finding(f)}" for owner, f in owner_findings
    )
    notes.extend(owner_notes[: max(0, NOTES_SHOWN - len(notes))])
    objectives_in_range = objectives - out_of_range
    owners_in_range = owner_count - owners_outside
    return Panel(
        "focus",
        share(owners_in_range, owner_count),
        owners_in_range,
        owner_count,
        notes,
        {
            "objectives_in_range": objectives_in_range,
            "objectives": objectives,
            "objectives_share": share(objectives_in_range, objectives),
        },
        notes_total=out_of_range + findings_count,
    )


def alignment_panel(scope: Scope) -> Panel:
    top = OrgUnit.objects.filter(depth=0).values("pk")
    if scope.viewer is not None:
        below = scope.objectives().filter(company_level=False)
        figures = scope.figures()
        counts = {
            "whole": totals.count(figures, "below"),
            "aligned": totals.count(figures, "below_aligned"),
        }
    else:
        below = scope.objectives().exclude(objective__owner_unit__in=top)
        counts = below.aggregate(whole=Count("id"), aligned=Count("id", filter=Q(has_parent=True)))
    loose = (
        below.filter(has_parent=False)
        .select_related(
            "objective__owner_person", "objective__owner_unit", "objective__owner_project"
        )
        .order_by("map_order")[:8]
    )
    return Panel(
        "alignment",
        share(counts["aligned"], counts["whole"]),
        counts["aligned"],
        counts["whole"],
        [f"{row.objective.title} ({row.objective.owner_name})" for row in loose],
        notes_total=counts["whole"] - counts["aligned"],
        extra=serving_counts(scope, top),
    )


def serving_counts(scope: Scope, top: Any) -> dict[str, Any]:
    """Company objectives that name the core value or theme they serve (issue #16), one query.

    The strategy app declares the link (`objective.strategy_link`); it is read through that
    relation, so insights needs nothing from the strategy app.
    """
    if scope.viewer is not None:
        # The company's objectives are those of the top units: their unit says so too, and
        # the snapshots' unit index then finds them (the flag alone read the cycle's every row).
        company = scope.objectives().filter(company_level=True, unit_id__in=top)
    else:
        company = scope.objectives().filter(objective__owner_unit__in=top)
    counts = company.aggregate(
        company=Count("id"), serving=Count("id", filter=Q(objective__strategy_link__isnull=False))
    )
    return counts | {"serving_share": share(counts["serving"], counts["company"])}


def commitment_panel(scope: Scope) -> Panel:
    if scope.viewer is not None:
        figures = scope.figures()
        counts = {name: totals.count(figures, name) for name in ("personal", "own", "agreed")}
    else:
        counts = commitment_counts(scope)
    return Panel(
        "commitment",
        share(counts["agreed"], counts["own"]),
        counts["agreed"],
        counts["own"],
        extra={
            "personal": counts["personal"],
            "own_share": share(counts["own"], counts["personal"]),
            "own": counts["own"],
        },
    )


def commitment_counts(scope: Scope) -> dict[str, int]:
    """Count from the audit trail (the recount the stored totals are tested against)."""
    creator = AuditEntry.objects.filter(
        action="create_objective", object_type="objective", object_id=OuterRef("pk")
    ).values("actor_id")[:1]
    personal = in_scope(scope).filter(owner_person__isnull=False)
    own = Q(creator=F("owner_person__user_id"))
    counts = personal.annotate(creator=Subquery(creator)).aggregate(
        personal=Count("id"),
        own=Count("id", filter=own),
        agreed=Count("id", filter=own & Q(state=ObjectiveState.ACTIVE)),
    )
    return counts


def tracking_panel(scope: Scope, now: datetime.datetime) -> Panel:
    if scope.viewer is not None and scope.tree is not None and checkins_available():
        compliance: Any = stored_compliance(scope.cycle, None, now, scope.tree)
    else:
        compliance = compliance_totals_for(scope.cycle, None, now)
    if compliance is not None and compliance.people:
        return Panel(
            "tracking",
            compliance.rate,
            compliance.on_time,
            compliance.due,
            extra={"late": compliance.late, "missed": compliance.missed, "source": "checkins"},
        )
    week_ago = scope.refresh.computed_on - datetime.timedelta(days=7)
    if scope.viewer is not None:
        figures = scope.figures()
        counts = {
            "whole": totals.count(figures, "key_results"),
            "fresh": totals.count(figures, "fresh"),
        }
    else:
        counts = (
            KeyResult.objects.filter(objective__in=scope.objective_ids, is_archived=False)
            .annotate(last=Max("values__measured_on"))
            .aggregate(whole=Count("id"), fresh=Count("id", filter=Q(last__gt=week_ago)))
        )
    return Panel(
        "tracking",
        share(counts["fresh"], counts["whole"]),
        counts["fresh"],
        counts["whole"],
        extra={"source": "values"},
    )


def stretching_panel(scope: Scope) -> Panel:
    if scope.viewer is not None:
        figures = scope.figures()
        stretch = totals.count(figures, "stretch")
        counts = {
            "whole": totals.count(figures, "objectives"),
            "stretch": stretch,
            "likely": totals.count(figures, "stretch_likely"),
            "progress": figures.get("stretch_progress", 0.0) / stretch if stretch else None,
        }
    else:
        counts = stretch_counts(scope)
    graded = ObjectiveGrade.objects.filter(kind=ObjectiveKind.ASPIRATIONAL).aggregate(
        count=Count("id"), mean=Avg("score"), successes=Count("id", filter=Q(success=True))
    )
    return Panel(
        "stretching",
        share(counts["stretch"], counts["whole"]),
        counts["stretch"],
        counts["whole"],
        extra={
            "likely": counts["likely"],
            "likely_share": share(counts["likely"], counts["stretch"]),
            "progress": counts["progress"],
            "graded": graded["count"],
            "graded_mean": graded["mean"],
            "graded_success": share(graded["successes"], graded["count"]),
        },
    )


def stretch_counts(scope: Scope) -> dict[str, Any]:
    """Count from the snapshot rows (the recount the stored totals are tested against)."""
    return scope.objectives().aggregate(
        whole=Count("id"),
        stretch=Count("id", filter=Q(objective__kind=ObjectiveKind.ASPIRATIONAL)),
        likely=Count("id", filter=Q(objective__kind=ObjectiveKind.ASPIRATIONAL, forecast__gte=0.7)),
        progress=Avg("progress", filter=Q(objective__kind=ObjectiveKind.ASPIRATIONAL)),
    )


def build_facts(scope: Scope, now: datetime.datetime) -> list[Panel]:
    """Measure the five benefits for the objectives in view."""
    organisation = Organisation.current()
    return [
        focus_panel(scope, organisation),
        alignment_panel(scope),
        commitment_panel(scope),
        tracking_panel(scope, now),
        stretching_panel(scope),
    ]
