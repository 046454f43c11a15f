"""Tell an objective's change history in sentences, in the reader's language.

The audit rows keep action codes and raw field values; a reader gets "changed the target of
“Leads” from 10,000 to 8,000", dates and numbers as their language writes them, and a week's
value updates in one line rather than one line per value.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from okrflow.audit.models import AuditEntry
from okrflow.engine.numbers import format_number

OBJECTIVE_ACTIONS = {
    "create_objective": gettext_lazy("created the objective"),
    "archive_objective": gettext_lazy("archived the objective"),
    "duplicate_objective": gettext_lazy("created the objective as a copy"),
    "propose_objective": gettext_lazy("proposed the objective for agreement"),
    "agree_objective": gettext_lazy("agreed the objective"),
    "return_objective": gettext_lazy("sent the objective back"),
    "hand_over_objective": gettext_lazy("handed the objective over to a new owner"),
}
SHARING_ACTIONS = {
    "add_co_owner": gettext_lazy("added %(name)s as a co-owner"),
    "remove_co_owner": gettext_lazy("removed %(name)s as a co-owner"),
    "follow": gettext_lazy("%(name)s follows it"),
    "unfollow": gettext_lazy("%(name)s no longer follows it"),
}
FIELD_LABELS = {
    "title": gettext_lazy("the title"),
    "description": gettext_lazy("the description"),
    "kind": gettext_lazy("the kind"),
    "is_private": gettext_lazy("who may see it"),
    "owner_person": gettext_lazy("the owner"),
    "owner_unit": gettext_lazy("the owner"),
    "owner_project": gettext_lazy("the owner"),
    "owner": gettext_lazy("the owner"),
    "tags": gettext_lazy("the tags"),
    "target_value": gettext_lazy("the target"),
    "start_value": gettext_lazy("the starting value"),
    "relative_change": gettext_lazy("the change to reach"),
    "unit": gettext_lazy("the unit"),
    "direction": gettext_lazy("the direction"),
    "due_date": gettext_lazy("the deadline"),
    "weight": gettext_lazy("the weight"),
    "shape": gettext_lazy("the kind of measure"),
    "per_period": gettext_lazy("the count per period"),
    "period": gettext_lazy("the period"),
    "currency": gettext_lazy("the currency"),
    "baseline_label": gettext_lazy("the baseline"),
}
# Values a reader can follow as "from A to B"; the other fields are only named as changed.
SHOWN_VALUES = {"title", "target_value", "start_value", "relative_change", "unit", "due_date"}
SHOWN_VALUES |= {"weight", "per_period"}


@dataclass
class HistoryLine:
    """One line of the history: when, who, what (and, for a week of values, each value)."""

    at: datetime.datetime
    actors: list[Any]
    text: str
    anchor: str = ""
    details: list[str] = field(default_factory=list)


def language() -> str:
    return (get_language() or "vi")[:2]


def readable_value(name: str, value: Any) -> str:
    """Show a stored value as the reader's language writes it (1E+4 → 10.000 / 10,000)."""
    if value is None or value == "":
        return "–"
    if name.endswith("_date") or name == "measured_on":
        try:
            return formats.date_format(datetime.date.fromisoformat(str(value)), "SHORT_DATE_FORMAT")
        except ValueError:
            return str(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float | Decimal) or (isinstance(value, str) and value[:1].isdigit()):
        try:
            return format_number(Decimal(str(value)), language())
        except (InvalidOperation, ValueError):
            return str(value)
    return f"“{value}”"


def field_changes(entry: AuditEntry) -> list[str]:
    """Say what an update changed: "the target from 100 to 120", "the description"."""
    parts = []
    seen: set[str] = set()
    for name, (old, new) in entry.changed_fields().items():
        label = FIELD_LABELS.get(name)
        if label is None or str(label) in seen:
            continue
        seen.add(str(label))
        if name in SHOWN_VALUES:
            parts.append(
                _("%(field)s from %(old)s to %(new)s")
                % {
                    "field": label,
                    "old": readable_value(name, old),
                    "new": readable_value(name, new),
                }
            )
        elif name == "is_private":
            parts.append(_("made it private") if new else _("made it visible to everyone"))
        else:
            parts.append(str(label))
    return parts


