"""The people page (/administration/people/): list, create, edit, deactivate with hand-over."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from okrflow.cycles.actions import create_cycle
from okrflow.cycles.models import CycleState
from okrflow.okrs.actions import create_key_result, create_objective, update_objective
from okrflow.okrs.models import KeyResult, Objective
from okrflow.org.actions import create_person, create_project, set_unit_lead
from okrflow.org.actions_people import deactivate_person, reactivate_person, update_person
from okrflow.org.models import Person, Project
from tests.administration.support import NOT_ADMINS, assert_sent_to_sign_in, audited, sign_in
from tests.conftest import PASSWORD, World, make_objective


def people_urls(world: World) -> dict[str, tuple[str, str]]:
    person = world.teammate.pk
    return {
        "list": ("get", reverse("administration:people_list")),
        "create": ("get", reverse("administration:person_create")),
        "create_post": ("post", reverse("administration:person_create")),
        "edit": ("get", reverse("administration:person_edit", args=[person])),
        "edit_post": ("post", reverse("administration:person_edit", args=[person])),
        "deactivate": ("get", reverse("administration:person_deactivate", args=[person])),
        "deactivate_post": ("post", reverse("administration:person_deactivate", args=[person])),
        "reactivate": ("post", reverse("administration:person_reactivate", args=[person])),
    }


def person_data(world: World, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "full_name": "Nguyễn Thị Hoa",
        "email": "hoa@saoviet.vn",
        "username": "",
        "job_title": "Content writer",
        "unit": world.content_team.pk,
        "manager": world.member.pk,
        "role": "member",
        "language": "vi",
    }
    return data | changes


def deactivated(person: Person) -> bool:
    person.user.refresh_from_db()
    return not person.user.is_active


@pytest.mark.parametrize("persona", NOT_ADMINS)
def test_only_admins_open_or_change_people(client: Client, world: World, persona: str) -> None:
    sign_in(client, world, persona)
    for method, url in people_urls(world).values():
        response = getattr(client, method)(url, person_data(world, hand_to=world.lead.pk))
        assert response.status_code == 403, url
    assert not Person.objects.filter(full_name="Nguyễn Thị Hoa").exists()
    assert not deactivated(world.teammate)


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, world: World) -> None:
    for method, url in people_urls(world).values():
        assert_sent_to_sign_in(getattr(client, method)(url))


def test_wrong_methods_are_refused(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    urls = people_urls(world)
    assert client.post(urls["list"][1]).status_code == 405
    assert client.get(urls["reactivate"][1]).status_code == 405
    assert client.put(urls["edit"][1]).status_code == 405


def test_the_list_finds_people_without_diacritics(client: Client, world: World) -> None:
    create_person(None, full_name="Đào Thị Hương", email="huong@saoviet.vn", unit=world.sales)
    sign_in(client, world, "admin")
    url = reverse("administration:people_list")
    assert "Đào Thị Hương" in client.get(url, {"q": "dao thi huong"}).content.decode()
    assert "Đào Thị Hương" in client.get(url, {"q": "HUONG@SAO"}).content.decode()
    found = client.get(url, {"q": "writer.content"}).content.decode()
    assert "Writer Content" in found
    assert "Đào Thị Hương" not in found


def test_the_list_filters_by_unit_role_and_status(client: Client, world: World) -> None:
    deactivate_person(None, world.teammate, hand_to=world.member)
    sign_in(client, world, "admin")
    url = reverse("administration:people_list")
    in_marketing = client.get(url, {"unit": world.marketing.pk}).content.decode()
    assert "Head Marketing" in in_marketing and "Writer Content" in in_marketing
    assert "Head Sales" not in in_marketing
    admins = client.get(url, {"role": "admin"}).content.decode()
    assert ">Admin</a>" in admins and "Head Marketing" not in admins
    gone = client.get(url, {"status": "deactivated"}).content.decode()
    assert "Writer Content" in gone and "Head Marketing" not in gone
    # Unknown filter values are ignored, never an error.
    assert client.get(url, {"unit": "٣", "role": "boss", "page": "x"}).status_code == 200


def test_the_list_takes_the_same_queries_however_many_people(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    url = reverse("administration:people_list")
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url, {"q": "a"})
    for index in range(30):
        create_person(
            None,
            full_name=f"Người {index}",
            email=f"p{index}@saoviet.vn",
            unit=world.sales,
            manager=world.sales_head,
        )
    with CaptureQueriesContext(connection) as big:
        response = client.get(url, {"q": "a"})
    assert response.status_code == 200
    # Session, user, person (access), units for the filter, the count, the page, the top bar's
    # cycles (1) and unread notifications (1).
    assert len(big) == len(small) == 8


def test_the_list_is_paginated(client: Client, world: World) -> None:
    for index in range(55):
        create_person(None, full_name=f"Zz {index:02d}", email=f"z{index}@saoviet.vn")
    sign_in(client, world, "admin")
    first = client.get(reverse("administration:people_list"), {"q": "zz"}).content.decode()
    assert "Page 1 of 2" in first and "?q=zz&amp;page=2" in first
    second = client.get(
        reverse("administration:people_list"), {"q": "zz", "page": 2}
    ).content.decode()
    assert "Zz 54" in second and "Zz 00" not in second


def test_admin_creates_a_person_with_the_email_as_username(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    assert client.get(reverse("administration:person_create")).status_code == 200
    response = client.post(reverse("administration:person_create"), person_data(world))
    assert response.status_code == 302
    person = Person.objects.select_related("user").get(full_name="Nguyễn Thị Hoa")
    assert person.user.username == "hoa@saoviet.vn"
    assert person.user.email == "hoa@saoviet.vn"
    assert (person.unit, person.manager) == (world.content_team, world.member)
    assert (person.language, person.job_title, person.is_admin) == ("vi", "Content writer", False)
    assert audited("create_person", person.pk)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"full_name": ""}, "A person needs a name."),
        ({"full_name": "x" * 300}, "at most 200 characters"),
        ({"email": "HEAD@saoviet.vn"}, "already uses the email"),
        ({"email": "not an email"}, "Enter a valid email address."),
        ({"email": "", "username": ""}, "needs a username or an email"),
        ({"unit": "999999"}, "Select a valid choice"),
        ({"manager": "abc"}, "Select a valid choice"),
        ({"language": "fr"}, "Select a valid choice"),
    ],
)
def test_bad_people_are_refused_and_nothing_is_saved(
    client: Client, world: World, changes: dict[str, object], message: str
) -> None:
    user = world.lead.user
    user.email = "head@saoviet.vn"
    user.save()
    sign_in(client, world, "admin")
    count = Person.objects.count()
    response = client.post(reverse("administration:person_create"), person_data(world, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert Person.objects.count() == count


def test_admin_edits_a_person(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    assert (
        client.get(reverse("administration:person_edit", args=[world.teammate.pk])).status_code
        == 200
    )
    data = person_data(world, unit=world.sales.pk, manager=world.sales_head.pk, role="admin")
    response = client.post(reverse("administration:person_edit", args=[world.teammate.pk]), data)
    assert response.status_code == 302
    world.teammate.refresh_from_db()
    world.teammate.user.refresh_from_db()
    assert world.teammate.full_name == "Nguyễn Thị Hoa"
    assert world.teammate.user.email == "hoa@saoviet.vn"
    assert (world.teammate.unit, world.teammate.manager) == (world.sales, world.sales_head)
    assert world.teammate.is_admin and world.teammate.language == "vi"
    assert audited("update_person", world.teammate.pk)


def test_a_manager_loop_is_refused_on_edit(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    # The lead manages the member, who manages the teammate: the lead may not report to them.
    data = person_data(world, full_name="Head Marketing", manager=world.teammate.pk)
    response = client.post(reverse("administration:person_edit", args=[world.lead.pk]), data)
    assert response.status_code == 200
    assert "cannot report to someone who reports to them" in response.content.decode()
    world.lead.refresh_from_db()
    assert world.lead.manager == world.ceo


def test_removing_the_last_admin_role_is_refused(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    data = person_data(world, full_name="Admin", email="", role="member", manager="", unit="")
    response = client.post(reverse("administration:person_edit", args=[world.admin.pk]), data)
    assert response.status_code == 200
    assert "last OKR admin" in response.content.decode()
    world.admin.refresh_from_db()
    assert world.admin.is_admin


def test_admin_deactivates_a_person_handing_their_work_over(client: Client, world: World) -> None:
    objective = make_objective(world, world.teammate)
    key_result = objective.key_results.get()
    sign_in(client, world, "admin")
    url = reverse("administration:person_deactivate", args=[world.teammate.pk])
    page = client.get(url)
    assert page.status_code == 200 and objective.title in page.content.decode()
    response = client.post(url, {"hand_to": world.member.pk})
    assert response.status_code == 302
    assert deactivated(world.teammate)
    objective.refresh_from_db()
    key_result.refresh_from_db()
    assert objective.owner_person == world.member
    assert key_result.owner == world.member
    assert objective.version == 2
    assert audited("deactivate_person", world.teammate.pk)
    assert audited("hand_over_objective", objective.pk)
    assert audited("hand_over_key_result", key_result.pk)
    client.logout()
    assert not client.login(username=world.teammate.user.username, password=PASSWORD)


def test_deactivating_someone_who_owns_work_needs_someone_to_take_it(
    client: Client, world: World
) -> None:
    make_objective(world, world.teammate)
    sign_in(client, world, "admin")
    url = reverse("administration:person_deactivate", args=[world.teammate.pk])
    for hand_to, message in (
        ("", "choose who takes them over"),
        (world.teammate.pk, "Select a valid choice"),  # themselves: not offered
        ("999999", "Select a valid choice"),
    ):
        response = client.post(url, {"hand_to": hand_to})
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not deactivated(world.teammate)


def test_deactivating_the_last_admin_is_refused(client: Client, world: World) -> None:
    second = create_person(
        None, full_name="Second Admin", username="admin2", is_admin=True, language="en"
    )
    second.user.set_password(PASSWORD)
    second.user.save()
    assert client.login(username="admin2", password=PASSWORD)
    response = client.post(
        reverse("administration:person_deactivate", args=[world.admin.pk]), {"hand_to": ""}
    )
    assert response.status_code == 302  # two admins: one may go
    assert deactivated(world.admin)
    with pytest.raises(ValidationError, match="last active OKR admin"):
        deactivate_person(None, second)


def test_admin_reactivates_a_person(client: Client, world: World) -> None:
    deactivate_person(None, world.outsider)
    sign_in(client, world, "admin")
    url = reverse("administration:person_reactivate", args=[world.outsider.pk])
    assert client.post(url).status_code == 302
    assert not deactivated(world.outsider)
    assert audited("reactivate_person", world.outsider.pk)
    response = client.post(url, follow=True)  # already active: a message, nothing else
    assert "already active" in response.content.decode()


def test_unknown_people_are_not_found(client: Client, world: World) -> None:
    sign_in(client, world, "admin")
    assert client.get(reverse("administration:person_edit", args=[999999])).status_code == 404
    url = reverse("administration:person_deactivate", args=[999999])
    assert client.post(url, {"hand_to": world.lead.pk}).status_code == 404


# The actions' rules, as the CLI and imports meet them too.


def test_a_deactivated_person_owns_no_new_objectives_or_key_results(world: World) -> None:
    objective = make_objective(world, world.member)
    deactivate_person(None, world.teammate)
    world.teammate.user.refresh_from_db()
    with pytest.raises(ValidationError, match="deactivated"):
        create_objective(None, cycle=world.cycle, title="Grow", owner=world.teammate)
    with pytest.raises(ValidationError, match="deactivated"):
        create_key_result(
            None, objective, title="Write posts", shape="milestone", owner=world.teammate
        )
    with pytest.raises(ValidationError, match="deactivated"):
        update_objective(None, objective, owner=world.teammate)
    with pytest.raises(ValidationError, match="deactivated"):
        set_unit_lead(None, world.content_team, world.teammate)
    with pytest.raises(ValidationError, match="deactivated"):
        create_project(None, name="Launch", lead=world.teammate)


def test_handing_over_leaves_history_and_clears_led_units(world: World) -> None:
    closed = create_cycle(
        None,
        name="Q1 2026",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 3, 31),
        state=CycleState.ACTIVE,
    )
    old = create_objective(None, cycle=closed, title="Old work", owner=world.teammate).value
    closed.state = CycleState.CLOSED
    closed.save()
    current = make_objective(world, world.teammate)
    theirs_elsewhere = create_key_result(
        None,
        make_objective(world, world.lead, "Lead's"),
        title="KR",
        shape="milestone",
        owner=world.teammate,
    ).value
    project = create_project(None, name="Launch", lead=world.teammate)
    set_unit_lead(None, world.content_team, world.teammate)
    handover = deactivate_person(world.admin.user, world.teammate, hand_to=world.member)
    assert (handover.objectives, handover.key_results, handover.projects) == (1, 2, 1)
    assert handover.units_without_lead == ["Content"]
    old.refresh_from_db()
    current.refresh_from_db()
    theirs_elsewhere.refresh_from_db()
    project.refresh_from_db()
    world.content_team.refresh_from_db()
    assert old.owner_person == world.teammate  # a closed cycle keeps its history
    assert current.owner_person == world.member
    assert theirs_elsewhere.owner == world.member
    assert project.lead == world.member
    assert world.content_team.lead is None
    assert KeyResult.objects.filter(owner=world.teammate, objective=old).count() == 0


def test_handing_over_is_refused_to_the_deactivated_or_oneself(world: World) -> None:
    make_objective(world, world.teammate)
    deactivate_person(None, world.outsider)
    world.outsider.user.refresh_from_db()
    with pytest.raises(ValidationError, match="deactivated"):
        deactivate_person(world.admin.user, world.teammate, hand_to=world.outsider)
    with pytest.raises(ValidationError, match="someone else"):
        deactivate_person(world.admin.user, world.teammate, hand_to=world.teammate)
    with pytest.raises(ValidationError, match="yourself"):
        deactivate_person(world.admin.user, world.admin, hand_to=world.ceo)
    assert Objective.objects.filter(owner_person=world.teammate).count() == 1
    assert not deactivated(world.teammate)


def test_emails_are_unique_whatever_their_case(world: World) -> None:
    create_person(None, full_name="Hoa", email="Hoa@SaoViet.vn")
    with pytest.raises(ValidationError, match="already uses"):
        create_person(None, full_name="Other Hoa", email="hoa@saoviet.vn")
    with pytest.raises(ValidationError, match="already uses"):
        update_person(
            None,
            world.member,
            full_name="M",
            email="HOA@saoviet.vn",
            unit=None,
            manager=None,
            is_admin=False,
            language="en",
        )
    assert get_user_model().objects.filter(email__iexact="hoa@saoviet.vn").count() == 1


def test_reactivating_twice_is_refused(world: World) -> None:
    with pytest.raises(ValidationError, match="already active"):
        reactivate_person(None, world.member)
    assert Project.objects.count() == 0


def test_the_top_bar_marks_administration_not_the_people_directory(
    client: Client, world: World
) -> None:
    sign_in(client, world, "admin")
    html = client.get(reverse("administration:people_list")).content.decode()
    assert f'<a href="{reverse("people")}" aria-current="page"' not in html
    assert f'<a href="{reverse("administration:home")}" aria-current="page"' in html


def test_deactivating_hands_over_open_initiatives_and_moves_reports_up(
    client: Client, world: World
) -> None:
    from okrflow.okrs.actions import create_initiative

    objective = make_objective(world, world.member)
    key_result = objective.key_results.get()
    open_one = create_initiative(None, key_result, title="Viết 4 bài blog", owner=world.member)
    done_one = create_initiative(None, key_result, title="Đã xong", owner=world.member)
    done_one.is_done = True
    done_one.save(update_fields=["is_done"])
    sign_in(client, world, "admin")
    url = reverse("administration:person_deactivate", args=[world.member.pk])
    page = client.get(url).content.decode()
    assert "1 initiative not done." in page
    assert "will report to Head Marketing" in page and world.teammate.full_name in page
    response = client.post(url, {"hand_to": world.lead.pk}, follow=True)
    text = response.content.decode()
    assert "initiatives 1" in text
    assert "1 person who reported to them now reports to Head Marketing." in text
    open_one.refresh_from_db()
    done_one.refresh_from_db()
    world.teammate.refresh_from_db()
    assert open_one.owner == world.lead
    assert done_one.owner == world.member  # finished work keeps its name
    assert world.teammate.manager == world.lead
    assert audited("hand_over_initiative", open_one.pk)
    assert audited("move_report_up", world.teammate.pk)


def test_an_open_initiative_alone_needs_someone_to_take_it(world: World) -> None:
    from okrflow.okrs.actions import create_initiative

    objective = make_objective(world, world.lead)
    create_initiative(None, objective.key_results.get(), title="Gọi 20 khách", owner=world.member)
    with pytest.raises(ValidationError, match="choose who takes them over"):
        deactivate_person(world.admin.user, world.member)
    assert world.member.user.is_active


def test_reports_of_someone_without_a_manager_are_left_without_one(
    client: Client, world: World
) -> None:
    sign_in(client, world, "admin")
    url = reverse("administration:person_deactivate", args=[world.ceo.pk])
    response = client.post(url, {"hand_to": world.admin.pk}, follow=True)
    assert "2 people who reported to them now have no manager: choose one." in (
        response.content.decode()
    )
    for report in (world.lead, world.sales_head):
        report.refresh_from_db()
        assert report.manager is None
