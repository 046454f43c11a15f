"""Every write to the organisation's strategy goes through these actions (issue #16).

Mission and vision, core values and strategic themes are an admin's to change; the value or
theme an objective serves is set by whoever may edit that company objective.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.audit.log import record_change, snapshot
from okrflow.okrs.models import Objective
from okrflow.org.access import access_for
from okrflow.org.actions import require_admin
from okrflow.org.models import Organisation
from okrflow.strategy.models import (
    DESCRIPTION_LENGTH,
    NAME_LENGTH,
    STATEMENT_LENGTH,
    ItemKind,
    ServedBy,
    Statement,
    StrategyItem,
)


def clean_text(errors: dict[str, str], field: str, raw: Any, limit: int) -> str:
    """Strip a text; note an error when it is longer than `limit` characters."""
    text = str(raw or "").strip()
    if len(text) > limit:
        errors[field] = _("Use at most %(limit)d characters.") % {"limit": limit}
    return text


def clean_item_name(errors: dict[str, str], field: str, raw: Any, *, required: bool) -> str:
    name = " ".join(str(raw or "").split())
    if required and not name:
        errors[field] = _("A value or theme needs a name.")
    elif len(name) > NAME_LENGTH:
        errors[field] = _("Use at most %(limit)d characters.") % {"limit": NAME_LENGTH}
    return name


def statement_for(organisation: Organisation) -> Statement:
    statement, _created = Statement.objects.get_or_create(organisation=organisation)
    return statement


@transaction.atomic
def set_mission_and_vision(
    actor: Any,
    *,
    mission: str,
    vision: str,
    mission_en: str = "",
    vision_en: str = "",
) -> Statement:
    """Write the organisation's mission and vision (either may be left empty)."""
    require_admin(actor)
    errors: dict[str, str] = {}
    texts = {
        field: clean_text(errors, field, raw, STATEMENT_LENGTH)
        for field, raw in (
            ("mission", mission),
            ("mission_en", mission_en),
            ("vision", vision),
            ("vision_en", vision_en),
        )
    }
    if errors:
        raise ValidationError(errors)
    statement = statement_for(Organisation.current())
    statement = Statement.objects.select_for_update().get(pk=statement.pk)
    before = snapshot(statement)
    for field, text in texts.items():
        setattr(statement, field, text)
    statement.save()
    record_change(
        actor=actor,
        action="set_mission_and_vision",
        instance=statement,
        before=before,
        after=snapshot(statement),
        summary=statement.mission[:300],
    )
    return statement


def check_item_fields(
    organisation: Organisation,
    *,
    name: Any,
    name_en: Any,
    description: Any,
    description_en: Any,
    item: StrategyItem | None,
) -> dict[str, str]:
    """Clean a value's or theme's texts; raise every problem at once."""
    errors: dict[str, str] = {}
    fields = {
        "name": clean_item_name(errors, "name", name, required=True),
        "name_en": clean_item_name(errors, "name_en", name_en, required=False),
        "description": clean_text(errors, "description", description, DESCRIPTION_LENGTH),
        "description_en": clean_text(errors, "description_en", description_en, DESCRIPTION_LENGTH),
    }
    if "name" not in errors:
        same = StrategyItem.objects.filter(organisation=organisation, name__iexact=fields["name"])
        if item is not None:
            same = same.exclude(pk=item.pk)
        if same.exists():
            errors["name"] = _("A value or theme named “%(name)s” already exists.") % {
                "name": fields["name"]
            }
    if errors:
        raise ValidationError(errors)
    return fields


@transaction.atomic
def create_strategy_item(
    actor: Any,
    *,
    kind: str,
    name: str,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
) -> StrategyItem:
    """Add a core value or a strategic theme, last in its list."""
    require_admin(actor)
    if kind not in ItemKind.values:
        raise ValidationError({"kind": _("Choose a core value or a strategic theme.")})
    organisation = Organisation.current()
    fields = check_item_fields(
        organisation,
        name=name,
        name_en=name_en,
        description=description,
        description_en=description_en,
        item=None,
    )
    last = StrategyItem.objects.filter(organisation=organisation, kind=kind).aggregate(
        last=Max("position")
    )["last"]
    item = StrategyItem.objects.create(
        organisation=organisation,
        kind=kind,
        position=0 if last is None else last + 1,
        **fields,
    )
    record_change(
        actor=actor,
        action="create_strategy_item",
        instance=item,
        before=None,
        after=snapshot(item),
        summary=item.name,
    )
    return item


