"""Stored insights: forecast and judge a cycle once, let every dashboard read the result.

A dashboard at 10,000 people cannot forecast 150,000 key results per request, so the figures
are computed for the whole cycle and stored (`ObjectiveSnapshot`, `HeatSnapshot`,
`RiskSnapshot`, and `InsightRefresh` saying when). Dashboards then filter and sum those rows
in SQL for what the reader may see.

When the figures are recomputed:

* a cycle of up to ``OKRFLOW_INSIGHTS_LIVE_LIMIT`` key results (2,000 by default) is refreshed
  while the page loads whenever its data changed or the day did: one query compares a
  fingerprint of the data (counts, versions, newest ids and times) with the stored one;
* a larger cycle is refreshed by ``okrflow refresh-insights`` (from cron or a task worker, every
  few minutes or nightly); its pages show the stored figures with the time they were computed.

The rows are derived data only: a refresh deletes and rewrites a cycle's rows in one
transaction, under a row lock on its `InsightRefresh`, so concurrent refreshes queue.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.db import DatabaseError, connection, models, transaction
from django.db.models import Case, F, JSONField, QuerySet, Value, When
from django.utils import timezone

from okrflow.audit.log import to_json_value
from okrflow.audit.models import AuditEntry
from okrflow.compiled_reads import rows_by_ids
from okrflow.cycles.models import Cycle
from okrflow.engine import grading
from okrflow.engine import progress as engine_progress
from okrflow.engine.focus import OwnerKind, is_team
from okrflow.insights import parallel_refresh, rolling, standings, totals
from okrflow.insights.boards import build_alignment_map, checkin_days
from okrflow.insights.collect import (
    CycleInsights,
    collect_insights,
    insight_day,
    status_day,
    visible_objectives,
)
from okrflow.insights.listing import key_result_lines
from okrflow.insights.models import (
    CheckinStanding,
    HeatSnapshot,
    InsightRefresh,
    InsightTotal,
    ObjectiveSnapshot,
    RiskSnapshot,
)
from okrflow.insights.risks import RiskItem, find_risks
from okrflow.insights.totals import bucket_of
from okrflow.library.bulk_insert import write_tuples
from okrflow.listed import among, pieces
from okrflow.okrs.models import (
    Alignment,
    Initiative,
    KeyResult,
    KeyResultValue,
    Objective,
    ObjectiveState,
    TargetVersion,
)
from okrflow.org.models import Organisation, OrgUnit, Person, Project

logger = logging.getLogger(__name__)

LIVE_LIMIT = 2000
BATCH = 500
COPY_BATCH = 5000  # rows a COPY sends (no ids to draw: only the statement's size)
UNPLACED = 2_000_000_000  # map order of an objective the map has not placed yet: last
# An incremental refresh that would recompute most of a large cycle rewrites it whole instead,
# where that measured cheaper: on SQLite, taking out and putting back most of a cycle's rows
# and totals costs more than rewriting them (1,000 people after 1,000 check-ins, 1,876 of
# 2,248 objectives touched: 2.34 s, 3.5 s CPU incrementally; 1.62 s, 2.8 s CPU whole); on
# PostgreSQL the incremental refresh stayed the cheaper (1.45 s, 1.7 s CPU; whole 2.3 s,
# 2.8 s CPU). Small cycles keep the incremental path (cheap either way).
REWRITE_FROM_OBJECTIVES = 1000
REWRITE_FROM_SHARE: dict[str, float] = {"sqlite": 0.75}  # by database vendor

Progress = Callable[[str], None]
Places = dict[int, tuple[int, int]]  # objective id → (order, depth) in the alignment map


def live_limit() -> int:
    """Return the largest cycle (in key results) that refreshes while a page loads."""
    return int(getattr(settings, "OKRFLOW_INSIGHTS_LIVE_LIMIT", LIVE_LIMIT))


def _table(model: Any) -> str:
    return connection.ops.quote_name(model._meta.db_table)


class ObjectiveRow(NamedTuple):
    """An `ObjectiveSnapshot` row to write: its columns in the model's order (`write_rows`
    checks them against the model's fields, and so does a test)."""

    cycle_id: int
    objective_id: int
    unit_id: int | None
    status: str
    progress: float
    expected: float
    forecast: float | None
    outlook: str
    key_results: int
    forecast_sum: float
    has_parent: bool
    score: Decimal | None
    band: str
    success: bool
    map_depth: int
    map_order: int
    bucket: int
    kind: str
    company_level: bool
    personal: bool
    drafted_by_owner: bool
    agreed: bool
    fresh_key_results: int
    owner_kind: str
    owner_key: int | None
    owner_team: bool
    lines: list[Any] | None


class HeatRow(NamedTuple):
    """A `HeatSnapshot` row to write, its columns in the model's order."""

    objective_id: int
    cycle_id: int
    unit_id: int | None
    day: datetime.date
    progress_sum: float
    pace_sum: float
    known: int


class RiskRow(NamedTuple):
    """A `RiskSnapshot` row to write, its columns in the model's order."""

    cycle_id: int
    objective_id: int
    key_result_id: int | None
    owner_id: int | None
    owner_name: str
    kind: str
    severity: str
    code: str
    suggestion: str
    params: dict[str, Any]
    unit_id: int | None
    bucket: int
    rank: str


ROW_TYPES: dict[type[models.Model], type[tuple[Any, ...]]] = {
    ObjectiveSnapshot: ObjectiveRow,
    HeatSnapshot: HeatRow,
    RiskSnapshot: RiskRow,
}


