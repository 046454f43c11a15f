"""Property-based: schemathesis sends generated requests to the live API, real HTTP, real DB.

Each operation of the live OpenAPI document gets valid (positive) and invalid (negative)
requests, half of them aimed at the planted objects' ids. Every answer must be no server error
and valid against the document (status code declared, body matching its schema). The counts
are printed at the end of the run.
"""

from __future__ import annotations

import datetime
import os
from collections import Counter
from decimal import Decimal
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from okrflow.api.actions import create_access_token
from okrflow.checkins.actions import record_checkin
from okrflow.checkins.actions.inputs import CheckInInput, LineInput
from okrflow.org.actions import create_project
from tests.conftest import World, build_world, make_objective
from tests.security.counts import record_counts

# Examples per operation and mode: 30 operations × 2 modes × 18 = 1,080 requests.
EXAMPLES = int(os.environ.get("OKRFLOW_SCHEMATHESIS_EXAMPLES", "18"))
MINIMUM_REQUESTS = 1000


def plant(world: World) -> dict[str, int]:
    """Give the generated requests real objects to find, private ones included."""
    public = make_objective(world, world.marketing, "Grow organic traffic")
    private = make_objective(world, world.member, "Zqv secret plan", is_private=True)
    project = create_project(None, name="Autumn campaign", lead=world.lead, members=[world.member])
    kr = private.key_results.get()
    checkin = record_checkin(
        None,
        person=world.member,
        cycle=world.cycle,
        week=datetime.date(2026, 5, 4),
        data=CheckInInput(
            lines={kr.pk: LineInput(value=Decimal("81"), confidence="high")}, confidence="high"
        ),
    )
    return {
        "objective_id": private.pk,
        "key_result_id": public.key_results.get().pk,
        "checkin_id": checkin.pk,
        "cycle_id": world.cycle.pk,
        "person_id": world.member.pk,
        "unit_id": world.marketing.pk,
        "project_id": project.pk,
    }


def test_generated_requests_find_no_server_error_and_no_schema_violation(
    live_server,
    transactional_db,
    settings,
    request,  # type: ignore[no-untyped-def]
) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.OKRFLOW_API_RATE_PER_MINUTE = 1_000_000
    world = build_world()
    ids = plant(world)
    tokens = {
        name: create_access_token(None, getattr(world, name), name="fuzz", scope="write").secret
        for name in ("admin", "member", "outsider")
    }
    http = requests.Session()
    document = http.get(f"{live_server.url}/api/v1/openapi.json", timeout=60).json()
    schema = schemathesis.openapi.from_dict(document)
    counts: Counter[str] = Counter({"requests": 0, "5xx": 0, "schema_violations": 0})
    failures: list[str] = []

    def fuzz(strategy: Any, mode: str) -> None:
        @given(case=strategy, persona=st.sampled_from(sorted(tokens)))
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=bool(os.environ.get("CI")),
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def send(case: Any, persona: str) -> None:
            response = case.call(
                base_url=live_server.url,
                session=http,
                headers={"Authorization": f"Bearer {tokens[persona]}"},
                timeout=60,
            )
            counts["requests"] += 1
            label = f"{case.method} {case.path} {mode} → {response.status_code}"
            if response.status_code >= 500:
                counts["5xx"] += 1
                failures.append(f"{label}: {response.text[:300]}")
                return
            try:
                case.validate_response(
                    response,
                    checks=[
                        not_a_server_error,
                        status_code_conformance,
                        response_schema_conformance,
                    ],
                )
            except Exception as error:  # schemathesis groups its failures in one exception
                counts["schema_violations"] += 1
                failures.append(f"{label}: {str(error)[:500]}")

        send()

    for result in schema.get_all_operations():
        operation = result.ok()
        parameters = operation.definition.raw.get("parameters", [])
        real = {
            p["name"]: ids[p["name"]]
            for p in parameters
            if p.get("in") == "path" and p["name"] in ids
        }
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            strategies = [operation.as_strategy(generation_mode=mode)]
            if real:
                strategies.append(operation.as_strategy(generation_mode=mode, path_parameters=real))
            fuzz(st.one_of(strategies), mode.value)
        counts["operations"] += 1

    record_counts(request.node, "schemathesis", dict(counts), {})
    print(
        f"schemathesis: operations={counts['operations']} requests={counts['requests']} "
        f"5xx={counts['5xx']} schema_violations={counts['schema_violations']}"
    )
    assert not failures, "\n".join(failures[:20])
    assert counts["requests"] >= MINIMUM_REQUESTS
