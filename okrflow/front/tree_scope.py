"""Keep the company alignment tree fast for a 10,000-person organisation.

A small cycle is drawn whole. A large one (more than `TREE_LIMIT` objectives) is drawn to
`TREE_DEPTH` levels below the company objectives, with every deeper branch one click away on
its objective's page; the structure is worked out from ids alone (two light queries), and only
the objectives drawn are loaded and measured.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from okrflow.okrs.models import Alignment, Objective

TREE_LIMIT = 400
TREE_DEPTH = 3
LIST_LIMIT = 100


@dataclass
class TreeScope:
    """Which objectives to draw, and how many aligned objectives each drawn one hides."""

    ids: list[int] | None  # None: draw everything
    total: int
    hidden_children: dict[int, int] = field(default_factory=dict)
    laddered: int = 0  # objectives whose parent chain reaches a company objective
    company_roots: int = 0

    @property
    def truncated(self) -> bool:
        return self.ids is not None


def scope_tree(visible: QuerySet[Objective]) -> TreeScope:
    """Decide what the tree draws; for a small cycle, everything."""
    total = visible.count()
    if total <= TREE_LIMIT:
        return TreeScope(ids=None, total=total)
    rows = list(visible.values_list("pk", "owner_unit_id", "owner_unit__parent_id"))
    present = {pk for pk, _unit, _parent in rows}
    links: dict[int, list[tuple[int, bool]]] = defaultdict(list)
    for child, parent, primary in Alignment.objects.filter(
        child__in=visible.values("pk")
    ).values_list("child_id", "parent_id", "is_primary"):
        if parent in present:
            links[child].append((parent, primary))
    children: dict[int, list[int]] = defaultdict(list)
    roots: list[int] = []
    loose: list[int] = []
    for pk, unit, unit_parent in rows:
        parents = links.get(pk, [])
        if parents:
            primary = [p for p, is_primary in parents if is_primary]
            children[(primary or [parents[0][0]])[0]].append(pk)
        elif unit is not None and unit_parent is None:
            roots.append(pk)
        else:
            loose.append(pk)
    drawn: list[int] = []
    hidden: dict[int, int] = {}
    seen: set[int] = set()
    frontier = sorted(roots)
    laddered = 0
    depth = 0
    while frontier:
        next_frontier: list[int] = []
        for pk in frontier:
            if pk in seen:
                continue
            seen.add(pk)
            kids = [kid for kid in children.get(pk, ()) if kid not in seen]
            laddered += depth > 0
            if depth < TREE_DEPTH:
                drawn.append(pk)
                if depth == TREE_DEPTH - 1 and kids:
                    hidden[pk] = len(kids)
            next_frontier.extend(kids)
        frontier = next_frontier
        depth += 1
    drawn += sorted(loose)[:LIST_LIMIT]
    return TreeScope(drawn, total, hidden, laddered, len(roots))
