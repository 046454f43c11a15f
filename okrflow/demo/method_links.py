"""The demo's links beyond the OKR tree (issue #16): hand-offs between departments."""

from __future__ import annotations

import datetime
from decimal import Decimal

from okrflow.cycles.models import Cycle
from okrflow.demo import content
from okrflow.dependencies.actions import add_dependency
from okrflow.kpis.actions import create_kpi, link_key_result_to_kpi, record_kpi_value
from okrflow.okrs.models import KeyResult, Objective, Shape
from okrflow.org.models import OrgUnit

# Marketing's two health metrics, one value a week: sessions hold up; cost per lead has crept
# above its ceiling at the last two check-ins, so the KPI is warned.
SESSIONS = [4800, 5200, 5600, 5900, 6100, 5800, 6300, 6500, 6400, 6800, 7000, 7100, 7300]
COST_PER_LEAD = [120, 118, 125, 122, 130, 128, 135, 140, 138, 145, 149, 156, 162]


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


def build_demo_kpis(cycle: Cycle, today: datetime.date, marketing: OrgUnit | None) -> int:
    """Give Marketing its two KPIs with a value each week of the cycle so far."""
    if marketing is None:
        return 0
    sessions = create_kpi(
        None,
        name="Lượt truy cập website mỗi tuần",
        owner=marketing,
        range_kind="at_least",
        minimum=Decimal(5000),
        unit="lượt",
    )
    cost = create_kpi(
        None,
        name="Chi phí cho mỗi khách hàng tiềm năng",
        owner=marketing,
        range_kind="at_most",
        maximum=Decimal(150),
        unit="nghìn ₫",
    )
    weeks = [
        cycle.start_date + datetime.timedelta(weeks=n)
        for n in range(len(SESSIONS))
        if cycle.start_date + datetime.timedelta(weeks=n) <= today
    ]
    # The newest values land on the latest weeks, whatever day the demo is built on.
    for kpi, series in ((sessions, SESSIONS), (cost, COST_PER_LEAD)):
        for day, value in zip(weeks, series[len(series) - len(weeks) :], strict=True):
            record_kpi_value(None, kpi, value=Decimal(value), measured_on=day)
    website = (
        KeyResult.objects.filter(
            objective__cycle=cycle, objective__owner_unit=marketing, title__icontains="website"
        )
        .order_by("id")
        .first()
    )
    if website is not None:
        link_key_result_to_kpi(None, website, sessions)
    return 2


def erase_method_links() -> None:
    """Delete the KPIs and dependencies (`okrflow demo --reset`): KPIs protect their owners."""
    from okrflow.dependencies.models import Dependency
    from okrflow.kpis.models import Kpi

    Dependency.objects.all().delete()
    Kpi.objects.all().delete()
