"""The org tree page: see the company's units as a tree; create, rename, move, lead, archive."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from okrflow.administration.decorators import admin_required
from okrflow.administration.forms import (
    ObjectChoiceField,
    TextField,
    active_people,
    open_units,
    unit_label,
)
from okrflow.administration.views.responses import form_page, refused, saved
from okrflow.engine.text import fold
from okrflow.front.params import parse_id
from okrflow.org.actions import create_unit, set_unit_lead
from okrflow.org.actions_units import archive_unit, move_unit, rename_unit, unarchive_unit
from okrflow.org.models import OrgUnit


class UnitForm(forms.Form):
    name = TextField(label=gettext_lazy("Unit name"))
    parent = ObjectChoiceField(label=gettext_lazy("Inside"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].offer(open_units(), unit_label, empty_label=_("— top of the tree —"))


class RenameForm(forms.Form):
    name = TextField(label=gettext_lazy("Unit name"))


class MoveForm(forms.Form):
    parent = ObjectChoiceField(label=gettext_lazy("Move under"))

    def __init__(self, *args: Any, unit: OrgUnit, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = open_units()
        # Units inside this one are not offered; the action still refuses them if sent.
        shown = [u for u in units if not u.path.startswith(unit.path) and u.pk != unit.parent_id]
        self.fields["parent"].offer(shown, unit_label, also_valid=units)


class LeadForm(forms.Form):
    lead = ObjectChoiceField(label=gettext_lazy("Unit lead"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead"].offer(active_people(), empty_label=_("— no lead —"))


@dataclass
class Node:
    unit: OrgUnit
    children: list[Node] = field(default_factory=list)


def unit_tree() -> list[Node]:
    """Return the root units with their children nested, siblings by name (one query)."""
    units = (
        OrgUnit.objects.select_related("lead")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("depth", "path")
    )
    nodes: dict[int, Node] = {}
    roots: list[Node] = []
    for unit in units:
        node = nodes[unit.pk] = Node(unit)
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent.children if parent else roots).append(node)
    for node in nodes.values():
        node.children.sort(key=lambda child: fold(child.unit.name))
    return roots


def tree_url() -> str:
    return reverse("administration:units")


def edit_url(unit: OrgUnit) -> str:
    return reverse("administration:unit_edit", args=[unit.pk])


@require_GET
@admin_required
def tree(request: HttpRequest) -> HttpResponse:
    """Show the org tree with what each unit holds."""
    return render(request, "administration/units.html", {"section": "units", "roots": unit_tree()})


@require_http_methods(["GET", "POST"])
@admin_required
def create(request: HttpRequest) -> HttpResponse:
    """Add a unit under another (or at the top of the tree)."""
    asked = parse_id(request.GET.get("parent"))
    form = UnitForm(request.POST or None, initial={"parent": str(asked) if asked else ""})
    if request.method == "POST" and form.is_valid():
        try:
            unit = create_unit(
                request.user, name=form.cleaned_data["name"], parent=form.cleaned_data["parent"]
            )
        except ValidationError as error:
            refused(form, error)
        else:
            return saved(request, tree_url(), _("“%(name)s” was added.") % {"name": unit.name})
    context = {"section": "units", "form": form}
    return form_page(
        request, "administration/unit_create.html", "administration/_unit_create_form.html", context
    )


def unit_or_404(unit_id: int) -> OrgUnit:
    return get_object_or_404(OrgUnit.objects.select_related("parent", "lead"), pk=unit_id)


def edit_context(unit: OrgUnit, **forms_given: Any) -> dict[str, Any]:
    return {
        "section": "units",
        "unit": unit,
        "rename_form": forms_given.get("rename") or RenameForm(initial={"name": unit.name}),
        "move_form": forms_given.get("move") or MoveForm(unit=unit),
        "lead_form": forms_given.get("lead") or LeadForm(initial={"lead": str(unit.lead_id or "")}),
        "archive_error": forms_given.get("archive_error", ""),
        "active_children": unit.children.filter(is_archived=False).count(),
        "objective_count": unit.objectives.count(),
    }


@require_GET
@admin_required
def edit(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Show one unit's settings: name, place in the tree, lead, archiving."""
    unit = unit_or_404(unit_id)
    return render(request, "administration/unit_edit.html", edit_context(unit))


def answer_error(
    request: HttpRequest, unit: OrgUnit, partial: str, **forms_given: Any
) -> HttpResponse:
    context = edit_context(unit, **forms_given)
    return form_page(request, "administration/unit_edit.html", partial, context)


@require_POST
@admin_required
def rename(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Give the unit a new name."""
    unit = unit_or_404(unit_id)
    form = RenameForm(request.POST)
    if form.is_valid():
        try:
            rename_unit(request.user, unit, form.cleaned_data["name"])
        except ValidationError as error:
            refused(form, error)
        else:
            return saved(request, edit_url(unit), _("The unit was renamed."))
    return answer_error(request, unit, "administration/_unit_rename_form.html", rename=form)


@require_POST
@admin_required
def move(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Move the unit, with everything inside it, under another unit."""
    unit = unit_or_404(unit_id)
    form = MoveForm(request.POST, unit=unit)
    if form.is_valid():
        try:
            moved = move_unit(request.user, unit, form.cleaned_data["parent"])
        except ValidationError as error:
            refused(form, error)
        else:
            message = _("“%(unit)s” is now under “%(parent)s”.") % {
                "unit": moved.name,
                "parent": form.cleaned_data["parent"].name,
            }
            return saved(request, edit_url(unit), message)
    return answer_error(request, unit, "administration/_unit_move_form.html", move=form)


@require_POST
@admin_required
def lead(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Choose who leads the unit (or nobody)."""
    unit = unit_or_404(unit_id)
    form = LeadForm(request.POST)
    if form.is_valid():
        try:
            set_unit_lead(request.user, unit, form.cleaned_data["lead"])
        except ValidationError as error:
            refused(form, error)
        else:
            return saved(request, edit_url(unit), _("The unit's lead was saved."))
    return answer_error(request, unit, "administration/_unit_lead_form.html", lead=form)


@require_POST
@admin_required
def archive(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Archive the unit: its objectives stay readable, it takes no new ones."""
    return change_archived(request, unit_id, archived=True)


@require_POST
@admin_required
def unarchive(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Bring the unit back from the archive."""
    return change_archived(request, unit_id, archived=False)


def change_archived(request: HttpRequest, unit_id: int, *, archived: bool) -> HttpResponse:
    unit = unit_or_404(unit_id)
    try:
        if archived:
            archive_unit(request.user, unit)
        else:
            unarchive_unit(request.user, unit)
    except ValidationError as error:
        message = " ".join(error.messages)
        return answer_error(
            request, unit, "administration/_unit_archive_form.html", archive_error=message
        )
    message = _("“%(name)s” was archived.") if archived else _("“%(name)s” is back.")
    return saved(request, edit_url(unit), message % {"name": unit.name})
