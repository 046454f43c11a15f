"""Keep the company alignment tree fast for a 10,000-person organisation.

A small cycle (at most `TREE_LIMIT` objectives in view) is drawn whole. A large one is drawn
a slice at a time: the company objectives and what is aligned to them, each deeper branch
loaded when it is opened (`company_branch`, htmx). Every step reads the objectives it draws
and the alignment links around them, by index: what it costs depends on the branch opened,
never on how many objectives the cycle holds.

An objective sits under the parent `browse_data.chosen_parent` picks (its primary parent in
view, else its first one in view), so a branch holds exactly the children the whole tree
would draw there, and no objective is drawn twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from okrflow.cycles.models import Cycle
from okrflow.front.browse_data import visible_in_cycle
from okrflow.okrs.models import Alignment, Objective, ObjectiveState
from okrflow.org.access import Access, access_for

TREE_LIMIT = 400
LIST_LIMIT = 25  # objectives listed apart (not aligned, aligned outside the view) at a time
BRANCH_LIMIT = 200  # children drawn under one objective at most; the rest on its page


def is_large(visible: QuerySet[Objective]) -> bool:
    """Tell whether more than `TREE_LIMIT` objectives are in view (reads at most one more)."""
    ids = visible.order_by().values_list("pk", flat=True)[: TREE_LIMIT + 1]
    return len(ids) > TREE_LIMIT


def top_level(visible: QuerySet[Objective]) -> QuerySet[Objective]:
    """Objectives of a top unit (the company): the roots, unless a parent in view holds them."""
    return visible.filter(owner_unit__isnull=False, owner_unit__parent__isnull=True)


@dataclass
class Placement:
    """Where each of some objectives sits: its chosen parent in view, or none."""

    parent_of: dict[int, int | None] = field(default_factory=dict)
    has_links: set[int] = field(default_factory=set)


def place(
    visible: QuerySet[Objective], ids: Iterable[int], scope: QuerySet[Objective] | None = None
) -> Placement:
    """Find the chosen parent in view of each objective of `ids` (assumed in view): two queries.

    `scope`, a subquery selecting the same ids, keeps a long list of them out of the SQL.

    The links are read in `load_objectives`' order (primary first, then by id), so the first
    link whose parent is in view is the one `browse_data.chosen_parent` picks.
    """
    wanted = sorted(set(ids))
    placement = Placement({pk: None for pk in wanted})
    if not wanted:
        return placement
    links = list(
        Alignment.objects.filter(child_id__in=wanted if scope is None else scope)
        .order_by("-is_primary", "id")
        .values_list("child_id", "parent_id")
    )
    parents = {parent for _child, parent in links}
    present = set(visible.filter(pk__in=sorted(parents)).values_list("pk", flat=True))
    for child, parent in links:
        if child not in placement.parent_of:  # came into view between the two reads
            continue
        placement.has_links.add(child)
        if placement.parent_of[child] is None and parent in present:
            placement.parent_of[child] = parent
    return placement


@dataclass(frozen=True)
class View:
    """What a reader sees of a cycle: `visible` (its live objectives in view, a queryset), and
    what that is made of, so that a step can take the public objectives by the cycle alone and
    test only the private ones against `visible`, by id. The visibility filter over a
    branch's children made PostgreSQL hash every person of the organisation."""

    visible: QuerySet[Objective]
    access: Access
    cycle_id: int


def view_of(user: Any, cycle: Cycle) -> View:
    """The reader's view of the cycle (`browse_data.visible_in_cycle`)."""
    return View(visible_in_cycle(user, cycle), access_for(user), cycle.pk)