def fingerprint(cycle: Cycle, day: datetime.date) -> str:
    """Describe everything a cycle's insights depend on, in one query.

    Append-only tables contribute their newest id; edited tables their count, summed versions
    and newest change; the audit trail catches every other change made through an action.

    The value history is append-only and never loses a row (its key result is protected from
    deletion while it has values; nothing deletes a value): its newest id moves with every
    change, so it is not counted (a scan of every value ever recorded: 550,000 rows, 45 ms or
    more of each refresh at 10,000 people).
    """
    from okrflow.checkins.models import CheckIn, KeyResultCheckIn

    objective, key_result = _table(Objective), _table(KeyResult)
    in_cycle = f"objective_id IN (SELECT id FROM {objective} WHERE cycle_id = %s)"
    kr_in_cycle = f"key_result_id IN (SELECT id FROM {key_result} WHERE {in_cycle})"
    # Each table is read once, for all the figures taken of it (a derived table of one row
    # each): the cycle's 90,000 key results at 10,000 people were scanned three times.
    parts = [
        f"SELECT MAX(id) FROM {_table(AuditEntry)}",
        f"SELECT COUNT(*), SUM(version), MAX(updated_at) FROM {objective} WHERE cycle_id = %s",
        f"SELECT COUNT(*), SUM(version), MAX(updated_at) FROM {key_result} WHERE {in_cycle}",
        f"SELECT MAX(id) FROM {_table(KeyResultValue)}",
        f"SELECT MAX(id) FROM {_table(TargetVersion)}",
        f"SELECT MAX(id), COUNT(*) FROM {_table(KeyResultCheckIn)}",
        f"SELECT MAX(updated_at), COUNT(*) FROM {_table(CheckIn)}",
        f"SELECT COUNT(*), MAX(id) FROM {_table(Alignment)}",
        f"SELECT COUNT(*), MAX(done_at) FROM {_table(Initiative)} WHERE {kr_in_cycle}",
        f"SELECT COUNT(*), MAX(id) FROM {_table(OrgUnit)}",
        f"SELECT COUNT(*) FROM {_table(Person)}",
        f"SELECT COUNT(*) FROM {_table(Project)}",
        f"SELECT MAX(id) FROM {_table(Organisation)}",
    ]
    sql = "SELECT * FROM " + ", ".join(f"({part}) AS part{n}" for n, part in enumerate(parts))
    params = [cycle.pk] * sum(part.count("%s") for part in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    described = [
        day.isoformat(),
        cycle.state,
        cycle.start_date.isoformat(),
        cycle.end_date.isoformat(),
        *(str(value) for value in row),
    ]
    return hashlib.sha256("|".join(described).encode()).hexdigest()


def is_current(cycle: Cycle, refresh: InsightRefresh | None, today: datetime.date) -> bool:
    """Tell whether stored figures are of the cycle's data as it is now, on this day."""
    return refresh is not None and refresh.fingerprint == fingerprint(
        cycle, status_day(cycle, today)
    )


def refresh_of_cycle(ids: list[int]) -> QuerySet[InsightRefresh]:
    """The stored refresh of a cycle (`ids[0]`): one a cycle."""
    return InsightRefresh.objects.filter(cycle_id=ids[0]).order_by("pk")[:1]


def stored_insights(cycle: Cycle, today: datetime.date | None = None) -> InsightRefresh | None:
    """Return the cycle's stored insights, refreshed first when the cycle is small and stale.

    None means a large cycle has never been computed: `okrflow refresh-insights` does that.
    """
    today = today or timezone.localdate()
    # Compiled once (`compiled_reads`): every insights page asks.
    found = rows_by_ids("stored refresh", refresh_of_cycle, InsightRefresh.objects.db, [cycle.pk])
    refresh = found[0] if found else None
    if refresh is not None and refresh.key_results > live_limit():
        return refresh
    if is_current(cycle, refresh, today):
        return refresh
    if refresh is None and cycle_key_results(cycle) > live_limit():
        return None
    return refresh_cycle(cycle, today, only_if_changed=True, from_page_load=True)


def cycle_key_results(cycle: Cycle) -> int:
    return KeyResult.objects.filter(
        objective__in=visible_objectives(None, cycle), is_archived=False
    ).count()


def refresh_cycle(
    cycle: Cycle,
    today: datetime.date | None = None,
    progress: Progress | None = None,
    *,
    only_if_changed: bool = False,
    incremental: bool = False,
    from_page_load: bool = False,
    processes: int = 1,
) -> InsightRefresh:
    """Compute and store a cycle's insights: status, forecast, heat map, map order, risks, totals.

    With `only_if_changed`, nothing is computed when the stored figures are of the same data and
    day, and nothing is written when another request stored them meanwhile. With `incremental`,
    only the objectives that audited changes touched since the last refresh are recomputed, when
    the day and the org chart are the same (else everything is, a chunk at a time). A refresh
    made `from_page_load` (a small cycle's, while someone waits for the page) never waits for
    other writers' open transactions: it keeps the stored audit mark instead. A refresh
    computes its chunks of objectives (the whole cycle's, or the changed ones') in up to
    `processes` worker processes (`rewrite_cycle`, `refresh_changed`): only
    `okrflow refresh-insights` asks for more than one, as pages and task workers must not fork.
    """
    say = progress or (lambda _message: None)
    started = time.perf_counter()
    today = today or timezone.localdate()
    day = insight_day(cycle, today)
    # Read before the data: changes after the mark are the next refresh's (read again then).
    # A refresh while a page loads never waits for other writers: it keeps the stored mark.
    settled = settled_audit_mark(wait=0.0 if from_page_load else None)
    mark = fingerprint(cycle, status_day(cycle, today))
    stored = InsightRefresh.objects.filter(cycle=cycle).first()
    # Without a settled mark (a writer still open), the stored one stays: the next refresh
    # reads again from there, recomputing a little more but missing nothing.
    audit_mark = settled if settled is not None else (stored.audit_mark if stored else None)
    if only_if_changed and stored is not None and stored.fingerprint == mark:
        return stored
    if incremental and stored is not None and not judged_before_the_end(cycle, stored, today):
        changed = changed_since(cycle, stored, day)
        if changed is not None and mostly_changed(stored.objectives, len(changed[0])):
            say(f"{len(changed[0])} of {stored.objectives} objectives changed: all recomputed")
        elif changed is not None:
            touched, people, recount = changed
            say(f"recomputing {len(touched)} changed objectives and {len(people)} people")
            try:
                return refresh_changed(
                    cycle, today, touched, people, mark, audit_mark, started, recount, processes
                )
            except rolling.NotStored:
                say("a child of a changed objective has no stored figures")
    say("measuring, forecasting and looking for risks")
    places = cycle_places(cycle)
    with transaction.atomic():
        refresh, _ = InsightRefresh.objects.select_for_update().get_or_create(
            cycle=cycle, defaults={"computed_on": day, "computed_at": timezone.now()}
        )
        if only_if_changed and refresh.fingerprint == mark:
            return refresh  # another request stored these figures while this one computed
        if not from_page_load:
            commit_without_waiting_for_disk()
        objectives, key_results = rewrite_cycle(cycle, today, places, say, processes)
        refresh.computed_on = day
        refresh.computed_at = timezone.now()
        refresh.fingerprint = mark
        refresh.audit_mark = audit_mark
        refresh.objectives = objectives
        refresh.key_results = key_results
        refresh.seconds = round(time.perf_counter() - started, 3)
        refresh.save()
    update_statistics([ObjectiveSnapshot, HeatSnapshot, RiskSnapshot, InsightTotal])
    refresh.recomputed = objectives  # type: ignore[attr-defined]
    return refresh


def mostly_changed(objectives: int, touched: int) -> bool:
    """Tell whether an incremental refresh would recompute most of a large cycle (`objectives`
    at the last refresh), which a whole rewrite does for less."""
    share = REWRITE_FROM_SHARE.get(connection.vendor)
    return (
        share is not None
        and objectives >= REWRITE_FROM_OBJECTIVES
        and touched >= share * objectives
    )


def rewrite_cycle(
    cycle: Cycle, today: datetime.date, places: Places, say: Progress, processes: int = 1
) -> tuple[int, int]:
    """Recompute every stored row of the cycle, its totals and everyone's check-in standings,
    a chunk of objectives at a time (call under the cycle's refresh lock). Return how many
    objectives and key results it stored.

    With `processes` over 1 (PostgreSQL, SQLite in WAL mode), the chunks are computed by as
    many worker processes reading this transaction's snapshot, and written here in the same order
    (`parallel_refresh`): the rows stored are the same. Everyone's check-in standings are the
    first task: a worker judges them while the others compute objectives (they were the serial
    tail). Computing reads no stored insights, so the workers not seeing the deletes below
    changes nothing."""
    chunks = list(objective_chunks(cycle))
    # Read (or created, on a database that has none yet) here: a worker's transaction is
    # read-only, and it would not see a row this transaction created.
    organisation = Organisation.current()

    def compute(index: int) -> Rows | list[CheckinStanding]:
        if index == STANDINGS:
            return standings.judge_everyone(cycle)
        chunk, ids = chunks[index]  # a worker inherits the list: only the index is sent
        return compute_rows(
            cycle, chunk, today, lambda _insights: places, ids=ids, organisation=organisation
        )

    tasks = [STANDINGS, *range(len(chunks))]
    with parallel_refresh.computed_in_workers(compute, tasks, processes) as computed:
        judged = next(computed)
        assert isinstance(judged, list)
        for model in (ObjectiveSnapshot, HeatSnapshot, RiskSnapshot):
            model.objects.filter(cycle=cycle).delete()
        objectives = key_results = 0
        tree = totals.Tree.load()
        sums: dict[totals.Key, totals.Figures] = defaultdict(Counter)
        for rows in computed:
            assert isinstance(rows, Rows)
            rows.write()
            # The totals from the rows just written, without reading them back.
            for key, figures in totals.spread(rows.contributions(), tree).items():
                sums[key].update(figures)
            objectives += len(rows.objectives)
            key_results += sum(row.key_results for row in rows.objectives)
    say("summing the totals")
    for key, figures in totals.spread(totals.owner_contributions(cycle), tree).items():
        sums[key].update(figures)
    totals.write_totals(cycle, sums)
    say("storing everyone's check-in standings")
    standings.store_standings(cycle, judged, tree)
    return objectives, key_results


STANDINGS = -1  # `rewrite_cycle`'s task of judging everyone's check-ins


def commit_without_waiting_for_disk() -> None:
    """Let PostgreSQL answer this transaction's commit before its log reaches the disk.

    A full refresh writes some 230,000 rows; waiting for their log to be flushed made its
    commit a large share of its time. The rows are derived data: a crash just after the commit
    can only lose the refresh itself (the previous figures stay, whole, and the next refresh
    computes these again), never leave a half-written cycle or touch other transactions.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def judged_before_the_end(cycle: Cycle, stored: InsightRefresh, today: datetime.date) -> bool:
    """Tell whether the stored statuses were judged while the cycle ran, and it has ended since
    (every status must then be judged again: `status_day`)."""
    return timezone.localdate(stored.computed_at) <= cycle.end_date < today


def newest_audit_id() -> int:
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


MARK_WAIT = (
    5.0  # seconds a refresh waits for open writers of audit rows (OKRFLOW_INSIGHTS_MARK_WAIT)
)


def settled_audit_mark(wait: float | None = None) -> int | None:
    """Return the newest audit id at or below which every audit row is committed or rolled
    back, so that what the refresh reads next includes every change up to it; None when a
    writer that may hold a lower id stays open longer than `wait` seconds (by default
    `MARK_WAIT`; 0 for a refresh made while a page loads, which must not keep it waiting
    behind a long import).

    On PostgreSQL ids come from a sequence when a row is inserted, and transactions commit in
    any order: the newest committed id can be above an id whose transaction is still open.
    Its change is invisible to this refresh, and the next incremental one, reading only the
    ids above the mark, would never see it. So after reading the newest id, the refresh waits
    (without blocking anyone) for the transactions writing audit rows at that moment to end:
    any id at or below the mark was taken by one of them or by one already over. A later
    writer takes a higher id. SQLite has one writer at a time, committing in id order.
    """
    newest = newest_audit_id()
    if connection.vendor != "postgresql":
        return newest
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT virtualtransaction FROM pg_locks WHERE relation = %s::regclass "
            "AND database = (SELECT oid FROM pg_database WHERE datname = current_database()) "
            "AND mode = 'RowExclusiveLock' AND granted AND pid <> pg_backend_pid()",
            [table],
        )
        open_writers = [row[0] for row in cursor.fetchall()]
        waited = 0.0
        limit = (
            float(getattr(settings, "OKRFLOW_INSIGHTS_MARK_WAIT", MARK_WAIT))
            if wait is None
            else wait
        )
        while open_writers:
            if waited >= limit:
                return None
            time.sleep(0.01)
            waited += 0.01
            # A transaction holds the lock on its own virtual id for as long as it runs.
            cursor.execute(
                "SELECT virtualxid FROM pg_locks WHERE locktype = 'virtualxid' "
                "AND virtualxid = ANY(%s)",
                [open_writers],
            )
            open_writers = [row[0] for row in cursor.fetchall()]
    return newest


AUDIT_CHUNK = 2000


def changed_since(
    cycle: Cycle, stored: InsightRefresh, day: datetime.date
) -> tuple[set[int], set[int], set[int]] | None:
    """Return the cycle's objectives, and the people, audited changes touched since the stored
    refresh, and those people whose check-in key results may have moved (`people_and_recount`).

    None when everything must be recomputed: another day (every pace and forecast moved), a
    refresh without an audit mark, a change to the org chart, a cycle or the settings. When
    objectives count their aligned children in their progress, the objectives above the touched
    ones (in any cycle) are touched too: they are rolled up again (`rolling`). A
    mark of 0 is a refresh of data no audited change had touched yet (`okrflow synth` writes
    none): only the entries since are read, as after any other mark.
    Reads the audit trail a chunk at a time, keeping only the ids it names (`Changes`).
    """
    from okrflow.insights.live_updates import (
        Changes,
        objectives_touched,
        people_and_recount,
        with_ancestors,
    )

    if stored.computed_on != day or stored.audit_mark is None:
        return None
    changes = Changes()
    # A check-in's data is never read (`Changes.add_values` finds its person by its id): after
    # 1,000 check-ins their lines are most of the trail's text, neither sent nor decoded.
    read = {
        name: Case(
            When(object_type="checkin", then=Value(None, output_field=JSONField())),
            default=F(name),
            output_field=JSONField(),
        )
        for name in ("before", "after")
    }
    trail = AuditEntry.objects.annotate(data_before=read["before"], data_after=read["after"])
    fields = ("id", "object_type", "object_id", "action", "data_before", "data_after")
    last = stored.audit_mark
    while True:
        # Their columns as tuples: 9,000 rows after 1,000 check-ins, no instance built.
        entries = list(trail.filter(id__gt=last).order_by("id").values_list(*fields)[:AUDIT_CHUNK])
        if not entries:
            break
        for _pk, kind, object_id, action, before, after in entries:
            changes.add_values(kind, object_id, action, before, after)
        if changes.whole_cycle:
            return None
        last = entries[-1][0]
    touched = objectives_touched(changes)
    if Organisation.current().include_children_in_progress:
        # A parent's progress rolls up from the objectives aligned below it, however deep
        # (from a nested cycle's too): each one above a touched objective moves with it.
        touched = with_ancestors(touched)
    people, recount = people_and_recount(changes)
    found: set[int] = set()
    for chunk in totals.chunked(sorted(touched), totals.CHUNK):
        found |= set(
            Objective.objects.filter(among("pk", chunk), cycle=cycle).values_list("pk", flat=True)
        )
    return found, people, recount


def refresh_changed(
    cycle: Cycle,
    today: datetime.date,
    touched: set[int],
    people: set[int],
    mark: str,
    audit_mark: int | None,
    started: float,
    recount: set[int] | None = None,
    processes: int = 1,
) -> InsightRefresh:
    """Recompute the touched objectives and people (a chunk at a time), record the refresh.
    `recount`: the people whose check-in key results are counted again (every one when None).
    With `processes` over 1 (PostgreSQL, SQLite in WAL mode), the chunks are computed by as
    many worker processes reading this transaction's snapshot (`parallel_refresh`), and written
    here in order."""
    ids = sorted(touched)
    chunks = [ids[start : start + totals.CHUNK] for start in range(0, len(ids), totals.CHUNK)]
    with transaction.atomic():
        refresh = InsightRefresh.objects.select_for_update().get(cycle=cycle)
        commit_without_waiting_for_disk()
        tree = totals.Tree.load()
        # The totals move once by the sum of every chunk's difference: each chunk's objectives
        # climb to the same units, whose rows would otherwise be read and rewritten per chunk.
        change = TotalsChange()
        # Rolled up once for all (bottom-up over the touched and their ancestors): a chunk's
        # parents must not count their children's figures of before.
        rolled = roll_up(cycle, touched, today)
        organisation = Organisation.current()
        # Where the map had them, read before any chunk is written: the same whichever chunk
        # (or worker process) computes an objective.
        places = places_before(cycle, ids)

        def compute(index: int) -> Rows:
            return changed_rows(cycle, chunks[index], today, rolled, organisation, places)

        # The standings' totals move with the objectives' (one pass over the totals rows). With
        # worker processes, they are judged here while the workers compute the objectives
        # (neither reads what the other writes); else after the objectives, whose memory is
        # then freed (judged first, a peak some 6 MB higher at 10,000 people).
        early = processes > 1
        with parallel_refresh.computed_in_workers(
            compute, range(len(chunks)), processes
        ) as computed:
            if early:
                standings.update_standings(cycle, people, tree, recount, change)
            written = iter(chunks)
            for rows in computed:
                rows.replace(cycle, set(next(written)), change)
                del rows  # freed before the next chunk is computed (in this process)
        if not early:
            standings.update_standings(cycle, people, tree, recount, change)
        change.apply(cycle, tree)
        refresh.computed_at = timezone.now()
        refresh.fingerprint = mark
        refresh.audit_mark = audit_mark
        whole = totals.read_totals(
            cycle, totals.Viewer(sees_all=True), [*tree.roots(), None], tree
        ).everything(tree)
        refresh.objectives = totals.count(whole, "objectives")
        refresh.key_results = totals.count(whole, "key_results")
        refresh.seconds = round(time.perf_counter() - started, 3)
        refresh.save()
    refresh.recomputed = len(ids)  # type: ignore[attr-defined]
    # The cycle's risks, from the same totals: `refresh-insights` counted the stored risk rows
    # again (80 ms of an incremental refresh at 10,000 people).
    refresh.risks = sum(totals.risk_counts(whole).values())  # type: ignore[attr-defined]
    return refresh


def objective_chunks(cycle: Cycle) -> Iterator[tuple[QuerySet[Objective], list[int] | None]]:
    """Yield the cycle's live objectives a chunk at a time, with their ids (all at once, without
    a list of ids, when progress rolls up from aligned children: a parent must be measured with
    its children).

    The ids let each chunk's key results and their history be selected by listed ids: by a
    subquery on the chunk's filter instead, PostgreSQL scanned all the cycle's key results (and
    values) for every chunk, some 0.35 s a chunk at 10,000 people.
    """
    live = visible_objectives(None, cycle)
    if Organisation.current().include_children_in_progress:
        yield live, None
        return
    last = 0
    while True:
        ids = list(
            live.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[: totals.CHUNK]
        )
        if not ids:
            return
        yield live.filter(pk__in=ids), ids
        last = ids[-1]


def cycle_places(cycle: Cycle) -> Places:
    """Place every live objective of the cycle in the alignment map from ids alone (as
    `boards.build_alignment_map` does with loaded objectives): parents first, children below."""
    order = list(visible_objectives(None, cycle).values_list("pk", flat=True))
    known = set(order)
    first_parent: dict[int, int] = {}
    for child_id, parent_id in (
        Alignment.objects.filter(child__cycle=cycle)
        .order_by("-is_primary", "id")
        .values_list("child_id", "parent_id")
        .iterator()
    ):
        if child_id in known and parent_id in known and child_id not in first_parent:
            first_parent[child_id] = parent_id
    children: dict[int, list[int]] = defaultdict(list)
    roots = []
    for pk in order:
        if pk in first_parent:
            children[first_parent[pk]].append(pk)
        else:
            roots.append(pk)
    places: Places = {}
    stack = [(pk, 0) for pk in reversed(roots)]
    while stack:
        pk, depth = stack.pop()
        if pk in places:
            continue
        places[pk] = (len(places), depth)
        stack.extend((child, depth + 1) for child in reversed(children[pk]))
    return places


@dataclass
class TotalsChange:
    """Objectives' old and new contributions to the totals, summed per unit and bucket."""

    before: dict[totals.Key, totals.Figures] = field(default_factory=lambda: defaultdict(Counter))
    after: dict[totals.Key, totals.Figures] = field(default_factory=lambda: defaultdict(Counter))

    def add(
        self,
        before: Iterable[tuple[int | None, int, totals.Figures]],
        after: Iterable[tuple[int | None, int, totals.Figures]],
    ) -> None:
        for sums, items in ((self.before, before), (self.after, after)):
            for unit_id, bucket, figures in items:
                sums[(unit_id, bucket)].update(figures)

    def apply(self, cycle: Cycle, tree: totals.Tree | None = None) -> None:
        """Move the totals by the difference (under the cycle's refresh lock)."""
        totals.apply_change(
            cycle,
            [(unit_id, bucket, figures) for (unit_id, bucket), figures in self.before.items()],
            [(unit_id, bucket, figures) for (unit_id, bucket), figures in self.after.items()],
            tree,
        )


