"""Turn a check-in's late work into an initiative with a due date, in one step (#16)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from okrflow.audit.log import record_change, snapshot
from okrflow.checkins.actions.inputs import require_checkin_cycle, require_checkin_rights
from okrflow.checkins.models import CheckIn, LateWorkInitiative
from okrflow.checkins.schedule import local_today
from okrflow.checkins.scope import key_results_for
from okrflow.okrs.actions.initiatives import create_initiative
from okrflow.okrs.models import KeyResult

ITEM_LIMIT = 300


def require_due_date(due_date: datetime.date | None, checkin: CheckIn) -> datetime.date:
    """Refuse a missing due date, one in the past, or one outside the check-in's cycle."""
    cycle = checkin.cycle
    if due_date is None:
        raise ValidationError({"due_date": _("Give the initiative a due date.")})
    if due_date < local_today(cycle):
        raise ValidationError({"due_date": _("The due date is in the past; choose a later day.")})
    if not cycle.start_date <= due_date <= cycle.end_date:
        raise ValidationError(
            {
                "due_date": _("Choose a due date within the cycle, %(start)s to %(end)s.")
                % {
                    "start": date_format(cycle.start_date, "SHORT_DATE_FORMAT"),
                    "end": date_format(cycle.end_date, "SHORT_DATE_FORMAT"),
                }
            }
        )
    return due_date


def require_late_item(checkin: CheckIn, item: str) -> str:
    """Return the item as the check-in says it; refuse one it does not list or already turned."""
    item = (item or "").strip()
    if item not in checkin.late_items:
        raise ValidationError({"item": _("This check-in lists no such late work.")})
    if len(item) > ITEM_LIMIT:
        raise ValidationError(
            {"item": _("Keep the initiative under %(limit)d characters.") % {"limit": ITEM_LIMIT}}
        )
    if checkin.late_initiatives.filter(item=item).exists():
        raise ValidationError({"item": _("This late work is already an initiative.")})
    return item


@transaction.atomic
def late_work_to_initiative(
    actor: Any,
    checkin: CheckIn,
    *,
    item: str,
    key_result_id: int | None,
    due_date: datetime.date | None,
) -> LateWorkInitiative:
    """Turn one item of a submitted check-in's late work into an initiative under a key result.

    The initiative is created by `create_initiative` (its own audit row); the check-in keeps a
    link from the item to it, so its history shows what became of the late work.
    """
    target = (
        CheckIn.objects.select_for_update(of=("self",))
        .select_related("person", "cycle")
        .get(pk=checkin.pk)
    )
    require_checkin_rights(actor, target.person)
    require_checkin_cycle(target.cycle)
    if not target.is_submitted:
        raise ValidationError(_("Submit the check-in first, then turn its late work into work."))
    text = require_late_item(target, item)
    errors: dict[str, list[str]] = {}
    allowed = {kr.pk: kr for kr in key_results_for(target.person, target.cycle)}
    kr: KeyResult | None = allowed.get(key_result_id) if key_result_id is not None else None
    if kr is None:
        errors["key_result"] = [_("Choose one of the check-in's key results.")]
    try:
        due = require_due_date(due_date, target)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors or kr is None:
        raise ValidationError(errors)
    initiative = create_initiative(actor, kr, title=text, owner=target.person, due_date=due)
    link = LateWorkInitiative.objects.create(checkin=target, item=text, initiative=initiative)
    record_change(
        actor=actor,
        action="late_work_to_initiative",
        instance=link,
        before=None,
        after=snapshot(link),
        summary=text,
    )
    return link