def links_under(view: View, parents: list[int]) -> QuerySet[Alignment]:
    """The links to `parents`, each with what places its child, read by index per link:
    `private` (the child's privacy; None when it is out of the cycle or archived) and `links`
    (how many parents the child has). A join made PostgreSQL read the whole cycle's
    objectives and alignments to place a few hundred children."""
    child = (
        Objective.objects.filter(pk=OuterRef("child_id"), cycle_id=view.cycle_id)
        .exclude(state=ObjectiveState.ARCHIVED)
        .order_by()
        .values("is_private")
    )
    number = (
        Alignment.objects.filter(child_id=OuterRef("child_id"))
        .order_by()
        .values("child_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return (
        Alignment.objects.filter(parent_id__in=parents)
        .order_by()
        .annotate(private=Subquery(child), links=Subquery(number))
    )


def judged(view: View, pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Keep the (child, parent) pairs whose private child the reader may see: one query, the
    visibility filter on those ids alone (by the primary key: a few dozen rows, never the
    organisation's people)."""
    if not pairs:
        return []
    ids = sorted({child for child, _parent in pairs})
    seen = set(view.visible.filter(pk__in=ids).values_list("pk", flat=True))
    return [(child, parent) for child, parent in pairs if child in seen]


def placed_under(view: View, several: list[int], parents: list[int]) -> dict[int, int]:
    """The parent each child with several links (`several`) is drawn under, when it is in
    view and that is one of `parents` (`place`: three queries)."""
    if not several:
        return {}
    in_view = list(view.visible.filter(pk__in=sorted(set(several))).values_list("pk", flat=True))
    wanted = set(parents)
    return {
        child: parent
        for child, parent in place(view.visible, in_view).parent_of.items()
        if parent in wanted
    }


def children_of(view: View, parent_ids: Iterable[int]) -> dict[int, list[int]]:
    """Return, for each given objective (in view), the objectives in view drawn under it, by
    id (the same links `child_counts` counts): a child with one link sits under its only
    parent; one with several, under the one `place` picks. One query, and one more when a
    child is private (but for an admin), three more when some child has several links."""
    parents = sorted(set(parent_ids))
    found: dict[int, list[int]] = defaultdict(list)
    if not parents or not view.access.is_member:
        return found
    shown: list[tuple[int, int]] = []
    private: list[tuple[int, int]] = []
    several: list[int] = []
    for child, parent, is_private, links in links_under(view, parents).values_list(
        "child_id", "parent_id", "private", "links"
    ):
        if links > 1:
            several.append(child)
        elif is_private is None:  # out of the cycle, or archived
            continue
        elif is_private and not view.access.is_admin:
            private.append((child, parent))
        else:
            shown.append((child, parent))
    shown += judged(view, private)
    shown += placed_under(view, several, parents).items()
    for child, parent in shown:
        found[parent].append(child)
    for kids in found.values():
        kids.sort()
    return found


def child_counts(view: View, parent_ids: Iterable[int]) -> dict[int, int]:
    """Return, for each given objective (in view), how many objectives `children_of` draws
    under it (absent: none). The database counts the children with one link (an admin's all,
    another reader's public ones); the private ones are read and judged, and those with
    several links placed, only when there are."""
    parents = sorted(set(parent_ids))
    counts: dict[int, int] = {}
    if not parents or not view.access.is_member:
        return counts
    links = links_under(view, parents)
    judge = not view.access.is_admin  # an admin sees every private child
    any_hidden = any_several = False
    # Grouped by parent and by what places the child: each link's subqueries run once.
    for parent, private, number, n in (
        links.values("parent_id", "private", "links")
        .annotate(n=Count("id"))
        .values_list("parent_id", "private", "links", "n")
    ):
        if number > 1:
            any_several = True
        elif private is None:  # out of the cycle, or archived
            continue
        elif private and judge:
            any_hidden = True
        else:
            counts[parent] = counts.get(parent, 0) + n
    extra: list[tuple[int, int]] = []
    if any_hidden:
        hidden = links.filter(links=1, private=True)
        extra += judged(view, list(hidden.values_list("child_id", "parent_id")))
    if any_several:
        several = list(links.filter(links__gt=1).values_list("child_id", flat=True))
        extra += placed_under(view, several, parents).items()
    for _child, parent in extra:
        counts[parent] = counts.get(parent, 0) + 1
    return counts


def company_roots(visible: QuerySet[Objective]) -> list[int]:
    """Return the company objectives drawn as roots: no parent in view holds them."""
    top = list(top_level(visible).values_list("pk", flat=True))
    placement = place(visible, top)
    return sorted(pk for pk, parent in placement.parent_of.items() if parent is None)


BELOW_TOP = ~Q(owner_unit__isnull=False, owner_unit__parent__isnull=True)


SCANS = 4  # batches of candidates `detached` reads at most per call


def unaligned(
    visible: QuerySet[Objective], after: int = 0, limit: int | None = None
) -> tuple[list[int], int | None]:
    """Return, by id after `after`, up to `limit` (`LIST_LIMIT`) objectives (not the
    company's) aligned to nothing, and where the next ones start (None: no more)."""
    limit = limit or LIST_LIMIT
    ids = list(
        visible.filter(BELOW_TOP, pk__gt=after)
        .filter(~Exists(Alignment.objects.filter(child=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", flat=True)[: limit + 1]
    )
    return ids[:limit], ids[limit - 1] if len(ids) > limit else None


def detached(
    visible: QuerySet[Objective], after: int = 0, limit: int | None = None
) -> tuple[list[int], int | None]:
    """Return, by id after `after`, up to `limit` (`LIST_LIMIT`) objectives (not the
    company's) aligned only to objectives out of view (another cycle's, archived, private),
    and where the next ones start (None: no more). Reads at most `SCANS` batches."""
    limit = limit or LIST_LIMIT
    maybe_out = Q(parent__state=ObjectiveState.ARCHIVED) | Q(parent__is_private=True)
    elsewhere = Alignment.objects.filter(child=OuterRef("pk")).filter(
        maybe_out | ~Q(parent__cycle_id=OuterRef("cycle_id"))
    )
    candidates = visible.filter(BELOW_TOP).filter(Exists(elsewhere)).order_by("pk")
    found: list[int] = []
    for _scan in range(SCANS):
        batch = list(candidates.filter(pk__gt=after).values_list("pk", flat=True)[: limit * 2])
        placement = place(visible, batch)
        for pk in batch:
            if placement.parent_of[pk] is None:
                if len(found) == limit:
                    return found, after
                found.append(pk)
            after = pk
        if len(batch) < limit * 2:
            return found, None
    return found, after
