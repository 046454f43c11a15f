"""Build the demo organisation from `content.py`, through the same actions the app uses."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from okrflow.audit.models import AuditEntry
from okrflow.cycles.actions import create_cycle, quarter_bounds
from okrflow.cycles.models import Cycle, CycleKind, CycleState
from okrflow.datasources.models import DataSource
from okrflow.demo import content
from okrflow.demo.simulate import checkin_days, decimals_for, simulated_share, value_at
from okrflow.engine.progress import (
    Period,
    Shape,
    expected_progress,
    occurrences_expected_by,
)
from okrflow.okrs.actions import (
    align_objective,
    create_key_result,
    create_objective,
    record_key_result_value,
)
from okrflow.okrs.models import (
    Alignment,
    Initiative,
    KeyResult,
    KeyResultValue,
    Objective,
    Tag,
    TargetVersion,
)
from okrflow.org.actions import create_person, create_project, create_unit, set_unit_lead
from okrflow.org.models import Organisation, OrgUnit, Person, Project

# Every check-in week of the cycle so far (at least six once six have passed), so that the
# compliance report shows real weeks instead of empty early ones.
WEEKS_OF_HISTORY = 14


@dataclass
class DemoSummary:
    created: bool
    cycle: Cycle
    objectives: int
    key_results: int
    values: int
    checkins: Any = None


def demo_exists() -> bool:
    return (
        get_user_model().objects.filter(username="ceo").exists()
        and Organisation.objects.filter(name=content.COMPANY_NAME).exists()
    )


def quarter_name(day: datetime.date) -> str:
    return f"Q{(day.month - 1) // 3 + 1} {day.year}"


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


@transaction.atomic
def erase_everything() -> None:
    """Delete all organisation and OKR data, oldest dependants first (used by --reset)."""
    from okrflow.checkins.demo import erase_checkins
    from okrflow.insights.demo import erase_insights

    erase_insights()
    erase_checkins()
    from okrflow.demo.method_links import erase_method_links

    erase_method_links()  # issue #16
    from okrflow.strategy.demo import erase_strategy

    erase_strategy()  # issue #16: mission, vision, values
    AuditEntry.objects.all().delete()
    KeyResultValue.objects.all().delete()
    DataSource.objects.all().delete()
    TargetVersion.objects.all().delete()
    Initiative.objects.all().delete()
    KeyResult.objects.all().delete()
    Alignment.objects.all().delete()
    Objective.objects.all().delete()
    Tag.objects.all().delete()
    Cycle.objects.all().delete()
    Project.objects.all().delete()
    OrgUnit.objects.update(lead=None)
    Person.objects.update(manager=None)
    Person.objects.all().delete()
    for depth in sorted(set(OrgUnit.objects.values_list("depth", flat=True)), reverse=True):
        OrgUnit.objects.filter(depth=depth).delete()
    get_user_model().objects.all().delete()
    Organisation.objects.all().delete()


@transaction.atomic
def build_demo(
    today: datetime.date, *, reset: bool = False, say: Callable[[str], None] = print
) -> DemoSummary:
    """Create the demo organisation unless it exists; with reset, rebuild it from scratch."""
    if reset:
        erase_everything()
    elif demo_exists():
        cycle = (
            Cycle.objects.get(name=quarter_name(today))
            if Cycle.objects.filter(name=quarter_name(today)).exists()
            else Cycle.objects.first()
        )
        assert cycle is not None
        return DemoSummary(False, cycle, 0, 0, 0)
    organisation = Organisation.current()
    organisation.name = content.COMPANY_NAME
    organisation.save()
    say(f"Building the demo organisation: {content.COMPANY_NAME}")
    people = create_people()
    units = create_units(people)
    projects = {
        p.key: create_project(
            None,
            name=p.name,
            lead=people[p.lead],
            members=[people[m] for m in p.members],
            unit=units["marketing"],
        )
        for p in content.PROJECTS
    }
    last_quarter = create_last_quarter(today)
    graded = play_out_last_quarter(last_quarter, people, units, projects)
    say(f"Cycle {last_quarter.name}: {graded} objectives played out, graded and closed.")
    cycle = create_cycles(today)
    objectives = create_objectives(cycle, today, people, units, projects)
    key_results = KeyResult.objects.filter(objective__cycle=cycle).count()
    values = simulate_history(cycle, today, objectives)
    from okrflow.checkins.demo import build_demo_checkins

    checkins = build_demo_checkins(cycle, today)
    from okrflow.comments.demo import create_demo_comments  # issue #13: comments with mentions

    comments = create_demo_comments(objectives, people)
    from okrflow.notifications.demo import build_sent_back_proposal

    build_sent_back_proposal(cycle)  # issue #13: a proposal sent back, with its notifications
    from okrflow.datasources.demo import build_demo_sources

    fed = build_demo_sources(cycle)
    from okrflow.demo.key_result_shapes import apply_key_result_shapes

    apply_key_result_shapes(cycle, today)  # issue #16: a late start, a compound KR, a slot
    from okrflow.demo.method_links import build_demo_kpis, build_method_links

    build_method_links(objectives)  # issue #16: dependencies, KPIs, the company's values
    build_demo_kpis(cycle, today, units.get("marketing"))
    from okrflow.strategy.demo import build_demo_strategy

    build_demo_strategy(objectives)  # issue #16: the company's values, served by its objectives
    say(
        f"Cycle {cycle.name}: {len(objectives)} objectives, {key_results} key results, "
        f"{values} weekly values, {checkins.checkins} check-ins, {comments} comments, {fed} key "
        "results fed by data sources."
    )
    for username, week in checkins.caught_up:
        say(
            f"{username} checked in the week of {week.isoformat()} a week late: its values sit "
            "at that week, the key results' current values stay the newest."
        )
    return DemoSummary(True, cycle, len(objectives), key_results, values, checkins)


def create_people() -> dict[str, Person]:
    people: dict[str, Person] = {}
    for spec in content.PEOPLE:
        people[spec.username] = create_person(
            None,
            username=spec.username,
            full_name=spec.full_name,
            password=content.DEMO_PASSWORD,
            email=f"{spec.username}@saoviet.example",
            is_admin=spec.is_admin,
            language=spec.language,
            job_title=spec.job_title,
        )
    admin_user = people["admin"].user
    admin_user.is_staff = True
    admin_user.is_superuser = True
    admin_user.save(update_fields=["is_staff", "is_superuser"])
    return people


def create_units(people: dict[str, Person]) -> dict[str, OrgUnit]:
    units: dict[str, OrgUnit] = {}
    for spec in content.UNITS:  # parents come before children in the content
        units[spec.key] = create_unit(
            None, name=spec.name, parent=units[spec.parent] if spec.parent else None
        )
    for spec in content.UNITS:
        set_unit_lead(None, units[spec.key], people[spec.lead])
    for spec in content.PEOPLE:
        person = people[spec.username]
        person.unit = units[spec.unit] if spec.unit else None
        person.manager = people[spec.manager] if spec.manager else None
        person.save(update_fields=["unit", "manager"])
    return units


def create_last_quarter(today: datetime.date) -> Cycle:
    """Create last quarter, still active so that it can be played out and then closed."""
    start, _end = quarter_bounds(today)
    previous_start, previous_end = quarter_bounds(start - datetime.timedelta(days=1))
    return create_cycle(
        None,
        name=quarter_name(previous_start),
        start_date=previous_start,
        end_date=previous_end,
        kind=CycleKind.QUARTER,
        state=CycleState.ACTIVE,
    )


def play_out_last_quarter(
    cycle: Cycle,
    people: dict[str, Person],
    units: dict[str, OrgUnit],
    projects: dict[str, Project],
) -> int:
    """Run last quarter to its end and close it: graded OKRs, confidences to calibrate against.

    The same objectives as this quarter, every week's values and check-ins with confidences, then
    `close_cycle` grades and freezes them, and three owners write their reflections. Calibration
    (how well confidence predicted the grades) then has a closed cycle to read.
    """
    from okrflow.checkins.demo import build_demo_checkins
    from okrflow.insights.actions import close_cycle, save_reflection

    end = cycle.end_date
    objectives = create_objectives(cycle, end, people, units, projects)
    simulate_history(cycle, end, objectives)
    build_demo_checkins(cycle, end, follow_up_last_week=False)
    close_cycle(None, cycle)
    for key, (went_well, went_badly, lessons) in content.REFLECTIONS.items():
        objective = objectives[key][0]
        owner = objective.owner_person.user if objective.owner_person else None
        save_reflection(
            owner, objective, went_well=went_well, went_badly=went_badly, lessons=lessons
        )
    return len(objectives)


def create_cycles(today: datetime.date) -> Cycle:
    """Create next quarter (draft) and this quarter (active)."""
    start, end = quarter_bounds(today)
    next_start, next_end = quarter_bounds(end + datetime.timedelta(days=1))
    create_cycle(
        None,
        name=quarter_name(next_start),
        start_date=next_start,
        end_date=next_end,
        kind=CycleKind.QUARTER,
        state=CycleState.DRAFT,
    )
    return create_cycle(
        None,
        name=quarter_name(start),
        start_date=start,
        end_date=end,
        kind=CycleKind.QUARTER,
        state=CycleState.ACTIVE,
    )


def ordered_objectives() -> list[content.Objective]:
    """Return the content's objectives with every parent before its children."""
    by_key = {o.key: o for o in content.OBJECTIVES}
    ordered: list[content.Objective] = []
    placed: set[str] = set()

    def place(spec: content.Objective) -> None:
        if spec.key in placed:
            return
        for parent_key in [spec.parent, *(k for k, _w in spec.extra_parents)]:
            if parent_key and parent_key in by_key:
                place(by_key[parent_key])
        placed.add(spec.key)
        ordered.append(spec)

    for spec in content.OBJECTIVES:
        place(spec)
    return ordered


