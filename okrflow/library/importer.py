"""Create a previewed file's OKRs, all or nothing, through the objective and KR actions."""

from __future__ import annotations

import contextlib
import datetime
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.utils.translation import gettext as _

from okrflow.audit.log import JSON_READY, columns_of, created_entries, snapshot, to_json_value
from okrflow.audit.models import AuditEntry
from okrflow.audit.signals import announce
from okrflow.cycles.models import Cycle
from okrflow.insights.live_updates import rolled_back_entries
from okrflow.library.bulk_insert import insert, insert_rows
from okrflow.library.plans import Problem
from okrflow.library.preview import ImportPreview, StagedKeyResult, compact
from okrflow.okrs.actions.common import require_edit, require_open_cycle
from okrflow.okrs.actions.initiatives import create_initiative
from okrflow.okrs.actions.key_results import (
    build_key_result,
    check_key_result_count,
    create_key_result,
    first_value,
    update_key_result,
)
from okrflow.okrs.actions.objectives import (
    align_objective,
    build_objective,
    check_alignment,
    check_owner_objectives,
    live_objective_counts,
    resolve_tags,
)
from okrflow.okrs.actions.shapes import insert_staged_parts, stage_compound
from okrflow.okrs.models import Alignment, Initiative, KeyResult, KeyResultValue, Objective
from okrflow.org.access import access_for
from okrflow.org.actions import create_project
from okrflow.org.models import Organisation
from okrflow.planner_statistics import gather_statistics

# Rows per INSERT statement: large enough that a statement's cost is spread over many rows,
# small enough that no statement's text grows with the file (SQLite caps it further).
BATCH = 1000


class ImportFailed(Exception):
    """The import stopped; nothing was saved. `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class ImportResult:
    objectives: list[Objective]
    key_results: int
    warnings: list[str] = field(default_factory=list)
    alignments: int = 0
    initiatives: int = 0
    projects: int = 0
    updated: int = 0
    skipped: int = 0


def error_messages(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, PermissionDenied):
        return [str(error) or _("You do not have permission to do this.")]
    if hasattr(error, "message_dict"):
        return [m for messages in error.message_dict.values() for m in messages]
    return list(error.messages)


@dataclass
class Staged:
    """A file's objectives and key results, checked and built but not yet written."""

    objectives: list[Objective] = field(default_factory=list)
    key_results: list[list[StagedKeyResult]] = field(default_factory=list)


# Where a key result's id, objective, position, title, owner, due date and current value stand
# among its column values (a staged key result's, in column order).
KR_COLUMNS = [f.attname for f in KeyResult._meta.concrete_fields]
ID_AT, OBJECTIVE_AT, POSITION_AT, TITLE_AT, OWNER_AT, DUE_AT, CURRENT_AT = (
    KR_COLUMNS.index(name)
    for name in (
        "id",
        "objective_id",
        "position",
        "title",
        "owner_id",
        "due_date",
        "current_value",
    )
)


def saved_key_result(row: list[Any], parts: list[Any]) -> KeyResult:
    """The written key result of `row` (its id set), holding its staged `parts`: what
    `insert_staged_parts` reads. Made only for a compound key result."""
    kr = KeyResult(*row)
    kr._state.adding = False
    kr._state.db = router.db_for_write(KeyResult)
    kr.staged_parts = parts  # type: ignore[attr-defined]
    return kr


def row_snapshot(
    model: type[Any], row: Sequence[Any], known: dict[Any, Any] | None = None
) -> dict[str, Any]:
    """`snapshot(instance)` of an instance holding `row` (its column values in column order).

    `known` keeps the JSON values of the other values (decimals, dates) met so
    far: a file's key results repeat the same few figures and dates. A decimal is known by
    its text (1.5 and 1.50 are equal, but their JSON values differ)."""
    if known is None:
        known = {}
    data = {}
    for (name, _attname), value in zip(columns_of(model), row, strict=True):
        kind = type(value)
        if kind in JSON_READY:
            data[name] = value
            continue
        if kind is Decimal:
            key: Any = (kind, str(value))
        elif kind is datetime.date:
            key = (kind, value)
        else:  # a time stamp's JSON value depends on its time zone too: not kept
            data[name] = to_json_value(value)
            continue
        found = known.get(key, known)
        if found is known:
            found = known[key] = to_json_value(value)
        data[name] = found
    return data


