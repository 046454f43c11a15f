"""Template context every page gets."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from okrflow.org.access import access_for


def access(request: HttpRequest) -> dict[str, Any]:
    """Expose the signed-in user's Access (already cached for the request) as `access`."""
    return {"access": access_for(request.user)}
