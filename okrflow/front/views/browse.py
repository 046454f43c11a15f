"""Browsing pages: my OKRs, the alignment tree, units, projects, people and search.

Each page reads the chosen cycle's objectives through `visible_to` and measures them with
`measure.load_objectives` + `measure_objectives`, so its query count does not grow with the
data (pinned in tests/front/test_browse_*.py).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Case, Count, Q, QuerySet, When
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from okrflow.engine.focus import OwnerKind
from okrflow.front import browse_data as data
from okrflow.front import tree_scope
from okrflow.front.cycle_choice import chosen_cycle
from okrflow.front.folding import Folded, folded_contains
from okrflow.front.params import parse_id
from okrflow.front.sent_back import sent_back_by_id
from okrflow.okrs.focus_report import FocusLine
from okrflow.okrs.measure import ObjectiveReport
from okrflow.okrs.models import CoOwner, Objective, ObjectiveState
from okrflow.org.access import access_for
from okrflow.org.models import Organisation, OrgUnit, Person, Project
from okrflow.strategy.display import attach_serves, served_names, strategy_panel

PEOPLE_PER_PAGE = 50


def co_owned_objective_ids(person: Person) -> QuerySet[CoOwner]:
    """Return a subquery of the objectives (whole, not by one key result) the person co-owns."""
    return CoOwner.objects.filter(person=person, objective__isnull=False).values("objective_id")


@require_GET
@login_required
def my_okrs(request: HttpRequest) -> HttpResponse:
    """Show the signed-in person's objectives, the key results they own elsewhere, and focus."""
    access = access_for(request.user)
    person = access.person
    cycle = chosen_cycle(request)
    context: dict[str, Any] = {"cycle": cycle, "person": person}
    if person is None:
        return render(request, "front/browse/my_okrs.html", context)
    organisation = Organisation.current()
    today = timezone.localdate()
    reports, co_owned, owned = [], [], []
    if cycle is not None:
        visible = data.visible_in_cycle(request.user, cycle)
        # One measuring pass over own and co-owned objectives; focus counts only own ones.
        # Their ids first, by the owner and co-owner indexes, then the rows by id: a subquery
        # scoped by visibility made the database read the whole cycle's key results.
        ids = data.ids_of(
            visible.filter(Q(owner_person=person) | Q(pk__in=co_owned_objective_ids(person)))
        )
        measured = data.measure(
            Objective.objects.filter(pk__in=ids), today, organisation, ids, key_result_owners=False
        )
        reports = [r for r in measured if r.objective.owner_person_id == person.pk]
        co_owned = [r for r in measured if r.objective.owner_person_id != person.pk]
        owned = data.key_results_owned_elsewhere(visible, person, today, organisation)
        drafts = [r.objective.pk for r in measured if r.objective.state == ObjectiveState.DRAFT]
        returned = sent_back_by_id(request.user, person, drafts)  # no query without drafts
        for report in measured:  # marked on the card, with the comment (issue #13)
            report.objective.sent_back = returned.get(report.objective.pk)
    context |= {
        "reports": reports,
        "co_owned": co_owned,
        "owned": owned,
        "summary": data.summarise(reports),
        "focus": data.person_focus(reports, organisation.focus_rules()),
        "led_units": list(OrgUnit.objects.filter(lead=person).order_by("path")),
        "led_projects": list(
            Project.objects.filter(lead=person, is_archived=False).order_by("name")
        ),
    }
    return render(request, "front/browse/my_okrs.html", context)


