"""Sign in with a username or an email address, whichever the person types."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import router
from django.http import HttpRequest

from okrflow.compiled_reads import rows_by_ids


def find_user_by_login(login: str) -> Any | None:
    """Return the account whose username is `login`, or else whose email it is (any case)."""
    user_model = get_user_model()
    login = (login or "").strip()
    if not login:
        return None
    user = user_model.objects.filter(username=login).first()
    if user is None and "@" in login:
        # Emails are unique whatever their case (a database index, org migration 0002).
        user = user_model.objects.filter(email__iexact=login).first()
    return user


class EmailOrUsernameBackend(ModelBackend):
    """Django's password check, finding the account by username or by email."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any | None:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        user = find_user_by_login(username)
        if user is None:
            # Hash anyway, so that an unknown name takes as long as a wrong password.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id: Any) -> Any | None:
        """Return the signed-in account as `ModelBackend.get_user` does (by id, if it may sign
        in), its query compiled once (`rows_by_ids`): every signed-in request reads it."""
        if type(user_id) is not int:
            return super().get_user(user_id)
        user_model = get_user_model()
        found = rows_by_ids(
            "user by id",
            lambda marks: user_model._default_manager.filter(pk__in=marks),
            router.db_for_read(user_model),
            [user_id],
        )
        if not found:
            return None
        return found[0] if self.user_can_authenticate(found[0]) else None