class Place:
    """Where in the file the import is, so that a refusal points at the row that caused it."""

    def __init__(self) -> None:
        self.line: int | None = None
        self.where = ""

    def at(self, plan: Any) -> None:
        self.line, self.where = plan.line or None, plan.where


def stage(actor: Any, preview: ImportPreview, place: Place) -> Staged:
    """Run every check of the objective and key-result actions on the whole file, writing nothing.

    The key results come checked from the preview, which ran `build_key_result` on each of them
    (the file is validated once); an objective whose key results were not checked there, or
    were checked for another owner, has them checked here. This runs before the write
    transaction, so that on SQLite other writers are not kept waiting while a file is checked.
    """
    access = access_for(actor) if actor is not None else None
    staged = Staged()
    for plan in preview.creating:
        place.at(plan)
        objective = build_objective(
            access,
            cycle=preview.cycle,
            title=plan.title,
            owner=plan.owner,
            kind=plan.kind,
            description=plan.description,
            is_private=plan.is_private,
            state=plan.state,
        )
        staged.objectives.append(objective)
        kept = [kr.checked for kr in plan.key_results]
        if plan.owner is plan.checked_for and all(checked is not None for checked in kept):
            # The preview ran `build_key_result` on each of them for this owner (as the system):
            # what depends on who imports is checked here, once for the objective.
            if plan.key_results:
                place.at(plan.key_results[0])
                require_edit(actor, objective)
            staged.key_results.append(kept)
            continue
        built = []
        for kr in plan.key_results:
            place.at(kr)
            checked = build_key_result(actor, objective, **kr.action_fields())
            built.append(compact(stage_compound(checked, kr.parts)))
        staged.key_results.append(built)
    return staged


def write_staged(actor: Any, preview: ImportPreview, staged: Staged, place: Place) -> list[str]:
    """Write a staged file in bulk, with an audit row for every created row; return warnings.

    Runs inside the import's transaction: the checks that depend on what others may have
    written meanwhile (the cycle still open, the focus limits) run again here.
    """
    require_open_cycle(Cycle.objects.get(pk=preview.cycle.pk))
    first_position = Objective.objects.filter(cycle=preview.cycle).count()
    for index, objective in enumerate(staged.objectives):
        objective.position = first_position + index
    insert(Objective, staged.objectives, large=True)
    tags: dict[str, Any] = {}  # as written in the file → the Tag (None for a blank name)
    tag_names: dict[int, list[str]] = {}
    links = []
    for plan, objective in zip(preview.creating, staged.objectives, strict=True):
        place.at(plan)
        for name in plan.tags or []:
            if name not in tags:
                tags[name] = next(iter(resolve_tags([name])), None)
        chosen = {tags[name] for name in plan.tags or [] if tags[name] is not None}
        tag_names[objective.pk] = sorted(tag.name for tag in chosen)
        links += [Objective.tags.through(objective=objective, tag=tag) for tag in chosen]
    Objective.tags.through.objects.bulk_create(links, batch_size=BATCH)
    del links
    record_many(
        actor,
        (
            (
                "create_objective",
                objective,
                snapshot(objective) | {"tags": tag_names[objective.pk]},
                objective.title,
            )
            for objective in staged.objectives
        ),
    )
    del tag_names
    # The key results are written from their staged values (no model instance is made for
    # them), and audited, about a batch at a time.
    initiatives: list[Initiative] = []
    batch: list[tuple[list[Any], list[Any] | None, list[str]]] = []
    for plan, objective, built in zip(
        preview.creating, staged.objectives, staged.key_results, strict=True
    ):
        for position, (kr_plan, (values, parts)) in enumerate(
            zip(plan.key_results, built, strict=True)
        ):
            row = list(values)
            row[OBJECTIVE_AT], row[POSITION_AT] = objective.pk, position
            batch.append((row, parts, kr_plan.initiatives))
        if len(batch) >= BATCH:
            initiatives += write_key_results(actor, batch)
            batch = []
    initiatives += write_key_results(actor, batch)
    del batch
    insert(Initiative, initiatives, large=True)
    record_many(actor, (("create_initiative", i, snapshot(i), i.title) for i in initiatives))
    del initiatives
    # The focus rules, on the final counts (the actions warn after each row; only the final
    # count matters): the same checks, warnings and, when enforced, refusals.
    # A refusal points at the owner's last objective and the objective's last key result.
    organisation = Organisation.current()
    last_of_owner: dict[tuple[Any, ...], tuple[Any, Objective]] = {}
    count_warnings: list[str] = []
    # The objectives are new: their live key results are the ones just written for them.
    for plan, objective, built in zip(
        preview.creating, staged.objectives, staged.key_results, strict=True
    ):
        last_of_owner[owner_key(objective)] = (plan, objective)
        if plan.key_results:
            place.at(plan.key_results[-1])
            count_warnings += check_key_result_count(objective, organisation, len(built))
    warnings = []
    counts = live_objective_counts(preview.cycle.pk)
    for plan, objective in last_of_owner.values():
        place.at(plan)
        count = counts.get(owner_key(objective), 0)
        warnings += check_owner_objectives(objective, organisation, count)
    return warnings + count_warnings


