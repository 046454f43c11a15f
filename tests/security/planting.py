"""A small organisation with something of every kind planted, private texts marked uniquely.

Both generated suites (hostile input, permission matrix) fill URL ids from `Planted.url_ids`, so a
new `<int:…_id>` in the URLconf only needs its kind named here once.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from okrflow.api.actions import create_access_token
from okrflow.checkins.actions import (
    CheckInInput,
    LineInput,
    agree_action,
    comment_on_checkin,
    record_checkin,
    save_meeting_notes,
)
from okrflow.checkins.models import CheckIn, OneOnOne
from okrflow.checkins.scope import may_see
from okrflow.dependencies.actions import add_dependency
from okrflow.insights.actions import save_reflection
from okrflow.kpis.actions import create_kpi, record_kpi_value
from okrflow.okrs.actions import create_initiative, create_key_result, create_objective
from okrflow.okrs.models import KeyResult, Objective
from okrflow.org.access import access_for
from okrflow.org.actions import create_project
from okrflow.org.models import Person
from okrflow.strategy.actions import create_strategy_item
from tests.checkins.conftest import WEEK, make_member_krs
from tests.conftest import World

# The `<int:…>` URL parts the planted organisation fills; a new kind in the URLconf fails
# test_every_url_pattern_is_covered_or_excluded_with_a_reason until `plant` fills it too.
URL_ID_KINDS = (
    "objective_id",
    "parent_id",
    "kr_id",
    "checkin_id",
    "person_id",
    "unit_id",
    "project_id",
    "initiative_id",
    "cycle_id",
    "token_id",
    "subscription_id",
    "report_id",
    "comment_id",
    "notification_id",
    "dependency_id",
    "kpi_id",
    "item_id",
    "value_id",
)

# Unique words no page would show by chance; each names who wrote it and what it is.
MEMBER_PRIVATE_OBJECTIVE = "Zqvmemberobj quietly rebuild the blog"
MEMBER_PRIVATE_KR = "Zqvmemberkr draft twelve secret posts"
MEMBER_OBSTACLE = "Zqvmemberobstacle burnout from the launch"
MEMBER_SOLUTION = "Zqvmembersolution ask for a week off"
MEMBER_NOTE = "Zqvmembernote talked about moving teams"
SALES_PRIVATE_OBJECTIVE = "Zqvsalesobj acquire the rival agency"
SALES_PRIVATE_KR = "Zqvsaleskr sign the term sheet"
SALES_OBSTACLE = "Zqvsalesobstacle two key accounts may leave"
SALES_SOLUTION = "Zqvsalessolution discount the renewals"
SALES_NOTE = "Zqvsalesnote worried about the quota"
# Comments (issue #13): as private as their objective; the sales one mentions the member, who
# may not see it and must not learn of it anywhere.
MEMBER_COMMENT = "Zqvmembercomment the redesign slips a month"
SALES_COMMENT = "Zqvsalescomment the rival's owner wants out"
# Data sources (issue #13): a source's place is for those who manage it; its secrets for no one.
MEMBER_SOURCE = "Zqvmembersource"
SALES_SOURCE = "Zqvsalessource"
SOURCE_SECRET = "Zqvsourcesecret-never-shown"


@dataclass
class Marker:
    """A private text and the rule that says who may read it."""

    text: str
    may_read: Any  # (user) -> bool, from the app's own permission rules

    def readable_by(self, user: Any) -> bool:
        return bool(user is not None and user.is_authenticated and self.may_read(user))


@dataclass
class Planted:
    world: World
    url_ids: dict[str, int]
    markers: list[Marker] = field(default_factory=list)
    private_objects: dict[str, int] = field(default_factory=dict)  # "objective_id" → a private one
    # Visible to every member, but written by someone in another unit (sales): the pages of these
    # must not quote that person's private check-in texts to those who may not read them.
    other_objects: dict[str, int] = field(default_factory=dict)


def sees_objective(objective: Objective) -> Any:
    return lambda user: access_for(user).can_view_objective(objective)


def sees_checkins_of(person: Person) -> Any:
    return lambda user: may_see(access_for(user), person)


def checkin_of(person: Person, world: World, key_results: list[KeyResult], **texts: str) -> CheckIn:
    return record_checkin(
        person.user,
        person=person,
        cycle=world.cycle,
        week=WEEK,
        data=CheckInInput(
            lines={kr.pk: LineInput(value="1", confidence="low") for kr in key_results},
            progress="Some progress",
            obstacles=texts["obstacles"],
            solutions=texts["solutions"],
            confidence="low",
        ),
        submit=True,
    )


def private_objective(world: World, owner: Person, title: str, kr_title: str) -> Objective:
    objective = create_objective(
        None, cycle=world.cycle, title=title, owner=owner, is_private=True
    ).value
    create_key_result(
        None, objective, title=kr_title, owner=owner, start_value=Decimal(0), target_value=10
    )
    return objective


def plant_webhook(world: World) -> Any:
    from okrflow.webhooks.actions import create_subscription

    # A public address written as a number: nothing is looked up, nothing is sent.
    return create_subscription(
        None, name="Planted webhook", url="https://93.184.215.14/hook", events=["objective.created"]
    )


def plant_report(world: World) -> Any:
    from okrflow.background.reports import request_report

    return request_report(world.member.user, world.cycle, "csv", "en")


def plant_comments(
    world: World, public: Objective, member_private: Objective, sales_private: Objective
) -> tuple[Any, Any]:
    """A public comment (the one the URLs name) and private ones under markers."""
    from okrflow.comments.actions import add_comment

    public_comment = add_comment(
        world.member.user, objective=public, body="Looks good, @Head Marketing"
    )
    add_comment(world.member.user, key_result=member_private.key_results.get(), body=MEMBER_COMMENT)
    sales_comment = add_comment(
        world.sales_head.user,
        objective=sales_private,
        body=f"{SALES_COMMENT} @Specialist Marketing",
    )
    return public_comment, sales_comment


def member_notification(world: World) -> Any:
    from okrflow.notifications.models import Notification

    return Notification.objects.filter(recipient=world.member).latest("id")


def sales_notification(world: World, objective: Any) -> Any:
    """The sales head's notification on their private objective: nobody else may touch it."""
    from okrflow.notifications.actions import notify

    return notify(
        world.sales_head,
        "comment",
        source_key="planted:1",
        objective=objective,
        params={"author": "Ceo", "excerpt": SALES_NOTE, "on": objective.title, "comment_id": 1},
        url=f"/objectives/{objective.pk}/",
    )


