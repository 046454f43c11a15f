"""One objective: its page, and the buttons that move it through its life."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from okrflow.audit.models import AuditEntry
from okrflow.comments.history import describe_history
from okrflow.comments.models import Comment
from okrflow.comments.threads import threads_of
from okrflow.cycles.models import Cycle, CycleState
from okrflow.dependencies.panel import dependency_panel
from okrflow.front.cycle_choice import cycles_of
from okrflow.front.errors import error_text
from okrflow.front.history import history_lines
from okrflow.front.params import id_or_404
from okrflow.front.sent_back import sent_back_objectives
from okrflow.okrs.actions import (
    agree_objective,
    archive_objective,
    duplicate_objective,
    propose_objective,
    return_objective,
)
from okrflow.okrs.measure import load_objectives, measure_objectives
from okrflow.okrs.models import (
    Alignment,
    Initiative,
    KeyResultValue,
    Objective,
    ObjectiveReview,
    ObjectiveState,
    TargetVersion,
)
from okrflow.okrs.objective_choices import all_choices
from okrflow.okrs.sharing import sharing_of
from okrflow.org.access import Access, access_for
from okrflow.org.models import Organisation

HISTORY_LIMIT = 100  # value updates fold into one line a week


def visible_objective(request: HttpRequest, objective_id: int) -> Objective:
    """Return the objective if the user may see it; 404 otherwise (its existence stays private)."""
    objective = (
        Objective.objects.visible_to(request.user)
        .select_related("cycle", "owner_person", "owner_unit", "owner_project")
        .filter(pk=objective_id)
        .first()
    )
    if objective is None:
        raise Http404(_("No objective found."))
    return objective


def objective_history(
    objective: Objective, kr_ids: list[int], link_ids: list[int]
) -> list[AuditEntry]:
    """Return the newest changes to the objective, its key results, its alignment links and
    the comments on them (a subquery: no extra round trip)."""
    comment_ids = Comment.objects.filter(
        Q(objective=objective) | Q(key_result_id__in=kr_ids)
    ).values("pk")
    return list(
        AuditEntry.objects.filter(
            Q(object_type="objective", object_id=objective.pk)
            | Q(object_type="keyresult", object_id__in=kr_ids)
            | Q(object_type="alignment", object_id__in=link_ids)
            | Q(object_type="comment", object_id__in=comment_ids)
        )
        .select_related("actor__person")
        .order_by("-at", "-id")[:HISTORY_LIMIT]
    )


# What the page draws of a child: its title, its owner's name and, from another cycle, the
# cycle's name; and what `Access.can_view_objective` reads of a private one.
CHILD_FIELDS = (
    "child_id",
    "parent_id",
    "child__title",
    "child__cycle_id",
    "child__state",
    "child__is_private",
    "child__owner_person_id",
    "child__owner_unit_id",
    "child__owner_project_id",
    "child__owner_person__full_name",
    "child__owner_person__unit_id",
    "child__owner_unit__name",
    "child__owner_unit__parent_id",
    "child__owner_project__name",
    "child__owner_project__lead_id",
    "child__owner_project__unit_id",
    "child__cycle__name",
)


def children_in_view(access: Access, objective: Objective) -> list[Alignment]:
    """Return the links to the objective's children the reader may see, not archived.

    One query by the parent index: the public children are in view, and each private one is
    judged in Python by `Access.can_view_objective` (the same rules as `visible_to`, held
    equal by tests/test_visibility.py). A visibility filter in SQL cost more to plan than to
    run, for a page that draws a few dozen children at most.
    """
    links = (
        Alignment.objects.filter(parent=objective)
        .exclude(child__state=ObjectiveState.ARCHIVED)
        .select_related(
            "child__owner_person", "child__owner_unit", "child__owner_project", "child__cycle"
        )
        .only(*CHILD_FIELDS)
    )
    return [
        link for link in links if not link.child.is_private or access.can_view_objective(link.child)
    ]


@require_GET
@login_required
def objective_detail(request: HttpRequest, objective_id: int) -> HttpResponse:
    """Show an objective: KRs by shape, parents and children, initiatives, history, agreement."""
    objective_id = id_or_404(objective_id)  # a number the database's id column can hold
    access = access_for(request.user)
    # The visibility test and the report's objective row in one query (it is the only row).
    loaded = load_objectives(
        Objective.objects.visible_to(request.user).filter(pk=objective_id), [objective_id]
    )
    if not loaded.objectives:
        raise Http404(_("No objective found."))
    objective = loaded.objectives[0]
    report = measure_objectives(loaded, timezone.localdate(), Organisation.current())[0]
    kr_ids = [row.key_result.pk for row in report.key_results]
    children = children_in_view(access, objective)
    initiatives: dict[int, list[Initiative]] = {pk: [] for pk in kr_ids}
    for initiative in Initiative.objects.filter(key_result_id__in=kr_ids).select_related("owner"):
        initiatives[initiative.key_result_id].append(initiative)
    values: dict[int, list[KeyResultValue]] = {pk: [] for pk in kr_ids}
    for value in KeyResultValue.objects.filter(key_result_id__in=kr_ids).order_by(
        "-measured_on", "-id"
    ):
        if len(values[value.key_result_id]) < 8:
            values[value.key_result_id].append(value)
    versions: dict[int, list[TargetVersion]] = {pk: [] for pk in kr_ids}
    for version in TargetVersion.objects.filter(key_result_id__in=kr_ids).select_related(
        "changed_by__person"
    ):
        versions[version.key_result_id].append(version)
    sharing = sharing_of(objective, kr_ids)
    threads = threads_of(request.user, objective, [row.key_result for row in report.key_results])
    me = access.person.pk if access.person else None
    objective_leads = {objective.owner_person_id} | {p.pk for p in sharing.co_owners}
    rows = [
        {
            "row": row,
            "initiatives": initiatives[row.key_result.pk],
            "values": values[row.key_result.pk],
            "versions": versions[row.key_result.pk],
            "can_update": access.can_update_key_result(row.key_result),
            "co_owners": sharing.kr_co_owners[row.key_result.pk],
            "followers": sharing.kr_followers[row.key_result.pk],
            "follows": me in {p.pk for p in sharing.kr_followers[row.key_result.pk]},
            "thread": threads[row.key_result.pk],
            # Owners and co-owners follow without asking; they have no button to press.
            "follows_implicitly": me in objective_leads
            or me == row.key_result.owner_id
            or me in {p.pk for p in sharing.kr_co_owners[row.key_result.pk]},
        }
        for row in report.key_results
    ]
    can_edit = access.can_edit_objective(objective) and objective.cycle.state != CycleState.CLOSED
    context = {
        "objective": objective,
        "report": report,
        "rows": rows,
        "children": children,
        "history": history_lines(
            describe_history(
                objective_history(
                    objective,
                    kr_ids,
                    [link.pk for link in report.parent_links] + [c.pk for c in children],
                ),
                {row.key_result.pk: row.key_result.title for row in report.key_results},
            ),
            {row.key_result.pk: row.key_result.title for row in report.key_results},
        ),
        "thread": threads[None],
        "reviews": list(
            ObjectiveReview.objects.filter(objective=objective).select_related("by__person")
        ),
        "can_edit": can_edit,
        "sharing": sharing,
        "me": me,
        "follows": me in {p.pk for p in sharing.followers},
        "follows_implicitly": me in objective_leads,
        "can_agree": access.can_agree_objective(objective)
        and objective.state in (ObjectiveState.PROPOSED, ObjectiveState.DRAFT)
        and objective.cycle.state != CycleState.CLOSED,
        # The top bar's cycle list, read once per request.
        "other_cycles": [
            c
            for c in cycles_of(request)
            if c.state != CycleState.CLOSED and c.pk != objective.cycle_id
        ],
        # Issue #16: what other apps show for it ("Serves: <core value>").
        "choice_lines": [line for choice in all_choices() if (line := choice.shown(objective))],
        # Issue #16: what this objective and its key results wait for, and who waits for them.
        "dependencies": dependency_panel(
            request.user, objective, [row.key_result for row in report.key_results]
        ),
    }
    return render(request, "front/objective_detail.html", context)


def run_and_return(
    request: HttpRequest, objective: Objective, action: Any, done: str
) -> HttpResponse:
    """Run a state action, flash the outcome, and go back to the objective page."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, done)
    return redirect("objective_detail", objective.pk)


