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

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from okrflow.okrs.models import Alignment, Objective, ObjectiveState

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


def drawn_under(
    visible: QuerySet[Objective], parents: list[int]
) -> tuple[QuerySet[Alignment], dict[int, int]]:
    """Split the children drawn under `parents` (objectives in view) by how they are found.

    Returns the links to `parents` of the children in view with one link only (a queryset, not
    read: each sits under its only parent), and the parent each child in view with several
    links is drawn under (`place`), when that is one of `parents`. Two queries, and three more
    when some child has several links: what costs is the children, never the cycle."""
    links = Alignment.objects.filter(parent_id__in=parents).order_by()
    children = links.values("child_id")
    several = list(
        Alignment.objects.filter(child_id__in=children)
        .values("child_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("child_id", flat=True)
        .order_by()
    )
    single = links.exclude(child_id__in=several).filter(
        child_id__in=visible.filter(pk__in=children).order_by().values("pk")
    )
    placed: dict[int, int] = {}
    if several:
        in_view = list(visible.filter(pk__in=several).values_list("pk", flat=True))
        wanted = set(parents)
        for child, parent in place(visible, in_view).parent_of.items():
            if parent in wanted:
                placed[child] = parent
    return single, placed


def children_of(visible: QuerySet[Objective], parent_ids: Iterable[int]) -> dict[int, list[int]]:
    """Return, for each given objective (in view), the objectives in view drawn under it, by
    id (`drawn_under`: the same links `child_counts` counts)."""
    parents = sorted(set(parent_ids))
    found: dict[int, list[int]] = defaultdict(list)
    if not parents:
        return found
    single, placed = drawn_under(visible, parents)
    for child, parent in [*single.values_list("child_id", "parent_id"), *placed.items()]:
        found[parent].append(child)
    for kids in found.values():
        kids.sort()
    return found


def child_counts(visible: QuerySet[Objective], parent_ids: Iterable[int]) -> dict[int, int]:
    """Return, for each given objective (in view), how many objectives `children_of` draws
    under it (absent: none), without reading the children with one link: the database counts
    them (`drawn_under`)."""
    parents = sorted(set(parent_ids))
    counts: dict[int, int] = {}
    if not parents:
        return counts
    single, placed = drawn_under(visible, parents)
    for parent, number in (
        single.values("parent_id").annotate(n=Count("id")).values_list("parent_id", "n")
    ):
        counts[parent] = number
    for parent in placed.values():
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
