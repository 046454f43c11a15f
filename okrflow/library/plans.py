"""What a file reader produces and what an import preview shows, before anything is saved.

Readers (`formats_*.py`) turn bytes into `RawObjective`s: titles, owner references and the
columns as written, each with the line (or spreadsheet row) it came from. `preview.py` then
resolves owners, reads sentences and numbers, validates, and produces `ObjectivePlan`s the
importer hands to the actions.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from okrflow.engine.quality_drafts import KeyResultDraft

ERROR = "error"
WARNING = "warning"


@dataclass(slots=True)
class Problem:
    """Something wrong or worth knowing in a file, with where it is."""

    message: str
    line: int | None = None
    severity: str = ERROR
    where: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "line": self.line,
            "where": self.where,
            "message": self.message,
        }


@dataclass(slots=True)
class RawKeyResult:
    """A key result as a file writes it; `columns` holds structured fields when given."""

    line: int
    title: str
    columns: dict[str, Any] = field(default_factory=dict)
    where: str = ""
    initiatives: list[str] = field(default_factory=list)


@dataclass(slots=True)
class RawObjective:
    """An objective as a file writes it, with the heading or owner it sits under."""

    line: int
    title: str
    heading: str = ""
    owner: str = ""
    scope: str = ""
    columns: dict[str, Any] = field(default_factory=dict)
    key_results: list[RawKeyResult] = field(default_factory=list)
    where: str = ""


@dataclass(slots=True)
class ReadResult:
    """Everything a reader found in a file, and what it could not read."""

    format: str
    objectives: list[RawObjective] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def key_result_count(self) -> int:
        return sum(len(objective.key_results) for objective in self.objectives)


@dataclass(slots=True)
class KeyResultPlan:
    """A key result ready for `create_key_result`, with what the checker needs."""

    line: int
    title: str
    shape: str
    direction: str
    due_date: datetime.date | None
    start_value: Decimal | None = None
    target_value: Decimal | None = None
    current_value: Decimal | None = None
    unit: str = ""
    currency: str = ""
    relative_change: Decimal | None = None
    baseline_label: str = ""
    per_period: int | None = None
    period: str = ""
    weight: Decimal = Decimal("1")
    owner: Any = None
    owner_ref: str = ""
    parsed: dict[str, Any] | None = None
    draft: KeyResultDraft | None = None
    where: str = ""
    initiatives: list[str] = field(default_factory=list)
    # #16: the day the key result starts ("từ 15/4") and a compound target's parts.
    start_date: datetime.date | None = None
    parts: list[dict[str, Any]] = field(default_factory=list)
    # A recurring key result's slot ("vào 17:00 thứ Sáu hằng tuần"): weekday 0–6 and hour, or
    # day of the month.
    slot_weekday: int | None = None
    slot_hour: int | None = None
    slot_day_of_month: int | None = None
    # The key result as `build_key_result` checked and built it for the preview (the values of
    # its columns and its staged parts, see `preview.compact`): the import writes it without
    # checking it again. None when the preview could not run the action's checks on it.
    checked: Any = None

    def action_fields(self) -> dict[str, Any]:
        """Return the keyword arguments `create_key_result` takes."""
        return {
            "title": self.title,
            "shape": self.shape,
            "owner": self.owner,
            "direction": self.direction,
            "start_value": self.start_value,
            "target_value": None if self.shape == "relative" else self.target_value,
            "current_value": self.current_value,
            "unit": self.unit,
            "currency": self.currency,
            "relative_change": self.relative_change,
            "baseline_label": self.baseline_label,
            "per_period": self.per_period,
            "period": self.period,
            "due_date": self.due_date,
            "weight": self.weight,
            "start_date": self.start_date,
            "slot_weekday": self.slot_weekday,
            "slot_hour": self.slot_hour,
            "slot_day_of_month": self.slot_day_of_month,
        }


@dataclass(frozen=True)
class ParentLink:
    """An alignment to another objective of the same file, named by its ref."""

    ref: str
    primary: bool = True
    weight: Decimal = Decimal("1")


@dataclass(slots=True)
class ObjectivePlan:
    """An objective ready for `create_objective`, with its owner resolved."""

    line: int
    title: str
    owner: Any
    owner_label: str
    heading: str = ""
    kind: str = "committed"
    state: str = "draft"
    description: str = ""
    is_private: bool = False
    tags: list[str] = field(default_factory=list)
    ref: str = ""
    parents: list[ParentLink] = field(default_factory=list)
    level: str | None = None
    marketing_type: str | None = None
    key_results: list[KeyResultPlan] = field(default_factory=list)
    where: str = ""
    parent_level: str = ""
    duplicate_of: Any = None
    # The owner its key results were checked for (`KeyResultPlan.checked`): an import that
    # gives the objective another owner (a project it creates) checks them again.
    checked_for: Any = None

    @property
    def owner_kind(self) -> str | None:
        from okrflow.library.owners import owner_kind

        return owner_kind(self.owner) if self.owner is not None else None
