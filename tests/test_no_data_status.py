"""Objectives and key results with no value yet are "No data yet", outside every status total."""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterator

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.utils import translation

from okrflow.engine.progress import Status
from okrflow.insights.models import ObjectiveSnapshot
from okrflow.insights.snapshots import refresh_cycle
from okrflow.okrs.actions import (
    align_objective,
    create_key_result,
    create_objective,
    record_key_result_value,
)
from okrflow.okrs.measure import load_objectives, measure_objectives
from okrflow.okrs.models import Objective
from okrflow.org.models import Organisation
from tests.conftest import PASSWORD, World, make_objective

MID_MAY = datetime.datetime(2026, 5, 15, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def mid_may() -> Iterator[None]:
    with time_machine.travel(MID_MAY, tick=False):
        yield


def statuses(world: World) -> dict[str, tuple[str, list[str]]]:
    """Return each objective's status and its key results' statuses, by title."""
    reports = measure_objectives(
        load_objectives(Objective.objects.filter(cycle=world.cycle)), MID_MAY.date()
    )
    return {
        r.objective.title: (r.status.value, [k.status.value for k in r.key_results])
        for r in reports
    }


def test_a_new_objective_has_no_data_until_a_value_is_recorded(world: World, mid_may: None) -> None:
    fresh = make_objective(world, world.member, "Fresh")
    measured = make_objective(world, world.member, "Measured")
    record_key_result_value(None, measured.key_results.get(), value="80")
    found = statuses(world)
    assert found["Fresh"] == ("no_data", ["no_data"])
    # Measured at its baseline in mid-May: six weeks behind its pace, truly off track.
    assert found["Measured"] == ("off_track", ["off_track"])
    record_key_result_value(None, fresh.key_results.get(), value="90")
    assert statuses(world)["Fresh"] == ("on_track", ["on_track"])


def test_an_objective_with_one_measured_key_result_is_judged(world: World, mid_may: None) -> None:
    objective = make_objective(world, world.member, "Half measured")
    create_key_result(None, objective, title="Reach 100 reviews", start_value=0, target_value=100)
    first = objective.key_results.order_by("position").first()
    record_key_result_value(None, first, value="95")
    status, kr_statuses = statuses(world)["Half measured"]
    assert kr_statuses == ["done", "no_data"]
    assert status != "no_data"


def test_an_objective_without_key_results_has_no_data(world: World, mid_may: None) -> None:
    create_objective(None, cycle=world.cycle, title="Empty", owner=world.member)
    assert statuses(world)["Empty"] == ("no_data", [])


@pytest.mark.parametrize("roll_up", [False, True])
def test_a_parent_has_data_through_its_children_only_when_they_count(
    world: World, mid_may: None, roll_up: bool
) -> None:
    organisation = Organisation.current()
    organisation.include_children_in_progress = roll_up
    organisation.save()
    parent = make_objective(world, world.company, "Parent")
    child = make_objective(world, world.member, "Child")
    grandchild = make_objective(world, world.member, "Grandchild")
    align_objective(None, child, parent)
    align_objective(None, grandchild, child)
    record_key_result_value(None, grandchild.key_results.get(), value="90")
    found = statuses(world)
    assert found["Grandchild"][0] == "on_track"
    assert (found["Parent"][0] == "no_data") is (not roll_up)
    assert (found["Child"][0] == "no_data") is (not roll_up)


def test_overview_stored_insights_and_dashboard_count_no_data_apart(
    client: Client, world: World, mid_may: None
) -> None:
    for n in range(3):
        make_objective(world, world.marketing, f"New {n}")
    measured = make_objective(world, world.marketing, "Measured")
    record_key_result_value(None, measured.key_results.get(), value="80")
    assert client.login(username=world.lead.user.username, password=PASSWORD)
    counts = client.get("/").context["status_counts"]
    assert counts["no_data"] == 3
    assert counts["off_track"] == 1
    assert counts["on_track"] == counts["at_risk"] == 0
    refresh_cycle(world.cycle, MID_MAY.date())
    stored = sorted(ObjectiveSnapshot.objects.values_list("status", "outlook"))
    assert stored == [("no_data", "unknown")] * 3 + [("off_track", "short")]
    for language in ("en", "vi"):
        world.lead.language = language
        world.lead.save(update_fields=["language"])
        with translation.override(language):
            label = translation.gettext("No data yet")
        page = client.get("/insights/")
        assert page.status_code == 200
        assert page.context["summary"].statuses["no_data"] == 3
        assert page.context["summary"].statuses["off_track"] == 1
        assert label in page.content.decode()
        assert label in client.get("/").content.decode()


def test_okrs_json_reports_no_data(world: World) -> None:
    make_objective(world, world.member, "Fresh")
    out = io.StringIO()
    call_command("okrs", "--json", "--cycle", "q2 2026", "--on", "2026-05-15", stdout=out)
    (objective,) = json.loads(out.getvalue())["objectives"]
    assert objective["status"] == Status.NO_DATA.value
    assert objective["key_results"][0]["status"] == "no_data"
