"""Who may open the administration pages: OKR admins only."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from okrflow.org.access import access_for


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Send the signed-out to sign in; answer 403 to anyone signed in who is not an OKR admin."""

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access_for(request.user).is_admin:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
