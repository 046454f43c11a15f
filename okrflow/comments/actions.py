"""Write comments: add, edit (the author, shortly after), delete (the author or an admin).

Each action is atomic, writes its audit row on the comment, and tells people through
`okrflow.notifications.actions.notify` inside the same transaction.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.lookups import StartsWith
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from okrflow.action_support import deny
from okrflow.audit.log import record_change
from okrflow.comments.models import BODY_MAX_LENGTH, Comment, CommentMention
from okrflow.engine.mentions import Mention, find_mentions, first_words, normalise
from okrflow.engine.text import clean_text
from okrflow.front.folding import Folded
from okrflow.notifications.actions import notify
from okrflow.notifications.kinds import Kind
from okrflow.okrs.models import KeyResult, Objective
from okrflow.okrs.sharing import key_result_follower_ids, objective_follower_ids
from okrflow.org.access import access_for
from okrflow.org.models import Person

EDIT_WINDOW = datetime.timedelta(minutes=15)
EXCERPT_LENGTH = 200


def clean_body(body: Any) -> str:
    """Return the body as stored: text, NFC, no unstorable characters, trimmed; or refuse it."""
    text = normalise(clean_text(body if isinstance(body, str) else "")).strip()
    if not text:
        raise ValidationError({"body": _("Write something first.")})
    if len(text) > BODY_MAX_LENGTH:
        raise ValidationError(
            {
                "body": ngettext(
                    "A comment can be at most %(limit)d character long (this one has %(count)d).",
                    "A comment can be at most %(limit)d characters long (this one has %(count)d).",
                    BODY_MAX_LENGTH,
                )
                % {"limit": BODY_MAX_LENGTH, "count": len(text)}
            }
        )
    return text


def author_of(actor: Any) -> Person:
    person = access_for(actor).person
    if person is None:
        raise deny(_("Your account is not linked to a person in the organisation."))
    return person


def mentions_in(text: str, preferred: list[int] | None = None) -> list[Mention]:
    """Find the active people the text mentions (names matched without diacritics)."""
    words = first_words(text)
    if not words:
        return []
    starts = Q()
    for word in words:
        starts |= Q(StartsWith(Folded("full_name"), word))
    people = (
        Person.objects.filter(user__is_active=True).filter(starts).values_list("pk", "full_name")
    )
    return find_mentions(text, list(people), preferred or [])


def thread_objective(objective: Objective | None, key_result: KeyResult | None) -> Objective:
    if (objective is None) == (key_result is None):
        raise ValidationError(_("Choose one objective or one key result."))
    return objective if objective is not None else key_result.objective  # type: ignore[union-attr]


def comment_url(comment: Comment) -> str:
    """The objective page, at the comment (key results' threads are on that page too)."""
    return (
        reverse("objective_detail", args=[comment.thread_objective_id]) + f"#comment-{comment.pk}"
    )


def excerpt(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= EXCERPT_LENGTH else flat[: EXCERPT_LENGTH - 1].rstrip() + "…"


def notification_params(comment: Comment, author: Person) -> dict[str, Any]:
    thing = comment.objective or comment.key_result
    return {
        "author": author.full_name,
        "excerpt": excerpt(comment.body),
        "on": thing.title if thing is not None else "",
        "comment_id": comment.pk,
    }


def audit_after(comment: Comment) -> dict[str, Any]:
    """What the audit row keeps: where and who, never the body (a deleted one must be gone)."""
    return {
        "objective": comment.thread_objective_id,
        "key_result": comment.key_result_id,
        "author": comment.author_id,
        "mentions": sorted(set(comment.mention_rows.values_list("person_id", flat=True))),
        "length": len(comment.body),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
        "deleted_at": comment.deleted_at.isoformat() if comment.deleted_at else None,
    }


def save_mentions(comment: Comment, mentions: list[Mention]) -> set[int]:
    """Replace the comment's mentions; return the people mentioned."""
    comment.mention_rows.all().delete()
    CommentMention.objects.bulk_create(
        CommentMention(comment=comment, person_id=m.person_id, start=m.start, end=m.end)
        for m in mentions
    )
    return {m.person_id for m in mentions}


def tell_people(actor: Any, comment: Comment, mentioned: set[int], *, new: bool) -> None:
    """MENTION each newly mentioned person; on a new comment, COMMENT its followers too.

    `notify` tells nobody about their own comment and nobody who may not see the objective.
    """
    author = comment.author
    params = notification_params(comment, author)
    common = {
        "source_key": f"comment:{comment.pk}",
        "actor": actor,
        "objective": comment.objective,
        "key_result": comment.key_result,
        "params": params,
        "url": comment_url(comment),
    }
    for person in Person.objects.filter(pk__in=mentioned).select_related("user"):
        notify(person, Kind.MENTION, **common)
    if not new:
        return
    if comment.key_result is not None:
        followers = key_result_follower_ids(comment.key_result)
    else:
        followers = objective_follower_ids(comment.objective)  # type: ignore[arg-type]
    followers -= mentioned | {author.pk}
    for person in Person.objects.filter(pk__in=followers).select_related("user"):
        notify(person, Kind.COMMENT, **common)


def refresh_notification_excerpts(comment: Comment) -> None:
    """Keep the notifications about a comment saying what it says now (nothing once deleted)."""
    from okrflow.notifications.models import Notification

    for notification in Notification.objects.filter(source_key=f"comment:{comment.pk}"):
        notification.params = {**notification.params, "excerpt": excerpt(comment.body)}
        notification.save(update_fields=["params"])


@transaction.atomic
def add_comment(
    actor: Any,
    *,
    body: Any,
    objective: Objective | None = None,
    key_result: KeyResult | None = None,
    mention_ids: list[int] | None = None,
) -> Comment:
    """Comment on an objective or a key result the actor may see; tell the people concerned."""
    parent = thread_objective(objective, key_result)
    access = access_for(actor)
    if not access.can_view_objective(parent):
        raise deny(_("You cannot see this objective."))
    author = author_of(actor)
    text = clean_body(body)
    comment = Comment.objects.create(
        objective=objective, key_result=key_result, author=author, body=text
    )
    mentioned = save_mentions(comment, mentions_in(text, mention_ids))
    record_change(
        actor=actor, action="add_comment", instance=comment, before=None, after=audit_after(comment)
    )
    tell_people(actor, comment, mentioned, new=True)
    return comment


def edit_deadline(comment: Comment) -> datetime.datetime:
    return comment.created_at + EDIT_WINDOW


def may_edit(actor: Any, comment: Comment, now: datetime.datetime | None = None) -> bool:
    """Tell whether the actor may still edit: their own live comment, inside the window."""
    person = access_for(actor).person
    return (
        person is not None
        and comment.author_id == person.pk
        and not comment.is_deleted
        and (now or timezone.now()) <= edit_deadline(comment)
    )


def may_delete(actor: Any, comment: Comment) -> bool:
    access = access_for(actor)
    is_author = access.person is not None and comment.author_id == access.person.pk
    return not comment.is_deleted and (is_author or access.is_admin)


def locked(comment: Comment) -> Comment:
    return (
        Comment.objects.select_for_update(of=("self",))
        .select_related("objective", "key_result__objective", "author")
        .get(pk=comment.pk)
    )


@transaction.atomic
def edit_comment(
    actor: Any, comment: Comment, *, body: Any, mention_ids: list[int] | None = None
) -> Comment:
    """Change one's own comment within EDIT_WINDOW of writing it; newly mentioned people are told."""
    comment = locked(comment)
    if not access_for(actor).can_view_objective(
        thread_objective(comment.objective, comment.key_result)
    ):
        raise deny(_("You cannot see this objective."))
    person = access_for(actor).person
    if person is None or comment.author_id != person.pk:
        raise deny(_("Only the author can edit a comment."))
    if comment.is_deleted:
        raise ValidationError(_("This comment was deleted."))
    if timezone.now() > edit_deadline(comment):
        minutes = int(EDIT_WINDOW.total_seconds() // 60)
        raise ValidationError(
            ngettext(
                "Too late to edit: a comment can be edited for %(minutes)d minute after it is "
                "written. Write a new comment instead.",
                "Too late to edit: a comment can be edited for %(minutes)d minutes after it is "
                "written. Write a new comment instead.",
                minutes,
            )
            % {"minutes": minutes}
        )
    text = clean_body(body)
    before = audit_after(comment)
    known = set(comment.mention_rows.values_list("person_id", flat=True))
    comment.body = text
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    mentioned = save_mentions(comment, mentions_in(text, mention_ids))
    record_change(
        actor=actor,
        action="edit_comment",
        instance=comment,
        before=before,
        after=audit_after(comment),
    )
    tell_people(actor, comment, mentioned - known, new=False)
    refresh_notification_excerpts(comment)
    return comment


@transaction.atomic
def delete_comment(actor: Any, comment: Comment) -> Comment:
    """Empty a comment, keeping the trace "deleted by …"; its author or an admin may."""
    comment = locked(comment)
    access = access_for(actor)
    if not access.can_view_objective(thread_objective(comment.objective, comment.key_result)):
        raise deny(_("You cannot see this objective."))
    if comment.is_deleted:
        raise ValidationError(_("This comment was deleted already."))
    if not may_delete(actor, comment):
        raise deny(_("Only the author or an admin can delete a comment."))
    before = audit_after(comment)
    comment.body = ""
    comment.deleted_at = timezone.now()
    comment.deleted_by = actor if getattr(actor, "is_authenticated", False) else None
    comment.save(update_fields=["body", "deleted_at", "deleted_by"])
    comment.mention_rows.all().delete()
    record_change(
        actor=actor,
        action="delete_comment",
        instance=comment,
        before=before,
        after=audit_after(comment),
    )
    refresh_notification_excerpts(comment)
    return comment
