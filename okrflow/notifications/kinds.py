"""The kinds of notification and how each may be delivered: pure data, no Django."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    PROPOSAL_WAITING = "proposal_waiting"  # a proposal waits for you to agree or send back
    PROPOSAL_AGREED = "proposal_agreed"  # your proposal was agreed
    PROPOSAL_SENT_BACK = "proposal_sent_back"  # your proposal was sent back, with the comment
    COMMENT = "comment"  # someone commented on something you own, co-own or follow
    MENTION = "mention"  # someone @mentioned you in a comment
    FEEDBACK = "feedback"  # feedback or recognition on your check-in
    RISK_RAISED = "risk_raised"  # a risk was raised on your key result
    FOLLOWED_STATUS = "followed_status"  # a key result you follow changed status
    SOURCE_FAILED = "source_failed"  # a data source of a key result of yours failed
    REPORT_READY = "report_ready"  # a report you asked for is ready
    CHECKIN_REMINDER = "checkin_reminder"  # your weekly check-in is due


class Channel(StrEnum):
    IN_APP = "in_app"  # only in the inbox
    EMAIL = "email"  # in the inbox and by email at once
    DIGEST = "digest"  # in the inbox and in a daily email digest
    OFF = "off"  # not at all


# What a person gets before they choose.
DEFAULT_CHANNEL: dict[Kind, Channel] = {
    Kind.PROPOSAL_WAITING: Channel.EMAIL,
    Kind.PROPOSAL_AGREED: Channel.EMAIL,
    Kind.PROPOSAL_SENT_BACK: Channel.EMAIL,
    Kind.COMMENT: Channel.DIGEST,
    Kind.MENTION: Channel.EMAIL,
    Kind.FEEDBACK: Channel.IN_APP,
    Kind.RISK_RAISED: Channel.DIGEST,
    Kind.FOLLOWED_STATUS: Channel.DIGEST,
    Kind.SOURCE_FAILED: Channel.EMAIL,
    Kind.REPORT_READY: Channel.IN_APP,
    Kind.CHECKIN_REMINDER: Channel.EMAIL,
}
