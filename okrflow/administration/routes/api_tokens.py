"""Administration section: every person's API tokens, listed and revocable by an admin."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from okrflow.administration.decorators import admin_required
from okrflow.administration.sections import Section
from okrflow.api.actions import revoke_access_token
from okrflow.api.models import AccessToken
from okrflow.front.params import id_or_404

SECTION = Section(
    key="api_tokens",
    url_name="administration:api_tokens",
    label=gettext_lazy("API tokens"),
    description=gettext_lazy("Every person's API tokens: who uses the API, and revoke any token."),
    order=80,
)
# One page shows the newest tokens; an organisation has a few per person at most.
SHOWN = 500


@require_GET
@admin_required
def token_list(request: HttpRequest) -> HttpResponse:
    """List every token, newest first, with its person, scope and state."""
    tokens = list(AccessToken.objects.select_related("person__user")[:SHOWN])
    return render(
        request,
        "administration/api_tokens.html",
        {"section": SECTION.key, "tokens": tokens, "more": len(tokens) == SHOWN},
    )


@require_POST
@admin_required
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke anyone's token."""
    token = AccessToken.objects.filter(pk=id_or_404(token_id)).first()
    if token is None:
        raise Http404(_("Nothing was found at this address."))
    revoke_access_token(request.user, token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("administration:api_tokens")


urlpatterns: list[URLPattern] = [
    path("api-tokens/", token_list, name="api_tokens"),
    path("api-tokens/<int:token_id>/revoke/", token_revoke, name="api_token_revoke"),
]
