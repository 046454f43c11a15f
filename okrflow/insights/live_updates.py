"""Bring a large cycle's stored insights up to date as soon as an objective changes.

Every change writes an audit row (`okrflow.audit`). Once its transaction commits, the objectives
it touched are recomputed in the stored insights when their cycle is too large to refresh while
a page loads; small cycles notice the change by themselves (see `snapshots.stored_insights`).
A failure here is logged and never undoes or breaks the change that was saved.
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from okrflow.audit.models import AuditEntry
from okrflow.listed import among, pieces

logger = logging.getLogger(__name__)
# Changes to these move objectives between units or change every figure: recompute everything.
WHOLE_CYCLE_CHANGES = frozenset({"orgunit", "person", "project", "organisation", "cycle"})


# What the updates read of an audit row's before/after: owners, leads and the objective above.
PEOPLE_KEYS = ("owner", "owner_person", "person", "lead")
PLACE_KEYS = ("owner_unit", "owner_project", "objective")
# The kinds of rows whose ids the updates look up (any other kind is known by its data alone).
KINDS = ("objective", "keyresult", "initiative", "checkin", "alignment")
WAITING_KEYS = ("dependent_objective", "dependent_key_result")
# Changes of a key result's value alone: its objective's figures move, nobody's check-in
# standing does (a standing counts key results and check-ins, never values).
VALUE_ACTIONS = frozenset({"record_key_result_value"})


@dataclass(slots=True)
class StubEntry:
    """An audit row reduced to what `standings.people_of_entries` reads of it."""

    object_type: str
    object_id: int
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None


@dataclass
class Changes:
    """What audited changes touched, as sets of ids: never the audit rows themselves.

    An import of 150,000 key results writes 190,000 audit rows; what the live update needs of
    them is a few sets of ids (the rows' ids by kind, the objectives, people, units and projects
    their data names), so that is all that waits for the transaction to commit.
    """

    ids: dict[str, set[int]] = field(default_factory=lambda: {kind: set() for kind in KINDS})
    objectives: set[int] = field(default_factory=set)  # named by the data: see `add`
    named: dict[str, set[int]] = field(
        default_factory=lambda: {key: set() for key in PEOPLE_KEYS + PLACE_KEYS}
    )
    closed_cycles: set[int] = field(default_factory=set)
    whole_cycle: bool = False  # a change to the org chart, a cycle or the settings
    # Issue #16: the waiting end of each changed dependency (its risk may move).
    waiting: dict[str, set[int]] = field(
        default_factory=lambda: {key: set() for key in WAITING_KEYS}
    )
    # The key results (of `ids["keyresult"]`) whose every change was a new value: they move
    # their objective, not anyone's check-in standing (`standings.people_of_entries` leaves them out).
    valued: set[int] = field(default_factory=set)

    def add(self, entry: Any) -> None:
        """Note one audit row (an AuditEntry, or anything with its five attributes)."""
        self.add_values(entry.object_type, entry.object_id, entry.action, entry.before, entry.after)

    def add_values(
        self,
        kind: str,
        pk: int,
        action: str,
        before: dict[str, Any] | None,
        after: dict[str, Any] | None,
    ) -> None:
        """Note one audit row from its columns (as `changed_since` reads them: no instance)."""
        if kind == "keyresult":
            if action not in VALUE_ACTIONS:
                self.valued.discard(pk)
            elif pk not in self.ids["keyresult"]:
                self.valued.add(pk)
        if kind in self.ids:
            self.ids[kind].add(pk)
        if kind in WHOLE_CYCLE_CHANGES:
            self.whole_cycle = True
        if kind == "cycle" and action == "close_cycle":
            self.closed_cycles.add(pk)
        before, after = before or {}, after or {}
        if kind == "alignment":  # the link itself may be gone: read both ends
            self.objectives |= {
                data[end]
                for data in (before, after)
                for end in ("child", "parent")
                if isinstance(data.get(end), int)
            }
        if kind == "keyresult" and isinstance(before.get("objective"), int):
            self.objectives.add(before["objective"])  # a key result moved away leaves it
        if kind == "dependency":
            for data in (before, after):
                for key, found_ids in self.waiting.items():
                    if isinstance(data.get(key), int):
                        found_ids.add(data[key])
        if kind == "checkin":
            return  # its person is found by its id
        for data in (before, after):
            for key, found in self.named.items():
                value = data.get(key)
                if isinstance(value, int):
                    found.add(value)

    def update(self, other: Changes) -> None:
        # A key result stays `valued` only if neither side saw another change of it.
        moved = (self.ids["keyresult"] - self.valued) | (other.ids["keyresult"] - other.valued)
        self.valued = (self.valued | other.valued) - moved
        for kind, ids in other.ids.items():
            self.ids[kind] |= ids
        for key, ids in other.named.items():
            self.named[key] |= ids
        for key, ids in other.waiting.items():
            self.waiting[key] |= ids
        self.objectives |= other.objectives
        self.closed_cycles |= other.closed_cycles
        self.whole_cycle = self.whole_cycle or other.whole_cycle

    def __bool__(self) -> bool:
        return bool(
            self.whole_cycle
            or self.closed_cycles
            or self.objectives
            or any(self.ids.values())
            or any(self.named.values())
            or any(self.waiting.values())
        )

    def as_entries(self, checkins: bool = True) -> Iterator[StubEntry]:
        """Stand-ins for the audit rows, one per id, made as they are read (for
        `standings.people_of_entries`, which reads rows): the same people as from the rows."""
        for kind in (
            ("checkin", "objective", "keyresult") if checkins else ("objective", "keyresult")
        ):
            for pk in self.ids[kind]:
                if kind == "keyresult" and pk in self.valued:
                    continue  # a new value moves nobody's standing
                yield StubEntry(kind, pk)
        for key, ids in self.named.items():
            for pk in ids:
                yield StubEntry("", 0, after={key: pk})

    def to_json(self) -> dict[str, Any]:
        """A task's argument: plain lists (sorted, so that the same changes read the same)."""
        return {
            "ids": {kind: sorted(ids) for kind, ids in self.ids.items() if ids},
            "objectives": sorted(self.objectives),
            "named": {key: sorted(ids) for key, ids in self.named.items() if ids},
            "closed_cycles": sorted(self.closed_cycles),
            "whole_cycle": self.whole_cycle,
            "waiting": {key: sorted(ids) for key, ids in self.waiting.items() if ids},
            "valued": sorted(self.valued),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Changes:
        changes = cls()
        for kind, ids in data.get("ids", {}).items():
            changes.ids.setdefault(kind, set()).update(ids)
        for key, ids in data.get("named", {}).items():
            changes.named.setdefault(key, set()).update(ids)
        changes.objectives = set(data.get("objectives", ()))
        changes.closed_cycles = set(data.get("closed_cycles", ()))
        changes.whole_cycle = bool(data.get("whole_cycle"))
        for key, ids in data.get("waiting", {}).items():
            changes.waiting.setdefault(key, set()).update(ids)
        # Queued before the field existed: every key result counts for the standings.
        changes.valued = set(data.get("valued", ())) & changes.ids.get("keyresult", set())
        return changes

    @classmethod
    def of(cls, entries: Iterable[Any]) -> Changes:
        changes = cls()
        for entry in entries:
            changes.add(entry)
        return changes


def objectives_touched(changes: Changes | list[AuditEntry]) -> set[int]:
    """Return the objectives whose figures audited changes may have moved: a query per kind."""
    from okrflow.checkins.models import KeyResultCheckIn
    from okrflow.okrs.models import Alignment, Initiative, KeyResult

    if not isinstance(changes, Changes):
        changes = Changes.of(changes)
    ids = changes.ids
    found = changes.objectives | ids["objective"]
    lookups = [
        (Alignment.objects.filter, "parent_id", ids["objective"], "child_id"),
        (KeyResult.objects.filter, "pk", ids["keyresult"], "objective_id"),
        (Initiative.objects.filter, "pk", ids["initiative"], "key_result__objective_id"),
        (
            KeyResultCheckIn.objects.filter,
            "checkin_id",
            ids["checkin"],
            "key_result__objective_id",
        ),
    ]
    for query, lookup, keys, field_name in lookups:
        for chunk in pieces(keys):
            found |= set(query(among(lookup, chunk)).values_list(field_name, flat=True))
    # Issue #16: a goal that waits for a changed one may gain or lose its hand-off risk.
    from okrflow.dependencies.risks import objectives_waiting

    links: list[dict[str, object]] = [
        {key: pk} for key, pks in changes.waiting.items() for pk in pks
    ]
    waiting: set[int] = objectives_waiting(set(), links) if links else set()
    for chunk in pieces(found):
        waiting |= objectives_waiting(set(chunk), [])
    found |= waiting
    return found


def with_ancestors(objective_ids: set[int]) -> set[int]:
    """Add every objective the given ones are aligned to, up the chain however long (in any
    cycle): their progress may roll up. One query per level."""
    from okrflow.okrs.models import Alignment

    found = set(objective_ids)
    frontier = set(objective_ids)
    while frontier:
        parents: set[int] = set()
        for chunk in pieces(frontier):
            parents |= set(
                Alignment.objects.filter(among("child_id", chunk)).values_list(
                    "parent_id", flat=True
                )
            )
        frontier = parents - found
        found |= frontier
    return found


def people_and_recount(changes: Changes) -> tuple[set[int], set[int]]:
    """The people whose check-in standing the changes may have moved, and those of them whose
    check-in key results may have moved too: everyone but the people reached by their own
    check-ins alone (a check-in changes no one's key results)."""
    from okrflow.checkins.models import CheckIn
    from okrflow.insights.standings import people_of_entries

    recount: set[int] = set()
    entries = changes.as_entries(checkins=False)
    while batch := list(itertools.islice(entries, 2000)):
        recount |= people_of_entries(batch)
    people = set(recount)
    for chunk in pieces(changes.ids["checkin"]):
        people |= set(
            CheckIn.objects.filter(among("pk", chunk)).values_list("person_id", flat=True)
        )
    return people, recount


def refresh_touched(changes: Changes | list[AuditEntry]) -> None:
    """Recompute the touched objectives of every large cycle that has stored insights."""
    from okrflow.insights.models import InsightRefresh
    from okrflow.insights.snapshots import live_limit, refresh_objectives
    from okrflow.okrs.models import Objective

    if not isinstance(changes, Changes):
        changes = Changes.of(changes)
    try:
        forget_closed_cycles_risks(changes)  # a closed cycle has results, no risks left
        large = InsightRefresh.objects.filter(key_results__gt=live_limit())
        if not large.exists():
            return  # one query for an organisation whose cycles all refresh by themselves
        touched = with_ancestors(objectives_touched(changes))
        people, _recount = people_and_recount(changes)
        if not touched and not people:
            return
        by_cycle: dict[int, set[int]] = defaultdict(set)
        for chunk in pieces(touched):
            for pk, cycle_id in Objective.objects.filter(among("pk", chunk)).values_list(
                "pk", "cycle_id"
            ):
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
        logger.exception("Could not refresh stored insights after %s", summary(changes))


def summary(changes: Changes) -> str:
    return ", ".join(f"{len(ids)} {kind}" for kind, ids in changes.ids.items() if ids)


def forget_risks(cycle_id: int) -> None:
    from okrflow.insights.models import RiskSnapshot

    RiskSnapshot.objects.filter(cycle_id=cycle_id).delete()


# What the audit rows of the transaction in progress touched, per thread: a transaction that
# writes many rows (an import of 40,000 objectives) is refreshed once, after it commits, from
# sets of ids, with one on-commit callback. Changes of a transaction that rolled back are
# refreshed with the next one: wasted work, never wrong.
_pending = threading.local()


def pending() -> Changes:
    changes = getattr(_pending, "changes", None)
    if changes is None:
        changes = _pending.changes = Changes()
    return changes


def on_audit_entry(sender: Any, instance: AuditEntry, created: bool, **kwargs: Any) -> None:
    if not created or getattr(_pending, "discarding", 0):
        return
    pending().add(instance)
    schedule()


def on_audit_entries(sender: Any, entries: list[AuditEntry], **kwargs: Any) -> None:
    """Rows written together (`audit.signals.entries_recorded`): noted as one by one, one ask."""
    if getattr(_pending, "discarding", 0):
        return
    changes = pending()
    for entry in entries:
        changes.add(entry)
    schedule()


LISTENER = "insights_live_updates"


def listen(on: bool = True) -> None:
    """Hear the audit trail (`on`, as the app does when it starts), or stop hearing it: rows
    saved one by one (`post_save`) and rows written together (`entries_recorded`) alike. The
    benchmarks measure the write path alone with it off."""
    from django.db.models.signals import post_save

    from okrflow.audit.signals import entries_recorded

    if on:
        post_save.connect(on_audit_entry, sender=AuditEntry, dispatch_uid=LISTENER)
        entries_recorded.connect(on_audit_entries, sender=AuditEntry, dispatch_uid=LISTENER)
    else:
        post_save.disconnect(sender=AuditEntry, dispatch_uid=LISTENER)
        entries_recorded.disconnect(sender=AuditEntry, dispatch_uid=LISTENER)


def schedule() -> None:
    """Ask once per transaction for `refresh_pending` after it commits.

    The connection replaces its list of callbacks when a transaction (or a savepoint) commits
    or rolls back: while the list is the one the callback was added to, and the callback has
    not run (it forgets the list when it runs), the callback is still waiting. A savepoint
    rolled back may thus add a second callback; the second finds nothing left to do.
    """
    connection = transaction.get_connection()
    if getattr(_pending, "scheduled_in", None) is connection.run_on_commit:
        return
    transaction.on_commit(refresh_pending)
    _pending.scheduled_in = connection.run_on_commit


@contextmanager
def rolled_back_entries() -> Iterator[None]:
    """Ignore the audit rows written inside a block that rolls back (an import's dry run)."""
    _pending.discarding = getattr(_pending, "discarding", 0) + 1
    try:
        yield
    finally:
        _pending.discarding -= 1


def forget_pending() -> None:
    """Drop the changes waiting for a commit (tests start each from a clean thread)."""
    _pending.changes = Changes()
    _pending.scheduled_in = None
    _pending.discarding = 0


def refresh_pending() -> None:
    """Refresh everything the committed transaction touched; later callbacks find nothing left.

    In the scaled shape (a broker configured), and in the embedded shape when its worker runs
    (`settings.INSIGHTS_REFRESH_QUEUED`), a task worker does it, so that the request that made
    the change answers at once; else this process does.
    """
    _pending.scheduled_in = None
    changes = getattr(_pending, "changes", None)
    if not changes:
        return
    _pending.changes = Changes()
    if settings.INSIGHTS_REFRESH_QUEUED:
        # The request asks nothing of the database here: whether a cycle is large enough to
        # keep stored insights is the task's first question (`refresh_touched`), so a check-in
        # under load costs one Redis round trip (or one message). A closed cycle's risks go at
        # once, as without a broker.
        forget_closed_cycles_risks(changes)
        transaction.on_commit(lambda: queue_refresh(changes))  # at once after a commit
        return
    refresh_touched(changes)


# --- The scaled shape: many commits, one task (issue #14) ----------------------------------
# Publishing a Celery message costs the web worker more CPU than anything else a check-in does
# after its commit. So where Redis is at hand, the commit's changes wait on a Redis list and only
# the first commit since the last task started publishes one: the task takes every waiting
# change and refreshes their union once. The kick key says "a task is on its way"; it expires
# after KICK_SECONDS, so a lost message holds the refresh back that long at most (and beat's
# `refresh-insights`, every 10 minutes, catches up on whatever a lost message or list held).
WAITING_KEY = "insights-waiting"
KICK_KEY = "insights-kick"
KICK_SECONDS = 60
# The waiting list is dropped a day after its last push (no worker ran: beat's refresh catches up).
WAITING_SECONDS = 24 * 3600
TAKE = 1000  # changes taken from the list at a time


@dataclass(frozen=True)
class WaitingRoom:
    """Where the committed changes wait for the one task that refreshes them: a Redis list."""

    client: Any  # redis.Redis
    waiting: str
    kick: str

    def push(self, changes: Changes) -> bool:
        """Add the changes; return whether this push must publish the task (one round trip)."""
        pipe = self.client.pipeline(transaction=False)
        pipe.rpush(self.waiting, json.dumps(changes.to_json(), separators=(",", ":")))
        pipe.expire(self.waiting, WAITING_SECONDS)
        pipe.set(self.kick, 1, nx=True, ex=KICK_SECONDS)
        return bool(pipe.execute()[-1])

    def take(self) -> Changes:
        """Drop the kick and take every waiting change, atomically (MULTI): a push after this
        sets the kick again and publishes a task of its own, so no change is left behind."""
        taken = Changes()
        drop_kick = True
        while True:
            pipe = self.client.pipeline(transaction=True)
            if drop_kick:
                pipe.delete(self.kick)
            pipe.lrange(self.waiting, 0, TAKE - 1)
            pipe.ltrim(self.waiting, TAKE, -1)
            entries = pipe.execute()[-2]
            drop_kick = False
            for entry in entries:
                taken.update(Changes.from_json(json.loads(entry)))
            if len(entries) < TAKE:
                return taken

    def forget_kick(self) -> None:
        self.client.delete(self.kick)


_clients: dict[str, Any] = {}
_clients_lock = threading.Lock()


def waiting_room() -> WaitingRoom | None:
    """The Redis the changes wait on: the broker's when it is Redis (its key prefix and queue
    name too, so that whatever drops the queue's keys drops these), else OKRFLOW_REDIS_URL's;
    None without Redis (an AMQP broker alone: one message per commit, as before)."""
    from okrflow.background import app

    url = str(app.conf.broker_url or "")
    if not url.startswith(("redis://", "rediss://")):
        url = settings.REDIS_URL
        if not url:
            return None
    options = app.conf.broker_transport_options or {}
    prefix = f"{options.get('global_keyprefix') or ''}{app.conf.task_default_queue}:"
    return WaitingRoom(redis_client(url), prefix + WAITING_KEY, prefix + KICK_KEY)


def redis_client(url: str) -> Any:
    """One client (one connection pool) per Redis per process; quick to give up on a Redis that
    does not answer (the request that committed a change must not hang on it)."""
    client = _clients.get(url)
    if client is None:
        import redis

        with _clients_lock:
            client = _clients.get(url)
            if client is None:
                client = _clients[url] = redis.Redis.from_url(
                    url, socket_connect_timeout=1, socket_timeout=5
                )
    return client


def queue_refresh(changes: Changes) -> None:
    """Have a task worker refresh what committed changes touched; errors are logged (the
    changes are saved: beat's `refresh-insights` brings the stored insights up to date)."""
    from okrflow.background.enqueue import enqueue_on_commit
    from okrflow.insights.tasks import refresh_touched_changes, refresh_waiting_changes

    try:
        room = waiting_room()
    except Exception:
        logger.exception("Could not reach Redis to queue the refresh after %s", summary(changes))
        return
    if room is None:
        enqueue_on_commit(refresh_touched_changes, changes.to_json())
        return
    try:
        if not room.push(changes):
            return  # a task is on its way: it takes these changes too
    except Exception:
        logger.exception("Could not queue the refresh after %s", summary(changes))
        return
    try:
        refresh_waiting_changes.apply_async()
    except Exception:
        logger.exception("Could not enqueue %s", refresh_waiting_changes.name)
        try:
            room.forget_kick()  # so that the next commit tries again
        except Exception:
            logger.exception("Could not drop the kick of the stored insights' refresh")


def refresh_waiting() -> None:
    """The task's work: take every change waiting in Redis and refresh their union once."""
    room = waiting_room()
    if room is None:
        return
    changes = room.take()
    if changes:
        refresh_touched(changes)


def forget_closed_cycles_risks(changes: Changes) -> None:
    for cycle_id in sorted(changes.closed_cycles):
        forget_risks(cycle_id)
