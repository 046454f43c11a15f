"""How the strategy is read: the panel above the company's objectives, "Serves" lines, counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from okrflow.org.models import Organisation
from okrflow.strategy.models import ItemKind, ServedBy, Statement, StrategyItem


@dataclass
class ShownItem:
    pk: int
    name: str
    description: str


@dataclass
class StrategyPanel:
    """Mission, vision, values and themes in the reader's language (empty: nothing to show)."""

    mission: str = ""
    vision: str = ""
    values: list[ShownItem] = field(default_factory=list)
    themes: list[ShownItem] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.mission or self.vision or self.values or self.themes)


def shown_text(text: str, text_en: str, language: str | None) -> str:
    return text_en if (language or "")[:2] == "en" and text_en else text


def strategy_panel(organisation: Organisation | None = None) -> StrategyPanel:
    """Read the organisation's strategy for the reader's language (two queries)."""
    language = get_language()
    organisation = organisation or Organisation.current()
    panel = StrategyPanel()
    statement = Statement.objects.filter(organisation=organisation).first()
    if statement is not None:
        panel.mission = shown_text(statement.mission, statement.mission_en, language)
        panel.vision = shown_text(statement.vision, statement.vision_en, language)
    for item in StrategyItem.objects.filter(organisation=organisation, is_archived=False):
        shown = ShownItem(item.pk, item.shown_name(language), item.shown_description(language))
        (panel.values if item.kind == ItemKind.VALUE else panel.themes).append(shown)
    return panel


def company_links() -> Any:
    """The links that count: only a company objective serves a value or theme. An objective whose
    owner moved away from the company by another route (the API, an import) keeps its row, unread,
    and serves again if it comes back."""
    return ServedBy.objects.filter(
        objective__owner_unit__isnull=False, objective__owner_unit__parent__isnull=True
    )


def served_names(objective_ids: Any) -> dict[int, str]:
    """The name of the value or theme each of these objectives serves (one query)."""
    language = get_language()
    links = company_links().filter(objective_id__in=objective_ids).select_related("item")
    return {link.objective_id: link.item.shown_name(language) for link in links}


def attach_serves(rows: list[Any]) -> None:
    """Set `serves` on each tree row: the value or theme its objective serves, or ""."""
    names = served_names([row.report.objective.pk for row in rows]) if rows else {}
    for row in rows:
        row.serves = names.get(row.report.objective.pk, "")


def serves_options(user: Any, objective: Any) -> list[tuple[str, str]] | None:
    """The editor's options: live values and themes, for company objectives only."""
    from okrflow.strategy.actions import is_company_objective

    if not is_company_objective(objective):
        return None
    language = get_language()
    current = ServedBy.objects.filter(objective=objective).values_list("item_id", flat=True)
    items = StrategyItem.objects.filter(organisation=Organisation.current()).exclude(
        is_archived=True
    ) | StrategyItem.objects.filter(pk__in=current)
    options = [("", _("— none —"))]
    for item in items.order_by("kind", "position", "id"):
        kind = _("Core value") if item.kind == ItemKind.VALUE else _("Strategic theme")
        options.append((str(item.pk), f"{kind}: {item.shown_name(language)}"))
    return options if len(options) > 1 else None


def serves_initial(objective: Any) -> str:
    link = company_links().filter(objective=objective).values_list("item_id", flat=True).first()
    return str(link) if link else ""


def save_serves(actor: Any, objective: Any, value: str) -> None:
    from okrflow.strategy.actions import set_objective_serves

    item = None
    if value:
        try:
            item = StrategyItem.objects.get(pk=int(value))
        except (ValueError, StrategyItem.DoesNotExist) as error:
            raise ValidationError(
                {"serves": _("Choose one of the listed values or themes.")}
            ) from error
    set_objective_serves(actor, objective, item)


def serves_line(objective: Any) -> str | None:
    name = served_names([objective.pk]).get(objective.pk)
    return _("Serves: %(name)s") % {"name": name} if name else None


def fill_serves(objectives: list[dict[str, Any]], objective_ids: Any) -> None:
    """Add `serves` to each exported objective: [{"id", "kind", "name", "name_en"}] (one query)."""
    ids = [objective["id"] for objective in objectives]
    links = company_links().filter(objective_id__in=ids).select_related("item") if ids else []
    found = {
        link.objective_id: [
            {
                "id": link.item.pk,
                "kind": link.item.kind,
                "name": link.item.name,
                "name_en": link.item.name_en,
            }
        ]
        for link in links
    }
    for objective in objectives:
        objective["serves"] = found.get(objective["id"], [])
