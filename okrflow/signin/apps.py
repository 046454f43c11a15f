from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SignInConfig(AppConfig):
    name = "okrflow.signin"
    label = "signin"
    verbose_name = _("Signing in")
    default_auto_field = "django.db.models.BigAutoField"
