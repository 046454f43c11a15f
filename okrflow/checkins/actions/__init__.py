"""Every write to check-ins, feedback, 1:1s and reminder preferences goes through these."""

from okrflow.checkins.actions.checkins import correct_checkin, record_checkin
from okrflow.checkins.actions.feedback import comment_on_checkin, recognise_checkin
from okrflow.checkins.actions.inputs import CheckInInput, LineInput
from okrflow.checkins.actions.late_work import late_work_to_initiative
from okrflow.checkins.actions.meetings import agree_action, end_one_on_one, save_meeting_notes
from okrflow.checkins.actions.preferences import pause_reminders

__all__ = [
    "CheckInInput",
    "LineInput",
    "agree_action",
    "comment_on_checkin",
    "correct_checkin",
    "end_one_on_one",
    "late_work_to_initiative",
    "pause_reminders",
    "recognise_checkin",
    "record_checkin",
    "save_meeting_notes",
]
