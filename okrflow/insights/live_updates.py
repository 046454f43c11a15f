"""Bring a large cycle's stored insights up to date as soon as an objective changes.

Every change writes an audit row (`okrflow.audit`). Once its transaction commits, the objectives
it touched are recomputed in the stored insights when their cycle is too large to refresh while
a page loads; small cycles notice the change by themselves (see `snapshots.stored_insights`).
A failure here is logged and never undoes or breaks the change that was saved.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from okrflow.audit.models import AuditEntry

logger = logging.getLogger(__name__)


def objectives_touched(entries: list[AuditEntry]) -> set[int]:
    """Return the objectives whose figures audited changes may have moved: a query per kind."""
    from okrflow.checkins.models import KeyResultCheckIn
    from okrflow.okrs.models import Alignment, Initiative, KeyResult

    ids: dict[str, set[int]] = defaultdict(set)
    found: set[int] = set()
    for entry in entries:
        ids[entry.object_type].add(entry.object_id)
        data = {**(entry.before or {}), **(entry.after or {})}
        if entry.object_type == "alignment":  # the link itself may be gone: read both ends
            found |= {data[end] for end in ("child", "parent") if isinstance(data.get(end), int)}
        if entry.object_type == "keyresult":  # a key result moved away leaves its old objective
            before = (entry.before or {}).get("objective")
            found |= {before} if isinstance(before, int) else set()
    found |= ids["objective"]
    lookups = [
        (Alignment.objects.filter(parent_id__in=ids["objective"]), "child_id"),
        (KeyResult.objects.filter(pk__in=ids["keyresult"]), "objective_id"),
        (Initiative.objects.filter(pk__in=ids["initiative"]), "key_result__objective_id"),
        (
            KeyResultCheckIn.objects.filter(checkin_id__in=ids["checkin"]),
            "key_result__objective_id",
        ),
    ]
    for queryset, field in lookups:
        found |= set(queryset.values_list(field, flat=True))
    # Issue #16: a goal that waits for a changed one may gain or lose its hand-off risk.
    from okrflow.dependencies.risks import objectives_waiting

    links = [
        {**(e.before or {}), **(e.after or {})} for e in entries if e.object_type == "dependency"
    ]
    found |= objectives_waiting(found, links)
    return found


def with_ancestors(objective_ids: set[int], levels: int = 10) -> set[int]:
    """Add every objective the given ones are aligned to, up the chain: their progress may roll up."""
    from okrflow.okrs.models import Alignment

    found = set(objective_ids)
    frontier = set(objective_ids)
    for _ in range(levels):
        if not frontier:
            break
        parents = set(
            Alignment.objects.filter(child_id__in=frontier).values_list("parent_id", flat=True)
        )
        frontier = parents - found
        found |= frontier
    return found


def refresh_touched(entries: list[AuditEntry]) -> None:
    """Recompute the touched objectives of every large cycle that has stored insights."""
    from okrflow.insights.models import InsightRefresh
    from okrflow.insights.snapshots import live_limit, refresh_objectives
    from okrflow.okrs.models import Objective

    try:
        forget_closed_cycles_risks(entries)  # a closed cycle has results, no risks left
        large = InsightRefresh.objects.filter(key_results__gt=live_limit())
        if not large.exists():
            return  # one query for an organisation whose cycles all refresh by themselves
        from okrflow.insights.standings import people_touched

        touched = with_ancestors(objectives_touched(entries))
        people = people_touched(entries)
        if not touched and not people:
            return
        by_cycle: dict[int, set[int]] = defaultdict(set)
        for pk, cycle_id in Objective.objects.filter(pk__in=touched).values_list("pk", "cycle_id"):
            by_cycle[cycle_id].add(pk)
        # A person's check-in standing may move in any open cycle they take part in.
        cycles = large.filter(
            Q(cycle_id__in=by_cycle) | Q(cycle__state="active")
            if people
            else Q(cycle_id__in=by_cycle)
        )
        for refresh in cycles.select_related("cycle"):
            if refresh.cycle.is_closed:
                continue
            refresh_objectives(refresh.cycle, by_cycle.get(refresh.cycle_id, set()), people=people)
    except Exception:  # the change is saved; its insights wait for the next full refresh
        logger.exception("Could not refresh stored insights after %s", entries[:3])


def forget_risks(cycle_id: int) -> None:
    from okrflow.insights.models import RiskSnapshot

    RiskSnapshot.objects.filter(cycle_id=cycle_id).delete()


# The audit entries of the transaction in progress, per thread. A transaction that writes many
# (an import of 200 objectives) is refreshed once, after it commits, not once per entry. Entries
# of a transaction that rolled back are refreshed with the next one: wasted work, never wrong.
_pending = threading.local()


def on_audit_entry(sender: Any, instance: AuditEntry, created: bool, **kwargs: Any) -> None:
    if not created:
        return
    entries = getattr(_pending, "entries", None)
    if entries is None:
        entries = _pending.entries = []
    entries.append(instance)
    transaction.on_commit(refresh_pending)


@contextmanager
def rolled_back_entries() -> Iterator[None]:
    """Forget the audit entries written inside a block that rolls back (an import's dry run)."""
    kept = list(getattr(_pending, "entries", None) or [])
    try:
        yield
    finally:
        _pending.entries = kept


def forget_pending() -> None:
    """Drop the entries waiting for a commit (tests start each from a clean thread)."""
    _pending.entries = []


def refresh_pending() -> None:
    """Refresh everything the committed transaction touched; later callbacks find nothing left.

    In the scaled shape (a broker configured) a task worker does it, so that the request that
    made the change answers at once; in the embedded shape, this process does, as before.
    """
    entries = getattr(_pending, "entries", None)
    if not entries:
        return
    _pending.entries = []
    if settings.BROKER_URL:
        from okrflow.background.enqueue import enqueue_on_commit
        from okrflow.insights.models import InsightRefresh
        from okrflow.insights.snapshots import live_limit
        from okrflow.insights.tasks import refresh_after_changes

        if InsightRefresh.objects.filter(key_results__gt=live_limit()).exists():
            enqueue_on_commit(refresh_after_changes, [entry.pk for entry in entries])
        else:
            forget_closed_cycles_risks(entries)
        return
    refresh_touched(entries)


def forget_closed_cycles_risks(entries: list[AuditEntry]) -> None:
    for entry in entries:
        if entry.object_type == "cycle" and entry.action == "close_cycle":
            forget_risks(entry.object_id)
