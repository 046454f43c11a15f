"""The 1:1 in four phases: prepare (a draft check-in), discuss, agree actions, follow up."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change, snapshot
from okrflow.checkins.actions.checkins import require_open_week
from okrflow.checkins.actions.inputs import require_checkin_cycle
from okrflow.checkins.models import AgreedAction, MeetingNote, OneOnOne
from okrflow.checkins.schedule import local_today
from okrflow.checkins.scope import key_results_for, may_manage, may_see
from okrflow.cycles.models import Cycle
from okrflow.okrs.actions import create_initiative
from okrflow.okrs.models import KeyResult
from okrflow.org.access import access_for
from okrflow.org.models import Person

NOTES_LIMIT = 10000


def require_meeting_rights(actor: Any, person: Person) -> None:
    if actor is not None and not may_see(access_for(actor), person):
        raise deny(_("Only the person and their managers take part in this 1:1."))


def meeting_for_update(person: Person, cycle: Cycle, week: datetime.date) -> OneOnOne:
    """Return the week's 1:1 locked for this transaction, creating it on first use."""
    query = OneOnOne.objects.select_for_update(of=("self",)).filter(
        person=person, cycle=cycle, week=week
    )
    meeting = query.first()
    if meeting is None:
        try:
            with transaction.atomic():
                meeting = OneOnOne.objects.create(
                    person=person, manager=person.manager, cycle=cycle, week=week
                )
        except IntegrityError:
            meeting = query.get()
    return meeting


def require_not_ended(meeting: OneOnOne) -> None:
    if meeting.is_ended:
        raise ValidationError(_("This 1:1 has ended; its notes and actions are final."))


@transaction.atomic
def save_meeting_notes(
    actor: Any,
    *,
    person: Person,
    cycle: Cycle,
    week: datetime.date,
    notes: str = "",
    kr_notes: dict[int, str] | None = None,
) -> OneOnOne:
    """Write the 1:1's notes, overall and per key result; the meeting is then under way."""
    require_meeting_rights(actor, person)
    require_checkin_cycle(cycle)
    require_open_week(cycle, week)
    kr_notes = kr_notes or {}
    allowed = {kr.pk for kr in key_results_for(person, cycle)}
    if set(kr_notes) - allowed:
        raise deny(_("One of these key results is not in this person's check-in."))
    notes = (notes or "").strip()
    if len(notes) > NOTES_LIMIT or any(len(text) > NOTES_LIMIT for text in kr_notes.values()):
        raise ValidationError(
            {"notes": _("Keep this under %(limit)d characters.") % {"limit": NOTES_LIMIT}}
        )
    meeting = meeting_for_update(person, cycle, week)
    require_not_ended(meeting)
    before = snapshot(meeting)
    meeting.notes = notes
    meeting.started_at = meeting.started_at or timezone.now()
    meeting.save()
    for kr_id, text in kr_notes.items():
        text = (text or "").strip()
        if text:
            MeetingNote.objects.update_or_create(
                meeting=meeting, key_result_id=kr_id, defaults={"body": text}
            )
        else:
            MeetingNote.objects.filter(meeting=meeting, key_result_id=kr_id).delete()
    record_change(
        actor=actor,
        action="save_meeting_notes",
        instance=meeting,
        before=before,
        after=snapshot(meeting) | {"kr_notes": {str(k): v for k, v in kr_notes.items()}},
        summary=person.full_name,
    )
    return meeting


@transaction.atomic
def agree_action(
    actor: Any,
    meeting: OneOnOne,
    *,
    key_result: KeyResult,
    title: str,
    owner: Person,
    due_date: datetime.date | None,
) -> AgreedAction:
    """Turn an action agreed in the 1:1 into an initiative under one of the person's KRs."""
    meeting = (
        OneOnOne.objects.select_for_update(of=("self",))
        .select_related("person", "cycle")
        .get(pk=meeting.pk)
    )
    require_meeting_rights(actor, meeting.person)
    require_checkin_cycle(meeting.cycle)
    require_not_ended(meeting)
    if key_result.pk not in {kr.pk for kr in key_results_for(meeting.person, meeting.cycle)}:
        raise deny(_("This key result is not in this person's check-in."))
    errors: dict[str, str] = {}
    if owner.pk not in {meeting.person_id, meeting.manager_id}:
        errors["owner"] = _("Give the action to the person or their manager.")
    if due_date is None:
        errors["due_date"] = _("Set a due date.")
    elif due_date < local_today(meeting.cycle):
        errors["due_date"] = _("The due date has already passed.")
    if errors:
        raise ValidationError(errors)
    initiative = create_initiative(actor, key_result, title=title, owner=owner, due_date=due_date)
    action = AgreedAction.objects.create(meeting=meeting, initiative=initiative)
    if meeting.started_at is None:
        meeting.started_at = timezone.now()
        meeting.save(update_fields=["started_at", "updated_at"])
    record_change(
        actor=actor,
        action="agree_action",
        instance=action,
        before=None,
        after=snapshot(action),
        summary=initiative.title,
    )
    return action


@transaction.atomic
def end_one_on_one(
    actor: Any, meeting: OneOnOne, *, next_checkin_on: datetime.date | None
) -> OneOnOne:
    """End the 1:1: its actions are agreed and the next check-in date is set."""
    meeting = (
        OneOnOne.objects.select_for_update(of=("self",))
        .select_related("person", "cycle")
        .get(pk=meeting.pk)
    )
    if actor is not None and not may_manage(access_for(actor), meeting.person):
        if may_see(access_for(actor), meeting.person):
            raise deny(_("The manager ends the 1:1."))
        raise deny(_("Only the person and their managers take part in this 1:1."))
    require_checkin_cycle(meeting.cycle)
    require_not_ended(meeting)
    if next_checkin_on is None:
        raise ValidationError({"next_checkin_on": _("Set the date of the next check-in.")})
    if next_checkin_on <= local_today(meeting.cycle):
        raise ValidationError({"next_checkin_on": _("The next check-in must be after today.")})
    before = snapshot(meeting)
    now = timezone.now()
    meeting.started_at = meeting.started_at or now
    meeting.ended_at = now
    meeting.next_checkin_on = next_checkin_on
    meeting.save()
    record_change(
        actor=actor,
        action="end_one_on_one",
        instance=meeting,
        before=before,
        after=snapshot(meeting),
        summary=meeting.person.full_name,
    )
    return meeting
