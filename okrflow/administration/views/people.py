"""The people page: find, add and edit people; deactivate them, handing their work over."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from okrflow.administration.decorators import admin_required
from okrflow.administration.forms import (
    ROLE_CHOICES,
    ObjectChoiceField,
    TextField,
    active_people,
    open_units,
    unit_label,
)
from okrflow.administration.views.responses import form_page, not_saved, refused, saved
from okrflow.front.browse_data import pager_links, with_option_labels
from okrflow.front.folding import Folded, folded_contains
from okrflow.org.actions import create_person
from okrflow.org.actions_people import (
    deactivate_person,
    direct_reports,
    led_projects,
    open_initiatives,
    open_key_results,
    open_objectives,
    reactivate_person,
    update_person,
)
from okrflow.org.models import Language, OrgUnit, Person

PEOPLE_PER_PAGE = 50
STATUS_CHOICES = {"active": gettext_lazy("Active"), "deactivated": gettext_lazy("Deactivated")}


class PersonForm(forms.Form):
    full_name = TextField(label=gettext_lazy("Full name"))
    email = TextField(label=gettext_lazy("Email"))
    username = TextField(
        label=gettext_lazy("Username"), help_text=gettext_lazy("Leave empty to use the email.")
    )
    job_title = TextField(label=gettext_lazy("Job title"))
    unit = ObjectChoiceField(label=gettext_lazy("Unit"), required=False)
    manager = ObjectChoiceField(label=gettext_lazy("Manager"), required=False)
    role = forms.ChoiceField(label=gettext_lazy("Role"), choices=ROLE_CHOICES, initial="member")
    language = forms.ChoiceField(
        label=gettext_lazy("Language"), choices=Language.choices, initial=Language.VIETNAMESE
    )

    def __init__(self, *args: Any, person: Person | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = open_units()
        if person is not None:
            del self.fields["username"]
        # A person may stay in a unit archived since, or keep a manager deactivated since: the
        # current choice stays offered so saving other fields does not silently drop it.
        if person is not None and person.unit and person.unit.pk not in {u.pk for u in units}:
            units.append(with_option_labels([person.unit])[0])
        managers = [p for p in active_people() if person is None or p.pk != person.pk]
        if person is not None and person.manager and person.manager not in managers:
            managers.append(person.manager)
        self.fields["unit"].offer(units, unit_label)
        self.fields["manager"].offer(managers)

    def action_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        fields = {
            "full_name": data["full_name"],
            "email": data["email"],
            "job_title": data["job_title"],
            "unit": data["unit"],
            "manager": data["manager"],
            "is_admin": data["role"] == "admin",
            "language": data["language"],
        }
        if "username" in data:
            fields["username"] = data["username"]
        return fields


class DeactivateForm(forms.Form):
    hand_to = ObjectChoiceField(label=gettext_lazy("Hand their work to"), required=False)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        others = [p for p in active_people() if p.pk != person.pk]
        self.fields["hand_to"].offer(others, empty_label=_("— choose a person —"))


def people_url() -> str:
    return reverse("administration:people_list")


def filtered_people(request: HttpRequest, units: list[OrgUnit]) -> tuple[Any, dict[str, Any]]:
    """Return the people matching the list's filters, and the filters as read."""
    query = request.GET.get("q", "").strip()
    asked_unit = request.GET.get("unit", "")
    unit = next((u for u in units if str(u.pk) == asked_unit), None)
    role = request.GET.get("role", "")
    role = role if role in dict(ROLE_CHOICES) else ""
    status = request.GET.get("status", "")
    status = status if status in STATUS_CHOICES else ""
    people = Person.objects.select_related("unit", "manager", "user")
    if query:
        people = people.filter(
            folded_contains(["full_name", "user__username", "user__email", "job_title"], query)
        )
    if unit is not None:
        people = people.filter(unit__path__startswith=unit.path)
    if role:
        people = people.filter(is_admin=role == "admin")
    if status:
        people = people.filter(user__is_active=status == "active")
    filters = {"q": query, "unit": unit.pk if unit else "", "role": role, "status": status}
    return people.order_by(Folded("full_name"), "pk"), filters


@require_GET
@admin_required
def people_list(request: HttpRequest) -> HttpResponse:
    """List everyone, searchable by name, email or username and filtered by unit, role, status."""
    units = with_option_labels(list(OrgUnit.objects.order_by("path")))
    people, filters = filtered_people(request, units)
    page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "administration/people.html",
        {
            "section": "people",
            "page": page,
            "people": list(page.object_list),
            "page_links": pager_links(page, filters),
            "units": units,
            "filters": filters,
            "filtered": any(filters.values()),
            "roles": ROLE_CHOICES,
            "statuses": list(STATUS_CHOICES.items()),
        },
    )