def create_objectives(
    cycle: Cycle,
    today: datetime.date,
    people: dict[str, Person],
    units: dict[str, OrgUnit],
    projects: dict[str, Project],
) -> dict[str, tuple[Objective, content.Objective]]:
    year, quarter = cycle.start_date.year, quarter_of(cycle.start_date)
    created: dict[str, tuple[Objective, content.Objective]] = {}
    owners: dict[str, dict[str, object]] = {"person": people, "unit": units, "project": projects}  # type: ignore[dict-item]
    for spec in ordered_objectives():
        owner = owners[spec.owner_kind][spec.owner]
        # People draft their own objectives (the article's commitment); units' come from the system.
        author = owner.user if spec.owner_kind == "person" else None  # type: ignore[attr-defined]
        objective = create_objective(
            author,
            cycle=cycle,
            title=content.render_text(spec.title, year, quarter),
            description=content.render_text(spec.description, year, quarter),
            owner=owner,
            kind=spec.kind,
            is_private=spec.private,
            tags=list(spec.tags),
        ).value
        if spec.parent:
            align_objective(None, objective, created[spec.parent][0])
        for parent_key, weight in spec.extra_parents:
            align_objective(
                None, objective, created[parent_key][0], primary=False, weight=Decimal(weight)
            )
        for kr_spec in spec.key_results:
            create_key_result(
                None,
                objective,
                title=content.render_text(kr_spec.title, year, quarter),
                shape=kr_spec.shape,
                owner=people[kr_spec.owner],
                direction=kr_spec.direction,
                start_value=kr_spec.start,
                target_value=None if kr_spec.shape == Shape.RELATIVE else kr_spec.target,
                unit=kr_spec.unit,
                currency=kr_spec.currency or "",
                relative_change=kr_spec.relative_change,
                baseline_label=content.render_text(kr_spec.baseline_label or "", year, quarter),
                per_period=kr_spec.per_period,
                period=kr_spec.period or "",
                due_date=content.resolve_due(kr_spec.due, year, quarter),
                weight=kr_spec.weight,
            )
        created[spec.key] = (objective, spec)
    return created


