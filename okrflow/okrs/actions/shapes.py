"""Actions on compound key results' parts and on recurring slots (#16)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from okrflow.action_support import deny, to_decimal
from okrflow.audit.log import record_change, snapshot
from okrflow.engine import kr_shapes
from okrflow.engine import progress as engine
from okrflow.okrs.actions.common import require_edit, require_open_cycle
from okrflow.okrs.measure import problem_message
from okrflow.okrs.models import (
    Combine,
    Direction,
    KeyResult,
    KeyResultPart,
    KeyResultPartValue,
    KeyResultValue,
    Shape,
    SlotOutcome,
)
from okrflow.okrs.shapes import combined_value, part_figures, slot_of, window_start
from okrflow.org.access import access_for

PART_SHAPES = (Shape.METRIC, Shape.PERCENTAGE, Shape.CURRENCY, Shape.THRESHOLD, Shape.MILESTONE)


def part_column(name: str) -> models.Field[Any, Any]:
    field = KeyResultPart._meta.get_field(name)
    assert isinstance(field, models.Field)
    return field


def too_few_parts_error() -> ValidationError:
    return ValidationError({"parts": _("A compound key result needs at least two measured parts.")})


def build_parts(kr: KeyResult, parts: list[dict[str, Any]]) -> list[KeyResultPart]:
    """Check a compound key result's parts and return them unsaved; every error at once."""
    from okrflow.okrs.actions.key_results import coerce_date

    if len(parts) < kr_shapes.MIN_PARTS:
        raise too_few_parts_error()
    cycle = kr.objective.cycle
    errors: list[str] = []
    built = []
    for index, raw in enumerate(parts, start=1):
        prefix = _("Part %(number)s: ") % {"number": index}
        try:
            shape = raw.get("shape") or Shape.METRIC
            if shape not in PART_SHAPES:
                raise ValidationError(
                    _("Choose a number, percentage, money, threshold or milestone.")
                )
            weight = to_decimal(raw.get("weight"), "weight", column=part_column("weight"))
            default = Direction.AT_LEAST if shape == Shape.THRESHOLD else Direction.INCREASE
            part = KeyResultPart(
                key_result=kr,
                label=(raw.get("label") or "").strip()[:200],
                shape=shape,
                direction=raw.get("direction") or default,
                start_value=to_decimal(
                    raw.get("start_value"), "start_value", column=part_column("start_value")
                ),
                target_value=to_decimal(
                    raw.get("target_value"), "target_value", column=part_column("target_value")
                ),
                current_value=to_decimal(
                    raw.get("current_value"), "current_value", column=part_column("current_value")
                ),
                unit=(raw.get("unit") or "").strip()[:50],
                start_date=coerce_date("start_date", raw.get("start_date")),
                weight=Decimal(1),
                position=index - 1,
            )
        except ValidationError as error:
            errors += [prefix + message for message in error.messages]
            continue
        if weight is not None:
            part.weight = weight
        if shape == Shape.MILESTONE:
            part.start_value, part.target_value = Decimal(0), Decimal(1)
        if not part.label:
            errors.append(prefix + _("Say what this part measures."))
        if weight is not None and weight <= 0:
            errors.append(prefix + _("The weight must be greater than 0."))
        for code in kr_shapes.start_date_problems(
            part.start_date, cycle.start_date, cycle.end_date, kr.due_date
        ):
            errors.append(prefix + start_message(code, cycle))
        for code in engine.figure_problems(part_figures(part, kr, cycle.start_date)):
            if code != "due_before_start":
                errors.append(prefix + problem_message(code))
        built.append(part)
    if errors:
        raise ValidationError({"parts": errors})
    return built


def start_message(code: str, cycle: Any) -> str:
    if code == "start_after_due":
        return _("The start date must not be after the due date.")
    return _("The start date must fall inside the cycle (%(start)s – %(end)s).") % {
        "start": date_format(cycle.start_date, "SHORT_DATE_FORMAT"),
        "end": date_format(cycle.end_date, "SHORT_DATE_FORMAT"),
    }


