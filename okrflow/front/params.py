"""One reading of every id or number that arrives in a URL or a form.

`str.isdigit()` is true for "²" and "٣", which `int()` then refuses or reads as another number, and
an id beyond 64 bits overflows the database: both were server errors. Every view reads ids, page
numbers, versions and `next=` addresses through these helpers, which answer 400 or 404 instead.
"""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

# The largest primary key any database column here holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1
ASCII_DIGITS = frozenset("0123456789")


def parse_id(raw: object) -> int | None:
    """Read a non-negative whole number of ASCII digits that fits a 64-bit column, else None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw if 0 <= raw <= MAX_ID else None
    if not isinstance(raw, str):
        return None
    text = raw.strip()
    # 19 digits is the most a 64-bit signed integer has; checking length first keeps int() cheap.
    if not text or len(text) > 19 or not set(text) <= ASCII_DIGITS:
        return None
    number = int(text)
    return number if number <= MAX_ID else None


def parse_small_int(raw: object, *, default: int, low: int, high: int) -> int:
    """Read a count such as a number of rows, clamped to [low, high]; default when unreadable."""
    number = parse_id(raw)
    return default if number is None else max(low, min(number, high))


def id_or_404(raw: object) -> int:
    """Read an id, answering 404 (nothing is found under an unreadable id) when it is not one."""
    number = parse_id(raw)
    if number is None:
        raise Http404(_("Nothing was found at this address."))
    return number


def version_or_400(raw: object) -> int | None:
    """Read the version a form was opened at: None when absent, 400 when it is not a number."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    number = parse_id(raw)
    if number is None:
        raise BadRequest(_("The form was sent with an unreadable version. Reload the page."))
    return number


def safe_next(request: HttpRequest, raw: object, default: str) -> str:
    """Return where to go after a form: the asked address if it stays on this site, else default."""
    if not isinstance(raw, str) or not raw:
        return default
    allowed = url_has_allowed_host_and_scheme(
        raw, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    # A relative path such as "abc" resolves against the current page: only absolute paths.
    return raw if allowed and raw.startswith("/") and not raw.startswith("//") else default