def simulate_history(
    cycle: Cycle, today: datetime.date, objectives: dict[str, tuple[Objective, content.Objective]]
) -> int:
    """Record up to six weekly values per key result, following each one's trajectory."""
    days = checkin_days(
        cycle.start_date, min(today, cycle.end_date), cycle.checkin_weekday, WEEKS_OF_HISTORY
    )
    count = 0
    for objective, spec in objectives.values():
        krs = list(objective.key_results.order_by("position", "id"))
        for kr, kr_spec in zip(krs, spec.key_results, strict=True):
            for week, day in enumerate(days, start=1):
                value = simulated_value(kr, kr_spec, cycle, day, week, len(days))
                if value is None:
                    continue
                record_key_result_value(
                    None, kr, value=value, measured_on=day, source=KeyResultValue.Source.DEMO
                )
                count += 1
    return count


def simulated_value(
    kr: KeyResult,
    spec: content.KeyResult,
    cycle: Cycle,
    day: datetime.date,
    week: int,
    weeks_total: int,
) -> Decimal | None:
    expected = expected_progress(cycle.start_date, kr.due_date, day)
    key = f"{kr.objective.title}:{kr.title}"
    share = simulated_share(key, spec.trajectory, expected, week, weeks_total)
    if spec.sudden and week == weeks_total:
        share = max(0.0, share - 0.35)  # the blocker of the latest week pushes the value back
    if kr.shape == Shape.MILESTONE:
        return Decimal(1) if share >= 1.0 else Decimal(0)
    if kr.shape == Shape.RECURRING:
        assert kr.per_period is not None
        due = occurrences_expected_by(
            kr.per_period, Period(kr.period), cycle.start_date, kr.due_date, day
        )
        factor = {"ahead": 1.0, "on_pace": 1.0, "slightly_behind": 0.8, "behind": 0.6}.get(
            spec.trajectory, 0.3
        )
        return Decimal(int(due * factor))
    start = kr.start_value
    target = kr.target_value
    if target is None:
        return None
    if start is None:
        # Thresholds without a baseline: begin a little on the wrong side of the bound.
        start = target * (Decimal("0.8") if kr.direction == "at_least" else Decimal("1.25"))
    return value_at(start, target, share, decimals_for(start, target))
