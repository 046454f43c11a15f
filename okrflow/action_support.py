"""What every action function shares: outcomes with warnings, input coercion, permission checks."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from okrflow.engine.numbers import format_number, parse_number

T = TypeVar("T")
SQLITE_DIGITS = Context(prec=15)


@dataclass
class Outcome(Generic[T]):
    """The result of an action: what it made or changed, and warnings the user should read."""

    value: T
    warnings: list[str] = field(default_factory=list)


def deny(message: str | None = None) -> PermissionDenied:
    """Build the error raised when the actor may not do this."""
    return PermissionDenied(message or _("You do not have permission to do this."))


def to_decimal(
    value: Any,
    field_name: str,
    *,
    required: bool = False,
    column: models.Field[Any, Any] | None = None,
) -> Decimal | None:
    """Coerce user input to a finite Decimal, or raise a field error in the user's language.

    With `column` (a model field, e.g. `KeyResult._meta.get_field("weight")`) the number must
    also fit that column exactly: its digits, decimal places and validators (`column_problem`).
    """
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
    if column is not None:
        problem = column_problem(number, column)
        if problem:
            raise ValidationError({field_name: problem})
    return number


def column_problem(number: Decimal, column: models.Field[Any, Any]) -> str | None:
    """Say why `number` cannot be stored in `column` exactly, or None when it can.

    The limits come from the model field itself (digits, decimal places, integer range,
    min/max validators), so a new column is covered without a list to keep up to date. Extra
    decimal places are refused rather than rounded: a weight of 0,004 would silently become 0.
    """
    places, low, high, inner = column_rule(column)
    # The common case, answered without building a message: well inside the column.
    inside = inner is None or abs(number) < inner
    within = (low is None or number >= low) and (high is None or number <= high)
    if decimals_in(number) <= places and inside and within:
        return None
    label = capfirst(str(column.verbose_name))
    if decimals_in(number) > places:
        if places == 0:
            return _("%(field)s: enter a whole number.") % {"field": label}
        return ngettext(
            "%(field)s: use at most %(places)d decimal place.",
            "%(field)s: use at most %(places)d decimal places.",
            places,
        ) % {"field": label, "places": places}
    if isinstance(column, models.DecimalField):
        limit = column_limit(column)
        # SQLite keeps 15 significant digits (Django reads them back so): 9999999999999999
        # would come back as 10^16, which no longer fits the column and breaks every page
        # that reads it. The same limit on every database keeps the rule one rule.
        stored = SQLITE_DIGITS.create_decimal_from_float(float(number))
        if number >= limit or stored >= limit:
            return _("%(field)s must be less than %(limit)s.") % {
                "field": label,
                "limit": shown(limit),
            }
        if number <= -limit or stored <= -limit:
            return _("%(field)s must be greater than %(limit)s.") % {
                "field": label,
                "limit": shown(-limit),
            }
    if low is not None and number < low:
        return _("%(field)s must be at least %(min)s.") % {"field": label, "min": shown(low)}
    if high is not None and number > high:
        return _("%(field)s must be at most %(max)s.") % {"field": label, "max": shown(high)}
    return None


# A column's rule (decimal places, validator bounds, a tenth of its limit for a decimal column),
# by the column's id: an import asks 300,000 times, and a field hashes in Python. The column is
# kept in the entry, so that its id is never another's.
ColumnRule = tuple[int, Decimal | None, Decimal | None, Decimal | None]
_RULES: dict[int, tuple[models.Field[Any, Any], ColumnRule]] = {}


def column_rule(column: models.Field[Any, Any]) -> ColumnRule:
    """What `column_problem` checks first: (places, low, high, a tenth of the limit or None)."""
    found = _RULES.get(id(column))
    if found is None:
        inner = column_limit(column) / 10 if isinstance(column, models.DecimalField) else None
        rule = (decimal_places_of(column), *validator_bounds(column), inner)
        found = _RULES[id(column)] = (column, rule)
    return found[1]


@functools.cache  # a column's digits do not change: an import asks 300,000 times
def column_limit(column: models.DecimalField[Any, Any]) -> Decimal:
    """The first magnitude a decimal column cannot hold (10^integer digits)."""
    return Decimal(10) ** (column.max_digits - column.decimal_places)


def model_column(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """Return a model's column by name, typed as a field (a reverse relation is a mistake here)."""
    column = model._meta.get_field(name)
    if not isinstance(column, models.Field):
        raise TypeError(f"{model.__name__}.{name} is a relation, not a column")
    return column


def decimal_column(model: type[models.Model], name: str) -> models.DecimalField[Any, Any]:
    """Return a model's decimal column by name, with its digits and decimal places."""
    column = model_column(model, name)
    if not isinstance(column, models.DecimalField):
        raise TypeError(f"{model.__name__}.{name} is not a decimal column")
    return column


def fit_column(
    number: Decimal | int | None, field_name: str, column: models.Field[Any, Any]
) -> None:
    """Raise a field error when a (possibly computed) number does not fit its column."""
    if number is None:
        return
    exact = Decimal(str(number)) if isinstance(number, float) else Decimal(number)
    problem = column_problem(exact, column)
    if problem:
        raise ValidationError({field_name: problem})


def decimals_in(number: Decimal) -> int:
    """How many decimal places a number really has ("1.50" has 1), without rounding it."""
    _sign, digits, exponent = number.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0:
        return 0
    significant = len(digits)
    while significant and digits[significant - 1] == 0:
        significant -= 1
    if not significant:  # all zeros
        return 0
    return max(0, -exponent - (len(digits) - significant))


def decimal_places_of(column: models.Field[Any, Any]) -> int:
    if isinstance(column, models.DecimalField):
        return int(column.decimal_places)
    return 0  # integer columns


@functools.cache
def validator_bounds(column: models.Field[Any, Any]) -> tuple[Decimal | None, Decimal | None]:
    """The tightest minimum and maximum among the field's validators.

    Integer fields add their database range (e.g. 0–32767 for a positive small integer) as
    validators; fields may add their own (a gap between 0 and 1).
    """
    low: Decimal | None = None
    high: Decimal | None = None
    for validator in column.validators:
        limit = getattr(validator, "limit_value", None)
        if callable(limit) or limit is None:
            continue
        if isinstance(validator, MinValueValidator):
            value = Decimal(str(limit))
            low = value if low is None else max(low, value)
        elif isinstance(validator, MaxValueValidator):
            value = Decimal(str(limit))
            high = value if high is None else min(high, value)
    return low, high


def shown(number: Decimal) -> str:
    """A limit written the way the person reads numbers ("10.000" in vi, "10,000" in en)."""
    from django.utils.translation import get_language

    language = (get_language() or "vi")[:2]
    return format_number(number, language if language in ("vi", "en") else "en", max_decimals=4)


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
