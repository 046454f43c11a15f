"""The weekly check-in's part inputs (compound key results) and slot answers (recurring slots).

The check-in form names them `kpart-<part id>` (a part's value) and `kslot-<kr id>-<YYYY-MM-DD>`
("1" met, "0" missed, for the slot planned that day). `prepare` checks them before the check-in
is recorded and gives each compound key result's line its combined value; `record` appends the
parts' values and the slot answers in the same transaction once the check-in is submitted.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language

from okrflow.checkins.actions.inputs import LineInput
from okrflow.engine import kr_shapes
from okrflow.engine.numbers import format_number
from okrflow.okrs.actions.shapes import (
    append_part_values,
    append_slot_outcomes,
    check_slot_days,
    compute_combined,
    read_part_values,
)
from okrflow.okrs.models import KeyResult, KeyResultPart, KeyResultValue
from okrflow.okrs.shapes import parts_by_key_result, recorded_slots, week_slots

PART_FIELD = re.compile(r"^kpart-(\d{1,18})$")
SLOT_FIELD = re.compile(r"^kslot-(\d{1,18})-(\d{4}-\d{2}-\d{2})$")


def typed(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format_number(Decimal(value), (get_language() or "vi")[:2], max_decimals=4)


@dataclass
class PartInput:
    part: KeyResultPart
    value: str
    errors: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"kpart-{self.part.pk}"


@dataclass
class SlotInput:
    kr_id: int
    slot: kr_shapes.SlotDay
    met: bool | None  # None: not answered yet (a slot still to come)

    @property
    def name(self) -> str:
        return f"kslot-{self.kr_id}-{self.slot.planned.isoformat()}"


@dataclass
class RowShapes:
    parts: list[PartInput] = field(default_factory=list)
    slots: list[SlotInput] = field(default_factory=list)


def has_shapes(kr: KeyResult) -> bool:
    return bool(kr.combine) or kr.has_slot


def counted_in_week(kr: KeyResult, week_start: datetime.date) -> Decimal | None:
    """Return how much the key result's count rose in the week (None: nothing recorded then)."""
    week_end = week_start + datetime.timedelta(days=6)
    values = list(
        KeyResultValue.objects.filter(key_result=kr, measured_on__lte=week_end)
        .order_by("measured_on", "id")
        .values_list("measured_on", "value")
    )
    before = [value for day, value in values if day < week_start]
    during = [value for day, value in values if day >= week_start]
    if not during:
        return None
    return during[-1] - (before[-1] if before else Decimal(0))


def form_shapes(
    key_results: list[KeyResult],
    week_start: datetime.date,
    today: datetime.date,
    post: Any = None,
    errors: dict[str, list[str]] | None = None,
) -> dict[int, RowShapes]:
    """Return, per key result with parts or a slot, what the check-in form shows for them."""
    wanted = [kr for kr in key_results if has_shapes(kr)]
    if not wanted:
        return {}
    errors = errors or {}
    found = parts_by_key_result(kr.pk for kr in wanted if kr.combine)
    shapes: dict[int, RowShapes] = {}
    for kr in wanted:
        row = RowShapes()
        for part in found.get(kr.pk, []):
            name = f"kpart-{part.pk}"
            value = post.get(name, "") if post is not None else typed(part.current_value)
            row.parts.append(PartInput(part, value, errors.get(name, [])))
        slots = week_slots(kr, week_start)
        if slots:
            answers = recorded_slots(kr)
            count = counted_in_week(kr, week_start)
            for slot_day in slots:
                name = f"kslot-{kr.pk}-{slot_day.planned.isoformat()}"
                met: bool | None
                if post is not None and name in post:
                    met = post.get(name) == "1"
                elif slot_day.planned in answers:
                    met = answers[slot_day.planned]
                elif kr_shapes.prefill_met(slot_day, count):
                    met = True
                else:
                    # A slot already past without a count is pre-filled missed; one to come, open.
                    met = False if (slot_day.day or slot_day.planned) < today else None
                row.slots.append(SlotInput(kr.pk, slot_day, met))
        shapes[kr.pk] = row
    return shapes


@dataclass
class Prepared:
    part_values: dict[int, tuple[KeyResult, list[KeyResultPart], dict[int, Decimal]]]
    slot_answers: dict[int, tuple[KeyResult, dict[datetime.date, bool]]]

    def __bool__(self) -> bool:
        """Tell whether there is anything to record (parts or slot answers)."""
        return bool(self.part_values or self.slot_answers)


def prepare(posted: Any, post: Any, load_key_results: Callable[[], list[KeyResult]]) -> Prepared:
    """Check the part values and slot answers, and give compound key results their line value.

    A form without part or slot fields costs no query (`load_key_results` is not called).
    """
    if not any(PART_FIELD.match(name) or SLOT_FIELD.match(name) for name in post):
        return Prepared({}, {})
    key_results = load_key_results()
    by_id = {kr.pk: kr for kr in key_results}
    typed_parts: dict[int, str] = {}
    slot_answers: dict[int, dict[datetime.date, bool]] = {}
    for name in post:
        if match := PART_FIELD.match(name):
            typed_parts[int(match.group(1))] = post.get(name, "")
        elif match := SLOT_FIELD.match(name):
            kr_id = int(match.group(1))
            try:
                day = datetime.date.fromisoformat(match.group(2))
            except ValueError:
                continue
            slot_answers.setdefault(kr_id, {})[day] = post.get(name) == "1"
    compound = [kr for kr in key_results if kr.combine]
    found = parts_by_key_result(kr.pk for kr in compound)
    known_parts = {part.pk for parts in found.values() for part in parts}
    errors: dict[str, list[str]] = {}
    prepared = Prepared({}, {})
    for kr in compound:
        parts = found.get(kr.pk, [])
        raw = {p.pk: typed_parts[p.pk] for p in parts if p.pk in typed_parts}
        try:
            clean = read_part_values(kr, parts, raw)
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if clean:
            combined = compute_combined(kr, parts, clean)
            posted.lines.setdefault(kr.pk, LineInput()).value = typed(combined)
            prepared.part_values[kr.pk] = (kr, parts, clean)
    if set(typed_parts) - known_parts:
        errors.setdefault("__all__", []).append(str(_unknown_part_message()))
    for kr_id, answers in slot_answers.items():
        kr = by_id.get(kr_id)
        if kr is None:
            continue  # not the person's key result: the check-in itself refuses it
        try:
            check_slot_days(kr, answers)
        except ValidationError as error:
            errors.setdefault(f"kr-{kr_id}-value", []).extend(error.messages)
            continue
        prepared.slot_answers[kr_id] = (kr, answers)
    if errors:
        raise ValidationError(errors)
    return prepared


def _unknown_part_message() -> str:
    from django.utils.translation import gettext as _

    return _("This part does not belong to the key result.")


def record(actor: Any, prepared: Prepared, day: datetime.date) -> None:
    """Append the submitted parts' values and slot answers (inside the check-in's transaction)."""
    for kr, parts, clean in prepared.part_values.values():
        append_part_values(actor, kr, parts, clean, day, KeyResultValue.Source.CHECKIN)
    for kr, answers in prepared.slot_answers.values():
        recorded = recorded_slots(kr)
        changed = {day: met for day, met in answers.items() if recorded.get(day) != met}
        if changed:
            append_slot_outcomes(actor, kr, changed)
