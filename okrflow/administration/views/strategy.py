"""The strategy page: mission and vision, core values and strategic themes (issue #16)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from okrflow.administration.decorators import admin_required
from okrflow.administration.forms import TextField
from okrflow.administration.views.responses import form_page, not_saved, refused, saved
from okrflow.org.models import Organisation
from okrflow.strategy.actions import (
    create_strategy_item,
    move_strategy_item,
    set_mission_and_vision,
    set_strategy_item_archived,
    update_strategy_item,
)
from okrflow.strategy.models import ItemKind, Statement, StrategyItem


class StatementForm(forms.Form):
    mission = TextField(label=gettext_lazy("Mission"), widget=forms.Textarea(attrs={"rows": 2}))
    mission_en = TextField(
        label=gettext_lazy("Mission (English)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    vision = TextField(label=gettext_lazy("Vision"), widget=forms.Textarea(attrs={"rows": 2}))
    vision_en = TextField(
        label=gettext_lazy("Vision (English)"), widget=forms.Textarea(attrs={"rows": 2})
    )


class ItemForm(forms.Form):
    name = TextField(label=gettext_lazy("Name"))
    name_en = TextField(
        label=gettext_lazy("Name (English)"),
        help_text=gettext_lazy("Shown to people who read okrflow in English."),
    )
    description = TextField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 2})
    )
    description_en = TextField(
        label=gettext_lazy("Description (English)"), widget=forms.Textarea(attrs={"rows": 2})
    )


def strategy_url() -> str:
    return reverse("administration:strategy")


def statement_form(data: Any = None) -> StatementForm:
    statement = Statement.objects.filter(organisation=Organisation.current()).first()
    initial = {}
    if statement is not None:
        initial = {
            "mission": statement.mission,
            "mission_en": statement.mission_en,
            "vision": statement.vision,
            "vision_en": statement.vision_en,
        }
    return StatementForm(data, initial=initial)


def page(request: HttpRequest, form: StatementForm) -> HttpResponse:
    items = list(StrategyItem.objects.filter(organisation=Organisation.current()))
    return render(
        request,
        "administration/strategy.html",
        {
            "section": "strategy",
            "form": form,
            "values": [item for item in items if item.kind == ItemKind.VALUE],
            "themes": [item for item in items if item.kind == ItemKind.THEME],
        },
    )


@require_GET
@admin_required
def strategy_page(request: HttpRequest) -> HttpResponse:
    """Show mission and vision to edit, and the core values and themes in their order."""
    return page(request, statement_form())


@require_POST
@admin_required
def statement(request: HttpRequest) -> HttpResponse:
    """Save the mission and vision."""
    form = statement_form(request.POST)
    if form.is_valid():
        try:
            set_mission_and_vision(request.user, **form.cleaned_data)
        except ValidationError as error:
            refused(form, error)
        else:
            return saved(request, strategy_url(), _("The mission and vision were saved."))
    return page(request, form)


def kind_or_404(kind: str) -> str:
    if kind not in ItemKind.values:
        raise Http404
    return kind


@require_http_methods(["GET", "POST"])
@admin_required
def create(request: HttpRequest, kind: str) -> HttpResponse:
    """Add a core value or a strategic theme."""
    kind = kind_or_404(kind)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = create_strategy_item(request.user, kind=kind, **form.cleaned_data)
        except ValidationError as error:
            refused(form, error)
        else:
            return saved(request, strategy_url(), _("“%(name)s” was added.") % {"name": item.name})
    return form_page(
        request,
        "administration/strategy_item.html",
        "administration/_strategy_item_form.html",
        {
            "section": "strategy",
            "form": form,
            "kind": kind,
            "action": reverse("administration:strategy_item_create", args=[kind]),
            "heading": _("Add a core value") if kind == ItemKind.VALUE else _("Add a theme"),
        },
    )


def item_or_404(item_id: int) -> StrategyItem:
    return get_object_or_404(StrategyItem, pk=item_id, organisation=Organisation.current())


@require_http_methods(["GET", "POST"])
@admin_required
def edit(request: HttpRequest, item_id: int) -> HttpResponse:
    """Rename or describe a core value or theme."""
    item = item_or_404(item_id)
    initial = {
        "name": item.name,
        "name_en": item.name_en,
        "description": item.description,
        "description_en": item.description_en,
    }
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_strategy_item(request.user, item, **form.cleaned_data)
        except ValidationError as error:
            refused(form, error)
        else:
            return saved(request, strategy_url(), _("“%(name)s” was saved.") % {"name": item.name})
    return form_page(
        request,
        "administration/strategy_item.html",
        "administration/_strategy_item_form.html",
        {
            "section": "strategy",
            "form": form,
            "item": item,
            "kind": item.kind,
            "action": reverse("administration:strategy_item_edit", args=[item.pk]),
            "heading": item.name,
        },
    )


def change(request: HttpRequest, item_id: int, run: Any, message: str) -> HttpResponse:
    item = item_or_404(item_id)
    try:
        run(item)
    except ValidationError as error:
        return not_saved(request, strategy_url(), " ".join(error.messages))
    return saved(request, strategy_url(), message % {"name": item.name})


@require_POST
@admin_required
def archive(request: HttpRequest, item_id: int) -> HttpResponse:
    """Archive a value or theme: objectives keep naming it, new ones cannot."""
    return change(
        request,
        item_id,
        lambda item: set_strategy_item_archived(request.user, item, archived=True),
        _("“%(name)s” was archived."),
    )


@require_POST
@admin_required
def unarchive(request: HttpRequest, item_id: int) -> HttpResponse:
    return change(
        request,
        item_id,
        lambda item: set_strategy_item_archived(request.user, item, archived=False),
        _("“%(name)s” is back."),
    )


@require_POST
@admin_required
def move_up(request: HttpRequest, item_id: int) -> HttpResponse:
    return change(
        request,
        item_id,
        lambda item: move_strategy_item(request.user, item, step=-1),
        _("“%(name)s” was moved up."),
    )


@require_POST
@admin_required
def move_down(request: HttpRequest, item_id: int) -> HttpResponse:
    return change(
        request,
        item_id,
        lambda item: move_strategy_item(request.user, item, step=1),
        _("“%(name)s” was moved down."),
    )