@dataclass
class Rows:
    """The stored rows of some objectives of a cycle, computed and not yet written."""

    objectives: list[ObjectiveRow]
    cells: list[HeatRow]
    risks: list[RiskRow]

    def write(self) -> None:
        write_rows(ObjectiveSnapshot, self.objectives)
        write_rows(HeatSnapshot, self.cells)
        write_rows(RiskSnapshot, self.risks)

    def replace(
        self, cycle: Cycle, objective_ids: set[int], change: TotalsChange | None = None
    ) -> None:
        """Put these rows in place of the given objectives' stored ones, and move the totals
        by the difference (under the cycle's refresh lock; later, when `change` gathers it)."""
        pending = change or TotalsChange()
        stored = totals.StoredRows.read(cycle, objective_ids)
        pending.add(stored.contributions(), self.contributions())
        # Their owners' histogram moves too: an owner's other objectives count in it, so their
        # counts are read once, and the counts after come from the rows (old out, new in).
        old = list(totals.owned_rows(stored.objectives))
        new = list(totals.owned_rows(self.owner_fields()))
        counts = totals.owner_counts(cycle, {group[:2] for group, _bucket in old + new})
        pending.add(
            totals.owner_figures(counts),
            totals.owner_figures(totals.moved_counts(counts, old, new)),
        )
        # A heat-map cell is a day's sums: most of a changed objective's days keep theirs
        # (after 1,000 check-ins of this week, every one of the 12,000 cells of the 2,000
        # objectives did). Those rows stay; only the others are deleted and written.
        stale, fresh = changed_cells(stored, self.cells)
        for piece in pieces(stale, totals.CHUNK):
            HeatSnapshot.objects.filter(among("pk", piece)).delete()
        for model in (ObjectiveSnapshot, RiskSnapshot):
            model.objects.filter(among("objective_id", objective_ids), cycle=cycle).delete()
        write_rows(ObjectiveSnapshot, self.objectives)
        write_rows(HeatSnapshot, fresh)
        write_rows(RiskSnapshot, self.risks)
        if change is None:
            pending.apply(cycle)

    def owner_fields(self) -> Iterator[dict[str, Any]]:
        """These rows' fields that `totals.owned_rows` reads."""
        for row in self.objectives:
            yield {
                "unit_id": row.unit_id,
                "bucket": row.bucket,
                "owner_kind": row.owner_kind,
                "owner_key": row.owner_key,
                "owner_team": row.owner_team,
            }

    def contributions(self) -> Iterator[tuple[int | None, int, totals.Figures]]:
        """Yield what these rows add to the totals, as `totals.contributions` reads them back."""
        return totals.contributions_of(
            (
                {name: getattr(row, name) for name in totals.OBJECTIVE_FIELDS}
                for row in self.objectives
            ),
            (
                (cell.objective_id, cell.day, cell.progress_sum, cell.pace_sum, cell.known)
                for cell in self.cells
            ),
            ((risk.objective_id, risk.kind, risk.severity) for risk in self.risks),
        )


