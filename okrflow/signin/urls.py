"""Signing in's pages, under /sign-in/ (the sign-in page itself is /sign-in/)."""

from __future__ import annotations

from django.urls import path

from okrflow.signin.sso import views as sso
from okrflow.signin.views import invitation, passwords

app_name = "signin"

urlpatterns = [
    path("invitation/<str:token>/", invitation.accept, name="invitation"),
    path("forgot/", passwords.forgot, name="password_forgot"),
    path("forgot/sent/", passwords.sent, name="password_reset_sent"),
    path("reset/<uidb64>/<token>/", passwords.choose_new, name="password_reset_confirm"),
    path("reset/done/", passwords.done, name="password_reset_done"),
    path("sso/", sso.start, name="sso_start"),
    path("sso/callback/", sso.callback, name="sso_callback"),
]
