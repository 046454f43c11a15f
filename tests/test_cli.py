"""The command line: `okrflow okrs` and `okrflow demo`."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

from tests.conftest import World, make_objective


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_okrs_json_has_the_documented_fields(world: World) -> None:
    top = make_objective(world, world.company, "Keep customers for years")
    mine = make_objective(world, world.member, "Know our customers")
    from okrflow.okrs.actions import align_objective

    align_objective(None, mine, top)
    data = json.loads(run("okrs", "--json", "--cycle", "q2 2026", "--on", "2026-05-15"))
    assert data["cycle"] == {
        "id": world.cycle.pk,
        "name": "Q2 2026",
        "start": "2026-04-01",
        "end": "2026-06-30",
        "state": "active",
    }
    by_title = {o["title"]: o for o in data["objectives"]}
    child = by_title["Know our customers"]
    assert child["parent_ids"] == [top.pk]
    assert child["owner"] == {"kind": "person", "name": "Specialist Marketing"}
    kr = child["key_results"][0]
    assert {
        k: kr[k]
        for k in (
            "shape",
            "start",
            "target",
            "current",
            "unit",
            "due",
            "weight",
            "progress",
            "status",
        )
    } == {
        "shape": "percentage",
        "start": 80,
        "target": 95,
        "current": None,
        "unit": "%",
        "due": "2026-06-30",
        "weight": 1,
        "progress": 0.0,
        "status": "no_data",  # nothing recorded yet: not off track
    }
    assert 0.4 < kr["expected"] < 0.6


def test_okrs_as_user_hides_private(world: World) -> None:
    make_objective(world, world.member, "Private plan", is_private=True)
    assert "Private plan" in run("okrs", "--as", "head.marketing")
    assert "Private plan" not in run("okrs", "--as", "outsider")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--cycle", "Q9 1999"), "No cycle named"),
        (("--as", "nobody"), "No user named"),
        (("--on", "yesterday"), "--on needs a date"),
    ],
)
def test_okrs_bad_input(world: World, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        run("okrs", *args)


def test_okrs_without_any_cycle(db: None) -> None:
    with pytest.raises(CommandError, match="no cycle"):
        run("okrs")
