"""Settings page part: password (change it, knowing the current one)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from okrflow.account.panels import Panel
from okrflow.signin.actions import set_password


def panel_context(request: HttpRequest) -> dict[str, Any]:
    return {"has_password": request.user.has_usable_password()}


PANEL = Panel(template="account/_password_panel.html", context=panel_context, order=10)


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
@login_required
def change_password(request: HttpRequest) -> HttpResponse:
    """Change one's own password; the other sessions of the account are signed out."""
    form = PasswordChangeForm(request.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = set_password(
            request.user, request.user, form.cleaned_data["new_password1"], action="change_password"
        )
        update_session_auth_hash(request, user)  # this browser stays signed in
        messages.success(request, _("Your password is changed."))
        return redirect("account:settings")
    return render(request, "account/password.html", {"form": form})


urlpatterns = [path("password/", change_password, name="password")]
