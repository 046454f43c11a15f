"""Create and revoke personal access tokens: the only writes to `AccessToken`."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from okrflow.action_support import deny
from okrflow.api.models import AccessToken, TokenScope
from okrflow.api.token_secrets import hash_secret, hint_of, new_secret
from okrflow.audit.log import record_change, snapshot
from okrflow.org.access import access_for
from okrflow.org.models import Person

NAME_LIMIT = 100
# Ten years: enough for "never" in practice, small enough for every date column.
MAX_EXPIRY_DAYS = 3650
AUDITED_FIELDS = ["person", "name", "hint", "scope", "expires_at", "revoked_at"]


@dataclass(frozen=True)
class NewToken:
    """A token just made, with its secret: the only moment the secret exists outside the caller."""

    token: AccessToken
    secret: str


def may_manage_tokens(actor: Any, person: Person) -> bool:
    """Tell whether the actor may create or revoke this person's tokens: themselves or an admin."""
    if actor is None:
        return True
    access = access_for(actor)
    return access.is_admin or (access.person is not None and access.person.pk == person.pk)


def clean_token_fields(name: Any, scope: Any, expires_in_days: Any) -> tuple[str, str, int | None]:
    """Check a new token's name, scope and lifetime, naming every bad field at once."""
    errors: dict[str, str] = {}
    text = name.strip() if isinstance(name, str) else ""
    if not text:
        errors["name"] = _("Name the token after what will use it, e.g. “Reporting script”.")
    elif len(text) > NAME_LIMIT or not text.isprintable():
        errors["name"] = _("Keep the name under %(limit)d printable characters.") % {
            "limit": NAME_LIMIT
        }
    if scope not in TokenScope.values:
        errors["scope"] = _("Choose read only or read and write.")
    days: int | None = None
    if expires_in_days not in (None, ""):
        try:
            days = int(str(expires_in_days).strip())
        except ValueError:
            days = 0
        if not 1 <= days <= MAX_EXPIRY_DAYS:
            errors["expires_in_days"] = _(
                "Give a number of days between 1 and %(max)d, or none for no expiry."
            ) % {"max": MAX_EXPIRY_DAYS}
    if errors:
        raise ValidationError(errors)
    return text, str(scope), days


@transaction.atomic
def create_access_token(
    actor: Any,
    person: Person,
    *,
    name: Any,
    scope: Any = TokenScope.READ,
    expires_in_days: Any = None,
) -> NewToken:
    """Make a token for a person; return it with its secret, which is never stored."""
    if not may_manage_tokens(actor, person):
        raise deny(_("You can only make tokens for yourself."))
    text, scope_value, days = clean_token_fields(name, scope, expires_in_days)
    secret = new_secret()
    expires_at = timezone.now() + datetime.timedelta(days=days) if days else None
    token = AccessToken.objects.create(
        person=person,
        name=text,
        token_hash=hash_secret(secret),
        hint=hint_of(secret),
        scope=scope_value,
        expires_at=expires_at,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record_change(
        actor=actor,
        action="create_access_token",
        instance=token,
        before=None,
        after=snapshot(token, AUDITED_FIELDS),
        summary=f"{person.full_name}: {text}",
    )
    return NewToken(token, secret)


@transaction.atomic
def revoke_access_token(actor: Any, token: AccessToken) -> AccessToken:
    """Revoke a token at once; revoking it again changes nothing."""
    token = (
        AccessToken.objects.select_for_update(of=("self",))
        .select_related("person")
        .get(pk=token.pk)
    )
    if not may_manage_tokens(actor, token.person):
        raise deny(_("You can only revoke your own tokens."))
    if token.revoked_at is not None:
        return token
    before = snapshot(token, AUDITED_FIELDS)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    record_change(
        actor=actor,
        action="revoke_access_token",
        instance=token,
        before=before,
        after=snapshot(token, AUDITED_FIELDS),
        summary=f"{token.person.full_name}: {token.name}",
    )
    return token
