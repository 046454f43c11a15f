from __future__ import annotations

from django.contrib import admin

from okrflow.audit.admin_mixins import AuditedModelAdmin
from okrflow.cycles.models import Cycle


@admin.register(Cycle)
class CycleAdmin(AuditedModelAdmin):
    list_display = ["name", "kind", "parent", "start_date", "end_date", "state"]
    list_filter = ["state", "kind"]