def manages_source_of(kr: KeyResult) -> Any:
    from okrflow.datasources.actions import can_manage_source

    return lambda user: can_manage_source(user, kr)


def plant_source(kr: KeyResult, marker: str) -> None:
    """A JSON source whose URL names the marker; port 9 refuses at once, so "Test now" is quick."""
    from okrflow.datasources.actions import save_data_source

    save_data_source(
        None,
        kr,
        kind="json",
        schedule="daily",
        url=f"http://127.0.0.1:9/{marker}/stats",
        json_path="$.total",
        headers=f"Authorization: Bearer {SOURCE_SECRET}",
    )


def plant(world: World) -> Planted:
    """Plant objectives, check-ins, 1:1s and the rest; call inside a frozen WEDNESDAY."""
    krs = make_member_krs(world)
    public = krs.followers.objective
    member_private = private_objective(
        world, world.member, MEMBER_PRIVATE_OBJECTIVE, MEMBER_PRIVATE_KR
    )
    sales_private = private_objective(
        world, world.sales_head, SALES_PRIVATE_OBJECTIVE, SALES_PRIVATE_KR
    )
    sales_public = create_objective(
        None, cycle=world.cycle, title="Win back lapsed clients", owner=world.sales_head
    ).value
    sales_kr = create_key_result(
        None,
        sales_public,
        title="Win back 20 lapsed clients",
        owner=world.sales_head,
        start_value=Decimal(0),
        target_value=20,
    ).value
    checkin = checkin_of(
        world.member, world, krs.all, obstacles=MEMBER_OBSTACLE, solutions=MEMBER_SOLUTION
    )
    checkin_of(
        world.sales_head,
        world,
        [sales_kr, *sales_private.key_results.all()],
        obstacles=SALES_OBSTACLE,
        solutions=SALES_SOLUTION,
    )
    comment_on_checkin(world.lead.user, checkin, body="Keep going")
    save_meeting_notes(
        world.lead.user, person=world.member, cycle=world.cycle, week=WEEK, notes=MEMBER_NOTE
    )
    save_meeting_notes(
        world.ceo.user, person=world.sales_head, cycle=world.cycle, week=WEEK, notes=SALES_NOTE
    )
    meeting = OneOnOne.objects.get(person=world.member, week=WEEK)
    agreed = agree_action(
        world.lead.user,
        meeting,
        key_result=krs.followers,
        title="Book the designer",
        owner=world.member,
        due_date=datetime.date(2026, 5, 29),
    )
    initiative = create_initiative(None, krs.open_rate, title="A/B test subject lines")
    save_reflection(None, public, went_well="Steady", went_badly="", lessons="")
    project = create_project(None, name="Autumn campaign", lead=world.lead, members=[world.member])
    public_comment, sales_comment = plant_comments(world, public, member_private, sales_private)
    # Hand-offs (issue #16): the public objective waits for Sales' public and private ones; the
    # private one's title must stay hidden from who may not see it.
    by = world.cycle.end_date
    public_link = add_dependency(None, public, sales_public, expected_by=by)
    add_dependency(None, public, sales_private, expected_by=by)
    private_link = add_dependency(None, sales_private, krs.followers, expected_by=by)
    kpi = create_kpi(
        None, name="Planted KPI", owner=world.marketing, range_kind="at_least", minimum=1
    )
    url_ids = {
        "objective_id": public.pk,
        "parent_id": sales_public.pk,
        "kr_id": krs.followers.pk,
        "checkin_id": checkin.pk,
        "person_id": world.member.pk,
        "unit_id": world.marketing.pk,
        "project_id": project.pk,
        "initiative_id": getattr(agreed, "initiative_id", None) or initiative.pk,
        "cycle_id": world.cycle.pk,
        "token_id": create_access_token(None, world.member, name="Planted script").token.pk,
        "subscription_id": plant_webhook(world).pk,
        "report_id": plant_report(world).pk,
        "comment_id": public_comment.pk,
        # The lead's comment on the member's check-in told the member (issue #13).
        "notification_id": member_notification(world).pk,
        "dependency_id": public_link.pk,
        "kpi_id": kpi.pk,
        # Its value this week, to correct (append-only: a correction names what it replaces).
        "value_id": record_kpi_value(None, kpi, value="3", measured_on=WEEK).pk,
        # A core value of the organisation's strategy (issue #16), edited by admins only.
        "item_id": create_strategy_item(None, kind="value", name="Planted value").pk,
    }
    assert set(url_ids) == set(URL_ID_KINDS)
    sales_private_kr = sales_private.key_results.get()
    plant_source(krs.followers, MEMBER_SOURCE)
    plant_source(sales_private_kr, SALES_SOURCE)
    sales_checkin = CheckIn.objects.get(person=world.sales_head, week=WEEK)
    private_objects = {
        "objective_id": sales_private.pk,
        "kr_id": sales_private.key_results.get().pk,
        "checkin_id": sales_checkin.pk,
        "person_id": world.sales_head.pk,
        "comment_id": sales_comment.pk,
        "dependency_id": private_link.pk,
    }
    markers = [
        Marker(MEMBER_PRIVATE_OBJECTIVE, sees_objective(member_private)),
        Marker(MEMBER_PRIVATE_KR, sees_objective(member_private)),
        Marker(SALES_PRIVATE_OBJECTIVE, sees_objective(sales_private)),
        Marker(SALES_PRIVATE_KR, sees_objective(sales_private)),
        Marker(MEMBER_OBSTACLE, sees_checkins_of(world.member)),
        Marker(MEMBER_SOLUTION, sees_checkins_of(world.member)),
        Marker(MEMBER_NOTE, sees_checkins_of(world.member)),
        Marker(SALES_OBSTACLE, sees_checkins_of(world.sales_head)),
        Marker(SALES_SOLUTION, sees_checkins_of(world.sales_head)),
        Marker(SALES_NOTE, sees_checkins_of(world.sales_head)),
        Marker(MEMBER_COMMENT, sees_objective(member_private)),
        Marker(SALES_COMMENT, sees_objective(sales_private)),
        Marker(MEMBER_SOURCE, manages_source_of(krs.followers)),
        Marker(SALES_SOURCE, manages_source_of(sales_private_kr)),
        Marker(SOURCE_SECRET, lambda user: False),
    ]
    other_objects = {
        "objective_id": sales_public.pk,
        "kr_id": sales_kr.pk,
        "person_id": world.sales_head.pk,
        "unit_id": world.sales.pk,
        "notification_id": sales_notification(world, sales_private).pk,
    }
    return Planted(world, url_ids, markers, private_objects, other_objects)