def key_result_sentence(entry: AuditEntry, title: str) -> str:
    after: dict[str, Any] = entry.after or {}
    before: dict[str, Any] = entry.before or {}
    names = {"title": title}
    if entry.action == "create_key_result":
        return _("added the key result “%(title)s”") % names
    if entry.action == "move_key_result":
        return _("moved the key result “%(title)s”") % names
    if entry.action == "change_key_result_target":
        text = _("changed the target of “%(title)s” from %(old)s to %(new)s") % {
            **names,
            "old": readable_value("target_value", before.get("target_value")),
            "new": readable_value("target_value", after.get("target_value")),
        }
        reason = after.get("reason")
        return f"{text}: {reason}" if reason else text
    if entry.action == "correct_part_value":
        text = _(
            "corrected the part “%(part)s” of “%(title)s” on %(day)s from %(old)s to %(new)s"
        ) % {
            **names,
            "part": after.get("label", ""),
            "day": readable_value("measured_on", after.get("measured_on")),
            "old": readable_value("value", before.get("value")),
            "new": readable_value("value", after.get("value")),
        }
        note = after.get("note")
        return f"{text}: {note}" if note else text
    if entry.action == "set_key_result_parts":
        return _("set the parts of “%(title)s”") % names
    if entry.action == "record_part_values":
        return _("recorded values of the parts of “%(title)s”") % names
    if entry.action in SHARING_ACTIONS:
        return (
            f"{SHARING_ACTIONS[entry.action] % {'name': after.get('person_name', '')}} · “{title}”"
        )
    changes = field_changes(entry)
    if changes:
        return _("changed %(changes)s of “%(title)s”") % {**names, "changes": ", ".join(changes)}
    return _("edited the key result “%(title)s”") % names


def objective_sentence(entry: AuditEntry) -> str:
    if entry.action in OBJECTIVE_ACTIONS:
        return str(OBJECTIVE_ACTIONS[entry.action])
    if entry.action in SHARING_ACTIONS:
        return SHARING_ACTIONS[entry.action] % {"name": (entry.after or {}).get("person_name", "")}
    changes = field_changes(entry)
    if changes:
        return _("changed %(changes)s") % {"changes": ", ".join(changes)}
    return _("edited the objective")


def alignment_sentence(entry: AuditEntry) -> str:
    child, _arrow, parent = entry.summary.replace("↛", "→").partition(" → ")
    names = {"child": child, "parent": parent}
    if entry.action == "unalign_objective":
        return _("removed the link from “%(child)s” to “%(parent)s”") % names
    return _("aligned “%(child)s” to “%(parent)s”") % names


def week_start(moment: datetime.datetime) -> datetime.date:
    day = timezone.localtime(moment).date()
    return day - datetime.timedelta(days=day.weekday())


def value_line(entries: list[AuditEntry], kr_titles: dict[int, str]) -> HistoryLine:
    """One line for a week's value updates, newest first, one detail per key result."""
    by_key_result: dict[int, list[AuditEntry]] = {}
    for entry in entries:
        by_key_result.setdefault(entry.object_id, []).append(entry)
    details = []
    for kr_id, rows in by_key_result.items():
        newest, oldest = rows[0], rows[-1]
        details.append(
            _("“%(title)s”: %(old)s → %(new)s")
            % {
                "title": kr_titles.get(kr_id, _("(archived key result)")),
                "old": readable_value("value", (oldest.before or {}).get("current_value")),
                "new": readable_value("value", (newest.after or {}).get("current_value")),
            }
        )
    actors = list({entry.actor_id: entry.actor for entry in entries}.values())
    week = formats.date_format(week_start(entries[0].at), "SHORT_DATE_FORMAT")
    if len(entries) == 1:
        text = _("recorded a value: %(change)s") % {"change": details[0]}
        details = []
    elif len(details) == 1:
        text = _("recorded %(count)s values in the week of %(week)s: %(change)s") % {
            "count": len(entries),
            "week": week,
            "change": details[0],
        }
        details = []
    else:
        text = _("recorded %(count)s values on %(krs)s key results in the week of %(week)s") % {
            "count": len(entries),
            "krs": len(details),
            "week": week,
        }
    return HistoryLine(entries[0].at, actors, text, details=details)


def history_lines(entries: list[AuditEntry], kr_titles: dict[int, str]) -> list[HistoryLine]:
    """Turn audit rows (newest first, comments already `readable`) into history lines."""
    lines: list[HistoryLine] = []
    weeks: dict[datetime.date, list[AuditEntry]] = {}
    week_slot: dict[datetime.date, int] = {}
    for entry in entries:
        if entry.action == "record_key_result_value":
            week = week_start(entry.at)
            if week not in weeks:
                week_slot[week] = len(lines)
                lines.append(HistoryLine(entry.at, [], ""))  # filled once the week is known
            weeks.setdefault(week, []).append(entry)
            continue
        if entry.object_type == "comment":
            text = getattr(entry, "readable", "")
            anchor = getattr(entry, "anchor", "")
        elif entry.object_type == "keyresult":
            title = kr_titles.get(entry.object_id) or entry.summary
            text, anchor = key_result_sentence(entry, title), ""
        elif entry.object_type == "alignment":
            text, anchor = alignment_sentence(entry), ""
        else:
            text, anchor = objective_sentence(entry), ""
        lines.append(HistoryLine(entry.at, [entry.actor], text, anchor))
    for week, rows in weeks.items():
        lines[week_slot[week]] = value_line(rows, kr_titles)
    return lines
