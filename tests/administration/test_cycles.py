"""The cycle pages (/administration/cycles/): nested cycles from draft to closed, admins only."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from okrflow.audit.models import AuditEntry
from okrflow.cycles.actions import create_cycle, enclosing_cycle_ids, update_cycle
from okrflow.cycles.models import Cycle, CycleKind, CycleState
from okrflow.insights.models import CycleClosing
from okrflow.org.models import Organisation
from tests.conftest import PASSWORD, World

MAY_2026 = datetime.date(2026, 5, 1), datetime.date(2026, 5, 31)


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def audit_rows(action: str, cycle: Cycle) -> int:
    return AuditEntry.objects.filter(action=action, object_type="cycle", object_id=cycle.pk).count()


def month_in_quarter(world: World, name: str = "May 2026", **extra: object) -> Cycle:
    return create_cycle(
        None,
        name=name,
        kind=CycleKind.MONTH,
        start_date=MAY_2026[0],
        end_date=MAY_2026[1],
        parent=world.cycle,
        **extra,  # type: ignore[arg-type]
    )


def cycle_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "May 2026",
        "kind": "month",
        "start_date": "2026-05-01",
        "end_date": "2026-05-31",
        "parent": "",
        "checkin_weekday": "4",
        "checkin_hour": "17",
        "time_zone": "Asia/Ho_Chi_Minh",
    }
    return data | overrides


def all_urls(world: World) -> list[tuple[str, str]]:
    pk = world.cycle.pk
    return [
        ("get", reverse("administration:cycles")),
        ("get", reverse("administration:cycle_create")),
        ("post", reverse("administration:cycle_create")),
        ("get", reverse("administration:cycle_edit", args=[pk])),
        ("post", reverse("administration:cycle_edit", args=[pk])),
        ("post", reverse("administration:cycle_activate", args=[pk])),
        ("get", reverse("administration:cycle_close", args=[pk])),
        ("post", reverse("administration:cycle_close", args=[pk])),
    ]


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize("persona", ["lead", "member", "outsider"])
def test_only_admins_open_or_change_cycles(client: Client, world: World, persona: str) -> None:
    signed_in(client, world, persona)
    for method, url in all_urls(world):
        response = getattr(client, method)(url, cycle_form(name="Sneaky"))
        assert response.status_code == 403, url
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.ACTIVE
    assert not Cycle.objects.filter(name="Sneaky").exists()


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, world: World) -> None:
    for method, url in all_urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_wrong_methods_are_refused(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    assert client.post(reverse("administration:cycles")).status_code == 405
    assert client.get(reverse("administration:cycle_activate", args=[1])).status_code == 405
    assert client.delete(reverse("administration:cycle_edit", args=[1])).status_code == 405


def test_an_unknown_cycle_is_404(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    assert client.get(reverse("administration:cycle_edit", args=[99999])).status_code == 404
    assert client.post(reverse("administration:cycle_close", args=[99999])).status_code == 404


# ---------------------------------------------------------------- the list


def test_the_list_shows_the_nesting_with_states(client: Client, world: World) -> None:
    year = create_cycle(
        None,
        name="2027",
        kind=CycleKind.YEAR,
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    quarter = create_cycle(
        None,
        name="Q1 2027",
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 3, 31),
        parent=year,
    )
    month_in_quarter(world)
    signed_in(client, world, "admin")
    response = client.get(reverse("administration:cycles"))
    assert response.status_code == 200
    names = [row.cycle.name for row in response.context["rows"]]
    depths = [row.depth for row in response.context["rows"]]
    assert names == ["2027", "Q1 2027", "Q2 2026", "May 2026"]
    assert depths == [0, 1, 0, 1]
    html = response.content.decode()
    assert "badge-active" in html and "badge-state-draft" in html
    assert reverse("administration:cycle_activate", args=[quarter.pk]) in html
    assert reverse("administration:cycle_close", args=[world.cycle.pk]) in html


def list_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("administration:cycles")).status_code == 200
    return len(queries)


def test_the_list_costs_the_same_queries_however_many_cycles(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    few = list_queries(client)
    for year in range(2030, 2036):
        parent = create_cycle(
            None,
            name=str(year),
            kind=CycleKind.YEAR,
            start_date=datetime.date(year, 1, 1),
            end_date=datetime.date(year, 12, 31),
        )
        create_cycle(
            None,
            name=f"Q1 {year}",
            start_date=datetime.date(year, 1, 1),
            end_date=datetime.date(year, 3, 31),
            parent=parent,
        )
    assert list_queries(client) == few
    assert few <= 8


# ---------------------------------------------------------------- create


def test_a_kind_and_a_day_fill_in_a_month_inside_its_quarter(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    response = client.get(
        reverse("administration:cycle_create"), {"kind": "month", "day": "2026-05-17"}
    )
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert initial["name"] == "May 2026"
    assert (initial["start_date"], initial["end_date"]) == MAY_2026
    assert initial["parent"] == world.cycle.pk


def test_vietnamese_readers_get_a_vietnamese_month_name(client: Client, world: World) -> None:
    world.admin.language = "vi"
    world.admin.save()
    signed_in(client, world, "admin")
    response = client.get(
        reverse("administration:cycle_create"), {"kind": "month", "day": "2027-01-09"}
    )
    assert response.context["form"].initial["name"] == "Tháng 1/2027"


def test_a_bad_day_falls_back_to_the_first_free_quarter(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    with time_machine.travel(datetime.datetime(2026, 5, 5, 12, tzinfo=datetime.UTC)):
        response = client.get(
            reverse("administration:cycle_create"), {"kind": "month", "day": "not-a-day"}
        )
    assert response.status_code == 200
    assert response.context["form"].initial["name"] == "Q3 2026"  # Q2 2026 exists
    assert response.context["asked"].errors


def test_the_check_in_defaults_come_from_the_rules(client: Client, world: World) -> None:
    Organisation.objects.update(
        default_checkin_weekday=0, default_checkin_hour=9, default_time_zone="Asia/Bangkok"
    )
    Organisation.current()
    signed_in(client, world, "admin")
    initial = client.get(reverse("administration:cycle_create")).context["form"].initial
    assert (initial["checkin_weekday"], initial["checkin_hour"], initial["time_zone"]) == (
        0,
        9,
        "Asia/Bangkok",
    )
    cycle = month_in_quarter(world)
    assert (cycle.checkin_weekday, cycle.checkin_hour, cycle.time_zone) == (0, 9, "Asia/Bangkok")


def test_admin_creates_a_month_inside_the_quarter(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    response = client.post(
        reverse("administration:cycle_create"), cycle_form(parent=str(world.cycle.pk))
    )
    assert response.status_code == 302
    cycle = Cycle.objects.get(name="May 2026")
    assert (cycle.kind, cycle.parent_id, cycle.state) == ("month", world.cycle.pk, "draft")
    assert audit_rows("create_cycle", cycle) == 1
    assert enclosing_cycle_ids(cycle) == [world.cycle.pk]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"start_date": "2026-07-01", "end_date": "2026-07-31"}, "parent", "must lie within"),
        ({"kind": "year"}, "parent", "cannot sit inside"),
        ({"kind": "quarter", "start_date": "2026-04-01"}, None, None),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "is not a time zone"),
        ({"end_date": "2026-04-30"}, "end_date", "ends before it starts"),
        ({"checkin_hour": "24"}, "checkin_hour", None),
        ({"name": "Q2 2026"}, "name", "exists"),
        ({"name": "   "}, "name", None),
        ({"start_date": "31/31/2026"}, "start_date", None),
        ({"parent": "abc"}, "parent", None),
    ],
)
def test_bad_cycles_are_refused_with_a_message(
    client: Client, world: World, overrides: dict[str, str], field: str | None, message: str | None
) -> None:
    signed_in(client, world, "admin")
    data = cycle_form(parent=str(world.cycle.pk)) | overrides
    if overrides.get("kind") == "quarter":
        data |= {"name": "Quarter in a quarter", "end_date": "2026-06-30"}
        field, message = "parent", "cannot sit inside"
    before = Cycle.objects.count()
    response = client.post(reverse("administration:cycle_create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in " ".join(errors[field])
    assert Cycle.objects.count() == before


def test_a_year_nests_its_quarters_and_a_custom_range_sits_anywhere(world: World) -> None:
    year = create_cycle(
        None,
        name="2026",
        kind=CycleKind.YEAR,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    quarter = create_cycle(
        None,
        name="Q3 2026",
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2026, 9, 30),
        parent=year,
    )
    month = create_cycle(
        None,
        name="July 2026",
        kind=CycleKind.MONTH,
        start_date=datetime.date(2026, 7, 1),
        end_date=datetime.date(2026, 7, 31),
        parent=quarter,
    )
    sprint = create_cycle(
        None,
        name="Launch sprint",
        kind=CycleKind.CUSTOM,
        start_date=datetime.date(2026, 7, 6),
        end_date=datetime.date(2026, 7, 17),
        parent=month,
    )
    assert enclosing_cycle_ids(sprint) == [month.pk, quarter.pk, year.pk]
    with pytest.raises(ValidationError, match="cannot sit inside"):
        create_cycle(
            None,
            name="Quarter in a month",
            start_date=datetime.date(2026, 7, 1),
            end_date=datetime.date(2026, 7, 31),
            parent=month,
        )


def test_a_closed_cycle_cannot_hold_a_new_one(world: World) -> None:
    world.cycle.state = CycleState.CLOSED
    world.cycle.save()
    with pytest.raises(ValidationError, match="closed"):
        month_in_quarter(world)


def test_nesting_cannot_loop(world: World) -> None:
    outer = create_cycle(
        None,
        name="Programme",
        kind=CycleKind.CUSTOM,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    inner = create_cycle(
        None,
        name="Programme twin",
        kind=CycleKind.CUSTOM,
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
        parent=outer,
    )
    with pytest.raises(ValidationError, match="loop"):
        update_cycle(
            None,
            outer,
            name="Programme",
            kind=CycleKind.CUSTOM,
            start_date=outer.start_date,
            end_date=outer.end_date,
            parent=inner,
            checkin_weekday=4,
            checkin_hour=17,
            time_zone="Asia/Ho_Chi_Minh",
        )
    outer.refresh_from_db()
    assert outer.parent_id is None


# ---------------------------------------------------------------- edit


def test_admin_edits_a_draft_month_dates_included(client: Client, world: World) -> None:
    month = month_in_quarter(world)
    signed_in(client, world, "admin")
    response = client.post(
        reverse("administration:cycle_edit", args=[month.pk]),
        cycle_form(
            name="Late May 2026",
            kind="custom",
            start_date="2026-05-15",
            parent=str(world.cycle.pk),
            checkin_weekday="0",
            checkin_hour="9",
            time_zone="Asia/Bangkok",
        ),
    )
    assert response.status_code == 302
    month.refresh_from_db()
    assert (month.name, month.kind, month.start_date) == (
        "Late May 2026",
        "custom",
        datetime.date(2026, 5, 15),
    )
    assert (month.checkin_weekday, month.checkin_hour, month.time_zone) == (0, 9, "Asia/Bangkok")
    assert audit_rows("update_cycle", month) == 1


def test_an_active_cycle_keeps_its_dates_but_takes_a_new_name(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    response = client.post(
        reverse("administration:cycle_edit", args=[world.cycle.pk]),
        cycle_form(name="Quý 2/2026", kind="year", start_date="2020-01-01", checkin_hour="8"),
    )
    assert response.status_code == 302
    world.cycle.refresh_from_db()
    assert world.cycle.name == "Quý 2/2026"
    assert world.cycle.checkin_hour == 8
    assert (world.cycle.kind, world.cycle.start_date) == ("quarter", datetime.date(2026, 4, 1))


def test_a_parent_cannot_shrink_away_from_its_months(client: Client, world: World) -> None:
    year = create_cycle(
        None,
        name="2027",
        kind=CycleKind.YEAR,
        start_date=datetime.date(2027, 1, 1),
        end_date=datetime.date(2027, 12, 31),
    )
    create_cycle(
        None,
        name="Q4 2027",
        start_date=datetime.date(2027, 10, 1),
        end_date=datetime.date(2027, 12, 31),
        parent=year,
    )
    signed_in(client, world, "admin")
    response = client.post(
        reverse("administration:cycle_edit", args=[year.pk]),
        cycle_form(name="2027", kind="year", start_date="2027-01-01", end_date="2027-06-30"),
    )
    assert response.status_code == 200
    assert "would fall outside" in " ".join(response.context["form"].errors["end_date"])
    year.refresh_from_db()
    assert year.end_date == datetime.date(2027, 12, 31)


def test_a_closed_cycle_cannot_be_edited(client: Client, world: World) -> None:
    world.cycle.state = CycleState.CLOSED
    world.cycle.save()
    signed_in(client, world, "admin")
    response = client.post(
        reverse("administration:cycle_edit", args=[world.cycle.pk]), cycle_form(name="Renamed")
    )
    assert response.status_code == 200
    assert "settings are final" in response.content.decode()
    world.cycle.refresh_from_db()
    assert world.cycle.name == "Q2 2026"


# ---------------------------------------------------------------- draft → active → closed


def test_admin_activates_a_draft(client: Client, world: World) -> None:
    month = month_in_quarter(world)
    signed_in(client, world, "admin")
    response = client.post(reverse("administration:cycle_activate", args=[month.pk]), follow=True)
    assert "is active" in response.content.decode()
    month.refresh_from_db()
    assert month.state == CycleState.ACTIVE
    assert audit_rows("activate_cycle", month) == 1


def test_admin_closes_an_active_cycle_once(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    url = reverse("administration:cycle_close", args=[world.cycle.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Grade and close" in page.content.decode()
    response = client.post(url, {"targets": "current"}, follow=True)
    assert "is closed" in response.content.decode()
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.CLOSED
    assert CycleClosing.objects.filter(cycle=world.cycle).count() == 1
    assert audit_rows("close_cycle", world.cycle) == 1
    again = client.post(url, {"targets": "current"}, follow=True)
    assert "is already closed" in again.content.decode()
    assert CycleClosing.objects.filter(cycle=world.cycle).count() == 1
    assert audit_rows("close_cycle", world.cycle) == 1
    assert "already closed" in client.get(url).content.decode()


def test_a_closed_cycle_cannot_be_activated_again(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    client.post(reverse("administration:cycle_close", args=[world.cycle.pk]))
    response = client.post(
        reverse("administration:cycle_activate", args=[world.cycle.pk]), follow=True
    )
    assert "cannot be activated again" in response.content.decode()
    world.cycle.refresh_from_db()
    assert world.cycle.state == CycleState.CLOSED
    assert audit_rows("activate_cycle", world.cycle) == 0


def test_a_draft_cannot_be_closed(client: Client, world: World) -> None:
    month = month_in_quarter(world)
    signed_in(client, world, "admin")
    response = client.post(reverse("administration:cycle_close", args=[month.pk]), follow=True)
    assert "Only an active cycle can be closed" in response.content.decode()
    month.refresh_from_db()
    assert month.state == CycleState.DRAFT


def test_a_month_under_way_can_be_renamed_after_its_quarter_closed(
    client: Client, world: World
) -> None:
    month = month_in_quarter(world, state=CycleState.ACTIVE)
    world.cycle.state = CycleState.CLOSED
    world.cycle.save()
    signed_in(client, world, "admin")
    response = client.post(
        reverse("administration:cycle_edit", args=[month.pk]), cycle_form(name="May (late)")
    )
    assert response.status_code == 302
    month.refresh_from_db()
    assert (month.name, month.parent_id) == ("May (late)", world.cycle.pk)


def test_with_nothing_asked_the_first_quarter_without_a_cycle_is_suggested(
    client: Client, world: World
) -> None:
    signed_in(client, world, "admin")
    with time_machine.travel(datetime.datetime(2026, 5, 5, 12, tzinfo=datetime.UTC)):
        response = client.get(reverse("administration:cycle_create"))
    initial = response.context["form"].initial
    assert initial["name"] == "Q3 2026"  # Q2 2026 exists already
    assert (initial["start_date"], initial["end_date"]) == (
        datetime.date(2026, 7, 1),
        datetime.date(2026, 9, 30),
    )