def changed_cells(
    stored: totals.StoredRows, cells: list[HeatRow]
) -> tuple[list[int], list[HeatRow]]:
    """Compare the cells computed for some objectives with their stored ones (`stored`, of
    the same objectives and cycle): return the ids of the stored rows that no computed cell
    equals, and the computed cells that no stored row equals. Equal means every column the
    same, each float to the bit (a zero's sign too), so the rows kept are the bytes a rewrite
    would store."""
    kept: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for pk, unit_id, (objective_id, day, progress, pace, known) in zip(
        stored.cell_ids, stored.cell_units, stored.cells, strict=True
    ):
        kept[(objective_id, unit_id, day, exactly(progress), exactly(pace), known)].append(pk)
    fresh = []
    for cell in cells:
        key = (
            cell.objective_id,
            cell.unit_id,
            cell.day,
            exactly(cell.progress_sum),
            exactly(cell.pace_sum),
            cell.known,
        )
        same = kept.get(key)
        if same:
            same.pop()
        else:
            fresh.append(cell)
    return sorted(pk for ids in kept.values() for pk in ids), fresh


def exactly(value: float) -> Any:
    """A float as a key equal only to the same float: 0.0 and -0.0 are equal floats, stored
    differently."""
    return value if value else (value, math.copysign(1.0, value))


