"""Keep the org tree's materialised paths in step with its parent links."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.org.models import OrgUnit


@transaction.atomic
def refresh_unit_paths() -> int:
    """Recompute every unit's path and depth from the parent links; return how many changed."""
    units = {unit.pk: unit for unit in OrgUnit.objects.select_for_update()}
    paths: dict[int, str] = {}

    def path_of(unit_id: int, trail: frozenset[int]) -> str:
        if unit_id in paths:
            return paths[unit_id]
        if unit_id in trail:
            raise ValidationError(_("The org tree cannot contain a loop."))
        parent_id = units[unit_id].parent_id
        prefix = "/" if parent_id is None else path_of(parent_id, trail | {unit_id})
        paths[unit_id] = f"{prefix}{unit_id}/"
        return paths[unit_id]

    changed = []
    for unit in units.values():
        path = path_of(unit.pk, frozenset())
        depth = path.count("/") - 2
        if unit.path != path or unit.depth != depth:
            unit.path, unit.depth = path, depth
            changed.append(unit)
    OrgUnit.objects.bulk_update(changed, ["path", "depth"])
    return len(changed)
