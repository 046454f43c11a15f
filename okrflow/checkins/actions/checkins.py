"""Record a weekly check-in (draft or submit) and correct a submitted one."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, router, transaction
from django.db.models import Field
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from okrflow.action_support import decimal_column
from okrflow.audit.log import audit_entry, record_changes, snapshot
from okrflow.audit.models import AuditEntry
from okrflow.checkins.actions.inputs import (
    CheckInInput,
    CleanCheckIn,
    CleanLine,
    clean_checkin,
    clean_lines,
    clean_whole,
    permitted_key_results,
    refuse_strangers,
    require_checkin_cycle,
    require_checkin_rights,
    require_update_rights,
)
from okrflow.checkins.models import CheckIn, CheckInState, KeyResultCheckIn
from okrflow.checkins.schedule import local_today, measured_day, week_of
from okrflow.checkins.scope import checkin_key_result_ids, key_results_for
from okrflow.compiled_reads import rows_by_ids
from okrflow.cycles.models import Cycle
from okrflow.engine.cadence import CheckinWeek
from okrflow.library.bulk_insert import insert
from okrflow.okrs.actions.values import (
    NewValue,
    key_results_with_newest,
    of_live_objectives,
    record_key_result_values,
)
from okrflow.okrs.models import KeyResult, KeyResultValue
from okrflow.org.models import Person


def checkin_snapshot(
    checkin: CheckIn, lines: Sequence[KeyResultCheckIn] | None = None
) -> dict[str, Any]:
    """Return the check-in and its lines for the audit row (`lines`: already loaded, any order)."""
    saved = checkin.lines.order_by("id") if lines is None else sorted(lines, key=lambda x: x.pk)
    rows = [
        {
            "key_result": line.key_result_id,
            "value": as_stored(line, "value"),
            "confidence": as_stored(line, "confidence"),
        }
        for line in saved
    ]
    return snapshot(checkin) | {"lines": rows}


def as_stored(line: KeyResultCheckIn, name: str) -> str | None:
    """Return a line's number as the database gives it back ("42.0000"), read or not."""
    number = getattr(line, name)
    if number is None:
        return None
    places = decimal_column(KeyResultCheckIn, name).decimal_places
    return str(Decimal(number).quantize(Decimal(1).scaleb(-places)))


def require_open_week(cycle: Cycle, week: datetime.date) -> CheckinWeek:
    """Return the cycle week; refuse a week outside the cycle or still ahead."""
    found = week_of(cycle, week)
    if found is None:
        raise ValidationError({"week": _("This week is not part of the cycle.")})
    if found.start > local_today(cycle):
        raise ValidationError({"week": _("This week has not started yet; check in when it comes.")})
    return found


def already_submitted_error(week: datetime.date) -> ValidationError:
    return ValidationError(
        _(
            "The check-in for the week of %(date)s is already submitted. "
            "To change it, open it and correct it."
        )
        % {"date": date_format(week, "SHORT_DATE_FORMAT")}
    )


def insert_or_lock(fresh: CheckIn) -> tuple[CheckIn, bool]:
    """Return the week's original entry locked for this transaction, inserting `fresh` if none.

    Return it and whether it is `fresh`. A new entry costs one statement: an INSERT that skips
    a row the unique constraint refuses (ON CONFLICT DO NOTHING: no savepoint, and no aborted
    transaction when someone else created it a moment ago) and returns the new row's id; the
    row is ours, and locked, as any row a transaction inserts. An existing entry (a draft, or
    one another request created meanwhile) costs one more: the read FOR UPDATE.
    """
    using = router.db_for_write(CheckIn)
    # A raw insert sends no signals: what a save would send (stored text cleaned).
    pre_save.send(sender=CheckIn, instance=fresh, raw=False, using=using, update_fields=None)
    new_id = insert_unless_taken(fresh, using)
    if new_id is not None:
        fresh.pk = new_id
        fresh._state.adding, fresh._state.db = False, using
        return fresh, True
    checkin = (
        CheckIn.objects.select_for_update(of=("self",))
        .filter(person=fresh.person, cycle=fresh.cycle, week=fresh.week, corrects__isnull=True)
        .first()
    )
    if checkin is None:  # there a moment ago, gone now
        raise ValidationError(
            _("This check-in was just saved somewhere else. Reload the page to see it.")
        )
    return checkin, False


@dataclass(frozen=True)
class CheckInInsert:
    """The week's entry's INSERT, built once per database from the model's concrete fields."""

    sql: str
    fields: tuple[Field[Any, Any], ...]


_inserts: dict[str, CheckInInsert] = {}


def checkin_insert(using: str) -> CheckInInsert:
    """`INSERT … ON CONFLICT DO NOTHING RETURNING id` of every concrete field but the id."""
    found = _inserts.get(using)
    if found is None:
        connection = connections[using]
        meta = CheckIn._meta
        fields = tuple(f for f in meta.concrete_fields if not f.primary_key and f.column)
        name = connection.ops.quote_name
        sql = "INSERT INTO {} ({}) VALUES ({}) ON CONFLICT DO NOTHING RETURNING {}".format(
            name(meta.db_table),
            ", ".join(name(str(field.column)) for field in fields),
            ", ".join(["%s"] * len(fields)),
            name(meta.pk.column or "id"),
        )
        found = _inserts[using] = CheckInInsert(sql, fields)
    return found


