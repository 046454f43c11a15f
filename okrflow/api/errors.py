"""Every error the API answers, as RFC 9457 problem details in the caller's language."""

from __future__ import annotations

import json
import logging
from typing import Any

from django.core.exceptions import (
    BadRequest,
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
)
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "https://okrflow.invalid/problems/"
CONTENT_TYPE = "application/problem+json"


class PreconditionFailed(Exception):
    """An update sent with an If-Match that no longer names the resource's version."""


class ProblemError(Exception):
    """Answer with a given problem (status, kind, detail) from anywhere in an endpoint."""

    def __init__(self, status: int, kind: str, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.detail = detail


def titles() -> dict[int, str]:
    """Name each status the API answers, in the active language."""
    return {
        400: _("The request cannot be read."),
        401: _("Sign-in required."),
        403: _("Not allowed."),
        404: _("Not found."),
        405: _("Method not allowed."),
        412: _("The resource changed since you read it."),
        413: _("The request is too large."),
        422: _("Some fields are not valid."),
        429: _("Too many requests."),
        500: _("Something went wrong on the server."),
    }


def problem_response(
    status: int,
    kind: str,
    detail: str = "",
    errors: list[dict[str, str]] | None = None,
) -> HttpResponse:
    """Build one problem-details response."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + kind,
        "title": titles().get(status, str(status)),
        "status": status,
        "detail": detail or titles().get(status, ""),
    }
    if errors is not None:
        body["errors"] = errors
    return HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=CONTENT_TYPE
    )


def too_large_detail() -> str:
    from django.conf import settings

    return _("Send at most %(size)d kB in one request.") % {
        "size": settings.OKRFLOW_API_MAX_BODY_BYTES // 1024
    }


def field_message(error: dict[str, Any]) -> str:
    """Say in the caller's language what is wrong with one field pydantic refused."""
    kind = str(error.get("type", ""))
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field: leave it out.")
    if kind == "json_invalid":
        return _("The body is not valid JSON.")
    if kind in ("string_too_long", "too_long"):
        return _("Too long.")
    if kind in ("string_too_short", "too_short"):
        return _("Too short.")
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return _("Out of the allowed range.")
    if kind in ("enum", "literal_error"):
        return _("Not one of the allowed values.")
    if kind.endswith("_parsing") or kind.endswith("_type") or kind.startswith("decimal"):
        return _("Wrong type or format.")
    return _("Not valid.")


def field_name(location: Any) -> str:
    """Join pydantic's location into a dotted field name, without the "body." prefix."""
    parts = [str(part) for part in (location or ())]
    if parts and parts[0] in ("body", "query", "path", "header"):
        source, *rest = parts
        if source == "body" and rest and rest[0] == "payload":
            rest = rest[1:]
        parts = rest if source == "body" else [source, *rest]
    return ".".join(parts) or "body"


def action_errors(error: DjangoValidationError) -> list[dict[str, str]]:
    """Turn an action's ValidationError into the problem's `errors` list."""
    if hasattr(error, "error_dict"):
        return [
            {"field": "body" if name == "__all__" else name, "message": str(message)}
            for name, messages in error.message_dict.items()
            for message in messages
        ]
    return [{"field": "body", "message": str(message)} for message in error.messages]


def install_handlers(api: NinjaAPI) -> None:
    """Answer every exception an endpoint may raise with problem details."""

    def on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
        errors = [
            {"field": field_name(item.get("loc")), "message": field_message(item)}
            for item in exc.errors
        ]
        if any(item.get("type") == "json_invalid" for item in exc.errors):
            return problem_response(400, "malformed-json", _("The body is not valid JSON."), errors)
        return problem_response(422, "invalid-fields", _("Correct the fields listed."), errors)

    def on_action_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
        errors = action_errors(exc)
        detail = " ".join(item["message"] for item in errors)
        return problem_response(422, "invalid-fields", detail, errors)

    def on_permission(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return problem_response(403, "forbidden", str(exc) or _("You may not do this."))

    def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
        return problem_response(404, "not-found", _("Nothing was found at this address."))

    def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        status = exc.status_code
        if isinstance(exc, AuthenticationError):
            detail = exc.message if exc.message != "Unauthorized" else ""
            response = problem_response(
                401,
                "unauthenticated",
                detail or _("Send a personal access token as a Bearer token."),
            )
            response["WWW-Authenticate"] = 'Bearer realm="okrflow"'
            return response
        if isinstance(exc, Throttled):
            return problem_response(
                429, "rate-limited", _("Slow down: wait a little, then try again.")
            )
        if status == 403 and exc.message == "CSRF check Failed":
            return problem_response(
                403, "csrf", _("Send the CSRF token with a write made from a signed-in page.")
            )
        if status == 400 and exc.message.startswith("Cannot parse request body"):
            return problem_response(400, "malformed-json", _("The body is not valid JSON."))
        if status == 400:
            return problem_response(400, "bad-request", _("The request cannot be read."))
        return problem_response(status, "error", str(exc.message))

    def on_problem(request: HttpRequest, exc: ProblemError) -> HttpResponse:
        return problem_response(exc.status, exc.kind, exc.detail)

    def on_precondition(request: HttpRequest, exc: PreconditionFailed) -> HttpResponse:
        return problem_response(
            412,
            "stale-version",
            _("Someone changed this since you read it: read it again, then send your change."),
        )

    def on_bad_request(request: HttpRequest, exc: BadRequest) -> HttpResponse:
        return problem_response(400, "bad-request", str(exc) or _("The request cannot be read."))

    def on_too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return problem_response(413, "too-large", too_large_detail())

    def on_anything(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path)
        return problem_response(500, "server-error", _("Something went wrong on the server."))

    api.add_exception_handler(NinjaValidationError, on_ninja_validation)
    api.add_exception_handler(DjangoValidationError, on_action_validation)
    api.add_exception_handler(PermissionDenied, on_permission)
    api.add_exception_handler(Http404, on_not_found)
    api.add_exception_handler(ObjectDoesNotExist, on_not_found)
    api.add_exception_handler(HttpError, on_http_error)
    api.add_exception_handler(ProblemError, on_problem)
    api.add_exception_handler(PreconditionFailed, on_precondition)
    api.add_exception_handler(BadRequest, on_bad_request)
    api.add_exception_handler(RequestDataTooBig, on_too_big)
    api.add_exception_handler(Exception, on_anything)
