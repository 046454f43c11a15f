"""The first pages: sign in, and a read-only overview of a cycle's OKRs."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from okrflow.engine.progress import Status
from okrflow.front import status_counts
from okrflow.front.cycle_choice import chosen_cycle
from okrflow.front.params import safe_next
from okrflow.okrs.measure import load_objectives, measure_objectives
from okrflow.okrs.models import Objective
from okrflow.org.access import access_for
from okrflow.org.actions import set_person_language
from okrflow.org.models import Language, Organisation

# A page draws this many cards; "Show more" appends the next ones (htmx), the pager links too.
OBJECTIVES_PER_PAGE = 20

# Company and departments first, then projects, then people: the alignment reads top-down.
# Each kind of owner is one segment read in its own order, so a page is a top-N of the
# segment it falls in (by the owner indexes), never a sort of the whole visible cycle.
SEGMENTS: tuple[tuple[Q, tuple[str, ...]], ...] = (
    (Q(owner_unit__isnull=False), ("owner_unit__path", "position", "id")),
    (Q(owner_project__isnull=False), ("owner_project__name", "position", "id")),
    (
        Q(owner_person__isnull=False),
        ("owner_person__unit__path", "owner_person__full_name", "position", "id"),
    ),
)


class OrderedIds:
    """The ids of the visible objectives in overview order, for a `Paginator`.

    Counted in one query (how many in all, of units, of projects); a slice reads only the
    segments it overlaps, each ordered and cut by the database.
    """

    def __init__(self, visible: QuerySet[Objective]) -> None:
        self.visible = visible
        self.sizes: list[int] | None = None

    def segment_sizes(self) -> list[int]:
        if self.sizes is None:
            counted = self.visible.order_by().aggregate(
                total=Count("pk"),
                units=Count("pk", filter=SEGMENTS[0][0]),
                projects=Count("pk", filter=SEGMENTS[1][0]),
            )
            units, projects = counted["units"], counted["projects"]
            self.sizes = [units, projects, counted["total"] - units - projects]
        return self.sizes

    def count(self) -> int:
        return sum(self.segment_sizes())

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, window: slice) -> list[int]:
        start, stop = window.start or 0, window.stop
        ids: list[int] = []
        offset = 0
        for (where, order), size in zip(SEGMENTS, self.segment_sizes(), strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                rows = self.visible.filter(where).order_by(*order).values_list("pk", flat=True)
                ids += rows[low:high]
            offset += size
        return ids


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Show every objective of the cycle the user may see, with progress and status.

    An htmx request for a page ("Show more") answers only its cards and the pager after them.
    """
    cycle = chosen_cycle(request)
    reports = []
    page = None
    if cycle is not None:
        visible = Objective.objects.visible_to(request.user).live().filter(cycle=cycle)
        paginator = Paginator(OrderedIds(visible), OBJECTIVES_PER_PAGE)  # type: ignore[arg-type]
        page = paginator.get_page(request.GET.get("page"))
        ids = list(page.object_list)
        order = {pk: index for index, pk in enumerate(ids)}
        loaded = load_objectives(Objective.objects.filter(pk__in=ids), ids)
        loaded.objectives.sort(key=lambda objective: order[objective.pk])
        reports = measure_objectives(loaded, timezone.localdate(), Organisation.current())
    if getattr(request, "htmx", False) and page is not None:
        return render(
            request, "front/_overview_more.html", {"cycle": cycle, "reports": reports, "page": page}
        )
    counts = {status.value: 0 for status in Status}
    for report in reports:
        counts[report.status.value] += 1
    counted_at = None
    if cycle is not None and page is not None and page.has_other_pages():
        counted_at, counts = cycle_status_counts(cycle, visible, request.user) or (None, counts)
    return render(
        request,
        "front/overview.html",
        {
            "cycle": cycle,
            "reports": reports,
            "page": page,
            "status_counts": counts,
            "counted_at": counted_at,
            "today": timezone.localdate(),
        },
    )


def cycle_status_counts(cycle: Any, visible: Any, user: Any) -> tuple[Any, dict[str, int]] | None:
    """Count every visible objective of the cycle by status, from the stored insights.

    Returns (when they were computed, counts), or None while a large cycle has none stored.
    Insights provides them through `okrflow.front.status_counts` (front never imports insights).
    """
    return status_counts.cycle_status_counts(cycle, visible, user)


@require_POST
@login_required
def switch_language(request: HttpRequest) -> HttpResponse:
    """Save the person's language and go back where they were."""
    language = request.POST.get("language", "")
    person = access_for(request.user).person
    if language in Language.values and person is not None:
        set_person_language(request.user, person, language)
    response = redirect(safe_next(request, request.POST.get("next"), "/"))
    if language in Language.values:
        response.set_cookie("django_language", language, samesite="Lax")
    return response
