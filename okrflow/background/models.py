"""Reports built in the background and offered for download to the person who asked."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportState(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    BUILDING = "building", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class ReportFormat(models.TextChoices):
    PDF = "pdf", "PDF"
    XLSX = "xlsx", "XLSX"
    CSV = "csv", "CSV"


class ReportRequest(models.Model):
    """A whole-company review asked for on the Reports page, built by the worker."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("requested by"),
    )
    cycle = models.ForeignKey(
        "cycles.Cycle", on_delete=models.CASCADE, related_name="+", verbose_name=_("cycle")
    )
    fmt = models.CharField(_("format"), max_length=8, choices=ReportFormat.choices)
    language = models.CharField(_("language"), max_length=8, default="vi")
    state = models.CharField(
        _("state"), max_length=12, choices=ReportState.choices, default=ReportState.QUEUED
    )
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("report request")
        verbose_name_plural = _("report requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The Reports page lists one person's requests, newest first.
            models.Index(fields=["requested_by", "-created_at"], name="report_request_mine"),
        ]

    def __str__(self) -> str:
        return f"{self.cycle_id} {self.fmt} ({self.state})"

    def stored_name(self) -> str:
        """The file's name on disk: the id alone, never the user's text."""
        return f"report-{self.pk}.{self.fmt}"
