"""The template library: the article's example OKRs, by level and by marketing type.

The templates are the article's example objectives (`okrflow.library.examples`, which the demo
organisation is built from) in Vietnamese and English with their shapes, numbers and
quarter-relative deadlines; nothing is typed twice. A template is rendered for a cycle: month and quarter placeholders take
the cycle's values and each deadline falls inside it.

Groups: "level" (company, department, department head, specialist), "marketing_type"
(inbound, content, event, email) and "alignment" (the customer-retention example across
sales, marketing, product and support, and marketing working with sales).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from okrflow.engine.quality_dates import Window
from okrflow.library import examples as content

GROUPS = ("level", "marketing_type", "alignment")
GROUP_BY_SOURCE = {
    "article-level": "level",
    "article-type": "marketing_type",
    "article-retention": "alignment",
    "article-sales-focus": "alignment",
}
LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class LibraryTemplate:
    """One example objective with its key results, ready to copy into a cycle."""

    key: str
    group: str
    level: str
    marketing_type: str | None
    objective: content.Objective

    @property
    def kind(self) -> str:
        return self.objective.kind

    @property
    def tags(self) -> tuple[str, ...]:
        return self.objective.tags

    @property
    def parent_key(self) -> str | None:
        return self.objective.parent


@dataclass(frozen=True)
class RenderedKeyResult:
    """A template key result with its title and deadline for one cycle and language."""

    title: str
    shape: str
    direction: str
    due_date: datetime.date
    start_value: Decimal | None
    target_value: Decimal | None
    unit: str
    currency: str
    relative_change: Decimal | None
    baseline_label: str
    per_period: int | None
    period: str
    weight: Decimal

    def action_fields(self) -> dict[str, object]:
        """Return the keyword arguments `create_key_result` takes."""
        return {
            "title": self.title,
            "shape": self.shape,
            "direction": self.direction,
            "start_value": self.start_value,
            "target_value": None if self.shape == "relative" else self.target_value,
            "unit": self.unit,
            "currency": self.currency,
            "relative_change": self.relative_change,
            "baseline_label": self.baseline_label,
            "per_period": self.per_period,
            "period": self.period,
            "due_date": self.due_date,
            "weight": self.weight,
        }


@dataclass(frozen=True)
class RenderedTemplate:
    template: LibraryTemplate
    lang: str
    title: str
    description: str
    key_results: tuple[RenderedKeyResult, ...]


def unit_level(key: str) -> str:
    """Name the level of a demo unit: company, department or team."""
    units = {unit.key: unit for unit in content.UNITS}
    parent = units[key].parent
    if parent is None:
        return "company"
    return "department" if units[parent].parent is None else "team"


def owner_level(objective: content.Objective) -> str:
    """Name the level of a template's owner in the demo org."""
    if objective.owner_kind == "unit":
        return unit_level(objective.owner)
    if objective.owner_kind == "project":
        return "project"
    led = [unit.key for unit in content.UNITS if unit.lead == objective.owner]
    if any(unit_level(key) == "department" for key in led):
        return "department_head"
    return "specialist"


def marketing_type(objective: content.Objective) -> str | None:
    if objective.source != "article-type":
        return None
    return next((tag for tag in objective.tags if tag in content.MARKETING_TYPES), None)


@cache
def all_templates() -> tuple[LibraryTemplate, ...]:
    """Return every template, in the article's order: levels, marketing types, alignment."""
    templates = [
        LibraryTemplate(
            key=objective.key,
            group=GROUP_BY_SOURCE[objective.source],
            level=owner_level(objective),
            marketing_type=marketing_type(objective),
            objective=objective,
        )
        for objective in content.OBJECTIVES
        if objective.source in GROUP_BY_SOURCE
    ]
    return tuple(sorted(templates, key=lambda t: GROUPS.index(t.group)))


def find_template(key: str) -> LibraryTemplate | None:
    return next((t for t in all_templates() if t.key == key), None)


def filter_templates(
    level: str = "", marketing: str = "", group: str = ""
) -> list[LibraryTemplate]:
    """Return the templates matching every filter given."""
    return [
        t
        for t in all_templates()
        if (not level or t.level == level)
        and (not marketing or t.marketing_type == marketing)
        and (not group or t.group == group)
    ]


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def due_in_window(due: content.Due | None, window: Window) -> datetime.date:
    """Place a quarter-relative deadline in the cycle that starts the window."""
    year, quarter = window.start.year, quarter_of(window.start)
    day = content.resolve_due(due, year, quarter)
    return day if window.contains(day) else window.end


def render_key_result(kr: content.KeyResult, lang: str, window: Window) -> RenderedKeyResult:
    year, quarter = window.start.year, quarter_of(window.start)
    label = (kr.baseline_label_en if lang == "en" else kr.baseline_label) or ""

    def number(value: str | None) -> Decimal | None:
        return None if value is None else Decimal(value)

    return RenderedKeyResult(
        title=content.render_text(kr.title_en if lang == "en" else kr.title, year, quarter),
        shape=kr.shape,
        direction=kr.direction or ("at_least" if kr.shape == "threshold" else "increase"),
        due_date=due_in_window(kr.due, window),
        start_value=number(kr.start),
        target_value=kr.effective_target,
        unit=kr.unit,
        currency=kr.currency or "",
        relative_change=number(kr.relative_change),
        baseline_label=content.render_text(label, year, quarter),
        per_period=kr.per_period,
        period=kr.period or "",
        weight=Decimal(kr.weight),
    )


def render_template(template: LibraryTemplate, lang: str, window: Window) -> RenderedTemplate:
    """Render a template's titles and deadlines for a cycle, in Vietnamese or English."""
    objective = template.objective
    year, quarter = window.start.year, quarter_of(window.start)
    title = objective.title_en if lang == "en" else objective.title
    description = content.render_text(objective.description, year, quarter) if lang == "vi" else ""
    return RenderedTemplate(
        template=template,
        lang=lang,
        title=content.render_text(title, year, quarter),
        description=description,
        key_results=tuple(render_key_result(kr, lang, window) for kr in objective.key_results),
    )


def default_window(today: datetime.date) -> Window:
    """Return the calendar quarter of a day, for showing templates before a cycle is chosen."""
    quarter = quarter_of(today)
    start = datetime.date(today.year, 3 * quarter - 2, 1)
    end = content.resolve_due(None, today.year, quarter)
    return Window(start, end)