def make_compound(kr: KeyResult, combine: str) -> None:
    """Turn the key result into the stored form of a compound one: its progress in percent."""
    if combine not in Combine.values:
        raise ValidationError({"combine": _("Choose the weakest part or a weighted mean.")})
    kr.combine = combine
    kr.shape = Shape.PERCENTAGE
    kr.direction = Direction.INCREASE
    kr.start_value, kr.target_value, kr.unit = Decimal(0), Decimal(100), "%"
    kr.per_period, kr.period, kr.relative_change, kr.currency = None, "", None, ""
    kr.slot_weekday = kr.slot_hour = kr.slot_day_of_month = None


@transaction.atomic
def set_key_result_parts(
    actor: Any, key_result: KeyResult, *, combine: str, parts: list[dict[str, Any]]
) -> KeyResult:
    """Make a key result compound with these parts (each its own shape, start, target and unit).

    Parts are replaced only while none has a recorded value: check-in history is append-only.
    """
    kr = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle")
        .get(pk=key_result.pk)
    )
    require_edit(actor, kr.objective)
    require_open_cycle(kr.objective.cycle)
    if KeyResultPartValue.objects.filter(part__key_result=kr).exists():
        raise ValidationError(
            {"parts": _("The parts already have check-ins; they can no longer be replaced.")}
        )
    before = snapshot(kr) | {"parts": [snapshot(p) for p in kr.parts.all()]}
    make_compound(kr, combine)
    built = build_parts(kr, parts)
    kr.parts.all().delete()
    KeyResultPart.objects.bulk_create(built)
    value = combined_value(kr, built, kr.objective.cycle.start_date)
    kr.version += 1
    kr.save()
    if any(part.current_value is not None for part in built):
        record_combined(actor, kr, value, timezone.localdate(), KeyResultValue.Source.MANUAL)
    record_change(
        actor=actor,
        action="set_key_result_parts",
        instance=kr,
        before=before,
        after=snapshot(kr) | {"parts": [snapshot(p) for p in kr.parts.all()]},
        summary=kr.title,
    )
    return kr


def record_combined(
    actor: Any, kr: KeyResult, value: Decimal, day: datetime.date, source: str
) -> None:
    from okrflow.okrs.actions.key_results import record_key_result_value

    record_key_result_value(actor, kr, value=value, measured_on=day, source=source)


def read_part_values(
    kr: KeyResult, parts: list[KeyResultPart], raw: dict[int, Any]
) -> dict[int, Decimal]:
    """Check the typed value of each part; every error at once, keyed by the part's field."""
    errors: dict[str, list[str]] = {}
    clean: dict[int, Decimal] = {}
    for part in parts:
        if raw.get(part.pk) in (None, ""):
            continue
        try:
            number = to_decimal(
                raw[part.pk], "value", column=KeyResultPartValue._meta.get_field("value")
            )
        except ValidationError as error:
            errors[part_field(part)] = error.messages
            continue
        assert number is not None
        if part.shape == Shape.MILESTONE and number not in (0, 1):
            errors[part_field(part)] = [_("A milestone is either done (1) or not done (0).")]
            continue
        clean[part.pk] = number
    unknown = set(raw) - {part.pk for part in parts}
    if unknown:
        errors["parts"] = [_("This part does not belong to the key result.")]
    if errors:
        raise ValidationError(errors)
    return clean


def part_field(part: KeyResultPart) -> str:
    return f"kpart-{part.pk}"


def compute_combined(
    kr: KeyResult, parts: list[KeyResultPart], values: dict[int, Decimal]
) -> Decimal:
    """Return the combined value the parts would give with these new values (nothing saved)."""
    for part in parts:
        if part.pk in values:
            part.current_value = values[part.pk]
    return combined_value(kr, parts, kr.objective.cycle.start_date)


