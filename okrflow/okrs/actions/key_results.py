"""Actions on key results: create, update, change target, record a value."""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from okrflow.action_support import Outcome, deny, fit_column, model_column, to_decimal
from okrflow.audit.log import record_change, snapshot
from okrflow.engine.focus import check_objective_focus
from okrflow.notifications.hooks import value_recorded
from okrflow.okrs.actions.common import (
    describe_focus_finding,
    is_hard_limit,
    require_edit,
    require_open_cycle,
    require_version,
)
from okrflow.okrs.measure import figure_problem_messages, figures_of
from okrflow.okrs.models import (
    Currency,
    Direction,
    KeyResult,
    KeyResultValue,
    Objective,
    ObjectiveState,
    Period,
    Shape,
    TargetVersion,
)
from okrflow.org.access import access_for
from okrflow.org.models import Organisation, Person
from okrflow.org.ownership import owner_refusal

# The choices, read once (`Choices.values` builds a new list on every call).
SHAPE_VALUES = frozenset(Shape.values)
DIRECTION_VALUES = frozenset(Direction.values)
PERIOD_VALUES = frozenset(Period.values)
CURRENCY_VALUES = frozenset(Currency.values)
NUMBER_FIELDS = ("start_value", "target_value", "current_value", "relative_change", "weight")
TEXT_FIELDS = ("title", "unit", "baseline_label")
EDITABLE_FIELDS = (
    # The current value is read from the value history (`record_key_result_value`), never edited.
    *(name for name in NUMBER_FIELDS if name != "current_value"),
    *TEXT_FIELDS,
    "shape",
    "direction",
    "currency",
    "per_period",
    "period",
    "due_date",
    "start_date",
    "slot_weekday",
    "slot_hour",
    "slot_day_of_month",
    "owner",
)
SLOT_FIELDS = ("slot_weekday", "slot_hour", "slot_day_of_month")


@functools.cache  # an import checks five figures of each of 150,000 key results
def key_result_column(name: str) -> models.Field[Any, Any]:
    """A key result's column by name."""
    return model_column(KeyResult, name)


def default_direction(shape: str) -> str:
    return Direction.AT_LEAST if shape == Shape.THRESHOLD else Direction.INCREASE


def coerce_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Turn raw input into typed values, collecting every field error at once."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        try:
            if name in NUMBER_FIELDS:
                clean[name] = to_decimal(value, name, column=key_result_column(name))
            elif name in TEXT_FIELDS:
                clean[name] = (value or "").strip()
            elif name == "per_period":
                clean[name] = coerce_count(value)
            elif name in SLOT_FIELDS:
                clean[name] = coerce_slot_number(name, value)
            elif name in ("start_date", "due_date"):
                clean[name] = coerce_date(name, value)
            else:
                clean[name] = value
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    return clean


def coerce_count(value: Any) -> int | None:
    if value in (None, ""):
        return None
    number = to_decimal(value, "per_period")
    if number is None or number != number.to_integral_value() or number < 1 or number > 1000:
        raise ValidationError({"per_period": _("Enter a whole number of times, at least 1.")})
    return int(number)


def coerce_slot_number(name: str, value: Any) -> int | None:
    """Read a slot's weekday (0–6), hour (0–23) or day of the month (1–31)."""
    if value in (None, ""):
        return None
    low, high = {"slot_weekday": (0, 6), "slot_hour": (0, 23), "slot_day_of_month": (1, 31)}[name]
    number = to_decimal(value, name)
    if number is None or number != number.to_integral_value() or not low <= number <= high:
        raise ValidationError(
            {name: _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}}
        )
    return int(number)


def coerce_date(name: str, value: Any) -> datetime.date | None:
    """Read a date given as a date or as ISO text (the API and the CLI pass text)."""
    if value in (None, "") or isinstance(value, datetime.date):
        return value or None
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError({name: _("Enter a date as YYYY-MM-DD.")}) from None


