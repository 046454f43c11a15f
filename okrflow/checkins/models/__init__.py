"""Check-in models: weekly check-ins, 1:1 meetings, reminder preferences and log."""

from okrflow.checkins.models.calendar_feed import CalendarFeed
from okrflow.checkins.models.checkins import (
    CheckIn,
    CheckInFeedback,
    CheckInQuerySet,
    CheckInState,
    FeedbackKind,
    KeyResultCheckIn,
    LateWorkInitiative,
    Pace,
    late_items,
)
from okrflow.checkins.models.meetings import AgreedAction, MeetingNote, MeetingPhase, OneOnOne
from okrflow.checkins.models.reminders import CheckinPreference, ReminderKind, ReminderLog

__all__ = [
    "AgreedAction",
    "CalendarFeed",
    "CheckIn",
    "CheckInFeedback",
    "CheckInQuerySet",
    "CheckInState",
    "CheckinPreference",
    "FeedbackKind",
    "KeyResultCheckIn",
    "LateWorkInitiative",
    "MeetingNote",
    "MeetingPhase",
    "OneOnOne",
    "Pace",
    "ReminderKind",
    "ReminderLog",
    "late_items",
]
