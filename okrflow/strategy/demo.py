"""The demo company's strategy (issue #16): what a brand consultancy stands for.

The seed article closes on OKRs that serve the company's core values; each of the demo's
company objectives names the value it serves.
"""

from __future__ import annotations

from typing import Any

from okrflow.strategy.actions import (
    create_strategy_item,
    set_mission_and_vision,
    set_objective_serves,
)
from okrflow.strategy.models import ServedBy, Statement, StrategyItem

MISSION = "Giúp doanh nghiệp Việt xây dựng thương hiệu rõ ràng, nhất quán và đáng tin cậy."
MISSION_EN = "Help Vietnamese businesses build brands that are clear, consistent and trusted."
VISION = "Trở thành công ty tư vấn phát triển thương hiệu doanh nghiệp hàng đầu Việt Nam."
VISION_EN = "Become Vietnam's leading corporate brand-development consultancy."

# (key, name, English name, description, English description)
VALUES = (
    (
        "client",
        "Tận tâm với khách hàng",
        "Devoted to our clients",
        "Thành công của thương hiệu khách hàng là thành công của chúng tôi.",
        "Our clients' brands succeeding is our success.",
    ),
    (
        "creative",
        "Sáng tạo khác biệt",
        "Distinctive creativity",
        "Mỗi thương hiệu một câu chuyện riêng, không rập khuôn.",
        "Every brand its own story, never a template.",
    ),
    (
        "open",
        "Minh bạch và tích cực",
        "Open and positive",
        "Mục tiêu, tiến độ và khó khăn đều công khai; cùng nhau tìm giải pháp.",
        "Goals, progress and obstacles in the open; solutions found together.",
    ),
)

# Which value each company objective of the demo serves.
SERVES = {"company_top3": "creative", "company_retention": "client"}


def build_demo_strategy(objectives: dict[str, tuple[Any, Any]]) -> int:
    """Write the mission, vision and values; link each company objective to its value."""
    set_mission_and_vision(
        None, mission=MISSION, mission_en=MISSION_EN, vision=VISION, vision_en=VISION_EN
    )
    items = {
        key: create_strategy_item(
            None,
            kind="value",
            name=name,
            name_en=name_en,
            description=description,
            description_en=description_en,
        )
        for key, name, name_en, description, description_en in VALUES
    }
    linked = 0
    for objective_key, value_key in SERVES.items():
        if objective_key in objectives:
            set_objective_serves(None, objectives[objective_key][0], items[value_key])
            linked += 1
    return linked


def erase_strategy() -> None:
    """Delete the strategy (`okrflow demo --reset`): a value protects the objectives' links."""
    ServedBy.objects.all().delete()
    StrategyItem.objects.all().delete()
    Statement.objects.all().delete()
