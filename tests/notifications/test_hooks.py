"""Who is told what when the actions save a change: each hook, once, and never the wrong person."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from okrflow.checkins.actions import comment_on_checkin, recognise_checkin
from okrflow.notifications.actions import notify
from okrflow.notifications.kinds import Kind
from okrflow.notifications.models import Notification
from okrflow.okrs.actions import (
    agree_objective,
    create_key_result,
    create_objective,
    propose_objective,
    record_key_result_value,
    return_objective,
)
from okrflow.okrs.actions.sharing import add_co_owner, follow
from okrflow.okrs.models import KeyResultValue
from tests.conftest import World, make_objective
from tests.notifications.conftest import draft, kinds_of

pytestmark = pytest.mark.usefixtures("mid_may")


def test_a_proposal_tells_the_manager_and_the_decision_tells_the_owner(world: World) -> None:
    objective = draft(world, world.member)
    propose_objective(world.member.user, objective, "Please look")
    (waiting,) = Notification.objects.filter(kind=Kind.PROPOSAL_WAITING)
    assert waiting.recipient == world.lead  # manager and unit lead: one person, told once
    assert waiting.objective == objective
    assert waiting.url.endswith(f"/objectives/{objective.pk}/#agreement")
    assert kinds_of(world.member) == []  # nobody hears of their own doing

    return_objective(world.lead.user, objective, "Add a baseline to KR1")
    (back,) = Notification.objects.filter(kind=Kind.PROPOSAL_SENT_BACK)
    assert back.recipient == world.member
    assert back.params["comment"] == "Add a baseline to KR1"
    assert back.params["by"] == world.lead.full_name

    propose_objective(world.member.user, objective)
    agree_objective(world.lead.user, objective, "Good")
    assert kinds_of(world.member) == [Kind.PROPOSAL_SENT_BACK, Kind.PROPOSAL_AGREED]
    assert kinds_of(world.lead) == [Kind.PROPOSAL_WAITING, Kind.PROPOSAL_WAITING]


def test_a_lead_proposing_is_heard_by_the_lead_above(world: World) -> None:
    objective = draft(world, world.lead)
    propose_objective(world.lead.user, objective)
    assert [n.recipient for n in Notification.objects.all()] == [world.ceo]


def test_a_root_unit_objective_goes_to_the_admins(world: World) -> None:
    objective = draft(world, world.company)
    propose_objective(world.ceo.user, objective)
    assert [n.recipient for n in Notification.objects.all()] == [world.admin]


def test_co_owners_hear_the_decision(world: World) -> None:
    objective = draft(world, world.member)
    add_co_owner(None, objective=objective, person=world.teammate)
    propose_objective(world.member.user, objective)
    agree_objective(world.lead.user, objective)
    told = set(
        Notification.objects.filter(kind=Kind.PROPOSAL_AGREED).values_list("recipient", flat=True)
    )
    assert told == {world.member.pk, world.teammate.pk}


def test_a_private_proposal_reaches_nobody_who_cannot_see_it(world: World) -> None:
    objective = draft(world, world.member, is_private=True)
    add_co_owner(None, objective=objective, person=world.teammate)
    propose_objective(world.member.user, objective)
    for person in (world.outsider, world.sales_head, world.admin):
        assert kinds_of(person) == []
    assert kinds_of(world.lead) == [Kind.PROPOSAL_WAITING]


def test_feedback_and_recognition_tell_the_person(world: World) -> None:
    from tests.checkins.conftest import make_member_krs, submit_member_checkin

    checkin = submit_member_checkin(world, make_member_krs(world))
    comment_on_checkin(world.lead.user, checkin, body="Great week")
    recognise_checkin(world.lead.user, checkin, body="Well done")
    comment_on_checkin(world.member.user, checkin, body="Thanks")  # own comment: nobody
    feedback = Notification.objects.filter(kind=Kind.FEEDBACK).order_by("id")
    assert [(n.recipient_id, n.params["feedback"]) for n in feedback] == [
        (world.member.pk, "comment"),
        (world.member.pk, "recognition"),
    ]
    assert feedback[0].params["excerpt"] == "Great week"
    assert feedback[0].url == f"/checkins/{checkin.pk}/"


def metric(world: World, owner=None, **extra):  # type: ignore[no-untyped-def]
    """A key result from 0 to 100 in Q2: by mid May 50 is on track, 10 is off track."""
    objective = create_objective(
        None, cycle=world.cycle, title="Grow", owner=owner or world.member, **extra
    ).value
    return create_key_result(
        None,
        objective,
        title="Reach 100 partners",
        owner=owner or world.member,
        start_value=Decimal(0),
        target_value=Decimal(100),
        due_date=datetime.date(2026, 6, 30),
    ).value


def test_a_risk_raised_tells_the_owner_once_per_crossing(world: World) -> None:
    kr = metric(world)
    record_key_result_value(world.member.user, kr, value=50)  # own change: nobody
    record_key_result_value(world.lead.user, kr, value=10)  # falls behind
    record_key_result_value(world.lead.user, kr, value=8)  # still behind: no second
    (risk,) = Notification.objects.filter(kind=Kind.RISK_RAISED)
    assert risk.recipient == world.member
    assert risk.key_result == kr
    assert risk.params["status"] in {"at_risk", "off_track"}
    record_key_result_value(world.lead.user, kr, value=60)  # back on track
    record_key_result_value(world.lead.user, kr, value=5)  # behind again: a new crossing
    assert Notification.objects.filter(kind=Kind.RISK_RAISED).count() == 2


def test_followers_hear_a_status_change(world: World) -> None:
    kr = metric(world)
    follow(world.teammate.user, person=world.teammate, key_result=kr)
    follow(world.sales_head.user, person=world.sales_head, objective=kr.objective)
    record_key_result_value(world.member.user, kr, value=50)  # a first status: no change
    assert not Notification.objects.filter(kind=Kind.FOLLOWED_STATUS).exists()
    record_key_result_value(world.member.user, kr, value=10)
    told = Notification.objects.filter(kind=Kind.FOLLOWED_STATUS)
    assert {n.recipient_id for n in told} == {world.teammate.pk, world.sales_head.pk}
    assert all(n.params["before"] == "on_track" for n in told)
    assert not Notification.objects.filter(recipient=world.member).exists()  # own value


def test_a_private_key_result_tells_no_follower_who_lost_sight(world: World) -> None:
    kr = metric(world)
    follow(None, key_result=kr, person=world.sales_head)
    type(kr.objective).objects.filter(pk=kr.objective_id).update(is_private=True)  # since
    kr.refresh_from_db()
    record_key_result_value(None, kr, value=50)
    record_key_result_value(None, kr, value=10)
    assert kinds_of(world.sales_head) == []
    assert kinds_of(world.member) == [Kind.RISK_RAISED]


def test_the_demo_history_tells_nobody(world: World) -> None:
    kr = metric(world)
    record_key_result_value(None, kr, value=50, source=KeyResultValue.Source.DEMO)
    record_key_result_value(None, kr, value=5, source=KeyResultValue.Source.DEMO)
    assert not Notification.objects.exists()


def test_the_database_keeps_each_notification_once(world: World) -> None:
    objective = make_objective(world, world.member)
    first = notify(world.member, Kind.COMMENT, source_key="comment:1", objective=objective)
    assert first is not None
    assert notify(world.member, Kind.COMMENT, source_key="comment:1", objective=objective) is None
    assert Notification.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=world.member, kind=Kind.COMMENT, source_key="comment:1"
        )


def test_notify_skips_the_inactive_and_those_who_switched_it_off(world: World) -> None:
    from okrflow.notifications.actions import set_notification_preferences

    objective = make_objective(world, world.member)
    set_notification_preferences(world.member.user, world.member, {"comment": "off"})
    assert notify(world.member, Kind.COMMENT, source_key="c:1", objective=objective) is None
    world.lead.user.is_active = False
    world.lead.user.save()
    assert notify(world.lead, Kind.COMMENT, source_key="c:1", objective=objective) is None
    private = make_objective(world, world.member, "Quiet plan", is_private=True)
    for person in (world.outsider, world.sales_head):
        assert notify(person, Kind.COMMENT, source_key="c:2", objective=private) is None
    assert notify(world.lead, Kind.COMMENT, source_key="c:2", objective=private) is None
    assert not Notification.objects.exists()


def test_a_ready_report_tells_who_asked(world: World, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from okrflow.background.reports import build_requested_report, request_report

    settings.REPORTS_DIR = tmp_path
    report = request_report(world.member.user, world.cycle, "csv", "en")
    build_requested_report(report.pk)
    build_requested_report(report.pk)  # a redelivered message
    (ready,) = Notification.objects.filter(kind=Kind.REPORT_READY)
    assert ready.recipient == world.member
    assert ready.url == "/reports/"
    assert ready.params == {"cycle": "Q2 2026", "format": "csv"}
