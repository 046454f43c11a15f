"""A person signs in with a real browser, reads the overview, switches language, signs out."""

from __future__ import annotations

import pytest

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import PASSWORD, World, make_objective

pytestmark = pytest.mark.browser


def test_head_of_marketing_reads_the_overview(page, live_server, live_world: World) -> None:  # type: ignore[no-untyped-def]
    make_objective(live_world, live_world.marketing, "Own the SEO for brand consulting")
    make_objective(live_world, live_world.member, "Private growth plan", is_private=True)
    # Signed out, the overview sends to the sign-in page, which comes back to it.
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "head.marketing")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("text=Own the SEO for brand consulting")
    assert page.locator("h1").inner_text() == "OKR toàn công ty"
    assert page.locator("text=Private growth plan").count() == 1
    assert page.locator(".objective").count() == 2
    screenshot(page, "overview-browser-vi")

    page.click("button[name=language][value=en]")
    page.wait_for_selector("h1:has-text('Company OKRs')")
    live_world.lead.refresh_from_db()
    assert live_world.lead.language == "en"

    page.click("text=Sign out")
    page.wait_for_selector("#id_username")


def test_outsider_does_not_see_private_objectives(page, live_server, live_world: World) -> None:  # type: ignore[no-untyped-def]
    make_objective(live_world, live_world.sales, "Renew maintenance contracts")
    make_objective(live_world, live_world.member, "Private growth plan", is_private=True)
    sign_in(page, live_server, "outsider")
    page.wait_for_selector("text=Renew maintenance contracts")
    assert page.locator("text=Private growth plan").count() == 0


def test_wrong_password_shows_the_error_and_keeps_the_username(
    page, live_server, live_world: World
) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{live_server.url}/")
    page.fill("#id_username", "ceo")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit]")
    page.wait_for_selector("[role=alert]")
    assert page.input_value("#id_username") == "ceo"
