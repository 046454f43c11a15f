"""Invitations: who was asked to set a password, by whom, when, and whether they did."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Invitation(models.Model):
    """One invitation email sent to a person, with the link's fate."""

    # CASCADE: an invitation means nothing without its person, and the audit trail keeps the
    # record of it being sent.
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("person"),
    )
    email = models.EmailField(_("sent to"), max_length=254)
    sent_at = models.DateTimeField(_("sent at"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("sent by"),
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-sent_at", "-id"]
        indexes = [
            # The invitations page reads each person's latest invitation.
            models.Index(fields=["person", "-sent_at"], name="invitation_person_latest"),
        ]

    def __str__(self) -> str:
        return f"{self.email} {self.sent_at:%Y-%m-%d}"