@require_http_methods(["GET", "POST"])
@admin_required
def create(request: HttpRequest) -> HttpResponse:
    """Add a person: their account and their place in the organisation."""
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = create_person(request.user, **form.action_fields())
        except ValidationError as error:
            refused(form, error)
        else:
            message = _("%(name)s was added. They sign in as “%(username)s”.") % {
                "name": person.full_name,
                "username": person.user.username,
            }
            return saved(request, people_url(), message)
    return form_page(
        request,
        "administration/person_create.html",
        "administration/_person_create_form.html",
        {"section": "people", "form": form},
    )


def person_or_404(person_id: int) -> Person:
    return get_object_or_404(Person.objects.select_related("unit", "manager", "user"), pk=person_id)


def person_initial(person: Person) -> dict[str, Any]:
    return {
        "full_name": person.full_name,
        "email": person.user.email,
        "job_title": person.job_title,
        "unit": str(person.unit_id or ""),
        "manager": str(person.manager_id or ""),
        "role": "admin" if person.is_admin else "member",
        "language": person.language,
    }


@require_http_methods(["GET", "POST"])
@admin_required
def edit(request: HttpRequest, person_id: int) -> HttpResponse:
    """Change a person's details, unit, manager, role and language."""
    person = person_or_404(person_id)
    form = PersonForm(request.POST or None, person=person, initial=person_initial(person))
    if request.method == "POST" and form.is_valid():
        try:
            update_person(request.user, person, **form.action_fields())
        except ValidationError as error:
            refused(form, error)
        else:
            return saved(
                request, people_url(), _("%(name)s was saved.") % {"name": person.full_name}
            )
    return form_page(
        request,
        "administration/person_edit.html",
        "administration/_person_edit_form.html",
        {"section": "people", "form": form, "person": person},
    )


def open_work(person: Person) -> dict[str, Any]:
    """What the person still owns that deactivating hands over."""
    return {
        "objectives": list(open_objectives(person).select_related("cycle").order_by("title")),
        "key_results": open_key_results(person).count(),
        "initiatives": open_initiatives(person).count(),
        "reports": list(direct_reports(person).order_by("full_name")),
        "projects": list(led_projects(person).order_by("name")),
        "units": list(person.led_units.order_by("path")),
    }


@require_http_methods(["GET", "POST"])
@admin_required
def deactivate(request: HttpRequest, person_id: int) -> HttpResponse:
    """Stop a person signing in, handing their open objectives and key results to someone."""
    person = person_or_404(person_id)
    form = DeactivateForm(request.POST or None, person=person)
    if request.method == "POST" and form.is_valid():
        try:
            handover = deactivate_person(request.user, person, hand_to=form.cleaned_data["hand_to"])
        except ValidationError as error:
            refused(form, error)
        else:
            message = _("%(name)s can no longer sign in.") % {"name": person.full_name}
            hand_to = form.cleaned_data["hand_to"]
            if hand_to is not None:
                message += " " + _(
                    "Handed to %(to)s: objectives %(objectives)d, key results %(key_results)d, "
                    "initiatives %(initiatives)d, projects %(projects)d."
                ) % {
                    "to": hand_to.full_name,
                    "objectives": handover.objectives,
                    "key_results": handover.key_results,
                    "initiatives": handover.initiatives,
                    "projects": handover.projects,
                }
            if handover.reports and handover.reports_now_under:
                message += " " + ngettext(
                    "%(count)d person who reported to them now reports to %(manager)s.",
                    "%(count)d people who reported to them now report to %(manager)s.",
                    handover.reports,
                ) % {"count": handover.reports, "manager": handover.reports_now_under}
            elif handover.reports:
                message += " " + ngettext(
                    "%(count)d person who reported to them now has no manager: choose one.",
                    "%(count)d people who reported to them now have no manager: choose one.",
                    handover.reports,
                ) % {"count": handover.reports}
            if handover.units_without_lead:
                message += " " + _("Choose a new lead for: %(units)s.") % {
                    "units": ", ".join(handover.units_without_lead)
                }
            return saved(request, people_url(), message)
    return form_page(
        request,
        "administration/person_deactivate.html",
        "administration/_person_deactivate_form.html",
        {"section": "people", "form": form, "person": person, "work": open_work(person)},
    )


@require_POST
@admin_required
def reactivate(request: HttpRequest, person_id: int) -> HttpResponse:
    """Let a deactivated person sign in again."""
    person = person_or_404(person_id)
    try:
        reactivate_person(request.user, person)
    except ValidationError as error:
        return not_saved(request, people_url(), " ".join(error.messages))
    return saved(
        request, people_url(), _("%(name)s can sign in again.") % {"name": person.full_name}
    )
