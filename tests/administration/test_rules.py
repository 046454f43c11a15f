"""The rules page (/administration/rules/): focus, roll-up, status gaps, check-in defaults."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from okrflow.audit.log import snapshot
from okrflow.audit.models import AuditEntry
from okrflow.engine.focus import FocusRules
from okrflow.front.browse_data import owners_out_of_focus
from okrflow.okrs.focus_report import build_focus_report
from okrflow.org.models import Organisation, OrgUnit
from tests.conftest import PASSWORD, World, make_objective

URL = "/administration/rules/"


def signed_in(client: Client, world: World, persona: str) -> Client:
    assert client.login(username=getattr(world, persona).user.username, password=PASSWORD)
    return client


def rules_form(**overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "individual_objectives_min": "1",
        "individual_objectives_max": "3",
        "objectives_min": "3",
        "objectives_max": "5",
        "key_results_min": "3",
        "key_results_max": "5",
        "at_risk_gap": "10",
        "off_track_gap": "25",
        "default_checkin_weekday": "4",
        "default_checkin_hour": "17",
        "default_time_zone": "Asia/Ho_Chi_Minh",
    }
    return data | overrides


def test_the_url_is_the_rules_section() -> None:
    assert reverse("administration:rules") == URL


@pytest.mark.parametrize("persona", ["lead", "member", "outsider"])
def test_only_admins_open_or_change_the_rules(client: Client, world: World, persona: str) -> None:
    signed_in(client, world, persona)
    before = snapshot(Organisation.current())
    assert client.get(URL).status_code == 403
    assert client.post(URL, rules_form(objectives_max="9")).status_code == 403
    assert snapshot(Organisation.current()) == before


def test_signed_out_visitors_are_sent_to_sign_in(client: Client, world: World) -> None:
    for response in (client.get(URL), client.post(URL, rules_form())):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_wrong_methods_are_refused(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    assert client.put(URL).status_code == 405
    assert client.delete(URL).status_code == 405


def test_the_page_shows_the_article_defaults(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    response = client.get(URL)
    assert response.status_code == 200
    initial = response.context["form"].initial
    assert (initial["individual_objectives_min"], initial["individual_objectives_max"]) == (1, 3)
    assert (initial["objectives_min"], initial["objectives_max"]) == (3, 5)
    assert (initial["key_results_min"], initial["key_results_max"]) == (3, 5)
    assert (initial["at_risk_gap"], initial["off_track_gap"]) == (10, 25)
    assert initial["teams_and_projects_need_minimum"] is False
    assert "contribution weight" in response.content.decode()


def test_admin_saves_the_rules(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    response = client.post(
        URL,
        rules_form(
            individual_objectives_max="2",
            objectives_min="2",
            key_results_max="4",
            teams_and_projects_need_minimum="on",
            enforce_focus="on",
            include_children_in_progress="on",
            at_risk_gap="15",
            off_track_gap="40",
            default_checkin_weekday="0",
            default_checkin_hour="9",
            default_time_zone=" Asia/Bangkok ",
        ),
    )
    assert response.status_code == 302
    organisation = Organisation.current()
    assert organisation.individual_objectives_max == 2
    assert organisation.objectives_min == 2
    assert organisation.key_results_max == 4
    assert organisation.teams_and_projects_need_minimum
    assert organisation.enforce_focus and organisation.include_children_in_progress
    assert (organisation.at_risk_gap, organisation.off_track_gap) == (
        Decimal("0.15"),
        Decimal("0.40"),
    )
    assert (
        organisation.default_checkin_weekday,
        organisation.default_checkin_hour,
        organisation.default_time_zone,
    ) == (0, 9, "Asia/Bangkok")
    entry = AuditEntry.objects.get(action="update_organisation_rules")
    assert entry.actor == world.admin.user
    assert entry.after["objectives_min"] == 2


def test_saving_unchanged_rules_writes_no_audit_row(client: Client, world: World) -> None:
    signed_in(client, world, "admin")
    assert client.post(URL, rules_form()).status_code == 302
    assert not AuditEntry.objects.filter(action="update_organisation_rules").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"objectives_min": "6"}, "objectives_max", "at least the minimum"),
        ({"individual_objectives_min": "4"}, "individual_objectives_max", "at least the minimum"),
        ({"key_results_max": "2"}, "key_results_max", "at least the minimum"),
        ({"at_risk_gap": "30"}, "off_track_gap", "at least the at-risk gap"),
        ({"objectives_max": "21"}, "objectives_max", None),
        ({"key_results_min": "-1"}, "key_results_min", None),
        ({"at_risk_gap": "101"}, "at_risk_gap", None),
        ({"at_risk_gap": "ten"}, "at_risk_gap", None),
        ({"default_time_zone": "Mars/Olympus"}, "default_time_zone", "is not a time zone"),
        ({"default_time_zone": "../../etc/passwd"}, "default_time_zone", "is not a time zone"),
        ({"default_checkin_hour": "24"}, "default_checkin_hour", None),
        ({"default_checkin_weekday": "7"}, "default_checkin_weekday", None),
    ],
)
def test_bad_rules_are_refused_and_nothing_is_saved(
    client: Client, world: World, overrides: dict[str, str], field: str, message: str | None
) -> None:
    signed_in(client, world, "admin")
    before = snapshot(Organisation.current())
    response = client.post(URL, rules_form(**({"objectives_max": "4"} | overrides)))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors
    if message:
        assert message in " ".join(errors[field])
    assert snapshot(Organisation.current()) == before
    assert not AuditEntry.objects.filter(action="update_organisation_rules").exists()


def test_errors_come_in_vietnamese_for_a_vietnamese_admin(client: Client, world: World) -> None:
    world.admin.language = "vi"
    world.admin.save()
    signed_in(client, world, "admin")
    response = client.post(URL, rules_form(at_risk_gap="30", default_time_zone="Sao Hoả"))
    text = " ".join(
        response.context["form"].errors["off_track_gap"]
        + response.context["form"].errors["default_time_zone"]
    )
    assert "at least" not in text and "not a time zone" not in text
    assert "Sao Hoả" in text


# ---------------------------------------------------------------- the article's focus rule


def test_a_team_with_one_objective_is_not_flagged_unless_the_organisation_asks(
    world: World,
) -> None:
    make_objective(world, world.content_team, "Write the May series")
    content_team = OrgUnit.objects.get(pk=world.content_team.pk)
    assert content_team.depth == 2

    def flagged_units() -> set[str]:
        report = build_focus_report(world.cycle)
        return {line.owner_name for line in report if line.code == "too_few_objectives"}

    assert "Content" not in flagged_units()
    assert "Marketing" in flagged_units()  # a department still needs 3–5
    Organisation.objects.update(teams_and_projects_need_minimum=True)
    assert "Content" in flagged_units()


def test_unit_pages_apply_the_team_exception(world: World) -> None:
    make_objective(world, world.content_team, "Write the May series")
    units = OrgUnit.objects.filter(pk__in=[world.marketing.pk, world.content_team.pk])

    def flagged(rules: FocusRules) -> set[str]:
        lines = owners_out_of_focus(world.admin.user, world.cycle, rules, units=units)
        return {line.owner_name for line in lines}

    assert flagged(FocusRules()) == {"Marketing"}
    assert flagged(FocusRules(teams_and_projects_need_minimum=True)) == {"Marketing", "Content"}
