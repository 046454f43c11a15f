"""Cursor pagination: pages ordered by id, each naming the next with an opaque cursor."""

from __future__ import annotations

import base64
import binascii
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from okrflow.api.errors import ProblemError
from okrflow.front.params import parse_id

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
T = TypeVar("T")


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(f"after:{last_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """Read a cursor this API gave out; anything else is a 400 problem."""
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        text = ""
    label, _colon, number = text.partition(":")
    last_id = parse_id(number) if label == "after" else None
    if last_id is None:
        raise ProblemError(400, "bad-cursor", _("This cursor is not one the API gave out."))
    return last_id


def page_of(
    queryset: QuerySet[Any], cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """Return one page of the queryset (by ascending id) and the cursor of the next, if any."""
    queryset = queryset.order_by("pk")
    if cursor:
        queryset = queryset.filter(pk__gt=decode_cursor(cursor))
    rows = list(queryset[: limit + 1])
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, encode_cursor(rows[-1].pk)
    return rows, None