def write_key_results(
    actor: Any, batch: list[tuple[list[Any], list[Any] | None, list[str]]]
) -> list[Initiative]:
    """Insert new key results from their column values (`(row, staged parts, initiative
    titles)`), their staged parts and first values, with an audit row each; return their
    initiatives, unsaved."""
    if not batch:
        return []
    rows = [row for row, _, _ in batch]
    insert_rows(KeyResult, rows)
    compound = [saved_key_result(row, parts) for row, parts, _ in batch if parts is not None]
    if compound:
        insert_staged_parts(compound)
    insert_rows(
        KeyResultValue,
        first_values(actor, [(row[ID_AT], row[CURRENT_AT]) for row in rows]),
        ids=False,
    )
    known: dict[Any, Any] = {}  # the batch's JSON values, each worked out once
    record_rows(
        actor,
        "create_key_result",
        KeyResult,
        ((row[ID_AT], row_snapshot(KeyResult, row, known), row[TITLE_AT]) for row in rows),
    )
    return [
        Initiative(
            key_result_id=row[ID_AT],
            title=title[:300],
            owner_id=row[OWNER_AT],
            due_date=row[DUE_AT],
        )
        for row, _, titles in batch
        for title in titles
    ]


def first_values(actor: Any, key_results: list[tuple[int, Any]]) -> list[list[Any]]:
    """The column values (id None) of `first_value(actor, kr)` for each saved key result
    `(id, current value)` that has a current value: the first one's values with each one's
    key result and value, the day read once (`first_value` reads it for each, and a file has
    75,000 first values). A test compares every column."""
    with_value = [(pk, value) for pk, value in key_results if value is not None]
    if not with_value:
        return []
    names = [column.attname for column in KeyResultValue._meta.concrete_fields]
    template = first_value(actor, KeyResult(pk=with_value[0][0], current_value=with_value[0][1]))
    row = [getattr(template, name) for name in names]
    key_result_at, value_at = names.index("key_result_id"), names.index("value")
    made = []
    for pk, value in with_value:
        row[key_result_at], row[value_at] = pk, value
        made.append(list(row))
    return made


def owner_key(objective: Objective) -> tuple[Any, Any, Any]:
    return (objective.owner_person_id, objective.owner_unit_id, objective.owner_project_id)


def record_many(actor: Any, changes: Iterable[tuple[str, Any, dict[str, Any], str]]) -> None:
    """Write the audit rows of created objects in bulk (what `record_change` writes), a batch
    at a time: the rows of a large file are never all built at once.

    Bulk inserts send no signals: the live insight updates hear of each row here instead.
    """
    changes = iter(changes)
    while batch := list(itertools.islice(changes, BATCH)):
        announce(insert(AuditEntry, created_entries(actor, batch), large=True))


