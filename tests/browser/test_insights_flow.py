"""A unit lead walks the insights dashboard to a risk and its key result chart, in real Chromium."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from okrflow.cycles.actions import create_cycle
from okrflow.cycles.models import CycleState
from okrflow.okrs.actions import create_key_result, create_objective, record_key_result_value
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import World

pytestmark = pytest.mark.browser


def current_okrs(world: World) -> None:
    """A cycle around today with a key result far behind pace and one on pace."""
    today = timezone.localdate()
    cycle = create_cycle(
        None,
        name="Current quarter",
        start_date=today - datetime.timedelta(weeks=8),
        end_date=today + datetime.timedelta(weeks=5),
        state=CycleState.ACTIVE,
    )
    company = create_objective(
        None, cycle=cycle, title="Lead the brand consulting market", owner=world.company
    ).value
    create_key_result(
        None, company, title="Market share", start_value=10, target_value=20, owner=world.ceo
    )
    seo = create_objective(
        None,
        cycle=cycle,
        title="Own SEO for “brand consulting”",
        owner=world.marketing,
        parent=company,
    ).value
    visits = create_key_result(
        None,
        seo,
        title="Website visits up from 1,000 to 2,000",
        start_value=1000,
        target_value=2000,
        owner=world.member,
    ).value
    fans = create_key_result(
        None,
        seo,
        title="Fanpage reaches 10,000 followers",
        start_value=0,
        target_value=10000,
        owner=world.lead,
    ).value
    for week in range(1, 9):
        day = cycle.start_date + datetime.timedelta(weeks=week)
        record_key_result_value(None, visits, value=Decimal(1000 + 35 * week), measured_on=day)
        record_key_result_value(None, fans, value=Decimal(770 * week), measured_on=day)


def test_lead_follows_a_risk_to_its_chart(page, live_server, live_world: World) -> None:  # type: ignore[no-untyped-def]
    current_okrs(live_world)
    sign_in(page, live_server, "head.marketing")

    page.goto(f"{live_server.url}/insights/?cycle=")
    page.wait_for_selector(".ins-heat")
    assert page.locator(".ins-stat").count() == 7  # objectives, five statuses, forecast
    assert page.locator(".ins-heat tbody tr").count() >= 2  # company and marketing rows
    risk = page.locator(".ins-risk.kind-end_of_cycle", has_text="Website visits")
    assert risk.count() == 1
    assert page.locator(".ins-risk", has_text="Fanpage").count() == 0  # on pace: no false alarm
    screenshot(page, "insights-company")

    risk.locator(".ins-risk-title a").click()
    page.wait_for_selector(".ins-chart svg polyline.actual")
    assert page.locator(".ins-chart polygon.band").count() == 1
    assert page.locator(".ins-chart polyline.pace").count() == 1
    assert page.locator(".ins-chart circle.actual-point").count() == 8
    assert "Website visits up from 1,000 to 2,000" in page.locator("h1").inner_text()
    assert page.locator(".ins-risk.kind-end_of_cycle").count() == 1
    screenshot(page, "insights-key-result")

    page.click("button[name=language][value=en]")
    page.wait_for_selector("text=Actual, expected and forecast")
    assert page.locator(".ins-kind.kind-end_of_cycle").inner_text() == "End-of-cycle risk"

    page.click(".ins-tabs >> text=F.A.C.T.S.")
    page.wait_for_selector(".ins-fact")
    assert page.locator(".ins-fact").count() == 5
    screenshot(page, "insights-facts")

    page.click(".ins-tabs >> text=Review")
    page.wait_for_selector(".ins-grade")
    assert page.locator(".ins-close").count() == 0  # only admins close a cycle
    screenshot(page, "insights-review")
