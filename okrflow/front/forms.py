"""Forms of the OKR editor. Numbers stay text here: the actions read them in the user's locale."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from okrflow.front.params import parse_id
from okrflow.okrs.models import Combine, Currency, Direction, ObjectiveKind, Period, Shape
from okrflow.org.access import Access
from okrflow.org.models import OrgUnit, Person, Project

# Which fields each shape needs; the template shows only these (CSS keyed on data-shape).
SHAPE_FIELDS: dict[str, tuple[str, ...]] = {
    Shape.METRIC: ("direction", "start_value", "target_value", "unit"),
    Shape.PERCENTAGE: ("direction", "start_value", "target_value"),
    Shape.CURRENCY: ("direction", "start_value", "target_value", "currency"),
    Shape.THRESHOLD: ("direction", "start_value", "target_value", "unit"),
    Shape.RELATIVE: ("start_value", "relative_change", "baseline_label", "unit"),
    Shape.MILESTONE: (),
    Shape.RECURRING: ("per_period", "period", "unit"),
}
NUMBER_FIELDS = ("start_value", "target_value", "relative_change", "weight", "per_period")


def owner_choices(access: Access) -> list[tuple[str, str]]:
    """Owners this user may write objectives for: themselves, units and projects they lead."""
    choices: list[tuple[str, str]] = []
    if access.person is not None:
        name = access.person.full_name
        choices.append((f"person:{access.person.pk}", _("%(name)s (me)") % {"name": name}))
    units = OrgUnit.objects.filter(is_archived=False).order_by("path")
    if not access.is_admin:
        units = units.filter(pk__in=access.led_unit_ids)
    choices += [(f"unit:{u.pk}", f"{'· ' * u.depth}{u.name}") for u in units]
    projects = Project.objects.filter(is_archived=False)
    if not access.is_admin:
        projects = projects.filter(pk__in=access.led_project_ids)
    choices += [(f"project:{p.pk}", f"◆ {p.name}") for p in projects]
    return choices


def resolve_owner(code: str) -> Any:
    """Turn "person:3", "unit:2" or "project:5" into the owner, or None."""
    kind, _sep, raw = (code or "").partition(":")
    pk = parse_id(raw)
    if pk is None:
        return None
    model = {"person": Person, "unit": OrgUnit, "project": Project}.get(kind)
    return model.objects.filter(pk=pk).first() if model else None


class ObjectiveForm(forms.Form):
    owner = forms.ChoiceField(label=_("Owner"))
    title = forms.CharField(
        label=_("Objective"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. Make our brand-consulting service easy to understand")}
        ),
    )
    description = forms.CharField(
        label=_("Why it matters"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ObjectiveKind.choices, initial=ObjectiveKind.COMMITTED
    )
    is_private = forms.BooleanField(
        label=_("Private (owner, their managers and admins only)"), required=False
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        help_text=_("Comma-separated, e.g. inbound, content, event, email"),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, access: Access, extra_owner: tuple[str, str] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = owner_choices(access)
        if extra_owner and extra_owner[0] not in dict(choices):
            choices.insert(0, extra_owner)
        self.fields["owner"].choices = choices

    def tag_list(self) -> list[str]:
        return [t.strip() for t in self.cleaned_data.get("tags", "").split(",") if t.strip()]


class KeyResultForm(forms.Form):
    title = forms.CharField(
        label=_("Key result"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"placeholder": _("e.g. Grow fanpage followers from 6,500 to 10,000")}
        ),
    )
    shape = forms.ChoiceField(label=_("Shape"), choices=Shape.choices, initial=Shape.METRIC)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices, required=False)
    start_value = forms.CharField(label=_("Start"), required=False, max_length=40)
    target_value = forms.CharField(label=_("Target"), required=False, max_length=40)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=50)
    currency = forms.ChoiceField(label=_("Currency"), choices=Currency.choices, required=False)
    relative_change = forms.CharField(label=_("Change (%)"), required=False, max_length=20)
    baseline_label = forms.CharField(label=_("Compared with"), required=False, max_length=100)
    per_period = forms.CharField(label=_("Times"), required=False, max_length=6)
    period = forms.ChoiceField(label=_("Per"), choices=Period.choices, required=False)
    due_date = forms.DateField(
        label=_("Due date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    weight = forms.CharField(label=_("Weight"), required=False, initial="1", max_length=10)
    # #16: a key result that starts mid-cycle, and the slot a recurring one keeps.
    start_date = forms.DateField(
        label=_("Starts on"),
        required=False,
        help_text=_("Leave empty to start with the cycle."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    slot_weekday = forms.TypedChoiceField(
        label=_("Slot: weekday"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", "—"),
            (0, _("Monday")),
            (1, _("Tuesday")),
            (2, _("Wednesday")),
            (3, _("Thursday")),
            (4, _("Friday")),
            (5, _("Saturday")),
            (6, _("Sunday")),
        ],
    )
    slot_hour = forms.CharField(label=_("Slot: hour"), required=False, max_length=2)
    slot_day_of_month = forms.CharField(
        label=_("Slot: day of the month"), required=False, max_length=2
    )

    def is_blank(self) -> bool:
        """Tell whether the person left this key result row empty (it is then skipped)."""
        return not (self.data.get(self.add_prefix("title"), "") or "").strip()

    def action_fields(self) -> dict[str, Any]:
        """Return the fields the shape needs, as keyword arguments for create_key_result."""
        data = self.cleaned_data
        shape = data["shape"]
        fields: dict[str, Any] = {
            "title": data["title"],
            "shape": shape,
            "due_date": data.get("due_date"),
        }
        fields["weight"] = data.get("weight") or "1"
        fields["start_date"] = data.get("start_date")
        for name in ("slot_weekday", "slot_hour", "slot_day_of_month"):
            fields[name] = data.get(name) if data.get(name) not in ("", None) else None
        for name in SHAPE_FIELDS.get(shape, ()):
            fields[name] = data.get(name) or (
                "" if name in ("unit", "baseline_label", "currency", "period") else None
            )
        if fields.get("direction") == "":
            fields["direction"] = None
        if shape == Shape.THRESHOLD and not fields.get("direction"):
            fields["direction"] = Direction.AT_LEAST
        return fields


class TargetChangeForm(forms.Form):
    new_target = forms.CharField(label=_("New target"), max_length=40)
    reason = forms.CharField(
        label=_("Why the target changes"), widget=forms.Textarea(attrs={"rows": 2})
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


PART_SHAPE_CHOICES = [
    (value, label)
    for value, label in Shape.choices
    if value in (Shape.METRIC, Shape.PERCENTAGE, Shape.CURRENCY, Shape.THRESHOLD, Shape.MILESTONE)
]


class CompoundForm(forms.Form):
    """Whether the key result is compound (#16), and how its parts make its progress."""

    combine = forms.ChoiceField(
        label=_("Parts"),
        required=False,
        choices=[
            ("", _("One measure (not compound)")),
            (Combine.WEAKEST, _("Compound: progress is the weakest part")),
            (Combine.WEIGHTED, _("Compound: progress is the weighted mean of the parts")),
        ],
    )


class PartForm(forms.Form):
    """One part of a compound key result in the editor; an empty row is skipped."""

    label = forms.CharField(label=_("Part"), required=False, max_length=200)
    shape = forms.ChoiceField(label=_("Shape"), choices=PART_SHAPE_CHOICES, initial=Shape.METRIC)
    start_value = forms.CharField(label=_("Start"), required=False, max_length=40)
    target_value = forms.CharField(label=_("Target"), required=False, max_length=40)
    unit = forms.CharField(label=_("Unit"), required=False, max_length=50)
    start_date = forms.DateField(
        label=_("Starts on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    weight = forms.CharField(label=_("Weight"), required=False, max_length=10)
    position = forms.IntegerField(label=_("Order"), required=False, min_value=0, max_value=99)
    remove = forms.BooleanField(label=_("Remove"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        number = int((self.prefix or "part-0").rpartition("-")[2] or 0) + 1
        for field in self.fields.values():
            field.widget.attrs["aria-label"] = _("Part %(number)s: %(field)s") % {
                "number": number,
                "field": field.label,
            }

    def is_blank(self) -> bool:
        keys = ("label", "start_value", "target_value", "unit", "weight")
        return not any((self.data.get(self.add_prefix(k), "") or "").strip() for k in keys)

    def is_kept(self) -> bool:
        return not self.is_blank() and self.data.get(self.add_prefix("remove")) in (None, "")

    def action_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "label": data.get("label", ""),
            "shape": data.get("shape") or Shape.METRIC,
            "start_value": data.get("start_value") or None,
            "target_value": data.get("target_value") or None,
            "unit": data.get("unit", ""),
            "start_date": data.get("start_date"),
            "weight": data.get("weight") or None,
        }
