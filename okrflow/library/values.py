"""Read the cells of a file: numbers in either language's style, dates, yes/no, tag lists.

Every reader raises `CellError` with a message in the user's language; callers attach the
line number.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from okrflow.engine.numbers import parse_number

LIMIT = Decimal("1e16")
YES = {"yes", "y", "true", "1", "x", "có", "co", "private", "riêng tư"}
NO = {"no", "n", "false", "0", "không", "khong", ""}
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


class CellError(ValueError):
    """A cell that cannot be read, with the reason in the user's language."""


def read_decimal(value: Any, lang: str) -> Decimal | None:
    """Read a number: "10.000" and "1,5" in Vietnamese, "10,000" and "1.5" in English."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise CellError(_("“%(value)s” is not a number.") % {"value": value})
        return None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = str(value).strip().lstrip("'")
        if not text:
            return None
        try:
            number = parse_number(text, lang)
        except ValueError:
            try:
                number = Decimal(text)
            except InvalidOperation as error:
                message = _("“%(value)s” is not a number.") % {"value": text[:40]}
                raise CellError(message) from error
    if not number.is_finite() or abs(number) >= LIMIT:
        raise CellError(_("“%(value)s” is not a usable number.") % {"value": str(value)[:40]})
    return number


def read_count(value: Any, lang: str) -> int | None:
    """Read a whole number of times (1 or more)."""
    number = read_decimal(value, lang)
    if number is None:
        return None
    if number != number.to_integral_value() or number < 1 or number > 1000:
        raise CellError(_("Enter a whole number of times, at least 1."))
    return int(number)


def read_date(value: Any) -> datetime.date | None:
    """Read a date: a spreadsheet date, "2026-06-30" or "30/06/2026"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = str(value).strip()
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        pass
    match = _DAY_MONTH_YEAR.match(text)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return datetime.date(year, month, day)
        except ValueError:
            pass
    raise CellError(
        _("“%(value)s” is not a date; write 2026-06-30 or 30/06/2026.") % {"value": text[:40]}
    )


def read_bool(value: Any) -> bool:
    """Read yes/no ("yes", "x", "có", true)."""
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellError(_("Write yes or no, not “%(value)s”.") % {"value": text[:40]})


def read_tags(value: Any) -> list[str]:
    """Read tags from a list or from "inbound, seo" / "#inbound #seo"."""
    if value is None:
        return []
    items = value if isinstance(value, list) else re.split(r"[,;\s]+", str(value))
    return [str(item).strip().lstrip("#") for item in items if str(item).strip().lstrip("#")]


def read_choice(value: Any, choices: dict[str, str], label: Any) -> str:
    """Read one of a set of words (English or Vietnamese) into its stored value; `label`
    names the column (a lazy translation: worded only when the cell is refused)."""
    text = " ".join(str(value or "").strip().lower().split())
    if text in choices:
        return choices[text]
    known = ", ".join(sorted(set(choices.values())))
    raise CellError(
        _("“%(value)s” is not a valid %(label)s; use one of: %(known)s.")
        % {"value": text[:40], "label": label, "known": known}
    )
