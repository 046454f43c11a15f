"""An OKR admin runs the organisation in a real browser: a new unit, a move, a leaver."""

from __future__ import annotations

import pytest

from okrflow.org.models import OrgUnit
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import World, make_objective

pytestmark = pytest.mark.browser


def test_admin_adds_moves_a_unit_and_hands_a_leavers_work_over(
    page, live_server, live_world: World
) -> None:  # type: ignore[no-untyped-def]
    objective = make_objective(live_world, live_world.teammate, "Publish a weekly brand story")
    sign_in(page, live_server, "admin")
    page.wait_for_selector("text=Quản trị")

    # A new team under Marketing, from the tree's "+ unit inside" link.
    page.goto(f"{live_server.url}/administration/units/")
    marketing_row = page.locator(".adm-tree-row", has=page.locator("a", has_text="Marketing"))
    marketing_row.first.locator(".adm-tree-add").click()
    page.wait_for_selector("#unit-create")
    page.fill("#id_name", "Sự kiện")
    page.click("#unit-create button[type=submit]")
    page.wait_for_selector(".adm-tree-name:has-text('Sự kiện')")
    events = OrgUnit.objects.get(name="Sự kiện")
    assert events.parent_id == live_world.marketing.pk
    screenshot(page, "administration-units-vi")

    # Move it under Sales.
    page.click(".adm-tree-name:has-text('Sự kiện')")
    page.wait_for_selector("#unit-move")
    page.select_option("#unit-move select[name=parent]", str(live_world.sales.pk))
    page.click("#unit-move button[type=submit]")
    page.wait_for_selector("text=“Sự kiện” giờ trực thuộc “Sales”.")
    events.refresh_from_db()
    assert events.parent_id == live_world.sales.pk
    assert events.path == f"{live_world.sales.path}{events.pk}/"

    # The content writer leaves: their objective goes to the marketing specialist.
    page.goto(f"{live_server.url}/administration/people/?q=writer")
    page.click("a:has-text('Vô hiệu hoá')")
    page.wait_for_selector("text=Publish a weekly brand story")
    page.select_option("#person-deactivate select[name=hand_to]", str(live_world.member.pk))
    page.click("#person-deactivate button[type=submit]")
    page.wait_for_selector("text=Writer Content không còn đăng nhập được nữa.")
    screenshot(page, "administration-people-vi")
    objective.refresh_from_db()
    live_world.teammate.user.refresh_from_db()
    assert objective.owner_person_id == live_world.member.pk
    assert not live_world.teammate.user.is_active
