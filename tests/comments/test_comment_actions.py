"""Adding, editing and deleting comments: who may, the edit window, the trace, the notifications."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from okrflow.audit.models import AuditEntry
from okrflow.comments.actions import EDIT_WINDOW, add_comment, delete_comment, edit_comment
from okrflow.comments.models import BODY_MAX_LENGTH, Comment
from okrflow.notifications.models import Notification
from okrflow.okrs.actions.sharing import add_co_owner, follow
from okrflow.org.actions import create_person
from tests.conftest import World, make_objective

NOON = datetime.datetime(2026, 5, 6, 12, tzinfo=datetime.UTC)


def kinds_for(person: object) -> list[str]:
    return sorted(Notification.objects.filter(recipient=person).values_list("kind", flat=True))


def test_a_comment_is_saved_with_its_mentions_and_an_audit_row(world: World) -> None:
    objective = make_objective(world, world.member)
    comment = add_comment(
        world.lead.user, objective=objective, body="  Nice, @specialist marketing!  "
    )
    comment.refresh_from_db()
    assert comment.body == "Nice, @specialist marketing!"
    assert comment.author == world.lead
    assert list(comment.mentions.all()) == [world.member]
    entry = AuditEntry.objects.get(object_type="comment", object_id=comment.pk)
    assert entry.action == "add_comment"
    assert entry.after["objective"] == objective.pk and entry.after["mentions"] == [world.member.pk]
    assert "Nice" not in str(entry.after)  # the audit row never keeps the text


def test_a_mention_typed_without_diacritics_finds_the_vietnamese_name(world: World) -> None:
    an = create_person(None, username="an", full_name="Nguyễn Văn Ân", unit=world.marketing)
    objective = make_objective(world, world.member)
    comment = add_comment(world.member.user, objective=objective, body="@nguyen van an xem nhé")
    assert list(comment.mentions.all()) == [an]
    assert kinds_for(an) == ["mention"]


def test_mention_and_comment_notifications_reach_the_right_people_once(world: World) -> None:
    objective = make_objective(world, world.member)
    add_co_owner(None, person=world.teammate, objective=objective)
    follow(None, person=world.sales_head, objective=objective)
    comment = add_comment(
        world.lead.user, objective=objective, body="@Writer Content and @Specialist Marketing, look"
    )
    assert kinds_for(world.teammate) == ["mention"]  # co-owner, mentioned: told once
    assert kinds_for(world.member) == ["mention"]  # owner, mentioned: told once
    assert kinds_for(world.sales_head) == ["comment"]  # follower
    assert kinds_for(world.lead) == []  # the author
    assert kinds_for(world.ceo) == []
    note = Notification.objects.get(recipient=world.sales_head)
    assert note.params == {
        "author": "Head Marketing",
        "excerpt": "@Writer Content and @Specialist Marketing, look",
        "on": objective.title,
        "comment_id": comment.pk,
    }
    assert note.source_key == f"comment:{comment.pk}"
    assert note.url == f"/objectives/{objective.pk}/#comment-{comment.pk}"


def test_a_key_result_comment_tells_its_owner_and_the_objective_followers(world: World) -> None:
    objective = make_objective(world, world.marketing)  # owned by a unit; KR owned by the lead
    kr = objective.key_results.get()
    follow(None, person=world.member, objective=objective)
    comment = add_comment(world.teammate.user, key_result=kr, body="Số liệu tuần này?")
    assert kinds_for(world.lead) == ["comment"]
    assert kinds_for(world.member) == ["comment"]
    assert Notification.objects.get(recipient=world.lead).params["on"] == kr.title
    assert comment.thread_objective_id == objective.pk


def test_a_mentioned_person_who_may_not_see_a_private_objective_is_not_told(world: World) -> None:
    objective = make_objective(world, world.member, is_private=True)
    comment = add_comment(world.member.user, objective=objective, body="@Outsider and @Head Sales?")
    assert {p.pk for p in comment.mentions.all()} == {world.outsider.pk, world.sales_head.pk}
    assert kinds_for(world.outsider) == []
    assert kinds_for(world.sales_head) == []


@pytest.mark.parametrize("persona", ["outsider", "sales_head"])
def test_who_may_not_see_a_private_objective_may_not_comment_on_it(
    world: World, persona: str
) -> None:
    objective = make_objective(world, world.member, is_private=True)
    with pytest.raises(PermissionDenied):
        add_comment(getattr(world, persona).user, objective=objective, body="hello")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("body", ["", "   \n ", "\x00", None, 42, "x" * (BODY_MAX_LENGTH + 1)])
def test_bad_bodies_are_refused_and_nothing_is_saved(world: World, body: object) -> None:
    objective = make_objective(world, world.member)
    with pytest.raises(ValidationError):
        add_comment(world.member.user, objective=objective, body=body)
    assert not Comment.objects.exists()
    assert not AuditEntry.objects.filter(object_type="comment").exists()


def test_one_thing_exactly(world: World) -> None:
    objective = make_objective(world, world.member)
    with pytest.raises(ValidationError):
        add_comment(world.member.user, body="x")
    with pytest.raises(ValidationError):
        add_comment(
            world.member.user, body="x", objective=objective, key_result=objective.key_results.get()
        )


def test_the_author_edits_within_the_window_and_new_mentions_are_told(world: World) -> None:
    objective = make_objective(world, world.member)
    with time_machine.travel(NOON, tick=False):
        comment = add_comment(world.member.user, objective=objective, body="draft")
    with time_machine.travel(NOON + EDIT_WINDOW - datetime.timedelta(seconds=1), tick=False):
        edit_comment(world.member.user, comment, body="final, @Head Sales")
    comment.refresh_from_db()
    assert comment.body == "final, @Head Sales"
    assert comment.edited_at is not None
    assert kinds_for(world.sales_head) == ["mention"]
    assert AuditEntry.objects.filter(object_type="comment", action="edit_comment").count() == 1


def test_editing_after_the_window_says_it_is_too_late(world: World) -> None:
    objective = make_objective(world, world.member)
    with time_machine.travel(NOON, tick=False):
        comment = add_comment(world.member.user, objective=objective, body="draft")
    with (
        time_machine.travel(NOON + EDIT_WINDOW + datetime.timedelta(seconds=1), tick=False),
        pytest.raises(ValidationError, match="Too late to edit: a comment can be edited for 15"),
    ):
        edit_comment(world.member.user, comment, body="changed")
    comment.refresh_from_db()
    assert comment.body == "draft" and comment.edited_at is None


@pytest.mark.parametrize("persona", ["admin", "lead", "teammate"])
def test_only_the_author_edits(world: World, persona: str) -> None:
    objective = make_objective(world, world.member)
    comment = add_comment(world.member.user, objective=objective, body="mine")
    with pytest.raises(PermissionDenied):
        edit_comment(getattr(world, persona).user, comment, body="theirs")
    comment.refresh_from_db()
    assert comment.body == "mine"


@pytest.mark.parametrize(
    ("persona", "allowed"), [("member", True), ("admin", True), ("lead", False)]
)
def test_the_author_or_an_admin_deletes_and_a_trace_stays(
    world: World, persona: str, allowed: bool
) -> None:
    objective = make_objective(world, world.member)
    follow(None, person=world.sales_head, objective=objective)
    comment = add_comment(world.member.user, objective=objective, body="secret words @Head Sales")
    actor = getattr(world, persona).user
    if not allowed:
        with pytest.raises(PermissionDenied):
            delete_comment(actor, comment)
        comment.refresh_from_db()
        assert comment.body and comment.deleted_at is None
        return
    delete_comment(actor, comment)
    comment.refresh_from_db()
    assert comment.body == ""
    assert comment.deleted_by == actor and comment.deleted_at is not None
    assert not comment.mentions.exists()
    assert Notification.objects.get(recipient=world.sales_head).params["excerpt"] == ""
    entry = AuditEntry.objects.get(object_type="comment", action="delete_comment")
    assert "secret" not in str(entry.before) + str(entry.after)
    with pytest.raises(ValidationError):
        delete_comment(actor, comment)
    with pytest.raises(ValidationError):
        edit_comment(world.member.user, comment, body="back")
