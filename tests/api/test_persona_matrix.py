"""The four personas' tokens on every operation of the OpenAPI document.

The operations come from the document itself, so a new endpoint is requested here without a
line being added; a new write must say what each persona gets (WRITES) or this test fails.
Path ids point at the member's private objective (and what hangs from it) wherever there is
one: the outsider must get 404 and never read its title.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest

from okrflow.api.v1 import api
from okrflow.checkins.actions import record_checkin
from okrflow.checkins.actions.inputs import CheckInInput, LineInput
from okrflow.kpis.actions import create_kpi, record_kpi_value
from okrflow.org.actions import create_project
from tests.api.conftest import PERSONAS, Api, Planted
from tests.conftest import World

WEEK = datetime.date(2026, 5, 11)
PREFIX = "/api/v1"


def operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix=PREFIX)
    return sorted(
        (method.upper(), path.removeprefix(PREFIX))
        for path, methods in schema["paths"].items()
        for method in methods
    )


# What each persona gets from each write on the member's private objective (or its key result).
WRITES: dict[tuple[str, str], dict[str, int]] = {
    ("POST", "/objectives"): {"admin": 201, "lead": 201, "member": 201, "outsider": 403},
    ("PATCH", "/objectives/{objective_id}"): {
        "admin": 200,
        "lead": 200,
        "member": 200,
        "outsider": 404,
    },
    ("POST", "/objectives/{objective_id}/alignments"): {
        "admin": 200,
        "lead": 200,
        "member": 200,
        "outsider": 404,
    },
    # The objective is active already: those who may propose or agree are told why not.
    ("POST", "/objectives/{objective_id}/propose"): {
        "admin": 422,
        "lead": 422,
        "member": 422,
        "outsider": 404,
    },
    ("POST", "/objectives/{objective_id}/agree"): {
        "admin": 422,
        "lead": 422,
        "member": 403,
        "outsider": 404,
    },
    ("POST", "/key-results"): {"admin": 201, "lead": 201, "member": 201, "outsider": 404},
    ("PATCH", "/key-results/{key_result_id}"): {
        "admin": 200,
        "lead": 200,
        "member": 200,
        "outsider": 404,
    },
    ("POST", "/key-results/{key_result_id}/values"): {
        "admin": 201,
        "lead": 201,
        "member": 201,
        "outsider": 404,
    },
    ("POST", "/key-results/{key_result_id}/initiatives"): {
        "admin": 201,
        "lead": 201,
        "member": 201,
        "outsider": 404,
    },
    # KPIs (issue #16): marketing's KPI is checked in and corrected by its unit, its lead and
    # admins; the outsider (in no unit) reads it but may not write.
    ("POST", "/kpis/{kpi_id}/values"): {"admin": 201, "lead": 201, "member": 201, "outsider": 403},
    ("POST", "/kpis/{kpi_id}/values/{value_id}/corrections"): {
        "admin": 201,
        "lead": 201,
        "member": 201,
        "outsider": 403,
    },
    # #16: a compound key result's parts, checked in part by part, a part's value corrected.
    ("PUT", "/key-results/{key_result_id}/parts"): {
        "admin": 200,
        "lead": 200,
        "member": 200,
        "outsider": 404,
    },
    # The planted key result is not compound (no parts) and has no part values: refused, 422.
    ("POST", "/key-results/{key_result_id}/parts/values"): {
        "admin": 422,
        "lead": 422,
        "member": 422,
        "outsider": 404,
    },
    ("POST", "/key-results/{key_result_id}/parts/corrections"): {
        "admin": 422,
        "lead": 422,
        "member": 422,
        "outsider": 404,
    },
    # The member's check-in: theirs, their lead's to write, an admin's; not the outsider's.
    ("POST", "/checkins"): {"admin": 201, "lead": 201, "member": 201, "outsider": 403},
    # Comments (issue #13): whoever may see the private objective comments on it.
    ("POST", "/objectives/{objective_id}/comments"): {
        "admin": 201,
        "lead": 201,
        "member": 201,
        "outsider": 404,
    },
    ("POST", "/key-results/{key_result_id}/comments"): {
        "admin": 201,
        "lead": 201,
        "member": 201,
        "outsider": 404,
    },
}


def bodies(world: World, planted: Planted) -> dict[tuple[str, str], Any]:
    private_kr = planted.private.key_results.get()
    return {
        ("POST", "/objectives"): {
            "cycle_id": world.cycle.pk,
            "title": "Publish a monthly customer story",
            "owner": {"kind": "person", "id": world.member.pk},
        },
        ("PATCH", "/objectives/{objective_id}"): {"title": "Quietly rebuild the content team"},
        ("POST", "/objectives/{objective_id}/alignments"): {"parent_id": planted.public.pk},
        ("POST", "/objectives/{objective_id}/propose"): {},
        ("POST", "/objectives/{objective_id}/agree"): {"comment": "Agreed"},
        ("POST", "/key-results"): {
            "objective_id": planted.private.pk,
            "title": "Interview 12 writers",
            "start_value": 0,
            "target_value": 12,
        },
        ("PATCH", "/key-results/{key_result_id}"): {"title": "Raise retention to 96%"},
        ("POST", "/key-results/{key_result_id}/values"): {"value": "85"},
        ("POST", "/key-results/{key_result_id}/initiatives"): {"title": "Call the churned"},
        ("PUT", "/key-results/{key_result_id}/parts"): {
            "combine": "weakest",
            "parts": [
                {"label": "In person", "start_value": 0, "target_value": 300},
                {"label": "Livestream", "start_value": 0, "target_value": 5000},
            ],
        },
        ("POST", "/key-results/{key_result_id}/parts/values"): {
            "values": [{"part_id": 1, "value": 10}]
        },
        ("POST", "/key-results/{key_result_id}/parts/corrections"): {"value_id": 1, "value": 5},
        ("POST", "/objectives/{objective_id}/comments"): {"body": "Quietly rebuild, @Admin?"},
        ("POST", "/key-results/{key_result_id}/comments"): {"body": "Quietly rebuild the KR"},
        ("POST", "/kpis/{kpi_id}/values"): {"value": "5200"},
        ("POST", "/kpis/{kpi_id}/values/{value_id}/corrections"): {"value": "5100"},
        ("POST", "/checkins"): {
            "person_id": world.member.pk,
            "cycle_id": world.cycle.pk,
            "week": WEEK.isoformat(),
            "lines": [{"key_result_id": private_kr.pk, "value": "82", "confidence": "high"}],
            "confidence": "medium",
            "progress": "Steady",
        },
    }


def path_ids(world: World, planted: Planted) -> dict[str, int]:
    project = create_project(None, name="Autumn campaign", lead=world.lead, members=[world.member])
    private_kr = planted.private.key_results.get()
    checkin = record_checkin(
        None,
        person=world.member,
        cycle=world.cycle,
        week=datetime.date(2026, 5, 4),
        data=CheckInInput(
            lines={private_kr.pk: LineInput(value=Decimal("81"), confidence="high")},
            confidence="high",
            obstacles=planted.secret_title,
        ),
    )
    kpi = create_kpi(
        None, name="Website sessions", owner=world.marketing, range_kind="at_least", minimum=5000
    )
    value = record_kpi_value(None, kpi, value=52000, measured_on=datetime.date(2026, 5, 4))
    return {
        "kpi_id": kpi.pk,
        "value_id": value.pk,
        "objective_id": planted.private.pk,
        "key_result_id": private_kr.pk,
        "checkin_id": checkin.pk,
        "cycle_id": world.cycle.pk,
        "person_id": world.member.pk,
        "unit_id": world.marketing.pk,
        "project_id": project.pk,
    }


# Paths whose id names something private to the member and their managers.
PRIVATE_IDS = ("objective_id", "key_result_id", "checkin_id")


def expected_read(persona: str, path: str) -> int:
    if persona == "outsider" and any(f"{{{name}}}" in path for name in PRIVATE_IDS):
        return 404
    return 200


def test_every_write_has_its_expectations() -> None:
    writes = {op for op in operations() if op[0] != "GET"}
    assert writes == set(WRITES), "say in WRITES what each persona gets from the new write"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("method", "path"), operations())
def test_persona_on_operation(
    world: World,
    planted: Planted,
    apis: dict[str, Api],
    persona: str,
    method: str,
    path: str,
) -> None:
    ids = path_ids(world, planted)
    url = path.format(**{name: ids[name] for name in ids if f"{{{name}}}" in path})
    caller = apis[persona]
    if method == "GET":
        response = caller.get(url)
        expected = expected_read(persona, path)
    else:
        body = bodies(world, planted)[(method, path)]
        response = caller.call(method, url, body)
        expected = WRITES[(method, path)][persona]
    assert response.status_code == expected, response.content.decode()
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == response.status_code and problem["title"]
    if persona == "outsider":
        assert planted.secret_title not in response.content.decode()
        assert "Quietly rebuild" not in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_lists_never_show_the_outsider_a_private_objective(
    world: World, planted: Planted, apis: dict[str, Api], persona: str
) -> None:
    ids = path_ids(world, planted)
    seen = ""
    for method, path in operations():
        if method == "GET" and "{" not in path:
            response = apis[persona].get(path)
            assert response.status_code == 200, (path, response.content)
            seen += response.content.decode()
    objective_ids = [
        item["id"] for item in apis[persona].get("/objectives?limit=200").json()["items"]
    ]
    if persona == "outsider":
        assert planted.secret_title not in seen
        assert ids["objective_id"] not in objective_ids
    else:
        assert ids["objective_id"] in objective_ids