@require_GET
@login_required
def company_tree(request: HttpRequest) -> HttpResponse:
    """Show how every visible objective of the cycle ladders up to the company's.

    A large cycle draws the company objectives and what aligns to them; each deeper branch
    loads when opened (`company_branch`), so the page costs the same at any size.
    """
    cycle = chosen_cycle(request)
    tree = None
    summary = data.summarise([])
    large = False
    organisation = Organisation.current()
    if cycle is not None:
        view = tree_scope.view_of(request.user, cycle)
        today = timezone.localdate()
        large = tree_scope.is_large(view.visible)
        if large:
            tree, reports = first_levels(view, today, organisation)
        else:
            reports = data.measure(view.visible, today, organisation, for_tree=True)
            tree = data.build_alignment_tree(reports)
        summary = data.summarise(reports)
        from okrflow.dependencies.tree import attach_hand_offs  # issue #16: hand-off lines

        attach_hand_offs([*tree.company, *tree.unaligned, *tree.detached])
        attach_serves(tree.company)  # issue #16: the core value each company objective serves
    return render(
        request,
        "front/browse/company_tree.html",
        {
            "cycle": cycle,
            "tree": tree,
            "summary": summary,
            "large": large,
            "tree_limit": tree_scope.TREE_LIMIT,
            "strategy": strategy_panel(organisation) if tree and tree.company else None,
        },
    )


def lazy_rows(
    reports: dict[int, ObjectiveReport],
    kids: list[int],
    below: dict[int, int],
    depth: int,
) -> list[data.TreeRow]:
    """Rows for `kids` (in owner order, at most BRANCH_LIMIT) whose own children load later."""
    ordered = sorted(kids, key=lambda pk: data.owner_order(reports[pk].objective))
    return [
        data.TreeRow(reports[pk], depth, below.get(pk, 0), False, lazy=bool(below.get(pk)))
        for pk in ordered
    ]


def branch_rows(view: tree_scope.View, ids: list[int]) -> list[data.TreeRow]:
    """Measure the objectives `ids` of a branch or list loaded on request, as top rows of their
    own (their children load later), with their hand-off lines."""
    below = tree_scope.child_counts(view, ids)
    reports = data.measure(
        Objective.objects.filter(pk__in=ids),
        timezone.localdate(),
        Organisation.current(),
        ids,
        for_tree=True,
    )
    rows = data.with_closes(lazy_rows({r.objective.pk: r for r in reports}, ids, below, 0))
    from okrflow.dependencies.tree import attach_hand_offs  # issue #16: hand-off lines

    attach_hand_offs(rows)
    return rows


def capped(kids: list[int]) -> tuple[list[int], int]:
    """Keep at most BRANCH_LIMIT children (the first by id); say how many are left out."""
    kept = sorted(kids)[: tree_scope.BRANCH_LIMIT]
    return kept, len(kids) - len(kept)


def first_levels(
    view: tree_scope.View, today: Any, organisation: Organisation
) -> tuple[data.AlignmentTree, list[ObjectiveReport]]:
    """The company objectives, what aligns to them, and the objectives aligned to nothing.

    Those aligned only outside the view are found by a pass over the cycle's alignments: the
    page loads them after the tree (`company_apart`, section=1)."""
    visible = view.visible
    roots = tree_scope.company_roots(visible)
    level_one = tree_scope.children_of(view, roots)
    hidden: dict[int, int] = {}
    for root in roots:
        level_one[root], hidden[root] = capped(level_one.get(root, []))
    kids = [pk for root in roots for pk in level_one[root]]
    unaligned, more_unaligned = tree_scope.unaligned(visible)
    below = tree_scope.child_counts(view, [*kids, *unaligned])
    ids = sorted({*roots, *kids, *unaligned})
    reports = data.measure(
        Objective.objects.filter(pk__in=ids), today, organisation, ids, for_tree=True
    )
    by_id = {report.objective.pk: report for report in reports}
    company: list[data.TreeRow] = []
    for pk in sorted(roots, key=lambda pk: data.owner_order(by_id[pk].objective)):
        children = level_one[pk]
        company.append(data.TreeRow(by_id[pk], 0, len(children), True, hidden=hidden[pk]))
        company += lazy_rows(by_id, children, below, 1)
    tree = data.AlignmentTree(
        data.with_closes(company),
        data.with_closes(lazy_rows(by_id, unaligned, below, 0)),
        [],  # loaded after the page (company_apart, section=1)
        len(reports),
        None,  # what share ladders up needs the whole cycle: not drawn for a large one
    )
    tree.more = {"unaligned": more_unaligned}
    return tree, reports


