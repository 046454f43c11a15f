"""Where the strategy shows (#16): the company tree and unit page, the objective editor and
page, F.A.C.T.S. and `okrflow okrs --json`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.okrs.actions import align_objective
from okrflow.strategy.actions import (
    create_strategy_item,
    set_mission_and_vision,
    set_objective_serves,
    set_strategy_item_archived,
)
from okrflow.strategy.models import ServedBy, StrategyItem
from tests.conftest import PASSWORD, World, make_objective

PERSONAS = ["admin", "lead", "member", "outsider"]


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


@pytest.fixture
def strategy(world: World) -> dict[str, StrategyItem]:
    set_mission_and_vision(
        None,
        mission="Giúp doanh nghiệp có thương hiệu rõ ràng",
        mission_en="Help businesses build clear brands",
        vision="Dẫn đầu Việt Nam",
    )
    return {
        "client": create_strategy_item(
            None, kind="value", name="Tận tâm với khách hàng", name_en="Devoted to clients"
        ),
        "creative": create_strategy_item(None, kind="value", name="Sáng tạo khác biệt"),
        "digital": create_strategy_item(None, kind="theme", name="Digital first"),
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_company_tree_shows_the_strategy_and_what_each_objective_serves(
    client: Client, world: World, strategy: dict[str, StrategyItem], persona: str
) -> None:
    top = make_objective(world, world.company, "Top 3 in brand consulting")
    make_objective(world, world.company, "Keep our clients")
    set_objective_serves(None, top, strategy["client"])
    page = signed_in(client, world, persona).get("/company/").content.decode()
    assert "Our strategy" in page
    assert "Help businesses build clear brands" in page  # English reader, English mission
    assert "Dẫn đầu Việt Nam" in page  # no English vision: the Vietnamese one
    assert "Devoted to clients" in page and "Digital first" in page
    assert page.count("Serves: Devoted to clients") == 1


def test_the_tree_in_vietnamese(client: Client, world: World, strategy: dict) -> None:
    top = make_objective(world, world.company, "Top 3")
    set_objective_serves(None, top, strategy["client"])
    world.member.language = "vi"
    world.member.save(update_fields=["language"])
    page = signed_in(client, world, "member").get("/company/").content.decode()
    assert "Giúp doanh nghiệp có thương hiệu rõ ràng" in page
    assert "Phục vụ: Tận tâm với khách hàng" in page


def test_an_archived_value_leaves_the_panel(client: Client, world: World, strategy: dict) -> None:
    make_objective(world, world.company, "Top 3")
    set_strategy_item_archived(None, strategy["creative"], archived=True)
    page = signed_in(client, world, "member").get("/company/").content.decode()
    assert "Sáng tạo khác biệt" not in page and "Devoted to clients" in page


def unit_queries(client: Client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured), response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_company_unit_page_shows_the_strategy_in_pinned_queries(
    client: Client, world: World, strategy: dict[str, StrategyItem], persona: str
) -> None:
    signed_in(client, world, persona)
    url = f"/units/{world.company.pk}/"
    first = make_objective(world, world.company, "Company 0")
    set_objective_serves(None, first, strategy["client"])
    few, page = unit_queries(client, url)
    assert "Our strategy" in page and "Serves: Devoted to clients" in page
    for n in range(1, 8):
        objective = make_objective(world, world.company, f"Company {n}")
        set_objective_serves(None, objective, strategy["creative" if n % 2 else "client"])
    many, page = unit_queries(client, url)
    assert few == many
    assert many <= 33  # the unit page's own, with the strategy panel and the links (3)
    assert page.count("Serves: Sáng tạo khác biệt") == 4
    # A department's page has no strategy panel.
    assert "Our strategy" not in client.get(f"/units/{world.marketing.pk}/").content.decode()


def edit_data(objective, **extra: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "owner": f"{objective.owner_kind}:{objective.owner.pk}",
        "title": objective.title,
        "kind": objective.kind,
        "tags": "",
        "version": str(objective.version),
    } | extra


def test_the_editor_offers_the_values_for_company_objectives_only(
    client: Client, world: World, strategy: dict[str, StrategyItem]
) -> None:
    top = make_objective(world, world.company, "Top 3")
    unit = make_objective(world, world.marketing, "Be trusted")
    signed_in(client, world, "admin")
    page = client.get(f"/objectives/{top.pk}/edit/").content.decode()
    assert 'name="serves"' in page and "Core value: Devoted to clients" in page
    assert "Strategic theme: Digital first" in page
    assert 'name="serves"' not in client.get(f"/objectives/{unit.pk}/edit/").content.decode()
    response = client.post(
        f"/objectives/{top.pk}/edit/", edit_data(top, serves=str(strategy["creative"].pk))
    )
    assert response.status_code == 302
    assert ServedBy.objects.get(objective=top).item == strategy["creative"]
    detail = client.get(f"/objectives/{top.pk}/").content.decode()
    assert "Serves: Sáng tạo khác biệt" in detail
    top.refresh_from_db()
    client.post(f"/objectives/{top.pk}/edit/", edit_data(top, serves=""))
    assert not ServedBy.objects.exists()
    assert "Serves:" not in client.get(f"/objectives/{top.pk}/").content.decode()


def test_the_editor_refuses_a_bad_choice_and_saves_nothing(
    client: Client, world: World, strategy: dict[str, StrategyItem]
) -> None:
    top = make_objective(world, world.company, "Top 3")
    set_strategy_item_archived(None, strategy["creative"], archived=True)
    signed_in(client, world, "admin")
    for choice, message in (
        (str(strategy["creative"].pk), "“Sáng tạo khác biệt” is archived: choose another."),
        ("999999", "Choose one of the listed values or themes."),
        ("nonsense", "Choose one of the listed values or themes."),
    ):
        response = client.post(
            f"/objectives/{top.pk}/edit/", edit_data(top, title="Renamed", serves=choice)
        )
        assert response.status_code == 200
        assert message in response.content.decode()
    top.refresh_from_db()
    assert top.title == "Top 3" and top.version == 1  # the objective's edit was undone too
    assert not ServedBy.objects.exists()


def test_okrs_json_names_what_each_objective_serves(
    world: World, strategy: dict[str, StrategyItem]
) -> None:
    top = make_objective(world, world.company, "Top 3")
    other = make_objective(world, world.marketing, "Be trusted")
    set_objective_serves(None, top, strategy["client"])
    out = io.StringIO()
    call_command("okrs", "--json", "--cycle", "q2 2026", stdout=out)
    by_id = {o["id"]: o for o in json.loads(out.getvalue())["objectives"]}
    assert by_id[top.pk]["serves"] == [
        {
            "id": strategy["client"].pk,
            "kind": "value",
            "name": "Tận tâm với khách hàng",
            "name_en": "Devoted to clients",
        }
    ]
    assert by_id[other.pk]["serves"] == []


def test_facts_counts_company_objectives_that_serve_a_value(
    client: Client, world: World, strategy: dict[str, StrategyItem]
) -> None:
    first = make_objective(world, world.company, "Top 3")
    make_objective(world, world.company, "Keep our clients")
    make_objective(world, world.company, "Hire well")
    child = make_objective(world, world.marketing, "Be trusted")
    align_objective(None, child, first)
    set_objective_serves(None, first, strategy["client"])
    signed_in(client, world, "ceo")
    client.get("/insights/facts/")  # the first view refreshes the stored insights
    response = client.get("/insights/facts/")
    panel = next(p for p in response.context["panels"].values() if p.key == "alignment")
    assert (panel.extra["serving"], panel.extra["company"]) == (1, 3)
    assert "1 of 3 company objectives serve a core value or strategic theme (33%)." in (
        response.content.decode()
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_api_reads_the_strategy_for_every_member(
    client: Client, world: World, strategy: dict[str, StrategyItem], persona: str
) -> None:
    top = make_objective(world, world.company, "Top 3")
    secret = make_objective(world, world.company, "Quiet plan", is_private=True)
    set_objective_serves(None, top, strategy["client"])
    set_objective_serves(None, secret, strategy["client"])
    response = signed_in(client, world, persona).get("/api/v1/strategy")
    assert response.status_code == 200
    data = response.json()
    assert data["mission_en"] == "Help businesses build clear brands"
    served = {item["name"]: item["objective_ids"] for item in data["items"]}
    # Only what the caller may see is named: a private company objective stays the admin's.
    sees_private = persona == "admin"
    expected = [top.pk] + ([secret.pk] if sees_private else [])
    assert served["Tận tâm với khách hàng"] == sorted(expected)
    assert served["Digital first"] == []


def test_the_api_refuses_the_signed_out(client: Client, world: World) -> None:
    assert client.get("/api/v1/strategy").status_code == 401
    assert not ServedBy.objects.exists()


def test_moving_a_serving_objective_away_from_the_company_is_refused_whole(
    client: Client, world: World, strategy: dict[str, StrategyItem]
) -> None:
    top = make_objective(world, world.company, "Top 3")
    set_objective_serves(None, top, strategy["client"])
    signed_in(client, world, "admin")
    data = edit_data(top, owner=f"unit:{world.marketing.pk}", serves=str(strategy["client"].pk))
    response = client.post(f"/objectives/{top.pk}/edit/", data)
    assert response.status_code == 200
    assert "Only a company objective can serve a core value or theme" in response.content.decode()
    top.refresh_from_db()
    assert top.owner_unit == world.company and ServedBy.objects.get().objective == top


def test_an_objective_moved_away_from_the_company_no_longer_serves(
    client: Client, world: World, strategy: dict[str, StrategyItem]
) -> None:
    top = make_objective(world, world.company, "Top 3")
    set_objective_serves(None, top, strategy["client"])
    # Another route than the editor (the API, an import) hands it to a department.
    type(top).objects.filter(pk=top.pk).update(owner_unit=world.marketing)
    out = io.StringIO()
    call_command("okrs", "--json", "--cycle", "q2 2026", stdout=out)
    by_id = {o["id"]: o for o in json.loads(out.getvalue())["objectives"]}
    assert by_id[top.pk]["serves"] == []
    response = signed_in(client, world, "admin").get("/api/v1/strategy")
    served = {item["name"]: item["objective_ids"] for item in response.json()["items"]}
    assert served["Tận tâm với khách hàng"] == []
    assert "Serves:" not in client.get(f"/objectives/{top.pk}/").content.decode()
    # Back at the company, it serves again: the link was kept, only not read.
    type(top).objects.filter(pk=top.pk).update(owner_unit=world.company)
    assert "Serves: Devoted to clients" in client.get(f"/objectives/{top.pk}/").content.decode()
