"""Every write of signing in: invitations, setting and changing passwords."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from okrflow.audit.log import record_change, snapshot
from okrflow.org.actions import require_admin
from okrflow.org.models import Person
from okrflow.signin.emails import send_invitation_email
from okrflow.signin.invitation_links import invitation_lifetime
from okrflow.signin.models import Invitation


def invitation_problem(person: Person) -> str | None:
    """Say why a person cannot be invited, or None when they can."""
    user = person.user
    if not user.is_active:
        return _("%(name)s is deactivated.") % {"name": person.full_name}
    if not user.email:
        return _("%(name)s has no email address: add one first.") % {"name": person.full_name}
    if user.last_login is not None:
        return _(
            "%(name)s has signed in already; they can reset their password from the sign-in page."
        ) % {"name": person.full_name}
    return None


@transaction.atomic
def invite_person(actor: Any, person: Person) -> Invitation:
    """Record an invitation and email the person a link to set their password.

    The email is sent inside the transaction: if it cannot be sent, nothing is recorded and
    the admin is told.
    """
    require_admin(actor)
    person = Person.objects.select_for_update().select_related("user").get(pk=person.pk)
    problem = invitation_problem(person)
    if problem:
        raise ValidationError(problem)
    invitation = Invitation.objects.create(
        person=person,
        email=person.user.email,
        sent_at=timezone.now(),
        sent_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_change(
        actor=actor,
        action="invite_person",
        instance=invitation,
        before=None,
        after=snapshot(invitation),
        summary=person.full_name,
    )
    send_invitation_email(invitation)
    return invitation


def people_to_invite_all() -> QuerySet[Person]:
    """Active people with an email who never signed in, have not accepted an invitation,
    and hold no invitation that still works."""
    still_valid_since = timezone.now() - invitation_lifetime()
    pending_or_accepted = Invitation.objects.filter(person=OuterRef("pk")).filter(
        Q(accepted_at__isnull=False) | Q(sent_at__gt=still_valid_since)
    )
    return (
        Person.objects.filter(user__is_active=True, user__last_login__isnull=True)
        .exclude(user__email="")
        .exclude(Exists(pending_or_accepted))
        .select_related("user")
        .order_by("full_name", "pk")
    )


@dataclass
class InviteAllOutcome:
    invited: list[Person] = field(default_factory=list)
    failed: list[tuple[Person, str]] = field(default_factory=list)


def invite_everyone_never_signed_in(actor: Any) -> InviteAllOutcome:
    """Invite each person `people_to_invite_all` lists, each in its own transaction."""
    require_admin(actor)
    outcome = InviteAllOutcome()
    for person in people_to_invite_all():
        try:
            invite_person(actor, person)
        except ValidationError as error:
            outcome.failed.append((person, " ".join(error.messages)))
        except OSError as error:  # the mail server refused or could not be reached
            outcome.failed.append((person, str(error)))
        else:
            outcome.invited.append(person)
    return outcome


@transaction.atomic
def accept_invitation(invitation: Invitation, password: str) -> Invitation:
    """Set the invitee's password (already validated) and mark the invitation accepted."""
    invitation = (
        Invitation.objects.select_for_update().select_related("person__user").get(pk=invitation.pk)
    )
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has been used already."))
    user = invitation.person.user
    before = snapshot(invitation)
    user.set_password(password)
    user.save(update_fields=["password"])
    invitation.accepted_at = timezone.now()
    invitation.save(update_fields=["accepted_at"])
    record_change(
        actor=user,
        action="accept_invitation",
        instance=invitation,
        before=before,
        after=snapshot(invitation),
        summary=invitation.person.full_name,
    )
    return invitation


@transaction.atomic
def set_password(actor: Any, user: Any, password: str, *, action: str) -> Any:
    """Store a new password (already validated) for a user; `action` names why in the audit."""
    if actor is not None and getattr(actor, "pk", None) != user.pk:
        require_admin(actor)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    # Never the hash: the audit row says only that the password changed.
    record_change(
        actor=actor,
        action=action,
        instance=user,
        before=None,
        after={"password": "changed", "at": timezone.now().isoformat()},
        summary=user.get_username(),
    )
    return user


def invitation_expires_at(invitation: Invitation) -> datetime.datetime:
    return invitation.sent_at + invitation_lifetime()
