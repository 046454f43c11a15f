"""Every kind reads as a sentence in both languages, from the agreed params (no stored text)."""

from __future__ import annotations

import pytest
from django.utils import translation

from okrflow.notifications.kinds import Kind
from okrflow.notifications.models import Notification
from okrflow.notifications.texts import EXCERPT_LIMIT, sentence_of

PARAMS = {
    Kind.PROPOSAL_WAITING: {"title": "Grow", "owner": "An", "by": "An", "comment": ""},
    Kind.PROPOSAL_AGREED: {"title": "Grow", "by": "Bình", "comment": "Good"},
    Kind.PROPOSAL_SENT_BACK: {"title": "Grow", "by": "Bình", "comment": "Add a baseline"},
    Kind.COMMENT: {"author": "An", "excerpt": "Nice", "on": "Grow", "comment_id": 1},
    Kind.MENTION: {"author": "An", "excerpt": "@Bình look", "on": "Grow", "comment_id": 2},
    Kind.FEEDBACK: {"author": "An", "feedback": "recognition", "excerpt": "Well done"},
    Kind.RISK_RAISED: {"title": "Reach 100", "status": "off_track"},
    Kind.FOLLOWED_STATUS: {"title": "Reach 100", "before": "on_track", "after": "at_risk"},
    Kind.SOURCE_FAILED: {
        "error": "timed out",
        "source_kind": "csv",
        "since": "2026-05-15T03:00:00+00:00",
    },
    Kind.REPORT_READY: {"cycle": "Q2 2026", "format": "pdf"},
    Kind.CHECKIN_REMINDER: {"reminder": "overdue", "cycle": "Q2 2026", "due": "2026-05-15"},
}
ENGLISH = {
    Kind.PROPOSAL_WAITING: "An proposed “Grow”: it waits for you to agree or send it back.",
    Kind.PROPOSAL_AGREED: "Bình agreed your objective “Grow”. “Good”",
    Kind.PROPOSAL_SENT_BACK: "Bình sent your objective “Grow” back: “Add a baseline”",
    Kind.COMMENT: "An commented on “Grow”: “Nice”",
    Kind.MENTION: "An mentioned you on “Grow”: “@Bình look”",
    Kind.FEEDBACK: "An recognised your check-in: “Well done”",
    Kind.RISK_RAISED: "Your key result “Reach 100” is now off track.",
    Kind.FOLLOWED_STATUS: "“Reach 100”, which you follow, went from on track to at risk.",
    Kind.SOURCE_FAILED: "The CSV file of your key result “” has failed since 15 May 2026, 10:00: timed out",
    Kind.REPORT_READY: "Your PDF report for Q2 2026 is ready.",
    Kind.CHECKIN_REMINDER: "Your check-in for 15 May 2026 is overdue (Q2 2026).",
}


def test_every_kind_has_params_and_a_sentence() -> None:
    assert set(PARAMS) == set(Kind) == set(ENGLISH)


@pytest.mark.parametrize("kind", list(Kind))
def test_each_kind_reads_in_english_and_in_vietnamese(kind: Kind) -> None:
    notification = Notification(kind=kind.value, params=PARAMS[kind])
    with translation.override("en"):
        english = sentence_of(notification)
    with translation.override("vi"):
        vietnamese = sentence_of(notification)
    assert english == ENGLISH[kind]
    assert vietnamese != english


def test_odd_params_never_break_a_sentence() -> None:
    for kind in Kind:
        for params in ({}, {"excerpt": None, "due": "not a day"}, []):
            assert sentence_of(Notification(kind=kind.value, params=params))


def test_a_long_comment_is_cut() -> None:
    notification = Notification(
        kind=Kind.COMMENT, params={"author": "An", "excerpt": "x" * 1000, "on": "Grow"}
    )
    assert len(sentence_of(notification)) < EXCERPT_LIMIT + 40
