"""#16: the key result editor's parts section and the correction of a part's value.

Actions (audit rows, append-only history), the editor and the KR page for the four personas,
bad input (nothing saved), query pins and the API.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from okrflow.audit.models import AuditEntry
from okrflow.okrs.actions import create_key_result, create_objective
from okrflow.okrs.actions.shapes import (
    correct_part_value,
    record_part_values,
    set_key_result_parts,
)
from okrflow.okrs.models import KeyResult, KeyResultPart, KeyResultPartValue, KeyResultValue
from tests.api.conftest import api_for
from tests.checkins.conftest import signed_in
from tests.conftest import World

D = datetime.date
PARTS = [
    {"label": "In person", "start_value": 0, "target_value": 300, "unit": "guests"},
    {"label": "Livestream", "start_value": 0, "target_value": 5000, "unit": "viewers"},
]
PERSONAS = [("admin", 302), ("lead", 302), ("member", 302), ("teammate", 403), ("outsider", 403)]


def seminar(world: World, *, compound: bool = False) -> KeyResult:
    objective = create_objective(
        None, cycle=world.cycle, title="Be known in the industry", owner=world.member
    ).value
    kr = create_key_result(
        None,
        objective,
        title="Seminar: 300 in person and 5,000 online",
        owner=world.member,
        start_value=0,
        target_value=300,
        unit="guests",
    ).value
    if compound:
        kr = set_key_result_parts(None, kr, combine="weakest", parts=PARTS)
    return kr


def editor_form(kr: KeyResult, **changes: str) -> dict[str, str]:
    """What the editor posts when a person makes the key result compound with two parts."""
    form = {
        "version": str(kr.version),
        "kr-0-title": kr.title,
        "kr-0-shape": kr.shape,
        "kr-0-direction": kr.direction,
        "kr-0-start_value": "0",
        "kr-0-target_value": "300",
        "kr-0-unit": kr.unit,
        "kr-0-weight": "1",
        "kr-0-due_date": kr.due_date.isoformat(),
        "combine": "weighted",
        "part-count": "3",
        "part-0-label": "In person",
        "part-0-shape": "metric",
        "part-0-start_value": "0",
        "part-0-target_value": "300",
        "part-0-unit": "guests",
        "part-0-weight": "2",
        "part-0-position": "2",
        "part-1-label": "Livestream",
        "part-1-shape": "metric",
        "part-1-start_value": "0",
        "part-1-target_value": "5000",
        "part-1-unit": "viewers",
        "part-1-start_date": "2026-04-15",
        "part-1-weight": "1",
        "part-1-position": "1",
        "part-2-shape": "metric",
    }
    form.update(changes)
    return form


# --- the editor ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), PERSONAS)
def test_the_editor_makes_a_key_result_compound_for_who_may_edit_it(
    client: Client,
    world: World,
    persona: str,
    status: int,
    django_assert_max_num_queries: Any,
) -> None:
    kr = seminar(world)
    signed_in(client, getattr(world, persona))
    client.get("/")
    with django_assert_max_num_queries(16):
        page = client.get(f"/key-results/{kr.pk}/edit/")
    assert page.status_code == (200 if status == 302 else status)
    response = client.post(f"/key-results/{kr.pk}/edit/", editor_form(kr))
    assert response.status_code == status
    kr.refresh_from_db()
    if status != 302:
        assert not kr.combine and not KeyResultPart.objects.exists()
        return
    assert kr.combine == "weighted" and kr.shape == "percentage"
    parts = list(kr.parts.order_by("position"))
    # "Order" put the livestream first; each part keeps its own start date and weight.
    assert [p.label for p in parts] == ["Livestream", "In person"]
    assert parts[0].start_date == D(2026, 4, 15)
    assert (parts[0].weight, parts[1].weight) == (Decimal(1), Decimal(2))
    assert AuditEntry.objects.filter(action="set_key_result_parts", object_id=kr.pk).exists()
    assert AuditEntry.objects.filter(action="update_key_result", object_id=kr.pk).exists()


def test_the_editor_shows_the_stored_parts(client: Client, world: World) -> None:
    kr = seminar(world, compound=True)
    signed_in(client, world.member)
    html = client.get(f"/key-results/{kr.pk}/edit/").content.decode()
    assert 'value="In person"' in html and 'value="Livestream"' in html
    assert 'name="part-2-label"' in html  # an empty row to add one more part
    assert '<option value="weakest" selected>' in html


def test_add_a_part_posts_back_one_more_row_and_saves_nothing(client: Client, world: World) -> None:
    kr = seminar(world)
    signed_in(client, world.member)
    response = client.post(f"/key-results/{kr.pk}/edit/", editor_form(kr, add_part="1"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="part-3-label"' in html and 'value="Livestream"' in html
    kr.refresh_from_db()
    assert not kr.combine and not KeyResultPart.objects.exists()


def test_a_removed_part_is_left_out(client: Client, world: World) -> None:
    kr = seminar(world)
    signed_in(client, world.member)
    form = editor_form(
        kr,
        **{
            "part-2-label": "Sponsors",
            "part-2-start_value": "0",
            "part-2-target_value": "3",
            "part-2-weight": "1",
            "part-0-remove": "on",
        },
    )
    assert client.post(f"/key-results/{kr.pk}/edit/", form).status_code == 302
    assert list(KeyResultPart.objects.values_list("label", flat=True)) == [
        "Livestream",
        "Sponsors",
    ]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {
                "part-1-label": "",
                "part-1-target_value": "",
                "part-1-start_value": "",
                "part-1-unit": "",
                "part-1-weight": "",
                "part-1-start_date": "",
            },
            "A compound key result needs at least two measured parts.",
        ),
        ({"part-1-target_value": "0"}, "Part 1: The target must differ from the starting value."),
        ({"part-0-weight": "0"}, "Part 2: The weight must be greater than 0."),
        ({"part-0-weight": "-1"}, "Part 2: The weight must be greater than 0."),
        ({"part-0-weight": ""}, "Give each part a weight greater than 0."),
        (
            {"part-1-start_date": "2026-07-15"},
            "Part 1: The start date must fall inside the cycle (1 Apr 2026 – 30 Jun 2026).",
        ),
        ({"combine": ""}, "Choose how the parts combine, or leave the parts empty."),
    ],
)
def test_bad_parts_save_nothing_and_keep_what_was_typed(
    client: Client, world: World, changes: dict[str, str], message: str
) -> None:
    kr = seminar(world)
    version = kr.version
    signed_in(client, world.member)
    response = client.post(f"/key-results/{kr.pk}/edit/", editor_form(kr, **changes))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html  # the failed-save summary
    assert message in html.replace("&#x27;", "'")
    assert 'value="In person"' in html and 'value="guests"' in html  # what was typed
    kr.refresh_from_db()
    assert (kr.combine, kr.version, kr.shape) == ("", version, "metric")
    assert not KeyResultPart.objects.exists()


def test_the_live_check_names_a_bad_part_and_saves_nothing(client: Client, world: World) -> None:
    kr = seminar(world)
    signed_in(client, world.member)
    bad = client.post(f"/key-results/{kr.pk}/check/", editor_form(kr, **{"part-0-weight": "0"}))
    assert bad.status_code == 200
    assert "The weight must be greater than 0." in bad.content.decode()
    good = client.post(f"/key-results/{kr.pk}/check/", editor_form(kr))
    assert "Looks good: ready to save." in good.content.decode()
    kr.refresh_from_db()
    assert not kr.combine and not KeyResultPart.objects.exists()
    signed_in(client, world.teammate)
    assert client.post(f"/key-results/{kr.pk}/check/", editor_form(kr)).status_code == 403


def test_parts_with_check_ins_are_locked_in_the_editor(client: Client, world: World) -> None:
    kr = seminar(world, compound=True)
    part = kr.parts.first()
    assert part is not None
    record_part_values(None, kr, values={part.pk: "10"}, measured_on=D(2026, 4, 20))
    kr.refresh_from_db()
    signed_in(client, world.member)
    html = client.get(f"/key-results/{kr.pk}/edit/").content.decode()
    assert "data-parts-locked" in html and 'name="part-0-label"' not in html
    form = editor_form(kr, combine="weakest", **{"kr-0-title": "Seminar (renamed)"})
    form = {k: v for k, v in form.items() if not k.startswith("part-")}
    form.update({"kr-0-shape": "percentage", "kr-0-target_value": "100", "kr-0-unit": "%"})
    assert client.post(f"/key-results/{kr.pk}/edit/", form).status_code == 302
    kr.refresh_from_db()
    assert kr.title == "Seminar (renamed)" and kr.parts.count() == 2


# --- correcting a part's value -------------------------------------------------------------------


def checked_in(world: World) -> tuple[KeyResult, KeyResultPart, KeyResultPart]:
    kr = seminar(world, compound=True)
    in_person, online = kr.parts.order_by("position")
    record_part_values(
        None, kr, values={in_person.pk: "150", online.pk: "1000"}, measured_on=D(2026, 4, 20)
    )
    record_part_values(None, kr, values={online.pk: "2000"}, measured_on=D(2026, 4, 27))
    return kr, in_person, online


def test_a_correction_appends_a_row_and_recomputes_from_the_history(world: World) -> None:
    kr, in_person, _online = checked_in(world)
    mistaken = KeyResultPartValue.objects.get(part=in_person)
    correction = correct_part_value(world.member.user, mistaken, value="15", note="typo")
    assert (correction.corrects_id, correction.measured_on) == (mistaken.pk, D(2026, 4, 20))
    mistaken.refresh_from_db()
    assert mistaken.value == Decimal(150)  # the history keeps the mistaken value
    in_person.refresh_from_db()
    kr.refresh_from_db()
    assert in_person.current_value == Decimal(15)
    assert kr.current_value == Decimal(5)  # weakest: 15 of 300
    # The combined value of the corrected day is recorded again (the day's later row wins).
    day_values = KeyResultValue.objects.filter(key_result=kr, measured_on=D(2026, 4, 20))
    assert day_values.order_by("-id").first().value == Decimal(5)  # type: ignore[union-attr]
    entry = AuditEntry.objects.get(action="correct_part_value")
    assert (entry.object_id, entry.before["value"], entry.after["value"]) == (kr.pk, "150", "15")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the corrected value."),
        ("lots", "“lots” is not a number."),
        ("150", "The corrected value is the same as the recorded one."),
    ],
)
def test_a_bad_correction_saves_nothing(world: World, value: str, message: str) -> None:
    _kr, in_person, _online = checked_in(world)
    mistaken = KeyResultPartValue.objects.get(part=in_person)
    rows, audits = KeyResultPartValue.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        correct_part_value(world.member.user, mistaken, value=value)
    assert message in " ".join(error.value.messages)
    assert (KeyResultPartValue.objects.count(), AuditEntry.objects.count()) == (rows, audits)


def test_a_corrected_value_cannot_be_corrected_again(world: World) -> None:
    _kr, in_person, _online = checked_in(world)
    mistaken = KeyResultPartValue.objects.get(part=in_person)
    correct_part_value(world.member.user, mistaken, value="15")
    with pytest.raises(ValidationError, match="already been corrected"):
        correct_part_value(world.member.user, mistaken, value="16")


def test_who_may_not_update_cannot_correct(world: World) -> None:
    _kr, in_person, _online = checked_in(world)
    mistaken = KeyResultPartValue.objects.get(part=in_person)
    with pytest.raises(PermissionDenied):
        correct_part_value(world.teammate.user, mistaken, value="15")
    assert not KeyResultPartValue.objects.filter(corrects__isnull=False).exists()


@pytest.mark.parametrize(
    ("persona", "corrected"),
    [("admin", True), ("lead", True), ("member", True), ("teammate", False), ("outsider", False)],
)
def test_the_kr_page_corrects_a_part_value_for_who_may_update_it(
    client: Client,
    world: World,
    persona: str,
    corrected: bool,
    django_assert_max_num_queries: Any,
) -> None:
    kr, in_person, _online = checked_in(world)
    mistaken = KeyResultPartValue.objects.get(part=in_person)
    signed_in(client, getattr(world, persona))
    client.get("/")
    with django_assert_max_num_queries(16):
        panel = client.get(f"/key-results/{kr.pk}/shapes/")
    assert panel.status_code == 200
    html = panel.content.decode()
    assert f'data-part-value="{mistaken.pk}"' in html
    assert (f'name="entry" value="{mistaken.pk}"' in html) is corrected
    response = client.post(
        f"/key-results/{kr.pk}/parts/correct/",
        {"entry": str(mistaken.pk), "value": "15", "note": "typo"},
    )
    assert response.status_code == (302 if corrected else 403)
    assert KeyResultPartValue.objects.filter(corrects=mistaken).exists() is corrected
    if not corrected:
        return
    panel = client.get(f"/key-results/{kr.pk}/shapes/").content.decode()
    assert "<del>150</del>" in panel and "typo" in panel
    history = client.get(f"/objectives/{kr.objective_id}/").content.decode()
    assert "corrected the part “In person”" in history


def test_the_kr_page_refuses_a_bad_correction_with_a_message(client: Client, world: World) -> None:
    kr, in_person, _online = checked_in(world)
    mistaken = KeyResultPartValue.objects.get(part=in_person)
    signed_in(client, world.member)
    url = f"/key-results/{kr.pk}/parts/correct/"
    response = client.post(url, {"entry": str(mistaken.pk), "value": "abc"}, follow=True)
    assert "“abc” is not a number." in response.content.decode()
    response = client.post(url, {"entry": "999999", "value": "1"}, follow=True)
    assert "Choose a recorded value of one of this key result" in response.content.decode()
    assert not KeyResultPartValue.objects.filter(corrects__isnull=False).exists()


def test_another_key_results_value_cannot_be_corrected_through_this_one(
    client: Client, world: World
) -> None:
    kr, in_person, _online = checked_in(world)
    other = seminar(world)
    mistaken = KeyResultPartValue.objects.get(part=in_person)
    signed_in(client, world.member)
    client.post(f"/key-results/{other.pk}/parts/correct/", {"entry": mistaken.pk, "value": "1"})
    assert not KeyResultPartValue.objects.filter(corrects__isnull=False).exists()
    assert kr.pk != other.pk


# --- the API -------------------------------------------------------------------------------------


def test_the_api_sets_checks_in_and_corrects_parts(world: World) -> None:
    kr = seminar(world)
    api = api_for(world.member)
    body = {
        "combine": "weighted",
        "parts": [
            {"label": "In person", "start_value": 0, "target_value": 300, "weight": 2},
            {"label": "Livestream", "start_value": 0, "target_value": 5000, "weight": 1},
        ],
    }
    put = api.call("PUT", f"/key-results/{kr.pk}/parts", body)
    assert put.status_code == 200, put.content
    data = put.json()
    assert data["combine"] == "weighted" and [p["label"] for p in data["parts"]] == [
        "In person",
        "Livestream",
    ]
    ids = [p["id"] for p in data["parts"]]
    checkin = api.post(
        f"/key-results/{kr.pk}/parts/values",
        {"values": [{"part_id": ids[0], "value": 150}], "measured_on": "2026-04-20"},
    )
    assert checkin.status_code == 201, checkin.content
    assert Decimal(checkin.json()["parts"][0]["current_value"]) == 150
    history = api.get(f"/key-results/{kr.pk}/parts/values").json()
    value_id = history[0]["id"]
    fix = api.post(
        f"/key-results/{kr.pk}/parts/corrections", {"value_id": value_id, "value": 15, "note": "x"}
    )
    assert fix.status_code == 201, fix.content
    assert fix.json()["corrects_id"] == value_id
    fixed = api.get(f"/key-results/{kr.pk}/parts").json()
    assert Decimal(fixed["parts"][0]["current_value"]) == 15
    again = api.post(f"/key-results/{kr.pk}/parts/corrections", {"value_id": value_id, "value": 1})
    assert again.status_code == 422 and "already been corrected" in again.content.decode()


@pytest.mark.parametrize(
    ("parts", "message"),
    [
        ([PARTS[0]], "A compound key result needs at least two measured parts."),
        ([PARTS[0], PARTS[1] | {"target_value": 0}], "The target must differ"),
        ([PARTS[0], PARTS[1] | {"weight": 0}], "The weight must be greater than 0."),
        ([PARTS[0], PARTS[1] | {"start_date": "2026-03-01"}], "must fall inside the cycle"),
    ],
)
def test_the_api_refuses_bad_parts_and_saves_nothing(
    world: World, parts: list[dict[str, Any]], message: str
) -> None:
    kr = seminar(world)
    response = api_for(world.member).call(
        "PUT", f"/key-results/{kr.pk}/parts", {"combine": "weakest", "parts": parts}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not KeyResultPart.objects.exists()
    kr.refresh_from_db()
    assert not kr.combine
