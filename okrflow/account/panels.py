"""The panels of a person's settings page (/account/), collected from `routes/`.

Each module in `routes/` holds one part's URL patterns and, once it has something to show on the
settings page, a `PANEL`: the template to include and a function giving its context. The page
shows whatever panels exist, so a part is added by writing its module and naming it in
`ROUTE_MODULES`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

from django.http import HttpRequest

ROUTE_MODULES = ("password", "tokens", "calendar", "notifications")


@dataclass(frozen=True)
class Panel:
    """One card of the settings page."""

    template: str  # "account/_tokens_panel.html"
    context: Callable[[HttpRequest], dict[str, Any]]  # what the template needs
    order: int


def route_module(name: str) -> Any:
    return import_module(f"okrflow.account.routes.{name}")


@cache
def all_panels() -> tuple[Panel, ...]:
    """Return every panel, in page order."""
    found = [getattr(route_module(name), "PANEL", None) for name in ROUTE_MODULES]
    return tuple(sorted((panel for panel in found if panel), key=lambda p: p.order))