@require_GET
@login_required
def company_branch(request: HttpRequest, objective_id: int) -> HttpResponse:
    """The objectives drawn under one objective of the tree, each with its own branch to open."""
    objective = get_object_or_404(
        Objective.objects.visible_to(request.user).live().select_related("cycle"),
        pk=objective_id,
    )
    view = tree_scope.view_of(request.user, objective.cycle)
    kids, hidden = capped(tree_scope.children_of(view, [objective.pk]).get(objective.pk, []))
    rows = branch_rows(view, kids)
    return render(
        request,
        "front/browse/_tree_rows.html",
        {"rows": rows, "cycle": objective.cycle, "parent": objective, "hidden": hidden},
    )


@require_GET
@login_required
def company_apart(request: HttpRequest) -> HttpResponse:
    """The next objectives of a large tree's list apart: aligned to nothing, or outside the view.

    With `section=1` (the page's first request for a list) it answers the whole section, or
    nothing when the list is empty."""
    kind = request.GET.get("kind", "")
    after = parse_id(request.GET.get("after", ""))
    cycle = chosen_cycle(request)
    if kind not in ("unaligned", "detached") or after is None or cycle is None:
        raise Http404("no such list")
    view = tree_scope.view_of(request.user, cycle)
    finder = tree_scope.unaligned if kind == "unaligned" else tree_scope.detached
    ids, more = finder(view.visible, after)
    rows = branch_rows(view, ids)
    context = {"rows": rows, "cycle": cycle, "more_kind": kind, "more_after": more}
    if request.GET.get("section") == "1" and kind == "detached":
        if not rows:
            return HttpResponse("")
        return render(request, "front/browse/_detached_section.html", context)
    return render(request, "front/browse/_tree_rows.html", context)


