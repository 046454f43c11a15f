"""Risk evidence and a key result's history quote a check-in's obstacles and confidences only to
those who may read the check-in: the person, their managers and admins (the check-in page's own
rule). Everyone else learns that confidence fell or obstacles were raised, not what they say."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from okrflow.insights.collect import collect_insights, visible_objectives
from okrflow.insights.risk_text import evidence
from okrflow.insights.risks import find_risks
from okrflow.insights.sources import CheckinReader
from tests.conftest import PASSWORD, World
from tests.insights.conftest import TODAY, check_in, moment, objective_with, record_weekly

pytestmark = pytest.mark.django_db

SECRET = "Đông Á Bank pulled the sponsorship"
BELOW_SECRET = "No video editor since Minh left"
# Who may read the member's check-ins: the member, their manager chain (the marketing lead) and
# admins. A peer, another department's head and someone in no unit may not.
READERS = {"admin": True, "lead": True, "member": True}
OTHERS = {"teammate": False, "sales_head": False, "outsider": False}


@pytest.fixture
def planted(world: World) -> dict[str, Any]:
    """The member's check-ins on two marketing key results: a new blocker with a confidence
    drop on one, weeks of obstacles while behind pace on the other."""
    company, _ = objective_with(
        world,
        world.company,
        "Lead the market",
        [{"title": "Share", "start_value": 10, "target_value": 20, "owner": world.ceo}],
    )
    _, (fans,) = objective_with(
        world,
        world.marketing,
        "Grow the fanpage",
        [{"title": "Followers", "start_value": 0, "target_value": 10000}],
        parent=company,
    )
    _, (videos,) = objective_with(
        world,
        world.marketing,
        "Video channel",
        [{"title": "Subscribers", "start_value": 0, "target_value": 10000}],
        parent=company,
    )
    record_weekly(fans, [800, 1600, 2300, 3100, 3900, 4600])
    record_weekly(videos, [400, 800, 1200, 1500])
    for week, value in ((5, 1800), (6, 2100)):
        check_in(world, world.member, week, {videos: (str(value), "medium", BELOW_SECRET)})
    check_in(
        world,
        world.member,
        7,
        {fans: ("5400", "high", ""), videos: ("2400", "medium", BELOW_SECRET)},
    )
    check_in(
        world,
        world.member,
        8,
        {fans: ("2900", "low", SECRET), videos: ("2700", "medium", BELOW_SECRET)},
    )
    return {"fans": fans, "videos": videos}


def page(client: Client, world: World, persona: str, url: str) -> str:
    person = getattr(world, persona)
    assert client.login(username=person.user.username, password=PASSWORD)
    with time_machine.travel(moment(TODAY), tick=False):
        response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def urls(world: World, planted: dict[str, Any]) -> list[str]:
    return [
        f"/insights/key-results/{planted['fans'].pk}/",
        f"/insights/key-results/{planted['videos'].pk}/",
        f"/insights/risks/?cycle={world.cycle.pk}",
        f"/insights/people/{world.member.pk}/?cycle={world.cycle.pk}",
        f"/insights/units/{world.marketing.pk}/?cycle={world.cycle.pk}",
        f"/insights/?cycle={world.cycle.pk}",
    ]


@pytest.mark.parametrize(("persona", "may_read"), (READERS | OTHERS).items())
def test_risk_pages_quote_check_ins_only_to_their_readers(
    client: Client, world: World, planted: dict[str, Any], persona: str, may_read: bool
) -> None:
    key_result_page = page(client, world, persona, urls(world, planted)[0])
    # The risks are there for everyone who sees the key result…
    assert "Sudden risk" in key_result_page
    for url in urls(world, planted):
        body = page(client, world, persona, url)
        # …but what the check-ins say only for those who may read them.
        if not may_read:
            assert SECRET not in body and BELOW_SECRET not in body, url
            assert "Confidence fell from" not in body, url
    risk_list = page(client, world, persona, urls(world, planted)[2])
    assert (SECRET in risk_list) is may_read
    assert (BELOW_SECRET in risk_list) is may_read


@pytest.mark.parametrize(("persona", "may_read"), (READERS | OTHERS).items())
def test_the_key_result_page_words_hidden_evidence(
    client: Client, world: World, planted: dict[str, Any], persona: str, may_read: bool
) -> None:
    body = page(client, world, persona, f"/insights/key-results/{planted['fans'].pk}/")
    assert ("Confidence fell from 90% to 30%" in body) is may_read
    assert (SECRET in body) is may_read
    assert ("confidence fell at the check-in of" in body) is not may_read
    assert ("A new obstacle was raised on" in body) is not may_read
    assert ("Obstacle raised (private)" in body) is not may_read
    videos = page(client, world, persona, f"/insights/key-results/{planted['videos'].pk}/")
    assert (BELOW_SECRET in videos) is may_read
    assert "with obstacles raised" in videos  # the fact itself stays visible


@pytest.mark.parametrize(("persona", "may_read"), (READERS | OTHERS).items())
def test_evidence_is_worded_per_reader(
    world: World, planted: dict[str, Any], persona: str, may_read: bool
) -> None:
    insights = collect_insights(world.cycle, visible_objectives(None, world.cycle), TODAY)
    items = [i for i in find_risks(insights) if i.risk.code in ("new_blocker", "confidence_drop")]
    assert len(items) == 2
    reader = CheckinReader(getattr(world, persona).user)
    worded = " ".join(evidence(item.risk, reader) for item in items)
    assert (SECRET in worded) is may_read
    # The system (commands without --as) reads everything.
    assert SECRET in " ".join(evidence(item.risk, CheckinReader(None)) for item in items)


def risks_json(*args: str) -> list[dict[str, Any]]:
    out = io.StringIO()
    with time_machine.travel(moment(TODAY), tick=False):
        call_command("risks", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("live", [False, True])
def test_the_risks_command_as_a_person(world: World, planted: dict[str, Any], live: bool) -> None:
    extra = ["--live"] if live else []
    everything = json.dumps(risks_json(*extra), ensure_ascii=False)
    assert SECRET in everything and BELOW_SECRET in everything
    as_lead = json.dumps(risks_json("--as", "head.marketing", *extra), ensure_ascii=False)
    assert SECRET in as_lead
    as_outsider = risks_json("--as", "outsider", *extra)
    text = json.dumps(as_outsider, ensure_ascii=False)
    assert SECRET not in text and BELOW_SECRET not in text
    blockers = [row for row in as_outsider if row["code"] == "new_blocker"]
    assert blockers and "obstacle" not in blockers[0]["params"]
    drops = [row for row in as_outsider if row["code"] == "confidence_drop"]
    assert drops and "before" not in drops[0]["params"]


PRIVATE_PARENT = "Quietly buy Sao Mai Media"


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("admin", True),
        ("sales_head", True),
        ("lead", False),
        ("member", False),
        ("outsider", False),
    ],
)
def test_an_archived_private_parent_is_not_named_to_those_who_cannot_see_it(
    client: Client, world: World, persona: str, sees: bool
) -> None:
    from okrflow.okrs.actions import archive_objective

    secret, _ = objective_with(
        world,
        world.sales_head,
        PRIVATE_PARENT,
        [{"title": "Deal", "start_value": 0, "target_value": 1, "owner": world.sales_head}],
    )
    secret.is_private = True
    secret.save()
    objective_with(
        world,
        world.member,
        "Write the launch posts",
        [{"title": "Posts", "start_value": 0, "target_value": 10}],
        parent=secret,
    )
    archive_objective(None, secret)
    insights = collect_insights(world.cycle, visible_objectives(None, world.cycle), TODAY)
    orphans = [i for i in find_risks(insights) if i.risk.code == "parent_archived"]
    assert len(orphans) == 1
    worded = evidence(orphans[0].risk, CheckinReader(getattr(world, persona).user))
    assert (PRIVATE_PARENT in worded) is sees
    body = page(client, world, persona, f"/insights/risks/?cycle={world.cycle.pk}")
    assert (PRIVATE_PARENT in body) is sees
    assert sees or "Aligned to an objective you cannot see, which is archived." in body
