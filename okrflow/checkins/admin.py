"""Read-only admin views of check-ins: history is written by the actions, never edited here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin

from okrflow.checkins.models import CheckIn, CheckinPreference, OneOnOne, ReminderLog


class ReadOnlyAdmin(admin.ModelAdmin):
    """Show rows without add, change or delete: check-ins are append-only history."""

    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(CheckIn)
class CheckInAdmin(ReadOnlyAdmin):
    list_display = ["person", "cycle", "week", "state", "submitted_at", "confidence", "corrects"]
    list_filter = ["cycle", "state"]
    list_select_related = ["person", "cycle"]
    search_fields = ["person__full_name"]
    date_hierarchy = "week"


@admin.register(OneOnOne)
class OneOnOneAdmin(ReadOnlyAdmin):
    list_display = ["person", "manager", "cycle", "week", "started_at", "ended_at"]
    list_select_related = ["person", "manager", "cycle"]


@admin.register(ReminderLog)
class ReminderLogAdmin(ReadOnlyAdmin):
    list_display = ["person", "kind", "cycle", "week", "sent_at"]
    list_filter = ["kind", "cycle"]
    list_select_related = ["person", "cycle"]


@admin.register(CheckinPreference)
class CheckinPreferenceAdmin(ReadOnlyAdmin):
    list_display = ["person", "reminders_paused_until", "updated_at"]
    list_select_related = ["person"]