@require_GET
@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Show a unit: its objectives, sub-units, projects, people with their OKRs, and focus."""
    unit = get_object_or_404(OrgUnit.objects.select_related("lead"), pk=unit_id)
    access = access_for(request.user)
    cycle = chosen_cycle(request)
    organisation = Organisation.current()
    rules = organisation.focus_rules()
    sub_units = list(
        unit.children.select_related("lead")
        .annotate(people=data.people_count_below())
        .order_by("name")
    )
    members = (
        Person.objects.filter(unit__path__startswith=unit.path)
        .select_related("unit", "manager")
        .annotate(is_lead=Case(When(pk=unit.lead_id, then=0), default=1))
        .order_by("is_lead", "unit__path", Folded("full_name"), "pk")
    )
    page = Paginator(members, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    people = data.with_avatars(list(page.object_list))
    projects = list(
        Project.objects.filter(unit__path__startswith=unit.path, is_archived=False)
        .select_related("lead")
        .order_by("name")
    )
    unit_reports, sub_unit_reports, person_reports = [], {}, {}
    focus = data.cut_focus([])
    if cycle is not None:
        visible = data.visible_in_cycle(request.user, cycle)
        reports = data.measure(
            visible.filter(
                Q(owner_unit=unit)
                | Q(owner_unit__parent=unit)
                | Q(owner_person_id__in=[person.pk for person in people])
            ),
            timezone.localdate(),
            organisation,
        )
        unit_reports = [r for r in reports if r.objective.owner_unit_id == unit.pk]
        if unit.parent_id is None:  # issue #16: the core value each company objective serves
            serves = served_names([r.objective.pk for r in unit_reports]) if unit_reports else {}
            for report in unit_reports:
                report.objective.serves = serves.get(report.objective.pk, "")  # type: ignore[attr-defined]
        by_unit: dict[int, list[ObjectiveReport]] = {}
        for report in reports:
            if report.objective.owner_unit_id and report.objective.owner_unit_id != unit.pk:
                by_unit.setdefault(report.objective.owner_unit_id, []).append(report)
        sub_unit_reports = {pk: data.summarise(rows) for pk, rows in by_unit.items()}
        person_reports = data.reports_by_person(reports)
        below = Q(owner_unit__path__startswith=unit.path)
        below |= Q(owner_person__unit__path__startswith=unit.path)
        below |= Q(owner_project__unit__path__startswith=unit.path)
        focus = data.cut_focus(
            data.owners_out_of_focus(
                request.user,
                cycle,
                rules,
                units=OrgUnit.objects.filter(path__startswith=unit.path),
                people=Person.objects.filter(unit__path__startswith=unit.path),
            )
            + data.objectives_out_of_focus(visible.filter(below), rules)
        )
    for sub_unit in sub_units:
        sub_unit.summary = sub_unit_reports.get(sub_unit.pk) or data.summarise([])
    for person in people:
        person.okrs = person_reports.get(person.pk, [])  # type: ignore[attr-defined]
    return render(
        request,
        "front/browse/unit_detail.html",
        {
            "unit": unit,
            "cycle": cycle,
            "trail": data.unit_trail(unit),
            "sub_units": sub_units,
            "projects": projects,
            "people": people,
            "page": page,
            "page_links": data.pager_links(page),
            "reports": unit_reports,
            "summary": data.summarise(unit_reports),
            "focus": focus,
            "rules": rules,
            "can_create": access.is_admin or unit.pk in access.led_unit_ids,
            "strategy": strategy_panel(organisation) if unit.parent_id is None else None,
        },
    )


@require_GET
@login_required
def project_detail(request: HttpRequest, project_id: int) -> HttpResponse:
    """Show a project: its objectives, its people with their OKRs, and focus."""
    project = get_object_or_404(Project.objects.select_related("lead", "unit"), pk=project_id)
    access = access_for(request.user)
    cycle = chosen_cycle(request)
    organisation = Organisation.current()
    rules = organisation.focus_rules()
    people = data.with_avatars(
        list(
            Person.objects.filter(Q(projects=project) | Q(pk=project.lead_id))
            .distinct()
            .select_related("unit")
            .annotate(is_lead=Case(When(pk=project.lead_id, then=0), default=1))
            .order_by("is_lead", Folded("full_name"), "pk")
        )
    )
    project_reports: list[ObjectiveReport] = []
    person_reports: dict[int, list[ObjectiveReport]] = {}
    lines: list[FocusLine] = []
    if cycle is not None:
        visible = data.visible_in_cycle(request.user, cycle)
        reports = data.measure(
            visible.filter(
                Q(owner_project=project) | Q(owner_person_id__in=[p.pk for p in people])
            ),
            timezone.localdate(),
            organisation,
        )
        project_reports = [r for r in reports if r.objective.owner_project_id == project.pk]
        person_reports = data.reports_by_person(reports)
        lines = data.owner_focus_line(
            OwnerKind.PROJECT, project.pk, project.name, len(project_reports), rules
        )
        lines += data.owners_out_of_focus(
            request.user, cycle, rules, people=Person.objects.filter(pk__in=[p.pk for p in people])
        )
        for report in project_reports:
            lines += data.objective_focus_line(report.objective, len(report.key_results), rules)
    for person in people:
        person.okrs = person_reports.get(person.pk, [])  # type: ignore[attr-defined]
    trail = data.unit_trail(project.unit) + ([project.unit] if project.unit else [])
    can_create = access.is_admin or (
        access.person is not None
        and (project.lead_id == access.person.pk or project.unit_id in access.led_unit_ids)
    )
    return render(
        request,
        "front/browse/project_detail.html",
        {
            "project": project,
            "cycle": cycle,
            "trail": trail,
            "people": people,
            "reports": project_reports,
            "summary": data.summarise(project_reports),
            "focus": data.cut_focus(lines),
            "rules": rules,
            "can_create": can_create,
        },
    )


@require_GET
@login_required
def people(request: HttpRequest) -> HttpResponse:
    """List the organisation's people, filtered by unit and text, with their objective count."""
    cycle = chosen_cycle(request)
    query = request.GET.get("q", "").strip()
    units = data.with_option_labels(list(OrgUnit.objects.order_by("path")))
    asked_unit = request.GET.get("unit", "")
    unit = next((u for u in units if str(u.pk) == asked_unit), None)
    directory = Person.objects.select_related("unit", "manager", "user")
    if unit is not None:
        directory = directory.filter(unit__path__startswith=unit.path)
    if query:
        directory = directory.filter(
            folded_contains(["full_name", "job_title", "user__username"], query)
        )
    if cycle is not None:
        directory = directory.annotate(
            objective_count=Count(
                "objectives",
                filter=data.objective_count_filter(request.user, cycle),
                distinct=True,
            )
        )
    page = Paginator(directory.order_by(Folded("full_name"), "pk"), PEOPLE_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "front/browse/people.html",
        {
            "cycle": cycle,
            "people": data.with_avatars(list(page.object_list)),
            "page": page,
            "page_links": data.pager_links(page, {"q": query, "unit": unit.pk if unit else ""}),
            "units": units,
            "chosen_unit": unit,
            "query": query,
            "filtered": bool(query or unit),
        },
    )


