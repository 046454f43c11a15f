"""The sections of the administration pages, collected from `routes/`.

Each module in `routes/` holds one section's URL patterns and, once it has a page to show, a
`SECTION` naming its tab. The tabs and the home page list whatever sections exist, so a section
is added by writing its module and naming it in `ROUTE_MODULES`, nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import import_module
from typing import Any

ROUTE_MODULES = (
    "units",
    "people",
    "people_import",
    "invitations",
    "projects",
    "strategy",
    "cycles",
    "rules",
    "integrations",
    "api_tokens",
)


@dataclass(frozen=True)
class Section:
    """One tab of the administration pages."""

    key: str  # what a page passes as `section` to mark its tab current
    url_name: str  # "administration:units"
    label: Any  # a lazy translation
    description: Any  # one sentence for the home page, a lazy translation
    order: int


def route_module(name: str) -> Any:
    return import_module(f"okrflow.administration.routes.{name}")


@cache
def all_sections() -> tuple[Section, ...]:
    """Return every section that has a page, in tab order."""
    found = [getattr(route_module(name), "SECTION", None) for name in ROUTE_MODULES]
    return tuple(sorted((section for section in found if section), key=lambda s: s.order))
