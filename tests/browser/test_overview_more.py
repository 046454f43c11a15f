"""The overview draws a page of cards; "Show more" appends the next page's (htmx)."""

from __future__ import annotations

import pytest

from okrflow.front.views import overview
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import World, make_objective

pytestmark = pytest.mark.browser


def test_show_more_appends_the_next_cards(
    page, live_server, live_world: World, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(overview, "OBJECTIVES_PER_PAGE", 2)
    world = live_world
    made = [make_objective(world, world.marketing, f"Campaign {n}") for n in range(5)]
    sign_in(page, live_server, "head.marketing")

    page.goto(f"{live_server.url}/")
    assert page.locator("article.objective").count() == 2
    page.click(".pager button[hx-get]")
    page.wait_for_selector(f"#objective-{made[2].pk}")
    assert page.locator("article.objective").count() == 4
    assert page.locator(".pager").count() == 1  # the pager moved below the new cards
    page.click(".pager button[hx-get]")
    page.wait_for_selector(f"#objective-{made[4].pk}")
    page.wait_for_load_state("networkidle")
    assert page.locator("article.objective").count() == 5
    assert page.locator(".pager button[hx-get]").count() == 0  # the last page
    screenshot(page, "overview-show-more")