@require_GET
@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    """Show a person's card and the OKRs of theirs the user may see."""
    person = get_object_or_404(
        Person.objects.select_related("unit", "manager", "user"), pk=person_id
    )
    data.with_avatars([person])
    access = access_for(request.user)
    cycle = chosen_cycle(request)
    organisation = Organisation.current()
    today = timezone.localdate()
    reports, owned = [], []
    if cycle is not None:
        visible = data.visible_in_cycle(request.user, cycle)
        reports = data.measure(visible.filter(owner_person=person), today, organisation)
        owned = data.key_results_owned_elsewhere(visible, person, today, organisation)
    is_me = access.person is not None and access.person.pk == person.pk
    return render(
        request,
        "front/browse/person_detail.html",
        {
            "person": person,
            "cycle": cycle,
            "trail": data.unit_trail(person.unit) + ([person.unit] if person.unit else []),
            "direct_reports": data.with_avatars(list(person.reports.select_related("unit"))),
            "projects": list(
                Project.objects.filter(Q(members=person) | Q(lead=person))
                .distinct()
                .order_by("is_archived", "name")
            ),
            "led_units": list(OrgUnit.objects.filter(lead=person).order_by("path")),
            "reports": reports,
            "owned": owned,
            "summary": data.summarise(reports),
            "focus": data.person_focus(reports, organisation.focus_rules()),
            "is_me": is_me,
            "can_create": is_me or access.can_edit_person(person),
        },
    )


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Find objectives, key results and people by text; objectives only as `visible_to` allows.

    Matching ignores case and Vietnamese diacritics ("dao tao" finds "Đào tạo"): see
    `front/folding.py`.
    """
    query = " ".join(request.GET.get("q", "").split())
    context: dict[str, Any] = {"search_query": query, "query": query}
    if len(query) < data.MIN_QUERY_LENGTH:
        context["too_short"] = True
        return render(request, "front/browse/search.html", context)
    cycle = chosen_cycle(request)
    organisation = Organisation.current()
    today = timezone.localdate()
    objectives = data.find_objectives(request.user, query, cycle, today, organisation)
    key_results = data.find_key_results(request.user, query, cycle, today, organisation)
    people_found = data.find_people(query)
    context |= {
        "cycle": cycle,
        "objectives": objectives.items,
        "more_objectives": objectives.more,
        "key_results": key_results.items,
        "more_key_results": key_results.more,
        "people": people_found.items,
        "more_people": people_found.more,
        "limit": data.SEARCH_LIMIT,
        "found": bool(objectives.items or key_results.items or people_found.items),
        "people_first": data.people_come_first(people_found, objectives, key_results),
    }
    return render(request, "front/browse/search.html", context)
