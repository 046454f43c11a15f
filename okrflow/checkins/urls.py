"""Check-in pages, mounted at /checkins/ under the "checkins" namespace."""

from __future__ import annotations

from django.urls import path

from okrflow.checkins.views import detail, late_work, meeting, mine, reports, team

app_name = "checkins"
urlpatterns = [
    path("", mine.mine, name="mine"),
    path("history/", mine.history, name="history"),
    path("people/<int:person_id>/", mine.person_history, name="person"),
    path("team/", team.team, name="team"),
    path("compliance/", reports.compliance, name="compliance"),
    path("preferences/", reports.preferences, name="preferences"),
    path("chart/<int:kr_id>/", reports.kr_chart, name="kr_chart"),
    path("<int:checkin_id>/", detail.detail, name="detail"),
    path("<int:checkin_id>/correct/", detail.correct, name="correct"),
    path("<int:checkin_id>/comment/", detail.comment, name="comment"),
    path("<int:checkin_id>/recognise/", detail.recognise, name="recognise"),
    path("<int:checkin_id>/late-work/", late_work.late_to_initiative, name="late_to_initiative"),
    path("1on1/<int:person_id>/", meeting.meeting, name="meeting"),
    path("1on1/<int:person_id>/notes/", meeting.meeting_notes, name="meeting_notes"),
    path("1on1/<int:person_id>/actions/", meeting.meeting_action, name="meeting_action"),
    path("1on1/<int:person_id>/end/", meeting.meeting_end, name="meeting_end"),
    path("actions/<int:initiative_id>/done/", meeting.action_done, name="action_done"),
]
