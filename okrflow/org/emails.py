"""A person's email address: well formed and not anyone else's, whatever its case."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _


def clean_email(email: str | None, *, exclude_user: Any | None = None) -> str:
    """Return the email stripped, or raise a field error if it is malformed or taken."""
    email = (email or "").strip()
    if not email:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            {"email": _("“%(email)s” is not an email address.") % {"email": email}}
        ) from None
    others = get_user_model().objects.filter(email__iexact=email)
    if exclude_user is not None:
        others = others.exclude(pk=exclude_user.pk)
    if others.exists():
        raise ValidationError(
            {
                "email": _("The email “%(email)s” belongs to someone else already.")
                % {"email": email}
            }
        )
    return email
