"""Team check-ins and compliance: personas, states, streaks, the CLI, pinned query counts."""

from __future__ import annotations

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from okrflow.checkins.actions import record_checkin
from okrflow.checkins.compliance import compliance_report, compliance_totals, people_in
from okrflow.engine.cadence import Timeliness
from okrflow.org.actions import create_person
from okrflow.org.models import Person
from tests.checkins.conftest import (
    LAST_WEEK,
    WEEK,
    Krs,
    build_history,
    checkin_data,
    signed_in,
    submit_member_checkin,
)
from tests.conftest import PASSWORD, World, make_objective


def add_people(world: World, count: int, start: int) -> list[Person]:
    """Add marketing specialists under the head of marketing, each with a KR and a check-in."""
    people = []
    for index in range(start, start + count):
        person = create_person(
            None,
            username=f"extra{index}",
            full_name=f"Extra {index}",
            password=PASSWORD,
            unit=world.marketing,
            manager=world.lead,
        )
        kr = make_objective(world, person, f"Objective {index}").key_results.get()
        record_checkin(
            None,
            person=person,
            cycle=world.cycle,
            week=WEEK,
            data=checkin_data([kr], ["85"]),
            submit=index % 2 == 0,
        )
        people.append(person)
    return people


@pytest.mark.parametrize(
    ("persona", "names"),
    [
        ("admin", {"Specialist Marketing", "Writer Content", "Head Marketing", "Ceo"}),
        ("lead", {"Specialist Marketing", "Writer Content"}),
        ("member", {"Writer Content"}),
        ("outsider", set()),
    ],
)
def test_team_page_lists_the_people_each_persona_manages(
    client: Client, world: World, krs: Krs, persona: str, names: set[str]
) -> None:
    response = signed_in(client, getattr(world, persona)).get("/checkins/team/")
    assert response.status_code == 200
    shown = {row.person.full_name for row in response.context["rows"]}
    assert names <= shown
    if persona != "admin":
        assert shown == names
    if not names:
        assert "Nobody reports to you" in response.content.decode()


def test_team_page_shows_who_has_checked_in(client: Client, world: World, krs: Krs) -> None:
    submit_member_checkin(world, krs)
    teammate_kr = make_objective(world, world.teammate, "Write well").key_results.get()
    record_checkin(
        world.teammate.user,
        person=world.teammate,
        cycle=world.cycle,
        week=WEEK,
        data=checkin_data([teammate_kr], ["82"]),
        submit=False,
    )
    response = signed_in(client, world.lead).get("/checkins/team/")
    states = {row.person.full_name: row.state for row in response.context["rows"]}
    assert states == {"Specialist Marketing": "on_time", "Writer Content": "prepared"}
    assert response.context["counts"]["on_time"] == 1
    assert response.context["counts"]["prepared"] == 1
    earlier = client.get(f"/checkins/team/?week={LAST_WEEK.isoformat()}")
    assert {row.state for row in earlier.context["rows"]} == {"not_started"}
    assert client.post("/checkins/team/").status_code == 405


def team_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/checkins/team/").status_code == 200
    return len(queries)


def test_team_page_query_count_does_not_grow(client: Client, world: World, krs: Krs) -> None:
    signed_in(client, world.lead)
    add_people(world, 2, 0)
    few = team_queries(client)
    add_people(world, 8, 2)
    many = team_queries(client)
    assert len(client.get("/checkins/team/").context["rows"]) == 12
    assert few == many
    assert many <= 20


def test_compliance_report_counts_on_time_late_missed_and_streaks(world: World, krs: Krs) -> None:
    build_history(world, krs)
    submit_member_checkin(world, krs)  # Wednesday 13/5: on time
    later = datetime.datetime(2026, 5, 27, 9, 0, tzinfo=datetime.UTC)
    report = compliance_report(world.cycle, people_in(world.marketing), later, world.marketing)
    (row,) = report.rows
    assert row.person == world.member
    assert row.marks[:8] == [
        Timeliness.ON_TIME,  # 3/4
        Timeliness.ON_TIME,  # 10/4
        Timeliness.MISSED,  # 17/4
        Timeliness.LATE,  # 24/4, submitted Saturday
        Timeliness.ON_TIME,  # 1/5, due Wednesday 29/4
        Timeliness.ON_TIME,  # 8/5
        Timeliness.ON_TIME,  # 15/5
        Timeliness.MISSED,  # 22/5
    ]
    assert row.marks[8] == Timeliness.PENDING
    assert (row.on_time, row.late, row.missed) == (5, 1, 2)
    assert (row.current_streak, row.longest_streak) == (0, 3)
    assert report.rate == pytest.approx(5 / 8)
    data = report.as_data()
    assert data["people"][0]["username"] == "specialist.marketing"
    assert data["weeks"][4] == {"week": "2026-04-27", "due": "2026-04-29", "shifted": True}
    # The dashboards' figures-only version counts the same without loading anyone.
    totals = compliance_totals(world.cycle, people_in(world.marketing), later)
    assert (totals.people, totals.on_time, totals.late, totals.missed) == (1, 5, 1, 2)
    assert totals.missed_last == [world.member.pk]  # 22/5 was missed
    assert totals.rate == pytest.approx(5 / 8)


