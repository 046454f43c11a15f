"""The sign-in page and the overview: personas, languages, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.okrs.actions import create_key_result
from tests.conftest import PASSWORD, World, make_objective


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def test_anonymous_is_sent_to_sign_in(client: Client, world: World) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")


def test_sign_in_with_wrong_password_explains(client: Client, world: World) -> None:
    response = client.post(
        "/sign-in/", {"username": "ceo", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    response = client.post(
        "/sign-in/", {"username": "ceo", "password": "nope"}, HTTP_ACCEPT_LANGUAGE="vi"
    )
    assert "tên đăng nhập và mật khẩu" in response.content.decode().lower()


def test_sign_in_then_overview(client: Client, world: World) -> None:
    make_objective(world, world.marketing, "Own the SEO for brand consulting")
    response = client.post("/sign-in/", {"username": "head.marketing", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get("/").content.decode()
    assert "Own the SEO for brand consulting" in page
    assert "Raise retention from 80% to 95%" in page


@pytest.mark.parametrize(
    ("persona", "sees_private"),
    [("admin", True), ("lead", True), ("member", True), ("outsider", False)],
)
def test_overview_respects_privacy(
    client: Client, world: World, persona: str, sees_private: bool
) -> None:
    make_objective(world, world.sales, "Public sales goal")
    make_objective(world, world.member, "Private growth plan", is_private=True)
    page = signed_in(client, world, persona).get("/").content.decode()
    assert "Public sales goal" in page
    assert ("Private growth plan" in page) is sees_private


def test_overview_refuses_post(client: Client, world: World) -> None:
    assert signed_in(client, world, "member").post("/").status_code == 405


def test_unknown_cycle_falls_back_to_active(client: Client, world: World) -> None:
    response = signed_in(client, world, "member").get("/?cycle=999999")
    assert response.status_code == 200
    assert response.context["cycle"] == world.cycle
    assert signed_in(client, world, "member").get("/?cycle=abc").status_code == 200


def test_language_switch_is_saved_per_person(client: Client, world: World) -> None:
    signed_in(client, world, "member")  # the world's people read English
    assert "Company OKRs" in client.get("/").content.decode()
    response = client.post("/language/", {"language": "vi", "next": "https://evil.example/"})
    assert response["Location"] == "/"  # never redirected off the site
    world.member.refresh_from_db()
    assert world.member.language == "vi"
    assert "OKR toàn công ty" in client.get("/").content.decode()
    client.post("/language/", {"language": "klingon"})
    world.member.refresh_from_db()
    assert world.member.language == "vi"
    client.post("/language/", {"language": "en", "next": "/my/"})
    world.member.refresh_from_db()
    assert world.member.language == "en"
    assert "Company OKRs" in client.get("/").content.decode()


def overview_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


def add_objectives(world: World, count: int, start: int) -> None:
    for index in range(start, start + count):
        objective = make_objective(
            world, world.marketing, f"Objective {index}", is_private=index % 2 == 0, tags=["seo"]
        )
        create_key_result(
            None,
            objective,
            title="Weekly post",
            shape="recurring",
            per_period=1,
            period="week",
            owner=world.member,
        )


@pytest.mark.parametrize("persona", ["admin", "lead", "member", "outsider"])
def test_overview_query_count_does_not_grow_with_objectives(
    client: Client, world: World, persona: str
) -> None:
    signed_in(client, world, persona)
    add_objectives(world, 2, 0)
    few = overview_queries(client)
    add_objectives(world, 12, 2)
    many = overview_queries(client)
    assert few == many
    assert many <= 16  # with the top bar's unread notifications


def test_status_counts_cover_every_page_of_a_long_cycle(
    client: Client, world: World, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from okrflow.front.views import overview

    monkeypatch.setattr(overview, "OBJECTIVES_PER_PAGE", 2)
    for n in range(5):
        make_objective(world, world.marketing, f"Campaign {n}")
    page = signed_in(client, world, "lead").get("/").content.decode()
    assert "for every objective of the cycle" in page
    counts = client.get("/").context["status_counts"]
    assert sum(counts.values()) == 5  # all five, though the page shows two


@pytest.mark.parametrize("persona", ["admin", "lead", "member", "teammate", "outsider"])
def test_cycle_counts_are_what_the_reader_may_see(
    client: Client, world: World, persona: str, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The whole cycle's counts come from the stored totals for this reader: they equal the
    recount of the stored rows of the objectives the reader may see (what the page summed
    before), private ones included only when allowed."""
    from okrflow.front import browse_data
    from okrflow.front.views import overview
    from okrflow.insights.snapshots import stored_insights
    from okrflow.insights.stored import Scope, summarise_stored

    monkeypatch.setattr(overview, "OBJECTIVES_PER_PAGE", 2)
    make_objective(world, world.marketing, "Campaign")
    make_objective(world, world.marketing, "Secret campaign", is_private=True)
    make_objective(world, world.member, "My secret", is_private=True)
    make_objective(world, world.teammate, "Teammate's secret", is_private=True)
    make_objective(world, world.sales_head, "Sales secret", is_private=True)
    make_objective(world, world.sales, "Sales push")
    signed_in(client, world, persona)
    client.get("/")  # a small cycle stores its insights on the first view after a change
    response = client.get("/")
    visible = browse_data.visible_in_cycle(getattr(world, persona).user, world.cycle)
    refresh = stored_insights(world.cycle)
    assert refresh is not None
    recount = summarise_stored(Scope(world.cycle, refresh, visible.values("pk")), {}).statuses
    if visible.count() > 2:  # the whole cycle's counts only when it spans pages
        assert response.context["counted_at"] == refresh.computed_at
        assert response.context["status_counts"] == recount
    assert sum(recount.values()) == visible.count()


