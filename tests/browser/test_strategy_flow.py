"""The admin adds a core value, names it on a company objective, and sees it on the tree and in
F.A.C.T.S. (#16)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from okrflow.cycles.actions import create_cycle
from okrflow.cycles.models import CycleState
from okrflow.okrs.actions import create_key_result, create_objective
from okrflow.strategy.models import ServedBy, StrategyItem
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import World

pytestmark = pytest.mark.browser


def test_the_admin_adds_a_value_and_a_company_objective_serves_it(  # type: ignore[no-untyped-def]
    page, live_server, live_world: World
) -> None:
    today = timezone.localdate()
    cycle = create_cycle(
        None,
        name="Current quarter",
        start_date=today - datetime.timedelta(weeks=4),
        end_date=today + datetime.timedelta(weeks=8),
        state=CycleState.ACTIVE,
    )
    top = create_objective(
        None, cycle=cycle, title="Vươn lên Top 3 thị phần", owner=live_world.company
    ).value
    create_key_result(
        None,
        top,
        title="Thị phần từ 8% lên 12%",
        start_value=8,
        target_value=12,
        owner=live_world.ceo,
    )
    sign_in(page, live_server, live_world.admin.user.username)

    page.goto(f"{live_server.url}/administration/strategy/")
    page.click("a[href='/administration/strategy/new/value/']")
    page.wait_for_selector("#strategy-item input[name=name]")
    page.fill("#strategy-item input[name=name]", "Tận tâm với khách hàng")
    page.fill("#strategy-item input[name=name_en]", "Devoted to clients")
    page.click("#strategy-item button[type=submit]")
    page.wait_for_url(f"{live_server.url}/administration/strategy/")
    page.wait_for_selector(".adm-table >> text=Tận tâm với khách hàng")
    value = StrategyItem.objects.get(name="Tận tâm với khách hàng")
    screenshot(page, "strategy-administration")

    page.goto(f"{live_server.url}/objectives/{top.pk}/edit/")
    page.select_option("select[name=serves]", str(value.pk))
    page.click("#objective-editor button[type=submit]")
    page.wait_for_url(f"{live_server.url}/objectives/{top.pk}/")
    assert ServedBy.objects.get(objective=top).item == value
    assert "Tận tâm với khách hàng" in page.locator(".serves").inner_text()

    page.goto(f"{live_server.url}/company/")
    assert "Tận tâm với khách hàng" in page.locator(".strategy-panel").inner_text()
    node = page.locator(".browse-node", has_text="Vươn lên Top 3 thị phần")
    assert "Tận tâm với khách hàng" in node.locator(".badge-serves").inner_text()
    screenshot(page, "strategy-company-tree")

    page.goto(f"{live_server.url}/insights/facts/")
    serving = page.locator(".ins-fact-serving").inner_text()
    assert serving.startswith("1 trên 1 mục tiêu cấp công ty")
