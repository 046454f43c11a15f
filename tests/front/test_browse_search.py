"""Search (/search/?q=): scoping by visibility, Vietnamese case, limits, short queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.front.browse_data import excerpt, highlight
from okrflow.okrs.actions import create_key_result, update_objective
from okrflow.org.actions import create_person
from tests.conftest import PASSWORD, World, make_objective

PERSONAS = ["admin", "lead", "member", "outsider"]


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def found(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    context = response.context
    return {
        "objectives": [report.objective.title for report in context["objectives"]],
        "key_results": [item["report"].key_result.title for item in context["key_results"]],
        "people": [person.full_name for person in context["people"]],
    }


@pytest.mark.parametrize(("persona", "sees_private"), [(p, p != "outsider") for p in PERSONAS])
def test_search_finds_objectives_key_results_and_people(
    client: Client, world: World, persona: str, sees_private: bool
) -> None:
    public = make_objective(world, world.marketing, "Grow the loyal community")
    create_key_result(None, public, title="Loyal members reach 5,000", shape="milestone")
    secret = make_objective(world, world.member, "Loyal buyer interviews", is_private=True)
    create_key_result(None, secret, title="Interview 10 loyal buyers", shape="milestone")
    create_person(None, username="loyal.fan", full_name="Trần Trung Thành", password="x")
    response = signed_in(client, world, persona).get("/search/?q=loyal")
    assert response.status_code == 200
    results = found(response)
    expected_objectives = ["Grow the loyal community"]
    expected_key_results = ["Loyal members reach 5,000"]
    if sees_private:
        expected_objectives.append("Loyal buyer interviews")
        expected_key_results.append("Interview 10 loyal buyers")
    assert sorted(results["objectives"]) == sorted(expected_objectives)
    assert sorted(results["key_results"]) == sorted(expected_key_results)
    assert results["people"] == ["Trần Trung Thành"]  # by username
    page = response.content.decode()
    # Titles are shown with the query marked: "<mark>Loyal</mark> buyer interviews".
    assert ("buyer interviews" in page) is sees_private
    assert ("Interview 10 " in page) is sees_private
    assert f'href="/objectives/{public.pk}/"' in page
    assert "<mark>loyal</mark>" in page


def test_a_private_objective_never_reaches_the_outsider(client: Client, world: World) -> None:
    secret = make_objective(
        world, world.member, "Quiet launch plan", is_private=True, description="launch codes"
    )
    create_key_result(None, secret, title="Quiet launch done", shape="milestone")
    signed_in(client, world, "outsider")
    for query in ("quiet", "launch", "codes", "QUIET LAUNCH"):
        response = client.get("/search/", {"q": query})
        assert found(response) == {"objectives": [], "key_results": [], "people": []}
        assert "Quiet launch" not in response.content.decode()


def test_vietnamese_matches_whatever_the_case(client: Client, world: World) -> None:
    make_objective(world, world.sales, "Đội ngũ bán hàng chủ động hơn")
    create_person(
        None, username="ut", full_name="Nguyễn Thị Út", password="x", job_title="Điều phối"
    )
    signed_in(client, world, "member")
    for query in ("đội ngũ", "Đội ngũ", "ĐỘI NGŨ", "đội Ngũ bán"):
        assert found(client.get("/search/", {"q": query}))["objectives"] == [
            "Đội ngũ bán hàng chủ động hơn"
        ], query
    assert found(client.get("/search/", {"q": "điều phối"}))["people"] == ["Nguyễn Thị Út"]
    assert found(client.get("/search/", {"q": "THỊ ÚT"}))["people"] == ["Nguyễn Thị Út"]


def test_search_reads_descriptions(client: Client, world: World) -> None:
    objective = make_objective(world, world.marketing, "Own the SEO")
    update_objective(None, objective, description="Top three for “tư vấn thương hiệu”")
    response = signed_in(client, world, "lead").get("/search/", {"q": "thương hiệu"})
    assert found(response)["objectives"] == ["Own the SEO"]
    assert "thương hiệu" in response.content.decode()


@pytest.mark.parametrize("query", ["", "a", "  ", "đ"])
def test_short_query_runs_no_search(client: Client, world: World, query: str) -> None:
    make_objective(world, world.marketing, "a goal")
    signed_in(client, world, "member")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    assert response.context["too_short"]
    assert not any("okrs_" in query["sql"] for query in queries)
    page = response.content.decode()
    assert "What are you looking for?" in page or "Type at least two letters." in page


def test_each_section_stops_at_twenty(client: Client, world: World) -> None:
    for index in range(22):
        make_objective(world, world.marketing, f"Campaign {index}")
    response = signed_in(client, world, "member").get("/search/?q=campaign")
    assert len(response.context["objectives"]) == 20
    assert response.context["more_objectives"]
    assert "Showing the first 20" in response.content.decode()
    response = client.get("/search/?q=retention")
    assert len(response.context["key_results"]) == 20
    assert response.context["more_key_results"]


def test_query_is_echoed_in_the_search_box(client: Client, world: World) -> None:
    response = signed_in(client, world, "member").get("/search/?q=%20tư%20%20vấn%20")
    assert response.context["search_query"] == "tư vấn"
    assert 'value="tư vấn"' in response.content.decode()


def test_nothing_found_says_so(client: Client, world: World) -> None:
    response = signed_in(client, world, "member").get("/search/?q=zzzz")
    assert response.status_code == 200
    assert "Nothing matches" in response.content.decode()


def test_search_needs_sign_in_and_get(client: Client, world: World) -> None:
    response = client.get("/search/?q=seo")
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    assert signed_in(client, world, "member").post("/search/?q=seo").status_code == 405


def search_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/search/?q=goal").status_code == 200
    return len(queries)


def add_matches(world: World, count: int, start: int) -> None:
    for index in range(start, start + count):
        objective = make_objective(world, world.marketing, f"Goal {index}", tags=["seo"])
        create_key_result(None, objective, title=f"Goal step {index}", shape="milestone")
        create_person(None, username=f"goal{index}", full_name=f"Goalkeeper {index}")


@pytest.mark.parametrize("persona", PERSONAS)
def test_query_count_does_not_grow(client: Client, world: World, persona: str) -> None:
    signed_in(client, world, persona)
    add_matches(world, 2, 0)
    few = search_queries(client)
    add_matches(world, 10, 2)
    many = search_queries(client)
    assert few == many
    assert many <= 17


def test_search_ignores_diacritics_as_vietnamese_users_type(client: Client, world: World) -> None:
    make_objective(world, world.sales, "Đào tạo đội ngũ bán hàng")
    make_objective(world, world.sales, "Dao cạo và kéo")  # "dao" is also a word of its own
    create_person(None, username="dung", full_name="Đặng Thị Dung", password="x")
    signed_in(client, world, "member")
    titles = found(client.get("/search/", {"q": "dao tao"}))["objectives"]
    assert titles == ["Đào tạo đội ngũ bán hàng"]
    assert set(found(client.get("/search/", {"q": "DAO"}))["objectives"]) == {
        "Đào tạo đội ngũ bán hàng",
        "Dao cạo và kéo",
    }
    assert found(client.get("/search/", {"q": "dang thi"}))["people"] == ["Đặng Thị Dung"]
    page = client.get("/search/", {"q": "doi ngu"}).content.decode()
    assert "<mark>đội ngũ</mark>" in page


def test_people_sort_with_d_with_stroke_among_the_ds(client: Client, world: World) -> None:
    for username, name in (("z", "Zin Zin"), ("dd", "Đỗ Văn Hùng"), ("d", "Dương Lan")):
        create_person(None, username=username, full_name=name, password="x")
    page = signed_in(client, world, "member").get("/people/").content.decode()
    assert page.index("Đỗ Văn Hùng") < page.index("Dương Lan") < page.index("Zin Zin")


def test_excerpt_centres_on_a_match_without_diacritics() -> None:
    text = "Mở đầu. " + "x " * 100 + "Chiến dịch đào tạo khách hàng mới. " + "y " * 100
    piece = excerpt(text, "dao tao")
    assert "đào tạo" in piece and piece.startswith("…")


def test_highlight_marks_every_match_ignoring_case() -> None:
    assert highlight("Đội ngũ và đội bóng", "đội") == [
        ("Đội", True),
        (" ngũ và ", False),
        ("đội", True),
        (" bóng", False),
    ]
    assert highlight("plain", "zz") == [("plain", False)]
    assert highlight("Đào tạo", "dao") == [("Đào", True), (" tạo", False)]
