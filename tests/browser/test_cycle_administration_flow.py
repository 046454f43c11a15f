"""Running cycles in a real browser: an admin adds a month inside the quarter, opens it, and a
month objective is aligned to the quarter's objective."""

from __future__ import annotations

import re

import pytest

from okrflow.cycles.models import Cycle, CycleState
from okrflow.okrs.models import Objective
from tests.browser.conftest import htmx_swapped, screenshot, sign_in
from tests.conftest import World, make_objective

pytestmark = pytest.mark.browser


def test_admin_adds_a_month_and_aligns_its_objective_to_the_quarter(
    page, live_server, live_world: World
) -> None:  # type: ignore[no-untyped-def]
    quarter_objective = make_objective(
        live_world, live_world.marketing, "Tăng lượt truy cập tự nhiên cho website"
    )
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/administration/cycles/")
    page.click("text=Chu kỳ mới")
    page.wait_for_url(re.compile(r"/administration/cycles/new/"))

    # A kind and any day of May fill in the month, its name and its quarter.
    page.select_option("#suggest_kind", "month")
    page.fill("#suggest_day", "2026-05-10")
    page.click("button:text('Điền sẵn')")
    page.wait_for_url(re.compile(r"kind=month"))
    assert page.input_value("#id_name") == "Tháng 5/2026"
    assert page.input_value("#id_start_date") == "2026-05-01"
    assert page.input_value("#id_end_date") == "2026-05-31"
    assert page.input_value("#id_parent") == str(live_world.cycle.pk)
    screenshot(page, "cycle-create-vi")
    page.click("button:text('Tạo chu kỳ')")
    page.wait_for_url(re.compile(r"/administration/cycles/$"))
    month = Cycle.objects.get(name="Tháng 5/2026")
    assert (month.parent_id, month.state) == (live_world.cycle.pk, CycleState.DRAFT)

    row = page.locator(f"tr[data-cycle='{month.pk}']")
    assert "cycle-depth-1" in (row.get_attribute("class") or "")
    row.locator("button:text('Kích hoạt')").click()
    page.wait_for_selector("text=đã được kích hoạt")
    month.refresh_from_db()
    assert month.state == CycleState.ACTIVE
    screenshot(page, "cycle-list-vi")

    page.goto(f"{live_server.url}/objectives/new/?cycle={month.pk}")
    page.fill("#id_title", "Ra mắt loạt bài blog tháng 5")
    page.fill("#id_kr-0-title", "Đăng 8 bài blog")
    page.select_option("#id_kr-0-shape", "metric")
    page.fill("#id_kr-0-start_value", "0")
    page.fill("#id_kr-0-target_value", "8")
    page.wait_for_load_state("networkidle")
    page.click("button[type=submit].button-primary")
    page.wait_for_url(re.compile(r"/objectives/\d+/$"))
    month_objective = Objective.objects.get(title="Ra mắt loạt bài blog tháng 5")
    assert month_objective.cycle_id == month.pk

    page.goto(f"{live_server.url}/objectives/{month_objective.pk}/align/")
    with htmx_swapped(page):
        page.fill("#parent-q", "truy cập")
    choice = f"input[name=parent][value='{quarter_objective.pk}']"
    page.wait_for_selector(choice)
    assert page.locator(".badge-cycle", has_text=live_world.cycle.name).count() >= 1
    page.check(choice)
    screenshot(page, "align-across-cycles-vi")
    page.click("form.editor button[type=submit]")
    page.wait_for_url(re.compile(rf"/objectives/{month_objective.pk}/$"))
    assert month_objective.parent_links.get().parent == quarter_objective
    assert page.locator(".badge-cycle", has_text=live_world.cycle.name).count() == 1
    screenshot(page, "month-objective-vi")

    page.goto(f"{live_server.url}/administration/rules/")
    assert page.input_value("#id_individual_objectives_max") == "3"
    screenshot(page, "rules-vi")
