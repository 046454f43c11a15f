"""What a check-in form sends, and how raw input becomes checked, typed values."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from okrflow.action_support import deny, to_decimal
from okrflow.checkins.confidence import ConfidenceLevel, probability_of
from okrflow.checkins.models import KeyResultCheckIn, Pace
from okrflow.checkins.scope import may_see
from okrflow.cycles.models import Cycle, CycleState
from okrflow.okrs.actions.common import require_open_cycle
from okrflow.okrs.models import KeyResult, Shape
from okrflow.org.access import access_for
from okrflow.org.models import Person

TEXT_LIMIT = 5000
NOTE_LIMIT = 500


@dataclass
class LineInput:
    """One key result's part of a check-in, as typed: a value and a confidence level."""

    value: Any = None
    confidence: Any = None
    note: str = ""


@dataclass
class CheckInInput:
    """A whole check-in as typed; `lines` maps key result ids to their input."""

    lines: dict[int, LineInput] = field(default_factory=dict)
    progress: str = ""
    obstacles: str = ""
    solutions: str = ""
    confidence: Any = None
    late_work: str = ""
    pace: Any = ""


@dataclass
class CleanLine:
    key_result: KeyResult
    value: Decimal | None
    confidence: Decimal | None
    note: str


@dataclass
class CleanCheckIn:
    lines: list[CleanLine]
    progress: str
    obstacles: str
    solutions: str
    confidence: Decimal | None
    late_work: str = ""
    pace: str = ""


def value_field(kr_id: int) -> str:
    return f"kr-{kr_id}-value"


def confidence_field(kr_id: int) -> str:
    return f"kr-{kr_id}-confidence"


def note_field(kr_id: int) -> str:
    return f"kr-{kr_id}-note"


def require_checkin_rights(actor: Any, person: Person) -> None:
    """Refuse unless the actor is the person, up their manager chain, an admin, or the system."""
    if actor is not None and not may_see(access_for(actor), person):
        raise deny(_("You cannot check in for this person."))


def require_checkin_cycle(cycle: Cycle) -> None:
    """Refuse check-ins on a closed cycle or one that has not started."""
    require_open_cycle(cycle)
    if cycle.state == CycleState.DRAFT:
        raise ValidationError(
            _("The cycle “%(name)s” has not started; check-ins open when it is active.")
            % {"name": cycle.name}
        )


def coerce_confidence(raw: Any, field_name: str, *, required: bool) -> Decimal | None:
    """Read a confidence given as a level name or a probability between 0 and 1."""
    if raw is None or raw == "":
        if required:
            raise ValidationError({field_name: _("Choose how confident you are.")})
        return None
    if isinstance(raw, str) and raw in ConfidenceLevel.values:
        return probability_of(raw)
    number = to_decimal(raw, field_name)
    if number is None or not Decimal(0) <= number <= Decimal(1):
        raise ValidationError({field_name: _("Choose high, medium or low confidence.")})
    return number.quantize(Decimal("0.01"))


def coerce_value(kr: KeyResult, raw: Any, field_name: str, *, required: bool) -> Decimal | None:
    """Read a key result's new value and check it fits the key result's shape."""
    if kr.shape == Shape.MILESTONE and isinstance(raw, str):
        raw = {"done": "1", "not_done": "0"}.get(raw, raw)
    number = to_decimal(raw, field_name, column=KeyResultCheckIn._meta.get_field("value"))
    if number is None:
        if required:
            message = (
                _("Say whether it is done.")
                if kr.shape == Shape.MILESTONE
                else _("Enter this week's value.")
            )
            raise ValidationError({field_name: message})
        return None
    if kr.shape == Shape.MILESTONE and number not in (Decimal(0), Decimal(1)):
        raise ValidationError({field_name: _("A milestone is either done or not done.")})
    if kr.shape == Shape.RECURRING and (number < 0 or number != number.to_integral_value()):
        raise ValidationError({field_name: _("Count the times as a whole number, 0 or more.")})
    if kr.shape == Shape.PERCENTAGE and number < 0:
        raise ValidationError({field_name: _("A percentage cannot be negative.")})
    return number


def coerce_pace(raw: Any) -> str:
    """Read the person's sense of pace: fast, normal, slow, or nothing said."""
    if raw is None or raw == "":
        return ""
    if isinstance(raw, str) and raw.strip() in Pace.values:
        return raw.strip()
    raise ValidationError({"pace": _("Choose a pace: fast, normal or slow.")})


