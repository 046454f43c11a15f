"""Actions on initiatives: the work under a key result."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change, snapshot
from okrflow.okrs.actions.common import require_open_cycle
from okrflow.okrs.models import Initiative, KeyResult
from okrflow.org.access import access_for
from okrflow.org.models import Person


@transaction.atomic
def create_initiative(
    actor: Any,
    key_result: KeyResult,
    *,
    title: str,
    owner: Person | None = None,
    due_date: datetime.date | None = None,
) -> Initiative:
    """Add a piece of work under a key result."""
    kr = KeyResult.objects.select_related("objective__cycle", "owner").get(pk=key_result.pk)
    if actor is not None and not access_for(actor).can_update_key_result(kr):
        raise deny(_("You cannot add work to this key result."))
    require_open_cycle(kr.objective.cycle)
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": _("Describe the work.")})
    if len(title) > 300:
        raise ValidationError({"title": _("Keep the initiative under 300 characters.")})
    initiative = Initiative.objects.create(
        key_result=kr, title=title, owner=owner or kr.owner, due_date=due_date
    )
    record_change(
        actor=actor,
        action="create_initiative",
        instance=initiative,
        before=None,
        after=snapshot(initiative),
        summary=title,
    )
    return initiative


@transaction.atomic
def set_initiative_done(actor: Any, initiative: Initiative, done: bool) -> Initiative:
    """Mark an initiative done or reopen it."""
    initiative = (
        Initiative.objects.select_for_update(of=("self",))
        .select_related("key_result__objective__cycle")
        .get(pk=initiative.pk)
    )
    access = access_for(actor) if actor is not None else None
    if access is not None and not (
        (access.person and access.person.pk == initiative.owner_id)
        or access.can_update_key_result(initiative.key_result)
    ):
        raise deny(_("You cannot change this initiative."))
    require_open_cycle(initiative.key_result.objective.cycle)
    before = snapshot(initiative)
    initiative.is_done = done
    initiative.done_at = timezone.now() if done else None
    initiative.save(update_fields=["is_done", "done_at"])
    record_change(
        actor=actor,
        action="set_initiative_done",
        instance=initiative,
        before=before,
        after=snapshot(initiative),
        summary=initiative.title,
    )
    return initiative
