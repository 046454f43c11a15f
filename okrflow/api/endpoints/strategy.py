"""Read the organisation's strategy (issue #16): mission, vision, core values and themes."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from okrflow.api.endpoints.common import answers, member_access
from okrflow.okrs.models import Objective
from okrflow.org.models import Organisation
from okrflow.strategy.display import company_links
from okrflow.strategy.models import Statement, StrategyItem

router = Router(tags=["organisation"])


class StrategyItemOut(Schema):
    id: int
    kind: str  # "value" or "theme"
    name: str
    name_en: str
    description: str
    description_en: str
    position: int
    is_archived: bool
    objective_ids: list[int]  # the objectives the caller may see that serve it


class StrategyOut(Schema):
    mission: str
    mission_en: str
    vision: str
    vision_en: str
    items: list[StrategyItemOut]


@router.get("/strategy", response=answers(StrategyOut), summary="Read the strategy")
def get_strategy(request: HttpRequest) -> dict[str, Any]:
    """Mission, vision, core values and strategic themes, read-only for every member."""
    member_access(request)
    organisation = Organisation.current()
    statement = Statement.objects.filter(organisation=organisation).first()
    items = list(StrategyItem.objects.filter(organisation=organisation))
    served: dict[int, list[int]] = {item.pk: [] for item in items}
    links = company_links().filter(
        item__in=items, objective__in=Objective.objects.visible_to(request.user).values("pk")
    )
    for objective_id, item_id in links.values_list("objective_id", "item_id"):
        served[item_id].append(objective_id)
    return {
        "mission": statement.mission if statement else "",
        "mission_en": statement.mission_en if statement else "",
        "vision": statement.vision if statement else "",
        "vision_en": statement.vision_en if statement else "",
        "items": [
            {
                "id": item.pk,
                "kind": item.kind,
                "name": item.name,
                "name_en": item.name_en,
                "description": item.description,
                "description_en": item.description_en,
                "position": item.position,
                "is_archived": item.is_archived,
                "objective_ids": sorted(served[item.pk]),
            }
            for item in items
        ],
    }
