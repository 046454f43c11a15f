"""Refuse an API request whose body is larger than the cap, before anything reads it."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from okrflow.api.errors import problem_response, too_large_detail

API_PREFIX = "/api/"


class ApiBodyLimitMiddleware:
    """Answer 413 problem details to an API request announcing a body over the cap."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.OKRFLOW_API_MAX_BODY_BYTES:
                return problem_response(413, "too-large", too_large_detail())
        return self.get_response(request)
