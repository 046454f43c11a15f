"""A person's secret calendar address (iCalendar feed), kept only as a hash."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarFeed(models.Model):
    """The one live calendar feed of a person; turning it off deletes the row.

    The address carries `selector` + a secret. Only the secret's SHA-256 is stored: the row finds
    the feed, the hash (compared in constant time) proves the address, and a stolen database
    gives nobody a working address.
    """

    person = models.OneToOneField(
        "org.Person",
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("person"),
    )
    selector = models.CharField(_("selector"), max_length=16, unique=True)
    secret_hash = models.CharField(_("secret hash"), max_length=64)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.person_id} {self.selector}"
