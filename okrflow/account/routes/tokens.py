"""Settings page part: personal access tokens for the API (made, listed and revoked here)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from okrflow.account.panels import Panel
from okrflow.api.actions import MAX_EXPIRY_DAYS, create_access_token, revoke_access_token
from okrflow.api.models import AccessToken, TokenScope
from okrflow.front.params import id_or_404
from okrflow.org.access import access_for
from okrflow.org.models import Person


def own_person(request: HttpRequest) -> Person:
    """Return the signed-in person; someone with no person record has no tokens to manage."""
    person = access_for(request.user).person
    if person is None:
        raise PermissionDenied(_("Only people of the organisation can make API tokens."))
    return person


def panel_context(request: HttpRequest, form: dict[str, Any] | None = None) -> dict[str, Any]:
    person = access_for(request.user).person
    tokens = list(person.access_tokens.all()) if person is not None else []
    return {
        "tokens": tokens,
        "has_person": person is not None,
        "scopes": TokenScope.choices,
        "max_days": MAX_EXPIRY_DAYS,
        "form": form or {"name": "", "scope": TokenScope.READ, "expires_in_days": "90"},
        "errors": (form or {}).get("errors", {}),
    }


PANEL = Panel(template="account/_tokens_panel.html", context=panel_context, order=20)


@require_POST
@login_required
def create_token(request: HttpRequest) -> HttpResponse:
    """Make a token and show its secret once; on bad input show the form again with the reasons."""
    person = own_person(request)
    name = request.POST.get("name", "")
    scope = request.POST.get("scope", "")
    expires_in_days = request.POST.get("expires_in_days", "")
    try:
        made = create_access_token(
            request.user, person, name=name, scope=scope, expires_in_days=expires_in_days
        )
    except ValidationError as error:
        form = {
            "name": name,
            "scope": scope,
            "expires_in_days": expires_in_days,
            "errors": error.message_dict,
        }
        return render(
            request,
            "account/token_form_error.html",
            {"panel": panel_context(request, form)},
            status=400,
        )
    # Not a redirect: the secret exists only in this answer and is never stored.
    response = render(request, "account/token_created.html", {"made": made})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def revoke_token(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the signed-in person's own tokens."""
    person = own_person(request)
    token = AccessToken.objects.filter(pk=id_or_404(token_id), person=person).first()
    if token is None:
        raise Http404(_("Nothing was found at this address."))
    revoke_access_token(request.user, token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect(reverse("account:settings") + "#api-tokens")


urlpatterns: list[URLPattern] = [
    path("tokens/", create_token, name="token_create"),
    path("tokens/<int:token_id>/revoke/", revoke_token, name="token_revoke"),
]