def start_and_slot_errors(kr: KeyResult) -> list[tuple[str, str]]:
    """Return (field, message) for a start date or slot that does not fit the key result."""
    from okrflow.engine.kr_shapes import slot_problems, start_date_problems

    cycle = kr.objective.cycle
    errors = []
    # The messages are worded only when there is something to say: an import checks 150,000
    # key results here, nearly all of them fine.
    for code in start_date_problems(kr.start_date, cycle.start_date, cycle.end_date, kr.due_date):
        if code == "start_outside_cycle":
            dates = {
                "start": date_format(cycle.start_date, "SHORT_DATE_FORMAT"),
                "end": date_format(cycle.end_date, "SHORT_DATE_FORMAT"),
            }
            message = _("The start date must fall inside the cycle (%(start)s – %(end)s).") % dates
        else:
            message = _("The start date must not be after the due date.")
        errors.append(("start_date", message))
    codes = slot_problems(kr.shape, kr.slot_weekday, kr.slot_hour, kr.slot_day_of_month, kr.period)
    if not codes:
        return errors
    slot_messages = {
        "slot_not_recurring": _("Only a recurring key result can keep a slot."),
        "slot_both_days": _("Choose a weekday or a day of the month for the slot, not both."),
        "slot_hour_without_day": _("Choose the slot's weekday before its hour."),
        "slot_weekday_needs_week": _("A weekday slot needs a weekly rhythm."),
        "slot_day_needs_month": _("A day-of-the-month slot needs a monthly rhythm."),
    }
    for code in codes:
        field = "slot_day_of_month" if "day" in code and "weekday" not in code else "slot_weekday"
        errors.append((field, slot_messages.get(code, _("This slot is not possible."))))
    return errors


def validate_key_result(kr: KeyResult) -> None:
    """Check a key result against its shape, its cycle and the database rules."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    if not kr.title:
        add("title", _("Write the key result: what you will measure."))
    elif len(kr.title) > 300:
        add("title", _("Keep the key result under 300 characters."))
    if kr.shape not in SHAPE_VALUES:
        add("shape", _("Choose a shape for the key result."))
    if kr.direction not in DIRECTION_VALUES:
        add("direction", _("Choose a direction."))
    if kr.period and kr.period not in PERIOD_VALUES:
        add("period", _("Choose per week or per month."))
    if kr.currency and kr.currency not in CURRENCY_VALUES:
        add("currency", _("Choose VND or USD."))
    for name in (*NUMBER_FIELDS, "per_period"):
        # Every figure, typed or computed (a relative target), must fit its column exactly.
        try:
            fit_column(getattr(kr, name), name, key_result_column(name))
        except ValidationError as error:
            for message in error.message_dict[name]:
                add(name, message)
    if kr.weight is None or kr.weight <= 0:
        add("weight", _("The weight must be greater than 0."))
    cycle = kr.objective.cycle
    if kr.due_date is None:
        add("due_date", _("Set a due date."))
    elif not cycle.contains(kr.due_date):
        add(
            "due_date",
            _("The due date must fall inside the cycle (%(start)s – %(end)s).")
            % {
                "start": date_format(cycle.start_date, "SHORT_DATE_FORMAT"),
                "end": date_format(cycle.end_date, "SHORT_DATE_FORMAT"),
            },
        )
    if kr.due_date is not None:
        for field, message in start_and_slot_errors(kr):
            add(field, message)
    if not errors:
        for field, message in figure_problem_messages(figures_of(kr, cycle.start_date)):
            add(field, message)
    if errors:
        raise ValidationError(errors)


def check_key_result_count(
    objective: Objective, organisation: Organisation, count: int | None = None
) -> list[str]:
    """Apply the focus rule to the objective's live key results (`count`: already counted)."""
    if count is None:
        count = objective.key_results.filter(is_archived=False).count()
    findings = check_objective_focus(count, organisation.focus_rules(), objective.pk)
    if organisation.enforce_focus:
        hard = [f for f in findings if is_hard_limit(f)]
        if hard:
            raise ValidationError(describe_focus_finding(hard[0]))
    return [describe_focus_finding(f) for f in findings]


