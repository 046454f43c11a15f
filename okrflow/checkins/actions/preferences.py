"""A person's check-in preferences: pause reminders while on leave."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change, snapshot
from okrflow.checkins.models import CheckinPreference
from okrflow.org.access import access_for
from okrflow.org.models import Person

LONGEST_PAUSE = datetime.timedelta(days=366)


@transaction.atomic
def pause_reminders(
    actor: Any, person: Person, *, until: datetime.date | None
) -> CheckinPreference:
    """Pause check-in reminders up to and including a day (None resumes them)."""
    if actor is not None:
        access = access_for(actor)
        if not access.is_admin and (access.person is None or access.person.pk != person.pk):
            raise deny(_("Only the person or an admin can pause their reminders."))
    today = timezone.localdate()
    if until is not None and until < today:
        raise ValidationError({"until": _("Pick a day from today on.")})
    if until is not None and until - today > LONGEST_PAUSE:
        raise ValidationError({"until": _("Reminders can pause for a year at most.")})
    preference, _created = CheckinPreference.objects.select_for_update().get_or_create(
        person=person
    )
    before = snapshot(preference)
    preference.reminders_paused_until = until
    preference.save()
    record_change(
        actor=actor,
        action="pause_reminders",
        instance=preference,
        before=before,
        after=snapshot(preference),
        summary=person.full_name,
    )
    return preference