def append_part_values(
    actor: Any,
    kr: KeyResult,
    parts: list[KeyResultPart],
    values: dict[int, Decimal],
    day: datetime.date,
    source: str,
) -> None:
    """Append the parts' values and read each part's current value back from its history."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    before = [snapshot(p, ["id", "current_value"]) for p in parts]
    KeyResultPartValue.objects.bulk_create(
        KeyResultPartValue(
            part=part, value=values[part.pk], measured_on=day, recorded_by=user, source=source
        )
        for part in parts
        if part.pk in values
    )
    for part in parts:
        latest = part.values.order_by("-measured_on", "-id").values_list("value", flat=True).first()
        part.current_value = latest
    KeyResultPart.objects.bulk_update(parts, ["current_value"])
    record_change(
        actor=actor,
        action="record_part_values",
        instance=kr,
        before={"parts": before},
        after={"parts": [snapshot(p, ["id", "current_value"]) for p in parts]},
        summary=kr.title,
    )


@transaction.atomic
def record_part_values(
    actor: Any,
    key_result: KeyResult,
    *,
    values: dict[int, Any],
    measured_on: datetime.date | None = None,
    source: str = KeyResultValue.Source.MANUAL,
) -> KeyResult:
    """Record values of a compound key result's parts; its combined value follows."""
    kr = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle")
        .get(pk=key_result.pk)
    )
    if actor is not None and not access_for(actor).can_update_key_result(kr):
        raise deny(_("You cannot update this key result."))
    require_open_cycle(kr.objective.cycle)
    if not kr.combine:
        raise ValidationError({"parts": _("This key result has no parts.")})
    parts = list(kr.parts.all())
    clean = read_part_values(kr, parts, values)
    if not clean:
        raise ValidationError({"parts": _("Enter the value of at least one part.")})
    day = measured_on or timezone.localdate()
    append_part_values(actor, kr, parts, clean, day, source)
    record_combined(
        actor, kr, combined_value(kr, parts, kr.objective.cycle.start_date), day, source
    )
    kr.refresh_from_db()
    return kr


def check_slot_days(kr: KeyResult, answers: dict[datetime.date, bool]) -> None:
    """Refuse answers for a key result without a slot or for days that are not its slots."""
    from okrflow.okrs.shapes import holidays_of

    slot = slot_of(kr)
    if slot is None:
        raise ValidationError({"slot": _("This key result keeps no slot.")})
    planned = {
        d.planned for d in kr_shapes.slot_days(slot, window_start(kr), kr.due_date, holidays_of(kr))
    }
    wrong = sorted(day for day in answers if day not in planned)
    if wrong:
        raise ValidationError(
            {
                "slot": _("%(day)s is not one of this key result's slots.")
                % {"day": date_format(wrong[0], "SHORT_DATE_FORMAT")}
            }
        )


def append_slot_outcomes(actor: Any, kr: KeyResult, answers: dict[datetime.date, bool]) -> None:
    user = actor if getattr(actor, "is_authenticated", False) else None
    SlotOutcome.objects.bulk_create(
        SlotOutcome(key_result=kr, slot_on=day, met=met, recorded_by=user)
        for day, met in sorted(answers.items())
    )
    record_change(
        actor=actor,
        action="record_slot_outcomes",
        instance=kr,
        before=None,
        after={"slots": {day.isoformat(): met for day, met in sorted(answers.items())}},
        summary=kr.title,
    )


@transaction.atomic
def record_slot_outcomes(
    actor: Any, key_result: KeyResult, *, answers: dict[datetime.date, bool]
) -> KeyResult:
    """Record whether slots of a recurring key result were met (append-only; newest counts)."""
    kr = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle")
        .get(pk=key_result.pk)
    )
    if actor is not None and not access_for(actor).can_update_key_result(kr):
        raise deny(_("You cannot update this key result."))
    require_open_cycle(kr.objective.cycle)
    if not answers:
        return kr
    check_slot_days(kr, answers)
    append_slot_outcomes(actor, kr, answers)
    return kr


def stage_compound(kr: KeyResult, parts: list[dict[str, Any]]) -> KeyResult:
    """Make an unsaved key result compound with parts read from a file (the import's check).

    The parts wait on the key result until `insert_staged_parts` writes them after it.
    """
    if not parts:
        return kr
    make_compound(kr, Combine.WEAKEST)
    kr.staged_parts = build_parts(kr, parts)  # type: ignore[attr-defined]
    return kr