def build_key_result(
    actor: Any,
    objective: Objective,
    *,
    title: str,
    shape: str = Shape.METRIC,
    owner: Person | None = None,
    direction: str | None = None,
    start_value: Any = None,
    target_value: Any = None,
    current_value: Any = None,
    unit: str = "",
    currency: str = "",
    relative_change: Any = None,
    baseline_label: str = "",
    per_period: Any = None,
    period: str = "",
    due_date: datetime.date | None = None,
    weight: Any = Decimal("1"),
    start_date: Any = None,
    slot_weekday: Any = None,
    slot_hour: Any = None,
    slot_day_of_month: Any = None,
) -> KeyResult:
    """Check a new key result and return it unsaved: every check of `create_key_result`.

    The objective comes with its cycle and owner (and the owner's lead) loaded. It may be
    unsaved itself: an import checks a whole file this way before its one short write.
    """
    require_edit(actor, objective)
    require_open_cycle(objective.cycle)
    if objective.state == ObjectiveState.ARCHIVED:
        raise ValidationError(_("This objective is archived."))
    values = coerce_changes(
        {
            "title": title,
            "start_value": start_value,
            "target_value": target_value,
            "current_value": current_value,
            "relative_change": relative_change,
            "weight": weight,
            "unit": unit,
            "baseline_label": baseline_label,
            "per_period": per_period,
            "start_date": start_date,
            "slot_weekday": slot_weekday,
            "slot_hour": slot_hour,
            "slot_day_of_month": slot_day_of_month,
        }
    )
    if shape == Shape.CURRENCY and not currency:
        currency = Currency.VND
    if shape == Shape.PERCENTAGE and not values["unit"]:
        values["unit"] = "%"
    kr = KeyResult(
        objective=objective,
        shape=shape,
        owner=owner or default_owner(objective, actor),
        direction=direction or default_direction(shape),
        currency=currency,
        period=period,
        due_date=due_date or objective.cycle.end_date,
        **values,
    )
    if shape == Shape.RELATIVE and kr.target_value is None and kr.start_value is not None:
        kr.target_value = relative_target_value(kr)
    validate_key_result(kr)
    require_active_owner(kr.owner)
    return kr


def require_active_owner(owner: Person) -> None:
    """Refuse a deactivated person as the owner of a new or handed-over key result."""
    refusal = owner_refusal(owner)
    if refusal:
        raise ValidationError({"owner": refusal})


def first_value(actor: Any, kr: KeyResult) -> KeyResultValue:
    """Return (unsaved) the history row of a new key result's current value."""
    assert kr.current_value is not None
    return KeyResultValue(
        key_result=kr,
        value=kr.current_value,
        measured_on=timezone.localdate(),
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        source=KeyResultValue.Source.MANUAL,
    )


@transaction.atomic
def create_key_result(actor: Any, objective: Objective, **fields: Any) -> Outcome[KeyResult]:
    """Add a key result of any shape to an objective (fields: see `build_key_result`)."""
    objective = (
        Objective.objects.select_for_update(of=("self",))
        .select_related("cycle", "owner_person", "owner_unit__lead", "owner_project__lead")
        .get(pk=objective.pk)
    )
    kr = build_key_result(actor, objective, **fields)
    kr.position = objective.key_results.count()
    kr.save()
    warnings = check_key_result_count(objective, Organisation.current())
    record_change(
        actor=actor,
        action="create_key_result",
        instance=kr,
        before=None,
        after=snapshot(kr),
        summary=kr.title,
    )
    if kr.current_value is not None:
        first_value(actor, kr).save()
    return Outcome(kr, warnings)


def relative_target_value(kr: KeyResult) -> Decimal | None:
    from okrflow.engine.progress import relative_target

    if kr.start_value is None or kr.relative_change is None:
        return None
    return relative_target(kr.start_value, kr.relative_change).quantize(Decimal("0.0001"))


def default_owner(objective: Objective, actor: Any) -> Person:
    """Pick the key result's owner: the objective's person, else the unit or project lead."""
    owner = objective.owner_person
    if owner is None and objective.owner_unit is not None:
        owner = objective.owner_unit.lead
    if owner is None and objective.owner_project is not None:
        owner = objective.owner_project.lead
    if owner is None and actor is not None:
        owner = access_for(actor).person
    if owner is None:
        raise ValidationError({"owner": _("Choose who owns this key result.")})
    return owner