def test_compliance_ignores_people_without_key_results(world: World, krs: Krs) -> None:
    report = compliance_report(world.cycle, people_in(None), timezone.now())
    assert [row.person for row in report.rows] == [world.member]
    assert compliance_totals(world.cycle, people_in(None), timezone.now()).people == 1


@pytest.mark.parametrize(
    ("persona", "people"),
    [
        ("admin", ["Specialist Marketing"]),
        ("lead", ["Specialist Marketing"]),
        ("member", ["Specialist Marketing"]),
        ("outsider", []),
    ],
)
def test_compliance_page_for_each_persona(
    client: Client, world: World, krs: Krs, persona: str, people: list[str]
) -> None:
    make_objective(world, world.sales_head, "Sell more")
    response = signed_in(client, getattr(world, persona)).get("/checkins/compliance/")
    assert response.status_code == 200
    shown = [row.person.full_name for row in response.context["report"].rows]
    if persona == "admin":
        assert set(shown) == {"Specialist Marketing", "Head Sales"}
    else:
        assert shown == people
    assert client.post("/checkins/compliance/").status_code == 405


def test_compliance_page_refuses_a_unit_the_user_does_not_lead(
    client: Client, world: World, krs: Krs
) -> None:
    signed_in(client, world.lead)
    assert client.get(f"/checkins/compliance/?unit={world.sales.pk}").status_code == 404
    ok = client.get(f"/checkins/compliance/?unit={world.content_team.pk}")
    assert ok.status_code == 200
    assert ok.context["unit"] == world.content_team


def compliance_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/checkins/compliance/").status_code == 200
    return len(queries)


def test_compliance_page_query_count_does_not_grow(client: Client, world: World, krs: Krs) -> None:
    signed_in(client, world.lead)
    add_people(world, 2, 0)
    few = compliance_queries(client)
    add_people(world, 8, 2)
    many = compliance_queries(client)
    assert len(client.get("/checkins/compliance/").context["report"].rows) == 11
    assert few == many
    assert many <= 16


def test_compliance_page_shows_everyone_in_the_totals_and_a_page_in_the_table(
    client: Client, world: World, krs: Krs, monkeypatch
) -> None:
    from okrflow.checkins.views import reports

    monkeypatch.setattr(reports, "PEOPLE_PER_PAGE", 4)
    signed_in(client, world.lead)
    add_people(world, 9, 0)
    first = client.get("/checkins/compliance/")
    assert first.context["totals"].people == 10
    assert len(first.context["report"].rows) == 4
    assert "Page 1 of 3" in first.content.decode()
    last = client.get("/checkins/compliance/?page=3")
    assert len(last.context["report"].rows) == 2
    names = [row.person.full_name for row in first.context["report"].rows]
    names += [
        row.person.full_name
        for row in client.get("/checkins/compliance/?page=2").context["report"].rows
    ]
    names += [row.person.full_name for row in last.context["report"].rows]
    assert len(set(names)) == 10  # every person once, across the pages
    assert client.get("/checkins/compliance/?page=zz").status_code == 200


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_compliance_command(world: World, krs: Krs) -> None:
    build_history(world, krs)
    with time_machine.travel(datetime.datetime(2026, 5, 16, 9, 0, tzinfo=datetime.UTC)):
        table = run("compliance", "--cycle", "q2 2026", "--unit", "marketing")
        data = json.loads(run("compliance", "--json"))
    assert "Specialist Marketing" in table
    assert "✓ on time" in table
    assert data["cycle"] == "Q2 2026"
    assert data["people"][0]["weeks"][:3] == ["on_time", "on_time", "missed"]
    assert data["totals"]["late"] == 1
    with pytest.raises(CommandError):
        run("compliance", "--unit", "Nowhere")