def write_rows(model: type[models.Model], rows: list[Any]) -> None:
    """Store new derived rows (tuples of the model's `ROW_TYPES`): by COPY on PostgreSQL,
    without their ids (nothing reads them back), else by multi-row inserts. A full refresh
    writes some 230,000 at 10,000 people."""
    write_tuples(model, ROW_TYPES[model]._fields, rows, BATCH, COPY_BATCH)  # type: ignore[attr-defined]


def compute_rows(
    cycle: Cycle,
    queryset: QuerySet[Objective],
    today: datetime.date,
    places: Callable[[CycleInsights], Places],
    rolled: dict[int, rolling.Rolled] | None = None,
    ids: list[int] | None = None,
    organisation: Organisation | None = None,
) -> Rows:
    """Measure, forecast and judge the objectives, and turn the result into rows to store.

    With `rolled` (where children count in progress, a few objectives of the cycle), each is
    measured by its own key results, then given its rolled-up progress and status from it.
    Pass `ids` (the queryset's objectives, a chunk of them, when known) to select what they
    need, their key results and history, by id (`collect_insights`). Pass `organisation` where
    it must not be read here (a worker process of the full refresh cannot create its row).
    """
    organisation = organisation or Organisation.current()
    if rolled is None:
        insights = collect_insights(cycle, queryset, today, organisation, ids, stored_rows=True)
    else:
        alone = rolling.own_measures(organisation)
        insights = collect_insights(cycle, queryset, today, alone, ids, stored_rows=True)
        rolling.apply((oi.report for oi in insights.objectives), rolled, organisation)
    facts = ObjectiveFacts.load(insights)
    objectives, cells = objective_rows(insights, places(insights), facts)
    return Rows(objectives, cells, risk_rows(cycle, find_risks(insights), facts))


