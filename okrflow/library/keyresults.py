"""Build a key result's stored fields from a file: from its columns, or from its sentence.

A key result with a `shape` column is taken as written (CSV, XLSX, JSON exports). Without one,
the sentence is parsed (`sentence.py`) and its stated deadline placed inside the cycle; `due`,
`weight`, `current` and `kr_owner` columns still apply. Nothing here touches the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from okrflow.engine.kr_parser import parse_key_result
from okrflow.engine.quality_dates import Window, deadline_date
from okrflow.engine.quality_drafts import draft_from_figures, draft_from_parse
from okrflow.library.plans import WARNING, KeyResultPlan, Problem, RawKeyResult
from okrflow.library.sentence import fields_from_parse
from okrflow.library.values import (
    CellError,
    read_choice,
    read_count,
    read_date,
    read_decimal,
)

SHAPES = {
    name: name
    for name in (
        "metric",
        "threshold",
        "percentage",
        "currency",
        "relative",
        "milestone",
        "recurring",
    )
}
DIRECTIONS = {
    "increase": "increase",
    "decrease": "decrease",
    "at_least": "at_least",
    "at least": "at_least",
    "at_most": "at_most",
    "at most": "at_most",
    "tăng": "increase",
    "giảm": "decrease",
    "tối thiểu": "at_least",
    "tối đa": "at_most",
}
PERIODS = {"week": "week", "month": "month", "tuần": "week", "tháng": "month", "": ""}
CURRENCIES = {"vnd": "VND", "usd": "USD", "": ""}
# The columns' names, translated only when a cell is refused: a large file's 150,000 key
# results would otherwise look up the same three words 450,000 times.
SHAPE_LABEL = gettext_lazy("shape")
CURRENCY_LABEL = gettext_lazy("currency")
PERIOD_LABEL = gettext_lazy("period")


@dataclass
class BuiltKeyResult:
    plan: KeyResultPlan
    problems: list[Problem] = field(default_factory=list)


def short_date(day: Any) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


class Collector:
    """Read cells one by one, keeping every error instead of stopping at the first."""

    def __init__(self, raw: RawKeyResult) -> None:
        self.raw = raw
        self.problems: list[Problem] = []

    def read(self, reader: Any, *args: Any) -> Any:
        try:
            return reader(*args)
        except CellError as error:
            self.problems.append(Problem(str(error), self.raw.line or None, where=self.raw.where))
            return None

    def warn(self, message: str) -> None:
        line = self.raw.line or None
        self.problems.append(Problem(message, line, WARNING, self.raw.where))


def structured_plan(raw: RawKeyResult, cells: Collector, lang: str) -> KeyResultPlan:
    """Take a key result's shape and figures from its columns."""
    columns = raw.columns
    shape = cells.read(read_choice, columns["shape"], SHAPES, SHAPE_LABEL) or "metric"
    default = "at_least" if shape == "threshold" else "increase"
    direction = cells.read(read_choice, columns.get("direction", default), DIRECTIONS, "direction")
    currency = cells.read(read_choice, columns.get("currency", ""), CURRENCIES, CURRENCY_LABEL)
    return KeyResultPlan(
        line=raw.line,
        title=raw.title,
        shape=shape,
        direction=direction or default,
        due_date=None,
        start_value=cells.read(read_decimal, columns.get("start"), lang),
        target_value=cells.read(read_decimal, columns.get("target"), lang),
        unit=str(columns.get("unit") or "").strip(),
        currency=currency or "",
        relative_change=cells.read(read_decimal, columns.get("change"), lang),
        baseline_label=str(columns.get("baseline") or "").strip(),
        per_period=cells.read(read_count, columns.get("per_period"), lang),
        period=cells.read(read_choice, columns.get("period", ""), PERIODS, PERIOD_LABEL) or "",
        where=raw.where,
    )


