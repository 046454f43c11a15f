"""Say in words what a comment's audit row means, for the objective's change history."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from okrflow.audit.models import AuditEntry
from okrflow.org.models import Person


def sentence(action: str, on_key_result: str | None) -> str:
    if on_key_result is None:
        return {
            "add_comment": _("commented on the objective"),
            "edit_comment": _("edited a comment on the objective"),
            "delete_comment": _("deleted a comment on the objective"),
        }.get(action, "")
    texts = {
        "add_comment": _("commented on the key result “%(title)s”"),
        "edit_comment": _("edited a comment on the key result “%(title)s”"),
        "delete_comment": _("deleted a comment on the key result “%(title)s”"),
    }
    return texts[action] % {"title": on_key_result} if action in texts else ""


def describe_history(entries: list[AuditEntry], kr_titles: dict[int, str]) -> list[AuditEntry]:
    """Give each comment entry a `readable` sentence and the anchor of its comment."""
    mentioned: set[int] = set()
    for entry in entries:
        if entry.object_type == "comment" and entry.action != "delete_comment":
            mentioned |= set((entry.after or {}).get("mentions") or [])
    names = dict(Person.objects.filter(pk__in=mentioned).values_list("pk", "full_name"))
    for entry in entries:
        if entry.object_type != "comment":
            continue
        after: dict[str, Any] = entry.after or {}
        kr_id = after.get("key_result")
        title = None if kr_id is None else kr_titles.get(kr_id, _("(archived key result)"))
        text = sentence(entry.action, title)
        people = [names[pk] for pk in after.get("mentions") or [] if pk in names]
        if people and entry.action != "delete_comment":
            text += _(", mentioning %(names)s") % {"names": ", ".join(people)}
        entry.readable = text  # type: ignore[attr-defined]
        entry.anchor = f"comment-{entry.object_id}"  # type: ignore[attr-defined]
    return entries
