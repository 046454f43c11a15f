"""The page an invitation's link opens: set a password, once, before the link expires."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from okrflow.signin.actions import accept_invitation
from okrflow.signin.invitation_links import DeadLink, read_invitation_token


@sensitive_post_parameters("new_password1", "new_password2")
@never_cache
@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Show the set-password form of a live invitation, or why its link is dead."""
    invitation, dead = read_invitation_token(token)
    if invitation is None:
        status = 404 if dead == DeadLink.INVALID else 410
        return render(request, "signin/invitation_dead.html", {"reason": dead}, status=status)
    person = invitation.person
    # The invitee is not signed in yet, but we know who they are: speak their language.
    translation.activate(person.language)
    request.LANGUAGE_CODE = person.language  # type: ignore[attr-defined]
    form = SetPasswordForm(person.user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            accept_invitation(invitation, form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Your password is set. Sign in with your username %(username)s or your email.")
                % {"username": person.user.get_username()},
            )
            return redirect("login")
    return render(
        request,
        "signin/invitation_accept.html",
        {"form": form, "person": person, "username": person.user.get_username()},
    )
