"""Dependencies: the action's refusals, the views for every persona, the risk on the demo."""

from __future__ import annotations

import datetime
import io
import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from okrflow.audit.models import AuditEntry
from okrflow.dependencies.actions import add_dependency, remove_dependency
from okrflow.dependencies.models import Dependency
from okrflow.okrs.models import Objective
from tests.conftest import DEMO_DAY, World, make_objective

BY = datetime.date(2026, 6, 15)


def pair(world: World) -> tuple[Objective, Objective]:
    """Marketing's objective waits for Sales' objective."""
    return (
        make_objective(world, world.marketing, "Launch the campaign"),
        make_objective(world, world.sales, "Open the new channel"),
    )


def test_add_records_the_link_and_its_audit_row(world: World) -> None:
    waiting, target = pair(world)
    link = add_dependency(world.lead.user, waiting, target, expected_by=BY, note="needs it")
    assert (link.dependent_objective, link.target_objective, link.expected_by) == (
        waiting,
        target,
        BY,
    )
    entry = AuditEntry.objects.get(action="add_dependency", object_id=link.pk)
    assert entry.actor == world.lead.user and entry.after["expected_by"] == "2026-06-15"
    remove_dependency(world.lead.user, link)
    assert not Dependency.objects.exists()
    assert AuditEntry.objects.filter(action="remove_dependency", object_id=link.pk).exists()


def test_a_key_result_may_wait_for_another_owners_key_result(world: World) -> None:
    waiting, target = pair(world)
    kr = waiting.key_results.get()
    other = target.key_results.get()
    other.owner = world.sales_head
    other.save()
    link = add_dependency(world.admin.user, kr, other, expected_by=BY)
    assert link.dependent_key_result == kr and link.target_key_result == other


@pytest.mark.parametrize("language", ["en", "vi"])
def test_itself_a_loop_the_same_owner_and_no_date_are_refused(world: World, language: str) -> None:
    waiting, target = pair(world)
    same_owner = make_objective(world, world.marketing, "Another marketing goal")
    add_dependency(None, waiting, target, expected_by=BY)
    with translation.override(language):
        cases = [
            (waiting, waiting, BY, ("itself", "chính nó")),
            (target, waiting, BY, ("loop", "vòng")),
            (waiting, same_owner, BY, ("same owner", "cùng một người")),
            (same_owner, target, None, ("by when", "khi nào")),
            (waiting, target, BY, ("already", "đã được")),
            (waiting, waiting.key_results.get(), BY, ("same objective", "cùng một mục tiêu")),
        ]
        for dependent, goal, day, words in cases:
            with pytest.raises(ValidationError) as error:
                add_dependency(world.admin.user, dependent, goal, expected_by=day)
            text = " ".join(error.value.messages)
            assert words[0 if language == "en" else 1] in text, text
    assert Dependency.objects.count() == 1


def test_only_who_may_edit_the_waiting_goal_adds(world: World) -> None:
    waiting, target = pair(world)
    for person in (world.member, world.sales_head, world.outsider):
        with pytest.raises(PermissionDenied):
            add_dependency(person.user, waiting, target, expected_by=BY)
    assert not Dependency.objects.exists()


PERSONAS = ["admin", "lead", "member", "outsider"]


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_add_view_for_each_persona(world: World, client: Client, persona: str) -> None:
    waiting, target = pair(world)
    client.force_login(getattr(world, persona).user)
    response = client.post(
        "/dependencies/add/",
        {
            "dependent": f"objective:{waiting.pk}",
            "target": f"objective:{target.pk}",
            "expected_by": "2026-06-15",
        },
    )
    expected = {"admin": 302, "lead": 302, "member": 403, "outsider": 403}[persona]
    assert response.status_code == expected
    assert Dependency.objects.filter(dependent_objective=waiting).exists() == (expected == 302)
    assert client.get("/dependencies/add/").status_code == 405


def test_the_add_view_explains_bad_input_and_saves_nothing(world: World, client: Client) -> None:
    waiting, target = pair(world)
    client.force_login(world.lead.user)
    for target_value, day in [(f"objective:{target.pk}", "15/06/2026"), ("objective:999999", "")]:
        response = client.post(
            "/dependencies/add/",
            {"dependent": f"objective:{waiting.pk}", "target": target_value, "expected_by": day},
            follow=True,
        )
        assert response.status_code == 200
        assert b"alert" in response.content
    assert not Dependency.objects.exists()


def test_a_private_target_is_refused_to_who_cannot_see_it(world: World, client: Client) -> None:
    waiting = make_objective(world, world.marketing, "Launch the campaign")
    hidden = make_objective(world, world.sales_head, "Private deal", is_private=True)
    client.force_login(world.lead.user)
    client.post(
        "/dependencies/add/",
        {
            "dependent": f"objective:{waiting.pk}",
            "target": f"objective:{hidden.pk}",
            "expected_by": "2026-06-15",
        },
    )
    assert not Dependency.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_remove_view_for_each_persona(world: World, client: Client, persona: str) -> None:
    waiting, target = pair(world)
    link = add_dependency(None, waiting, target, expected_by=BY)
    client.force_login(getattr(world, persona).user)
    response = client.post(f"/dependencies/{link.pk}/remove/")
    expected = {"admin": 302, "lead": 302, "member": 403, "outsider": 403}[persona]
    assert response.status_code == expected
    assert Dependency.objects.filter(pk=link.pk).exists() == (expected != 302)


def test_both_pages_show_the_link(world: World, client: Client) -> None:
    waiting, target = pair(world)
    add_dependency(None, waiting, target, expected_by=BY)
    client.force_login(world.member.user)
    page = client.get(f"/objectives/{waiting.pk}/").content.decode()
    assert "Open the new channel" in page and "Waits for" in page
    page = client.get(f"/objectives/{target.pk}/").content.decode()
    assert "Launch the campaign" in page and "Waited for by" in page
    tree = client.get("/company/").content.decode()
    assert "browse-hand-off" in tree


# --- the demo: Support waits for Product's feature ----------------------------------------------


def support_and_product() -> tuple[Objective, Objective]:
    link = Dependency.objects.select_related("dependent_objective", "target_objective").get(
        dependent_objective__title__startswith="Phản hồi khách hàng"
    )
    assert link.dependent_objective and link.target_objective
    return link.dependent_objective, link.target_objective


def test_the_demo_risk_names_the_hand_off(demo_org: Any, db: None) -> None:
    import time_machine

    _support, product = support_and_product()
    out = io.StringIO()
    with time_machine.travel(datetime.datetime(2026, 11, 27, 12, tzinfo=datetime.UTC)):
        call_command("risks", "--json", stdout=out)
    risks = json.loads(out.getvalue())
    rows = risks if isinstance(risks, list) else risks["risks"]
    hand_offs = [r for r in rows if r.get("code") == "waits_for_late"]
    assert hand_offs, rows[:3]
    risk = hand_offs[0]
    assert risk["kind"] == "sudden"
    assert product.title in risk["evidence"] and "points behind" in risk["evidence"]
    assert risk["params"]["target_objective_id"] == product.pk


def test_okrs_json_carries_depends_on(demo_org: Any, db: None) -> None:
    support, product = support_and_product()
    out = io.StringIO()
    call_command("okrs", "--json", "--on", DEMO_DAY.isoformat(), stdout=out)
    objectives = {o["id"]: o for o in json.loads(out.getvalue())["objectives"]}
    assert objectives[support.pk]["depends_on"][0]["objective"] == product.pk
    assert objectives[product.pk]["depends_on"] == []
    assert all("depends_on" in kr for o in objectives.values() for kr in o["key_results"])
