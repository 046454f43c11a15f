"""The sign-in page: username or email with a password, or single sign-on when configured."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.views import LoginView
from django.http import HttpRequest


def sign_in_page_context(request: HttpRequest) -> dict[str, Any]:
    """What the sign-in template needs besides the form (also for the lockout page)."""
    sso = settings.SSO
    return {"sso_enabled": sso.enabled, "sso_button_label": sso.button_label}


class SignInView(LoginView):
    """Django's sign-in view on okrflow's template, with the single sign-on button."""

    template_name = "front/sign_in.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(**kwargs) | sign_in_page_context(self.request)
