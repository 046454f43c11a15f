"""The projects page: list, create and edit projects, change lead and members, archive them."""

from __future__ import annotations

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
    ObjectMultipleChoiceField,
    TextField,
    active_people,
    open_units,
    unit_label,
)
from okrflow.administration.views.responses import form_page, not_saved, refused, saved
from okrflow.front.browse_data import with_option_labels
from okrflow.org.actions import create_project
from okrflow.org.actions_projects import set_project_archived, update_project
from okrflow.org.models import Project


class ProjectForm(forms.Form):
    name = TextField(label=gettext_lazy("Project name"))
    description = TextField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 3})
    )
    lead = ObjectChoiceField(label=gettext_lazy("Project lead"), required=False)
    members = ObjectMultipleChoiceField(
        label=gettext_lazy("Members"),
        required=False,
        help_text=gettext_lazy("Hold Ctrl (⌘ on a Mac) to choose several."),
    )
    unit = ObjectChoiceField(label=gettext_lazy("Unit"), required=False)

    def __init__(self, *args: Any, project: Project | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = active_people()
        units = open_units()
        if project is not None:
            # Keep today's lead, members and unit choosable even if deactivated or archived since.
            known = {p.pk for p in people}
            people += [p for p in [project.lead, *project.members.all()] if p.pk not in known]
            if project.unit and project.unit.pk not in {u.pk for u in units}:
                units.append(with_option_labels([project.unit])[0])
        self.fields["lead"].offer(people, empty_label=_("— choose the lead —"))
        self.fields["members"].offer(people)
        self.fields["unit"].offer(units, unit_label, empty_label=_("— no unit —"))

    def action_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "description": data["description"],
            "lead": data["lead"],
            "members": data["members"],
            "unit": data["unit"],
        }


def projects_url() -> str:
    return reverse("administration:projects")


@require_GET
@admin_required
def project_list(request: HttpRequest) -> HttpResponse:
    """List every project with its lead, unit and member count, archived ones last."""
    projects = (
        Project.objects.select_related("lead", "unit")
        .annotate(member_count=Count("members", distinct=True))
        .order_by("is_archived", "name", "pk")
    )
    return render(
        request, "administration/projects.html", {"section": "projects", "projects": projects}
    )


@require_http_methods(["GET", "POST"])
@admin_required
def create(request: HttpRequest) -> HttpResponse:
    """Add a project, such as a marketing campaign, that can own OKRs."""
    form = ProjectForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fields = form.action_fields()
        try:
            if fields["lead"] is None:
                raise ValidationError({"lead": _("Choose the project's lead.")})
            project = create_project(request.user, **fields)
        except ValidationError as error:
            refused(form, error)
        else:
            return saved(
                request, projects_url(), _("“%(name)s” was added.") % {"name": project.name}
            )
    return form_page(
        request,
        "administration/project_create.html",
        "administration/_project_create_form.html",
        {"section": "projects", "form": form},
    )


def project_or_404(project_id: int) -> Project:
    return get_object_or_404(Project.objects.select_related("lead", "unit"), pk=project_id)


@require_http_methods(["GET", "POST"])
@admin_required
def edit(request: HttpRequest, project_id: int) -> HttpResponse:
    """Change a project's name, description, lead, members and unit."""
    project = project_or_404(project_id)
    initial = {
        "name": project.name,
        "description": project.description,
        "lead": str(project.lead_id),
        "members": [str(pk) for pk in project.members.values_list("pk", flat=True)],
        "unit": str(project.unit_id or ""),
    }
    form = ProjectForm(request.POST or None, project=project, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            update_project(request.user, project, **form.action_fields())
        except ValidationError as error:
            refused(form, error)
        else:
            return saved(
                request, projects_url(), _("“%(name)s” was saved.") % {"name": project.name}
            )
    return form_page(
        request,
        "administration/project_edit.html",
        "administration/_project_edit_form.html",
        {"section": "projects", "form": form, "project": project},
    )


@require_POST
@admin_required
def archive(request: HttpRequest, project_id: int) -> HttpResponse:
    """Archive the project: its OKRs stay readable, it takes no new ones."""
    return change_archived(request, project_id, archived=True)


@require_POST
@admin_required
def unarchive(request: HttpRequest, project_id: int) -> HttpResponse:
    """Bring the project back from the archive."""
    return change_archived(request, project_id, archived=False)


def change_archived(request: HttpRequest, project_id: int, *, archived: bool) -> HttpResponse:
    project = project_or_404(project_id)
    try:
        set_project_archived(request.user, project, archived=archived)
    except ValidationError as error:
        return not_saved(request, projects_url(), " ".join(error.messages))
    message = _("“%(name)s” was archived.") if archived else _("“%(name)s” is back.")
    return saved(request, projects_url(), message % {"name": project.name})
