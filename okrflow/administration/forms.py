"""Form fields the administration pages share: choosing units and people by id, safely.

A choice is checked against the exact id strings offered, so "٣" or "3.0" never reads as the
object with id 3, and an unknown id is a form error, not a server error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from okrflow.front.browse_data import with_option_labels
from okrflow.org.models import OrgUnit, Person


class ObjectChoiceField(forms.ChoiceField):
    """Pick one object from a list; `clean` returns the object (or None when left empty)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.objects: dict[str, Any] = {}

    def offer(
        self,
        objects: Iterable[Any],
        label: Callable[[Any], str] = str,
        *,
        also_valid: Iterable[Any] = (),
        empty_label: str = "—",
    ) -> None:
        """Show `objects` as the options; `also_valid` are accepted too without being shown."""
        shown = list(objects)
        self.objects = {str(o.pk): o for o in [*shown, *also_valid]}
        empty = [] if self.required else [("", empty_label)]
        self.choices = empty + [(str(o.pk), label(o)) for o in shown]

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.objects

    def clean(self, value: Any) -> Any:
        key = super().clean(value)
        return self.objects.get(key) if key else None


class ObjectMultipleChoiceField(forms.MultipleChoiceField):
    """Pick several objects from a list; `clean` returns the list of objects."""

    def offer(self, objects: Iterable[Any], label: Callable[[Any], str] = str) -> None:
        shown = list(objects)
        self.objects = {str(o.pk): o for o in shown}
        self.choices = [(str(o.pk), label(o)) for o in shown]

    def clean(self, value: Any) -> Any:
        keys = super().clean(value)
        return [self.objects[key] for key in keys]


def unit_label(unit: OrgUnit) -> str:
    return getattr(unit, "option_label", unit.name)


def open_units() -> list[OrgUnit]:
    """The units something new may be placed in, labelled by depth for a <select>."""
    return with_option_labels(list(OrgUnit.objects.filter(is_archived=False).order_by("path")))


def active_people() -> list[Person]:
    return list(Person.objects.filter(user__is_active=True).order_by("full_name", "pk"))


class TextField(forms.CharField):
    """A text box whose length the action checks, so the message is the action's own."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)


ROLE_CHOICES = [("member", _("Member")), ("admin", _("OKR admin"))]