@dataclass
class ObjectiveFacts:
    """What the stored totals count of each objective beyond its measures, in two queries."""

    company_units: set[int]
    creators: dict[int, int | None]  # objective id → who created it (the newest such entry)
    owner_users: dict[int, int | None]  # objective id → its owner person's user
    buckets: dict[int, int]
    units: dict[int, int | None]
    owners: dict[int, tuple[str, int | None, bool]]  # objective id → owner kind, id, team

    @classmethod
    def load(cls, insights: CycleInsights) -> ObjectiveFacts:
        ids = [oi.objective.pk for oi in insights.objectives]
        creators: dict[int, int | None] = {}
        for object_id, actor_id in (
            AuditEntry.objects.filter(
                among("object_id", ids), action="create_objective", object_type="objective"
            )
            .order_by("object_id", "at", "id")
            .values_list("object_id", "actor_id")
        ):
            creators[object_id] = actor_id  # the newest wins, as the commitment panel read it
        return cls(
            company_units=set(OrgUnit.objects.filter(depth=0).values_list("pk", flat=True)),
            creators=creators,
            owner_users={
                oi.objective.pk: oi.objective.owner_person.user_id
                if oi.objective.owner_person is not None
                else None
                for oi in insights.objectives
            },
            buckets={
                oi.objective.pk: bucket_of(oi.objective.is_private, oi.objective.owner_project_id)
                for oi in insights.objectives
            },
            units={oi.objective.pk: oi.unit_id for oi in insights.objectives},
            owners={oi.objective.pk: owner_of(oi.objective) for oi in insights.objectives},
        )

    def drafted_by_owner(self, objective: Objective) -> bool:
        owner = self.owner_users.get(objective.pk)
        return owner is not None and self.creators.get(objective.pk) == owner


def owner_of(objective: Objective) -> tuple[str, int | None, bool]:
    """Return who owns an objective for F.A.C.T.S. Focus: (kind, id, a team unit), as
    `facts.focus_panel` counts owners (a person first, then a unit, then a project)."""
    if objective.owner_person_id:
        return OwnerKind.PERSON.value, objective.owner_person_id, False
    if objective.owner_unit_id:
        unit = objective.owner_unit
        return (
            OwnerKind.UNIT.value,
            objective.owner_unit_id,
            unit is not None and is_team(unit.depth),
        )
    if objective.owner_project_id:
        return OwnerKind.PROJECT.value, objective.owner_project_id, False
    return "", None, False