def record_rows(
    actor: Any, action: str, model: type[Any], changes: Iterable[tuple[int, dict[str, Any], str]]
) -> None:
    """`record_many` for rows written without instances: `(id, after, summary)` of each row
    of `model` that `action` created (the same audit rows, a batch at a time)."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    user_id = user.pk if user is not None else None
    object_type = model._meta.model_name or ""
    changes = iter(changes)
    while batch := list(itertools.islice(changes, BATCH)):
        entries = []
        for pk, after, summary in batch:
            # id, actor, at, action, object_type, object_id, summary, before, after: as
            # `created_entries` makes each.
            entry = AuditEntry(
                None, user_id, None, action, object_type, pk, summary[:300], None, after
            )
            if user is not None:
                AuditEntry.actor.field.set_cached_value(entry, user)
            entries.append(entry)
        announce(insert(AuditEntry, entries, large=True))


def write_alignments(actor: Any, preview: ImportPreview, staged: Staged, place: Place) -> int:
    """Link the file's objectives to their parents in the file, checked as `align_objective`
    checks a link, and written in bulk with an audit row each; return how many were made.

    An objective the cycle already had stands for its duplicate in the file: a new objective
    aligns to it, and an updated one is aligned through `align_objective` itself."""
    by_ref = {
        plan.ref: objective
        for plan, objective in zip(preview.creating, staged.objectives, strict=True)
        if plan.ref
    } | {plan.ref: plan.duplicate_of for plan in preview.duplicates if plan.ref}
    # The objectives are new: their only alignments are the ones this file makes.
    parents_of: dict[int, set[int]] = defaultdict(set)

    def ancestors(start: int) -> set[int]:
        found: set[int] = set()
        frontier = {start}
        while frontier:
            above = {p for pk in frontier for p in parents_of[pk]} - found
            found |= above
            frontier = above
        return found

    links: dict[tuple[int, int], Alignment] = {}
    made = 0

    def write_links() -> int:
        """Insert the links so far with their audit rows (a batch at a time: a large file's
        links are never all model instances at once); return how many."""
        created = insert(Alignment, list(links.values()), large=True)
        record_many(
            actor,
            (
                (
                    "align_objective",
                    link,
                    snapshot(link),
                    f"{link.child.title} → {link.parent.title}",
                )
                for link in created
            ),
        )
        links.clear()
        return len(created)

    for plan, child in zip(preview.creating, staged.objectives, strict=True):
        place.at(plan)
        # An objective's links, by parent: a later link to the same parent replaces the earlier
        # one, and a primary link makes the child's earlier links secondary (`align_objective`).
        own: dict[int, Alignment] = {}
        for link in plan.parents:
            parent = by_ref[link.ref]
            weight = check_alignment(
                actor, child, parent, link.weight, lambda parent=parent: ancestors(parent.pk)
            )
            if link.primary:
                for other in own.values():
                    other.is_primary = False
            own[parent.pk] = Alignment(
                child=child, parent=parent, is_primary=link.primary, weight=weight
            )
            parents_of[child.pk].add(parent.pk)
        # Each child is met once: its links are final here and may be written.
        links |= {(child.pk, parent_id): link for parent_id, link in own.items()}
        if len(links) >= BATCH:
            made += write_links()
    made += write_links()
    if preview.on_duplicate == "update":
        for plan in preview.duplicates:
            place.at(plan)
            for parent_link in plan.parents:
                parent = by_ref[parent_link.ref]
                known = Alignment.objects.filter(child=plan.duplicate_of, parent=parent)
                if not known.exists():
                    align_objective(actor, plan.duplicate_of, parent, primary=parent_link.primary)
                    made += 1
    return made


def update_duplicates(actor: Any, preview: ImportPreview, place: Place) -> int:
    """Bring the objectives the cycle already has up to the file: a key result the objective
    lacks is added, one it has (same title) takes the file's due date and weight (and figures,
    while the objective is not active), and missing initiatives are added."""
    if preview.on_duplicate != "update":
        return 0
    for plan in preview.duplicates:
        objective = plan.duplicate_of
        existing = {kr.title.casefold(): kr for kr in objective.key_results.all()}
        for kr_plan in plan.key_results:
            place.at(kr_plan)
            kr = existing.get(kr_plan.title.casefold())
            if kr is None:
                kr = create_key_result(actor, objective, **kr_plan.action_fields()).value
            else:
                changes = {"due_date": kr_plan.due_date, "weight": kr_plan.weight}
                # A compound key result's figures are its parts' (issue #16): left as they are.
                if objective.state != "active" and not kr_plan.parts:
                    changes |= {"start_value": kr_plan.start_value, "unit": kr_plan.unit}
                    if kr_plan.shape != "relative":
                        changes["target_value"] = kr_plan.target_value
                if any(getattr(kr, name) != value for name, value in changes.items()):
                    update_key_result(actor, kr, **changes)
            titles = {i.title.casefold() for i in kr.initiatives.all()}
            for title in kr_plan.initiatives:
                if title.casefold() not in titles:
                    create_initiative(actor, kr, title=title)
    return len(preview.duplicates)


def create_projects(actor: Any, preview: ImportPreview) -> list[tuple[Any, Any]]:
    """Create the projects the person asked for; point the plans at them. Return what to undo."""
    made: dict[int, Any] = {}
    for planned in preview.new_projects:
        made[id(planned)] = create_project(
            actor, name=planned.name, lead=planned.lead, unit=planned.unit
        )
    swapped = []
    for plan in preview.objectives:
        if id(plan.owner) in made:
            swapped.append((plan, plan.owner))
            plan.owner = made[id(plan.owner)]
    return swapped


def run_import(actor: Any, preview: ImportPreview, *, rehearsal: bool = False) -> ImportResult:
    """Create every objective and key result of a clean preview, or nothing at all.

    The whole file is checked first, outside any transaction, by the actions' own checks; then
    one short transaction writes it in bulk (with an audit row for every row) and links the
    alignments through `align_objective`. A large file therefore holds the database's write
    lock for a moment, not for the minutes its row-by-row creation took on SQLite.
    """
    if not preview.can_import:
        raise ImportFailed(preview.errors or [Problem(_("There is nothing to import."))])
    place = Place()
    swapped: list[tuple[Any, Any]] = []
    # New projects are created in the same transaction as the objectives they own.
    outer = transaction.atomic() if preview.new_projects else contextlib.nullcontext()
    try:
        with outer:
            if preview.new_projects:
                place.line, place.where = None, ""
                swapped = create_projects(actor, preview)
            staged = stage(actor, preview, place)
            with transaction.atomic():
                warnings = write_staged(actor, preview, staged, place)
                alignments = write_alignments(actor, preview, staged, place)
                updated = update_duplicates(actor, preview, place)
                if rehearsal:
                    raise _Rehearsed  # leaves the transaction by rolling it back
        swapped = []  # written: the plans keep the projects made for them
        gather_statistics()  # SQLite's planner: the tables' new sizes
    except (ValidationError, PermissionDenied) as error:
        raise ImportFailed(
            [Problem(message, place.line, where=place.where) for message in error_messages(error)]
        ) from error
    finally:
        for plan, planned in swapped:  # rolled back: the projects are gone again
            plan.owner = planned
    key_results = sum(len(built) for built in staged.key_results)
    return ImportResult(
        staged.objectives,
        key_results,
        list(dict.fromkeys(warnings)),
        alignments=alignments,
        initiatives=sum(len(kr.initiatives) for p in preview.creating for kr in p.key_results),
        projects=len(preview.new_projects),
        updated=updated,
        skipped=len(preview.duplicates) if preview.on_duplicate == "skip" else 0,
    )


class _Rehearsed(Exception):
    """Raised at the end of a rehearsal so that its transaction rolls back."""


def rehearse_import(actor: Any, preview: ImportPreview) -> list[Problem]:
    """Run the real import and undo it; return what stopped it (nothing: the import will pass).

    The dry run and the preview page call this, so they meet exactly the checks of the real
    run — every action, every column's range and precision — and can never say "OK" before
    the real import fails. Like the real run it checks the file before it writes, so the
    rehearsal holds the write lock only for the short bulk write it then undoes.
    """
    if not preview.can_import:
        return []
    try:
        with rolled_back_entries():
            run_import(actor, preview, rehearsal=True)
    except _Rehearsed:
        return []
    except ImportFailed as failure:
        return failure.problems
    return []