def insert_staged_parts(key_results: list[KeyResult]) -> None:
    """Write the parts staged on key results that have just been inserted (one statement)."""
    parts = []
    for kr in key_results:
        for part in getattr(kr, "staged_parts", []):
            part.key_result = kr
            parts.append(part)
    KeyResultPart.objects.bulk_create(parts)


def plain_number(value: Decimal) -> str:
    """Write a stored number without its trailing zeros (150.0000 → 150) for the audit row."""
    return format(value.normalize(), "f")


def parts_as_of(parts: list[KeyResultPart], day: datetime.date) -> list[KeyResultPart]:
    """Return copies of the parts holding each one's newest value measured on or before a day."""
    latest: dict[int, Decimal] = {}
    rows = (
        KeyResultPartValue.objects.filter(part__in=parts, measured_on__lte=day)
        .order_by("part_id", "measured_on", "id")
        .values_list("part_id", "value")
    )
    for part_id, value in rows:
        latest[part_id] = value
    copies = []
    for part in parts:
        copy = KeyResultPart(**{f.attname: getattr(part, f.attname) for f in part._meta.fields})
        copy.current_value = latest.get(part.pk)
        copies.append(copy)
    return copies


@transaction.atomic
def correct_part_value(
    actor: Any, part_value: KeyResultPartValue, *, value: Any, note: str = ""
) -> KeyResultPartValue:
    """Correct a mistaken value of a part: a new row for the same day that points at the old one.

    The mistaken row stays in the history (append-only); the part's current value and the key
    result's combined value are read back from the history, from the corrected day on.
    """
    kr = (
        KeyResult.objects.select_for_update(of=("self",))
        .select_related("objective__cycle")
        .get(pk=part_value.part.key_result_id)
    )
    if actor is not None and not access_for(actor).can_update_key_result(kr):
        raise deny(_("You cannot update this key result."))
    require_open_cycle(kr.objective.cycle)
    target = KeyResultPartValue.objects.select_related("part").get(pk=part_value.pk)
    if target.corrections.exists():
        raise ValidationError(
            {"value": _("This value has already been corrected. Correct the latest version.")}
        )
    part = target.part
    clean = read_part_values(kr, [part], {part.pk: value})
    if part.pk not in clean:
        raise ValidationError({"value": _("Enter the corrected value.")})
    if clean[part.pk] == target.value:
        raise ValidationError({"value": _("The corrected value is the same as the recorded one.")})
    note = (note or "").strip()
    if len(note) > 1000:
        raise ValidationError({"note": _("Keep the reason under 1,000 characters.")})
    user = actor if getattr(actor, "is_authenticated", False) else None
    correction = KeyResultPartValue.objects.create(
        part=part,
        value=clean[part.pk],
        measured_on=target.measured_on,
        recorded_by=user,
        source=KeyResultValue.Source.MANUAL,
        corrects=target,
        note=note,
    )
    parts = list(kr.parts.all())
    before = [snapshot(p, ["id", "current_value"]) for p in parts]
    for each in parts:
        latest = each.values.order_by("-measured_on", "-id").values_list("value", flat=True).first()
        each.current_value = latest
    KeyResultPart.objects.bulk_update(parts, ["current_value"])
    cycle_start = kr.objective.cycle.start_date
    day = target.measured_on
    manual = KeyResultValue.Source.MANUAL
    record_combined(
        actor, kr, combined_value(kr, parts_as_of(parts, day), cycle_start), day, manual
    )
    kr.refresh_from_db()
    now = combined_value(kr, parts, cycle_start)
    if kr.current_value != now:
        last = kr.values.order_by("-measured_on").values_list("measured_on", flat=True).first()
        record_combined(actor, kr, now, max(day, last or day), manual)
    record_change(
        actor=actor,
        action="correct_part_value",
        instance=kr,
        before={"id": target.pk, "part": part.pk, "value": plain_number(target.value)}
        | {"parts": before},
        after={
            "id": correction.pk,
            "part": part.pk,
            "label": part.label,
            "value": plain_number(correction.value),
            "measured_on": day.isoformat(),
            "note": note,
            "parts": [snapshot(p, ["id", "current_value"]) for p in parts],
        },
        summary=f"{kr.title} · {part.label}",
    )
    return correction
