"""The rules page: focus ranges, progress roll-up, status thresholds, check-in defaults."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from okrflow.administration.decorators import admin_required
from okrflow.administration.rules_forms import COMMON_TIME_ZONES, RulesForm
from okrflow.front.errors import apply_errors
from okrflow.okrs.models import Alignment
from okrflow.org.models import Organisation
from okrflow.org.rules import update_organisation_rules


@require_http_methods(["GET", "POST"])
@admin_required
def rules(request: HttpRequest) -> HttpResponse:
    """Show and change the organisation's OKR rules; nothing is saved unless all are right."""
    organisation = Organisation.current()
    form = RulesForm(request.POST or None, initial=RulesForm.initial_from(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            update_organisation_rules(request.user, form.rules())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Rules saved."))
            return redirect("administration:rules")
    return render(
        request,
        "administration/rules.html",
        {
            "section": "rules",
            "form": form,
            "time_zones": COMMON_TIME_ZONES,
            "weighted_links": Alignment.objects.exclude(weight=1).count(),
        },
    )