def map_places(insights: CycleInsights) -> Places:
    """Place every objective in the alignment map: parents first, children below."""
    return {
        row.insight.objective.pk: (order, row.depth)
        for order, row in enumerate(build_alignment_map(insights))
    }


def update_statistics(models: list[Any]) -> None:
    """Tell PostgreSQL's planner how many rows the tables just rewritten hold.

    Without it, the first dashboards after a large refresh may be planned for the old, empty
    tables (a nested loop over 100,000 rows: tens of seconds instead of tens of milliseconds)
    until autovacuum gets round to them.
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(_table(model) for model in models))


def refresh_objectives(
    cycle: Cycle,
    objective_ids: set[int],
    today: datetime.date | None = None,
    people: set[int] | None = None,
) -> None:
    """Recompute the stored insights of a few objectives right after they changed.

    Large cycles use this so that a check-in shows on the dashboards at once, without waiting
    for the next `okrflow refresh-insights`. The cycle's fingerprint and audit mark are left as
    they were, so that run still includes the change (its alignment map order, the day's pace).

    When objectives count their aligned children in their progress, `objective_ids` must hold
    every objective above the changed ones (`live_updates.with_ancestors`): each is rolled up
    again from its own key results and its children's stored or just computed figures
    (`rolling`); the whole cycle only when a child has no stored figures yet.
    """
    if not InsightRefresh.objects.filter(cycle=cycle).exists():
        return  # nothing stored yet: the first full refresh computes everything
    today = today or timezone.localdate()
    try:
        with transaction.atomic():
            # A full refresh rewriting the cycle holds this row: do not make the person who just
            # checked in wait for it; that refresh or the next one brings the change in.
            InsightRefresh.objects.select_for_update(nowait=True).filter(cycle=cycle).first()
            if objective_ids:
                try:
                    # Nothing is written before the figures are all rolled up.
                    rolled = roll_up(cycle, objective_ids, today)
                    replace_objectives(cycle, objective_ids, today, rolled=rolled)
                except rolling.NotStored:
                    # Everyone's standings are judged again with the rows: `people` among them.
                    rewrite_cycle(cycle, today, cycle_places(cycle), lambda _message: None)
                    return
            if people:
                standings.update_standings(cycle, people)
    except DatabaseError:
        logger.info("Cycle %s is being refreshed; its next refresh includes this change.", cycle)


def replace_objectives(
    cycle: Cycle,
    objective_ids: set[int],
    today: datetime.date,
    change: TotalsChange | None = None,
    rolled: dict[int, rolling.Rolled] | None = None,
) -> None:
    """Recompute some objectives' rows and move the totals by the difference (under the lock;
    later, when `change` gathers the differences of several calls). Where children count in
    progress, `rolled` holds the objectives' rolled-up figures (`roll_up`)."""
    rows = changed_rows(cycle, sorted(objective_ids), today, rolled)
    rows.replace(cycle, objective_ids, change)


def changed_rows(
    cycle: Cycle,
    ids: list[int],
    today: datetime.date,
    rolled: dict[int, rolling.Rolled] | None = None,
    organisation: Organisation | None = None,
    places: Places | None = None,
) -> Rows:
    """Compute the rows of some objectives of the cycle (their ids, sorted), reading only:
    placed by `places` when given (`places_before`), else as the stored rows place them."""
    queryset = visible_objectives(None, cycle).filter(among("pk", ids))
    # Their history by the listed key results' ids: selected by a subquery of the objectives,
    # PostgreSQL probed that subquery once per check-in line of the cycle (1 to 3 s of a
    # refresh after 1,000 check-ins). The ids given, not the live ones among them (a query
    # more): an archived or moved objective's related rows are loaded with the others' and
    # never read, as only the queryset's objectives are measured; its stored rows drop out.
    return compute_rows(
        cycle,
        queryset,
        today,
        (lambda _insights: places) if places is not None else lambda found: placed(cycle, found),
        rolled,
        ids,
        organisation,
    )


def roll_up(
    cycle: Cycle, objective_ids: set[int], today: datetime.date
) -> dict[int, rolling.Rolled] | None:
    """Return the objectives' rolled-up figures when children count in progress (else None):
    from their own key results and their children's stored or just computed figures. Raise
    `rolling.NotStored` when a child has none stored."""
    organisation = Organisation.current()
    if not organisation.include_children_in_progress:
        return None
    return rolling.rolled_up(cycle, objective_ids, status_day(cycle, today), organisation)


def placed(cycle: Cycle, insights: CycleInsights) -> Places:
    """Keep stored objectives where the map had them; put new ones under their parent."""
    ids = [oi.objective.pk for oi in insights.objectives]
    parents = {oi.objective.pk: oi.parent_ids[:1] for oi in insights.objectives}
    wanted = set(ids) | {pid for first in parents.values() for pid in first}
    stored: Places = {
        pk: (order, depth)
        for pk, order, depth in ObjectiveSnapshot.objects.filter(
            among("objective_id", wanted), cycle=cycle
        ).values_list("objective_id", "map_order", "map_depth")
    }
    places: Places = {}
    for pk in ids:
        if pk in stored:
            places[pk] = stored[pk]
        elif parents[pk] and parents[pk][0] in stored:
            order, depth = stored[parents[pk][0]]
            places[pk] = (order, depth + 1)
    return places


