"""A check-in line for someone else's key result never names what the poster may not see."""

from __future__ import annotations

import pytest
from django.test import Client

from okrflow.checkins.models import CheckIn
from tests.checkins.conftest import PERSONAS, WEEK, Krs, signed_in
from tests.conftest import World, make_objective

URL = "/checkins/"
SECRET = "Secret acquisition of Đông Á Bank"


def line_for(world: World, kr_id: int) -> dict[str, str]:
    return {
        "cycle": str(world.cycle.pk),
        "week": WEEK.isoformat(),
        "action": "submit",
        f"kr-{kr_id}-value": "99",
        f"kr-{kr_id}-confidence": "high",
        f"kr-{kr_id}-note": "",
        "progress": "x",
        "obstacles": "",
        "solutions": "",
        "confidence": "high",
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_private_key_result_is_answered_as_not_found_without_its_title(
    client: Client, world: World, krs: Krs, persona: str
) -> None:
    secret = make_objective(world, world.sales_head, "Grow", is_private=True)
    kr = secret.key_results.get()
    kr.title = SECRET
    kr.save()
    response = signed_in(client, getattr(world, persona)).post(URL, line_for(world, kr.pk))
    body = response.content.decode()
    if persona == "admin":
        # An admin may see every objective: the refusal may name it.
        assert response.status_code == 403 and SECRET in body
    else:
        assert SECRET not in body
        assert response.status_code == 200
        assert "One of these key results no longer exists" in body
    missing = signed_in(client, getattr(world, persona)).post(URL, line_for(world, 10**9))
    if persona != "admin":
        # Indistinguishable from an id that does not exist: looping over ids learns nothing.
        assert missing.status_code == response.status_code
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_visible_key_result_outside_the_check_in_is_named(
    client: Client, world: World, krs: Krs, persona: str
) -> None:
    kr = make_objective(world, world.sales_head, "Sell more").key_results.get()
    response = signed_in(client, getattr(world, persona)).post(URL, line_for(world, kr.pk))
    assert response.status_code == 403
    assert "you cannot check in on it" in response.content.decode()
    assert not CheckIn.objects.exists()
