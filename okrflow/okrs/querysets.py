"""Permission-scoped querysets, so that a view cannot forget to scope."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

if TYPE_CHECKING:
    from okrflow.okrs.models import Objective  # noqa: F401 (the base class type argument)


class ObjectiveQuerySet(models.QuerySet["Objective"]):
    def visible_to(self, user: Any) -> ObjectiveQuerySet:
        """Return the objectives this user may see (non-private ones, and private ones they may)."""
        from okrflow.org.access import access_for

        access = access_for(user)
        if not access.is_member:
            return self.none()
        if access.is_admin:
            return self
        return self.filter(models.Q(is_private=False) | access.private_objectives_filter())

    def live(self) -> ObjectiveQuerySet:
        """Return the objectives that are not archived."""
        return self.exclude(state="archived")
