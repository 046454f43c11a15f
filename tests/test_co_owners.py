"""Co-owners: who may add them, what they may then do, and where their work shows."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from okrflow.audit.models import AuditEntry
from okrflow.checkins.actions import CheckInInput, LineInput, record_checkin
from okrflow.checkins.models import CheckIn
from okrflow.checkins.scope import key_result_counts, key_results_for
from okrflow.cycles.models import CycleState
from okrflow.okrs.actions import create_key_result, record_key_result_value, update_objective
from okrflow.okrs.actions.sharing import add_co_owner, follow, remove_co_owner
from okrflow.okrs.models import CoOwner, KeyResult, KeyResultValue, Objective
from okrflow.org.access import Access
from okrflow.org.models import Person
from tests.conftest import PASSWORD, World, make_objective

PERSONAS = ["admin", "lead", "member", "outsider"]
VN = datetime.timezone(datetime.timedelta(hours=7))
# Wednesday 13/5/2026 in Hồ Chí Minh City: the cycle week of Monday 11/5.
WEDNESDAY = datetime.datetime(2026, 5, 13, 10, 0, tzinfo=VN)
WEEK = datetime.date(2026, 5, 11)


@pytest.fixture
def frozen() -> Iterator[None]:
    with time_machine.travel(WEDNESDAY, tick=False):
        yield


def as_(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def first_kr(objective: Objective) -> KeyResult:
    return objective.key_results.select_related("objective").get()


def access(person: Person) -> Access:
    """A fresh Access, so nothing cached from before a change answers."""
    return Access(person.user)


# ---------------------------------------------------------------- the actions


def test_owner_adds_a_co_owner_with_an_audit_row(world: World) -> None:
    objective = make_objective(world, world.member)
    row = add_co_owner(world.member.user, person=world.teammate, objective=objective)
    assert CoOwner.objects.get(pk=row.pk).objective == objective
    entry = AuditEntry.objects.get(action="add_co_owner")
    assert (entry.object_type, entry.object_id) == ("objective", objective.pk)
    assert entry.actor == world.member.user
    assert entry.after["person"] == world.teammate.pk


def test_key_result_co_owner_is_audited_on_the_key_result(world: World) -> None:
    kr = first_kr(make_objective(world, world.member))
    add_co_owner(world.member.user, person=world.teammate, key_result=kr)
    entry = AuditEntry.objects.get(action="add_co_owner")
    assert (entry.object_type, entry.object_id) == ("keyresult", kr.pk)


@pytest.mark.parametrize("case", ["owner", "duplicate", "deactivated", "whole_objective"])
def test_refusals_save_nothing(world: World, case: str) -> None:
    objective = make_objective(world, world.member)
    kr = first_kr(objective)
    add_co_owner(None, person=world.teammate, objective=objective)
    before = CoOwner.objects.count()
    with pytest.raises(ValidationError) as caught:
        if case == "owner":
            add_co_owner(world.member.user, person=world.member, objective=objective)
        elif case == "duplicate":
            add_co_owner(world.member.user, person=world.teammate, objective=objective)
        elif case == "deactivated":
            world.outsider.user.is_active = False
            world.outsider.user.save()
            add_co_owner(world.member.user, person=world.outsider, objective=objective)
        else:
            add_co_owner(world.member.user, person=world.teammate, key_result=kr)
    message = " ".join(caught.value.messages)
    expected = {
        "owner": "is the owner already",
        "duplicate": "is a co-owner already",
        "deactivated": "is deactivated",
        "whole_objective": "already co-owns the whole objective",
    }[case]
    assert expected in message
    assert CoOwner.objects.count() == before
    assert AuditEntry.objects.filter(action="add_co_owner").count() == 1


def test_refusal_is_in_vietnamese_for_a_vietnamese_reader(world: World) -> None:
    from django.utils import translation

    objective = make_objective(world, world.member)
    with translation.override("vi"), pytest.raises(ValidationError) as caught:
        add_co_owner(world.member.user, person=world.member, objective=objective)
    assert "là người phụ trách rồi" in " ".join(caught.value.messages)


def test_someone_who_cannot_edit_cannot_add_or_remove(world: World) -> None:
    objective = make_objective(world, world.member)
    with pytest.raises(PermissionDenied):
        add_co_owner(world.outsider.user, person=world.teammate, objective=objective)
    add_co_owner(None, person=world.teammate, objective=objective)
    with pytest.raises(PermissionDenied):
        remove_co_owner(world.sales_head.user, person=world.teammate, objective=objective)
    assert CoOwner.objects.filter(person=world.teammate).exists()


def test_closed_cycle_refuses_new_co_owners(world: World) -> None:
    objective = make_objective(world, world.member)
    world.cycle.state = CycleState.CLOSED
    world.cycle.save()
    with pytest.raises(ValidationError):
        add_co_owner(None, person=world.teammate, objective=objective)
    assert not CoOwner.objects.exists()


def test_remove_co_owner_takes_the_rights_away(world: World) -> None:
    objective = make_objective(world, world.member)
    add_co_owner(None, person=world.outsider, objective=objective)
    assert access(world.outsider).can_edit_objective(objective)
    remove_co_owner(world.member.user, person=world.outsider, objective=objective)
    assert not access(world.outsider).can_edit_objective(objective)
    assert AuditEntry.objects.filter(action="remove_co_owner", actor=world.member.user).exists()
    with pytest.raises(ValidationError, match="is not a co-owner"):
        remove_co_owner(world.member.user, person=world.outsider, objective=objective)


def test_deleting_the_objective_row_cascades_but_the_person_is_protected(world: World) -> None:
    from django.db.models import ProtectedError

    objective = make_objective(world, world.member)
    add_co_owner(None, person=world.outsider, objective=objective)
    with pytest.raises(ProtectedError):
        world.outsider.delete()
    assert CoOwner._meta.get_field("objective").remote_field.on_delete.__name__ == "CASCADE"


# ---------------------------------------------------------------- what co-owners may do


def test_objective_co_owner_edits_the_objective_and_its_key_results(world: World) -> None:
    objective = make_objective(world, world.member)
    kr = first_kr(objective)
    assert not access(world.outsider).can_edit_objective(objective)
    add_co_owner(None, person=world.outsider, objective=objective)
    assert access(world.outsider).can_edit_objective(objective)
    assert access(world.outsider).can_update_key_result(kr)
    update_objective(world.outsider.user, objective, title="Delight every loyal customer")
    objective.refresh_from_db()
    assert objective.title == "Delight every loyal customer"
    assert not access(world.sales_head).can_edit_objective(objective)


def test_co_owner_cannot_give_the_objective_away(world: World) -> None:
    objective = make_objective(world, world.member)
    add_co_owner(None, person=world.outsider, objective=objective)
    for new_owner in (world.ceo, world.outsider):  # neither away nor to themselves
        with pytest.raises(PermissionDenied):
            update_objective(world.outsider.user, objective, owner=new_owner)
        objective.refresh_from_db()
        assert objective.owner_person == world.member
    # The owner's manager still may move it.
    update_objective(world.lead.user, objective, owner=world.teammate)
    objective.refresh_from_db()
    assert objective.owner_person == world.teammate


def test_co_owner_saves_the_edit_form(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    add_co_owner(None, person=world.outsider, objective=objective)
    as_(client, world, "outsider")
    assert client.get(f"/objectives/{objective.pk}/edit/").status_code == 200
    response = client.post(
        f"/objectives/{objective.pk}/edit/",
        {
            "owner": f"person:{world.member.pk}",
            "title": "Delight our most loyal customers",
            "kind": "committed",
            "version": str(objective.version),
        },
    )
    assert response.status_code == 302
    objective.refresh_from_db()
    assert objective.title == "Delight our most loyal customers"
    assert objective.owner_person == world.member


def test_key_result_co_owner_records_values_attributed_to_them(world: World) -> None:
    objective = make_objective(world, world.member)
    kr = first_kr(objective)
    with pytest.raises(PermissionDenied):
        record_key_result_value(world.outsider.user, kr, value="85")
    add_co_owner(None, person=world.outsider, key_result=kr)
    assert not access(world.outsider).can_edit_objective(objective)
    world.outsider.user = type(world.outsider.user).objects.get(pk=world.outsider.user_id)
    record_key_result_value(world.outsider.user, kr, value="85")
    kr.refresh_from_db()
    assert kr.current_value == Decimal("85")
    value = KeyResultValue.objects.get(key_result=kr)
    assert value.recorded_by == world.outsider.user
    assert AuditEntry.objects.get(action="record_key_result_value").actor == world.outsider.user


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 200), ("member", 200), ("outsider", 404)]
)
def test_private_objective_is_seen_by_its_co_owner(
    client: Client, world: World, persona: str, status: int
) -> None:
    # The sales head co-owns the member's private objective; other outsiders still do not see it.
    objective = make_objective(world, world.member, "Private plan", is_private=True)
    add_co_owner(None, person=world.sales_head, objective=objective)
    assert as_(client, world, persona).get(f"/objectives/{objective.pk}/").status_code == status
    co_owner = Client()
    as_(co_owner, world, "sales_head")
    assert co_owner.get(f"/objectives/{objective.pk}/").status_code == 200
    assert Objective.objects.visible_to(world.sales_head.user).filter(pk=objective.pk).exists()
    assert not Objective.objects.visible_to(world.outsider.user).filter(pk=objective.pk).exists()


def test_key_result_co_owner_sees_the_private_objective_but_cannot_edit_it(
    client: Client, world: World
) -> None:
    objective = make_objective(world, world.member, "Private plan", is_private=True)
    add_co_owner(None, person=world.outsider, key_result=first_kr(objective))
    as_(client, world, "outsider")
    assert client.get(f"/objectives/{objective.pk}/").status_code == 200
    assert client.get(f"/objectives/{objective.pk}/edit/").status_code == 403


# ---------------------------------------------------------------- check-ins


def test_check_in_includes_co_owned_key_results(world: World, frozen: None) -> None:
    mine = make_objective(world, world.member)
    other = make_objective(world, world.sales_head, "Sell more")
    kr_elsewhere = first_kr(other)
    assert key_results_for(world.outsider, world.cycle) == []
    kr_mine = first_kr(mine)
    add_co_owner(None, person=world.outsider, objective=mine)
    add_co_owner(None, person=world.outsider, key_result=kr_elsewhere)
    extra = create_key_result(
        None, mine, title="Publish 12 posts", start_value=0, target_value=12, owner=world.member
    ).value
    found = {kr.pk for kr in key_results_for(world.outsider, world.cycle)}
    assert found == {kr_mine.pk, extra.pk, kr_elsewhere.pk}
    # The owners still check in on them too.
    assert {kr.pk for kr in key_results_for(world.member, world.cycle)} >= {extra.pk}
    assert kr_elsewhere.pk in {kr.pk for kr in key_results_for(world.sales_head, world.cycle)}
    counts = key_result_counts(world.cycle, [world.outsider.pk, world.member.pk])
    assert counts[world.outsider.pk] == 3
    assert counts[world.member.pk] == 2


def test_owner_and_co_owner_check_in_on_the_same_key_result_the_same_week(
    world: World, frozen: None
) -> None:
    objective = make_objective(world, world.member)
    kr = first_kr(objective)
    add_co_owner(None, person=world.outsider, key_result=kr)

    def data(value: str) -> CheckInInput:
        return CheckInInput(
            lines={kr.pk: LineInput(value=value, confidence="high")}, confidence="high"
        )

    for person, value in ((world.member, "84"), (world.outsider, "86")):
        record_checkin(person.user, person=person, cycle=world.cycle, week=WEEK, data=data(value))
    checkins = CheckIn.objects.filter(week=WEEK).order_by("id")
    assert [c.person for c in checkins] == [world.member, world.outsider]
    values = KeyResultValue.objects.filter(key_result=kr).order_by("id")
    assert [(v.value, v.recorded_by) for v in values] == [
        (Decimal("84"), world.member.user),
        (Decimal("86"), world.outsider.user),
    ]
    submits = AuditEntry.objects.filter(action="submit_checkin").order_by("id")
    assert [entry.actor for entry in submits] == [world.member.user, world.outsider.user]
    kr.refresh_from_db()
    assert kr.current_value == Decimal("86")  # the later value of the same day wins
    # Each person still has exactly one check-in for the week: a second one is refused.
    with pytest.raises(ValidationError, match="already submitted"):
        record_checkin(
            world.outsider.user, person=world.outsider, cycle=world.cycle, week=WEEK, data=data("1")
        )


def test_someone_else_cannot_check_in_on_a_key_result_they_do_not_co_own(
    world: World, frozen: None
) -> None:
    kr = first_kr(make_objective(world, world.member))
    data = CheckInInput(lines={kr.pk: LineInput(value="90", confidence="high")}, confidence="high")
    with pytest.raises((PermissionDenied, ValidationError)):
        record_checkin(
            world.outsider.user, person=world.outsider, cycle=world.cycle, week=WEEK, data=data
        )
    assert not KeyResultValue.objects.filter(key_result=kr).exists()


# ---------------------------------------------------------------- pages


def test_add_and_remove_through_the_objective_page(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    kr = first_kr(objective)
    as_(client, world, "member")
    response = client.post(
        f"/objectives/{objective.pk}/co-owners/add/", {"person": str(world.teammate.pk)}
    )
    assert response.status_code == 302
    response = client.post(
        f"/objectives/{objective.pk}/co-owners/add/",
        {"person": str(world.outsider.pk), "key_result": str(kr.pk)},
    )
    assert response["Location"].endswith(f"#kr-{kr.pk}")
    page = client.get(f"/objectives/{objective.pk}/").content.decode()
    assert "Writer Content" in page and "Outsider" in page
    assert CoOwner.objects.filter(key_result=kr, person=world.outsider).exists()
    client.post(
        f"/objectives/{objective.pk}/co-owners/remove/",
        {"person": str(world.outsider.pk), "key_result": str(kr.pk)},
    )
    assert not CoOwner.objects.filter(person=world.outsider).exists()
    assert CoOwner.objects.filter(person=world.teammate, objective=objective).exists()


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 302), ("lead", 302), ("member", 302), ("outsider", 403)]
)
def test_add_endpoint_for_each_persona(
    client: Client, world: World, persona: str, status: int
) -> None:
    objective = make_objective(world, world.member)
    response = as_(client, world, persona).post(
        f"/objectives/{objective.pk}/co-owners/add/", {"person": str(world.sales_head.pk)}
    )
    assert response.status_code == status
    added = status == 302
    assert CoOwner.objects.filter(person=world.sales_head, objective=objective).exists() is added
    entries = AuditEntry.objects.filter(action="add_co_owner", object_id=objective.pk)
    assert entries.filter(actor=getattr(world, persona).user).count() == int(added)


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 302), ("lead", 302), ("member", 302), ("outsider", 404)]
)
def test_remove_endpoint_for_each_persona_on_a_private_objective(
    client: Client, world: World, persona: str, status: int
) -> None:
    objective = make_objective(world, world.member, "Private plan", is_private=True)
    add_co_owner(None, person=world.teammate, objective=objective)
    response = as_(client, world, persona).post(
        f"/objectives/{objective.pk}/co-owners/remove/", {"person": str(world.teammate.pk)}
    )
    assert response.status_code == status
    removed = status == 302
    assert CoOwner.objects.filter(person=world.teammate).exists() is not removed
    assert AuditEntry.objects.filter(action="remove_co_owner").exists() is removed


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 200), ("member", 200), ("outsider", 403)]
)
def test_person_search_for_each_persona(
    client: Client, world: World, persona: str, status: int
) -> None:
    objective = make_objective(world, world.member)
    world.ceo.user.is_active = False
    world.ceo.user.save()
    response = as_(client, world, persona).get(
        f"/objectives/{objective.pk}/co-owners/search/", {"q": "head"}
    )
    assert response.status_code == status
    if status == 200:
        text = response.content.decode()
        assert "Head Sales" in text and "Head Marketing" in text
        assert "Ceo" not in text  # deactivated people are not offered


def test_search_leaves_out_the_owner_and_current_co_owners(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    add_co_owner(None, person=world.teammate, objective=objective)
    text = (
        as_(client, world, "member")
        .get(f"/objectives/{objective.pk}/co-owners/search/", {"q": "e"})
        .content.decode()
    )
    assert "Specialist Marketing" not in text and "Writer Content" not in text
    assert "Head Sales" in text


@pytest.mark.parametrize(
    "data",
    [
        {"person": "abc"},
        {"person": ""},
        {"person": "99999999"},
        {"person": "1", "key_result": "xyz"},
        {"person": "１"},
        {},
    ],
)
def test_bad_input_says_so_and_saves_nothing(client: Client, world: World, data: dict) -> None:
    objective = make_objective(world, world.member)
    response = as_(client, world, "member").post(
        f"/objectives/{objective.pk}/co-owners/add/", data, follow=True
    )
    assert response.status_code == 200
    assert "alert" in response.content.decode()
    assert not CoOwner.objects.exists()


def test_key_result_of_another_objective_is_refused(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    other = first_kr(make_objective(world, world.member, "Another"))
    response = as_(client, world, "member").post(
        f"/objectives/{objective.pk}/co-owners/add/",
        {"person": str(world.teammate.pk), "key_result": str(other.pk)},
        follow=True,
    )
    assert "Choose one of this objective" in response.content.decode()
    assert not CoOwner.objects.exists()


@pytest.mark.parametrize("url", ["co-owners/add/", "co-owners/remove/"])
def test_buttons_refuse_get(client: Client, world: World, url: str) -> None:
    objective = make_objective(world, world.member)
    response = as_(client, world, "member").get(f"/objectives/{objective.pk}/{url}")
    assert response.status_code == 405


def test_anonymous_is_sent_to_sign_in(client: Client, world: World) -> None:
    objective = make_objective(world, world.member)
    response = client.post(
        f"/objectives/{objective.pk}/co-owners/add/", {"person": str(world.teammate.pk)}
    )
    assert response.status_code == 302 and "/sign-in/" in response["Location"]
    assert not CoOwner.objects.exists()


def test_my_okrs_shows_co_owned_objectives_and_key_results(client: Client, world: World) -> None:
    objective = make_objective(world, world.sales_head, "Sell to five new chains")
    elsewhere = make_objective(world, world.lead, "Win the trade fair")
    add_co_owner(None, person=world.member, objective=objective)
    add_co_owner(None, person=world.member, key_result=first_kr(elsewhere))
    response = as_(client, world, "member").get("/my/")
    page = response.content.decode()
    assert "Objectives I co-own" in page
    assert "Sell to five new chains" in page
    assert page.count("badge-co-owner") == 2
    assert [r.objective for r in response.context["co_owned"]] == [objective]
    assert [item.objective for item in response.context["owned"]] == [elsewhere]
    # Co-owned objectives do not count against the person's own focus.
    assert response.context["reports"] == []


def my_page_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/my/").status_code == 200
    return len(queries)


def grow_co_owned(world: World, start: int, count: int) -> None:
    for index in range(start, start + count):
        objective = make_objective(world, world.sales_head, f"Shared {index}")
        add_co_owner(None, person=world.member, objective=objective)
        other = make_objective(world, world.lead, f"Part {index}", is_private=index % 2 == 0)
        add_co_owner(None, person=world.member, key_result=first_kr(other))


def test_my_okrs_query_count_stays_flat_with_co_owned_work(client: Client, world: World) -> None:
    as_(client, world, "member")
    grow_co_owned(world, 0, 2)
    few = my_page_queries(client)
    grow_co_owned(world, 2, 8)
    many = my_page_queries(client)
    assert len(client.get("/my/").context["co_owned"]) == 10
    assert few == many
    # My OKRs reads the person's ids by index first, then the rows by id (issue #14): +2.
    assert many <= 22


def test_objective_page_query_count_stays_flat_with_co_owners_and_followers(
    client: Client, world: World
) -> None:
    objective = make_objective(world, world.member)
    as_(client, world, "teammate")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/objectives/{objective.pk}/").status_code == 200
        return len(queries)

    add_co_owner(None, person=world.teammate, objective=objective)
    few = count()
    people = [world.lead, world.sales_head, world.outsider, world.ceo]
    for index, person in enumerate(people):
        kr = create_key_result(
            None, objective, title=f"KR {index}", start_value=0, target_value=10, owner=world.member
        ).value
        add_co_owner(None, person=person, key_result=kr)
        follow(None, person=person, objective=objective)
        follow(None, person=person, key_result=kr)
    assert count() == few
    page = client.get(f"/objectives/{objective.pk}/").content.decode()
    assert "Head Sales" in page and "You follow it as its owner or co-owner" in page
