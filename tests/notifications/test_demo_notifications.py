"""The demo holds a proposal sent back with its comment, and the notifications it made."""

from __future__ import annotations

from okrflow.notifications.demo import COMMENT
from okrflow.notifications.kinds import Kind
from okrflow.notifications.models import Notification
from okrflow.okrs.models import ObjectiveReview, ObjectiveState


def test_the_demo_has_a_sent_back_proposal_and_its_notifications(demo_org, db) -> None:  # type: ignore[no-untyped-def]
    back = Notification.objects.select_related("recipient__user", "objective").get(
        kind=Kind.PROPOSAL_SENT_BACK
    )
    assert back.recipient.user.username == "specialist.marketing"
    assert back.objective.state == ObjectiveState.DRAFT
    assert back.params["comment"] in COMMENT.values()
    review = ObjectiveReview.objects.filter(objective=back.objective).latest("id")
    assert review.decision == "returned" and review.comment == back.params["comment"]
    waiting = Notification.objects.get(kind=Kind.PROPOSAL_WAITING)
    assert waiting.recipient.user.username == "head.marketing"
    # The replayed history of values tells nobody.
    assert not Notification.objects.filter(kind__in=[Kind.RISK_RAISED, Kind.FOLLOWED_STATUS])