@pytest.mark.parametrize("persona", ["admin", "lead", "member", "outsider"])
def test_cycle_counts_cost_the_same_queries_whatever_the_cycle_holds(
    client: Client, world: World, persona: str, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from okrflow.front.views import overview

    monkeypatch.setattr(overview, "OBJECTIVES_PER_PAGE", 2)
    signed_in(client, world, persona)
    add_objectives(world, 6, 0)  # three public: more than a page for everyone in the org
    overview_queries(client)
    few = overview_queries(client)
    add_objectives(world, 12, 6)
    overview_queries(client)
    many = overview_queries(client)
    assert few == many
    assert many <= 21  # no count of the cycle: one id more than the page shows tells more follow


@pytest.mark.parametrize("persona", ["admin", "lead", "member", "outsider"])
def test_a_cycle_spanning_pages_is_never_counted_whole(
    client: Client, world: World, persona: str, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    """The pages read one id more than they show to tell whether another follows, and the
    number of objectives comes with the stored status counts: no query counts the cycle."""
    from okrflow.front import browse_data
    from okrflow.front.views import overview

    monkeypatch.setattr(overview, "OBJECTIVES_PER_PAGE", 2)
    signed_in(client, world, persona)
    add_objectives(world, 6, 0)  # a unit's: every page starts inside the units' segment
    client.get("/")  # a small cycle stores its insights on the first view after a change
    visible = browse_data.visible_in_cycle(getattr(world, persona).user, world.cycle).count()
    number, more = 1, True
    while more:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/?page={number}")
        counting = [
            query["sql"]
            for query in queries
            if query["sql"].startswith("SELECT COUNT") and "okrs_objective" in query["sql"]
        ]
        assert counting == [], number
        assert response.context["objective_count"] == visible
        assert f'class="stat-number">{visible}<' in response.content.decode()
        more = response.context["page"].has_next()
        number += 1
    assert number - 1 == -(-visible // 2)  # every page, and no empty one after them