@transaction.atomic
def update_key_result(
    actor: Any, key_result: KeyResult, *, expected_version: int | None = None, **changes: Any
) -> Outcome[KeyResult]:
    """Change a key result's fields; a target change on an active objective needs a reason."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"update_key_result cannot change {sorted(unknown)}")
    kr = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle")
        .get(pk=key_result.pk)
    )
    require_edit(actor, kr.objective)
    require_open_cycle(kr.objective.cycle)
    require_version(kr.version, expected_version)
    clean = coerce_changes(changes)
    if (
        "target_value" in clean
        and clean["target_value"] != kr.target_value
        and kr.objective.state == ObjectiveState.ACTIVE
    ):
        raise ValidationError(
            {"target_value": _("Change the target of an active key result with a reason.")}
        )
    before = snapshot(kr)
    owner_changed = "owner" in clean and clean["owner"] is not None and clean["owner"] != kr.owner
    for name, value in clean.items():
        setattr(kr, name, value)
    if kr.shape == Shape.RELATIVE:
        kr.target_value = relative_target_value(kr)
    validate_key_result(kr)
    if owner_changed:
        require_active_owner(kr.owner)
    kr.version += 1
    kr.save()
    record_change(
        actor=actor,
        action="update_key_result",
        instance=kr,
        before=before,
        after=snapshot(kr),
        summary=kr.title,
    )
    return Outcome(kr, [])


@transaction.atomic
def change_key_result_target(
    actor: Any,
    key_result: KeyResult,
    *,
    new_target: Any,
    reason: str,
    expected_version: int | None = None,
) -> KeyResult:
    """Move a key result's target, keeping the old one as a version with the reason."""
    kr = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle")
        .get(pk=key_result.pk)
    )
    require_edit(actor, kr.objective)
    require_open_cycle(kr.objective.cycle)
    require_version(kr.version, expected_version)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the target changes.")})
    if kr.shape in (Shape.MILESTONE, Shape.RECURRING):
        raise ValidationError({"new_target": _("This shape of key result has no numeric target.")})
    target = to_decimal(
        new_target, "new_target", required=True, column=KeyResult._meta.get_field("target_value")
    )
    if kr.shape == Shape.RELATIVE:
        raise ValidationError(
            {"new_target": _("Change the percentage of a relative key result instead.")}
        )
    if target == kr.target_value:
        raise ValidationError({"new_target": _("The new target is the same as the current one.")})
    before = snapshot(kr)
    old_target = kr.target_value
    kr.target_value = target
    try:
        validate_key_result(kr)
    except ValidationError as error:
        raise ValidationError(
            {"new_target": [m for messages in error.message_dict.values() for m in messages]}
        ) from error
    kr.version += 1
    kr.save()
    TargetVersion.objects.create(
        key_result=kr,
        old_target=old_target,
        new_target=target,
        reason=reason,
        changed_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_change(
        actor=actor,
        action="change_key_result_target",
        instance=kr,
        before=before,
        after=snapshot(kr) | {"reason": reason},
        summary=reason,
    )
    return kr


@transaction.atomic
def record_key_result_value(
    actor: Any,
    key_result: KeyResult,
    *,
    value: Any,
    measured_on: datetime.date | None = None,
    source: str = KeyResultValue.Source.MANUAL,
    note: str = "",
    data_source: Any = None,
) -> KeyResultValue:
    """Append a value to a key result's history; the current value is the newest by measured date.

    Values arrive in any order (a late check-in for an earlier week, a correction), so the
    current value is read back from the history, never taken from the value just recorded.
    Two values measured on the same day: the one recorded later wins (it re-measured that day).
    """
    kr = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle")
        .get(pk=key_result.pk)
    )
    if actor is not None and not access_for(actor).can_update_key_result(kr):
        raise deny(_("You cannot update this key result."))
    require_open_cycle(kr.objective.cycle)
    number = to_decimal(
        value, "value", required=True, column=KeyResultValue._meta.get_field("value")
    )
    assert number is not None
    if kr.shape == Shape.MILESTONE and number not in (Decimal(0), Decimal(1)):
        raise ValidationError({"value": _("A milestone is either done (1) or not done (0).")})
    if kr.shape == Shape.RECURRING and (number < 0 or number != number.to_integral_value()):
        raise ValidationError({"value": _("Count the times as a whole number, 0 or more.")})
    measured_on = measured_on or timezone.localdate()
    before = snapshot(kr, ["current_value"])
    entry = KeyResultValue.objects.create(
        key_result=kr,
        value=number,
        measured_on=measured_on,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
        source=source,
        data_source=data_source,
        note=(note or "").strip(),
    )
    latest = kr.values.order_by("-measured_on", "-id").values_list("value", flat=True).first()
    kr.current_value = latest
    kr.save(update_fields=["current_value", "updated_at"])
    audit = record_change(
        actor=actor,
        action="record_key_result_value",
        instance=kr,
        before=before,
        after=snapshot(kr, ["current_value"]) | {"measured_on": measured_on.isoformat()},
    )
    if source != KeyResultValue.Source.DEMO:  # the demo's replayed history tells nobody
        value_recorded(actor, kr, before.get("current_value"), audit)
    return entry
