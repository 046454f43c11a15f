"""A large cycle's alignment tree: a branch opens and loads what aligns to it (htmx), deeper
and deeper, and the lists apart grow with "Show more"."""

from __future__ import annotations

import pytest

from okrflow.front import tree_scope
from okrflow.okrs.actions import align_objective
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import World, make_objective

pytestmark = pytest.mark.browser


def test_a_branch_loads_when_opened(page, live_server, live_world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(tree_scope, "TREE_LIMIT", 2)
    monkeypatch.setattr(tree_scope, "LIST_LIMIT", 2)
    world = live_world
    levels = [
        make_objective(world, world.company, "Level 0"),
        make_objective(world, world.marketing, "Level 1"),
        make_objective(world, world.lead, "Level 2"),
        make_objective(world, world.member, "Level 3"),
    ]
    for child, parent in zip(levels[1:], levels, strict=False):
        align_objective(None, child, parent)
    loose = [make_objective(world, world.sales, f"Loose {n}") for n in range(3)]
    sign_in(page, live_server, "head.marketing")

    page.goto(f"{live_server.url}/company/")
    assert page.locator(".browse-tree", has_text="Level 1").count() == 1
    assert page.locator("text=Level 2").count() == 0
    page.click(f"#tree-objective-{levels[1].pk} > details > summary")
    page.wait_for_selector(f"#tree-objective-{levels[2].pk}")
    page.click(f"#tree-objective-{levels[2].pk} > details > summary")
    page.wait_for_selector(f"#tree-objective-{levels[3].pk}")
    assert page.locator(f"#tree-objective-{levels[3].pk}", has_text="Level 3").count() == 1
    # Two of the three loose objectives, then the third after "Show more".
    assert page.locator(f"#tree-objective-{loose[2].pk}").count() == 0
    page.click("button[hx-get*='/company/apart/']")
    page.wait_for_selector(f"#tree-objective-{loose[2].pk}")
    page.wait_for_load_state("networkidle")
    assert page.locator("button[hx-get*='/company/apart/']").count() == 0
    screenshot(page, "company-tree-branches")
