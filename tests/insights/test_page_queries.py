"""Pinned query counts of every insights page, for the company lead and for a member.

The pages read stored totals per unit subtree, bounded lists and a few indexed rows: their
queries must not grow with the cycle. A large review (more objectives than it lists on one
page) is read from the stored totals per department, one department's page at a time.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.insights.views import review as review_view
from tests.conftest import PASSWORD, World
from tests.insights.conftest import objective_with, record_weekly
from tests.insights.test_snapshots import two_teams

pytestmark = pytest.mark.django_db

PAGES = {
    "company": "/insights/",
    "unit": "/insights/units/{unit}/",
    "person": "/insights/people/{person}/",
    "facts": "/insights/facts/",
    "risks": "/insights/risks/",
    "review": "/insights/cycles/{cycle}/review/",
    "review section": "/insights/cycles/{cycle}/review/?section={marketing}&page=2",
}
# (page, persona) → the most queries it may take, the same at any size of the cycle.
PINNED = {
    ("company", "ceo"): 25,
    ("company", "member"): 30,
    ("unit", "ceo"): 27,
    ("unit", "member"): 32,
    ("person", "ceo"): 24,
    ("person", "member"): 23,
    ("facts", "ceo"): 28,
    ("facts", "member"): 30,  # +1 since #16: the company objectives that serve a value
    ("risks", "ceo"): 18,
    ("risks", "member"): 20,
    ("review", "ceo"): 23,  # −2: the cycles from the top bar's list
    ("review", "member"): 26,
    ("review section", "ceo"): 23,
    ("review section", "member"): 27,
}


def grow(world: World, count: int, start: int) -> None:
    """Add objectives of people and units, some private, with values (risks follow)."""
    owners = [world.member, world.teammate, world.marketing, world.sales, world.content_team]
    for n in range(start, start + count):
        objective, (kr,) = objective_with(
            world,
            owners[n % len(owners)],
            f"Campaign {n}",
            [{"title": f"Leads {n}", "start_value": 0, "target_value": 50}],
        )
        if n % 3 == 0:
            objective.is_private = True
            objective.save(update_fields=["is_private"])
        record_weekly(kr, [1, 2, 3])


@pytest.mark.parametrize("persona", ["ceo", "member"])
@pytest.mark.parametrize("page", PAGES)
def test_every_insights_page_is_pinned(
    client: Client, world: World, today: Any, monkeypatch: Any, page: str, persona: str
) -> None:
    monkeypatch.setattr(review_view, "REVIEW_LINES_LIMIT", 3)
    monkeypatch.setattr(review_view, "REVIEW_PAGE", 2)
    two_teams(world)
    grow(world, 6, 0)
    person = getattr(world, persona)
    assert client.login(username=person.user.username, password=PASSWORD)
    unit = world.company if persona == "ceo" else world.member.unit
    url = PAGES[page].format(
        unit=unit.pk, person=world.member.pk, cycle=world.cycle.pk, marketing=world.marketing.pk
    )

    def queries() -> int:
        client.get(url)  # a small cycle refreshes its stored insights on the first view
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    small = queries()
    assert small <= PINNED[(page, persona)], f"{page} for {persona}: {small} queries"
    grow(world, 12, 6)
    # F.A.C.T.S. names the owners out of range with a query per kind of owner (person, unit,
    # project) that has one: at most three more, whatever their number.
    assert queries() <= small + (3 if page == "facts" else 0), page