def insert_unless_taken(checkin: CheckIn, using: str) -> int | None:
    """INSERT the entry unless a unique constraint refuses it; return its id, or None.

    `INSERT … ON CONFLICT DO NOTHING RETURNING id`, which PostgreSQL and SQLite (3.35+) both
    speak; Django's bulk_create returns no id when it ignores conflicts. Each field's value is
    prepared as a save prepares it (`pre_save`: the creation times; `get_db_prep_save`).
    """
    connection = connections[using]
    insert = checkin_insert(using)
    values = [
        field.get_db_prep_save(field.pre_save(checkin, add=True), connection)
        for field in insert.fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(insert.sql, values)
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def build_lines(checkin: CheckIn, clean: CleanCheckIn | list[CleanLine]) -> list[KeyResultCheckIn]:
    """Return the check-in's lines, not yet saved (their values are recorded first)."""
    lines = clean if isinstance(clean, list) else clean.lines
    return [
        KeyResultCheckIn(
            checkin=checkin,
            key_result=line.key_result,
            value=line.value,
            confidence=line.confidence,
            note=line.note,
        )
        for line in lines
    ]


def write_lines(
    checkin: CheckIn, lines: list[KeyResultCheckIn], *, replace: bool = True
) -> list[KeyResultCheckIn]:
    """Save the lines in one statement, replacing a draft's earlier lines (`insert`: what
    bulk_create writes, each column's conversion chosen once)."""
    if replace:
        checkin.lines.all().delete()
    return insert(KeyResultCheckIn, lines)


def record_values(
    actor: Any,
    dated: list[tuple[KeyResultCheckIn, datetime.date]],
    audit: list[AuditEntry],
    note: str = "",
    locked: dict[int, KeyResult] | None = None,
) -> None:
    """Append each line's value to its key result's history, the single source of truth.

    All in one go (`record_key_result_values`: key results locked in id order, one audit row
    per value, added to `audit` for the caller to write with the check-in's own); each line is
    given its value row before the lines are saved. `locked`: the key results as the caller
    locked them in this transaction.
    """
    valued = [(line, day) for line, day in dated if line.value is not None]
    records = record_key_result_values(
        actor,
        [
            NewValue(line.key_result, line.value, measured_on=day, note=note or line.note)
            for line, day in valued
        ],
        source=KeyResultValue.Source.CHECKIN,
        audit=audit,
        locked=locked,
    )
    for (line, _day), record in zip(valued, records, strict=True):
        line.value_record = record


def submitted(checkin: CheckIn, by: Any) -> None:
    checkin.state = CheckInState.SUBMITTED
    checkin.submitted_at = timezone.now()
    checkin.submitted_by = by


def fill(checkin: CheckIn, clean: CleanCheckIn | dict[str, Any]) -> None:
    """Set the whole check-in's fields (a CleanCheckIn, or `clean_whole`'s dict)."""
    fields = clean if isinstance(clean, dict) else vars(clean)
    for name in ("progress", "obstacles", "solutions", "late_work", "pace", "confidence"):
        setattr(checkin, name, fields[name])


@transaction.atomic
def record_checkin(
    actor: Any,
    *,
    person: Person,
    cycle: Cycle,
    week: datetime.date,
    data: CheckInInput,
    submit: bool = True,
) -> CheckIn:
    """Save a person's check-in for a cycle week as a draft, or submit it.

    Submitting records every line's value through `record_key_result_values`, so the key
    result's current value and history come from check-ins. A submitted check-in never
    changes again; `correct_checkin` adds a corrected entry instead.

    The statements, in the one lock order: the ids of the person's key results; the week's
    entry, inserted as it ends up (draft or submitted) when there is none yet, the common case,
    or else locked and updated; then the key results of the lines, read (locked in id order
    when submitting) with their objectives, their cycle as it is now, and their newest values;
    the values, the key results' current values, the lines, and every audit row in one INSERT.
    A refusal found after the entry is written rolls it back with the rest.
    """
    require_checkin_rights(actor, person)
    require_checkin_cycle(cycle)  # as the caller read it; read again with the key results
    cycle_week = require_open_week(cycle, week)
    wanted = list(data.lines)
    refuse_strangers(actor, checkin_key_result_ids(person, cycle), wanted)
    errors: dict[str, list[str]] = {}
    whole = clean_whole(data, submit=submit, errors=errors)
    if errors:  # refused before anything is written, with the lines' own messages
        rows = of_live_objectives(key_results_with_newest(wanted, live_only=True))
        clean_lines(data, rows, submit=submit, errors=errors)
        raise ValidationError(errors)
    by = actor if getattr(actor, "is_authenticated", False) else None
    fresh = CheckIn(person=person, cycle=cycle, week=week, created_by=by)
    fill(fresh, whole)
    if submit:
        submitted(fresh, by)
    checkin, created = insert_or_lock(fresh)
    if checkin.is_submitted and not created:
        raise already_submitted_error(week)
    found = checkin_key_results(wanted, lock=submit)  # a draft records no value: no lock
    require_checkin_cycle(current_cycle(cycle, found.values()))
    if len(found) != len(wanted):  # archived since the ids were read
        raise ValidationError(_("One of these key results no longer exists. Reload the page."))
    key_results = [found[kr_id] for kr_id in wanted]
    require_update_rights(actor, key_results)
    lines_clean = clean_lines(data, key_results, submit=submit, errors=errors)
    if errors:
        raise ValidationError(errors)
    before = None if created else checkin_snapshot(checkin)
    lines = build_lines(checkin, lines_clean)
    audit: list[AuditEntry] = []  # the values' rows, then the check-in's: one statement
    if submit:
        day = measured_day(cycle, cycle_week)
        record_values(actor, [(line, day) for line in lines], audit, locked=found)
    lines = write_lines(checkin, lines, replace=not created)
    if not created:
        fill(checkin, whole)
        if submit:
            submitted(checkin, by)
        checkin.save()
    audit.append(
        audit_entry(
            actor=actor,
            action="submit_checkin" if submit else "save_checkin_draft",
            instance=checkin,
            before=before,
            after=checkin_snapshot(checkin, lines),
            summary=f"{person.full_name} {week.isoformat()}",
        )
    )
    record_changes(audit)
    return checkin


def checkin_key_results(ids: list[int], *, lock: bool) -> dict[int, KeyResult]:
    """Return the lines' live key results by id, as `lock_key_results` reads them (locked in
    id order, with their newest values, objectives and cycles), locked when `lock`; the
    queryset is compiled once per number of key results (`compiled.rows_by_ids`)."""
    rows = rows_by_ids(
        "checkin key results, locked" if lock else "checkin key results",
        lambda marks: key_results_with_newest(marks, live_only=True, lock=lock),
        router.db_for_write(KeyResult),
        ids,
    )
    return {kr.pk: kr for kr in of_live_objectives(rows)}


def current_cycle(cycle: Cycle, key_results: Iterable[KeyResult]) -> Cycle:
    """Return the cycle as it is now: as read with its key results, or read again."""
    for kr in key_results:
        return kr.objective.cycle
    return Cycle.objects.get(pk=cycle.pk)


def require_latest(checkin: CheckIn) -> None:
    if not checkin.is_submitted:
        raise ValidationError(_("Only a submitted check-in can be corrected; edit the draft."))
    if checkin.corrections.exists():
        raise ValidationError(
            _("This check-in has already been corrected. Correct the latest version instead.")
        )


@transaction.atomic
def correct_checkin(actor: Any, checkin: CheckIn, *, data: CheckInInput) -> CheckIn:
    """Correct a submitted check-in: add a new entry that references it; the old one stays."""
    target = (
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("person", "cycle")
        .get(pk=checkin.pk)
    )
    require_checkin_rights(actor, target.person)
    require_checkin_cycle(target.cycle)
    require_latest(target)
    previous = {line.key_result_id: line for line in target.lines.select_related("value_record")}
    allowed = {kr.pk: kr for kr in key_results_for(target.person, target.cycle)}
    allowed |= {
        kr.pk: kr
        for kr in KeyResult.objects.filter(pk__in=previous).select_related("objective__cycle")
        if kr.pk not in allowed
    }
    key_results = permitted_key_results(actor, allowed, list(data.lines))
    clean = clean_checkin(data, key_results, submit=True)
    correction = CheckIn(
        person=target.person,
        cycle=target.cycle,
        week=target.week,
        corrects=target,
        state=CheckInState.SUBMITTED,
        submitted_at=timezone.now(),
        submitted_by=actor if getattr(actor, "is_authenticated", False) else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    fill(correction, clean)
    try:
        with transaction.atomic():
            correction.save()
    except IntegrityError as error:
        raise ValidationError(
            _("Someone corrected this check-in a moment ago. Reload to see their version.")
        ) from error
    lines = build_lines(correction, clean)
    changed = []
    week = week_of(target.cycle, target.week)
    for line in lines:
        old = previous.get(line.key_result_id)
        if old is not None and old.value == line.value and old.value_record_id:
            line.value_record_id = old.value_record_id
            continue
        # A correction fixes that week's measurement: it keeps the corrected value's date, and a
        # value new to the correction belongs to the week too, never to the day of the fix.
        if old is not None and old.value_record is not None:
            measured_on = old.value_record.measured_on
        elif week is not None:
            measured_on = measured_day(target.cycle, week)
        else:
            measured_on = local_today(target.cycle)
        changed.append((line, measured_on))
    audit: list[AuditEntry] = []
    record_values(actor, changed, audit, note=_("Correction of a check-in"))
    lines = write_lines(correction, lines, replace=False)
    audit.append(
        audit_entry(
            actor=actor,
            action="correct_checkin",
            instance=correction,
            before=checkin_snapshot(target, list(previous.values())),
            after=checkin_snapshot(correction, lines),
            summary=f"{target.person.full_name} {target.week.isoformat()}",
        )
    )
    record_changes(audit)
    return correction
