"""Where the people actions find a person's open OKR work, to hand it over when they leave.

`org` sits below `okrs` (objectives are owned by org's people, units and projects), so org never
imports okrs: okrs registers what a person owns and how to hand it over here from its
`AppConfig.ready()` (layering in docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet

from okrflow.org.models import Person

# A person's open items of one kind: objectives, key results or initiatives.
Items = Callable[[Person], "QuerySet[Any]"]


@dataclass(frozen=True)
class HandedOver:
    objectives: int = 0
    key_results: int = 0
    initiatives: int = 0


@dataclass(frozen=True)
class OpenWork:
    """What an app owning OKR work tells the people actions."""

    objectives: Items
    key_results: Items
    initiatives: Items
    # (actor, leaver, taker) → how many of each it gave, one audit row per item.
    hand_over: Callable[[Any, Person, Person], HandedOver]


_provider: list[OpenWork] = []


def set_open_work(work: OpenWork) -> None:
    """Let the app that owns objectives say what a person owns and how to hand it over."""
    _provider[:] = [work]


def open_work() -> OpenWork:
    if not _provider:
        raise ImproperlyConfigured("okrflow.okrs must be installed: it registers open OKR work.")
    return _provider[0]