def sentence_plan(
    raw: RawKeyResult, cells: Collector, window: Window | None, lang: str | None
) -> KeyResultPlan:
    """Read a key result's shape and figures from its sentence."""
    parsed = parse_key_result(raw.title, lang)
    draft, label = draft_from_parse(parsed, window)
    fields = fields_from_parse(parsed, label)
    due = None
    if parsed.deadline is not None and window is not None:
        stated = deadline_date(parsed.deadline, window)
        if stated is not None and not window.contains(stated):
            cells.warn(
                _(
                    "The deadline %(stated)s falls outside the cycle (%(start)s – %(end)s); "
                    "the due date is set to %(due)s."
                )
                % {
                    "stated": short_date(stated),
                    "start": short_date(window.start),
                    "end": short_date(window.end),
                    "due": short_date(window.end),
                }
            )
        # A date outside the cycle cannot be kept; the cycle's end is the neutral choice
        # (the first day would make the key result late from the start).
        due = stated if stated is not None and window.contains(stated) else None
    if fields.shape == "recurring" and due is not None:
        # "1 lần/tuần trước 15/4": the date is when the rhythm must start, not when it ends.
        cells.warn(
            _(
                "A recurring commitment runs to the end of the cycle; %(day)s is read as the "
                "date it starts."
            )
            % {"day": short_date(due)}
        )
        due = None
    for note in fields.notes:
        cells.warn(note_message(note, fields.baseline_label, fields.relative_change))
    plan = KeyResultPlan(
        line=raw.line,
        title=raw.title,
        due_date=due,
        parsed=parsed.to_json(),
        draft=draft,
        where=raw.where,
        **fields.as_dict(),
    )
    read_start_and_parts(plan, parsed, cells, window)
    read_slot(plan, parsed)
    return plan


def read_slot(plan: KeyResultPlan, parsed: Any) -> None:
    """Keep a recurring key result's slot when its rhythm holds it (a weekday needs a week)."""
    slot = parsed.slot
    if slot is None or plan.shape != "recurring":
        return
    if slot.weekday is not None and plan.period == "week":
        plan.slot_weekday, plan.slot_hour = slot.weekday, slot.hour
    elif slot.day_of_month is not None and plan.period == "month":
        plan.slot_day_of_month, plan.slot_hour = slot.day_of_month, slot.hour


def read_start_and_parts(plan: KeyResultPlan, parsed: Any, cells: Collector, window: Any) -> None:
    """Keep the sentence's start date ("từ 15/4") and its measurable parts ("A và B")."""
    from okrflow.engine.kr_shapes import start_day

    if parsed.starts is not None and window is not None:
        day = start_day(parsed.starts, window)
        if day is not None and window.contains(day):
            plan.start_date = day
        elif day is not None:
            cells.warn(
                _(
                    "The start %(day)s falls outside the cycle; the key result starts with the cycle."
                )
                % {"day": short_date(day)}
            )
    plan.parts = [
        {
            "label": str(part["text"])[:200],
            "shape": "percentage" if part["kind"] == "percentage" else "metric",
            "direction": "decrease" if part["direction"] == "decrease" else "increase",
            "start_value": part["start"] if part["start"] is not None else 0,
            "target_value": part["target"],
            "unit": part["unit"] or "",
        }
        for part in parsed.parts
    ]


def note_message(note: str, label: str, change: Decimal | None) -> str:
    """Explain a choice the sentence mapping made."""
    if note == "baseline_index":
        target = 100 + (change or 0)
        values = {"label": label or _("the earlier period"), "target": f"{target:g}"}
        return (
            _(
                "The value of %(label)s is not written, so the start is recorded as 100%% and the "
                "target as %(target)s%%. Enter the real starting value when you know it."
            )
            % values
        )
    return _("A count per quarter is tracked as a total for the cycle.")


def build_key_result(
    raw: RawKeyResult,
    window: Window | None,
    *,
    lang: str | None = None,
    number_lang: str = "vi",
) -> BuiltKeyResult:
    """Build a key result's plan (without its owner) and report what cannot be read."""
    cells = Collector(raw)
    if "shape" in raw.columns:
        plan = structured_plan(raw, cells, number_lang)
    else:
        plan = sentence_plan(raw, cells, window, lang)
    columns = raw.columns
    if columns.get("due") is not None:
        plan.due_date = cells.read(read_date, columns["due"])
    if columns.get("start_date") is not None:
        plan.start_date = cells.read(read_date, columns["start_date"])
    if plan.due_date is None and window is not None:
        plan.due_date = window.end
    plan.current_value = cells.read(read_decimal, columns.get("current"), number_lang)
    weight = cells.read(read_decimal, columns.get("weight"), number_lang)
    plan.weight = weight if weight is not None else Decimal(1)
    plan.owner_ref = str(columns.get("kr_owner") or "").strip()
    if plan.draft is None:
        plan.draft = figures_draft(plan, lang)
    return BuiltKeyResult(plan, cells.problems)


def figures_draft(plan: KeyResultPlan, lang: str | None) -> Any:
    """Describe a key result built from columns to the quality checker."""
    return draft_from_figures(
        plan.title,
        shape=plan.shape,
        lang=lang,
        direction=plan.direction,
        start=plan.start_value,
        target=plan.target_value,
        unit=plan.unit,
        relative_change=plan.relative_change,
        baseline_label=plan.baseline_label,
        per_period=plan.per_period,
        due=plan.due_date,
    )
