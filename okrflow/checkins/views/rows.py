"""The rows of the check-in form: one per key result, pre-filled from the draft or last week."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import get_language

from okrflow.checkins.actions import CheckInInput
from okrflow.checkins.actions.inputs import confidence_field, note_field, value_field
from okrflow.checkins.confidence import level_of
from okrflow.checkins.models import CheckIn
from okrflow.checkins.scope import latest_confidences
from okrflow.cycles.models import Cycle
from okrflow.engine.numbers import format_number
from okrflow.engine.progress import Status
from okrflow.okrs.measure import SUCCESS_BAR, measure_key_result
from okrflow.okrs.models import KeyResult, KeyResultValue, ObjectiveKind, Shape
from okrflow.org.models import Organisation, Person


@dataclass
class FormRow:
    kr: KeyResult
    value: str
    confidence: str
    note: str
    last_value: Decimal | None
    last_day: datetime.date | None
    status: Status
    progress: float
    expected: float
    target: Decimal | None
    errors: dict[str, list[str]] = field(default_factory=dict)
    # The value shown was read by the key result's data source (people still give confidence).
    from_source: bool = False

    @property
    def value_name(self) -> str:
        return value_field(self.kr.pk)

    @property
    def confidence_name(self) -> str:
        return confidence_field(self.kr.pk)

    @property
    def note_name(self) -> str:
        return note_field(self.kr.pk)

    @property
    def value_errors(self) -> list[str]:
        return self.errors.get(self.value_name, [])

    @property
    def confidence_errors(self) -> list[str]:
        return self.errors.get(self.confidence_name, [])


def typed(kr: KeyResult, value: Decimal | None) -> str:
    """Write a value as the user's language types it, so the pre-filled input reads back."""
    if value is None:
        return ""
    if kr.shape in (Shape.MILESTONE, Shape.RECURRING):
        return str(int(value))
    return format_number(Decimal(value), (get_language() or "vi")[:2], max_decimals=4)


def last_values(
    key_results: list[KeyResult], as_of: datetime.date | None = None
) -> dict[int, tuple[Decimal, datetime.date]]:
    """Return each key result's newest value and its date, on or before `as_of` (one query)."""
    found: dict[int, tuple[Decimal, datetime.date]] = {}
    values = KeyResultValue.objects.filter(key_result__in=key_results)
    if as_of is not None:
        values = values.filter(measured_on__lte=as_of)
    for kr_id, value, day in values.order_by("key_result_id", "measured_on", "id").values_list(
        "key_result_id", "value", "measured_on"
    ):
        found[kr_id] = (value, day)
    return found


def values_from_sources(
    key_results: list[KeyResult], as_of: datetime.date | None = None
) -> set[int]:
    """The key results whose newest value (on or before `as_of`) came from a data source."""
    newest: dict[int, str] = {}
    values = KeyResultValue.objects.filter(key_result__in=key_results)
    if as_of is not None:
        values = values.filter(measured_on__lte=as_of)
    for kr_id, source in values.order_by("key_result_id", "measured_on", "id").values_list(
        "key_result_id", "source"
    ):
        newest[kr_id] = source
    return {kr_id for kr_id, source in newest.items() if source == "data_source"}


def build_rows(
    person: Person,
    cycle: Cycle,
    key_results: list[KeyResult],
    today: datetime.date,
    *,
    draft: CheckIn | None = None,
    posted: CheckInInput | None = None,
    errors: dict[str, list[str]] | None = None,
    as_of: datetime.date | None = None,
) -> list[FormRow]:
    """Return the form's rows: what was typed, else the draft, else the values as of the week.

    `as_of` is the day the week's values are measured on: a late check-in for an earlier week
    starts from how things stood then, not from values recorded since.
    """
    errors = errors or {}
    history = last_values(key_results, as_of)
    fed = values_from_sources(key_results, as_of)
    confidences = latest_confidences(person, key_results)
    saved = {line.key_result_id: line for line in draft.lines.all()} if draft else {}
    thresholds = Organisation.current().status_thresholds()
    rows = []
    for kr in key_results:
        from_source = False
        bar = SUCCESS_BAR.get(ObjectiveKind(kr.objective.kind), 1.0)
        report = measure_key_result(kr, cycle.start_date, today, bar, thresholds)
        last_value, last_day = history.get(kr.pk, (None, None))
        if posted is not None and kr.pk in posted.lines:
            line = posted.lines[kr.pk]
            value, confidence, note = str(line.value or ""), str(line.confidence or ""), line.note
        elif kr.pk in saved:
            line_saved = saved[kr.pk]
            value = typed(kr, line_saved.value)
            confidence = level_of(line_saved.confidence) or ""
            note = line_saved.note
        else:
            value = typed(kr, last_value)
            from_source = kr.pk in fed
            confidence = level_of(confidences.get(kr.pk)) or ""
            note = ""
        rows.append(
            FormRow(
                kr=kr,
                value=value,
                confidence=confidence,
                note=note,
                last_value=last_value,
                last_day=last_day,
                status=report.status,
                progress=report.progress,
                expected=report.expected,
                target=report.target,
                errors={k: v for k, v in errors.items() if k.startswith(f"kr-{kr.pk}-")},
                from_source=from_source,
            )
        )
    return rows
