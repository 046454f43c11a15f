"""The first pages: sign in, and a read-only overview of a cycle's OKRs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from okrflow.engine.progress import Status
from okrflow.front import status_counts
from okrflow.front.cycle_choice import chosen_cycle
from okrflow.front.params import parse_id, safe_next
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
    """The ids of the visible objectives in overview order, read a page at a time.

    A page reads only the segments it overlaps, each ordered and cut by the database, and one
    id more than it shows to tell whether another page follows: nothing counts the cycle. A
    segment is counted only when a page starts past its end (page 2 onwards, once the units'
    objectives are behind), and the whole cycle only when asked (`count`).
    """

    def __init__(self, visible: QuerySet[Objective]) -> None:
        self.visible = visible

    def segment(self, index: int) -> QuerySet[Objective]:
        where, order = SEGMENTS[index]
        return self.visible.filter(where).order_by(*order).values_list("pk", flat=True)

    def window(self, start: int, stop: int) -> tuple[list[int], bool]:
        """Return the ids at positions `start` to `stop` (excluded) and whether any follows."""
        if start == 0:
            # The first segment alone: the others are read only when it is short, for their
            # top rows need a sort of all their rows (the people's objectives: most of them).
            ids = list(self.segment(0)[: stop + 1])
            if len(ids) <= stop:
                ids += self.first_ids(stop + 1 - len(ids), after=0)
            return ids[:stop], len(ids) > stop
        ids: list[int] = []
        offset = 0  # the position of the segment's first id
        for index in range(len(SEGMENTS)):
            rows = self.segment(index)
            low = max(start - offset, 0)
            wanted = stop + 1 - offset - low  # up to `stop`, and one more
            found = list(rows[low : low + wanted])
            ids += found
            if len(found) == wanted:
                break
            # The segment ends inside the window; or before it, and then only a count tells where.
            offset += low + len(found) if found or low == 0 else rows.count()
        return ids[: stop - start], len(ids) > stop - start

    def first_ids(self, limit: int, after: int) -> list[int]:
        """The first `limit` ids in overview order of the segments after the `after`th: the
        first `limit` of each, read in one round trip (a `UNION ALL` of ordered, cut selects)."""
        parts, params = [], []
        for index in range(after + 1, len(SEGMENTS)):
            sql, segment_params = self.segment(index)[:limit].query.sql_with_params()
            parts.append(f"SELECT {index} AS segment, part{index}.* FROM ({sql}) part{index}")
            params += segment_params
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            rows = cursor.fetchall()
        # Each part comes in its own order; the segments in theirs (sorted: the order is kept).
        rows.sort(key=lambda row: row[0])
        return [row[1] for row in rows][:limit]

    def count(self) -> int:
        """How many objectives in all: one query over the whole visible cycle."""
        return int(self.visible.order_by().count())


@dataclass
class OverviewPage:
    """One page of the overview: its number, its objective ids, whether another follows."""

    number: int
    ids: list[int]
    more: bool

    def has_next(self) -> bool:
        return self.more

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.more or self.number > 1

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


# 20 million objectives: a page past any cycle's end.
MOST_PAGES = 1_000_000


def overview_page(ordered: OrderedIds, asked: str | None) -> OverviewPage:
    """Read the page asked for (the first when unreadable; the last when past the end)."""
    # An unreadable number is the first page; one past any cycle's end (an old link, or a
    # number too large for the database's offset) is the last.
    number = min(max(parse_id(asked) or 1, 1), MOST_PAGES)
    ids, more = ordered.window((number - 1) * OBJECTIVES_PER_PAGE, number * OBJECTIVES_PER_PAGE)
    if not ids and number > 1:  # past the end (an old link): the last page, as a Paginator does
        number = max(-(-ordered.count() // OBJECTIVES_PER_PAGE), 1)
        ids, more = ordered.window((number - 1) * OBJECTIVES_PER_PAGE, number * OBJECTIVES_PER_PAGE)
    return OverviewPage(number, ids, more)


@require_GET
@login_required
def overview(request: HttpRequest) -> HttpResponse:
    """Show every objective of the cycle the user may see, with progress and status.

    An htmx request for a page ("Show more") answers only its cards and the pager after them.
    The number of objectives and the status counts of a cycle spanning pages come from the
    stored insights (as of their last computation, said on the page), else from one count.
    """
    cycle = chosen_cycle(request)
    reports = []
    page = None
    if cycle is not None:
        visible = Objective.objects.visible_to(request.user).live().filter(cycle=cycle)
        ordered = OrderedIds(visible)
        page = overview_page(ordered, request.GET.get("page"))
        order = {pk: index for index, pk in enumerate(page.ids)}
        # The cards do not name key results' owners: their rows are not read (`kr.owner_id` is).
        loaded = load_objectives(
            Objective.objects.filter(pk__in=page.ids), page.ids, key_result_owners=False
        )
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
    objective_count = len(reports)
    if cycle is not None and page is not None and page.has_other_pages():
        stored = cycle_status_counts(cycle, visible, request.user)
        if stored is not None:
            counted_at, counts = stored
            objective_count = sum(counts.values())
        else:
            objective_count = ordered.count()
    return render(
        request,
        "front/overview.html",
        {
            "cycle": cycle,
            "reports": reports,
            "page": page,
            "objective_count": objective_count,
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
