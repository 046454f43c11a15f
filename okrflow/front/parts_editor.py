"""The parts of a compound key result in the key result editor (#16).

The editor shows one row per part plus an empty one; "Add a part" posts the form back with one
more row (nothing saved), "Remove" drops a row, "Order" sorts them. Saving runs
`update_key_result` and `set_key_result_parts` in one transaction, so a refused part saves
nothing; the live check runs the same actions and rolls them back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from okrflow.front.errors import apply_errors
from okrflow.front.forms import CompoundForm, KeyResultForm, PartForm
from okrflow.front.params import parse_small_int, version_or_400
from okrflow.okrs.actions import update_key_result
from okrflow.okrs.actions.shapes import set_key_result_parts
from okrflow.okrs.models import Combine, KeyResult, KeyResultPart, KeyResultPartValue

MAX_PART_ROWS = 8


class DryRun(Exception):
    """Raised inside the transaction to undo a check-only run of the actions."""


@dataclass
class PartsEditor:
    """The compound choice and part rows of one key result editor, bound or not."""

    compound: CompoundForm
    rows: list[PartForm]
    locked: bool
    errors: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)


def plain(value: Any) -> str:
    from okrflow.front.templatetags.okrflow import number

    return "" if value is None else str(number(value))


def part_initial(part: KeyResultPart, index: int) -> dict[str, Any]:
    return {
        "label": part.label,
        "shape": part.shape,
        "start_value": plain(part.start_value),
        "target_value": plain(part.target_value),
        "unit": part.unit,
        "start_date": part.start_date,
        "weight": plain(part.weight),
        "position": index + 1,
    }


def parts_editor(kr: KeyResult, data: Any = None) -> PartsEditor:
    """Build the editor's parts section from the stored parts, or from what was posted."""
    locked = KeyResultPartValue.objects.filter(part__key_result=kr).exists()
    if data is not None:
        count = parse_small_int(data.get("part-count"), default=2, low=0, high=MAX_PART_ROWS)
        if data.get("add_part") and count < MAX_PART_ROWS:
            count += 1
        rows = [PartForm(data, prefix=f"part-{index}") for index in range(count)]
        return PartsEditor(CompoundForm(data), rows, locked)
    parts = list(kr.parts.all()) if kr.combine else []
    rows = [
        PartForm(prefix=f"part-{index}", initial=part_initial(part, index))
        for index, part in enumerate(parts)
    ]
    while len(rows) < max(2, len(parts) + 1):
        rows.append(PartForm(prefix=f"part-{len(rows)}", initial={"position": len(rows) + 1}))
    return PartsEditor(CompoundForm(initial={"combine": kr.combine}), rows, locked)


def posted_parts(editor: PartsEditor) -> list[dict[str, Any]] | None:
    """Return the kept rows as the action's parts, in the chosen order; None when a row is bad."""
    kept = [(index, row) for index, row in enumerate(editor.rows) if row.is_kept()]
    if not all([row.is_valid() for _index, row in kept]):
        return None

    def order(item: tuple[int, PartForm]) -> tuple[int, int]:
        index, row = item
        position = row.cleaned_data.get("position")
        return (index + 1 if position is None else position, index)

    return [row.action_fields() for _index, row in sorted(kept, key=order)]


def save_key_result(
    user: Any, kr: KeyResult, form: KeyResultForm, editor: PartsEditor, data: Any, *, dry_run: bool
) -> bool:
    """Check (and unless dry_run, save) the key result and its parts; errors land on the forms."""
    valid = form.is_valid()
    compound_valid = editor.compound.is_valid()
    parts = posted_parts(editor)
    if not (valid and compound_valid) or parts is None:
        return False
    combine = editor.compound.cleaned_data.get("combine") or ""
    missing: list[PartForm] = []
    if not combine and kr.combine:
        editor.compound.add_error(
            "combine", _("A compound key result stays compound; archive it to start again.")
        )
        return False
    if not combine and parts:
        editor.compound.add_error(
            "combine", _("Choose how the parts combine, or leave the parts empty.")
        )
        return False
    if combine == Combine.WEIGHTED:
        missing = [row for row in editor.rows if row.is_kept() and not row.cleaned_data["weight"]]
        for row in missing:
            row.add_error("weight", _("Give each part a weight greater than 0."))
        # Still run the actions (rolled back) so every other error shows at once.
        dry_run = dry_run or bool(missing)
    opened_at = version_or_400(data.get("version"))
    try:
        with transaction.atomic():
            try:
                update_key_result(
                    user,
                    kr,
                    expected_version=kr.version if opened_at is None else opened_at,
                    **form.action_fields(),
                )
            except ValidationError as error:
                apply_errors(form, error)
                return False
            if combine and not editor.locked:
                try:
                    set_key_result_parts(user, kr, combine=combine, parts=parts)
                except ValidationError as error:
                    apply_errors(editor.compound, error)
                    raise DryRun() from error
            if dry_run:
                raise DryRun()
    except DryRun:
        return False
    return not missing


def parts_summary(editor: PartsEditor) -> list[tuple[str, str, str]]:
    """Name the parts section's errors for the failed-save summary (where, message, field id)."""
    summary = [
        (str(editor.compound.fields["combine"].label), str(error), "parts-editor")
        for error in editor.compound.non_field_errors()
    ]
    summary += [
        (
            str(editor.compound.fields["combine"].label),
            str(error),
            editor.compound["combine"].auto_id,
        )
        for error in editor.compound.errors.get("combine", [])
    ]
    for number, row in enumerate(editor.rows, start=1):
        if not row.is_bound or not row.is_kept():
            continue
        for name in row.fields:
            label = _("Part %(number)s") % {"number": number} + f" {row.fields[name].label}"
            summary += [
                (label, str(error), row[name].auto_id) for error in row.errors.get(name, [])
            ]
    return summary


def form_summary(form: KeyResultForm) -> list[tuple[str, str, str]]:
    summary = [
        (_("Key result"), str(error), f"{form.prefix}-row") for error in form.non_field_errors()
    ]
    for name in form.fields:
        summary += [
            (str(form.fields[name].label), str(error), form[name].auto_id)
            for error in form.errors.get(name, [])
        ]
    return summary
