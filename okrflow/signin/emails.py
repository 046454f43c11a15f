"""The emails of signing in, each in its reader's language.

They are sent at once for now; `send_invitation_email` is the one place to move them to a
task queue later.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from okrflow.signin.invitation_links import invitation_lifetime, invitation_link
from okrflow.signin.models import Invitation


def person_language(user: Any) -> str:
    """The language a user reads okrflow in (Vietnamese without a person profile)."""
    person = getattr(user, "person", None)
    return getattr(person, "language", None) or settings.LANGUAGE_CODE


def send_invitation_email(invitation: Invitation) -> None:
    """Email the invitee their one-time link, in their language."""
    person = invitation.person
    context = {
        "person": person,
        "username": person.user.get_username(),
        "email": invitation.email,
        "link": invitation_link(invitation),
        "expires_at": invitation.sent_at + invitation_lifetime(),
        "days": settings.OKRFLOW_INVITATION_DAYS,
        "inviter": getattr(getattr(invitation.sent_by, "person", None), "full_name", ""),
        "base_url": settings.OKRFLOW_BASE_URL,
    }
    with translation.override(person.language):
        subject = render_to_string("signin/email/invitation_subject.txt", context)
        body = render_to_string("signin/email/invitation.txt", context)
    send_mail(" ".join(subject.split()), body, None, [invitation.email])