def review_view(action: Any, done: str) -> Any:
    """Build the POST view for one agreement step: propose, agree or send back (with a comment)."""

    @require_POST
    @login_required
    def view(request: HttpRequest, objective_id: int) -> HttpResponse:
        objective = visible_objective(request, objective_id)
        comment = request.POST.get("comment", "")
        return run_and_return(
            request, objective, lambda: action(request.user, objective, comment), str(done)
        )

    return view


propose = review_view(propose_objective, gettext_lazy("Sent for agreement."))
agree = review_view(agree_objective, gettext_lazy("Agreed: the objective is active."))
send_back = review_view(return_objective, gettext_lazy("Sent back to the owner with your comment."))


@require_POST
@login_required
def archive(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = visible_objective(request, objective_id)
    return run_and_return(
        request, objective, lambda: archive_objective(request.user, objective), _("Archived.")
    )


@require_POST
@login_required
def duplicate(request: HttpRequest, objective_id: int) -> HttpResponse:
    objective = visible_objective(request, objective_id)
    cycle_id = request.POST.get("cycle", "")
    cycle = get_object_or_404(Cycle, pk=id_or_404(cycle_id)) if cycle_id else objective.cycle
    try:
        copy = duplicate_objective(request.user, objective, cycle=cycle).value
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("objective_detail", objective.pk)
    messages.success(request, _("Copied as a draft into %(cycle)s.") % {"cycle": cycle.name})
    return redirect("objective_detail", copy.pk)


@require_GET
@login_required
def agreements(request: HttpRequest) -> HttpResponse:
    """List objectives waiting for the user's agreement, and the user's own proposals."""
    access = access_for(request.user)
    waiting = (
        Objective.objects.visible_to(request.user)
        .filter(state=ObjectiveState.PROPOSED)
        .select_related("cycle", "owner_person", "owner_unit", "owner_project")
        .order_by("updated_at")
    )
    to_agree = [o for o in waiting if access.can_agree_objective(o)]
    mine = [
        o
        for o in waiting
        if access.person is not None
        and (o.owner_person_id == access.person.pk or access.can_edit_objective(o))
        and o not in to_agree
    ]
    sent_back = (
        list(sent_back_objectives(request.user, access.person)) if access.person is not None else []
    )
    return render(
        request,
        "front/agreements.html",
        {"to_agree": to_agree, "mine": mine, "sent_back": sent_back},
    )
