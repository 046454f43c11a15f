"""The OKR editor: one flow for an objective and its key results, live checks, bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from okrflow.okrs.models import Alignment, KeyResult, Objective, ObjectiveState, TargetVersion
from tests.conftest import PASSWORD, World, make_objective


def as_(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def editor_data(world: World, **overrides: str) -> dict[str, str]:
    data = {
        "owner": f"person:{world.member.pk}",
        "title": "Understand what makes customers choose us",
        "kind": "committed",
        "tags": "research, inbound",
        "kr-count": "3",
        "kr-0-title": "Survey customers",
        "kr-0-shape": "metric",
        "kr-0-direction": "increase",
        "kr-0-start_value": "0",
        "kr-0-target_value": "100",
        "kr-0-unit": "customers",
        "kr-0-weight": "1",
        "kr-1-title": "Publish the behaviour analysis",
        "kr-1-shape": "milestone",
        "kr-1-weight": "1",
        "kr-2-title": "Weekly newsletter",
        "kr-2-shape": "recurring",
        "kr-2-per_period": "1",
        "kr-2-period": "week",
        "kr-2-weight": "1",
    }
    data.update(overrides)
    return data


def test_member_writes_an_objective_with_three_shapes(client: Client, world: World) -> None:
    parent = make_objective(world, world.marketing, "Own the SEO")
    as_(client, world, "member")
    assert client.get(f"/objectives/new/?parent={parent.pk}").status_code == 200
    response = client.post("/objectives/new/", editor_data(world, parent=str(parent.pk)))
    objective = Objective.objects.get(title="Understand what makes customers choose us")
    assert response.status_code == 302
    assert response["Location"] == f"/objectives/{objective.pk}/"
    assert objective.state == ObjectiveState.DRAFT
    assert objective.owner_person == world.member
    assert sorted(objective.key_results.values_list("shape", flat=True)) == [
        "metric",
        "milestone",
        "recurring",
    ]
    assert Alignment.objects.get(child=objective).parent == parent


def test_bad_value_keeps_what_was_typed_and_saves_nothing(client: Client, world: World) -> None:
    as_(client, world, "member")
    before = Objective.objects.count()
    response = client.post("/objectives/new/", editor_data(world, **{"kr-0-target_value": "lots"}))
    assert response.status_code == 200
    page = response.content.decode()
    assert "is not a number" in page
    assert 'value="lots"' in page
    assert "Understand what makes customers choose us" in page
    assert Objective.objects.count() == before
    assert not KeyResult.objects.filter(title="Publish the behaviour analysis").exists()


def test_vietnamese_numbers_and_error_messages(client: Client, world: World) -> None:
    as_(client, world, "member")
    world.member.language = "vi"
    world.member.save()
    client.post(
        "/objectives/new/",
        editor_data(world, **{"kr-0-start_value": "1.500", "kr-0-target_value": "10.000"}),
    )
    kr = KeyResult.objects.get(title="Survey customers")
    assert (kr.start_value, kr.target_value) == (Decimal("1500"), Decimal("10000"))
    response = client.post(
        "/objectives/new/", editor_data(world, title="Thử lại", **{"kr-0-target_value": "0"})
    )
    assert (
        "giá trị ban đầu" in response.content.decode().lower()
        or "khác" in response.content.decode()
    )


def test_live_check_reports_focus_and_errors_without_saving(client: Client, world: World) -> None:
    for title in ("One", "Two", "Three"):
        make_objective(world, world.member, title)
    as_(client, world, "member")
    response = client.post("/objectives/check/", editor_data(world))
    page = response.content.decode()
    assert "4 objectives: more than the 1–3" in page
    assert "3 key results" in page
    assert Objective.objects.filter(owner_person=world.member).count() == 3
    page = client.post(
        "/objectives/check/", editor_data(world, **{"kr-0-start_value": "100"})
    ).content.decode()
    assert "The target must differ from the starting value." in page


def test_outsider_cannot_write_for_someone_else(client: Client, world: World) -> None:
    as_(client, world, "outsider")
    response = client.post("/objectives/new/", editor_data(world))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Objective.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 200), ("member", 200), ("outsider", 403)]
)
def test_edit_page_permissions(client: Client, world: World, persona: str, status: int) -> None:
    objective = make_objective(world, world.member)
    assert (
        as_(client, world, persona).get(f"/objectives/{objective.pk}/edit/").status_code == status
    )


def test_edit_saves_and_refuses_a_stale_copy(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    as_(client, world, "member")
    data = {
        "owner": f"person:{world.member.pk}",
        "title": "Sharper title",
        "kind": "aspirational",
        "tags": "",
        "version": "1",
    }
    assert client.post(f"/objectives/{objective.pk}/edit/", data).status_code == 302
    objective.refresh_from_db()
    assert (objective.title, objective.kind, objective.version) == (
        "Sharper title",
        "aspirational",
        2,
    )
    response = client.post(f"/objectives/{objective.pk}/edit/", data | {"title": "Stale"})
    assert "Someone else changed this" in response.content.decode()
    objective.refresh_from_db()
    assert objective.title == "Sharper title"


def test_add_key_result_change_target_and_move(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    other = make_objective(world, world.member, "Other")
    as_(client, world, "member")
    response = client.post(
        f"/objectives/{objective.pk}/key-results/new/",
        {
            "kr-0-title": "Hold the conference",
            "kr-0-shape": "milestone",
            "kr-0-weight": "2",
        },
    )
    assert response.status_code == 302
    kr = objective.key_results.get(title="Raise retention from 80% to 95%")
    response = client.post(f"/key-results/{kr.pk}/target/", {"new_target": "90", "reason": ""})
    assert response.status_code == 200
    client.post(
        f"/key-results/{kr.pk}/target/",
        {"new_target": "90", "reason": "Budget cut", "version": str(kr.version)},
    )
    kr.refresh_from_db()
    assert kr.target_value == Decimal("90")
    assert TargetVersion.objects.get(key_result=kr).reason == "Budget cut"
    client.post(f"/key-results/{kr.pk}/move/", {"objective": str(other.pk)})
    kr.refresh_from_db()
    assert kr.objective == other


def test_align_page_search_and_align(client: Client, world: World) -> None:
    parent = make_objective(world, world.sales, "Renew every maintenance contract")
    objective = make_objective(world, world.member)
    as_(client, world, "member")
    assert (
        "Renew every maintenance contract"
        in client.get(f"/objectives/{objective.pk}/align/search/?q=renew").content.decode()
    )
    vietnamese = make_objective(world, world.sales, "Tăng doanh số bán hàng quý IV")
    typed_plain = client.get(f"/objectives/{objective.pk}/align/search/?q=ban hang").content
    assert vietnamese.title in typed_plain.decode()
    client.post(
        f"/objectives/{objective.pk}/align/",
        {"parent": str(parent.pk), "primary": "1", "weight": "1"},
    )
    assert Alignment.objects.get(child=objective).parent == parent
    response = client.post(
        f"/objectives/{parent.pk}/align/", {"parent": str(objective.pk), "primary": "1"}
    )
    assert response.status_code == 403  # the member may not edit the sales objective


def test_record_value_and_initiatives(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    kr = objective.key_results.get()
    as_(client, world, "member")
    client.post(f"/key-results/{kr.pk}/value/", {"value": "88"})
    kr.refresh_from_db()
    assert kr.current_value == Decimal("88")
    client.post(f"/key-results/{kr.pk}/value/", {"value": "abc"})
    kr.refresh_from_db()
    assert kr.current_value == Decimal("88")
    client.post(f"/key-results/{kr.pk}/initiatives/", {"title": "Call 20 churned customers"})
    initiative = kr.initiatives.get()
    client.post(f"/initiatives/{initiative.pk}/done/", {"done": "1"})
    initiative.refresh_from_db()
    assert initiative.is_done
    outsider = Client()
    as_(outsider, world, "outsider")
    assert outsider.post(f"/key-results/{kr.pk}/value/", {"value": "1"}).status_code == 403


def test_suggest_fills_a_key_result_from_a_sentence(client: Client, world: World) -> None:
    as_(client, world, "member")
    response = client.get(
        "/key-results/suggest/", {"text": "Tổ chức hội nghị khách hàng trong tháng 4"}
    )
    assert response.json()["fields"] == {"shape": "milestone", "due_date": "2026-04-30"}
    response = client.get("/key-results/suggest/", {"text": "Tổ chức sự kiện khuyến mại"})
    assert response.json()["fields"] == {}
    assert "initiative" in response.json()["notes"][0]
    assert client.get("/key-results/suggest/", {"text": ""}).status_code == 400
    assert client.post("/key-results/suggest/", {"text": "x"}).status_code == 405


def test_suggest_moves_an_out_of_cycle_deadline_and_starts_a_count_at_zero(
    client: Client, world: World
) -> None:
    as_(client, world, "member")
    response = client.get(
        "/key-results/suggest/", {"text": "Tuyển dụng 5 lập trình viên trước 30/9"}
    )
    data = response.json()
    assert data["fields"]["start_value"] == "0"
    assert data["fields"]["due_date"] == "2026-06-30"
    assert len(data["notes"]) == 1
    assert "30 Sep 2026" in data["notes"][0]
    assert "30 Jun 2026" in data["notes"][0]
    response = client.get("/key-results/suggest/", {"text": "Tăng doanh thu từ [X] lên [Y]"})
    assert response.json()["fields"] == {}
    assert "[…]" in response.json()["notes"][0]


def test_fill_from_sentence_fills_a_recurring_key_results_slot(
    client: Client, world: World
) -> None:
    as_(client, world, "member")
    response = client.get(
        "/key-results/suggest/", {"text": "Gửi bản tin vào 17:00 thứ Sáu hằng tuần"}
    )
    fields = response.json()["fields"]
    assert (fields["shape"], fields["per_period"], fields["period"]) == ("recurring", "1", "week")
    assert (fields["slot_weekday"], fields["slot_hour"], fields["slot_day_of_month"]) == (
        "4",
        "17",
        "",
    )
    page = client.get("/objectives/new/").content.decode()
    assert 'name="kr-0-slot_weekday"' in page  # the field the editor fills exists on the form
