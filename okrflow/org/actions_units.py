"""Actions on the org tree beyond creating a unit: rename, move, archive, unarchive."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.audit.log import record_change, snapshot
from okrflow.org.actions import clean_name, require_admin, require_open_unit, unit_path
from okrflow.org.models import OrgUnit

PATH_LENGTH = OrgUnit._meta.get_field("path").max_length or 1000


def locked(unit: OrgUnit) -> OrgUnit:
    return OrgUnit.objects.select_for_update().get(pk=unit.pk)


@transaction.atomic
def rename_unit(actor: Any, unit: OrgUnit, name: str) -> OrgUnit:
    """Give a unit a new name."""
    require_admin(actor)
    name = clean_name(name, field="name", missing=_("A unit needs a name."))
    unit = locked(unit)
    before = snapshot(unit, ["name"])
    unit.name = name
    unit.save(update_fields=["name"])
    record_change(
        actor=actor,
        action="rename_unit",
        instance=unit,
        before=before,
        after=snapshot(unit, ["name"]),
        summary=name,
    )
    return unit


def descendants(unit: OrgUnit) -> list[OrgUnit]:
    """Return the units below `unit` (not itself), read from the materialised path."""
    return list(OrgUnit.objects.filter(path__startswith=unit.path).exclude(pk=unit.pk))


@transaction.atomic
def move_unit(actor: Any, unit: OrgUnit, new_parent: OrgUnit | None) -> OrgUnit:
    """Move a unit (with everything below it) under another unit."""
    require_admin(actor)
    if new_parent is None:
        raise ValidationError({"parent": _("Choose the unit to move it under.")})
    unit = locked(unit)
    new_parent = locked(new_parent)
    if new_parent.pk == unit.pk:
        raise ValidationError({"parent": _("A unit cannot be moved under itself.")})
    if new_parent.path.startswith(unit.path):
        raise ValidationError(
            {
                "parent": _("“%(unit)s” cannot be moved under “%(parent)s”, which is inside it.")
                % {"unit": unit.name, "parent": new_parent.name}
            }
        )
    require_open_unit(new_parent, "parent")
    if unit.parent_id == new_parent.pk:
        raise ValidationError(
            {
                "parent": _("“%(unit)s” is already under “%(parent)s”.")
                % {"unit": unit.name, "parent": new_parent.name}
            }
        )
    subtree = descendants(unit)
    old_prefix = unit.path
    new_prefix = unit_path(new_parent, unit.pk)
    shift = new_parent.depth + 1 - unit.depth
    if any(len(new_prefix + u.path[len(old_prefix) :]) > PATH_LENGTH for u in [unit, *subtree]):
        raise ValidationError({"parent": _("The org tree would become too deep.")})
    before = snapshot(unit, ["parent", "path", "depth"])
    unit.parent = new_parent
    unit.path, unit.depth = new_prefix, unit.depth + shift
    unit.save(update_fields=["parent", "path", "depth"])
    for below in subtree:
        below.path = new_prefix + below.path[len(old_prefix) :]
        below.depth += shift
    OrgUnit.objects.bulk_update(subtree, ["path", "depth"])
    record_change(
        actor=actor,
        action="move_unit",
        instance=unit,
        before=before,
        after=snapshot(unit, ["parent", "path", "depth"]),
        summary=_("Moved under %(parent)s") % {"parent": new_parent.name},
    )
    return unit


@transaction.atomic
def archive_unit(actor: Any, unit: OrgUnit) -> OrgUnit:
    """Archive a unit: its objectives stay readable, it takes no new ones."""
    require_admin(actor)
    unit = locked(unit)
    if unit.is_archived:
        raise ValidationError(_("“%(unit)s” is already archived.") % {"unit": unit.name})
    active_children = list(
        unit.children.filter(is_archived=False).order_by("name").values_list("name", flat=True)
    )
    if active_children:
        raise ValidationError(
            _("Archive or move the units inside “%(unit)s” first: %(children)s.")
            % {"unit": unit.name, "children": ", ".join(active_children)}
        )
    return set_archived(actor, unit, archived=True)


@transaction.atomic
def unarchive_unit(actor: Any, unit: OrgUnit) -> OrgUnit:
    """Bring an archived unit back: it takes new objectives again."""
    require_admin(actor)
    unit = locked(unit)
    if not unit.is_archived:
        raise ValidationError(_("“%(unit)s” is not archived.") % {"unit": unit.name})
    parent = unit.parent
    if parent is not None and parent.is_archived:
        raise ValidationError(
            _("Unarchive “%(parent)s” first: “%(unit)s” is inside it.")
            % {"parent": parent.name, "unit": unit.name}
        )
    return set_archived(actor, unit, archived=False)


def set_archived(actor: Any, unit: OrgUnit, *, archived: bool) -> OrgUnit:
    before = snapshot(unit, ["is_archived"])
    unit.is_archived = archived
    unit.save(update_fields=["is_archived"])
    record_change(
        actor=actor,
        action="archive_unit" if archived else "unarchive_unit",
        instance=unit,
        before=before,
        after=snapshot(unit, ["is_archived"]),
        summary=unit.name,
    )
    return unit