@transaction.atomic
def update_strategy_item(
    actor: Any,
    item: StrategyItem,
    *,
    name: str,
    name_en: str = "",
    description: str = "",
    description_en: str = "",
) -> StrategyItem:
    """Rename or describe a core value or theme."""
    require_admin(actor)
    item = StrategyItem.objects.select_for_update().get(pk=item.pk)
    fields = check_item_fields(
        item.organisation,
        name=name,
        name_en=name_en,
        description=description,
        description_en=description_en,
        item=item,
    )
    before = snapshot(item)
    for field, value in fields.items():
        setattr(item, field, value)
    item.save(update_fields=list(fields))
    record_change(
        actor=actor,
        action="update_strategy_item",
        instance=item,
        before=before,
        after=snapshot(item),
        summary=item.name,
    )
    return item


@transaction.atomic
def set_strategy_item_archived(actor: Any, item: StrategyItem, *, archived: bool) -> StrategyItem:
    """Archive a value or theme (objectives that serve it keep the link) or bring it back."""
    require_admin(actor)
    item = StrategyItem.objects.select_for_update().get(pk=item.pk)
    if item.is_archived == archived:
        message = (
            _("“%(name)s” is already archived.") if archived else _("“%(name)s” is not archived.")
        )
        raise ValidationError(message % {"name": item.name})
    before = snapshot(item, ["is_archived"])
    item.is_archived = archived
    item.save(update_fields=["is_archived"])
    record_change(
        actor=actor,
        action="archive_strategy_item" if archived else "unarchive_strategy_item",
        instance=item,
        before=before,
        after=snapshot(item, ["is_archived"]),
        summary=item.name,
    )
    return item


@transaction.atomic
def move_strategy_item(actor: Any, item: StrategyItem, *, step: int) -> StrategyItem:
    """Move a value or theme one place up (step -1) or down (step 1) in its list."""
    require_admin(actor)
    if step not in (-1, 1):
        raise ValidationError(_("Move one place up or down."))
    item = StrategyItem.objects.select_for_update().get(pk=item.pk)
    siblings = list(
        StrategyItem.objects.select_for_update()
        .filter(organisation_id=item.organisation_id, kind=item.kind)
        .order_by("position", "id")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    other = index + step
    if not 0 <= other < len(siblings):
        message = (
            _("“%(name)s” is already first.") if step < 0 else _("“%(name)s” is already last.")
        )
        raise ValidationError(message % {"name": item.name})
    before = [sibling.pk for sibling in siblings]
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, sibling in enumerate(siblings):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])
    record_change(
        actor=actor,
        action="move_strategy_item",
        instance=item,
        before={"order": before},
        after={"order": [sibling.pk for sibling in siblings]},
        summary=item.name,
    )
    return item


def is_company_objective(objective: Objective) -> bool:
    """A company objective is owned by the root of the unit tree."""
    unit = objective.owner_unit
    return unit is not None and unit.parent_id is None


@transaction.atomic
def set_objective_serves(
    actor: Any, objective: Objective, item: StrategyItem | None
) -> ServedBy | None:
    """Name the value or theme a company objective serves (None: it names none)."""
    # As stored now: an edit in the same transaction may have just changed its owner.
    objective = Objective.objects.select_related("owner_unit").get(pk=objective.pk)
    if actor is not None and not access_for(actor).can_edit_objective(objective):
        raise deny()
    current = ServedBy.objects.select_for_update().filter(objective=objective).first()
    if item is not None:
        item = StrategyItem.objects.get(pk=item.pk)  # as stored now: archived since?
        if not is_company_objective(objective):
            raise ValidationError(
                {
                    "serves": _(
                        "Only a company objective can serve a core value or theme; align this "
                        "objective to a company objective instead."
                    )
                }
            )
        if item.organisation_id != Organisation.current().pk:
            raise ValidationError({"serves": _("This value or theme is not your organisation's.")})
        if item.is_archived and (current is None or current.item_id != item.pk):
            raise ValidationError(
                {"serves": _("“%(name)s” is archived: choose another.") % {"name": item.name}}
            )
    if (current.item_id if current else None) == (item.pk if item else None):
        return current
    before = {"item": current.item_id} if current else None
    if item is None:
        assert current is not None  # unchanged None returned above
        current.delete()
        link = None
    elif current is None:
        link = ServedBy.objects.create(objective=objective, item=item)
    else:
        current.item = item
        current.save(update_fields=["item"])
        link = current
    record_change(
        actor=actor,
        action="set_objective_serves",
        instance=objective,
        before=before,
        after={"item": item.pk} if item else None,
        summary=objective.title,
    )
    return link
