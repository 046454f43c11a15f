"""The administration home: every section with the organisation's size at a glance."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from okrflow.administration.decorators import admin_required
from okrflow.cycles.models import Cycle
from okrflow.org.models import OrgUnit, Person, Project


@require_GET
@admin_required
def home(request: HttpRequest) -> HttpResponse:
    """List the administration sections with a few counts."""
    counts = {
        "units": OrgUnit.objects.count(),
        "people": Person.objects.count(),
        "projects": Project.objects.count(),
        "cycles": Cycle.objects.count(),
    }
    return render(request, "administration/home.html", {"section": "home", "counts": counts})
