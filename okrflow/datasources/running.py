"""Run a source: read its number, record it on the key result, or store and tell the failure."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from okrflow.cycles.models import CycleState
from okrflow.datasources.models import SCHEDULE_INTERVAL, DataSource, Schedule, SourceKind
from okrflow.datasources.reading import problem_message, read_source
from okrflow.engine import source_values as sv
from okrflow.engine.source_values import SourceProblem

# How long a claimed source waits before another run may take it (a killed worker's).
CLAIM = datetime.timedelta(minutes=15)


@dataclass
class RunResult:
    source_id: int
    key_result_id: int
    kind: str
    ok: bool
    value: Decimal | None = None
    error_code: str = ""
    error_detail: str = ""
    recorded: bool = False

    @property
    def error(self) -> str:
        return problem_message(self.error_code, self.error_detail) if self.error_code else ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "key_result": self.key_result_id,
            "kind": self.kind,
            "ok": self.ok,
            "value": plain_number(self.value) if self.value is not None else None,
            "error": self.error,
            "recorded": self.recorded,
        }


def plain_number(value: Decimal) -> str:
    """Write 8020.0000 as "8020", 18.50 as "18.5": no exponent, no trailing zeros."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def next_run(schedule: str, now: datetime.datetime) -> datetime.datetime:
    return now + SCHEDULE_INTERVAL.get(Schedule(schedule), SCHEDULE_INTERVAL[Schedule.DAILY])


def runnable_sources() -> QuerySet[DataSource]:
    """Pull sources on live key results of cycles that are not closed."""
    return (
        DataSource.objects.exclude(kind=SourceKind.PUSH)
        .filter(key_result__is_archived=False)
        .exclude(key_result__objective__cycle__state=CycleState.CLOSED)
        .order_by("next_run_at", "id")
    )


def due_sources(now: datetime.datetime) -> QuerySet[DataSource]:
    return runnable_sources().filter(next_run_at__lte=now)


def claim_due(now: datetime.datetime, limit: int = 5000) -> list[int]:
    """Take the due sources (their next run moved a little ahead, so the next sweep skips them
    while a worker runs them); return their ids."""
    ids = list(due_sources(now).values_list("pk", flat=True)[:limit])
    if ids:
        DataSource.objects.filter(pk__in=ids).update(next_run_at=now + CLAIM)
    return ids


def try_source(source: DataSource) -> RunResult:
    """Read the source now without recording anything ("Test now")."""
    result = RunResult(source.pk or 0, source.key_result_id, source.kind, ok=False)
    try:
        result.value = read_source(source)
        result.ok = True
    except SourceProblem as problem:
        result.error_code, result.error_detail = problem.code, problem.detail
    return result


def refresh_source(source_id: int) -> RunResult | None:
    """Read one source and record its value, or store the failure; None if it is gone."""
    source = DataSource.objects.select_related("key_result").filter(pk=source_id).first()
    if source is None or source.kind == SourceKind.PUSH:
        return None
    result = try_source(source)
    try:
        if result.ok:
            assert result.value is not None
            return record_source_value(source_id, result.value)
        return record_failure(source_id, result.error_code, result.error_detail)
    except DataSource.DoesNotExist:  # removed while it was being read
        return None


@transaction.atomic
def record_source_value(
    source_id: int, value: Any, *, now: datetime.datetime | None = None
) -> RunResult:
    """Record a value a source gave (pulled or pushed) through the key result's value action."""
    from okrflow.okrs.actions.key_results import record_key_result_value
    from okrflow.okrs.models import KeyResultValue

    now = now or timezone.now()
    source = DataSource.objects.select_for_update().select_related("key_result").get(pk=source_id)
    kr = source.key_result
    result = RunResult(source.pk, kr.pk, source.kind, ok=True)
    try:
        number = sv.to_number(value) if not isinstance(value, Decimal) else value
        if not unchanged_today(kr, number, source):
            with transaction.atomic():
                entry = record_key_result_value(
                    None,
                    kr,
                    value=number,
                    source=KeyResultValue.Source.DATA_SOURCE,
                    data_source=source,
                )
            result.recorded = True
            number = entry.value
        result.value = number
    except SourceProblem as problem:
        return record_failure(source.pk, problem.code, problem.detail, now=now)
    except ValidationError as error:
        detail = " ".join(error.messages)
        return record_failure(source.pk, sv.NOT_RECORDED, detail, now=now)
    source.last_run_at = now
    source.last_value = result.value
    source.last_error_code = source.last_error_detail = ""
    source.failing_since = None
    if source.is_pull:
        source.next_run_at = next_run(source.schedule, now)
    source.save(
        update_fields=[
            "last_run_at",
            "last_value",
            "last_error_code",
            "last_error_detail",
            "failing_since",
            "next_run_at",
            "updated_at",
        ]
    )
    return result


def unchanged_today(kr: Any, number: Decimal, source: DataSource) -> bool:
    """True when today already holds this very value from this source: an hourly source that
    reads the same number adds no row (the history stays one point a day when nothing moves)."""
    newest = kr.values.order_by("-measured_on", "-id").first()
    return bool(
        newest is not None
        and newest.data_source_id == source.pk
        and newest.measured_on == timezone.localdate()
        and newest.value == number
    )


@transaction.atomic
def record_failure(
    source_id: int, code: str, detail: str, *, now: datetime.datetime | None = None
) -> RunResult:
    """Store the failure on the source; the first failure of a run tells the owner, once."""
    now = now or timezone.now()
    source = (
        DataSource.objects.select_for_update()
        .select_related("key_result__owner__user", "key_result__objective")
        .get(pk=source_id)
    )
    newly_failing = source.failing_since is None
    source.last_run_at = now
    source.last_error_code = code[:32]
    source.last_error_detail = detail[:300]
    source.last_error_at = now
    if newly_failing:
        source.failing_since = now
    if source.is_pull:
        source.next_run_at = next_run(source.schedule, now)
    source.save()
    if newly_failing:
        tell_owner(source, code, detail)
    return RunResult(
        source.pk,
        source.key_result_id,
        source.kind,
        ok=False,
        error_code=code,
        error_detail=detail,
    )


def tell_owner(source: DataSource, code: str, detail: str) -> None:
    from django.urls import reverse

    from okrflow.notifications.actions import notify
    from okrflow.notifications.kinds import Kind

    kr = source.key_result
    owner = kr.owner
    assert source.failing_since is not None
    since = source.failing_since.isoformat()
    with translation.override(getattr(owner, "language", None) or "vi"):
        error = problem_message(code, detail)
    notify(
        owner,
        Kind.SOURCE_FAILED,
        source_key=f"source:{source.pk}:failing-since:{since}",
        key_result=kr,
        objective=kr.objective,
        params={"error": error, "source_kind": source.kind, "since": since},
        url=reverse("insights:key_result", args=[kr.pk]),
    )


def run_sources(*, due_only: bool, now: datetime.datetime | None = None) -> list[RunResult]:
    """Run every pull source (or those due) one after another, here; for the command line."""
    now = now or timezone.now()
    queryset = due_sources(now) if due_only else runnable_sources()
    results = []
    for source_id in list(queryset.values_list("pk", flat=True)):
        result = refresh_source(source_id)
        if result is not None:
            results.append(result)
    return results
