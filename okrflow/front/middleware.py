"""Show each signed-in person okrflow in the language they chose."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from okrflow.org.access import access_for


class ActivateUserLanguageMiddleware:
    """Override the browser's language with the signed-in person's own choice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        person = access_for(request.user).person if request.user.is_authenticated else None
        if person is not None and person.language:
            translation.activate(person.language)
            request.LANGUAGE_CODE = person.language  # type: ignore[attr-defined]
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or "vi")
        return response
