"""The one-time link of an invitation: signed, dated, and dead once the person sets a password."""

from __future__ import annotations

import datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import salted_hmac

from okrflow.signin.models import Invitation

SALT = "okrflow.signin.invitation"


class DeadLink(StrEnum):
    """Why an invitation link no longer works."""

    EXPIRED = "expired"
    USED = "used"
    REPLACED = "replaced"  # a newer invitation was sent to the same person
    INVALID = "invalid"


def invitation_lifetime() -> datetime.timedelta:
    return datetime.timedelta(days=settings.OKRFLOW_INVITATION_DAYS)


def account_fingerprint(user: Any) -> str:
    """A short digest of what changes once the person sets a password or signs in."""
    last_login = "" if user.last_login is None else user.last_login.replace(microsecond=0)
    state = f"{user.pk}|{user.password}|{last_login}|{user.is_active}"
    return salted_hmac(SALT, state).hexdigest()[:24]


def make_invitation_token(invitation: Invitation) -> str:
    """Sign the invitation's id with the state of its person's account."""
    data = {"i": invitation.pk, "f": account_fingerprint(invitation.person.user)}
    return signing.dumps(data, salt=SALT)


def invitation_link(invitation: Invitation) -> str:
    """The full address the invitee opens, under OKRFLOW_BASE_URL."""
    path = reverse("signin:invitation", kwargs={"token": make_invitation_token(invitation)})
    return settings.OKRFLOW_BASE_URL + path


def read_invitation_token(token: str) -> tuple[Invitation | None, DeadLink | None]:
    """Return the live invitation a token stands for, or why the link is dead."""
    try:
        data = signing.loads(token, salt=SALT, max_age=invitation_lifetime())
    except signing.SignatureExpired:
        return None, DeadLink.EXPIRED
    except signing.BadSignature:
        return None, DeadLink.INVALID
    invitation_id = data.get("i") if isinstance(data, dict) else None
    if not isinstance(invitation_id, int):
        return None, DeadLink.INVALID
    invitation = Invitation.objects.select_related("person__user").filter(pk=invitation_id).first()
    if invitation is None or not invitation.person.user.is_active:
        return None, DeadLink.INVALID
    if invitation.accepted_at or data.get("f") != account_fingerprint(invitation.person.user):
        return None, DeadLink.USED
    latest = invitation.person.invitations.order_by("-sent_at", "-id").values_list("pk", flat=True)
    if latest.first() != invitation.pk:
        return None, DeadLink.REPLACED
    return invitation, None
