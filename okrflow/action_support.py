"""What every action function shares: outcomes with warnings, input coercion, permission checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from okrflow.engine.numbers import parse_number

T = TypeVar("T")


@dataclass
class Outcome(Generic[T]):
    """The result of an action: what it made or changed, and warnings the user should read."""

    value: T
    warnings: list[str] = field(default_factory=list)


def deny(message: str | None = None) -> PermissionDenied:
    """Build the error raised when the actor may not do this."""
    return PermissionDenied(message or _("You do not have permission to do this."))


def to_decimal(value: Any, field_name: str, *, required: bool = False) -> Decimal | None:
    """Coerce user input to a finite Decimal, or raise a field error in the user's language."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError({field_name: _("This value is required.")})
        return None
    if isinstance(value, bool):
        raise ValidationError({field_name: _("Enter a number.")})
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float):
        try:
            number = Decimal(str(value))
        except InvalidOperation as error:
            raise ValidationError({field_name: _("Enter a number.")}) from error
    else:
        number = read_number_text(str(value), field_name)
    if not number.is_finite():
        raise ValidationError({field_name: _("Enter a finite number, not NaN or infinity.")})
    if abs(number) >= Decimal("1e16"):
        raise ValidationError({field_name: _("This number is too large.")})
    return number


def read_number_text(text: str, field_name: str) -> Decimal:
    """Read a number typed in Vietnamese or English style ("10.000", "1,5", "10,000.5")."""
    from django.utils.translation import get_language

    language = (get_language() or "vi")[:2]
    cleaned = text.strip()
    try:
        return parse_number(cleaned, language)
    except ValueError:
        pass
    try:
        # Machine input such as "NaN" or "1E+3" reaches the finiteness check with its own message.
        return Decimal(cleaned)
    except InvalidOperation as error:
        raise ValidationError(
            {field_name: _("“%(value)s” is not a number.") % {"value": text[:50]}}
        ) from error
