"""Forgotten passwords (Django's reset views on okrflow's templates and actions)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _

from okrflow.front.sign_in import client_ip
from okrflow.signin.actions import set_password
from okrflow.signin.emails import person_language
from okrflow.signin.forgot_throttle import allow_reset_request


class ForgotPasswordForm(PasswordResetForm):
    """Django's reset form, writing each email in its reader's language with okrflow's address.

    People created without a password (they were to be invited) may use it too: for them a
    reset link is an invitation they asked for themselves.
    """

    def get_users(self, email: str) -> Any:
        return get_user_model().objects.filter(email__iexact=email.strip(), is_active=True)

    def send_mail(  # type: ignore[override]
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        user = context["user"]
        link = settings.OKRFLOW_BASE_URL + reverse(
            "signin:password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        context = context | {"link": link, "username": user.get_username()}
        with translation.override(person_language(user)):
            subject = render_to_string(subject_template_name, context)
            body = render_to_string(email_template_name, context)
        send_mail(" ".join(subject.split()), body, from_email, [to_email])


class NewPasswordForm(SetPasswordForm):
    """Django's set-password form, saving through the `set_password` action."""

    def save(self, commit: bool = True) -> Any:
        return set_password(
            self.user, self.user, self.cleaned_data["new_password1"], action="reset_password"
        )


class ForgotPasswordView(auth_views.PasswordResetView):
    """Django's reset view, refusing more links than the hourly limits allow."""

    def form_valid(self, form: Any) -> Any:
        email = form.cleaned_data["email"]
        if not allow_reset_request(email, client_ip(self.request)):
            form.add_error(
                "email",
                _("Too many links were asked for this hour. Please try again later."),
            )
            return self.form_invalid(form)
        return super().form_valid(form)


forgot = ForgotPasswordView.as_view(
    form_class=ForgotPasswordForm,
    template_name="signin/password_forgot.html",
    email_template_name="signin/email/password_reset.txt",
    subject_template_name="signin/email/password_reset_subject.txt",
    success_url=reverse_lazy("signin:password_reset_sent"),
)
sent = auth_views.PasswordResetDoneView.as_view(template_name="signin/password_reset_sent.html")
choose_new = auth_views.PasswordResetConfirmView.as_view(
    form_class=NewPasswordForm,
    template_name="signin/password_reset_choose.html",
    success_url=reverse_lazy("signin:password_reset_done"),
)
done = auth_views.PasswordResetCompleteView.as_view(template_name="signin/password_reset_done.html")
