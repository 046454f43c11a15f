"""Template context every page gets."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from okrflow.front.cycle_choice import chosen_cycle, cycles_of
from okrflow.org.access import access_for


def access(request: HttpRequest) -> dict[str, Any]:
    """Expose the user's Access, the page's cycle and the cycle list (one query for both,
    read only if used)."""
    return {
        "access": access_for(request.user),
        "current_cycle": SimpleLazyObject(lambda: chosen_cycle(request)),
        "all_cycles": SimpleLazyObject(lambda: cycles_of(request)),
    }