def places_before(cycle: Cycle, ids: list[int]) -> Places:
    """Place the objectives `ids` as `placed` would, from ids alone and whichever chunk (or
    worker process) computes each: a stored one where the map had it, a new one below its
    first parent (as `collect_insights` orders the links) once that parent is placed, stored
    or new. Two queries per piece of ids."""
    first_parent: dict[int, int] = {}
    for piece in pieces(ids):
        for child_id, parent_id in (
            Alignment.objects.filter(among("child_id", piece))
            .order_by("-is_primary", "id")
            .values_list("child_id", "parent_id")
        ):
            first_parent.setdefault(child_id, parent_id)
    known: Places = {}  # the stored places of the objectives and of their first parents
    for piece in pieces(set(ids) | set(first_parent.values())):
        known.update(
            (pk, (order, depth))
            for pk, order, depth in ObjectiveSnapshot.objects.filter(
                among("objective_id", piece), cycle=cycle
            ).values_list("objective_id", "map_order", "map_depth")
        )
    places: Places = {pk: known[pk] for pk in ids if pk in known}
    waiting = [pk for pk in ids if pk not in known]
    while waiting:  # a new objective below a new one: placed once its parent is
        later = []
        for pk in waiting:
            parent = known.get(first_parent.get(pk, 0))
            if parent is None:
                later.append(pk)
            else:
                known[pk] = places[pk] = (parent[0], parent[1] + 1)
        if len(later) == len(waiting):
            break  # the others hang below nothing placed
        waiting = later
    return places


def clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def objective_rows(
    insights: CycleInsights, places: Places, facts: ObjectiveFacts | None = None
) -> tuple[list[ObjectiveRow], list[HeatRow]]:
    """Turn collected insights into one snapshot row per objective and its heat map cells."""
    cycle = insights.cycle
    cycle_id = cycle.pk
    facts = facts or ObjectiveFacts.load(insights)
    days = checkin_days(cycle, insights.on)
    week_ago = insights.on - datetime.timedelta(days=7)
    objectives: list[ObjectiveRow] = []
    cells: list[HeatRow] = []
    active = ObjectiveState.ACTIVE
    for oi in insights.objectives:
        objective = oi.objective
        pk = objective.pk
        report = oi.report
        key_results = oi.key_results
        order, depth = places.get(pk, (UNPLACED, 0))
        owner_kind, owner_key, owner_team = facts.owners[pk]
        forecasts = [
            clamp(kri.forecast.expected if kri.forecast else kri.report.progress)
            for kri in key_results
        ]
        score, band, success = grading.preview_grade(
            objective.kind, [(kr_progress(kri), kri.key_result.weight) for kri in key_results]
        )
        unit_id = oi.unit_id
        objectives.append(
            ObjectiveRow(
                cycle_id=cycle_id,
                objective_id=pk,
                unit_id=unit_id,
                status=str(report.status.value),
                progress=float(report.progress),
                expected=float(report.expected),
                forecast=oi.forecast,
                outlook=oi.outlook,
                key_results=len(key_results),
                forecast_sum=sum(forecasts),
                has_parent=bool(oi.parent_ids),
                score=score,
                band=band.value,
                success=success,
                map_depth=depth,
                map_order=order,
                bucket=facts.buckets[pk],
                kind=objective.kind,
                company_level=objective.owner_unit_id in facts.company_units,
                personal=objective.owner_person_id is not None,
                drafted_by_owner=facts.drafted_by_owner(objective),
                agreed=objective.state == active,
                fresh_key_results=sum(
                    1 for kri in key_results if kri.values and kri.values[-1][0] > week_ago
                ),
                owner_kind=owner_kind,
                owner_key=owner_key,
                owner_team=owner_team,
                lines=key_result_lines(oi),
            )
        )
        by_day = [(progress_by_day(kri, days), kri) for kri in key_results]
        for index, day in enumerate(days):
            # Summed in the key results' order, as `sum` of the known ones would.
            progress_sum: float = 0
            pace_sum: float = 0
            known = 0
            for found, kri in by_day:
                progress = found[index]
                if progress is not None:
                    progress_sum += progress
                    pace_sum += kri.pace_on(day)
                    known += 1
            if known:
                cells.append(
                    HeatRow(
                        objective_id=pk,
                        cycle_id=cycle_id,
                        unit_id=unit_id,
                        day=day,
                        progress_sum=progress_sum,
                        pace_sum=pace_sum,
                        known=known,
                    )
                )
    return objectives, cells


def kr_progress(kri: Any) -> float:
    """Return the progress `grading.grade_key_result` scores a key result by: its report's
    (measured from the same figures), measured again only where the figures differ."""
    if kri.figures is kri.report.figures:
        return float(kri.report.progress)
    return engine_progress.key_result_progress(kri.figures)


def progress_by_day(kri: Any, days: list[datetime.date]) -> list[float | None]:
    """Return `boards.progress_on` of each day (sorted), walking the values once."""
    points = kri.progress_points
    found: list[float | None] = []
    latest: float | None = None
    index = 0
    for day in days:
        while index < len(points) and points[index][0] <= day:
            latest = points[index][1]
            index += 1
        found.append(None if latest is None else min(1.0, max(0.0, latest)))
    return found


def risk_rows(
    cycle: Cycle, items: list[RiskItem], facts: ObjectiveFacts | None = None
) -> list[RiskRow]:
    """Store each risk with the figures its evidence is worded from."""
    buckets = facts.buckets if facts else {}
    units = facts.units if facts else {}
    rows = []
    for item in items:
        risk = item.risk
        objective_id = risk.objective_id
        rows.append(
            RiskRow(
                cycle_id=cycle.pk,
                objective_id=objective_id,
                key_result_id=risk.key_result_id,
                owner_id=risk.owner_id,
                owner_name=item.owner_name[:200],
                kind=risk.kind.value,
                severity=risk.severity.value,
                code=risk.code,
                suggestion=risk.suggestion,
                params={key: to_json_value(value) for key, value in risk.params.items()},
                unit_id=units.get(objective_id),
                bucket=buckets.get(objective_id, 0),
                rank=rank_of(item),
            )
        )
    return rows


def rank_of(item: RiskItem) -> str:
    """Spell a risk's sort key as text that sorts like it, so that rows sort without renumbering."""
    severity, kind, objective_id, key_result_id = item.risk.sort_key()
    return f"{severity}{kind}{objective_id:014d}{key_result_id:014d}"
