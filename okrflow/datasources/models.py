"""A key result's data source: where its value comes from, when it is read, how the last run went."""

from __future__ import annotations

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class SourceKind(models.TextChoices):
    PUSH = "push", _("Push URL (a script sends the value)")
    JSON = "json", _("JSON endpoint (HTTP)")
    CSV = "csv", _("CSV file or published spreadsheet")
    SQL = "sql", _("SQL query")


class Schedule(models.TextChoices):
    HOURLY = "hourly", _("Every hour")
    DAILY = "daily", _("Every day")


SCHEDULE_INTERVAL = {
    Schedule.HOURLY: datetime.timedelta(hours=1),
    Schedule.DAILY: datetime.timedelta(days=1),
}


class DataSource(models.Model):
    """At most one per key result. Secrets (request headers, the database URL) are kept
    encrypted in `secrets_encrypted` (see `okrflow.datasources.secrets`); the push URL's secret
    only as a hash."""

    key_result = models.OneToOneField(
        "okrs.KeyResult",
        on_delete=models.CASCADE,
        related_name="data_source",
        verbose_name=_("key result"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=SourceKind.choices)
    schedule = models.CharField(
        _("schedule"), max_length=8, choices=Schedule.choices, default=Schedule.DAILY
    )
    url = models.CharField(_("URL"), max_length=1000, blank=True)
    json_path = models.CharField(_("JSON path"), max_length=300, blank=True)
    file_path = models.CharField(_("file path"), max_length=500, blank=True)
    sheet = models.CharField(_("sheet"), max_length=100, blank=True)
    row = models.CharField(_("row"), max_length=20, blank=True)
    column = models.CharField(_("column"), max_length=100, blank=True)
    query = models.TextField(_("SQL query"), blank=True)
    secrets_encrypted = models.TextField(_("secrets (encrypted)"), blank=True)
    push_selector = models.CharField(
        _("push selector"), max_length=16, blank=True, null=True, unique=True
    )
    push_secret_hash = models.CharField(_("push secret hash"), max_length=64, blank=True)
    next_run_at = models.DateTimeField(_("next run"), null=True, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_value = models.DecimalField(
        _("last value"), max_digits=20, decimal_places=4, null=True, blank=True
    )
    last_error_code = models.CharField(_("last error"), max_length=32, blank=True)
    last_error_detail = models.CharField(_("last error detail"), max_length=300, blank=True)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True)
    # Set at the first failure of a run of failures; the owner is told once per such run.
    failing_since = models.DateTimeField(_("failing since"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["push", "json", "csv", "sql"]),
                name="datasource_kind_known",
            ),
        ]
        indexes = [
            # The scheduler's query: pull sources whose next run is due.
            models.Index(fields=["next_run_at"], name="datasource_due"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} source of key result {self.key_result_id}"

    @property
    def is_pull(self) -> bool:
        return self.kind != SourceKind.PUSH

    @property
    def is_failing(self) -> bool:
        return self.failing_since is not None
