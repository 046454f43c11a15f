"""A unit lead records that their objective waits for another unit's, and sees the hand-off risk."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from okrflow.cycles.actions import create_cycle
from okrflow.cycles.models import CycleState
from okrflow.dependencies.models import Dependency
from okrflow.okrs.actions import create_key_result, create_objective, record_key_result_value
from okrflow.okrs.models import Objective
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import World

pytestmark = pytest.mark.browser


def support_and_product(world: World) -> tuple[Objective, Objective]:
    """Marketing answers faster once Sales ships its feature; Sales' is far behind pace."""
    today = timezone.localdate()
    cycle = create_cycle(
        None,
        name="Current quarter",
        start_date=today - datetime.timedelta(weeks=8),
        end_date=today + datetime.timedelta(weeks=5),
        state=CycleState.ACTIVE,
    )
    waiting = create_objective(
        None, cycle=cycle, title="Answer clients quickly", owner=world.marketing
    ).value
    create_key_result(
        None,
        waiting,
        title="Reply within 30 minutes",
        start_value=55,
        target_value=30,
        direction="decrease",
        owner=world.lead,
    )
    feature = create_objective(
        None, cycle=cycle, title="Ship the feature clients need", owner=world.sales
    ).value
    adoption = create_key_result(
        None,
        feature,
        title="40% of clients try the feature",
        start_value=0,
        target_value=40,
        owner=world.sales_head,
    ).value
    for week in range(1, 9):
        day = cycle.start_date + datetime.timedelta(weeks=week)
        record_key_result_value(None, adoption, value=Decimal(week // 4), measured_on=day)
    return waiting, feature


def test_the_waiting_objective_shows_the_sudden_risk(page, live_server, live_world: World) -> None:  # type: ignore[no-untyped-def]
    waiting, feature = support_and_product(live_world)
    sign_in(page, live_server, "head.marketing")

    page.goto(f"{live_server.url}/objectives/{waiting.pk}/")
    page.click(".dependency-add summary")
    page.select_option("select[name=target]", f"objective:{feature.pk}")
    by = timezone.localdate() + datetime.timedelta(weeks=3)
    page.fill("input[name=expected_by]", by.isoformat())
    page.click(".dependency-add button[type=submit]")
    page.wait_for_selector(".dependency-risk")
    assert Dependency.objects.filter(dependent_objective=waiting, target_objective=feature).exists()
    risk = page.locator(".dependency-risk").inner_text()
    assert "Ship the feature clients need" in risk
    assert "points behind" in risk or "điểm so với tiến độ" in risk  # the reader's language
    assert page.locator(".dependency-list", has_text="Ship the feature clients need").count() == 1
    screenshot(page, "dependency-objective")

    page.goto(f"{live_server.url}/objectives/{feature.pk}/")
    assert page.locator("#dependencies", has_text="Answer clients quickly").count() == 1

    page.goto(f"{live_server.url}/company/")
    assert page.locator(".browse-hand-off", has_text="Ship the feature clients need").count() == 1

    page.goto(f"{live_server.url}/insights/risks/")
    sudden = page.locator(".ins-risk.kind-sudden", has_text="Ship the feature clients need")
    assert sudden.count() >= 1
    screenshot(page, "dependency-risks")


def test_the_kpi_is_checked_in_on_the_weekly_screen(page, live_server, live_world: World) -> None:  # type: ignore[no-untyped-def]
    from okrflow.kpis.actions import create_kpi, record_kpi_value
    from okrflow.kpis.models import KpiValue

    kpi = create_kpi(
        None,
        name="Cost per lead",
        owner=live_world.marketing,
        range_kind="at_most",
        maximum=150,
        unit="k₫",
    )
    today = timezone.localdate()
    for weeks, value in [(3, 120), (2, 156), (1, 162)]:
        record_kpi_value(
            None, kpi, value=value, measured_on=today - datetime.timedelta(weeks=weeks)
        )
    sign_in(page, live_server, "specialist.marketing")

    page.goto(f"{live_server.url}/checkins/")
    row = page.locator(f"#kpi-checkin-{kpi.pk}")
    assert "Cost per lead" in row.inner_text()
    assert row.locator(".kpi-warned").count() == 1  # out of range at the last two check-ins
    row.locator("input[name=value]").fill("140")
    row.locator("button[type=submit]").click()
    page.wait_for_selector(f"#kpi-checkin-{kpi.pk}")
    assert KpiValue.objects.filter(kpi=kpi, measured_on=today, value=140).exists()
    assert page.locator(f"#kpi-checkin-{kpi.pk} .kpi-warned").count() == 0
    screenshot(page, "kpi-checkin")
