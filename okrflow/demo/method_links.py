"""The demo's links beyond the OKR tree (issue #16): hand-offs between departments."""

from __future__ import annotations

from okrflow.demo import content
from okrflow.dependencies.actions import add_dependency
from okrflow.okrs.models import Objective, Shape


def build_method_links(objectives: dict[str, tuple[Objective, content.Objective]]) -> int:
    """Add the article's hand-off: Support answers faster once Product ships the feature."""
    if "support_retention" not in objectives or "product_retention" not in objectives:
        return 0
    support = objectives["support_retention"][0]
    product = objectives["product_retention"][0]
    feature = product.key_results.filter(shape=Shape.MILESTONE).order_by("id").first()
    expected_by = feature.due_date if feature and feature.due_date else product.cycle.end_date
    add_dependency(
        None,
        support,
        product,
        expected_by=expected_by,
        note="Trả lời nhanh hơn cần tính năng mới của Phòng Sản phẩm.",
    )
    return 1