def clean_text(value: Any, field_name: str, limit: int, errors: dict[str, list[str]]) -> str:
    text = (value or "").strip()
    if len(text) > limit:
        errors.setdefault(field_name, []).append(
            _("Keep this under %(limit)d characters.") % {"limit": limit}
        )
    return text


def collect(errors: dict[str, list[str]], error: ValidationError) -> None:
    for name, messages in error.message_dict.items():
        errors.setdefault(name, []).extend(messages)


def permitted_key_results(
    actor: Any, allowed: dict[int, KeyResult], wanted: list[int]
) -> list[KeyResult]:
    """Return the key results asked for, refusing any outside the check-in or the actor's rights."""
    refuse_strangers(actor, allowed, wanted)
    chosen = [allowed[kr_id] for kr_id in wanted]
    require_update_rights(actor, chosen)
    return chosen


def refuse_strangers(actor: Any, allowed: Collection[int], wanted: list[int]) -> None:
    """Refuse key results asked for that are not in the check-in (`allowed`: their ids)."""
    access = access_for(actor) if actor is not None else None
    strangers = [kr_id for kr_id in wanted if kr_id not in allowed]
    if strangers:
        stranger = KeyResult.objects.filter(pk__in=strangers).select_related("objective").first()
        # A key result the actor may not see is answered exactly like one that does not exist:
        # neither its title nor its existence may leak (looping over ids would list them all).
        if stranger is None or (
            access is not None and not access.can_view_objective(stranger.objective)
        ):
            raise ValidationError(_("One of these key results no longer exists. Reload the page."))
        raise deny(
            _("“%(title)s” is not in this check-in: you cannot check in on it.")
            % {"title": stranger.title}
        )


def require_update_rights(actor: Any, key_results: list[KeyResult]) -> None:
    """Refuse unless the actor may record values on every one of these key results."""
    if actor is None:
        return
    access = access_for(actor)
    for kr in key_results:
        if not access.can_update_key_result(kr):
            if not access.can_view_objective(kr.objective):
                raise deny(_("You cannot check in on one of these key results."))
            raise deny(_("You cannot check in on “%(title)s”.") % {"title": kr.title})


def clean_checkin(
    data: CheckInInput, key_results: list[KeyResult], *, submit: bool
) -> CleanCheckIn:
    """Check every field at once; raise one ValidationError naming each bad field."""
    errors: dict[str, list[str]] = {}
    lines = clean_lines(data, key_results, submit=submit, errors=errors)
    whole = clean_whole(data, submit=submit, errors=errors)
    if errors:
        raise ValidationError(errors)
    return CleanCheckIn(lines=lines, **whole)


def clean_lines(
    data: CheckInInput,
    key_results: list[KeyResult],
    *,
    submit: bool,
    errors: dict[str, list[str]],
) -> list[CleanLine]:
    """Check each key result's line; add what is wrong to `errors`."""
    lines: list[CleanLine] = []
    for kr in key_results:
        raw = data.lines[kr.pk]
        value = confidence = None
        try:
            value = coerce_value(kr, raw.value, value_field(kr.pk), required=submit)
        except ValidationError as error:
            collect(errors, error)
        try:
            confidence = coerce_confidence(raw.confidence, confidence_field(kr.pk), required=submit)
        except ValidationError as error:
            collect(errors, error)
        note = clean_text(raw.note, note_field(kr.pk), NOTE_LIMIT, errors)
        lines.append(CleanLine(kr, value, confidence, note))
    return lines


def clean_whole(
    data: CheckInInput, *, submit: bool, errors: dict[str, list[str]]
) -> dict[str, Any]:
    """Check the whole check-in's fields (texts, confidence, pace); add what is wrong to
    `errors`; return them cleaned, by CleanCheckIn's field names."""
    overall = None
    try:
        overall = coerce_confidence(data.confidence, "confidence", required=submit)
    except ValidationError as error:
        collect(errors, error)
    texts = {
        name: clean_text(getattr(data, name), name, TEXT_LIMIT, errors)
        for name in ("progress", "obstacles", "solutions", "late_work")
    }
    pace = ""
    try:
        pace = coerce_pace(data.pace)
    except ValidationError as error:
        collect(errors, error)
    return {"confidence": overall, "pace": pace, **texts}
