"""Feedback on a check-in: comments, and a manager's recognition."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change, snapshot
from okrflow.checkins.models import CheckIn, CheckInFeedback, FeedbackKind
from okrflow.checkins.scope import may_manage, may_see
from okrflow.notifications.hooks import feedback_given
from okrflow.okrs.actions.common import require_open_cycle
from okrflow.org.access import access_for
from okrflow.org.models import Person

COMMENT_LIMIT = 2000
RECOGNITION_LIMIT = 280


def feedback_author(actor: Any, author: Person | None) -> Person:
    """Return who writes: the actor's person, or the given author when the system acts."""
    if actor is None:
        if author is None:
            raise ValueError("the system needs an author to write feedback")
        return author
    person = access_for(actor).person
    if person is None:
        raise deny(_("Only people of the organisation can write feedback."))
    return person


def add_feedback(
    actor: Any, checkin: CheckIn, kind: str, body: str, author: Person
) -> CheckInFeedback:
    feedback = CheckInFeedback.objects.create(checkin=checkin, author=author, kind=kind, body=body)
    entry = record_change(
        actor=actor,
        action=f"checkin_{kind}",
        instance=feedback,
        before=None,
        after=snapshot(feedback),
        summary=body,
    )
    feedback_given(actor, feedback, entry)
    return feedback


@transaction.atomic
def comment_on_checkin(
    actor: Any, checkin: CheckIn, *, body: str, author: Person | None = None
) -> CheckInFeedback:
    """Add a comment to a check-in: the person and their managers talk about the week."""
    checkin = CheckIn.objects.select_related("person", "cycle").get(pk=checkin.pk)
    if actor is not None and not may_see(access_for(actor), checkin.person):
        raise deny(_("You cannot comment on this check-in."))
    writer = feedback_author(actor, author)
    require_open_cycle(checkin.cycle)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a comment first.")})
    if len(body) > COMMENT_LIMIT:
        raise ValidationError(
            {"body": _("Keep this under %(limit)d characters.") % {"limit": COMMENT_LIMIT}}
        )
    return add_feedback(actor, checkin, FeedbackKind.COMMENT, body, writer)


@transaction.atomic
def recognise_checkin(
    actor: Any, checkin: CheckIn, *, body: str = "", author: Person | None = None
) -> CheckInFeedback:
    """Give recognition for a submitted check-in: a short "well done" the person sees."""
    checkin = CheckIn.objects.select_related("person", "cycle").get(pk=checkin.pk)
    if actor is not None and not may_manage(access_for(actor), checkin.person):
        raise deny(_("Recognition comes from the person's managers."))
    writer = feedback_author(actor, author)
    require_open_cycle(checkin.cycle)
    if not checkin.is_submitted:
        raise ValidationError(_("Recognise a check-in once it is submitted."))
    body = (body or "").strip() or _("Well done!")
    if len(body) > RECOGNITION_LIMIT:
        raise ValidationError(
            {"body": _("Keep this under %(limit)d characters.") % {"limit": RECOGNITION_LIMIT}}
        )
    return add_feedback(actor, checkin, FeedbackKind.RECOGNITION, body, writer)
